/*
 * The fuzzing child: an unprivileged process that makes random system calls
 * with the capabilities its generation was given (fuzz.h). Every random
 * choice comes from the generation's seed alone, never from a result, so a
 * generation replays the same calls (print them with the trace=G:I option).
 * After each call it counts the call and its result in the shared frame.
 */
#include "fuzz.h"
#include "gen.h"
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/syscall.h>

__asm__(".text\n"
        ".global fuzz_probe, fuzz_probe_insn, fuzz_probe_resume\n"
        "fuzz_probe:\n"
        "	xor %eax, %eax\n"
        "fuzz_probe_insn:\n"
        "	movq %rsi, (%rdi)\n"
        "fuzz_probe_resume:\n"
        "	ret\n");

_Static_assert(-ATOLL_SYS_FIRST < FUZZ_SYSCALLS, "a counter for every Atoll system call");

#define CHECK_EVERY 4096 /* a DEBUG_CHECK every so many calls, outside the random stream */
#define BORED_AFTER 4096 /* calls without one successful IPC or invocation: retire */

static atoll_ipc_buffer_t *const ipc = (atoll_ipc_buffer_t *)CHILD_IPC_VADDR;

static void trace_call(const fuzz_shared_t *sh, uint64_t i, const fuzz_call_t *c)
{
	printf("T g=%lu i=%lu n=%ld c=%lx b=%lx info=%lx w=%lx,%lx,%lx,%lx,%lx,%lx,%lx,%lx%s\n",
	       sh->gen, i, (long)c->number, c->cptr, c->rbx, c->m.info, c->m.w[0], c->m.w[1],
	       c->m.w[2], c->m.w[3], c->m.w[4], c->m.w[5], c->m.w[6], c->m.w[7],
	       c->ipc_changed ? " ipc" : "");
	if (c->probe_addr)
		printf("T   store %lx at %lx first\n", c->probe_value, c->probe_addr);
}

static int is_ipc_number(int64_t n)
{
	return n == ATOLL_SYS_CALL || n == ATOLL_SYS_SEND || n == ATOLL_SYS_NBSEND ||
	       n == ATOLL_SYS_RECV || n == ATOLL_SYS_NBRECV || n == ATOLL_SYS_REPLY ||
	       n == ATOLL_SYS_REPLY_RECV;
}

static void count(fuzz_shared_t *sh, const fuzz_call_t *c, uint64_t label, uint64_t err)
{
	sh->results[err < FUZZ_RESULTS - 1 ? err : FUZZ_RESULTS - 1]++;
	int64_t n = c->number;
	sh->by_syscall[n < 0 && n >= ATOLL_SYS_FIRST ? -n : 0]++;
	if (n == ATOLL_SYS_CALL && err == ATOLL_E_OK && label < ATOLL_INV_COUNT)
		sh->ok_by_label[label]++;
}

static void debug_check(fuzz_shared_t *sh, uint64_t i)
{
	sh->check_calls++;
	if (atoll_debug_check() && !sh->check_failures++)
		sh->first_check_failure = i + 1;
}

static _Noreturn void stop(void)
{
	for (;;) {
		atoll_msg_t m = {.info = atoll_msginfo(ATOLL_TCB_SUSPEND, 0, 0)};
		atoll_syscall(ATOLL_SYS_CALL, CS_TCB, 0, &m);
		atoll_yield();
	}
}

/* The liveness check's child: one call to the root task through the endpoint. */
static _Noreturn void ping(fuzz_shared_t *sh)
{
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {FUZZ_PING}};
	atoll_error_t err = atoll_call(CS_EP, &m);
	sh->calls = 1;
	sh->done = err == ATOLL_E_OK && m.w[0] == FUZZ_PING + 1 ? 1 : 2;
	stop();
}

_Noreturn void child_main(fuzz_shared_t *sh)
{
	if (sh->magic != FUZZ_SHARED_MAGIC)
		printf("fuzz child: bad shared page\n");
	if (sh->mode == FUZZ_MODE_PING)
		ping(sh);
	if (sh->mode == FUZZ_MODE_REPRO)
		repro_main(sh, sh->repro);
	gen_init(sh->seed, (uint64_t)spare_main, ipc, sh->avoid);
	uint64_t since_success = 0;
	for (uint64_t i = 0; i < sh->budget; i++) {
		if (i % CHECK_EVERY == CHECK_EVERY - 1) {
			debug_check(sh, i);
			sh->calls = i + 1;
			continue;
		}
		fuzz_call_t c;
		gen_call(&c);
		int trace = i >= sh->trace_from;
		if (trace)
			trace_call(sh, i, &c);
		if (c.probe_addr) {
			sh->probes++;
			sh->probe_faults += fuzz_probe(c.probe_addr, c.probe_value);
		}
		sh->last_call[0] = (uint64_t)c.number;
		sh->last_call[1] = c.cptr;
		sh->last_call[2] = c.rbx;
		sh->last_call[3] = c.m.info;
		for (unsigned k = 0; k < 8; k++)
			sh->last_call[4 + k] = c.m.w[k];
		uint64_t label = atoll_msginfo_label(c.m.info);
		uint64_t err = (uint64_t)atoll_syscall(c.number, c.cptr, c.rbx, &c.m);
		if (c.number == ATOLL_SYS_DEBUG_CHECK) {
			sh->check_calls++;
			if (err == ATOLL_E_OK && c.m.w[0] && !sh->check_failures++)
				sh->first_check_failure = i + 1;
		}
		if (trace)
			printf("T   -> %lu info=%lx badge=%lx w0=%lx\n", err, c.m.info, c.m.badge,
			       c.m.w[0]);
		count(sh, &c, label, err);
		sh->calls = i + 1;
		if (err == ATOLL_E_OK && is_ipc_number(c.number))
			since_success = 0;
		else if (++since_success >= BORED_AFTER) {
			sh->done = 2;
			break;
		}
	}
	if (!sh->done)
		sh->done = 1;
	stop();
}

/*
 * The spare thread, if the child starts it: a small server on the child's
 * endpoint that answers every call, so that the child's calls and sends
 * sometimes meet a partner inside its own process. It stops itself when its
 * capabilities are gone.
 */
_Noreturn void spare_main(fuzz_shared_t *sh)
{
	(void)sh;
	for (;;) {
		atoll_msg_t m = {0};
		atoll_error_t err = atoll_syscall(ATOLL_SYS_RECV, CS_EP, CS_REPLY2, &m);
		if (err == ATOLL_E_OK && (m.info & ATOLL_MSG_WAS_CALL)) {
			m.info = atoll_msginfo(0, 0, 2);
			atoll_syscall(ATOLL_SYS_REPLY, 0, CS_REPLY2, &m);
		} else if (err) {
			atoll_msg_t s = {.info = atoll_msginfo(ATOLL_TCB_SUSPEND, 0, 0)};
			atoll_syscall(ATOLL_SYS_CALL, CS_SPARE_TCB, 0, &s);
			atoll_yield();
		}
	}
}
