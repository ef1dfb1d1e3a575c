/*
 * System calls that report on the system and the process: uname, the ids,
 * sched_yield, getrandom. Time is in time.c.
 */
#include "personality.h"

#include <atoll_rt/string.h>

int64_t lx_sys_uname(lx_call_t *c)
{
	lx_utsname_t u;
	memset(&u, 0, sizeof(u));
	memcpy(u.sysname, "Linux", sizeof("Linux"));
	memcpy(u.nodename, "atoll", sizeof("atoll"));
	memcpy(u.release, LX_UNAME_RELEASE, sizeof(LX_UNAME_RELEASE));
	memcpy(u.version, LX_UNAME_VERSION, sizeof(LX_UNAME_VERSION));
	memcpy(u.machine, "x86_64", sizeof("x86_64"));
	memcpy(u.domainname, "(none)", sizeof("(none)"));
	return lx_copy_out(c->p, c->arg[0], &u, sizeof(u)) ? 0 : -LX_EFAULT;
}

/* One thread per process: the thread id is the pid. */
int64_t lx_sys_getpid(lx_call_t *c)
{
	return (int64_t)c->p->pid;
}

/* A process started by a native client (LINUX_RUN), or whose parent has
 * ended, has init for its parent. */
int64_t lx_sys_getppid(lx_call_t *c)
{
	return c->p->ppid ? (int64_t)c->p->ppid : 1;
}

/* Everyone is root: there are no users yet. getuid, geteuid, getgid and
 * getegid all land here. */
int64_t lx_sys_getuid(lx_call_t *c)
{
	return 0;
}

/* getresuid(ruid, euid, suid) and getresgid: all three are 0, stored one
 * after the other as Linux does, so a bad pointer fails at that one. */
int64_t lx_sys_getresuid(lx_call_t *c)
{
	uint32_t zero = 0;
	for (unsigned i = 0; i < 3; i++)
		if (!lx_copy_out(c->p, c->arg[i], &zero, sizeof(zero)))
			return -LX_EFAULT;
	return 0;
}

/* getgroups(size, list): nobody has supplementary groups, so the count
 * is 0 and nothing is stored; a negative size is EINVAL, as on Linux. */
int64_t lx_sys_getgroups(lx_call_t *c)
{
	return (int32_t)c->arg[0] < 0 ? -LX_EINVAL : 0;
}

/* The process waits for our reply, so there is nobody to yield to on its
 * behalf: the scheduler runs others while we are not answering anyway. */
int64_t lx_sys_sched_yield(lx_call_t *c)
{
	return 0;
}

static bool cpu_has_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c & (1u << 30);
}

static bool rdrand(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* rdrand when the CPU has it; otherwise xorshift64*, seeded from the TSC
 * and stirred with it on every call: unpredictable enough for hash seeds
 * and stack canaries, not for keys. */
static uint64_t random_word(void)
{
	static int have = -1;
	static uint64_t state;
	uint64_t v;
	if (have < 0) {
		have = cpu_has_rdrand();
		if (!have)
			printf("linux: no rdrand: getrandom uses xorshift seeded by the TSC\n");
	}
	if (have && rdrand(&v))
		return v;
	state ^= lx_rdtsc() | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

void lx_random_fill(void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t w = random_word();
		size_t n = len < sizeof(w) ? len : sizeof(w);
		memcpy(out, &w, n);
		out += n;
		len -= n;
	}
}

int64_t lx_sys_getrandom(lx_call_t *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1];
	uint32_t flags = (uint32_t)c->arg[2];
	if (flags & ~(LX_GRND_NONBLOCK | LX_GRND_RANDOM | LX_GRND_INSECURE))
		return -LX_EINVAL;
	if ((flags & (LX_GRND_INSECURE | LX_GRND_RANDOM)) == (LX_GRND_INSECURE | LX_GRND_RANDOM))
		return -LX_EINVAL;
	if (len > LX_GETRANDOM_MAX)
		len = LX_GETRANDOM_MAX;
	uint64_t done = 0;
	while (done < len) {
		uint64_t words[32];
		for (unsigned i = 0; i < 32; i++)
			words[i] = random_word();
		uint64_t n = len - done < sizeof(words) ? len - done : sizeof(words);
		if (!lx_copy_out(c->p, addr + done, words, n))
			return done ? (int64_t)done : -LX_EFAULT;
		done += n;
	}
	return (int64_t)done;
}
