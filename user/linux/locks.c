/*
 * File locks: record locks and OFD locks (fcntl), and flock(2).
 *
 * Every lock lives in one table, whatever file it is on. A file is its
 * inode, a pipe (both ends are one inode, as on Linux) or the console. A
 * lock has an owner, a type (read or write) and a range of bytes:
 *
 *  - A record lock (F_SETLK) belongs to a process: its threads share it,
 *    fork does not pass it on, execve keeps it, and it goes when the
 *    process closes ANY descriptor of that file (the POSIX rule): at
 *    close, dup2 over it, execve's FD_CLOEXEC, the process's end.
 *  - An OFD lock (F_OFD_SETLK) belongs to an open file description: dup
 *    and fork share it, and it goes with the description's last
 *    descriptor. Record and OFD locks are one kind with two kinds of
 *    owner, so they conflict with each other, even within one process.
 *  - A flock lock belongs to a description too and covers the whole
 *    file; flock and fcntl locks never meet, as on Linux.
 *
 * An owner's locks on one file never conflict among themselves: a new one
 * replaces what it covers (splitting a lock it lands inside) and merges
 * with those of its type it overlaps or touches. Read locks share a
 * range; a write lock has it alone.
 *
 * The table keeps the order of Linux's list, which decides which of
 * several conflicting locks F_GETLK reports: per file, the owners in the
 * order they first locked it, each owner's locks together and by start.
 *
 * Waiting: F_SETLKW, F_OFD_SETLKW and flock without LOCK_NB wait as a
 * deferred reply (the waiters below) until the lock can be had. Every
 * change of a file's locks (an unlock, a close, an end) lets its waiters
 * try again, the oldest first. A signal interrupts a wait with EINTR, or
 * restarts it after a handler with SA_RESTART (Linux's -ERESTARTSYS;
 * signals.c). A record lock that would wait for a process which waits,
 * through its own record-lock waits, for the caller is EDEADLK, as
 * Linux's posix_locks_deadlock finds it; OFD and flock waits are never
 * checked, as on Linux.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define LOCK_MAX 256         /* locks in all (ENOLCK beyond) */
#define OFFSET_MAX INT64_MAX /* the end of a range that runs to the end */
#define DEADLOCK_STEPS 10    /* waits followed at most (MAX_DEADLK_ITERATIONS) */
#define BLOCKED 1            /* an attempt's answer: the request must wait */

typedef enum flavor {
	FLAVOR_RECORD, /* fcntl's: a process's record locks and OFD locks */
	FLAVOR_FLOCK,
} flavor_t;

/* A lock, or a request for one (type LX_F_UNLCK: to unlock). */
typedef struct lock {
	const void *key;       /* the file */
	const lx_file_t *desc; /* the owning description (OFD, flock); NULL: a process's */
	uint64_t pid;          /* the owning process's Linux pid (F_GETLK's l_pid) */
	flavor_t flavor;
	int16_t type;       /* LX_F_RDLCK, LX_F_WRLCK */
	int64_t start, end; /* the bytes start to end, both included */
} lock_t;

static lock_t locks[LOCK_MAX];
static unsigned nlocks;

/* A thread blocked until its request can be had. */
typedef struct waiter {
	lx_process_t *t; /* NULL: a free entry */
	unsigned reply;  /* the Reply object its call waits in */
	uint64_t order;  /* arrival: the oldest tries first */
	uint64_t pass;   /* the last wake pass that tried it */
	int64_t fd;      /* the descriptor it asked through */
	lock_t req;
} waiter_t;

/* A thread waits for one thing at a time, so one entry each is enough. */
static waiter_t waiters[LX_PROCESS_MAX];
static uint64_t next_order, next_pass;

/* The console's identity as a file. */
static const char console_key;

/* Which file f is, for locking: its inode, its pipe, or the console. */
static const void *file_key(const lx_file_t *f)
{
	if (f->node)
		return f->node;
	if (f->pipe)
		return f->pipe;
	return &console_key;
}

static bool same_owner(const lock_t *a, const lock_t *b)
{
	return a->flavor == b->flavor && a->desc == b->desc && (a->desc || a->pid == b->pid);
}

static bool overlap(const lock_t *a, const lock_t *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/* Whether lock l, held, stands in req's way. */
static bool conflicts(const lock_t *req, const lock_t *l)
{
	return l->key == req->key && l->flavor == req->flavor && !same_owner(req, l) &&
	       overlap(req, l) && (l->type == LX_F_WRLCK || req->type == LX_F_WRLCK);
}

/* The first lock in the table's order that stands in req's way, or NULL. */
static const lock_t *first_conflict(const lock_t *req)
{
	for (unsigned i = 0; i < nlocks; i++)
		if (conflicts(req, &locks[i]))
			return &locks[i];
	return NULL;
}

/* Every lock of o's owner and flavor on o's file goes: whether one did. */
static bool drop_owner(const lock_t *o)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < nlocks; i++)
		if (locks[i].key != o->key || !same_owner(&locks[i], o))
			locks[kept++] = locks[i];
	bool any = kept != nlocks;
	nlocks = kept;
	return any;
}

/* One owner's locks on one file while a request reshapes them: at most
 * all of them, one more where the request splits one, and the request. */
static lock_t mine[LOCK_MAX + 2];

/* The parts of req's owner's locks on its file that req's range leaves,
 * in order, into mine: their count. *first is where the owner's first
 * lock stands (nlocks: it has none), *old how many it has. */
static unsigned outside(const lock_t *req, unsigned *first, unsigned *old)
{
	unsigned n = 0;
	*first = nlocks;
	*old = 0;
	for (unsigned i = 0; i < nlocks; i++) {
		const lock_t *l = &locks[i];
		if (l->key != req->key || !same_owner(l, req))
			continue;
		if (!(*old)++)
			*first = i;
		if (!overlap(l, req)) {
			mine[n++] = *l;
			continue;
		}
		if (l->start < req->start) {
			mine[n] = *l;
			mine[n++].end = req->start - 1;
		}
		if (l->end > req->end) {
			mine[n] = *l;
			mine[n++].start = req->end + 1;
		}
	}
	return n;
}

/* add joins the n locks in mine, none of which it overlaps: it swallows
 * those of its type it touches, and the rest stay in order by start. The
 * new count. */
static unsigned join(unsigned n, lock_t add)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < n; i++) {
		const lock_t *l = &mine[i];
		/* start - 1, not end + 1: an end may be OFFSET_MAX */
		bool touches =
			l->type == add.type && (l->end == add.start - 1 || l->start - 1 == add.end);
		if (!touches) {
			mine[kept++] = *l;
			continue;
		}
		if (l->start < add.start)
			add.start = l->start;
		if (l->end > add.end)
			add.end = l->end;
	}
	unsigned at = kept;
	for (; at > 0 && mine[at - 1].start > add.start; at--)
		mine[at] = mine[at - 1];
	mine[at] = add;
	return kept + 1;
}

/* Apply record or OFD request req, which nothing stands in the way of:
 * its owner's locks on the file lose its range, and unless it unlocks,
 * it joins them. 0, or -ENOLCK when the table has no room. */
static int64_t record_apply(const lock_t *req)
{
	unsigned first, old;
	unsigned n = outside(req, &first, &old);
	if (req->type != LX_F_UNLCK)
		n = join(n, *req);
	if (nlocks - old + n > LOCK_MAX)
		return -LX_ENOLCK;
	bool had = first < nlocks;
	drop_owner(req);
	/* Where the owner's locks stood, or after every other owner's. */
	unsigned at = had ? first : nlocks;
	memmove(&locks[at + n], &locks[at], (nlocks - at) * sizeof(locks[0]));
	memcpy(&locks[at], mine, n * sizeof(locks[0]));
	nlocks += n;
	return 0;
}

/* The record-lock wait of the process that owns l, if it waits. */
static const waiter_t *owner_waiting(const lock_t *l)
{
	if (l->desc)
		return NULL; /* an OFD lock: no process owns it */
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++) {
		const waiter_t *w = &waiters[i];
		if (w->t && w->req.flavor == FLAVOR_RECORD && !w->req.desc && w->req.pid == l->pid)
			return w;
	}
	return NULL;
}

/* Whether waiting for blocker would close a cycle: its owner waits for a
 * lock whose owner waits ... for req's owner. */
static bool deadlock(const lock_t *req, const lock_t *blocker)
{
	if (req->desc)
		return false; /* OFD: Linux cannot tell who would wait */
	for (unsigned i = 0; i <= DEADLOCK_STEPS; i++) {
		const waiter_t *w = owner_waiting(blocker);
		if (!w || !(blocker = first_conflict(&w->req)))
			return false;
		if (same_owner(req, blocker))
			return true;
	}
	return false;
}

/* A record or OFD request: 0 when applied, -EAGAIN or (may_wait) BLOCKED
 * or -EDEADLK when a lock stands in its way, -ENOLCK. *changed: the
 * file's locks changed. */
static int64_t record_attempt(const lock_t *req, bool may_wait, bool *changed)
{
	const lock_t *l = req->type == LX_F_UNLCK ? NULL : first_conflict(req);
	if (l && !may_wait)
		return -LX_EAGAIN;
	if (l)
		return deadlock(req, l) ? -LX_EDEADLK : BLOCKED;
	int64_t r = record_apply(req);
	*changed = r == 0;
	return r;
}

/* A flock request: as record_attempt. A lock of another type the
 * description holds goes first, whether or not the new one can be had
 * (Linux converts that way: not atomically). */
static int64_t flock_attempt(const lock_t *req, bool may_wait, bool *changed)
{
	for (unsigned i = 0; i < nlocks; i++) {
		lock_t *l = &locks[i];
		if (l->key != req->key || !same_owner(l, req))
			continue;
		if (l->type == req->type)
			return 0;
		memmove(l, l + 1, (nlocks - i - 1) * sizeof(*l));
		nlocks--;
		*changed = true;
		break;
	}
	if (req->type == LX_F_UNLCK)
		return 0;
	if (first_conflict(req))
		return may_wait ? BLOCKED : -LX_EAGAIN;
	if (nlocks == LOCK_MAX)
		return -LX_ENOLCK;
	locks[nlocks++] = *req;
	*changed = true;
	return 0;
}

static int64_t attempt(const lock_t *req, bool may_wait, bool *changed)
{
	if (req->flavor == FLAVOR_FLOCK)
		return flock_attempt(req, may_wait, changed);
	return record_attempt(req, may_wait, changed);
}

/* w's wait is over: answer its call with ret. */
static void finish(waiter_t *w, int64_t ret)
{
	lx_process_t *t = w->t;
	unsigned reply = w->reply;
	w->t = NULL;
	lx_signal_answer(t, reply, ret);
}

/* The oldest waiter for key that this wake pass has not tried, or NULL. */
static waiter_t *untried(const void *key, uint64_t pass)
{
	waiter_t *oldest = NULL;
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++) {
		waiter_t *w = &waiters[i];
		if (w->t && w->req.key == key && w->pass < pass &&
		    (!oldest || w->order < oldest->order))
			oldest = w;
	}
	return oldest;
}

/*
 * key's locks changed: its waiters try again, the oldest first, and those
 * that are done (the lock had, or EDEADLK) are answered. A lock one takes
 * can free a range for another (a write lock turned read), so passes go
 * on while one changes anything. Answering may end a process, whose
 * closes wake again from within: each pick looks at the table afresh.
 */
static void wake(const void *key)
{
	for (bool progress = true; progress;) {
		progress = false;
		uint64_t pass = ++next_pass;
		for (waiter_t *w; (w = untried(key, pass));) {
			w->pass = pass;
			bool changed = false;
			int64_t r = attempt(&w->req, true, &changed);
			progress |= changed;
			if (r == BLOCKED)
				continue;
			finish(w, r);
			progress = true;
		}
	}
}

/* The request stays until it can be had: c's answer is deferred. */
static int64_t block(lx_call_t *c, int64_t fd, const lock_t *req)
{
	waiter_t *w = NULL;
	for (unsigned i = 0; i < LX_PROCESS_MAX && !w; i++)
		if (!waiters[i].t)
			w = &waiters[i];
	if (!w || !server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a lock wait would block, but every Reply object "
		            "is held: ENOLCK\n",
		            c->p->pid, c->p->name);
		return -LX_ENOLCK;
	}
	*w = (waiter_t){
		.t = c->t, .reply = c->reply_object, .order = ++next_order, .fd = fd, .req = *req};
	c->reply = LX_REPLY_DEFER;
	return 0;
}

/* Take req now, or fail, or (may_wait) wait for it. */
static int64_t lock_or_wait(lx_call_t *c, int64_t fd, const lock_t *req, bool may_wait)
{
	bool changed = false;
	int64_t r = attempt(req, may_wait, &changed);
	if (changed)
		wake(req->key);
	return r == BLOCKED ? block(c, fd, req) : r;
}

bool lx_lock_cancel(lx_process_t *p, unsigned *reply)
{
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++) {
		if (waiters[i].t != p)
			continue;
		waiters[i].t = NULL;
		*reply = waiters[i].reply;
		return true;
	}
	return false;
}

void lx_locks_close(lx_process_t *p, int64_t fd, const lx_file_t *f)
{
	/* A thread of p waiting through fd: Linux notices the descriptor
	 * gone when its wait ends (EBADF); here the wait ends now, as it
	 * must not outlive the description it names. */
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++)
		if (waiters[i].t && lx_group(waiters[i].t) == p && waiters[i].fd == fd)
			finish(&waiters[i], -LX_EBADF);
	lock_t o = {.key = file_key(f), .pid = p->pid, .flavor = FLAVOR_RECORD};
	bool changed = drop_owner(&o);
	if (!f->refs) {
		o.desc = f;
		changed |= drop_owner(&o);
		o.flavor = FLAVOR_FLOCK;
		changed |= drop_owner(&o);
	}
	if (changed)
		wake(o.key);
}

/* The access mode f was opened with (a pipe end's lives in pipe.c). */
static uint32_t access_mode(const lx_file_t *f)
{
	return (lx_flags_in_pipe(f) ? *lx_pipe_flags(f) : f->flags) & LX_O_ACCMODE;
}

/* The range fl asks for on f into req, as Linux's flock64_to_posix_lock
 * reads it: 0, -EINVAL or -EOVERFLOW. */
static int64_t range_from(const lx_file_t *f, const lx_flock_t *fl, lock_t *req)
{
	int64_t base;
	switch (fl->l_whence) {
	case LX_SEEK_SET:
		base = 0;
		break;
	case LX_SEEK_CUR:
		base = (int64_t)f->offset;
		break;
	case LX_SEEK_END:
		base = f->node ? (int64_t)f->node->size : 0;
		break;
	default:
		return -LX_EINVAL;
	}
	if (base < 0 || fl->l_start > OFFSET_MAX - base)
		return -LX_EOVERFLOW;
	int64_t start = base + fl->l_start;
	if (start < 0)
		return -LX_EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - start)
			return -LX_EOVERFLOW;
		req->start = start;
		req->end = start + (fl->l_len - 1);
	} else if (fl->l_len < 0) {
		/* POSIX-2001: the bytes before start */
		if (start + fl->l_len < 0)
			return -LX_EINVAL;
		req->start = start + fl->l_len;
		req->end = start - 1;
	} else {
		req->start = start;
		req->end = OFFSET_MAX;
	}
	return 0;
}

/* fcntl's request fl on f as a lock_t: 0, or -EINVAL / -EOVERFLOW in
 * Linux's order (the range, then the type, then an OFD's l_pid). */
static int64_t request_from(lx_process_t *p, const lx_file_t *f, const lx_flock_t *fl, bool ofd,
                            lock_t *req)
{
	*req = (lock_t){.key = file_key(f),
	                .desc = ofd ? f : NULL,
	                .pid = ofd ? 0 : p->pid,
	                .flavor = FLAVOR_RECORD,
	                .type = fl->l_type};
	int64_t r = range_from(f, fl, req);
	if (r)
		return r;
	if (fl->l_type != LX_F_RDLCK && fl->l_type != LX_F_WRLCK && fl->l_type != LX_F_UNLCK)
		return -LX_EINVAL;
	return 0;
}

/* The lock of req's owner that overlaps req (F_OFD_GETLK with F_UNLCK
 * asks which of its own locks a range holds), or NULL. */
static const lock_t *own_overlap(const lock_t *req)
{
	for (unsigned i = 0; i < nlocks; i++)
		if (locks[i].key == req->key && same_owner(req, &locks[i]) &&
		    overlap(req, &locks[i]))
			return &locks[i];
	return NULL;
}

/* F_GETLK and F_OFD_GETLK: fl, read from addr, gets the first lock in the
 * way (an OFD lock's l_pid is -1), or just l_type F_UNLCK. */
static int64_t get_lock(lx_process_t *p, const lx_file_t *f, lx_flock_t *fl, bool ofd,
                        uint64_t addr)
{
	/* Only F_OFD_GETLK takes F_UNLCK (newer Linux: older kernels say
	 * EINVAL there too). */
	if (!ofd && fl->l_type != LX_F_RDLCK && fl->l_type != LX_F_WRLCK)
		return -LX_EINVAL;
	lock_t req;
	int64_t r = request_from(p, f, fl, ofd, &req);
	if (r)
		return r;
	if (ofd && fl->l_pid != 0)
		return -LX_EINVAL;
	const lock_t *l = req.type == LX_F_UNLCK ? own_overlap(&req) : first_conflict(&req);
	if (!l) {
		fl->l_type = LX_F_UNLCK; /* the rest stays as it came */
	} else {
		fl->l_type = l->type;
		fl->l_whence = LX_SEEK_SET;
		fl->l_start = l->start;
		fl->l_len = l->end == OFFSET_MAX ? 0 : l->end - l->start + 1;
		fl->l_pid = l->desc ? -1 : (int32_t)l->pid;
	}
	return lx_copy_out(p, addr, fl, sizeof(*fl)) ? 0 : -LX_EFAULT;
}

/* F_SETLK, F_SETLKW and their OFD kin. */
static int64_t set_lock(lx_call_t *c, int64_t fd, const lx_file_t *f, const lx_flock_t *fl,
                        bool ofd, bool may_wait)
{
	lock_t req;
	int64_t r = request_from(c->p, f, fl, ofd, &req);
	if (r)
		return r;
	uint32_t acc = access_mode(f);
	if ((req.type == LX_F_RDLCK && acc != LX_O_RDONLY && acc != LX_O_RDWR) ||
	    (req.type == LX_F_WRLCK && acc != LX_O_WRONLY && acc != LX_O_RDWR))
		return -LX_EBADF;
	if (ofd && fl->l_pid != 0)
		return -LX_EINVAL;
	return lock_or_wait(c, fd, &req, may_wait);
}

int64_t lx_fcntl_lock(lx_call_t *c, int64_t fd, const lx_file_t *f, uint32_t cmd, uint64_t arg)
{
	if (f->flags & LX_O_PATH)
		return -LX_EBADF;
	lx_flock_t fl;
	if (!lx_copy_in(c->p, &fl, arg, sizeof(fl)))
		return -LX_EFAULT;
	bool ofd = cmd == LX_F_OFD_GETLK || cmd == LX_F_OFD_SETLK || cmd == LX_F_OFD_SETLKW;
	if (cmd == LX_F_GETLK || cmd == LX_F_OFD_GETLK)
		return get_lock(c->p, f, &fl, ofd, arg);
	return set_lock(c, fd, f, &fl, ofd, cmd == LX_F_SETLKW || cmd == LX_F_OFD_SETLKW);
}

/* flock(fd, operation) */
int64_t lx_sys_flock(lx_call_t *c)
{
	uint32_t op = (uint32_t)c->arg[1];
	if (op & LX_LOCK_MAND)
		return 0; /* long broken, now ignored (Linux warns once) */
	int16_t type;
	switch (op & ~(uint32_t)LX_LOCK_NB) {
	case LX_LOCK_SH:
		type = LX_F_RDLCK;
		break;
	case LX_LOCK_EX:
		type = LX_F_WRLCK;
		break;
	case LX_LOCK_UN:
		type = LX_F_UNLCK;
		break;
	default:
		return -LX_EINVAL;
	}
	int64_t fd = (int64_t)(uint32_t)c->arg[0];
	const lx_file_t *f = lx_fd_get(c->p, fd);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	lock_t req = {.key = file_key(f),
	              .desc = f,
	              .pid = c->p->pid,
	              .flavor = FLAVOR_FLOCK,
	              .type = type,
	              .start = 0,
	              .end = OFFSET_MAX};
	return lock_or_wait(c, fd, &req, !(op & LX_LOCK_NB));
}
