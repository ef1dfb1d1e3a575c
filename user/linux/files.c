/*
 * Opening and moving bytes: open, openat, creat, read and write on files
 * (io.c sends them here for anything that is not the console or a pipe),
 * pread64, pwrite64, readv, writev, preadv, pwritev, lseek, truncate,
 * ftruncate, fsync, fdatasync (personality.h).
 *
 * A path is walked in the ramfs (lookup.c) from the root, the current
 * directory or a directory descriptor. Bytes move through a bounce buffer
 * a page at a time, so a bad pointer part way through ends the call with
 * the count moved so far, as Linux does; the node decides what a read or
 * write means: file data (ramfs.c), a device (devices.c) or a /proc file
 * (procfs.c). Reading does not update atime (as if mounted noatime).
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define CHUNK 4096

int64_t lx_copy_string(lx_process_t *p, uint64_t addr, char *buf, size_t room)
{
	size_t done = 0;
	while (done < room) {
		uint64_t a = addr + done;
		size_t n = LX_PAGE_SIZE - (a & (LX_PAGE_SIZE - 1));
		if (n > room - done)
			n = room - done;
		if (!lx_copy_in(p, buf + done, a, n))
			return -LX_EFAULT;
		for (size_t i = 0; i < n; i++)
			if (buf[done + i] == 0)
				return (int64_t)(done + i + 1);
		done += n;
	}
	return 0;
}

int64_t lx_copy_path(lx_process_t *p, uint64_t addr, char *buf)
{
	int64_t n = lx_copy_string(p, addr, buf, LX_PATH_MAX);
	return n > 0 ? n - 1 : n < 0 ? n : -LX_ENAMETOOLONG;
}

int64_t lx_lookup(lx_process_t *p, int64_t dirfd, const char *path, unsigned flags, lx_where_t *w)
{
	lx_inode_t *base = p->cwd;
	if (!lx_ramfs_root())
		return -LX_ENOENT; /* no memory for even the root at the start */
	if (path[0] != '/' && dirfd != LX_AT_FDCWD) {
		lx_file_t *f = lx_fd_get(p, dirfd);
		if (!f)
			return -LX_EBADF;
		if (!f->node || !lx_is_dir(f->node))
			return -LX_ENOTDIR;
		base = f->node;
	}
	return lx_walk(base, path, flags, p->pid, w);
}

int64_t lx_lookup_user(lx_process_t *p, int64_t dirfd, uint64_t addr, unsigned flags, lx_where_t *w)
{
	static char path[LX_PATH_MAX];
	int64_t len = lx_copy_path(p, addr, path);
	if (len < 0)
		return len;
	return lx_lookup(p, dirfd, path, flags, w);
}

/* Create a regular file called w->name in w->dir (which has no such entry). */
static int64_t create_file(lx_process_t *p, lx_where_t *w, uint64_t mode)
{
	if (w->trailing_slash)
		return -LX_EISDIR;
	if (w->dir->fs != LX_FS_RAM)
		return -LX_ENOENT; /* /proc makes nothing */
	if (w->dir->nlink == 0)
		return -LX_ENOENT;
	lx_inode_t *n = lx_ramfs_new(LX_S_IFREG | ((uint32_t)mode & 07777 & ~p->umask));
	if (!n)
		return -LX_ENOSPC;
	int64_t err = lx_ramfs_link(w->dir, w->name, strlen(w->name), n);
	if (err) {
		lx_ramfs_hold(n); /* frees it: no name, no holder */
		lx_ramfs_release(n);
		return err;
	}
	w->node = n;
	return 0;
}

/* open's checks in the order Linux makes them. */
static int64_t open_at(lx_call_t *c, int64_t dirfd, uint64_t addr, uint64_t flags, uint64_t mode)
{
	lx_process_t *p = c->p;
	lx_where_t w;
	if ((flags & LX_O_TMPFILE_DIR) && (flags & LX_O_DIRECTORY))
		return -LX_EOPNOTSUPP; /* O_TMPFILE */
	bool excl = (flags & LX_O_CREAT) && (flags & LX_O_EXCL);
	unsigned follow = (flags & LX_O_NOFOLLOW) || excl ? 0 : LX_WALK_FOLLOW;
	int64_t err = lx_lookup_user(p, dirfd, addr, follow, &w);
	if (err)
		return err;
	uint64_t acc = flags & LX_O_ACCMODE;
	bool writes = acc == LX_O_WRONLY || acc == LX_O_RDWR;
	bool path_only = flags & LX_O_PATH;
	if (!w.node) {
		if (!(flags & LX_O_CREAT) || path_only)
			return -LX_ENOENT;
		if (!w.dir)
			return -LX_EISDIR;
		if ((err = create_file(p, &w, mode)))
			return err;
	} else {
		if (excl)
			return -LX_EEXIST;
		if (lx_is_symlink(w.node) && !path_only)
			return -LX_ELOOP; /* O_NOFOLLOW */
		if (lx_is_dir(w.node) && !path_only &&
		    (writes || (flags & (LX_O_CREAT | LX_O_TRUNC))))
			return -LX_EISDIR;
		if ((flags & LX_O_DIRECTORY) && !lx_is_dir(w.node))
			return -LX_ENOTDIR;
		if ((flags & LX_O_TRUNC) && writes && lx_is_reg(w.node) && !path_only &&
		    (err = lx_ramfs_truncate(w.node, 0)))
			return err;
	}
	lx_file_t f = {.node = w.node, .console = !path_only && lx_device_is_console(w.node)};
	f.flags = (uint32_t)(flags & ~(uint64_t)(LX_O_CREAT | LX_O_EXCL | LX_O_NOCTTY | LX_O_TRUNC |
	                                         LX_O_CLOEXEC)) |
	          LX_O_LARGEFILE;
	if ((w.node->mode & LX_S_IFMT) == LX_S_IFIFO && !path_only)
		return lx_fifo_open(c, &f, flags & LX_O_CLOEXEC); /* may wait for the other end */
	return lx_fd_open(p, &f, 0, flags & LX_O_CLOEXEC);
}

int64_t lx_sys_open(lx_call_t *c)
{
	return open_at(c, LX_AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], c->arg[2]);
}

int64_t lx_sys_openat(lx_call_t *c)
{
	return open_at(c, (int)c->arg[0], c->arg[1], (uint32_t)c->arg[2], c->arg[3]);
}

int64_t lx_sys_creat(lx_call_t *c)
{
	return open_at(c, LX_AT_FDCWD, c->arg[0], LX_O_CREAT | LX_O_WRONLY | LX_O_TRUNC, c->arg[1]);
}

bool lx_file_readable(const lx_file_t *f)
{
	return !(f->flags & LX_O_PATH) && (f->flags & LX_O_ACCMODE) != LX_O_WRONLY;
}

bool lx_file_writable(const lx_file_t *f)
{
	uint32_t acc = f->flags & LX_O_ACCMODE;
	return !(f->flags & LX_O_PATH) && (acc == LX_O_WRONLY || acc == LX_O_RDWR);
}

/* What reading or writing node means, by its kind. */
int64_t lx_node_read(lx_inode_t *n, uint64_t offset, void *buf, size_t len)
{
	if (n->fs == LX_FS_PROC)
		return lx_is_dir(n) ? -LX_EISDIR : lx_procfs_read(n, offset, buf, len);
	switch (n->mode & LX_S_IFMT) {
	case LX_S_IFREG:
		return lx_ramfs_read(n, offset, buf, len);
	case LX_S_IFDIR:
		return -LX_EISDIR;
	case LX_S_IFCHR:
		return lx_device_read(n, buf, len);
	default:
		return -LX_EINVAL;
	}
}

int64_t lx_node_write(lx_inode_t *n, uint64_t offset, const void *buf, size_t len)
{
	if (n->fs == LX_FS_PROC)
		return -LX_EIO; /* none of /proc's files takes writes */
	switch (n->mode & LX_S_IFMT) {
	case LX_S_IFREG:
		return lx_ramfs_write(n, offset, buf, len);
	case LX_S_IFCHR:
		return lx_device_write(n, len);
	default:
		return -LX_EINVAL;
	}
}

/* Read len bytes of f's node from offset to addr in p: the count, or -errno
 * when nothing was read. */
static int64_t read_at(lx_process_t *p, lx_file_t *f, uint64_t offset, uint64_t addr, uint64_t len)
{
	static char buf[CHUNK];
	uint64_t done = 0;
	if (!f->node || !lx_file_readable(f))
		return -LX_EBADF;
	if (lx_is_dir(f->node))
		return -LX_EISDIR;
	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	while (done < len) {
		uint64_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
		int64_t n = lx_node_read(f->node, offset + done, buf, want);
		if (n < 0)
			return done ? (int64_t)done : n;
		if (n == 0)
			break;
		if (!lx_copy_out(p, addr + done, buf, (size_t)n))
			return done ? (int64_t)done : -LX_EFAULT;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;
	}
	return (int64_t)done;
}

/* Write len bytes at addr in p to f's node at offset: the count, or -errno
 * when nothing was written. */
static int64_t write_at(lx_process_t *p, lx_file_t *f, uint64_t offset, uint64_t addr, uint64_t len)
{
	static char buf[CHUNK];
	uint64_t done = 0;
	if (!f->node || !lx_file_writable(f))
		return -LX_EBADF;
	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	if (lx_device_ignores_data(f->node))
		return lx_device_write(f->node, len);
	while (done < len) {
		uint64_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (!lx_copy_in(p, buf, addr + done, want))
			return done ? (int64_t)done : -LX_EFAULT;
		int64_t n = lx_node_write(f->node, offset + done, buf, want);
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;
	}
	return (int64_t)done;
}

int64_t lx_file_read(lx_process_t *p, lx_file_t *f, uint64_t addr, uint64_t len)
{
	int64_t n = read_at(p, f, f->offset, addr, len);
	if (n > 0)
		f->offset += (uint64_t)n;
	return n;
}

int64_t lx_file_write(lx_process_t *p, lx_file_t *f, uint64_t addr, uint64_t len)
{
	if (f->node && (f->flags & LX_O_APPEND) && lx_is_reg(f->node))
		f->offset = f->node->size;
	if (len == 0)
		return f->node && lx_file_writable(f) ? 0 : -LX_EBADF;
	int64_t n = write_at(p, f, f->offset, addr, len);
	if (n > 0)
		f->offset += (uint64_t)n;
	return n;
}

/* The description of fd for a positioned transfer at offset: a console or
 * a pipe cannot seek. */
static int64_t positioned(lx_call_t *c, int64_t offset, lx_file_t **f)
{
	*f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!*f)
		return -LX_EBADF;
	if ((*f)->console || (*f)->pipe)
		return -LX_ESPIPE;
	if (offset < 0)
		return -LX_EINVAL;
	return 0;
}

int64_t lx_sys_pread64(lx_call_t *c)
{
	lx_file_t *f;
	int64_t err = positioned(c, (int64_t)c->arg[3], &f);
	return err ? err : read_at(c->p, f, c->arg[3], c->arg[1], c->arg[2]);
}

int64_t lx_sys_pwrite64(lx_call_t *c)
{
	lx_file_t *f;
	int64_t err = positioned(c, (int64_t)c->arg[3], &f);
	if (err)
		return err;
	if (c->arg[2] == 0)
		return lx_file_writable(f) ? 0 : -LX_EBADF;
	/* With O_APPEND, Linux appends whatever the offset says. */
	uint64_t at = (f->flags & LX_O_APPEND) && f->node ? f->node->size : c->arg[3];
	return write_at(c->p, f, at, c->arg[1], c->arg[2]);
}

/*
 * readv, writev, preadv, pwritev on a file: one transfer per iovec, in
 * order, stopping at the first short one. at is the offset to use (-1: the
 * description's, which moves).
 */
static int64_t vector_io(lx_call_t *c, lx_file_t *f, bool write, int64_t at)
{
	static lx_iovec_t iov[LX_UIO_MAXIOV];
	int count = (int)c->arg[2];
	uint64_t total;
	int64_t err = lx_iovec_load(c->p, c->arg[1], count, iov, &total);
	if (err)
		return err;
	if (!(write ? lx_file_writable(f) : lx_file_readable(f)) || !f->node)
		return -LX_EBADF;
	uint64_t done = 0;
	for (int i = 0; i < count && done < total; i++) {
		uint64_t want = iov[i].len < total - done ? iov[i].len : total - done;
		if (!want)
			continue;
		int64_t n;
		if (at < 0)
			n = write ? lx_file_write(c->p, f, iov[i].base, want) :
			            lx_file_read(c->p, f, iov[i].base, want);
		else if (write)
			n = write_at(c->p, f, (uint64_t)at + done, iov[i].base, want);
		else
			n = read_at(c->p, f, (uint64_t)at + done, iov[i].base, want);
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;
	}
	return (int64_t)done;
}

int64_t lx_file_readv(lx_call_t *c, lx_file_t *f)
{
	return vector_io(c, f, false, -1);
}

int64_t lx_file_writev(lx_call_t *c, lx_file_t *f)
{
	return vector_io(c, f, true, -1);
}

int64_t lx_sys_preadv(lx_call_t *c)
{
	lx_file_t *f;
	int64_t err = positioned(c, (int64_t)c->arg[3], &f);
	return err ? err : vector_io(c, f, false, (int64_t)c->arg[3]);
}

int64_t lx_sys_pwritev(lx_call_t *c)
{
	lx_file_t *f;
	int64_t err = positioned(c, (int64_t)c->arg[3], &f);
	if (err)
		return err;
	bool append = (f->flags & LX_O_APPEND) && f->node;
	return vector_io(c, f, true, append ? (int64_t)f->node->size : (int64_t)c->arg[3]);
}

int64_t lx_sys_lseek(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	int64_t off = (int64_t)c->arg[1];
	uint64_t whence = (uint32_t)c->arg[2];
	if (!f)
		return -LX_EBADF;
	if (f->console || f->pipe || !f->node)
		return -LX_ESPIPE;
	if ((f->node->mode & LX_S_IFMT) == LX_S_IFCHR)
		return whence <= LX_SEEK_END ? 0 : -LX_EINVAL; /* devices stay at 0 */
	bool reg = lx_is_reg(f->node) && f->node->fs == LX_FS_RAM;
	int64_t size = (int64_t)f->node->size, from;
	switch (whence) {
	case LX_SEEK_SET:
		from = 0;
		break;
	case LX_SEEK_CUR:
		from = (int64_t)f->offset;
		break;
	case LX_SEEK_END:
		if (lx_is_dir(f->node))
			return -LX_EINVAL;
		from = reg ? size : 0;
		break;
	case LX_SEEK_DATA: /* all of a file is data: holes are not tracked */
	case LX_SEEK_HOLE:
		if (!reg)
			return -LX_EINVAL;
		if (off < 0 || off >= size)
			return -LX_ENXIO;
		f->offset = whence == LX_SEEK_DATA ? (uint64_t)off : (uint64_t)size;
		return (int64_t)f->offset;
	default:
		return -LX_EINVAL;
	}
	if ((off > 0 && from > INT64_MAX - off) || from + off < 0)
		return -LX_EINVAL;
	f->offset = (uint64_t)(from + off);
	return (int64_t)f->offset;
}

static int64_t truncate_node(lx_inode_t *n, int64_t length)
{
	if (length < 0)
		return -LX_EINVAL;
	if (lx_is_dir(n))
		return -LX_EISDIR;
	if (!lx_is_reg(n) || n->fs != LX_FS_RAM)
		return -LX_EINVAL;
	return lx_ramfs_truncate(n, (uint64_t)length);
}

int64_t lx_sys_truncate(lx_call_t *c)
{
	lx_where_t w;
	int64_t err = lx_lookup_user(c->p, LX_AT_FDCWD, c->arg[0], LX_WALK_FOLLOW, &w);
	if (err)
		return err;
	if (!w.node)
		return -LX_ENOENT;
	return truncate_node(w.node, (int64_t)c->arg[1]);
}

int64_t lx_sys_ftruncate(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	if (f->pipe || f->console || !f->node || !lx_is_reg(f->node))
		return -LX_EINVAL;
	if (!lx_file_writable(f))
		return (f->flags & LX_O_PATH) ? -LX_EBADF : -LX_EINVAL;
	return truncate_node(f->node, (int64_t)c->arg[1]);
}

/* fsync and fdatasync: everything is in memory already; only the
 * descriptor is checked. */
int64_t lx_sys_fsync(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	return f->pipe || f->console ? -LX_EINVAL : 0;
}
