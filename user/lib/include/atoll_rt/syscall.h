#ifndef ATOLL_RT_SYSCALL_H
#define ATOLL_RT_SYSCALL_H

/*
 * System-call stubs for native Atoll programs. One inline function makes
 * every call; the rest name the common cases. Message words 0..7 travel in
 * registers (see atoll/syscall.h); longer messages use the IPC buffer.
 */
#include <atoll/errors.h>
#include <atoll/message.h>
#include <atoll/syscall.h>
#include <stdint.h>

typedef struct atoll_msg {
	uint64_t info;  /* in: what to send; out: what was received */
	uint64_t badge; /* out: the sender's badge */
	uint64_t w[ATOLL_MSG_REGS];
} atoll_msg_t;

/* rax: number in, error out; rdi: cptr in, badge out; rsi: info; rbx: reply cptr. */
static inline atoll_error_t atoll_syscall(int64_t number, uint64_t cptr, uint64_t reply,
                                          atoll_msg_t *m)
{
	register uint64_t rax __asm__("rax") = (uint64_t)number;
	register uint64_t rdi __asm__("rdi") = cptr;
	register uint64_t rsi __asm__("rsi") = m->info;
	register uint64_t rdx __asm__("rdx") = m->w[0];
	register uint64_t r8 __asm__("r8") = m->w[1];
	register uint64_t r9 __asm__("r9") = m->w[2];
	register uint64_t r10 __asm__("r10") = m->w[3];
	register uint64_t r12 __asm__("r12") = m->w[4];
	register uint64_t r13 __asm__("r13") = m->w[5];
	register uint64_t r14 __asm__("r14") = m->w[6];
	register uint64_t r15 __asm__("r15") = m->w[7];
	register uint64_t rbx __asm__("rbx") = reply;
	__asm__ volatile("syscall"
	                 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r8), "+r"(r9),
	                   "+r"(r10), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
	                 : "r"(rbx)
	                 : "rcx", "r11", "memory");
	m->info = rsi;
	m->badge = rdi;
	m->w[0] = rdx;
	m->w[1] = r8;
	m->w[2] = r9;
	m->w[3] = r10;
	m->w[4] = r12;
	m->w[5] = r13;
	m->w[6] = r14;
	m->w[7] = r15;
	return (atoll_error_t)rax;
}

static inline atoll_error_t atoll_call(uint64_t cptr, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_CALL, cptr, 0, m);
}

static inline atoll_error_t atoll_send(uint64_t cptr, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_SEND, cptr, 0, m);
}

static inline atoll_error_t atoll_nbsend(uint64_t cptr, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_NBSEND, cptr, 0, m);
}

static inline atoll_error_t atoll_recv(uint64_t cptr, uint64_t reply, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_RECV, cptr, reply, m);
}

static inline atoll_error_t atoll_nbrecv(uint64_t cptr, uint64_t reply, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_NBRECV, cptr, reply, m);
}

static inline atoll_error_t atoll_reply(uint64_t reply, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_REPLY, 0, reply, m);
}

static inline atoll_error_t atoll_reply_recv(uint64_t cptr, uint64_t reply, atoll_msg_t *m)
{
	return atoll_syscall(ATOLL_SYS_REPLY_RECV, cptr, reply, m);
}

/*
 * A call to a server: protocols return their error in the reply's label, so
 * one result covers both the kernel's error (a dead endpoint, a missing
 * right) and the server's.
 */
static inline atoll_error_t atoll_rpc(uint64_t cptr, atoll_msg_t *m)
{
	atoll_error_t err = atoll_call(cptr, m);
	return err ? err : (atoll_error_t)atoll_msginfo_label(m->info);
}

/* Notifications: signal is a send, wait a receive, poll a non-blocking receive. */
static inline atoll_error_t atoll_signal(uint64_t cptr)
{
	atoll_msg_t m = {0};
	return atoll_syscall(ATOLL_SYS_SEND, cptr, 0, &m);
}

static inline atoll_error_t atoll_wait(uint64_t cptr, uint64_t *bits)
{
	atoll_msg_t m = {0};
	atoll_error_t err = atoll_syscall(ATOLL_SYS_RECV, cptr, 0, &m);
	*bits = m.badge;
	return err;
}

static inline atoll_error_t atoll_poll(uint64_t cptr, uint64_t *bits)
{
	atoll_msg_t m = {0};
	atoll_error_t err = atoll_syscall(ATOLL_SYS_NBRECV, cptr, 0, &m);
	*bits = m.badge;
	return err;
}

static inline void atoll_yield(void)
{
	atoll_msg_t m = {0};
	atoll_syscall(ATOLL_SYS_YIELD, 0, 0, &m);
}

static inline atoll_error_t atoll_debug_puts(const char *s, uint64_t len)
{
	register uint64_t rax __asm__("rax") = (uint64_t)ATOLL_SYS_DEBUG_PUTS;
	register uint64_t rdi __asm__("rdi") = (uint64_t)s;
	register uint64_t rsi __asm__("rsi") = len;
	__asm__ volatile("syscall"
	                 : "+r"(rax), "+r"(rdi), "+r"(rsi)
	                 :
	                 : "rcx", "r11", "rdx", "r8", "r9", "r10", "r12", "r13", "r14", "r15",
	                   "memory");
	return (atoll_error_t)rax;
}

/* Run the kernel's self-check; returns how many invariants are broken. */
static inline uint64_t atoll_debug_check(void)
{
	atoll_msg_t m = {0};
	atoll_syscall(ATOLL_SYS_DEBUG_CHECK, 0, 0, &m);
	return m.w[0];
}

/* A kernel object invocation: a call with label and n argument words. */
static inline atoll_error_t atoll_invoke(uint64_t cptr, uint64_t label, unsigned n, atoll_msg_t *m)
{
	m->info = atoll_msginfo(label, 0, n);
	return atoll_call(cptr, m);
}

#endif
