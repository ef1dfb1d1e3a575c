/*
 * /proc, made up when it is looked at, from the personality's own state:
 * /proc/self (a symlink to the caller's pid), /proc/PID/{exe, cmdline,
 * stat, status} for every running Linux process, and cpuinfo (CPUID),
 * meminfo (proc's PROC_MEMINFO), mounts, uptime (the monotonic clock) and
 * version (what uname says).
 *
 * The /proc directory itself is a ramfs inode marked LX_FS_PROC, so the
 * walk (lookup.c) asks here for its entries. Those are inodes from a small
 * pool, reused once nothing holds them (an open description or a current
 * directory does), so each lookup sees the process as it is now; with all
 * POOL of them held, a lookup in /proc finds nothing (ENOENT). A file's
 * text is made again on every read, and a read at an offset takes that
 * part of it, as Linux's seq files do for small files.
 */
#include "personality.h"

#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>
#include <stdarg.h>

#define POOL 32
#define TEXT_MAX 4096
#define INO_PID_BASE 0x10000 /* /proc/PID's inodes: this + pid * 16 + kind */

enum proc_kind {
	PK_ROOT = 1,
	PK_SELF,
	PK_CPUINFO,
	PK_MEMINFO,
	PK_MOUNTS,
	PK_UPTIME,
	PK_VERSION,
	PK_PID, /* the kinds from here on are per process */
	PK_EXE,
	PK_CMDLINE,
	PK_STAT,
	PK_STATUS,
};

static const struct {
	const char *name;
	uint32_t kind, mode;
} root_names[] =
	{
		{"self", PK_SELF, LX_S_IFLNK | 0777},
		{"cpuinfo", PK_CPUINFO, LX_S_IFREG | 0444},
		{"meminfo", PK_MEMINFO, LX_S_IFREG | 0444},
		{"mounts", PK_MOUNTS, LX_S_IFREG | 0444},
		{"uptime", PK_UPTIME, LX_S_IFREG | 0444},
		{"version", PK_VERSION, LX_S_IFREG | 0444},
},
  pid_names[] = {
	  {"exe", PK_EXE, LX_S_IFLNK | 0777},
	  {"cmdline", PK_CMDLINE, LX_S_IFREG | 0444},
	  {"stat", PK_STAT, LX_S_IFREG | 0444},
	  {"status", PK_STATUS, LX_S_IFREG | 0444},
};
#define ROOT_NAMES (sizeof(root_names) / sizeof(root_names[0]))
#define PID_NAMES (sizeof(pid_names) / sizeof(pid_names[0]))

static lx_inode_t *proc_root;
static lx_inode_t pool[POOL];
static char targets[POOL][PROC_PATH_MAX];
static unsigned next_slot;
static char text[TEXT_MAX];

void lx_procfs_init(lx_inode_t *dir)
{
	proc_root = dir;
	dir->fs = LX_FS_PROC;
	dir->proc_kind = PK_ROOT;
	dir->mode = LX_S_IFDIR | 0555;
}

/* The process with pid, or the one a thread with tid pid belongs to (as
 * on Linux, /proc/TID works though readdir lists only processes). */
static lx_process_t *process_of(uint64_t pid)
{
	for (lx_process_t *p = lx_process_next(NULL); p; p = lx_process_next(p))
		if (p->pid == pid)
			return lx_group(p);
	return NULL;
}

/* A pool inode for kind (with pid), or NULL when every one is held. */
static lx_inode_t *make(uint32_t kind, uint32_t mode, uint64_t pid, lx_inode_t *parent)
{
	for (unsigned tries = 0; tries < POOL; tries++) {
		unsigned i = next_slot++ % POOL;
		if (pool[i].holds)
			continue;
		lx_inode_t *n = &pool[i];
		*n = (lx_inode_t){
			.ino = kind < PK_PID ? kind : INO_PID_BASE + pid * 16 + kind,
			.mode = mode,
			.nlink = (mode & LX_S_IFMT) == LX_S_IFDIR ? 2 : 1,
			.fs = LX_FS_PROC,
			.parent = parent,
			.proc_kind = kind,
			.proc_pid = pid,
			.target = targets[i],
		};
		lx_ramfs_touch(n, LX_TOUCH_ATIME | LX_TOUCH_MTIME | LX_TOUCH_CTIME);
		targets[i][0] = 0;
		if (kind == PK_SELF)
			snprintf(targets[i], PROC_PATH_MAX, "%lu", pid);
		if (kind == PK_EXE) {
			lx_process_t *p = process_of(pid);
			snprintf(targets[i], PROC_PATH_MAX, "%s", p ? p->exe : "");
		}
		n->size = lx_is_symlink(n) ? strlen(targets[i]) : 0;
		return n;
	}
	return NULL;
}

static bool parse_pid(const char *s, uint64_t *pid)
{
	uint64_t v = 0;
	if (!*s || *s == '0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > UINT32_MAX)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*pid = v;
	return true;
}

lx_inode_t *lx_procfs_lookup(lx_inode_t *dir, const char *name, uint64_t self)
{
	uint64_t pid;
	if (dir->proc_kind == PK_ROOT) {
		for (unsigned i = 0; i < ROOT_NAMES; i++)
			if (strcmp(name, root_names[i].name) == 0)
				return make(root_names[i].kind, root_names[i].mode,
				            root_names[i].kind == PK_SELF ? self : 0, dir);
		if (parse_pid(name, &pid) && process_of(pid))
			return make(PK_PID, LX_S_IFDIR | 0555, pid, dir);
		return NULL;
	}
	if (dir->proc_kind == PK_PID && process_of(dir->proc_pid)) {
		for (unsigned i = 0; i < PID_NAMES; i++)
			if (strcmp(name, pid_names[i].name) == 0)
				return make(pid_names[i].kind, pid_names[i].mode, dir->proc_pid,
				            dir);
	}
	return NULL;
}

bool lx_procfs_dirent(lx_inode_t *dir, uint64_t index, char *name, uint64_t *ino, uint32_t *mode)
{
	if (dir->proc_kind == PK_PID) {
		if (index >= PID_NAMES)
			return false;
		snprintf(name, LX_NAME_MAX + 1, "%s", pid_names[index].name);
		*ino = INO_PID_BASE + dir->proc_pid * 16 + pid_names[index].kind;
		*mode = pid_names[index].mode;
		return true;
	}
	if (index < ROOT_NAMES) {
		snprintf(name, LX_NAME_MAX + 1, "%s", root_names[index].name);
		*ino = root_names[index].kind;
		*mode = root_names[index].mode;
		return true;
	}
	uint64_t n = ROOT_NAMES;
	for (lx_process_t *p = lx_process_next(NULL); p; p = lx_process_next(p)) {
		if (p->group)
			continue; /* a thread */
		if (n++ == index) {
			snprintf(name, LX_NAME_MAX + 1, "%lu", p->pid);
			*ino = INO_PID_BASE + p->pid * 16 + PK_PID;
			*mode = LX_S_IFDIR | 0555;
			return true;
		}
	}
	return false;
}

/* The text's length so far, for appending to it. */
static size_t used;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (used < TEXT_MAX) {
		int n = vsnprintf(text + used, TEXT_MAX - used, fmt, ap);
		used += n > 0 ? (size_t)n : 0;
		if (used > TEXT_MAX - 1)
			used = TEXT_MAX - 1;
	}
	va_end(ap);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(0));
}

/* Leaf 1's edx feature bits by the names Linux gives them. */
static const char *const edx_flags[32] = {
	"fpu",  "vme",  "de",   "pse", "tsc",  "msr", "pae",   "mce", "cx8",     "apic", NULL,
	"sep",  "mtrr", "pge",  "mca", "cmov", "pat", "pse36", "pn",  "clflush", NULL,   "dts",
	"acpi", "mmx",  "fxsr", "sse", "sse2", "ss",  "ht",    "tm",  "ia64",    "pbe",
};
static const char *const ecx_flags[32] = {
	"pni",    "pclmulqdq",  "dtes64", "monitor", "ds_cpl",
	"vmx",    "smx",        "est",    "tm2",     "ssse3",
	"cid",    "sdbg",       "fma",    "cx16",    "xtpr",
	"pdcm",   NULL,         "pcid",   "dca",     "sse4_1",
	"sse4_2", "x2apic",     "movbe",  "popcnt",  "tsc_deadline_timer",
	"aes",    "xsave",      NULL,     "avx",     "f16c",
	"rdrand", "hypervisor",
};

static void cpuinfo(void)
{
	uint32_t r[4], vendor[4] = {0}, brand[13] = {0};
	cpuid(0, r);
	vendor[0] = r[1], vendor[1] = r[3], vendor[2] = r[2];
	cpuid(0x80000000, r);
	if (r[0] >= 0x80000004)
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002 + i, brand + i * 4);
	cpuid(1, r);
	uint32_t family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (r[0] >> 20) & 0xff;
	if (family >= 6)
		model |= ((r[0] >> 16) & 0xf) << 4;
	const char *name = (const char *)brand;
	while (*name == ' ')
		name++;
	uint64_t khz = lx_tsc_hz() / 1000;
	put("processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
	    "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\nflags\t\t:",
	    (const char *)vendor, family, model, name, r[0] & 0xf, khz / 1000, khz % 1000);
	for (int i = 0; i < 32; i++)
		if ((r[3] >> i) & 1 && edx_flags[i])
			put(" %s", edx_flags[i]);
	for (int i = 0; i < 32; i++)
		if ((r[2] >> i) & 1 && ecx_flags[i])
			put(" %s", ecx_flags[i]);
	put("\n\n");
}

static void meminfo(void)
{
	uint64_t free = 0, in_use = 0, total = 0;
	if (proc_meminfo(&free, &in_use, &total))
		return;
	put("MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n"
	    "Shmem:          %8lu kB\n",
	    total / 1024, free / 1024, free / 1024, lx_pages_used() * (LX_RAMFS_PAGE / 1024));
}

static char state_of(const lx_process_t *p)
{
	if (p->group_stop)
		return 'T';
	return p->waiting || p->pipe_blocked || p->fifo_wait || p->polling || p->sigwaiting ||
	                       p->futex.waiting ?
	               'S' :
	               'R';
}

static const char *state_name(char state)
{
	return state == 'T' ? "stopped" : state == 'S' ? "sleeping" : "running";
}

/* The signals whose action is ignore (ign) or a handler. */
static uint64_t signals_with(const lx_process_t *p, bool ign)
{
	uint64_t set = 0;
	for (unsigned i = 0; i < LX_NSIG; i++) {
		uint64_t h = p->actions[i].handler;
		if (ign ? h == LX_SIG_IGN_HANDLER : h > LX_SIG_IGN_HANDLER)
			set |= 1ULL << i;
	}
	return set;
}

static void process_text(uint32_t kind, lx_process_t *p)
{
	const char *comm = p->comm; /* the base name at execve, or prctl's */
	uint64_t ppid = p->ppid ? p->ppid : 1;
	uint64_t vsize = lx_memory_size(p);
	switch (kind) {
	case PK_CMDLINE:
		memcpy(text, p->cmdline, p->cmdline_len);
		used = p->cmdline_len;
		break;
	case PK_STAT:
		/* proc(5)'s 52 fields; what the personality does not track (groups,
		 * CPU times, faults) is 0. */
		put("%lu (%s) %c %lu %lu %lu 0 -1 0 0 0 0 0 0 0 0 0 20 0 %u 0 0 %lu 0", p->pid,
		    comm, state_of(p), ppid, p->pgid, p->sid, lx_thread_count(p), vsize);
		for (int i = 25; i <= 52; i++)
			put(" 0");
		put("\n");
		break;
	case PK_STATUS:
		put("Name:\t%s\nState:\t%c (%s)\nTgid:\t%lu\nPid:\t%lu\nPPid:\t%lu\n"
		    "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t%u\n",
		    comm, state_of(p), state_name(state_of(p)), p->pid, p->pid, ppid,
		    lx_thread_count(p));
		put("SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		    "SigCgt:\t%016lx\n",
		    p->sigpending, p->shared_pending, p->sigmask, signals_with(p, true),
		    signals_with(p, false));
		break;
	}
}

/* Make the text of file n: false when its process has gone. */
static bool generate(const lx_inode_t *n)
{
	used = 0;
	uint64_t ns;
	switch (n->proc_kind) {
	case PK_CPUINFO:
		cpuinfo();
		return true;
	case PK_MEMINFO:
		meminfo();
		return true;
	case PK_MOUNTS:
		put("rootfs / tmpfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
		return true;
	case PK_UPTIME:
		/* Idle time is not measured: its field says 0. */
		if (!lx_clock_now(LX_CLOCK_BOOTTIME, &ns))
			ns = 0;
		put("%lu.%02lu 0.00\n", ns / 1000000000, ns / 10000000 % 100);
		return true;
	case PK_VERSION:
		put("Linux version %s (atoll) %s\n", LX_UNAME_RELEASE, LX_UNAME_VERSION);
		return true;
	default: {
		lx_process_t *p = process_of(n->proc_pid);
		if (!p)
			return false;
		process_text(n->proc_kind, p);
		return true;
	}
	}
}

int64_t lx_procfs_read(lx_inode_t *n, uint64_t offset, void *buf, size_t len)
{
	if (!generate(n))
		return -LX_ESRCH;
	if (offset >= used)
		return 0;
	if (len > used - offset)
		len = used - (size_t)offset;
	memcpy(buf, text + offset, len);
	return (int64_t)len;
}

void lx_procfs_set_cmdline(lx_process_t *p, const char *argv, size_t len)
{
	if (len > sizeof(p->cmdline))
		len = sizeof(p->cmdline);
	memcpy(p->cmdline, argv, len);
	p->cmdline_len = (uint32_t)len;
}
