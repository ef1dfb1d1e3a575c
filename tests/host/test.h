#ifndef TESTS_HOST_TEST_H
#define TESTS_HOST_TEST_H

/*
 * Host unit tests: each *_test.c includes the source file it tests and
 * defines named tests with TEST(name). The binary runs them all and prints
 * "PASS name" or "FAIL name: why" per test, the protocol every Atoll test
 * speaks; tools/run-tests counts the lines.
 */
#include <stdio.h>
#include <stdlib.h>

typedef struct host_test {
	const char *name;
	void (*fn)(void);
} host_test_t;

#define TEST_MAX 256
extern host_test_t host_tests[TEST_MAX];
extern int host_test_count;
extern int host_test_failed_now;

#define TEST(name)                                                                         \
	static void test_##name(void);                                                     \
	__attribute__((constructor)) static void register_##name(void)                     \
	{                                                                                  \
		if (host_test_count < TEST_MAX)                                            \
			host_tests[host_test_count++] = (host_test_t){#name, test_##name}; \
	}                                                                                  \
	static void test_##name(void)

#define CHECK(cond)                                                                           \
	do {                                                                                  \
		if (!(cond) && !host_test_failed_now) {                                       \
			printf("FAIL %s: %s:%d: %s\n", current_test_name, __FILE__, __LINE__, \
			       #cond);                                                        \
			host_test_failed_now = 1;                                             \
		}                                                                             \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);     \
		if (a_ != b_ && !host_test_failed_now) {                                           \
			printf("FAIL %s: %s:%d: %s == %s (0x%llx != 0x%llx)\n", current_test_name, \
			       __FILE__, __LINE__, #a, #b, a_, b_);                                \
			host_test_failed_now = 1;                                                  \
		}                                                                                  \
	} while (0)

extern const char *current_test_name;

#endif
