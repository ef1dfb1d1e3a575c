#include "ktest.h"

const atoll_bootinfo_t *bi;
int ktest_failed_now;
const char *ktest_name;

void test_bootinfo_is_sane(void)
{
	KCHECK_EQ(bi->magic, ATOLL_BOOTINFO_MAGIC);
	KCHECK(bi->untyped_count > 0);
	KCHECK(bi->first_free_slot > bi->untyped_first);
	KCHECK(bi->first_free_slot <= (1ULL << bi->cnode_radix));
	KCHECK(bi->tsc_hz > 0);
	KCHECK(bi->module_count >= 1);
	KCHECK(bi->modules[0].size > 0);
	KCHECK_EQ(memcmp((const void *)bi->modules[0].vaddr, "\177ELF", 4), 0);
	for (uint64_t i = 0; i < bi->untyped_count; i++) {
		KCHECK(bi->untyped[i].size_bits >= ATOLL_UNTYPED_MIN_BITS);
		KCHECK(bi->untyped[i].size_bits <= ATOLL_UNTYPED_MAX_BITS);
		KCHECK_EQ(bi->untyped[i].paddr & ((1ULL << bi->untyped[i].size_bits) - 1), 0);
	}
}

/* bootinfo.h promises the scheduling timer's period. */
void test_bootinfo_reports_timer_tick(void)
{
	KCHECK(bi->timer_tick_ns > 0);
	KCHECK(bi->timer_tick_ns <= 1000000000ULL);
}

void test_endpoint_retype_and_delete(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	KCHECK_EQ(cnode_delete(ATOLL_SLOT_CNODE, ep), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_INVALID_CAP);
	release(ep);
}

void test_process_calls_parent(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t p;
	KCHECK_EQ(child_create(&p, CHILD_ECHO, HELPER_PRIO, 0, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(p.tcb), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0x1234);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	m.w[0] = 0x5678;
	m.info = atoll_msginfo(0, 0, 1);
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	child_destroy(&p);
	release(reply);
	release(ep);
}

void test_kernel_self_check(void)
{
	KCHECK_EQ(atoll_debug_check(), 0);
}

static const ktest_t tests[] = {
	{"bootinfo_is_sane", test_bootinfo_is_sane},
	{"bootinfo_reports_timer_tick", test_bootinfo_reports_timer_tick},
	{"endpoint_retype_and_delete", test_endpoint_retype_and_delete},
	{"process_calls_parent", test_process_calls_parent},

	/* System calls other than IPC. */
	{"syscall_null_returns_ok", test_syscall_null_returns_ok},
	{"syscall_yield_returns_ok", test_syscall_yield_returns_ok},
	{"debug_puts_writes_bytes", test_debug_puts_writes_bytes},
	{"debug_puts_zero_length_is_ok", test_debug_puts_zero_length_is_ok},
	{"debug_puts_null_is_bad_address", test_debug_puts_null_is_bad_address},
	{"debug_puts_kernel_address_is_bad_address", test_debug_puts_kernel_address_is_bad_address},
	{"debug_puts_noncanonical_is_bad_address", test_debug_puts_noncanonical_is_bad_address},
	{"debug_puts_unmapped_is_bad_address", test_debug_puts_unmapped_is_bad_address},
	{"debug_puts_crossing_into_unmapped_is_bad_address",
         test_debug_puts_crossing_into_unmapped_is_bad_address},
	{"debug_puts_too_long_is_range", test_debug_puts_too_long_is_range},
	{"debug_puts_from_device_frame_is_refused", test_debug_puts_from_device_frame_is_refused},
	{"debug_check_is_clean", test_debug_check_is_clean},

	/* CNodes. */
	{"cnode_copy_makes_working_cap", test_cnode_copy_makes_working_cap},
	{"cnode_copy_to_occupied_slot_fails", test_cnode_copy_to_occupied_slot_fails},
	{"cnode_copy_from_empty_slot_fails", test_cnode_copy_from_empty_slot_fails},
	{"cnode_slot_zero_is_never_a_cap", test_cnode_slot_zero_is_never_a_cap},
	{"cnode_index_out_of_range", test_cnode_index_out_of_range},
	{"cnode_cptr_zero_or_out_of_range_is_invalid_cap",
         test_cnode_cptr_zero_or_out_of_range_is_invalid_cap},
	{"cnode_wrong_type_arguments", test_cnode_wrong_type_arguments},
	{"cnode_mint_reduces_rights", test_cnode_mint_reduces_rights},
	{"cnode_copy_cannot_add_rights", test_cnode_copy_cannot_add_rights},
	{"cnode_mint_cannot_rebadge", test_cnode_mint_cannot_rebadge},
	{"cnode_without_write_right_refuses", test_cnode_without_write_right_refuses},
	{"cnode_move_moves_cap", test_cnode_move_moves_cap},
	{"cnode_untyped_moves_but_never_copies", test_cnode_untyped_moves_but_never_copies},
	{"cnode_control_caps_never_copy", test_cnode_control_caps_never_copy},
	{"cnode_delete_empty_slot_is_ok", test_cnode_delete_empty_slot_is_ok},
	{"cnode_revoke_deletes_derived_copies", test_cnode_revoke_deletes_derived_copies},
	{"cnode_revoke_leaves_parent_and_siblings", test_cnode_revoke_leaves_parent_and_siblings},
	{"cnode_delete_parent_keeps_children", test_cnode_delete_parent_keeps_children},
	{"cnode_second_level_cnode", test_cnode_second_level_cnode},
	{"cnode_delete_finalizes_contained_caps", test_cnode_delete_finalizes_contained_caps},
	{"cnode_move_out_of_read_only_cnode_refused",
         test_cnode_move_out_of_read_only_cnode_refused},
	{"cnode_delete_long_chain_of_cnodes", test_cnode_delete_long_chain_of_cnodes},
	{"cnode_bad_label_and_short_message", test_cnode_bad_label_and_short_message},

	/* Untyped memory. */
	{"untyped_retype_every_object_type", test_untyped_retype_every_object_type},
	{"untyped_retype_bad_type_is_invalid_arg", test_untyped_retype_bad_type_is_invalid_arg},
	{"untyped_retype_size_bounds", test_untyped_retype_size_bounds},
	{"untyped_retype_count_bounds", test_untyped_retype_count_bounds},
	{"untyped_retype_destination_errors", test_untyped_retype_destination_errors},
	{"untyped_failed_retype_changes_nothing", test_untyped_failed_retype_changes_nothing},
	{"untyped_fill_then_no_memory", test_untyped_fill_then_no_memory},
	{"untyped_retype_aligns_objects", test_untyped_retype_aligns_objects},
	{"untyped_revoke_resets_watermark", test_untyped_revoke_resets_watermark},
	{"untyped_delete_children_resets_watermark", test_untyped_delete_children_resets_watermark},
	{"untyped_child_untyped_retypes", test_untyped_child_untyped_retypes},
	{"untyped_revoke_cancels_blocked_ipc", test_untyped_revoke_cancels_blocked_ipc},
	{"untyped_revoke_unmaps_its_frames", test_untyped_revoke_unmaps_its_frames},
	{"untyped_revoke_destroys_running_thread", test_untyped_revoke_destroys_running_thread},
	{"untyped_retype_many_objects_at_once", test_untyped_retype_many_objects_at_once},
	{"untyped_revoke_by_thread_made_from_it", test_untyped_revoke_by_thread_made_from_it},
	{"untyped_device_makes_only_frames", test_untyped_device_makes_only_frames},
	{"untyped_bad_label_and_short_message", test_untyped_bad_label_and_short_message},

	/* Endpoints, calls and replies. */
	{"ipc_send_recv_transfers_words_and_label", test_ipc_send_recv_transfers_words_and_label},
	{"ipc_nbsend_without_receiver_would_block", test_ipc_nbsend_without_receiver_would_block},
	{"ipc_nbrecv_without_sender_would_block", test_ipc_nbrecv_without_sender_would_block},
	{"ipc_nbsend_to_waiting_receiver_delivers", test_ipc_nbsend_to_waiting_receiver_delivers},
	{"ipc_call_reply_roundtrip", test_ipc_call_reply_roundtrip},
	{"ipc_was_call_flag_only_on_call", test_ipc_was_call_flag_only_on_call},
	{"ipc_reply_recv_server_loop", test_ipc_reply_recv_server_loop},
	{"ipc_fastpath_call_from_lower_priority", test_ipc_fastpath_call_from_lower_priority},
	{"ipc_long_message_uses_ipc_buffer", test_ipc_long_message_uses_ipc_buffer},
	{"ipc_overlong_length_is_clamped", test_ipc_overlong_length_is_clamped},
	{"ipc_badge_identifies_sender", test_ipc_badge_identifies_sender},
	{"ipc_senders_queue_in_order", test_ipc_senders_queue_in_order},
	{"ipc_receivers_served_in_order", test_ipc_receivers_served_in_order},
	{"ipc_call_to_receiver_without_reply_object",
         test_ipc_call_to_receiver_without_reply_object},
	{"ipc_sender_cannot_forge_flags", test_ipc_sender_cannot_forge_flags},
	{"ipc_fast_and_slow_paths_deliver_same_info",
         test_ipc_fast_and_slow_paths_deliver_same_info},
	{"ipc_send_needs_write_recv_needs_read", test_ipc_send_needs_write_recv_needs_read},
	{"ipc_wrong_object_types", test_ipc_wrong_object_types},
	{"ipc_recv_with_bad_reply_cap", test_ipc_recv_with_bad_reply_cap},
	{"ipc_reply_without_caller_is_no_reply", test_ipc_reply_without_caller_is_no_reply},
	{"ipc_reply_with_bad_cap", test_ipc_reply_with_bad_cap},
	{"ipc_reply_to_dead_caller_is_no_reply", test_ipc_reply_to_dead_caller_is_no_reply},
	{"ipc_recv_on_deleted_endpoint_is_cancelled",
         test_ipc_recv_on_deleted_endpoint_is_cancelled},
	{"ipc_send_on_deleted_endpoint_is_cancelled",
         test_ipc_send_on_deleted_endpoint_is_cancelled},
	{"ipc_call_to_deleted_endpoint_is_cancelled",
         test_ipc_call_to_deleted_endpoint_is_cancelled},
	{"ipc_caller_cancelled_when_reply_deleted", test_ipc_caller_cancelled_when_reply_deleted},
	{"ipc_endpoint_lives_while_a_copy_remains", test_ipc_endpoint_lives_while_a_copy_remains},
	{"ipc_two_callers_two_reply_objects", test_ipc_two_callers_two_reply_objects},
	{"ipc_reply_to_equal_priority_caller_replier_goes_on",
         test_ipc_reply_to_equal_priority_caller_replier_goes_on},
	{"ipc_rebinding_reply_object_releases_old_caller",
         test_ipc_rebinding_reply_object_releases_old_caller},

	/* Capability transfer. */
	{"ipc_cap_transfer_with_grant", test_ipc_cap_transfer_with_grant},
	{"ipc_cap_transfer_without_grant_drops_caps",
         test_ipc_cap_transfer_without_grant_drops_caps},
	{"ipc_cap_transfer_three_caps", test_ipc_cap_transfer_three_caps},
	{"ipc_cap_transfer_refused_by_receiver", test_ipc_cap_transfer_refused_by_receiver},
	{"ipc_cap_transfer_into_occupied_slot_stops",
         test_ipc_cap_transfer_into_occupied_slot_stops},
	{"ipc_cap_transfer_needs_write_on_receiver_cnode",
         test_ipc_cap_transfer_needs_write_on_receiver_cnode},
	{"ipc_cap_transfer_of_untyped_refused", test_ipc_cap_transfer_of_untyped_refused},
	{"ipc_reply_carries_caps_to_accepting_caller",
         test_ipc_reply_carries_caps_to_accepting_caller},
	{"ipc_cap_transfer_to_child_process", test_ipc_cap_transfer_to_child_process},

	/* Notifications. */
	{"notification_signal_then_poll", test_notification_signal_then_poll},
	{"notification_poll_empty_would_block", test_notification_poll_empty_would_block},
	{"notification_badges_or_together", test_notification_badges_or_together},
	{"notification_wait_blocks_until_signal", test_notification_wait_blocks_until_signal},
	{"notification_needs_rights", test_notification_needs_rights},
	{"notification_unbadged_signal_is_not_lost", test_notification_unbadged_signal_is_not_lost},
	{"notification_nbsend_signals", test_notification_nbsend_signals},
	{"notification_bound_ends_endpoint_recv", test_notification_bound_ends_endpoint_recv},
	{"notification_bound_pending_bits_return_at_once",
         test_notification_bound_pending_bits_return_at_once},
	{"notification_bind_twice_is_busy", test_notification_bind_twice_is_busy},
	{"notification_unbind_stops_wakeups", test_notification_unbind_stops_wakeups},
	{"notification_bind_wrong_type_or_rights", test_notification_bind_wrong_type_or_rights},
	{"notification_delete_cancels_waiter", test_notification_delete_cancels_waiter},
	{"notification_bound_tcb_deleted", test_notification_bound_tcb_deleted},
	{"notification_delete_unbinds_tcb", test_notification_delete_unbinds_tcb},

	/* Threads. */
	{"tcb_configure_rejects_bad_caps", test_tcb_configure_rejects_bad_caps},
	{"tcb_configure_ipc_buffer_checks", test_tcb_configure_ipc_buffer_checks},
	{"tcb_resume_unconfigured_is_invalid_arg", test_tcb_resume_unconfigured_is_invalid_arg},
	{"tcb_priority_bounded_by_mcp", test_tcb_priority_bounded_by_mcp},
	{"tcb_priority_authority_must_be_tcb", test_tcb_priority_authority_must_be_tcb},
	{"tcb_write_read_registers_roundtrip", test_tcb_write_read_registers_roundtrip},
	{"tcb_write_registers_sanitises_rflags", test_tcb_write_registers_sanitises_rflags},
	{"tcb_write_registers_rejects_bad_addresses",
         test_tcb_write_registers_rejects_bad_addresses},
	{"tcb_write_registers_on_self_is_illegal", test_tcb_write_registers_on_self_is_illegal},
	{"tcb_registers_need_rights", test_tcb_registers_need_rights},
	{"tcb_suspend_and_resume", test_tcb_suspend_and_resume},
	{"tcb_suspend_leaves_endpoint_queue", test_tcb_suspend_leaves_endpoint_queue},
	{"tcb_resume_after_suspended_recv", test_tcb_resume_after_suspended_recv},
	{"tcb_resume_after_suspended_call", test_tcb_resume_after_suspended_call},
	{"tcb_delete_stops_running_thread", test_tcb_delete_stops_running_thread},
	{"tcb_delete_self", test_tcb_delete_self},
	{"tcb_fs_and_gs_base_follow_the_thread", test_tcb_fs_and_gs_base_follow_the_thread},
	{"tcb_bad_label_and_short_messages", test_tcb_bad_label_and_short_messages},
	{"tcb_set_fault_endpoint_checks_type", test_tcb_set_fault_endpoint_checks_type},

	/* Frames, page tables, address spaces. */
	{"frame_map_write_read_unmap", test_frame_map_write_read_unmap},
	{"frame_map_twice_is_already_mapped", test_frame_map_twice_is_already_mapped},
	{"frame_remap_same_address_changes_rights", test_frame_remap_same_address_changes_rights},
	{"frame_map_without_table_is_not_mapped", test_frame_map_without_table_is_not_mapped},
	{"frame_map_misaligned_is_alignment", test_frame_map_misaligned_is_alignment},
	{"frame_map_bad_addresses", test_frame_map_bad_addresses},
	{"frame_map_null_is_bad_address", test_frame_map_null_is_bad_address},
	{"frame_map_writable_from_read_only_cap_fails",
         test_frame_map_writable_from_read_only_cap_fails},
	{"frame_map_exec_needs_exec_right", test_frame_map_exec_needs_exec_right},
	{"frame_map_needs_read_right", test_frame_map_needs_read_right},
	{"frame_copy_shares_memory", test_frame_copy_shares_memory},
	{"frame_delete_unmaps", test_frame_delete_unmaps},
	{"frame_get_address", test_frame_get_address},
	{"frame_bad_label_and_arguments", test_frame_bad_label_and_arguments},
	{"large_frame_map_and_use", test_large_frame_map_and_use},
	{"page_table_map_errors", test_page_table_map_errors},
	{"page_table_unmap_removes_mappings", test_page_table_unmap_removes_mappings},
	{"vspace_and_reply_refuse_foreign_invocations",
         test_vspace_and_reply_refuse_foreign_invocations},
	{"vspace_read_write_through_capability", test_vspace_read_write_through_capability},
	{"reply_object_serves_one_receiver", test_reply_object_serves_one_receiver},
	{"fault_foreign_thread_atoll_numbers_are_faults",
         test_fault_foreign_thread_atoll_numbers_are_faults},
	{"fault_foreign_thread_fast_path_numbers_are_faults",
         test_fault_foreign_thread_fast_path_numbers_are_faults},
	{"page_table_capabilities_cannot_be_copied", test_page_table_capabilities_cannot_be_copied},
	{"vspace_read_write_refuse_bad_addresses", test_vspace_read_write_refuse_bad_addresses},
	{"vspace_read_write_need_rights", test_vspace_read_write_need_rights},
	{"vspace_separate_address_spaces", test_vspace_separate_address_spaces},
	{"frame_nx_blocks_execution", test_frame_nx_blocks_execution},
	{"vspace_delete_leaves_frames_usable", test_vspace_delete_leaves_frames_usable},
	{"vspace_stale_asid_frame_cannot_replace_mapping",
         test_vspace_stale_asid_frame_cannot_replace_mapping},

	/* Faults as messages. */
	{"fault_unknown_syscall_is_emulated", test_fault_unknown_syscall_is_emulated},
	{"fault_unknown_syscall_message_has_all_registers",
         test_fault_unknown_syscall_message_has_all_registers},
	{"fault_unknown_syscall_numbers", test_fault_unknown_syscall_numbers},
	{"fault_unknown_syscall_fastpath_loop", test_fault_unknown_syscall_fastpath_loop},
	{"fault_unknown_syscall_from_child_process", test_fault_unknown_syscall_from_child_process},
	{"fault_reply_sets_registers", test_fault_reply_sets_registers},
	{"fault_reply_with_kernel_rip_is_refused", test_fault_reply_with_kernel_rip_is_refused},
	{"fault_page_fault_resolved_by_mapping", test_fault_page_fault_resolved_by_mapping},
	{"fault_page_fault_write_to_read_only", test_fault_page_fault_write_to_read_only},
	{"fault_page_fault_in_child_resolved_by_parent",
         test_fault_page_fault_in_child_resolved_by_parent},
	{"fault_null_rip_is_page_fault", test_fault_null_rip_is_page_fault},
	{"fault_divide_error_skipped", test_fault_divide_error_skipped},
	{"fault_invalid_opcode", test_fault_invalid_opcode},
	{"fault_general_protection_hlt", test_fault_general_protection_hlt},
	{"fault_general_protection_int80", test_fault_general_protection_int80},
	{"fault_int_to_device_vector_is_gp", test_fault_int_to_device_vector_is_gp},
	{"fault_breakpoint_int3", test_fault_breakpoint_int3},
	{"fault_single_step_trap", test_fault_single_step_trap},
	{"fault_simd_exception", test_fault_simd_exception},
	{"fault_x87_exception", test_fault_x87_exception},
	{"fault_noncanonical_rsp_is_stack_fault", test_fault_noncanonical_rsp_is_stack_fault},
	{"fault_reply_stop_leaves_thread_suspended", test_fault_reply_stop_leaves_thread_suspended},
	{"fault_without_handler_suspends_thread", test_fault_without_handler_suspends_thread},
	{"fault_message_carries_endpoint_badge", test_fault_message_carries_endpoint_badge},
	{"fault_handler_deleted_suspends_thread", test_fault_handler_deleted_suspends_thread},
	{"fault_handler_without_reply_object_stops_thread",
         test_fault_handler_without_reply_object_stops_thread},
	{"fault_set_fault_endpoint_redirects", test_fault_set_fault_endpoint_redirects},

	/* Scheduling. */
	{"sched_wakeup_of_higher_priority_preempts", test_sched_wakeup_of_higher_priority_preempts},
	{"sched_lower_priority_never_runs_while_higher_runnable",
         test_sched_lower_priority_never_runs_while_higher_runnable},
	{"sched_equal_priorities_share_cpu", test_sched_equal_priorities_share_cpu},
	{"sched_timer_preempts_equal_priority_spinner",
         test_sched_timer_preempts_equal_priority_spinner},
	{"sched_yield_round_robin", test_sched_yield_round_robin},
	{"sched_lowering_own_priority_runs_higher_thread",
         test_sched_lowering_own_priority_runs_higher_thread},
	{"sched_raising_other_priority_preempts", test_sched_raising_other_priority_preempts},

	/* I/O ports. */
	{"ioport_open_and_inb", test_ioport_open_and_inb},
	{"ioport_issue_errors", test_ioport_issue_errors},
	{"ioport_issue_into_read_only_cnode_refused",
         test_ioport_issue_into_read_only_cnode_refused},
	{"ioport_open_twice", test_ioport_open_twice},
	{"ioport_not_opened_faults_with_gp", test_ioport_not_opened_faults_with_gp},
	{"ioport_delete_closes_range", test_ioport_delete_closes_range},
	{"ioport_copy_opens_in_child", test_ioport_copy_opens_in_child},
	{"ioport_child_without_ports_faults", test_ioport_child_without_ports_faults},
	{"ioport_space_without_ports_faults_after_one_with_ports",
         test_ioport_space_without_ports_faults_after_one_with_ports},
	{"ioport_spaces_with_different_ports_alternate",
         test_ioport_spaces_with_different_ports_alternate},
	{"ioport_delete_while_in_tss_closes_range", test_ioport_delete_while_in_tss_closes_range},
	{"ioport_revoke_while_in_tss_closes_range", test_ioport_revoke_while_in_tss_closes_range},
	{"ioport_vspace_in_dead_owners_memory_gets_only_its_ports",
         test_ioport_vspace_in_dead_owners_memory_gets_only_its_ports},
	{"ioport_stale_asid_cannot_close_other_space",
         test_ioport_stale_asid_cannot_close_other_space},

	/* Interrupts. */
	{"irq_issue_ioapic_and_busy", test_irq_issue_ioapic_and_busy},
	{"irq_issue_gsi_out_of_range", test_irq_issue_gsi_out_of_range},
	{"irq_issue_msi_returns_address", test_irq_issue_msi_returns_address},
	{"irq_issue_into_read_only_cnode_refused", test_irq_issue_into_read_only_cnode_refused},
	{"irq_msi_vectors_run_out_with_busy", test_irq_msi_vectors_run_out_with_busy},
	{"irq_set_notification_and_ack_checks", test_irq_set_notification_and_ack_checks},
	{"irq_uart_interrupt_signals_notification", test_irq_uart_interrupt_signals_notification},
	{"irq_edge_pin_delivers_without_ack", test_irq_edge_pin_delivers_without_ack},
	{"irq_level_pin_masked_until_ack", test_irq_level_pin_masked_until_ack},
	{"irq_wakes_higher_priority_thread_at_once", test_irq_wakes_higher_priority_thread_at_once},

	/* Last: these may take the kernel down when they find a bug. */
	{"vspace_revoke_stops_thread_using_it", test_vspace_revoke_stops_thread_using_it},
	{"fault_single_step_over_syscall", test_fault_single_step_over_syscall},
	{"fault_with_direction_flag_set_keeps_kernel_intact",
         test_fault_with_direction_flag_set_keeps_kernel_intact},

	{"kernel_self_check", test_kernel_self_check},
};

/* Tests that take longer are named in the log (the boot has 60 s in all). */
#define SLOW_TEST_MS 300

static void debug_exit(unsigned code)
{
	uint64_t port = slot_get();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
}

/*
 * "only=NAME" on the module's command line runs that one test, e.g.
 *   tools/qemu-run build/atoll.elf "build/ktest.elf only=fault_breakpoint_int3"
 */
static int selected(const char *name)
{
	const char *cmd = bi->modules[0].cmdline;
	size_t len = strlen(name);
	for (const char *p = cmd; *p; p++) {
		if (strncmp(p, "only=", 5))
			continue;
		p += 5;
		return !strncmp(p, name, len) && (p[len] == 0 || p[len] == ' ');
	}
	return 1;
}

/* Leave the root as every test expects to find it. */
static void reset_root(void)
{
	root_set_priority(ROOT_PRIO);
	root_refuse_caps();
	tcb_unbind_notification(ATOLL_SLOT_TCB);
}

int atoll_main(void *arg)
{
	if ((uint64_t)arg < 4096)
		return child_main((uint64_t)arg);
	bi = arg;
	alloc_init(bi);
	printf("ktest: %lu untyped, %lu modules, %zu tests\n", bi->untyped_count, bi->module_count,
	       sizeof(tests) / sizeof(tests[0]));
	unsigned failed = 0;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!selected(tests[i].name))
			continue;
		ktest_name = tests[i].name;
		ktest_failed_now = 0;
		reset_root();
		uint64_t t0 = rdtsc();
		tests[i].fn();
		uint64_t ms = (rdtsc() - t0) / (bi->tsc_hz / 1000);
		reset_root();
		/* A test that broke a kernel invariant fails even if it saw nothing. */
		uint64_t broken = atoll_debug_check();
		if (broken && !ktest_failed_now) {
			printf("FAIL %s: %lu kernel invariants broken afterwards\n", ktest_name,
			       broken);
			ktest_failed_now = 1;
		}
		if (ktest_failed_now)
			failed++;
		else
			printf("PASS %s\n", tests[i].name);
		if (ms >= SLOW_TEST_MS)
			printf("ktest: %s took %lu ms\n", tests[i].name, ms);
	}
	printf("ktest: done, %u failed\n", failed);
	debug_exit(failed ? 1 : 0);
	return 0;
}
