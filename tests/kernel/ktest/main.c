#include "ktest.h"

const atoll_bootinfo_t *bi;
int ktest_failed_now;
const char *ktest_name;

uint64_t make_object(unsigned type, unsigned size_bits)
{
	uint64_t s = 0;
	atoll_error_t err = object_alloc(type, size_bits, &s);
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

static void test_process_calls_parent(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t p;
	KCHECK_EQ(process_create(&p, (const void *)bi->modules[0].vaddr, bi->modules[0].size, 6, 50,
	                         0, CHILD_ECHO),
	          ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(p.cnode, PROCESS_SLOT_FIRST_FREE, ATOLL_SLOT_CNODE, ep,
	                     ATOLL_RIGHTS_ALL),
	          ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(p.tcb), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_recv(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0x1234);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	m.w[0] = 0x5678;
	m.info = atoll_msginfo(0, 0, 1);
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
}

static const ktest_t tests[] = {
	{"bootinfo_is_sane", test_bootinfo_is_sane},
	{"endpoint_retype_and_delete", test_endpoint_retype_and_delete},
	{"process_calls_parent", test_process_calls_parent},
};

static int child_main(uint64_t role)
{
	if (role == CHILD_ECHO) {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {0x1234}};
		atoll_call(PROCESS_SLOT_FIRST_FREE, &m);
		if (m.w[0] != 0x5678)
			printf("child: unexpected reply %lx\n", m.w[0]);
	}
	tcb_suspend(PROCESS_SLOT_TCB);
	return 0;
}

static void debug_exit(unsigned code)
{
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
}

int atoll_main(void *arg)
{
	if ((uint64_t)arg < 4096)
		return child_main((uint64_t)arg);
	bi = arg;
	alloc_init(bi);
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
