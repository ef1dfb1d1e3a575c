/*
 * File descriptors: each process's table maps a descriptor to one of its
 * open file descriptions (personality.h). dup and its kin make another
 * descriptor for the same description, so the copies share the offset and
 * the flags F_GETFL shows; FD_CLOEXEC belongs to the descriptor and closes
 * it at execve.
 *
 * The descriptions are one table for every process: fork gives the child
 * a copy of the parent's descriptors pointing at the same descriptions, so
 * the two share offsets and flags as on Linux. A description goes when its
 * last descriptor closes, and lets go of its node then. A pipe end also
 * counts its descriptors in pipe.c, which is how a pipe learns that its
 * last reader or writer has gone.
 */
#include "personality.h"

#include <atoll_rt/string.h>

/* The flags fcntl(F_SETFL) may change. */
#define SETFL_MASK (LX_O_APPEND | LX_O_NONBLOCK)

static lx_file_t files[LX_FILE_MAX];

/* A free description, or NULL when all are in use. */
static lx_file_t *file_new(void)
{
	for (unsigned i = 0; i < LX_FILE_MAX; i++)
		if (!files[i].refs)
			return &files[i];
	return NULL;
}

void lx_files_init(lx_process_t *p)
{
	lx_file_t *console = file_new();
	if (console) {
		*console = (lx_file_t){.refs = 3, .console = true, .flags = LX_O_RDWR};
		for (int fd = 0; fd < 3; fd++)
			p->fds[fd] = (uint16_t)(console - files + 1);
	}
	p->cwd = lx_ramfs_root();
	if (p->cwd)
		lx_ramfs_hold(p->cwd);
	p->umask = 022;
}

lx_file_t *lx_fd_get(lx_process_t *p, int64_t fd)
{
	if (fd < 0 || fd >= LX_FD_MAX || !p->fds[fd])
		return NULL;
	return &files[p->fds[fd] - 1];
}

/* Point descriptor fd (closed) at description f. */
static void fd_set(lx_process_t *p, int64_t fd, lx_file_t *f, bool cloexec)
{
	p->fds[fd] = (uint16_t)(f - files + 1);
	f->refs++;
	if (f->pipe)
		lx_pipe_ref(f);
	if (cloexec)
		p->cloexec |= 1u << fd;
	else
		p->cloexec &= ~(1u << fd);
}

static int64_t lowest_free(lx_process_t *p, int64_t min)
{
	uint64_t limit = p->rlimits[LX_RLIMIT_NOFILE].cur;
	for (int64_t fd = min; fd < LX_FD_MAX && (uint64_t)fd < limit; fd++)
		if (!p->fds[fd])
			return fd;
	return -LX_EMFILE;
}

int64_t lx_fd_open(lx_process_t *p, const lx_file_t *f, int64_t min, bool cloexec)
{
	int64_t fd = lowest_free(p, min);
	if (fd < 0)
		return fd;
	lx_file_t *n = file_new();
	if (!n)
		return -LX_ENFILE;
	*n = *f;
	n->refs = 0;
	if (n->node)
		lx_ramfs_hold(n->node);
	fd_set(p, fd, n, cloexec);
	return fd;
}

void lx_fd_close(lx_process_t *p, int64_t fd)
{
	lx_file_t *f = &files[p->fds[fd] - 1];
	p->fds[fd] = 0;
	p->cloexec &= ~(1u << fd);
	f->refs--;
	lx_locks_close(p, fd, f); /* any close ends the process's record locks on the file */
	if (f->pipe)
		lx_pipe_unref(f); /* may answer a process waiting on the other end */
	if (!f->refs && f->node) {
		lx_ramfs_release(f->node); /* an unlinked file goes with its last close */
		f->node = NULL;
	}
}

int64_t lx_sys_close(lx_call_t *c)
{
	int64_t fd = (int)c->arg[0];
	if (!lx_fd_get(c->p, fd))
		return -LX_EBADF;
	lx_fd_close(c->p, fd);
	return 0;
}

/* Make newfd (closing what it was) another descriptor for oldfd's file. */
static int64_t dup_to(lx_process_t *p, int64_t oldfd, int64_t newfd, bool cloexec)
{
	lx_file_t *f = &files[p->fds[oldfd] - 1];
	if (p->fds[newfd])
		lx_fd_close(p, newfd);
	fd_set(p, newfd, f, cloexec);
	return newfd;
}

/* A copy of oldfd at the lowest free descriptor from min. */
static int64_t dup_from(lx_process_t *p, int64_t oldfd, int64_t min, bool cloexec)
{
	if (!lx_fd_get(p, oldfd))
		return -LX_EBADF;
	int64_t fd = lowest_free(p, min);
	return fd < 0 ? fd : dup_to(p, oldfd, fd, cloexec);
}

int64_t lx_sys_dup(lx_call_t *c)
{
	return dup_from(c->p, (int)c->arg[0], 0, false);
}

int64_t lx_sys_dup2(lx_call_t *c)
{
	/* Linux takes the descriptors as unsigned ints. */
	uint64_t oldfd = (uint32_t)c->arg[0], newfd = (uint32_t)c->arg[1];
	if (!lx_fd_get(c->p, (int64_t)oldfd))
		return -LX_EBADF;
	if (oldfd == newfd)
		return (int64_t)newfd;
	if (newfd >= LX_FD_MAX)
		return -LX_EBADF;
	return dup_to(c->p, (int64_t)oldfd, (int64_t)newfd, false);
}

int64_t lx_sys_dup3(lx_call_t *c)
{
	uint64_t oldfd = (uint32_t)c->arg[0], newfd = (uint32_t)c->arg[1];
	uint64_t flags = (uint32_t)c->arg[2];
	if (flags & ~(uint64_t)LX_O_CLOEXEC)
		return -LX_EINVAL;
	if (oldfd == newfd)
		return -LX_EINVAL;
	if (newfd >= LX_FD_MAX)
		return -LX_EBADF;
	if (!lx_fd_get(c->p, (int64_t)oldfd))
		return -LX_EBADF;
	return dup_to(c->p, (int64_t)oldfd, (int64_t)newfd, flags & LX_O_CLOEXEC);
}

int64_t lx_sys_fcntl(lx_call_t *c)
{
	lx_process_t *p = c->p;
	int64_t fd = (int)c->arg[0];
	uint64_t cmd = (uint32_t)c->arg[1], arg = c->arg[2];
	lx_file_t *f = lx_fd_get(p, fd);
	if (!f)
		return -LX_EBADF;
	switch (cmd) {
	case LX_F_DUPFD:
	case LX_F_DUPFD_CLOEXEC:
		if (arg >= LX_FD_MAX)
			return -LX_EINVAL; /* at or above RLIMIT_NOFILE */
		return dup_from(p, fd, (int64_t)arg, cmd == LX_F_DUPFD_CLOEXEC);
	case LX_F_GETFD:
		return (p->cloexec >> fd) & 1 ? LX_FD_CLOEXEC : 0;
	case LX_F_SETFD:
		if (arg & LX_FD_CLOEXEC)
			p->cloexec |= 1u << fd;
		else
			p->cloexec &= ~(1u << fd);
		return 0;
	case LX_F_GETFL:
		return lx_flags_in_pipe(f) ? *lx_pipe_flags(f) : f->flags;
	case LX_F_SETFL: {
		uint32_t *flags = lx_flags_in_pipe(f) ? lx_pipe_flags(f) : &f->flags;
		*flags = (*flags & ~(uint32_t)SETFL_MASK) | ((uint32_t)arg & SETFL_MASK);
		return 0;
	}
	case LX_F_GETLK:
	case LX_F_SETLK:
	case LX_F_SETLKW:
	case LX_F_OFD_GETLK:
	case LX_F_OFD_SETLK:
	case LX_F_OFD_SETLKW:
		return lx_fcntl_lock(c, fd, f, (uint32_t)cmd, arg);
	default:
		return -LX_EINVAL;
	}
}

void lx_files_fork(lx_process_t *child, const lx_process_t *parent)
{
	for (int64_t fd = 0; fd < LX_FD_MAX; fd++)
		if (parent->fds[fd])
			fd_set(child, fd, &files[parent->fds[fd] - 1], (parent->cloexec >> fd) & 1);
	child->cwd = parent->cwd;
	if (child->cwd)
		lx_ramfs_hold(child->cwd);
	child->umask = parent->umask;
	memcpy(child->exe, parent->exe, sizeof(child->exe));
	memcpy(child->cmdline, parent->cmdline, parent->cmdline_len);
	child->cmdline_len = parent->cmdline_len;
}

void lx_files_exec(lx_process_t *p)
{
	for (int64_t fd = 0; fd < LX_FD_MAX; fd++)
		if (p->fds[fd] && (p->cloexec >> fd) & 1)
			lx_fd_close(p, fd);
}

void lx_files_close_all(lx_process_t *p)
{
	for (int64_t fd = 0; fd < LX_FD_MAX; fd++)
		if (p->fds[fd])
			lx_fd_close(p, fd);
	if (p->cwd)
		lx_ramfs_release(p->cwd);
	p->cwd = NULL;
}
