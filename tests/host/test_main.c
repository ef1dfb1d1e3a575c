#include "test.h"

host_test_t host_tests[TEST_MAX];
int host_test_count;
int host_test_failed_now;
const char *current_test_name;

int main(void)
{
	/* Line-buffered, so PASS lines already printed survive a sanitizer abort. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	int failed = 0;
	for (int i = 0; i < host_test_count; i++) {
		current_test_name = host_tests[i].name;
		host_test_failed_now = 0;
		host_tests[i].fn();
		if (host_test_failed_now)
			failed++;
		else
			printf("PASS %s\n", host_tests[i].name);
	}
	return failed ? 1 : 0;
}
