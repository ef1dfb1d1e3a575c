/*
 * The system calls that are not IPC: NULL, YIELD, DEBUG_PUTS, DEBUG_CHECK.
 * DEBUG_PUTS is the one that reads user memory by address, so it gets every
 * kind of bad address.
 */
#include "ktest.h"

void test_syscall_null_returns_ok(void)
{
	atoll_msg_t m = {.info = 0x123, .w = {1, 2, 3, 4, 5, 6, 7, 8}};
	KCHECK_EQ(atoll_syscall(ATOLL_SYS_NULL, 0, 0, &m), ATOLL_E_OK);
	/* It does nothing, so it leaves the message registers alone. */
	KCHECK_EQ(m.w[0], 1);
	KCHECK_EQ(m.w[7], 8);
}

void test_syscall_yield_returns_ok(void)
{
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_syscall(ATOLL_SYS_YIELD, 0, 0, &m), ATOLL_E_OK);
}

void test_debug_puts_writes_bytes(void)
{
	static const char line[] = "ktest: debug_puts reaches the kernel log\n";
	KCHECK_EQ(atoll_debug_puts(line, sizeof(line) - 1), ATOLL_E_OK);
}

void test_debug_puts_zero_length_is_ok(void)
{
	KCHECK_EQ(atoll_debug_puts("x", 0), ATOLL_E_OK);
}

void test_debug_puts_null_is_bad_address(void)
{
	KCHECK_EQ(atoll_debug_puts(NULL, 1), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(atoll_debug_puts((const char *)8, 16), ATOLL_E_BAD_ADDRESS);
}

void test_debug_puts_kernel_address_is_bad_address(void)
{
	KCHECK_EQ(atoll_debug_puts((const char *)KERNEL_HALF, 8), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(atoll_debug_puts((const char *)0xffffffff80100000ULL, 8), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(atoll_debug_puts((const char *)0xfffffffffffffff0ULL, 32), ATOLL_E_BAD_ADDRESS);
}

void test_debug_puts_noncanonical_is_bad_address(void)
{
	KCHECK_EQ(atoll_debug_puts((const char *)USER_TOP, 8), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(atoll_debug_puts((const char *)0x8000000000000000ULL, 8), ATOLL_E_BAD_ADDRESS);
	/* Starts in user space, runs past its top. */
	KCHECK_EQ(atoll_debug_puts((const char *)(USER_TOP - 4), 8), ATOLL_E_BAD_ADDRESS);
}

void test_debug_puts_unmapped_is_bad_address(void)
{
	KCHECK_EQ(atoll_debug_puts((const char *)fresh_va(), 8), ATOLL_E_BAD_ADDRESS);
}

void test_debug_puts_crossing_into_unmapped_is_bad_address(void)
{
	uint64_t va = fresh_va();
	uint64_t f = map_new_frame(va);
	char *end = (char *)(va + PAGE - 4);
	memcpy(end, "ok!\n", 4);
	KCHECK_EQ(atoll_debug_puts(end, 4), ATOLL_E_OK);
	KCHECK_EQ(atoll_debug_puts(end, 8), ATOLL_E_BAD_ADDRESS);
	release(f);
}

void test_debug_puts_too_long_is_range(void)
{
	static const char s[] = "x";
	KCHECK_EQ(atoll_debug_puts(s, 4097), ATOLL_E_RANGE);
	KCHECK_EQ(atoll_debug_puts(s, ~0ULL), ATOLL_E_RANGE);
}

/* Device memory is not RAM the kernel may read through its direct map. */
void test_debug_puts_from_device_frame_is_refused(void)
{
	uint64_t ut = 0;
	for (uint64_t i = 0; i < bi->untyped_count && !ut; i++)
		if (bi->untyped[i].is_device)
			ut = bi->untyped_first + i;
	KCHECK(ut != 0);
	if (!ut)
		return;
	uint64_t f = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, ATOLL_SLOT_CNODE, f, 1), ATOLL_E_OK);
	uint64_t va = fresh_va();
	KCHECK_EQ(vspace_map(ATOLL_SLOT_VSPACE, f, va, ATOLL_MAP_READ | ATOLL_MAP_UNCACHED),
	          ATOLL_E_OK);
	KCHECK_EQ(atoll_debug_puts((const char *)va, 8), ATOLL_E_BAD_ADDRESS);
	release(f);
}

void test_debug_check_is_clean(void)
{
	KCHECK_EQ(atoll_debug_check(), 0);
}
