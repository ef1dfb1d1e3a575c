#ifndef KTEST_H
#define KTEST_H

/*
 * The in-guest kernel test: booted as the root task, it runs a named table
 * of tests (main.c) and prints "PASS name" / "FAIL name: why" for each, then
 * ends QEMU through the debug-exit port with 0 when all passed.
 *
 * Conventions every test follows:
 *  - The root thread runs at ROOT_PRIO. Helper threads that must act at once
 *    run at HELPER_PRIO (above the root), so by the time a root call returns
 *    they have already blocked, faulted or finished; the root then collects
 *    results with non-blocking calls, and a kernel bug shows up as a FAIL
 *    line instead of a hang.
 *  - Helper threads share the root's CSpace and VSpace; they talk to the
 *    root through volatile globals and register-only messages (their own
 *    IPC buffer is helper_t.ipc, the runtime's pointer is the root's).
 *  - A test frees what it made (release), so slots are reused; every test
 *    is followed by the kernel's self-check (DEBUG_CHECK).
 *  - Tests that may crash the kernel when they find a bug run last.
 */
#include <atoll/bootinfo.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>
#include <atoll_rt/vspace.h>

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
			printf("FAIL %s: %s:%d: %s == %s (%lx != %lx)\n", ktest_name, __FILE__, \
			       __LINE__, #a, #b, a_, b_);                                       \
			ktest_failed_now = 1;                                                   \
		}                                                                               \
	} while (0)

/* Priorities: the root task's own, and helpers that preempt it. */
#define ROOT_PRIO 100
#define HELPER_PRIO 110

#define PAGE 4096ULL
#define LARGE_PAGE 0x200000ULL
#define USER_TOP 0x0000800000000000ULL
#define KERNEL_HALF 0xffff800000000000ULL

/* Make one object (slot and memory from atoll_rt/alloc.h); returns its slot. */
uint64_t make_object(unsigned type, unsigned size_bits);
/* A free slot of the root CNode. */
uint64_t slot_get(void);
/* Delete whatever the slot holds and give it back (once: a second release
 * of the same slot does nothing). Tests use it for every slot they free. */
void release(uint64_t slot);
/* A copy of cap with rights and badge, in a new slot of the root CNode. */
uint64_t mint_cap(uint64_t cap, unsigned rights, uint64_t badge);
/* A fresh 2 MiB-aligned window of the root's address space, never used before. */
uint64_t fresh_va(void);
/* A new frame mapped read-write at va in the root's address space. */
uint64_t map_new_frame(uint64_t va);
/* Time-stamp counter and timeouts. */
uint64_t rdtsc(void);
uint64_t ms_to_tsc(unsigned ms);
/* Gives threads of the root's priority a turn, n times. */
void yield_n(unsigned n);
/* nbrecv on ep, retrying for up to ~100 ms with yields in between. */
atoll_error_t recv_soon(uint64_t ep, uint64_t reply, atoll_msg_t *m);
/* poll on a notification, retrying for up to ms milliseconds. */
atoll_error_t poll_soon(uint64_t ntfn, uint64_t *bits, unsigned ms);
/* The root's own priority (it changes it for scheduling tests). */
void root_set_priority(unsigned prio);
/* The root's IPC buffer stops accepting capabilities. */
void root_refuse_caps(void);

/*
 * Helper threads: a TCB running fn(arg) in the root's CSpace and VSpace on
 * a stack and IPC buffer from a small reused pool. When fn returns the
 * thread suspends itself.
 */
typedef struct helper {
	uint64_t tcb;
	int owns_tcb;
	int window;
	atoll_ipc_buffer_t *ipc;
	void (*fn)(void *);
	void *arg;
} helper_t;

/* Configure (not start) a helper; tcb 0 makes a new TCB. */
atoll_error_t helper_prepare(helper_t *h, uint64_t tcb, void (*fn)(void *), void *arg,
                             unsigned prio, uint64_t fault_ep);
/* Prepare and resume. */
atoll_error_t helper_start(helper_t *h, void (*fn)(void *), void *arg, unsigned prio,
                           uint64_t fault_ep);
/* Stop the thread, delete its TCB (if the helper made it), free its stack. */
void helper_stop(helper_t *h);
/* Where a helper's stack and IPC buffer window starts (for rsp checks). */
uint64_t helper_stack_top(const helper_t *h);

/*
 * Child processes: the test's own ELF (bi->modules[0]) in a new address
 * space, running child_main(role). PROCESS_SLOT_FIRST_FREE (4) holds an
 * endpoint to the parent; roles say what else they expect.
 */
enum child_role {
	CHILD_ECHO = 1,      /* call slot 4 with 0x1234, expect 0x5678 */
	CHILD_LINUX_GETPID,  /* raw syscall 39; call slot 4 with what it returned */
	CHILD_RECV_CAP,      /* receive a notification cap on slot 4 into slot 6, signal
	                        it, then call slot 4 with the caps count and badge */
	CHILD_READ_UNMAPPED, /* read CHILD_UNMAPPED_VA, call slot 4 with the value */
	CHILD_IOPORT,        /* open the port cap in slot 5, inb(0x3fd), call slot 4 */
	CHILD_INB_CLOSED,    /* inb(0x3fd) without any port open */
	CHILD_STD_UD2,       /* set the direction flag, then ud2 */
};

#define CHILD_SLOT_EP 4
#define CHILD_SLOT_EXTRA 5
#define CHILD_SLOT_RECV 6
#define CHILD_UNMAPPED_VA 0x10000000ULL

int child_main(uint64_t role);
/* Create a child (not started) with an endpoint copy in its slot 4. */
atoll_error_t child_create(process_t *p, unsigned role, unsigned prio, uint64_t fault_ep,
                           uint64_t ep);
/* Stop the child and delete its TCB, CNode and VSpace. */
void child_destroy(process_t *p);

/* Small machine-code routines (asm.c) with labels on the instruction that
 * traps, so fault messages can be checked exactly. */
uint64_t ktest_linux_syscall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                             uint64_t a5, uint64_t a6);
extern const char ktest_linux_syscall_insn[]; /* the syscall instruction (2 bytes) */
uint64_t ktest_read64(uint64_t addr);
extern const char ktest_read64_insn[];
void ktest_write64(uint64_t addr, uint64_t value);
extern const char ktest_write64_insn[];
void ktest_ud2(void);
void ktest_div0(void);
extern const char ktest_div0_insn[]; /* div %ecx (2 bytes) */
void ktest_hlt(void);
void ktest_int80(void);
void ktest_int30(void);
void ktest_int3(void);
extern const char ktest_int3_insn[];
unsigned ktest_inb(unsigned port);
extern const char ktest_inb_insn[];
void ktest_call(uint64_t addr);
void ktest_single_step(void);          /* sets TF with popf, then one nop */
void ktest_single_step_syscall(void);  /* sets TF, then the NULL system call */
void ktest_simd_div0(void);            /* unmasks #Z in MXCSR and divides by zero */
void ktest_x87_div0(void);             /* unmasks #Z in the x87 control word, divides by zero */
void ktest_bad_rsp_push(uint64_t rsp); /* loads rsp, then pushes */
void ktest_std_ud2(void);              /* std, then ud2 */

/* The tests, by area; main.c holds the table. */
/* main.c */
void test_bootinfo_is_sane(void);
void test_vspace_read_write_through_capability(void);
void test_reply_object_serves_one_receiver(void);
void test_fault_foreign_thread_atoll_numbers_are_faults(void);
void test_fault_foreign_thread_fast_path_numbers_are_faults(void);
void test_page_table_capabilities_cannot_be_copied(void);
void test_vspace_read_write_refuse_bad_addresses(void);
void test_vspace_read_write_need_rights(void);
void test_bootinfo_reports_timer_tick(void);
void test_endpoint_retype_and_delete(void);
void test_process_calls_parent(void);
void test_kernel_self_check(void);
/* syscall_tests.c */
void test_syscall_null_returns_ok(void);
void test_syscall_yield_returns_ok(void);
void test_debug_puts_writes_bytes(void);
void test_debug_puts_zero_length_is_ok(void);
void test_debug_puts_null_is_bad_address(void);
void test_debug_puts_kernel_address_is_bad_address(void);
void test_debug_puts_noncanonical_is_bad_address(void);
void test_debug_puts_unmapped_is_bad_address(void);
void test_debug_puts_crossing_into_unmapped_is_bad_address(void);
void test_debug_puts_too_long_is_range(void);
void test_debug_puts_from_device_frame_is_refused(void);
void test_debug_check_is_clean(void);
/* cnode_tests.c */
void test_cnode_copy_makes_working_cap(void);
void test_cnode_copy_to_occupied_slot_fails(void);
void test_cnode_copy_from_empty_slot_fails(void);
void test_cnode_slot_zero_is_never_a_cap(void);
void test_cnode_index_out_of_range(void);
void test_cnode_cptr_zero_or_out_of_range_is_invalid_cap(void);
void test_cnode_wrong_type_arguments(void);
void test_cnode_mint_reduces_rights(void);
void test_cnode_copy_cannot_add_rights(void);
void test_cnode_mint_cannot_rebadge(void);
void test_cnode_without_write_right_refuses(void);
void test_cnode_move_moves_cap(void);
void test_cnode_untyped_moves_but_never_copies(void);
void test_cnode_control_caps_never_copy(void);
void test_cnode_delete_empty_slot_is_ok(void);
void test_cnode_revoke_deletes_derived_copies(void);
void test_cnode_revoke_leaves_parent_and_siblings(void);
void test_cnode_delete_parent_keeps_children(void);
void test_cnode_second_level_cnode(void);
void test_cnode_delete_finalizes_contained_caps(void);
void test_cnode_move_out_of_read_only_cnode_refused(void);
void test_cnode_delete_long_chain_of_cnodes(void);
void test_cnode_bad_label_and_short_message(void);
/* untyped_tests.c */
void test_untyped_retype_every_object_type(void);
void test_untyped_retype_bad_type_is_invalid_arg(void);
void test_untyped_retype_size_bounds(void);
void test_untyped_retype_count_bounds(void);
void test_untyped_retype_destination_errors(void);
void test_untyped_failed_retype_changes_nothing(void);
void test_untyped_fill_then_no_memory(void);
void test_untyped_retype_aligns_objects(void);
void test_untyped_revoke_resets_watermark(void);
void test_untyped_delete_children_resets_watermark(void);
void test_untyped_child_untyped_retypes(void);
void test_untyped_revoke_cancels_blocked_ipc(void);
void test_untyped_revoke_unmaps_its_frames(void);
void test_untyped_revoke_destroys_running_thread(void);
void test_untyped_retype_many_objects_at_once(void);
void test_untyped_revoke_by_thread_made_from_it(void);
void test_untyped_device_makes_only_frames(void);
void test_untyped_bad_label_and_short_message(void);
/* ipc_tests.c, ipc_lifetime_tests.c */
void test_ipc_send_recv_transfers_words_and_label(void);
void test_ipc_nbsend_without_receiver_would_block(void);
void test_ipc_nbrecv_without_sender_would_block(void);
void test_ipc_nbsend_to_waiting_receiver_delivers(void);
void test_ipc_call_reply_roundtrip(void);
void test_ipc_was_call_flag_only_on_call(void);
void test_ipc_reply_recv_server_loop(void);
void test_ipc_fastpath_call_from_lower_priority(void);
void test_ipc_long_message_uses_ipc_buffer(void);
void test_ipc_overlong_length_is_clamped(void);
void test_ipc_badge_identifies_sender(void);
void test_ipc_senders_queue_in_order(void);
void test_ipc_receivers_served_in_order(void);
void test_ipc_call_to_receiver_without_reply_object(void);
void test_ipc_sender_cannot_forge_flags(void);
void test_ipc_fast_and_slow_paths_deliver_same_info(void);
void test_ipc_send_needs_write_recv_needs_read(void);
void test_ipc_wrong_object_types(void);
void test_ipc_recv_with_bad_reply_cap(void);
void test_ipc_reply_without_caller_is_no_reply(void);
void test_ipc_reply_with_bad_cap(void);
void test_ipc_reply_to_dead_caller_is_no_reply(void);
void test_ipc_recv_on_deleted_endpoint_is_cancelled(void);
void test_ipc_send_on_deleted_endpoint_is_cancelled(void);
void test_ipc_call_to_deleted_endpoint_is_cancelled(void);
void test_ipc_caller_cancelled_when_reply_deleted(void);
void test_ipc_endpoint_lives_while_a_copy_remains(void);
void test_ipc_two_callers_two_reply_objects(void);
void test_ipc_reply_to_equal_priority_caller_replier_goes_on(void);
void test_ipc_rebinding_reply_object_releases_old_caller(void);
/* capxfer_tests.c */
void test_ipc_cap_transfer_with_grant(void);
void test_ipc_cap_transfer_without_grant_drops_caps(void);
void test_ipc_cap_transfer_three_caps(void);
void test_ipc_cap_transfer_refused_by_receiver(void);
void test_ipc_cap_transfer_into_occupied_slot_stops(void);
void test_ipc_cap_transfer_needs_write_on_receiver_cnode(void);
void test_ipc_cap_transfer_of_untyped_refused(void);
void test_ipc_reply_carries_caps_to_accepting_caller(void);
void test_ipc_cap_transfer_to_child_process(void);
/* notification_tests.c */
void test_notification_signal_then_poll(void);
void test_notification_poll_empty_would_block(void);
void test_notification_badges_or_together(void);
void test_notification_wait_blocks_until_signal(void);
void test_notification_needs_rights(void);
void test_notification_unbadged_signal_is_not_lost(void);
void test_notification_nbsend_signals(void);
void test_notification_bound_ends_endpoint_recv(void);
void test_notification_bound_pending_bits_return_at_once(void);
void test_notification_bind_twice_is_busy(void);
void test_notification_unbind_stops_wakeups(void);
void test_notification_bind_wrong_type_or_rights(void);
void test_notification_delete_cancels_waiter(void);
void test_notification_bound_tcb_deleted(void);
void test_notification_delete_unbinds_tcb(void);
/* tcb_tests.c */
void test_tcb_configure_rejects_bad_caps(void);
void test_tcb_configure_ipc_buffer_checks(void);
void test_tcb_resume_unconfigured_is_invalid_arg(void);
void test_tcb_priority_bounded_by_mcp(void);
void test_tcb_priority_authority_must_be_tcb(void);
void test_tcb_write_read_registers_roundtrip(void);
void test_tcb_write_registers_sanitises_rflags(void);
void test_tcb_write_registers_rejects_bad_addresses(void);
void test_tcb_write_registers_on_self_is_illegal(void);
void test_tcb_registers_need_rights(void);
void test_tcb_suspend_and_resume(void);
void test_tcb_suspend_leaves_endpoint_queue(void);
void test_tcb_resume_after_suspended_recv(void);
void test_tcb_resume_after_suspended_call(void);
void test_tcb_delete_stops_running_thread(void);
void test_tcb_delete_self(void);
void test_tcb_fs_and_gs_base_follow_the_thread(void);
void test_tcb_bad_label_and_short_messages(void);
void test_tcb_set_fault_endpoint_checks_type(void);
/* vspace_tests.c, asid_tests.c */
void test_frame_map_write_read_unmap(void);
void test_frame_map_twice_is_already_mapped(void);
void test_frame_remap_same_address_changes_rights(void);
void test_frame_map_without_table_is_not_mapped(void);
void test_frame_map_misaligned_is_alignment(void);
void test_frame_map_bad_addresses(void);
void test_frame_map_null_is_bad_address(void);
void test_frame_map_writable_from_read_only_cap_fails(void);
void test_frame_map_exec_needs_exec_right(void);
void test_frame_map_needs_read_right(void);
void test_frame_copy_shares_memory(void);
void test_frame_delete_unmaps(void);
void test_frame_get_address(void);
void test_frame_bad_label_and_arguments(void);
void test_large_frame_map_and_use(void);
void test_page_table_map_errors(void);
void test_page_table_unmap_removes_mappings(void);
void test_vspace_and_reply_refuse_foreign_invocations(void);
void test_vspace_separate_address_spaces(void);
void test_frame_nx_blocks_execution(void);
void test_vspace_delete_leaves_frames_usable(void);
void test_vspace_stale_asid_frame_cannot_replace_mapping(void);
void test_ioport_stale_asid_cannot_close_other_space(void);
/* fault_syscall_tests.c, fault_tests.c */
void test_fault_unknown_syscall_is_emulated(void);
void test_fault_unknown_syscall_message_has_all_registers(void);
void test_fault_unknown_syscall_numbers(void);
void test_fault_unknown_syscall_fastpath_loop(void);
void test_fault_unknown_syscall_from_child_process(void);
void test_fault_reply_sets_registers(void);
void test_fault_reply_with_kernel_rip_is_refused(void);
void test_fault_page_fault_resolved_by_mapping(void);
void test_fault_page_fault_write_to_read_only(void);
void test_fault_page_fault_in_child_resolved_by_parent(void);
void test_fault_null_rip_is_page_fault(void);
void test_fault_divide_error_skipped(void);
void test_fault_invalid_opcode(void);
void test_fault_general_protection_hlt(void);
void test_fault_general_protection_int80(void);
void test_fault_int_to_device_vector_is_gp(void);
void test_fault_breakpoint_int3(void);
void test_fault_single_step_trap(void);
void test_fault_simd_exception(void);
void test_fault_x87_exception(void);
void test_fault_noncanonical_rsp_is_stack_fault(void);
void test_fault_reply_stop_leaves_thread_suspended(void);
void test_fault_without_handler_suspends_thread(void);
void test_fault_message_carries_endpoint_badge(void);
void test_fault_handler_deleted_suspends_thread(void);
void test_fault_handler_without_reply_object_stops_thread(void);
void test_fault_set_fault_endpoint_redirects(void);
/* sched_tests.c */
void test_sched_wakeup_of_higher_priority_preempts(void);
void test_sched_lower_priority_never_runs_while_higher_runnable(void);
void test_sched_equal_priorities_share_cpu(void);
void test_sched_timer_preempts_equal_priority_spinner(void);
void test_sched_yield_round_robin(void);
void test_sched_lowering_own_priority_runs_higher_thread(void);
void test_sched_raising_other_priority_preempts(void);
/* ioport_tests.c */
void test_ioport_open_and_inb(void);
void test_ioport_issue_errors(void);
void test_ioport_issue_into_read_only_cnode_refused(void);
void test_ioport_open_twice(void);
void test_ioport_not_opened_faults_with_gp(void);
void test_ioport_delete_closes_range(void);
void test_ioport_copy_opens_in_child(void);
void test_ioport_child_without_ports_faults(void);
/* ioport_switch_tests.c */
void test_ioport_space_without_ports_faults_after_one_with_ports(void);
void test_ioport_spaces_with_different_ports_alternate(void);
void test_ioport_delete_while_in_tss_closes_range(void);
void test_ioport_revoke_while_in_tss_closes_range(void);
void test_ioport_vspace_in_dead_owners_memory_gets_only_its_ports(void);
/* irq_tests.c */
void test_irq_issue_ioapic_and_busy(void);
void test_irq_issue_gsi_out_of_range(void);
void test_irq_issue_msi_returns_address(void);
void test_irq_issue_into_read_only_cnode_refused(void);
void test_irq_msi_vectors_run_out_with_busy(void);
void test_irq_set_notification_and_ack_checks(void);
void test_irq_uart_interrupt_signals_notification(void);
void test_irq_edge_pin_delivers_without_ack(void);
void test_irq_level_pin_masked_until_ack(void);
void test_irq_wakes_higher_priority_thread_at_once(void);
/* hazard_tests.c: tests that may take the kernel down; they run last */
void test_vspace_revoke_stops_thread_using_it(void);
void test_fault_single_step_over_syscall(void);
void test_fault_with_direction_flag_set_keeps_kernel_intact(void);

#endif
