#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>

#include "probe.h"

static void spawn_wait_reports_exit_status(void)
{
	const char *argv[] = {"exit7", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("spawn_wait_reports_exit_status", !err && got == pid && status == 7,
	             "spawned child did not report status 7");
}

static void spawn_passes_the_environment(void)
{
	const char *argv[] = {"env", NULL};
	const char *envp[] = {"HOME=/", "PROBE=42", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn_env(SELF, argv, envp, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("spawn_passes_the_environment", !err && status == 42,
	             "the child did not find PROBE=42 in its environment");
	const char *empty[] = {"", NULL};
	probe_result("spawn_refuses_empty_strings",
	             proc_spawn_env(SELF, argv, empty, &pid) == ATOLL_E_RANGE, "expected RANGE");
}

static void spawn_of_missing_file_fails(void)
{
	const char *argv[] = {NULL};
	uint64_t pid;
	probe_result("spawn_of_missing_file_fails",
	             proc_spawn("/boot/no-such-file", argv, &pid) == ATOLL_E_NOT_FOUND,
	             "expected NOT_FOUND");
}

static void kill_ends_a_spinning_child(void)
{
	const char *argv[] = {"spin", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_kill(pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("kill_ends_a_spinning_child", !err && status == -9, "kill or wait failed");
}

static void wild_pointer_kills_only_the_child(void)
{
	const char *argv[] = {"wild", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("wild_pointer_kills_only_the_child", !err && status == -9,
	             "the child was not killed");
}

static void heap_pages_in_on_demand(void)
{
	const char *argv[] = {"heap", NULL};
	uint64_t pid, got;
	int64_t status = 1;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("heap_pages_in_on_demand", !err && status == 0, "heap child failed");
}

static void wait_without_children_fails(void)
{
	uint64_t got;
	int64_t status;
	probe_result("wait_without_children_fails",
	             proc_wait(0, &got, &status) == ATOLL_E_NOT_FOUND, "expected NOT_FOUND");
}

static void spawn_exit_cycles_leave_memory_unchanged(void)
{
	uint64_t free0, used, total, free1;
	proc_meminfo(&free0, &used, &total);
	const char *argv[] = {"exit7", NULL};
	unsigned cycles = 0;
	for (; cycles < SPAWN_CYCLES; cycles++) {
		uint64_t pid, got;
		int64_t status;
		if (proc_spawn(SELF, argv, &pid) || proc_wait(pid, &got, &status) || status != 7)
			break;
	}
	proc_meminfo(&free1, &used, &total);
	char detail[96];
	snprintf(detail, sizeof(detail), "%u cycles, free %lu -> %lu", cycles, free0, free1);
	probe_result("spawn_exit_cycles_leave_memory_unchanged",
	             cycles == SPAWN_CYCLES && free0 == free1, detail);
	printf("procprobe: %s\n", detail);
}

static void hostile_requests_get_errors(void)
{
	/* Every label with random words and lengths: proc must answer each. */
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned answered = 0, n = 2000;
	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t label = x % (PROC_END_THREAD + 2);
		if (label == PROC_EXIT || label == PROC_HALT || label == PROC_REBOOT ||
		    label == PROC_KILL || label == PROC_RESTART || label == PROC_WAIT ||
		    label == PROC_SPAWN)
			continue; /* those would end the test itself, or run real programs */
		atoll_msg_t m = {.info = atoll_msginfo(label, (x >> 8) & 3, (x >> 16) % 128)};
		for (unsigned w = 0; w < 8; w++)
			m.w[w] = x * (w + 1);
		if (atoll_call(PROC_SLOT_PROC, &m) == ATOLL_E_OK)
			answered++;
	}
	probe_result("hostile_requests_get_errors", answered > 0, "proc stopped answering");
	uint64_t f, u, t;
	probe_result("proc_alive_after_hostile_requests", proc_meminfo(&f, &u, &t) == ATOLL_E_OK,
	             "proc does not answer");
}

/* Threads are made and ended only in processes the caller manages: the
 * answer's label is the error. */
static atoll_error_t thread_request(uint64_t label, unsigned words, uint64_t w1)
{
	atoll_msg_t m = {.info = atoll_msginfo(label, 0, words), .w = {1, w1}};
	if (atoll_call(PROC_SLOT_PROC, &m) != ATOLL_E_OK)
		return ATOLL_E_OK; /* not answered: counts as a failure below */
	return (atoll_error_t)atoll_msginfo_label(m.info);
}

static void threads_only_in_managed_processes(void)
{
	/* pid 1 is a service, managed by nobody. */
	bool refused =
		thread_request(PROC_THREAD_MANAGED, 1 + ATOLL_REG_COUNT, 0) == ATOLL_E_NOT_FOUND &&
		thread_request(PROC_THREAD_MANAGED, 1, 0) == ATOLL_E_NOT_FOUND &&
		thread_request(PROC_END_THREAD, 2, 0) == ATOLL_E_NOT_FOUND;
	probe_result("threads_only_in_managed_processes", refused,
	             "expected NOT_FOUND for a process the caller does not manage");
}

static void ungranted_port_kills_the_program(void)
{
	const char *argv[] = {"ports", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("ungranted_port_kills_the_program", !err && status == -9,
	             "a program without an I/O port grant used a port");
}

static void granted_port_works(void)
{
	/* The manifest grants procprobe the ports of COM1 (0x3f8-0x3ff). */
	atoll_error_t err = ioport_open(PROC_SLOT_GRANTS, PROC_SLOT_VSPACE);
	uint8_t lsr = err ? 0 : atoll_inb(0x3fd);
	probe_result("granted_port_works", !err && lsr != 0xff, "could not open or read the port");
	probe_result("grant_cannot_be_opened_twice",
	             ioport_open(PROC_SLOT_GRANTS, PROC_SLOT_VSPACE) == ATOLL_E_ALREADY_MAPPED,
	             "expected ALREADY_MAPPED");
}

static void granted_mmio_is_mapped(void)
{
	/* The manifest grants the HPET's register page: its capability word names
	 * a vendor and a revision. */
	uint64_t caps = *(volatile uint64_t *)PROC_MMIO_VADDR;
	uint32_t id = (uint32_t)caps;
	probe_result("granted_mmio_is_mapped", id != 0 && id != 0xffffffff && (id & 0xff) != 0,
	             "the HPET registers do not read back");
}

static void ungranted_mmio_kills_the_program(void)
{
	const char *argv[] = {"mmio", NULL};
	uint64_t pid, got;
	int64_t status = 0;
	atoll_error_t err = proc_spawn(SELF, argv, &pid);
	if (!err)
		err = proc_wait(pid, &got, &status);
	probe_result("ungranted_mmio_kills_the_program", !err && status == -9,
	             "a program without an MMIO grant read device memory");
}

static void namespace_registers_only_granted_prefixes(void)
{
	probe_result("namespace_register_granted_prefix", ns_register("/probe") == ATOLL_E_OK,
	             "could not register /probe");
	probe_result("namespace_register_twice_is_busy", ns_register("/probe") == ATOLL_E_BUSY,
	             "expected BUSY");
	probe_result("namespace_refuses_ungranted_prefix", ns_register("/dev") == ATOLL_E_NO_RIGHTS,
	             "expected NO_RIGHTS");
	size_t matched = 0;
	atoll_error_t err = ns_resolve("/probe/x/y", PROC_SLOT_FIRST_FREE, &matched);
	probe_result("namespace_resolves_longest_prefix", !err && matched == 6,
	             "resolve of /probe/x/y failed");
	probe_result("namespace_component_boundary",
	             ns_resolve("/probex", PROC_SLOT_FIRST_FREE + 1, &matched) == ATOLL_E_NOT_FOUND,
	             "/probex must not match /probe");
	char prefix[64];
	uint64_t owner = 0;
	probe_result("namespace_lists_owner",
	             ns_list(0, prefix, sizeof(prefix), &owner) == 0 && !strcmp(prefix, "/probe") &&
	                     owner != 0,
	             "ns_list did not show /probe");
}

static void resolved_connection_reaches_the_server(void)
{
	/* Call through the resolved capability: we are the server ourselves, so
	 * receive our own call from a helper? Simpler: a non-blocking send finds
	 * no receiver and says so, proving the capability names a live endpoint. */
	atoll_msg_t m = {.info = atoll_msginfo(1, 0, 0)};
	probe_result("resolved_connection_is_an_endpoint",
	             atoll_nbsend(PROC_SLOT_FIRST_FREE, &m) == ATOLL_E_WOULD_BLOCK,
	             "the resolved capability is not a usable endpoint");
}

void probe_run_all(void)
{
	ungranted_port_kills_the_program();
	granted_port_works();
	granted_mmio_is_mapped();
	ungranted_mmio_kills_the_program();
	namespace_registers_only_granted_prefixes();
	resolved_connection_reaches_the_server();
	spawn_wait_reports_exit_status();
	spawn_passes_the_environment();
	spawn_of_missing_file_fails();
	kill_ends_a_spinning_child();
	wild_pointer_kills_only_the_child();
	heap_pages_in_on_demand();
	wait_without_children_fails();
	hostile_requests_get_errors();
	threads_only_in_managed_processes();
	spawn_exit_cycles_leave_memory_unchanged();
}
