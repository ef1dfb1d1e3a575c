/*
 * Named pipes: mknod and mknodat (personality.h), and open of a FIFO.
 *
 * A FIFO is a ramfs inode of type S_IFIFO and holds no data of its own:
 * while any end of it is open, or being opened, it has a pipe of pipe.c
 * (lx_pipe_keep), found here from its inode, and every open attaches a
 * description to that pipe's read end (O_RDONLY), write end (O_WRONLY) or
 * both (O_RDWR). Reads, writes, poll and close are then the pipe's. When
 * the last end closes the pipe goes, and what was left in it with it, as
 * on Linux.
 *
 * open follows Linux's fifo_open: O_RDONLY waits until a writer opens
 * (with O_NONBLOCK it does not wait); O_WRONLY waits until a reader opens
 * (with O_NONBLOCK it is ENXIO when none is open or opening); O_RDWR
 * never waits. A waiting open counts as an end of its kind, so the
 * partner that comes opens at once and finishes the waiting ones. The wait
 * is a deferred reply; a signal ends it with EINTR, or makes the open
 * again after a handler with SA_RESTART (Linux's -ERESTARTSYS).
 *
 * mknod makes a FIFO, a regular file (type 0 or S_IFREG) or, as root
 * may, a character device: the node then behaves as the device of that
 * number (devices.c), /dev's or none (ENXIO on reads). Block devices and
 * sockets are EPERM here (logged once): nothing here could serve them.
 */
#include "personality.h"

#define FIFO_MAX 16 /* FIFOs open at a time: no more than there are pipes */

struct lx_fifo {
	lx_inode_t *node; /* held while in use; NULL: a free entry */
	lx_pipe_t *pipe;
	unsigned opening[2]; /* opens waiting for a partner: [0] readers, [1] writers */
};

static lx_fifo_t fifos[FIFO_MAX];

/* The entry of FIFO node n, made (with its pipe) when it has none; NULL
 * when every pipe is in use. */
static lx_fifo_t *fifo_get(const lx_process_t *p, lx_inode_t *n)
{
	lx_fifo_t *free = NULL;
	for (unsigned i = 0; i < FIFO_MAX; i++) {
		if (fifos[i].node == n)
			return &fifos[i];
		if (!fifos[i].node && !free)
			free = &fifos[i];
	}
	lx_pipe_t *pp = free ? lx_pipe_keep(p) : NULL;
	if (!pp)
		return NULL;
	*free = (lx_fifo_t){.node = n, .pipe = pp};
	lx_ramfs_hold(n); /* the entry stays valid should the name go */
	return free;
}

/* Ends of fi open or being opened: readers (write false) or writers. */
static unsigned ends(const lx_fifo_t *fi, bool write)
{
	return lx_pipe_end_refs(fi->pipe, write) + fi->opening[write];
}

/* fi goes when no end is open or opening: its pipe, and what it held. */
static void fifo_maybe_free(lx_fifo_t *fi)
{
	if (!fi->node || ends(fi, false) || ends(fi, true))
		return;
	lx_pipe_let_go(fi->pipe);
	lx_ramfs_release(fi->node);
	fi->node = NULL;
}

void lx_fifo_idle(lx_pipe_t *pp)
{
	for (unsigned i = 0; i < FIFO_MAX; i++)
		if (fifos[i].node && fifos[i].pipe == pp)
			fifo_maybe_free(&fifos[i]);
}

/* A descriptor in p for a new description of fi with open's flags
 * (O_RDONLY, O_WRONLY or O_RDWR), or -errno. */
static int64_t attach(lx_process_t *p, lx_fifo_t *fi, uint32_t flags, bool cloexec)
{
	uint32_t acc = flags & LX_O_ACCMODE;
	lx_file_t f = {
		.node = fi->node,
		.pipe = fi->pipe,
		.pipe_write = acc != LX_O_RDONLY,
		.pipe_both = acc == LX_O_RDWR,
		.flags = flags,
	};
	return lx_fd_open(p, &f, 0, cloexec);
}

/* Whether thread q's waiting open is a writer's. */
static bool opens_to_write(const lx_process_t *q)
{
	return (q->fifo_flags & LX_O_ACCMODE) == LX_O_WRONLY;
}

/* An end of fi that reads (write false) or writes has opened: the opens
 * waiting for one finish now. */
static void wake_partners(lx_fifo_t *fi, bool write)
{
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q)) {
		if (q->fifo_wait != fi || opens_to_write(q) == write)
			continue;
		q->fifo_wait = NULL;
		fi->opening[!write]--;
		int64_t r = attach(lx_group(q), fi, q->fifo_flags, q->fifo_cloexec);
		lx_signal_answer(q, q->fifo_reply, r);
	}
	fifo_maybe_free(fi); /* when every one of them failed (EMFILE) */
}

/* The open of f's FIFO completes now: a descriptor or -errno. */
static int64_t open_now(lx_call_t *c, lx_fifo_t *fi, const lx_file_t *f, bool cloexec)
{
	uint32_t acc = f->flags & LX_O_ACCMODE;
	int64_t r = attach(c->p, fi, f->flags, cloexec);
	if (r < 0) {
		fifo_maybe_free(fi);
		return r;
	}
	if (acc != LX_O_WRONLY)
		wake_partners(fi, false);
	if (acc != LX_O_RDONLY)
		wake_partners(fi, true);
	return r;
}

/* c's open of fi waits for its partner (wake_partners, lx_fifo_cancel). */
static int64_t wait_partner(lx_call_t *c, lx_fifo_t *fi, const lx_file_t *f, bool cloexec)
{
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(
			&logged,
			"linux: pid %lu (%s): a FIFO open would wait, but every Reply object is "
			"held: EAGAIN\n",
			c->p->pid, c->p->name);
		fifo_maybe_free(fi);
		return -LX_EAGAIN;
	}
	lx_process_t *t = c->t;
	t->fifo_wait = fi;
	t->fifo_flags = f->flags;
	t->fifo_cloexec = cloexec;
	t->fifo_reply = c->reply_object;
	fi->opening[opens_to_write(t)]++;
	c->reply = LX_REPLY_DEFER;
	return 0;
}

int64_t lx_fifo_open(lx_call_t *c, lx_file_t *f, bool cloexec)
{
	uint32_t acc = f->flags & LX_O_ACCMODE;
	if (acc != LX_O_RDONLY && acc != LX_O_WRONLY && acc != LX_O_RDWR)
		return -LX_EINVAL; /* neither read nor write: fifo_open's default */
	lx_fifo_t *fi = fifo_get(c->p, f->node);
	if (!fi)
		return -LX_ENFILE;
	bool nonblock = f->flags & LX_O_NONBLOCK;
	if (acc == LX_O_WRONLY && nonblock && !ends(fi, false)) {
		fifo_maybe_free(fi);
		return -LX_ENXIO; /* no reader to write to */
	}
	bool partner = acc == LX_O_RDWR || ends(fi, acc == LX_O_RDONLY);
	if (partner || (acc == LX_O_RDONLY && nonblock))
		return open_now(c, fi, f, cloexec);
	return wait_partner(c, fi, f, cloexec);
}

bool lx_fifo_cancel(lx_process_t *p, unsigned *reply)
{
	lx_fifo_t *fi = p->fifo_wait;
	if (!fi)
		return false;
	p->fifo_wait = NULL;
	fi->opening[opens_to_write(p)]--;
	*reply = p->fifo_reply;
	fifo_maybe_free(fi);
	return true;
}

/* Block devices and sockets: nothing here serves them. */
static int64_t unsupported_node(const lx_process_t *p, uint32_t type)
{
	static bool logged;
	lx_log_once(&logged, "linux: pid %lu (%s): mknod of a %s: EPERM\n", p->pid, p->name,
	            type == LX_S_IFBLK ? "block device" : "socket");
	return -LX_EPERM;
}

/* mknodat(dirfd, path, mode, dev), with Linux's checks in Linux's order:
 * the type (may_mknod), the name (filename_create), then the node. */
static int64_t mknod_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & LX_S_IFMT;
	switch (type) {
	case 0:
		type = LX_S_IFREG;
		break;
	case LX_S_IFREG:
	case LX_S_IFCHR:
	case LX_S_IFBLK:
	case LX_S_IFIFO:
	case LX_S_IFSOCK:
		break;
	case LX_S_IFDIR:
		return -LX_EPERM; /* mkdir's */
	default:
		return -LX_EINVAL;
	}
	lx_where_t w;
	int64_t err = lx_lookup_user(p, dirfd, addr, LX_WALK_PARENT, &w);
	if (err || (err = lx_name_can_create(&w)))
		return err;
	if (w.trailing_slash)
		return -LX_ENOENT; /* only a directory's name ends in a slash */
	if (type == LX_S_IFBLK || type == LX_S_IFSOCK)
		return unsupported_node(p, type);
	lx_inode_t *n = lx_ramfs_new(type | (mode & 07777 & ~p->umask));
	if (n && type == LX_S_IFCHR)
		n->rdev = dev; /* Linux's encoding, as stat gives it back */
	return lx_name_link_new(&w, n);
}

int64_t lx_sys_mknod(lx_call_t *c)
{
	return mknod_at(c->p, LX_AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], (uint32_t)c->arg[2]);
}

int64_t lx_sys_mknodat(lx_call_t *c)
{
	return mknod_at(c->p, (int)c->arg[0], c->arg[1], (uint32_t)c->arg[2], (uint32_t)c->arg[3]);
}
