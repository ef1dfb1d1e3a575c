/*
 * The x86_64 signal frame: what a handler finds on its stack, built as
 * Linux builds it (arch/x86/kernel/signal.c), and rt_sigreturn, which
 * takes it back.
 *
 * Below the interrupted stack pointer, past the 128-byte red zone (or at
 * the top of the alternate stack with SA_ONSTACK), comes a struct
 * rt_sigframe: the handler's return address (sa_restorer, which calls
 * rt_sigreturn), the ucontext (flags, link, the alternate stack, the
 * registers as a struct sigcontext, the mask to restore) and the siginfo.
 * Its address is 8 below a multiple of 16, as after a call. The handler
 * starts with rdi = the signal, rsi = &siginfo, rdx = &ucontext, rax 0.
 *
 * The FPU and vector registers (x87 and SSE, the 512-byte fxsave layout,
 * read through the thread's TCB) go above the frame, 64-byte aligned,
 * where sigcontext's fpstate points, and the handler starts with a clean
 * FPU state, as on Linux; rt_sigreturn loads them back (a clean state when
 * fpstate is 0). The kernel does not enable XSAVE, so there is no AVX
 * state and no UC_FP_XSTATE. Without the TCB (proc did not send it)
 * fpstate is 0 and the state is untouched.
 */
#include "personality.h"

#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <stddef.h>

_Static_assert(sizeof(lx_siginfo_t) == 128, "siginfo_t is 128 bytes");
_Static_assert(sizeof(lx_stack_t) == 24, "stack_t is 24 bytes");
_Static_assert(sizeof(lx_sigcontext_t) == 256, "struct sigcontext is 32 words");
_Static_assert(offsetof(lx_sigcontext_t, cs) == 18 * 8, "cs after eflags");
_Static_assert(offsetof(lx_ucontext_t, mcontext) == 40, "uc_mcontext after uc_stack");
_Static_assert(sizeof(lx_ucontext_t) == 304, "struct ucontext");
_Static_assert(offsetof(lx_rt_sigframe_t, info) == 312, "rt_sigframe: pretcode, uc, info");

#define RED_ZONE 128

/* The rflags bits a handler's context may change (Linux's FIX_EFLAGS):
 * AC OF DF TF SF ZF AF PF CF RF. */
#define FIX_EFLAGS 0x50dd5ULL
#define EFLAGS_TF 0x100ULL
#define EFLAGS_DF 0x400ULL
#define EFLAGS_RF 0x10000ULL

void lx_signal_siginfo(lx_siginfo_t *si, unsigned sig, const lx_sigqueued_t *q)
{
	memset(si, 0, sizeof(*si));
	si->signo = (int32_t)sig;
	si->code = q->code;
	if (q->code == LX_SI_KERNEL)
		return;
	bool fault = sig == LX_SIGSEGV || sig == LX_SIGBUS || sig == LX_SIGILL ||
	             sig == LX_SIGFPE || sig == LX_SIGTRAP;
	if (fault && q->code > 0) {
		/* si_addr: the first field of the union, where si_pid is. */
		memcpy(&si->pid, &q->addr, sizeof(q->addr));
		return;
	}
	si->pid = q->pid;
	si->uid = 0; /* everyone is root */
	if (sig == LX_SIGCHLD && q->code > 0)
		si->status = q->status;
}

/* regs (atoll_register order) into a sigcontext and back. */
static void regs_to_context(const uint64_t *r, lx_sigcontext_t *sc)
{
	sc->r8 = r[ATOLL_REG_R8];
	sc->r9 = r[ATOLL_REG_R9];
	sc->r10 = r[ATOLL_REG_R10];
	sc->r11 = r[ATOLL_REG_R11];
	sc->r12 = r[ATOLL_REG_R12];
	sc->r13 = r[ATOLL_REG_R13];
	sc->r14 = r[ATOLL_REG_R14];
	sc->r15 = r[ATOLL_REG_R15];
	sc->rdi = r[ATOLL_REG_RDI];
	sc->rsi = r[ATOLL_REG_RSI];
	sc->rbp = r[ATOLL_REG_RBP];
	sc->rbx = r[ATOLL_REG_RBX];
	sc->rdx = r[ATOLL_REG_RDX];
	sc->rax = r[ATOLL_REG_RAX];
	sc->rcx = r[ATOLL_REG_RCX];
	sc->rsp = r[ATOLL_REG_RSP];
	sc->rip = r[ATOLL_REG_RIP];
	sc->eflags = r[ATOLL_REG_RFLAGS];
	sc->cs = LX_USER_CS;
	sc->ss = LX_USER_DS;
}

static void context_to_regs(const lx_sigcontext_t *sc, uint64_t *r)
{
	r[ATOLL_REG_R8] = sc->r8;
	r[ATOLL_REG_R9] = sc->r9;
	r[ATOLL_REG_R10] = sc->r10;
	r[ATOLL_REG_R11] = sc->r11;
	r[ATOLL_REG_R12] = sc->r12;
	r[ATOLL_REG_R13] = sc->r13;
	r[ATOLL_REG_R14] = sc->r14;
	r[ATOLL_REG_R15] = sc->r15;
	r[ATOLL_REG_RDI] = sc->rdi;
	r[ATOLL_REG_RSI] = sc->rsi;
	r[ATOLL_REG_RBP] = sc->rbp;
	r[ATOLL_REG_RBX] = sc->rbx;
	r[ATOLL_REG_RDX] = sc->rdx;
	r[ATOLL_REG_RAX] = sc->rax;
	r[ATOLL_REG_RCX] = sc->rcx;
	r[ATOLL_REG_RSP] = sc->rsp;
	r[ATOLL_REG_RIP] = sc->rip;
	r[ATOLL_REG_RFLAGS] = (r[ATOLL_REG_RFLAGS] & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
}

void lx_fpu_init_state(uint64_t fpu[LX_FPU_WORDS])
{
	memset(fpu, 0, LX_FPU_WORDS * sizeof(uint64_t));
	fpu[0] = 0x37f;            /* FCW: every x87 exception masked */
	fpu[3] = (uint64_t)0x1f80; /* MXCSR (the mask half the kernel keeps) */
}

bool lx_signal_frame(lx_process_t *p, unsigned sig, const lx_sigqueued_t *q,
                     const lx_sigaction_t *act, uint64_t *regs, unsigned nregs, const uint64_t *fpu)
{
	/* x86_64 Linux requires a restorer: without one the frame fails. */
	if (nregs < ATOLL_REG_COUNT || !(act->flags & LX_SA_RESTORER))
		return false;
	uint64_t old_sp = regs[ATOLL_REG_RSP];
	uint64_t sp = old_sp - RED_ZONE;
	bool on_alt = lx_signal_on_altstack(p, old_sp);
	if ((act->flags & LX_SA_ONSTACK) && lx_signal_altstack_flags(p, sp) == 0)
		sp = p->altstack.sp + p->altstack.size;
	/* The FPU state first, 64-byte aligned (fxsave needs 16), as Linux's
	 * fpu__alloc_mathframe puts it; then the frame below. */
	uint64_t fpstate = 0;
	if (fpu) {
		sp = (sp - LX_FPU_WORDS * sizeof(uint64_t)) & ~63ULL;
		fpstate = sp;
	}
	sp = ((sp - sizeof(lx_rt_sigframe_t)) & ~15ULL) - 8;
	/* Running on the alternate stack already, the frame must fit in it. */
	if (on_alt && !lx_signal_on_altstack(p, sp))
		return false;

	static lx_rt_sigframe_t f;
	memset(&f, 0, sizeof(f));
	f.pretcode = act->restorer;
	f.uc.flags = LX_UC_SIGCONTEXT_SS | LX_UC_STRICT_RESTORE_SS;
	f.uc.stack.sp = p->altstack.sp;
	f.uc.stack.flags = lx_signal_altstack_flags(p, old_sp);
	f.uc.stack.size = p->altstack.size;
	regs_to_context(regs, &f.uc.mcontext);
	/* The mask the handler's return restores: the one before rt_sigsuspend
	 * (or ppoll, pselect6) changed it, else the current one. */
	uint64_t mask = p->restore_mask ? p->saved_mask : p->sigmask;
	f.uc.mcontext.oldmask = mask;
	f.uc.sigmask = mask;
	f.uc.mcontext.fpstate = fpstate;
	if (act->flags & LX_SA_SIGINFO)
		lx_signal_siginfo(&f.info, sig, q);
	if (fpu && !lx_copy_out(p, fpstate, fpu, LX_FPU_WORDS * sizeof(uint64_t)))
		return false;
	if (!lx_copy_out(p, sp, &f, sizeof(f)))
		return false;
	p->restore_mask = false;
	if ((act->flags & LX_SA_ONSTACK) && (p->altstack.flags & (int32_t)LX_SS_AUTODISARM))
		p->altstack = (lx_stack_t){0};

	regs[ATOLL_REG_RDI] = sig;
	regs[ATOLL_REG_RSI] = sp + offsetof(lx_rt_sigframe_t, info);
	regs[ATOLL_REG_RDX] = sp + offsetof(lx_rt_sigframe_t, uc);
	regs[ATOLL_REG_RAX] = 0;
	regs[ATOLL_REG_RSP] = sp;
	regs[ATOLL_REG_RIP] = act->handler;
	regs[ATOLL_REG_RFLAGS] &= ~(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	return true;
}

/*
 * rt_sigreturn(): the handler has returned into sa_restorer, which popped
 * the return address, so the frame starts 8 below the stack pointer. The
 * registers, the mask and the alternate stack come back from it; only the
 * flags a program may set are taken. A frame that cannot be read, or that
 * would resume at an address outside user space, ends the process with
 * SIGSEGV, as Linux's bad-frame path does.
 */
int64_t lx_sys_rt_sigreturn(lx_call_t *c)
{
	lx_process_t *p = c->p;
	if (c->nregs < ATOLL_REG_COUNT)
		return -LX_ENOSYS;
	uint64_t frame = c->regs[ATOLL_REG_RSP] - 8;
	lx_ucontext_t uc;
	if (!lx_copy_in(p, &uc, frame + offsetof(lx_rt_sigframe_t, uc), sizeof(uc)) ||
	    uc.mcontext.rip >= LX_TASK_SIZE) {
		lx_process_kill(p, LX_SIGSEGV, "rt_sigreturn with a bad frame");
		c->reply = LX_REPLY_NONE;
		c->p = c->t = NULL;
		return 0;
	}
	/* The FPU state the frame saved, or a clean one when it has none, as
	 * Linux restores it: only in a thread whose TCB we hold. */
	lx_process_t *t = c->t;
	if (t->have_tcb && !t->thread_gone) {
		uint64_t fpu[LX_FPU_WORDS];
		if (uc.mcontext.fpstate) {
			if (!lx_copy_in(p, fpu, uc.mcontext.fpstate, sizeof(fpu))) {
				lx_process_kill(p, LX_SIGSEGV, "rt_sigreturn with a bad FPU state");
				c->reply = LX_REPLY_NONE;
				c->p = c->t = NULL;
				return 0;
			}
		} else {
			lx_fpu_init_state(fpu);
		}
		tcb_write_fpu(t->tcb, fpu);
	}
	context_to_regs(&uc.mcontext, c->regs);
	lx_signal_set_mask_now(t, uc.sigmask);
	/* As Linux, a bad alternate stack in the frame is ignored. */
	lx_signal_set_altstack(t, &uc.stack, c->regs[ATOLL_REG_RSP]);
	c->reply = LX_REPLY_REGS;
	return (int64_t)uc.mcontext.rax;
}
