#ifndef FUZZ_H
#define FUZZ_H

/*
 * The in-guest system-call fuzzer. Booted as the root task, fuzz.elf builds
 * an unprivileged child process (a "generation") from its own ELF image,
 * out of one pool untyped, and gives it an assortment of capabilities. The
 * child makes random system calls and invocations and counts them in a
 * frame it shares with the root task. The root task serves the child's
 * faults, wakes it when it blocks, and when it stops making progress (it
 * suspended itself, lost its address space, faulted, ...) revokes the pool
 * -- which destroys everything the child had -- and builds the next
 * generation, until the wanted number of calls is reached. Then it checks
 * the kernel's invariants and that the kernel still works.
 */
#include <atoll/bootinfo.h>
#include <atoll/errors.h>
#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <stdint.h>

/* The child's CNode: what each slot holds when a generation starts. */
#define CHILD_CNODE_RADIX 8
enum child_slot {
	CS_CNODE = 1, /* its own CNode, VSpace and TCB */
	CS_VSPACE,
	CS_TCB,
	CS_EP,          /* an endpoint, all rights */
	CS_EP_BADGED,   /* the same endpoint, minted with a badge, read and write only */
	CS_NTFN,        /* a notification, all rights */
	CS_NTFN_BADGED, /* the same, minted with a badge, write only */
	CS_REPLY,
	CS_REPLY2,
	CS_UNTYPED, /* 64 KiB */
	CS_FRAME0,  /* four 4 KiB frames, unmapped */
	CS_FRAME1,
	CS_FRAME2,
	CS_FRAME3,
	CS_LARGE_FRAME, /* 2 MiB, unmapped */
	CS_PDPT,        /* page tables, unmapped */
	CS_PD,
	CS_PT0,
	CS_PT1,
	CS_SPARE_TCB, /* a second thread in the child's space, configured, not started */
	CS_IRQ,       /* a handler for an unused IOAPIC pin */
	CS_IOPORT,    /* a port range nobody opened */
	CS_FIRST_FREE,
};
#define CHILD_SLOTS (1u << CHILD_CNODE_RADIX)
#define CHILD_UNTYPED_BITS 16
#define CHILD_EP_BADGE 0x5a5aULL
#define CHILD_NTFN_BADGE 0x100ULL
#define FUZZ_IRQ_GSI 7          /* LPT1: no device on q35 */
#define FUZZ_IOPORT_FIRST 0x2f8 /* COM2: absent under qemu-run */
#define FUZZ_IOPORT_LAST 0x2ff

/* The child's address space. */
#define CHILD_IPC_VADDR 0x7f0000001000ULL
#define CHILD_SHARED_VADDR 0x7f0000002000ULL
#define CHILD_SPARE_IPC_VADDR 0x7f0000003000ULL
#define CHILD_SPARE_STACK_TOP 0x7f0000081000ULL
#define CHILD_STACK_TOP 0x7f0000100000ULL
#define CHILD_STACK_PAGES 8
/* Where the child maps its own frames and tables: no tables exist there. */
#define PLAY_PT_BASE 0x10000000ULL     /* a PD entry without a PT */
#define PLAY_PD_BASE 0x40000000ULL     /* a PDPT entry without a PD */
#define PLAY_PDPT_BASE 0x8000000000ULL /* a PML4 entry without a PDPT */

#define USER_TOP 0x0000800000000000ULL

/* The frame the root task and the child share: parameters and progress. */
#define FUZZ_SHARED_MAGIC 0x66757a7a73686172ULL /* "fuzzshar" */
#define FUZZ_NO_TRACE UINT64_MAX
#define FUZZ_MODE_FUZZ 0
#define FUZZ_MODE_PING 1  /* call the endpoint with FUZZ_PING, expect FUZZ_PING + 1, done */
#define FUZZ_MODE_REPRO 2 /* run reproduction number `repro` (repro.c); done 3: reproduced */
#define FUZZ_PING 0x70696e67ULL
/* Known-bug switches (the avoid= option), so that a run can get past a bug
 * already reported and look for the next one. */
#define FUZZ_AVOID_DF_AC 0x1 /* no DF or AC in RFLAGS written to a thread */
#define RFLAGS_DF 0x400ULL
#define RFLAGS_AC 0x40000ULL
#define FUZZ_RESULTS 24  /* error codes counted one by one; the last counts the rest */
#define FUZZ_SYSCALLS 12 /* -1..-11, and 0 for every other number */

typedef struct fuzz_shared {
	/* Written by the root task before the child starts. */
	uint64_t magic;
	uint64_t seed;       /* this generation's PRNG seed */
	uint64_t gen;        /* generation number */
	uint64_t budget;     /* calls to make */
	uint64_t trace_from; /* print every call from this index on */
	uint64_t mode;       /* FUZZ_MODE_* */
	uint64_t avoid;      /* FUZZ_AVOID_*: inputs that trigger known kernel bugs */
	uint64_t repro;      /* FUZZ_MODE_REPRO: which one */
	/* Written by the child. */
	volatile uint64_t calls; /* calls that returned */
	volatile uint64_t done;  /* 1: budget used up, 2: retired (nothing succeeds any more) */
	volatile uint64_t check_calls;         /* DEBUG_CHECK calls the child made */
	volatile uint64_t probes;              /* stores into the play area (fuzz_probe) */
	volatile uint64_t probe_faults;        /* ... that faulted */
	volatile uint64_t check_failures;      /* ... that reported broken invariants */
	volatile uint64_t first_check_failure; /* call index of the first, + 1 */
	volatile uint64_t results[FUZZ_RESULTS];
	volatile uint64_t by_syscall[FUZZ_SYSCALLS];
	volatile uint64_t ok_by_label[ATOLL_INV_COUNT]; /* successful invocations */
	volatile uint64_t last_call[12]; /* number, cptr, rbx, info, w0..w7 of the call under way */
} fuzz_shared_t;

_Static_assert(sizeof(fuzz_shared_t) <= 4096, "shared page");

/*
 * A store the child may try anywhere in its play area: a page fault on it
 * reaches the root task, which resumes the child at fuzz_probe_resume with
 * rax 1. Stores into memory the child should not reach (a stale mapping of
 * a freed frame, say) then show up as kernel crashes or broken invariants.
 */
uint64_t fuzz_probe(uint64_t addr, uint64_t value); /* 0: stored, 1: faulted */
extern const char fuzz_probe_insn[], fuzz_probe_resume[];

/* The child's entry (from atoll_main) and the spare thread's. */
_Noreturn void child_main(fuzz_shared_t *sh);
_Noreturn void spare_main(fuzz_shared_t *sh);
_Noreturn void repro_main(fuzz_shared_t *sh, uint64_t which);

/* The PRNG: xorshift64*. */
static inline uint64_t prng_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A well-mixed non-zero seed from any number (splitmix64's finaliser). */
static inline uint64_t prng_mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
