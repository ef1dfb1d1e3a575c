/*
 * File descriptors: each process's table maps a descriptor to one of its
 * open file descriptions (personality.h). dup and its kin make another
 * descriptor for the same description, so the copies share the offset and
 * the flags F_GETFL shows; FD_CLOEXEC belongs to the descriptor and closes
 * it at execve.
 *
 * fork gives the child a copy of the table: descriptors the parent shares
 * with each other the child shares too. A pipe end is shared between the
 * two as well (its description lives in pipe.c, counting descriptors in
 * every process), but an archive file's or the console's description is
 * copied, so parent and child do not share its offset (Linux would).
 */
#include "personality.h"

#include <atoll_rt/string.h>

/* The flags fcntl(F_SETFL) may change. */
#define SETFL_MASK (LX_O_APPEND | LX_O_NONBLOCK)

void lx_files_init(lx_process_t *p)
{
	p->files[0] = (lx_file_t){.refs = 3, .console = true, .flags = LX_O_RDWR};
	for (int fd = 0; fd < 3; fd++)
		p->fds[fd] = 1;
	memcpy(p->cwd, "/", 2);
}

lx_file_t *lx_fd_get(lx_process_t *p, int64_t fd)
{
	if (fd < 0 || fd >= LX_FD_MAX || !p->fds[fd])
		return NULL;
	return &p->files[p->fds[fd] - 1];
}

/* Point descriptor fd (closed) at description index i. */
static void fd_set(lx_process_t *p, int64_t fd, unsigned i, bool cloexec)
{
	p->fds[fd] = (uint8_t)(i + 1);
	p->files[i].refs++;
	if (p->files[i].pipe)
		lx_pipe_ref(&p->files[i]);
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
	unsigned i = 0;
	while (p->files[i].refs) /* fewer descriptions in use than descriptors */
		i++;
	p->files[i] = *f;
	p->files[i].refs = 0;
	fd_set(p, fd, i, cloexec);
	return fd;
}

void lx_fd_close(lx_process_t *p, int64_t fd)
{
	lx_file_t *f = &p->files[p->fds[fd] - 1];
	f->refs--;
	p->fds[fd] = 0;
	p->cloexec &= ~(1u << fd);
	if (f->pipe)
		lx_pipe_unref(f); /* may answer a process waiting on the other end */
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
	unsigned i = p->fds[oldfd] - 1;
	if (p->fds[newfd])
		lx_fd_close(p, newfd);
	fd_set(p, newfd, i, cloexec);
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
		return f->pipe ? *lx_pipe_flags(f) : f->flags;
	case LX_F_SETFL: {
		uint32_t *flags = f->pipe ? lx_pipe_flags(f) : &f->flags;
		*flags = (*flags & ~(uint32_t)SETFL_MASK) | ((uint32_t)arg & SETFL_MASK);
		return 0;
	}
	default:
		return -LX_EINVAL;
	}
}

void lx_files_fork(lx_process_t *child, const lx_process_t *parent)
{
	memcpy(child->files, parent->files, sizeof(child->files));
	memcpy(child->fds, parent->fds, sizeof(child->fds));
	child->cloexec = parent->cloexec;
	for (int64_t fd = 0; fd < LX_FD_MAX; fd++)
		if (child->fds[fd] && child->files[child->fds[fd] - 1].pipe)
			lx_pipe_ref(&child->files[child->fds[fd] - 1]);
	memcpy(child->cwd, parent->cwd, sizeof(child->cwd));
	memcpy(child->exe, parent->exe, sizeof(child->exe));
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
}
