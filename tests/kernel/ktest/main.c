#include "ktest.h"

const atoll_bootinfo_t *bi;
int ktest_failed_now;
const char *ktest_name;

static uint64_t next_free_slot;
static uint64_t test_untyped;

uint64_t slot_alloc(void)
{
	return next_free_slot++;
}

uint64_t make_object(unsigned type, unsigned size_bits)
{
	uint64_t s = slot_alloc();
	atoll_error_t err = untyped_retype(test_untyped, type, size_bits, ATOLL_SLOT_CNODE, s, 1);
	if (err)
		printf("make_object(type %u): error %d\n", type, err);
	return s;
}

static void test_bootinfo_is_sane(void)
{
	KCHECK_EQ(bi->magic, ATOLL_BOOTINFO_MAGIC);
	KCHECK(bi->untyped_count > 0);
	KCHECK(bi->first_free_slot > bi->untyped_first);
	KCHECK(bi->tsc_hz > 0);
}

static void test_endpoint_retype_and_delete(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	KCHECK_EQ(cnode_delete(ATOLL_SLOT_CNODE, ep), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_INVALID_CAP);
}

static const ktest_t tests[] = {
	{"bootinfo_is_sane", test_bootinfo_is_sane},
	{"endpoint_retype_and_delete", test_endpoint_retype_and_delete},
};

static void debug_exit(unsigned code)
{
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
}

/* The largest RAM untyped is the test's memory. */
static void pick_untyped(void)
{
	unsigned best = 0;
	for (unsigned i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device &&
		    bi->untyped[i].size_bits > bi->untyped[best].size_bits)
			best = i;
	test_untyped = bi->untyped_first + best;
}

int atoll_main(void *arg)
{
	bi = arg;
	next_free_slot = bi->first_free_slot;
	pick_untyped();
	printf("ktest: %lu untyped, %lu modules\n", bi->untyped_count, bi->module_count);
	unsigned failed = 0;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		ktest_name = tests[i].name;
		ktest_failed_now = 0;
		tests[i].fn();
		if (ktest_failed_now)
			failed++;
		else
			printf("PASS %s\n", tests[i].name);
	}
	printf("ktest: done, %u failed\n", failed);
	debug_exit(failed ? 1 : 0);
	return 0;
}
