/*
 * sendfile and copy_file_range: bytes from a file to another descriptor
 * without passing through the process, with Linux 6.1's rules.
 *
 * sendfile's source must be what Linux can splice from: a regular file
 * (at its offset, or at *offset_ptr, which moves instead of the file's),
 * or, into a pipe only, /dev/zero, full, random or urandom; a pipe, a
 * directory, the terminal, /dev/null or a /proc file is EINVAL. Into a
 * pipe, one call moves at most what the pipe has room for (Linux splices
 * the file's pages into its free slots) and waits only while the pipe is
 * full: the caller blocks as a pipe write does and the call is made again
 * when room comes (lx_pipe_room), so nothing is moved before the wait and
 * nothing is owed after it. To anything else (a file, the terminal, a
 * device) the whole count moves, through a buffer here, as Linux moves it
 * through its internal pipe; an O_APPEND destination is EINVAL.
 *
 * copy_file_range copies between two regular files, up to the source's
 * end. splice and tee are not here (ENOSYS): they need a pipe read that
 * can block on the way to a file.
 */
#include "personality.h"

#define BUF_SIZE 16384 /* a pipe's size: sendfile into one never moves more */

static uint8_t buf[BUF_SIZE];

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Whether f may be read (FMODE_READ): a pipe's read end, else by its
 * access mode. */
static bool can_read(const lx_file_t *f)
{
	return f->pipe ? !f->pipe_write : lx_file_readable(f);
}

static bool can_write(const lx_file_t *f)
{
	return f->pipe ? f->pipe_write : lx_file_writable(f);
}

static bool regular(const lx_file_t *f)
{
	return !f->pipe && !f->console && f->node && lx_is_reg(f->node) && f->node->fs == LX_FS_RAM;
}

/* Whether Linux can splice from f (its splice_read): a regular file, or
 * into a pipe a device that reads without end. */
static bool splice_source(const lx_file_t *f, bool into_pipe)
{
	if (regular(f))
		return true;
	return into_pipe && !f->pipe && !f->console && f->node && lx_device_splice_reads(f->node);
}

/* Fill buf with up to len bytes of node n from pos: the count, short only
 * at the end, or -errno when nothing was read. */
static int64_t fill(lx_inode_t *n, uint64_t pos, size_t len)
{
	size_t got = 0;
	while (got < len) {
		int64_t r = lx_node_read(n, pos + got, buf + got, len - got);
		if (r < 0)
			return got ? (int64_t)got : r;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (int64_t)got;
}

/* n bytes of buf to out (not a pipe), at *at (which moves): the count
 * written or -errno. */
static int64_t drain(lx_file_t *out, uint64_t *at, size_t n)
{
	if (out->console) {
		lx_console_write(buf, n);
		return (int64_t)n;
	}
	if (!out->node)
		return -LX_EBADF;
	int64_t w = lx_node_write(out->node, *at, buf, n);
	if (w > 0)
		*at += (uint64_t)w;
	return w;
}

/* Up to count bytes of node src from *pos to out at *at, both of which
 * move: the bytes moved, or -errno when none were. */
static int64_t pump(lx_inode_t *src, uint64_t *pos, lx_file_t *out, uint64_t *at, uint64_t count)
{
	uint64_t done = 0;
	while (done < count) {
		size_t want = (size_t)min_u64(count - done, BUF_SIZE);
		int64_t n = fill(src, *pos, want);
		if (n <= 0)
			return done ? (int64_t)done : n;
		int64_t w = drain(out, at, (size_t)n);
		if (w < 0)
			return done ? (int64_t)done : w;
		done += (uint64_t)w;
		*pos += (uint64_t)w;
		if (w < n || (size_t)n < want)
			break;
	}
	return (int64_t)done;
}

/* sendfile into a pipe: what fits now, from *pos on (which moves). */
static int64_t into_pipe(lx_call_t *c, lx_file_t *in, uint64_t *pos, lx_file_t *out, uint64_t count)
{
	int64_t room = lx_pipe_room(c, out);
	if (room <= 0)
		return room; /* EPIPE, EAGAIN, or it waits (0) */
	if (!splice_source(in, true))
		return -LX_EINVAL;
	int64_t n = fill(in->node, *pos, min_u64(count, (uint64_t)room));
	if (n > 0) {
		lx_pipe_put(out, buf, (size_t)n);
		*pos += (uint64_t)n;
	}
	return n;
}

/* The whole count from in at *pos (which moves) to out, which is not a
 * pipe: the bytes moved, or -errno when none were. */
static int64_t direct(lx_call_t *c, lx_file_t *in, uint64_t *pos, lx_file_t *out, uint64_t count)
{
	if (out->flags & LX_O_APPEND)
		return -LX_EINVAL;
	if (!splice_source(in, false))
		return -LX_EINVAL;
	if (out->console && count) {
		int64_t err = lx_tty_write_check(c);
		if (err)
			return err;
	}
	return pump(in->node, pos, out, &out->offset, count);
}

/* do_sendfile's checks, in its order, then the move from *pos. */
static int64_t send(lx_call_t *c, int64_t out_fd, int64_t in_fd, bool have_pos, int64_t *pos,
                    uint64_t count)
{
	lx_file_t *in = lx_fd_get(c->p, in_fd);
	if (!in || !can_read(in))
		return -LX_EBADF;
	if (have_pos && (in->pipe || in->console))
		return -LX_ESPIPE; /* no pread on them */
	if (!have_pos)
		*pos = (int64_t)in->offset;
	if ((int64_t)count < 0 || *pos < 0 || (int64_t)((uint64_t)*pos + count) < 0)
		return -LX_EINVAL;
	count = min_u64(count, LX_MAX_RW_COUNT);
	lx_file_t *out = lx_fd_get(c->p, out_fd);
	if (!out || !can_write(out))
		return -LX_EBADF;
	uint64_t at = (uint64_t)*pos;
	int64_t n = out->pipe ? into_pipe(c, in, &at, out, count) : direct(c, in, &at, out, count);
	if (n > 0) {
		*pos = (int64_t)at;
		if (!have_pos)
			in->offset = at;
	}
	return n;
}

/* sendfile(out_fd, in_fd, offset, count). */
int64_t lx_sys_sendfile(lx_call_t *c)
{
	uint64_t addr = c->arg[2];
	int64_t pos = 0;
	if (addr && !lx_copy_in(c->p, &pos, addr, sizeof(pos)))
		return -LX_EFAULT;
	int64_t n = send(c, (int)c->arg[0], (int)c->arg[1], addr != 0, &pos, c->arg[3]);
	if (c->reply == LX_REPLY_DEFER)
		return n; /* made again when the pipe has room */
	/* Linux writes the offset back whatever the outcome. */
	if (addr && !lx_copy_out(c->p, addr, &pos, sizeof(pos)))
		return -LX_EFAULT;
	return n;
}

/* Where copy_file_range reads or writes: at *addr (0: at f's offset). */
static bool load_pos(lx_process_t *p, const lx_file_t *f, uint64_t addr, int64_t *pos)
{
	if (!addr) {
		*pos = (int64_t)f->offset;
		return true;
	}
	return lx_copy_in(p, pos, addr, sizeof(*pos));
}

/* generic_copy_file_checks and rw_verify_area: 0, or -errno; *count is
 * cut to the source's end. A /proc file is regular but of another file
 * system, which Linux does not copy across. */
static int64_t copy_checks(const lx_file_t *in, int64_t pos_in, const lx_file_t *out,
                           int64_t pos_out, uint64_t *count)
{
	bool in_dir = in->node && lx_is_dir(in->node), out_dir = out->node && lx_is_dir(out->node);
	if (in_dir || out_dir)
		return -LX_EISDIR;
	if (!in->node || !lx_is_reg(in->node) || !out->node || !lx_is_reg(out->node))
		return -LX_EINVAL; /* a pipe, the terminal, a device */
	if (!lx_file_readable(in) || !lx_file_writable(out) || (out->flags & LX_O_APPEND))
		return -LX_EBADF;
	if (in->node->fs != out->node->fs)
		return -LX_EXDEV;
	uint64_t n = *count;
	if ((uint64_t)pos_in + n < (uint64_t)pos_in || (uint64_t)pos_out + n < (uint64_t)pos_out)
		return -LX_EOVERFLOW;
	uint64_t size = in->node->size;
	n = pos_in >= (int64_t)size ? 0 : min_u64(n, size - (uint64_t)pos_in);
	if (in->node == out->node && (uint64_t)pos_out + n > (uint64_t)pos_in &&
	    (uint64_t)pos_out < (uint64_t)pos_in + n)
		return -LX_EINVAL; /* overlapping ranges of one file */
	if ((int64_t)n < 0 || pos_in < 0 || pos_out < 0 || (int64_t)((uint64_t)pos_in + n) < 0 ||
	    (int64_t)((uint64_t)pos_out + n) < 0)
		return -LX_EINVAL;
	*count = n;
	return 0;
}

/* Store the new position of a copy_file_range side: at addr, or as f's
 * offset. False when addr cannot be written. */
static bool store_pos(lx_process_t *p, lx_file_t *f, uint64_t addr, int64_t pos)
{
	if (!addr) {
		f->offset = (uint64_t)pos;
		return true;
	}
	return lx_copy_out(p, addr, &pos, sizeof(pos));
}

/* copy_file_range(fd_in, off_in, fd_out, off_out, len, flags). */
int64_t lx_sys_copy_file_range(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t off_in = c->arg[1], off_out = c->arg[3], count = c->arg[4];
	lx_file_t *in = lx_fd_get(p, (int)c->arg[0]);
	lx_file_t *out = lx_fd_get(p, (int)c->arg[2]);
	int64_t pos_in, pos_out;
	if (!in || !out || (in->flags & LX_O_PATH) || (out->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!load_pos(p, in, off_in, &pos_in) || !load_pos(p, out, off_out, &pos_out))
		return -LX_EFAULT;
	if ((uint32_t)c->arg[5])
		return -LX_EINVAL;
	int64_t err = copy_checks(in, pos_in, out, pos_out, &count);
	if (err)
		return err;
	uint64_t at_in = (uint64_t)pos_in, at_out = (uint64_t)pos_out;
	int64_t n = pump(in->node, &at_in, out, &at_out, min_u64(count, LX_MAX_RW_COUNT));
	if (n <= 0)
		return n;
	bool ok = store_pos(p, in, off_in, (int64_t)at_in);
	ok &= store_pos(p, out, off_out, (int64_t)at_out);
	return ok ? n : -LX_EFAULT;
}
