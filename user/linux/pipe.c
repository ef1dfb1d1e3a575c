/*
 * Pipes. A pipe is a ring of PIPE_SIZE bytes and its two ends. Each end is
 * one open file description shared by every descriptor that refers to it,
 * in any process: pipe() makes the two, dup and fork add descriptors
 * (lx_pipe_ref), and close, execve's FD_CLOEXEC and a process's end take
 * them away (lx_pipe_unref). A process's lx_file_t for an end is only a
 * handle; the end's flags live here, so F_SETFL in one process shows in
 * every other. A pipe is free again when neither end has a descriptor.
 *
 * A read of an empty pipe whose write end is open, and a write that finds
 * no room, block: the caller stays in its Reply object (server_defer) with
 * what it asked in p->pipe_io, and pipe_wake finishes the call when data or
 * room comes or the other end's last descriptor closes. A read takes what
 * is there, up to what it asked for. A write of at most PIPE_BUF bytes
 * goes in whole or waits; a longer one goes in piece by piece as room
 * appears and is answered when all of it is in. O_NONBLOCK turns a wait
 * into EAGAIN, or a short count when some bytes moved. Writing with no
 * reader left is EPIPE, and the writer gets SIGPIPE. A signal that
 * interrupts a blocked call (signals.c) answers it with the bytes moved so
 * far, or EINTR, or restarts it (SA_RESTART).
 *
 * sendfile into a pipe (sendfile.c) puts what fits (lx_pipe_room,
 * lx_pipe_put); when the pipe is full it waits like a write
 * (pipe_io.restart) and, once a byte fits, is made again from the start
 * rather than finished here: nothing had moved, and its source is a file
 * this wait need not hold.
 *
 * Every change a pipe sees ends in pipe_wake, which also lets poll.c
 * answer a poll or select that waits for one.
 *
 * A FIFO (fifo.c) keeps a pipe while any end of it is open or being
 * opened (lx_pipe_keep, lx_pipe_let_go): every open of the FIFO is a
 * description of its own, with its own flags (f->flags, as a file's),
 * and an O_RDWR open holds both ends (pipe_both). The pipe tells fifo.c
 * when its last end closes (lx_fifo_idle).
 *
 * A blocked call holds one of the server's few Reply objects; when none is
 * free the call fails with EAGAIN instead of blocking.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define PIPE_SIZE 16384 /* bytes a pipe holds */
#define PIPE_BUF 4096   /* writes of up to this many bytes are atomic */
#define PIPE_MAX 16     /* pipes at a time, all processes together */
#define PIPE_DEV 0x0d   /* st_dev of a pipe: 0:13, like Linux's pipefs */

typedef struct pipe_end {
	unsigned refs;  /* descriptors, in every process */
	uint32_t flags; /* O_RDONLY or O_WRONLY, and O_NONBLOCK */
} pipe_end_t;

struct lx_pipe {
	pipe_end_t end[2];    /* [0] the read end, [1] the write end */
	uint32_t head, count; /* the next byte to read, and how many are held */
	uint64_t serial;      /* st_ino */
	bool kept;            /* a FIFO's: not free while it keeps it */
	uint8_t buf[PIPE_SIZE];
};

static lx_pipe_t pipes[PIPE_MAX];
static uint64_t next_serial = 1;

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Segment i of io: the one buffer, or the i-th iovec read from p.
 * False when the iovec cannot be read. */
static bool io_segment(lx_process_t *p, const lx_pipe_io_t *io, uint64_t i, lx_iovec_t *seg)
{
	if (!io->vec) {
		seg->base = io->addr;
		seg->len = io->len;
		return true;
	}
	return lx_copy_in(p, seg, io->vec + i * sizeof(*seg), sizeof(*seg));
}

/* Move n bytes (no more than the ring holds or has room for, nor than io
 * still wants) between p's memory, from io->done on, and pp's ring. The
 * count moved; *fault when it stopped short at memory p cannot access. */
static uint64_t io_move(lx_process_t *p, lx_pipe_io_t *io, lx_pipe_t *pp, uint64_t n, bool *fault)
{
	uint64_t moved = 0, skip = io->done;
	uint64_t count = io->vec ? io->count : 1;
	*fault = false;
	for (uint64_t i = 0; i < count && moved < n && !*fault; i++) {
		lx_iovec_t seg;
		if (!io_segment(p, io, i, &seg)) {
			*fault = true;
			break;
		}
		if (seg.len <= skip) {
			skip -= seg.len;
			continue;
		}
		uint64_t addr = seg.base + skip, left = seg.len - skip;
		skip = 0;
		while (left && moved < n) {
			uint32_t at = io->write ? (pp->head + pp->count) % PIPE_SIZE : pp->head;
			uint64_t k = min_u64(min_u64(PIPE_SIZE - at, left), n - moved);
			bool ok = io->write ? lx_copy_in(p, pp->buf + at, addr, k) :
			                      lx_copy_out(p, addr, pp->buf + at, k);
			if (!ok) {
				*fault = true;
				break;
			}
			if (io->write) {
				pp->count += (uint32_t)k;
			} else {
				pp->head = (pp->head + (uint32_t)k) % PIPE_SIZE;
				pp->count -= (uint32_t)k;
			}
			moved += k;
			addr += k;
			left -= k;
		}
	}
	io->done += moved;
	return moved;
}

/* Go on with p's io on pp as far as it can: true with the call's result
 * in *ret when it is over, false when it must wait. */
static bool io_step(lx_process_t *p, lx_pipe_io_t *io, lx_pipe_t *pp, int64_t *ret)
{
	bool fault;
	uint64_t want = io->total - io->done;
	if (!io->write) {
		if (!pp->count) {
			*ret = 0; /* the end of the file, unless someone may still write */
			return !pp->end[1].refs;
		}
		uint64_t n = io_move(p, io, pp, min_u64(want, pp->count), &fault);
		*ret = n || !fault ? (int64_t)n : -LX_EFAULT;
		return true;
	}
	if (io->restart) {
		/* a sendfile that waits for room: made again once a byte fits,
		 * or to fail with EPIPE */
		*ret = 0;
		return !pp->end[0].refs || pp->count < PIPE_SIZE;
	}
	if (!pp->end[0].refs) {
		*ret = io->done ? (int64_t)io->done : -LX_EPIPE;
		return true;
	}
	uint64_t room = PIPE_SIZE - pp->count;
	if (io->total <= PIPE_BUF && room < want)
		return false; /* atomic: all of it or nothing yet */
	io_move(p, io, pp, min_u64(want, room), &fault);
	if (fault || io->done == io->total) {
		*ret = io->done ? (int64_t)io->done : -LX_EFAULT;
		return true;
	}
	return false;
}

/* A write found no reader: SIGPIPE to the writing thread t, from its
 * process as Linux says (SI_USER, its pid). */
static void sigpipe(lx_process_t *t)
{
	lx_sigqueued_t q = {.code = LX_SI_USER, .pid = (int32_t)lx_group(t)->pid};
	lx_signal_queue_thread(t, LX_SIGPIPE, &q);
}

/* Finish what the processes blocked on pp can do now. One finishing can
 * let another go on (a read makes room for a write), so until nothing
 * changes. */
static void pipe_wake(lx_pipe_t *pp)
{
	bool progress = true;
	while (progress) {
		progress = false;
		for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q)) {
			if (q->pipe_blocked != pp)
				continue;
			uint64_t before = q->pipe_io.done;
			int64_t ret;
			if (!io_step(q, &q->pipe_io, pp, &ret)) {
				progress |= q->pipe_io.done != before;
				continue;
			}
			q->pipe_blocked = NULL;
			if (q->pipe_io.restart) {
				lx_signal_restart(q, q->pipe_reply);
				continue; /* nothing moved yet */
			}
			if (ret == -LX_EPIPE)
				sigpipe(q);
			lx_signal_answer(q, q->pipe_reply, ret);
			progress = true;
		}
	}
	lx_poll_wake();
}

/* Whether c may block on a pipe: a Reply object is free to hold it in. */
static bool can_block(lx_call_t *c, bool write)
{
	if (server_can_defer(&lx_server, c->reply_object))
		return true;
	static bool logged;
	lx_log_once(&logged,
	            "linux: pid %lu (%s): a pipe %s would block, but every Reply object is "
	            "held: EAGAIN\n",
	            c->p->pid, c->p->name, write ? "write" : "read");
	return false;
}

/* The calling thread of c waits on pp for io to go on (pipe_wake). */
static void block(lx_call_t *c, lx_pipe_t *pp, const lx_pipe_io_t *io)
{
	c->t->pipe_blocked = pp;
	c->t->pipe_io = *io;
	c->t->pipe_reply = c->reply_object;
	c->reply = LX_REPLY_DEFER;
}

/* Whether f's calls must not wait: a FIFO's description has its own
 * flags, an anonymous pipe's end shares them. */
static bool nonblocking(const lx_file_t *f)
{
	uint32_t flags = f->node ? f->flags : f->pipe->end[f->pipe_write].flags;
	return flags & LX_O_NONBLOCK;
}

int64_t lx_pipe_transfer(lx_call_t *c, const lx_file_t *f, const lx_pipe_io_t *request)
{
	lx_process_t *p = c->p;
	lx_pipe_t *pp = f->pipe;
	if (request->write != f->pipe_write && !f->pipe_both)
		return -LX_EBADF;
	if (!request->total)
		return 0;
	lx_pipe_io_t io = *request;
	io.done = 0;
	int64_t ret;
	for (;;) {
		uint64_t before = io.done;
		bool over = io_step(p, &io, pp, &ret);
		if (io.done != before)
			pipe_wake(pp); /* readers of what came, or writers to the room made */
		if (over) {
			if (ret == -LX_EPIPE)
				sigpipe(c->t);
			return ret;
		}
		if (io.done == before)
			break; /* nothing moved, so nothing changed for anyone */
	}
	if (nonblocking(f))
		return io.done ? (int64_t)io.done : -LX_EAGAIN;
	if (!can_block(c, io.write))
		return io.done ? (int64_t)io.done : -LX_EAGAIN;
	/* The calling thread blocks; the transfer goes on in its process's
	 * memory (lx_copy_in and lx_copy_out see a thread's group). */
	block(c, pp, &io);
	return 0;
}

int64_t lx_pipe_room(lx_call_t *c, const lx_file_t *f)
{
	lx_pipe_t *pp = f->pipe;
	if (!pp->end[0].refs) {
		sigpipe(c->t);
		return -LX_EPIPE;
	}
	if (pp->count < PIPE_SIZE)
		return PIPE_SIZE - pp->count;
	if (nonblocking(f))
		return -LX_EAGAIN;
	if (!can_block(c, true))
		return -LX_EAGAIN;
	lx_pipe_io_t io = {.write = true, .restart = true};
	block(c, pp, &io);
	return 0;
}

void lx_pipe_put(const lx_file_t *f, const void *buf, size_t n)
{
	lx_pipe_t *pp = f->pipe;
	const uint8_t *src = buf;
	while (n) {
		uint32_t at = (pp->head + pp->count) % PIPE_SIZE;
		size_t k = min_u64(PIPE_SIZE - at, n);
		memcpy(pp->buf + at, src, k);
		pp->count += (uint32_t)k;
		src += k;
		n -= k;
	}
	pipe_wake(pp);
}

bool lx_pipe_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->pipe_blocked)
		return false;
	p->pipe_blocked = NULL;
	*reply = p->pipe_reply;
	return true;
}

int64_t lx_pipe_partial(lx_process_t *p)
{
	return (int64_t)p->pipe_io.done;
}

void lx_pipe_ref(const lx_file_t *f)
{
	f->pipe->end[f->pipe_write].refs++;
	if (f->pipe_both)
		f->pipe->end[!f->pipe_write].refs++;
}

/* One descriptor fewer on end e of pp. */
static void end_unref(lx_pipe_t *pp, unsigned e)
{
	if (--pp->end[e].refs == 0)
		pipe_wake(pp); /* readers see the end, writers EPIPE */
}

void lx_pipe_unref(const lx_file_t *f)
{
	lx_pipe_t *pp = f->pipe;
	end_unref(pp, f->pipe_write);
	if (f->pipe_both)
		end_unref(pp, !f->pipe_write);
	if (pp->kept && !pp->end[0].refs && !pp->end[1].refs)
		lx_fifo_idle(pp);
}

uint32_t *lx_pipe_flags(const lx_file_t *f)
{
	return &f->pipe->end[f->pipe_write].flags;
}

/* As Linux's pipe_poll: the read end is readable with data in the pipe and
 * hung up when no writer is left; the write end is writable when a write
 * of PIPE_BUF bytes would not wait (Linux: a free page slot), in error
 * when no reader is left. */
uint32_t lx_pipe_poll(const lx_file_t *f)
{
	const lx_pipe_t *pp = f->pipe;
	uint32_t mask = 0;
	if (!f->pipe_write || f->pipe_both) {
		if (pp->count)
			mask |= LX_POLLIN | LX_POLLRDNORM;
		if (!pp->end[1].refs)
			mask |= LX_POLLHUP;
	}
	if (f->pipe_write || f->pipe_both) {
		if (PIPE_SIZE - pp->count >= PIPE_BUF)
			mask |= LX_POLLOUT | LX_POLLWRNORM;
		if (!pp->end[0].refs)
			mask |= LX_POLLERR;
	}
	return mask;
}

uint64_t lx_pipe_available(const lx_file_t *f)
{
	return f->pipe->count;
}

uint64_t lx_pipe_inode(const lx_file_t *f)
{
	return f->pipe->serial;
}

uint64_t lx_pipe_dev(void)
{
	return PIPE_DEV;
}

/* Whether pipe i is free: no end open, no FIFO keeping it. */
static bool pipe_free(unsigned i)
{
	return !pipes[i].end[0].refs && !pipes[i].end[1].refs && !pipes[i].kept;
}

/* An empty free pipe with ends of flags (O_NONBLOCK or 0), or NULL
 * (logged once) when all PIPE_MAX are in use: ENFILE. */
static lx_pipe_t *pipe_new(const lx_process_t *p, uint32_t nonblock)
{
	unsigned i = 0;
	while (i < PIPE_MAX && !pipe_free(i))
		i++;
	if (i == PIPE_MAX) {
		static bool logged;
		lx_log_once(&logged, "linux: pid %lu (%s): all %d pipes are in use: ENFILE\n",
		            p->pid, p->name, PIPE_MAX);
		return NULL;
	}
	lx_pipe_t *pp = &pipes[i];
	pp->end[0] = (pipe_end_t){.refs = 0, .flags = LX_O_RDONLY | nonblock};
	pp->end[1] = (pipe_end_t){.refs = 0, .flags = LX_O_WRONLY | nonblock};
	pp->head = pp->count = 0;
	pp->serial = next_serial++;
	pp->kept = false;
	return pp;
}

lx_pipe_t *lx_pipe_keep(const lx_process_t *p)
{
	lx_pipe_t *pp = pipe_new(p, 0);
	if (pp)
		pp->kept = true;
	return pp;
}

void lx_pipe_let_go(lx_pipe_t *pp)
{
	pp->kept = false; /* free now: it has no end open */
}

unsigned lx_pipe_end_refs(const lx_pipe_t *pp, bool write)
{
	return pp->end[write].refs;
}

/* pipe2(fds, flags): descriptors for the read and the write end at fds[0]
 * and fds[1]. */
static int64_t make_pipe(lx_call_t *c, uint64_t fds_addr, uint64_t flags)
{
	lx_process_t *p = c->p;
	if (flags & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK))
		return -LX_EINVAL; /* O_DIRECT (packet mode) among them */
	lx_pipe_t *pp = pipe_new(p, (uint32_t)flags & LX_O_NONBLOCK);
	if (!pp)
		return -LX_ENFILE;

	bool cloexec = flags & LX_O_CLOEXEC;
	lx_file_t f = {.pipe = pp, .mode = LX_S_IFIFO | 0600};
	int32_t fds[2];
	int64_t r = lx_fd_open(p, &f, 0, cloexec);
	if (r < 0)
		return r; /* the pipe has no descriptor: free again */
	fds[0] = (int32_t)r;
	f.pipe_write = true;
	r = lx_fd_open(p, &f, 0, cloexec);
	if (r < 0) {
		lx_fd_close(p, fds[0]);
		return r;
	}
	fds[1] = (int32_t)r;
	if (!lx_copy_out(p, fds_addr, fds, sizeof(fds))) {
		lx_fd_close(p, fds[0]);
		lx_fd_close(p, fds[1]);
		return -LX_EFAULT;
	}
	return 0;
}

int64_t lx_sys_pipe(lx_call_t *c)
{
	return make_pipe(c, c->arg[0], 0);
}

int64_t lx_sys_pipe2(lx_call_t *c)
{
	return make_pipe(c, c->arg[0], (uint32_t)c->arg[1]);
}
