#ifndef KTEST_H
#define KTEST_H

/*
 * The in-guest kernel test: booted as the root task, it runs a named table
 * of tests and prints "PASS name" / "FAIL name: why" for each, then ends
 * QEMU through the debug-exit port with 0 when all passed.
 */
#include <atoll/bootinfo.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>

typedef struct ktest {
	const char *name;
	void (*fn)(void);
} ktest_t;

extern const atoll_bootinfo_t *bi;
extern int ktest_failed_now;
extern const char *ktest_name;

#define KCHECK(cond)                                                                           \
	do {                                                                                   \
		if (!(cond) && !ktest_failed_now) {                                            \
			printf("FAIL %s: %s:%d: %s\n", ktest_name, __FILE__, __LINE__, #cond); \
			ktest_failed_now = 1;                                                  \
		}                                                                              \
	} while (0)

#define KCHECK_EQ(a, b)                                                                         \
	do {                                                                                    \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                \
		if (a_ != b_ && !ktest_failed_now) {                                            \
			printf("FAIL %s: %s:%d: %s == %s (%lu != %lu)\n", ktest_name, __FILE__, \
			       __LINE__, #a, #b, a_, b_);                                       \
			ktest_failed_now = 1;                                                   \
		}                                                                               \
	} while (0)

/* Make one object (slot and memory from atoll_rt/alloc.h); returns its slot. */
uint64_t make_object(unsigned type, unsigned size_bits);

/* The argument a child process of the test receives: which role to play. */
enum child_role {
	CHILD_ECHO = 1, /* call the endpoint in slot PROCESS_SLOT_FIRST_FREE with a word, exit */
};

#endif
