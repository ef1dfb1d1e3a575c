#ifndef ATOLL_PROTO_PROC_H
#define ATOLL_PROTO_PROC_H

/*
 * The proc protocol: what every process may ask the process manager. Each
 * process holds a capability to proc's endpoint in slot PROC_SLOT_PROC of its
 * CNode, badged with its pid, so proc always knows who is asking.
 *
 * Strings (paths, argument vectors, names) travel packed in the caller's IPC
 * buffer from message word 1 on; word 0 (in a register) gives their length
 * in bytes. An argument vector is its strings one after another, each
 * NUL-terminated. Results come back in the words named; the error
 * (atoll_error_t) is the label of the reply, as in every Atoll protocol.
 */
#include <stdint.h>

/* Slots every process started by proc finds in its own CNode. */
enum proc_slot {
	PROC_SLOT_CNODE = 1,
	PROC_SLOT_VSPACE = 2,
	PROC_SLOT_TCB = 3,
	PROC_SLOT_PROC = 4,         /* proc's endpoint, badged with the pid */
	PROC_SLOT_SERVICE = 5,      /* a service's own endpoint (services only) */
	PROC_SLOT_NOTIFICATION = 6, /* bound to the main thread; its IRQs signal it (services) */
	PROC_SLOT_REPLY = 8,        /* PROC_REPLY_COUNT Reply objects for a server loop */
	PROC_SLOT_GRANTS = 40,      /* device capabilities the manifest grants (services) */
	PROC_SLOT_FIRST_FREE = 64,
};

/* Every caller a server keeps waiting (a blocked read, wait4, sleep, a
 * futex) holds one Reply object, so a server that many processes wait in
 * needs many: the Linux personality above all. */
#define PROC_REPLY_COUNT 32
/* Device grants, in this order: one I/O port capability per `ioports` line
 * (not yet opened: ioport_open it into PROC_SLOT_VSPACE), one IRQ handler per
 * `irq` line (already signalling PROC_SLOT_NOTIFICATION with badge bit
 * 1 << i for the i-th irq; ACK it after each interrupt), then the frames of
 * every `mmio` range, mapped uncached from PROC_MMIO_VADDR on, one range
 * after the other. */
#define PROC_MMIO_VADDR 0x600000000000ULL
/* A service whose manifest says `archive read-only` finds a copy of the
 * boot archive (cpio newc, PROC_SYSINFO's size) here, read-only. */
#define PROC_ARCHIVE_VADDR 0x500000000000ULL

/*
 * How proc starts a native program: rdi points to its argument block (an
 * argc word, argc pointers to NUL-terminated strings, a NULL, the
 * environment's pointers, a NULL), rsi holds PROC_START_MAGIC.
 */
#define PROC_START_MAGIC 0x70726f6373746172ULL /* "procstar" */
#define PROC_ARGS_VADDR 0x7f0000002000ULL      /* the page holding the argument block */

/* A native process's address space: anonymous memory is paged in on first
 * touch in the stack region (below PROC_STACK_TOP) and the heap region. */
#define PROC_IPC_BUFFER_VADDR 0x7f0000001000ULL
#define PROC_STACK_TOP 0x7ff000000000ULL
#define PROC_STACK_MAX (8ULL << 20)
/* A Linux program's stack at its start: proc maps this many bytes under
 * PROC_STACK_TOP and nothing else of the stack region. */
#define PROC_STACK_INITIAL 4096
#define PROC_HEAP_BASE 0x100000000000ULL
#define PROC_HEAP_MAX (1ULL << 30)

#define PROC_CNODE_RADIX 8
#define PROC_NAME_MAX 32
#define PROC_PATH_MAX 256
#define PROC_ARGS_MAX 952 /* bytes of packed argument strings: a full message */
#define PROC_MANAGED_ARGS_MAX (PROC_ARGS_MAX - 8) /* the same after PROC_SPAWN_MANAGED's counts */
#define PROC_ARGS_STRINGS_MAX 256                 /* strings in argv, and in envp, at most */

enum proc_label {
	/* w0 length of packed "path\0arg0\0arg1\0...\0\0env0\0...\0\0" (argv and
	 * envp each ended by an empty string) -> w0 pid. The program finds argc,
	 * argv and envp in its argument block. */
	PROC_SPAWN = 1,
	/* w0 status. Does not return. */
	PROC_EXIT,
	/* w0 pid, or 0 for any child -> w0 pid, w1 exit status (blocks until one exits) */
	PROC_WAIT,
	/* w0 pid: the caller must be its parent, or hold the monitor's authority */
	PROC_KILL,
	/* w0 index (0, 1, ...) -> w0 pid, w1 state, w2 priority, w3 memory bytes,
	 * w4 capability count, w5 name length, name in the buffer from word 6;
	 * RANGE past the last process */
	PROC_INFO,
	/* -> w0 free bytes, w1 used bytes, w2 total bytes */
	PROC_MEMINFO,
	/* w0 length of a service name: restart it now */
	PROC_RESTART,
	/* w0 length of a prefix; the caller's service endpoint (PROC_SLOT_SERVICE)
	 * starts serving it. Only prefixes the manifest allows. */
	NS_REGISTER,
	/* w0 length of a path -> w0 bytes of the path the server's prefix matched;
	 * the server's endpoint arrives as a transferred capability */
	NS_RESOLVE,
	/* w0 index -> w0 owner pid, w1 prefix length, prefix from word 2; RANGE at the end */
	NS_LIST,
	/* w0 offset (bytes ever logged before it) -> w0 the length of the log
	 * text from there, w1 the offset it starts at: later than asked when
	 * the ring (PROC_LOG_RING bytes) no longer holds that text; the text
	 * from word 2. 0 bytes at the end. */
	PROC_LOG,
	/* w0 status: power the machine off (QEMU exits with it); monitor only */
	PROC_HALT,
	/* reboot the machine; monitor only */
	PROC_REBOOT,

	/*
	 * Processes another server manages (the Linux personality): proc builds
	 * and reclaims them; their faults and system calls go to the manager.
	 *
	 * PROC_SPAWN_MANAGED: w0 length of packed "path\0arg0\0...env0\0...",
	 * w1 argc | envc << 32, the packed strings from w2: the path, then argc
	 * argument and envc environment strings, each NUL-terminated (counted,
	 * not ended by an empty one: Linux arguments may be empty) -> w0 pid, w1 the program
	 * break (end of its data, page-aligned): the pages of its program
	 * come from the file when first touched (PROC_MAP_ANON); the process's VSpace capability
	 * arrives transferred (READ|WRITE: for ATOLL_VSPACE_READ/WRITE), then
	 * its TCB's (READ|WRITE: to stop it and set its registers, for
	 * signals), in the slot after the VSpace's. The
	 * process starts with the Linux x86_64 initial stack (argc, argv, envp,
	 * auxv) at PROC_STACK_TOP, and its fault endpoint is the caller's
	 * service endpoint badged with pid | PROC_MANAGED_BADGE. It runs at
	 * PROC_MANAGED_PRIORITY (or the caller's, if lower), below every
	 * server, so that one that computes without end cannot starve proc
	 * and its manager, which must run to stop it.
	 */
	PROC_SPAWN_MANAGED,
	/*
	 * PROC_SPAWN_MANAGED_IMAGE: a managed process whose program the
	 * manager loads itself (one that is not in the boot archive): w0, w1
	 * as PROC_SPAWN_MANAGED's, w2 the entry point, w3 where the program
	 * headers are once loaded (0: nowhere), w4 their number, w5 the end of
	 * the highest segment, the packed strings from w6 -> w0 pid, w1 the
	 * program break, the VSpace and TCB capabilities, as
	 * PROC_SPAWN_MANAGED's. The process has its initial stack and nothing
	 * else, and does not run: the manager maps and fills its segments
	 * (PROC_MAP_ANON, ATOLL_VSPACE_WRITE, PROC_PROTECT_MANAGED) and starts
	 * it with PROC_RESUME_MANAGED. INVALID_ARG for addresses outside the
	 * program's part of the address space.
	 */
	PROC_SPAWN_MANAGED_IMAGE,
	/*
	 * The memory of a managed process, page by page (manager only). proc
	 * keeps a map of every page it gave the process: its frame and the
	 * rights the manager set for it. Rights are ATOLL_MAP_READ, _WRITE and
	 * _EXEC bits (a page with any right is readable), and PROC_MAP_SHARED
	 * when PROC_MAP_ANON makes a page: a fork then shares it writable, not
	 * copy-on-write, as Linux's MAP_SHARED memory (the page keeps that for
	 * life, whatever rights PROC_PROTECT_MANAGED sets later).
	 *
	 * PROC_MAP_ANON: w0 pid, w1 address, w2 rights -> OK when the page at
	 * address is now there for a write: a page of the program image from
	 * its file, with its segments' rights, when the address is in one
	 * proc loaded (PROC_SPAWN_MANAGED) and not there yet; else a zeroed
	 * page with the rights when there was none (rights 0: BAD_ADDRESS
	 * instead, which is how a manager asks for image pages only); a
	 * private copy, writable, when the page was shared copy-on-write
	 * (after a fork) and its rights allow writing.
	 * ALREADY_MAPPED when the page is there and that is all (a second
	 * thread's fault on it); NO_RIGHTS when its rights refuse a write, or
	 * PROC_PROTECT_MANAGED's rights 0 keep it unmapped. A page unmapped
	 * (PROC_UNMAP_MANAGED) stays gone: rights 0 are BAD_ADDRESS there.
	 */
	PROC_MAP_ANON,
	/* w0 pid, w1 status: end the process; its parent (the manager) may wait */
	PROC_END,

	/* no arguments -> w0 the time-stamp counter's rate in Hz, w1 the
	 * scheduling timer's period in ns (from the kernel's boot info), w2
	 * the boot archive's size in bytes */
	PROC_SYSINFO,
	/*
	 * Forking a managed process (manager only). PROC_FORK_MANAGED: w0 the
	 * parent's pid, w1..w20 the child's registers in atoll_register order ->
	 * w0 the child's pid; the child's VSpace and TCB capabilities arrive
	 * transferred, as PROC_SPAWN_MANAGED's.
	 * The child shares every page of the parent's copy-on-write: each is
	 * read-only in both until one of them writes to it, and the write
	 * fault's PROC_MAP_ANON gives the writer its own copy. The manager
	 * copies nothing; it starts the child with PROC_RESUME_MANAGED: w0 the
	 * child's pid.
	 */
	PROC_FORK_MANAGED,
	PROC_RESUME_MANAGED,
	/*
	 * More threads in a managed process (manager only): Linux threads.
	 * PROC_THREAD_MANAGED: w0 the pid, w1..w20 the new thread's registers
	 * in atoll_register order -> w0 its thread number (1 to
	 * PROC_THREAD_MAX - 1), and its TCB capability transferred
	 * (READ|WRITE, as PROC_SPAWN_MANAGED's). The thread shares the process's VSpace and
	 * CNode, runs at once, and its faults arrive with its own badge (see
	 * PROC_MANAGED_BADGE). NO_MEMORY when the process has
	 * PROC_THREAD_MAX - 1 more threads already, or no memory for one.
	 * PROC_END_THREAD: w0 the pid, w1 a thread number (0: the process's
	 * first thread): stop that thread for good. A later
	 * PROC_THREAD_MANAGED may give its number (and its TCB) to a new one.
	 * Every thread goes with its process (PROC_END, PROC_KILL).
	 */
	PROC_THREAD_MANAGED,
	PROC_END_THREAD,
	/*
	 * PROC_UNMAP_MANAGED: w0 pid, w1 address, w2 length (both multiples
	 * of the page size): every page of the process in that range, the
	 * program image's too, is unmapped, and its memory goes back to the
	 * process for its next pages. Pages not there are skipped.
	 * PROC_PROTECT_MANAGED: w0 pid, w1 address, w2 length, w3 rights:
	 * every page there gets the rights (a page shared copy-on-write stays
	 * read-only until a write fault's PROC_MAP_ANON copies it). Rights 0
	 * keep the page's contents but unmap it, so any touch faults, until
	 * rights come back. Pages not there are skipped.
	 * Both: BAD_ADDRESS for a range outside the process's half of the
	 * address space, ALIGNMENT for one not page-aligned.
	 */
	PROC_UNMAP_MANAGED,
	PROC_PROTECT_MANAGED,
	/*
	 * PROC_VFORK_DONE: w0 a child's pid, w1 its parent's (both managed by
	 * the caller): every page the child has of its own since the fork
	 * (written, or made) is copied into the parent at the same address:
	 * what a vfork child did to the memory it shared with its suspended
	 * parent, done when the child execs or ends.
	 */
	PROC_VFORK_DONE,

	/*
	 * NS_WATCH (services only: their connection to proc may transfer
	 * capabilities): w0 length of a path, path from w1, a notification
	 * capability transferred with the message (the WRITE right is enough):
	 * proc signals it each time a server registers a prefix that then
	 * serves the path, so a client learns that the server it uses was
	 * restarted and reconnects without having to call it. A caller has
	 * one watch per path (a new one replaces the old); watches end with
	 * their caller, or when signalling fails. BUSY when proc's
	 * NS_WATCH_MAX watches are taken.
	 */
	NS_WATCH,
};
#define NS_WATCH_MAX 16

/*
 * Faults of managed processes arrive at the manager with this badge bit.
 * The badge's low PROC_THREAD_SHIFT bits are the pid; the thread number
 * (0 for the first thread, the one PROC_SPAWN_MANAGED and
 * PROC_FORK_MANAGED make) sits above them, so a fault's badge is
 * pid | thread << PROC_THREAD_SHIFT | PROC_MANAGED_BADGE.
 */
#define PROC_MANAGED_BADGE (1ULL << 61)
#define PROC_MAP_SHARED 0x100 /* with a page's rights: see PROC_MAP_ANON */
#define PROC_LOG_RING 16384   /* bytes of recent log text proc keeps */
#define PROC_THREAD_SHIFT 48
#define PROC_THREAD_MAX 32 /* threads a managed process may have at once */
#define PROC_BADGE_PID(badge) ((badge) & ((1ULL << PROC_THREAD_SHIFT) - 1))
#define PROC_BADGE_THREAD(badge) (((badge) >> PROC_THREAD_SHIFT) & (PROC_THREAD_MAX - 1))
/* The priority of a managed process (PROC_SPAWN_MANAGED) and its forks. */
#define PROC_MANAGED_PRIORITY 50

enum proc_state {
	PROC_STATE_RUNNING = 1,
	PROC_STATE_ZOMBIE, /* exited, waiting for its parent to collect the status */
};

#endif
