/*
 * Files of the boot archive for Linux programs: open, read, lseek,
 * getdents64, the current directory and readlink (personality.h). The
 * archive is read-only: every way of opening for writing or creating is
 * EROFS, as on a read-only mount.
 *
 * Lookup: the path is made absolute and normalized (path.c), and a symlink
 * at its end is followed when the call follows symlinks. Symlinks in the
 * middle of a path are not (the archive rarely has any); ".." is lexical.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define SYMLINK_HOPS_MAX 40 /* Linux's MAXSYMLINKS */
#define READ_CHUNK PROC_FILE_READ_MAX

static bool is_dir(uint32_t mode)
{
	return (mode & LX_S_IFMT) == LX_S_IFDIR;
}

static bool is_symlink(uint32_t mode)
{
	return (mode & LX_S_IFMT) == LX_S_IFLNK;
}

uint64_t lx_inode(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (; *path; path++)
		h = (h ^ (uint8_t)*path) * 0x100000001b3ULL;
	h &= 0x7fffffffffffULL;
	return h ? h : 1;
}

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
	int64_t n = lx_copy_string(p, addr, buf, PROC_PATH_MAX);
	return n > 0 ? n - 1 : n < 0 ? n : -LX_ENAMETOOLONG;
}

/* path is missing: ENOTDIR when the nearest ancestor that exists is no
 * directory ("/bin/sh/x"), else ENOENT. */
static int64_t missing(const char *path)
{
	char dir[PROC_PATH_MAX];
	lx_path_parent(path, dir, sizeof(dir));
	for (;;) {
		uint32_t mode;
		uint64_t size;
		if (lx_archive_stat(dir, &mode, &size) == 0)
			return is_dir(mode) ? -LX_ENOENT : -LX_ENOTDIR;
		if (strcmp(dir, "/") == 0)
			return -LX_ENOENT;
		lx_path_parent(dir, dir, sizeof(dir));
	}
}

/* The directory a relative path starts from. */
static int64_t base_dir(lx_process_t *p, int64_t dirfd, const char *path, const char **base)
{
	if (path[0] == '/' || dirfd == LX_AT_FDCWD) {
		*base = p->cwd;
		return 0;
	}
	lx_file_t *f = lx_fd_get(p, dirfd);
	if (!f)
		return -LX_EBADF;
	if (f->console || !is_dir(f->mode))
		return -LX_ENOTDIR;
	*base = f->path;
	return 0;
}

int64_t lx_lookup(lx_process_t *p, int64_t dirfd, const char *path, bool follow, lx_node_t *n)
{
	const char *base;
	int64_t err = base_dir(p, dirfd, path, &base);
	if (err)
		return err;
	int r = lx_path_resolve(base, path, n->path, sizeof(n->path));
	if (r < 0)
		return r;
	bool want_dir = r == LX_PATH_DIR;
	for (int hops = 0;; hops++) {
		err = lx_archive_stat(n->path, &n->mode, &n->size);
		if (err == -LX_ENOENT)
			return missing(n->path);
		if (err)
			return err;
		if (!is_symlink(n->mode) || !(follow || want_dir))
			break;
		if (hops == SYMLINK_HOPS_MAX)
			return -LX_ELOOP;
		char target[PROC_PATH_MAX], dir[PROC_PATH_MAX];
		int64_t len = lx_archive_read(n->path, 0, target, sizeof(target) - 1);
		if (len <= 0)
			return len ? len : -LX_ENOENT;
		target[len] = 0;
		lx_path_parent(n->path, dir, sizeof(dir));
		r = lx_path_resolve(dir, target, n->path, sizeof(n->path));
		if (r < 0)
			return r;
		want_dir |= r == LX_PATH_DIR;
	}
	if (want_dir && !is_dir(n->mode))
		return -LX_ENOTDIR;
	return 0;
}

/* open's checks in the order Linux makes them on a read-only mount. */
static int64_t open_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t flags)
{
	char path[PROC_PATH_MAX];
	lx_node_t n;
	int64_t len = lx_copy_path(p, addr, path);
	if (len < 0)
		return len;
	bool writes = (flags & LX_O_ACCMODE) != LX_O_RDONLY || (flags & LX_O_TRUNC);
	if ((flags & LX_O_TMPFILE_DIR) && (flags & LX_O_DIRECTORY))
		return -LX_EROFS;
	bool follow = !(flags & LX_O_NOFOLLOW) && !((flags & LX_O_CREAT) && (flags & LX_O_EXCL));
	int64_t err = lx_lookup(p, dirfd, path, follow, &n);
	if (err == -LX_ENOENT && (flags & LX_O_CREAT)) {
		char dir[PROC_PATH_MAX];
		uint32_t mode;
		uint64_t size;
		lx_path_parent(n.path, dir, sizeof(dir));
		/* Creating needs the directory it would go in; the mount refuses it. */
		if (lx_archive_stat(dir, &mode, &size) == 0 && is_dir(mode))
			return -LX_EROFS;
	}
	if (err)
		return err;
	if ((flags & LX_O_CREAT) && (flags & LX_O_EXCL))
		return -LX_EEXIST;
	if (is_symlink(n.mode))
		return -LX_ELOOP; /* O_NOFOLLOW */
	if (is_dir(n.mode) && (writes || (flags & LX_O_CREAT)))
		return -LX_EISDIR;
	if ((flags & LX_O_DIRECTORY) && !is_dir(n.mode))
		return -LX_ENOTDIR;
	if (writes)
		return -LX_EROFS;
	lx_file_t f = {.mode = n.mode, .size = n.size};
	f.flags = (uint32_t)(flags & ~(uint64_t)(LX_O_CREAT | LX_O_EXCL | LX_O_NOCTTY | LX_O_TRUNC |
	                                         LX_O_CLOEXEC)) |
	          LX_O_LARGEFILE;
	memcpy(f.path, n.path, sizeof(f.path));
	return lx_fd_open(p, &f, 0, flags & LX_O_CLOEXEC);
}

int64_t lx_sys_open(lx_call_t *c)
{
	return open_at(c->p, LX_AT_FDCWD, c->arg[0], (uint32_t)c->arg[1]);
}

int64_t lx_sys_openat(lx_call_t *c)
{
	return open_at(c->p, (int)c->arg[0], c->arg[1], (uint32_t)c->arg[2]);
}

/* Read len bytes of f from offset to addr in p: the count, or -errno when
 * nothing was read. */
static int64_t read_at(lx_process_t *p, lx_file_t *f, uint64_t offset, uint64_t addr, uint64_t len)
{
	char buf[READ_CHUNK];
	uint64_t done = 0;
	if (is_dir(f->mode))
		return -LX_EISDIR;
	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	while (done < len) {
		uint64_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
		int64_t n = lx_archive_read(f->path, offset + done, buf, want);
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

int64_t lx_file_read(lx_process_t *p, lx_file_t *f, uint64_t addr, uint64_t len)
{
	int64_t n = read_at(p, f, f->offset, addr, len);
	if (n > 0)
		f->offset += (uint64_t)n;
	return n;
}

int64_t lx_sys_pread64(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	int64_t offset = (int64_t)c->arg[3];
	if (!f)
		return -LX_EBADF;
	if (f->console || f->pipe)
		return -LX_ESPIPE;
	if (offset < 0)
		return -LX_EINVAL;
	return read_at(c->p, f, (uint64_t)offset, c->arg[1], c->arg[2]);
}

int64_t lx_sys_readv(lx_call_t *c)
{
	static lx_iovec_t iov[LX_UIO_MAXIOV];
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	int count = (int)c->arg[2];
	if (!f)
		return -LX_EBADF;
	if (f->console)
		return lx_sys_read(c); /* the console cannot be read yet */
	uint64_t total;
	int64_t err = lx_iovec_load(c->p, c->arg[1], count, iov, &total);
	if (err || count == 0)
		return err;
	if (f->pipe) {
		lx_pipe_io_t io = {
			.write = false, .vec = c->arg[1], .count = (uint64_t)count, .total = total};
		return lx_pipe_transfer(c, f, &io);
	}
	uint64_t done = 0;
	for (int i = 0; i < count; i++) {
		if (!iov[i].len)
			continue;
		int64_t n = lx_file_read(c->p, f, iov[i].base, iov[i].len);
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		if ((uint64_t)n < iov[i].len)
			break;
	}
	return (int64_t)done;
}

int64_t lx_sys_lseek(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	int64_t off = (int64_t)c->arg[1];
	uint64_t whence = (uint32_t)c->arg[2];
	if (!f)
		return -LX_EBADF;
	if (f->console || f->pipe)
		return -LX_ESPIPE;
	int64_t from;
	if (whence == LX_SEEK_SET)
		from = 0;
	else if (whence == LX_SEEK_CUR)
		from = (int64_t)f->offset;
	else if (whence == LX_SEEK_END && !is_dir(f->mode))
		from = (int64_t)f->size;
	else
		return -LX_EINVAL;
	if ((off > 0 && from > INT64_MAX - off) || from + off < 0)
		return -LX_EINVAL;
	f->offset = (uint64_t)(from + off);
	return (int64_t)f->offset;
}

static uint8_t dirent_type(uint32_t mode)
{
	switch (mode & LX_S_IFMT) {
	case LX_S_IFDIR:
		return LX_DT_DIR;
	case LX_S_IFREG:
		return LX_DT_REG;
	case LX_S_IFLNK:
		return LX_DT_LNK;
	default:
		return LX_DT_UNKNOWN;
	}
}

/* Append the record of one entry to buf (used of size bytes): false when it
 * does not fit. */
static bool put_dirent(char *buf, size_t size, size_t *used, uint64_t ino, uint64_t next,
                       uint8_t type, const char *name)
{
	size_t len = strlen(name);
	size_t reclen = (LX_DIRENT64_NAME_OFFSET + len + 1 + 7) & ~(size_t)7;
	if (reclen > size - *used)
		return false;
	lx_dirent64_t *d = (lx_dirent64_t *)(buf + *used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = type;
	memcpy(buf + *used + LX_DIRENT64_NAME_OFFSET, name, len);
	*used += reclen;
	return true;
}

/* getdents64(fd, dirp, count): "." and ".." first, then the archive's
 * entries in its order; the description's offset counts entries. */
int64_t lx_sys_getdents64(lx_call_t *c)
{
	static char buf[4096];
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	uint64_t count = (uint32_t)c->arg[2];
	if (!f)
		return -LX_EBADF;
	if (f->console || !is_dir(f->mode))
		return -LX_ENOTDIR;
	size_t size = count < sizeof(buf) ? count : sizeof(buf), used = 0;
	for (;;) {
		char name[PROC_PATH_MAX], parent[PROC_PATH_MAX];
		uint64_t at = f->offset, ino;
		uint32_t mode = LX_S_IFDIR;
		if (at == 0) {
			memcpy(name, ".", 2);
			ino = lx_inode(f->path);
		} else if (at == 1) {
			memcpy(name, "..", 3);
			lx_path_parent(f->path, parent, sizeof(parent));
			ino = lx_inode(parent);
		} else {
			int64_t r = lx_archive_dirent(f->path, at - 2, name, sizeof(name), &mode);
			if (r < 0 && !used)
				return r;
			if (r <= 0)
				break;
			char child[PROC_PATH_MAX];
			if (lx_path_resolve(f->path, name, child, sizeof(child)) < 0)
				return -LX_ENAMETOOLONG;
			ino = lx_inode(child);
		}
		if (!put_dirent(buf, size, &used, ino, at + 1, dirent_type(mode), name)) {
			if (!used)
				return -LX_EINVAL; /* not even one record fits */
			break;
		}
		f->offset++;
	}
	if (used && !lx_copy_out(c->p, c->arg[1], buf, used))
		return -LX_EFAULT;
	return (int64_t)used;
}

int64_t lx_sys_getcwd(lx_call_t *c)
{
	size_t len = strlen(c->p->cwd) + 1;
	if (c->arg[1] < len)
		return -LX_ERANGE;
	if (!lx_copy_out(c->p, c->arg[0], c->p->cwd, len))
		return -LX_EFAULT;
	return (int64_t)len;
}

int64_t lx_sys_chdir(lx_call_t *c)
{
	char path[PROC_PATH_MAX];
	lx_node_t n;
	int64_t err = lx_copy_path(c->p, c->arg[0], path);
	if (err < 0)
		return err;
	if ((err = lx_lookup(c->p, LX_AT_FDCWD, path, true, &n)))
		return err;
	if (!is_dir(n.mode))
		return -LX_ENOTDIR;
	memcpy(c->p->cwd, n.path, sizeof(c->p->cwd));
	return 0;
}

int64_t lx_sys_fchdir(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	if (f->console || !is_dir(f->mode))
		return -LX_ENOTDIR;
	memcpy(c->p->cwd, f->path, sizeof(c->p->cwd));
	return 0;
}

/* readlinkat(dirfd, path, buf, size): a symlink's target, not
 * NUL-terminated, cut to size. /proc/self/exe is the program's path. */
static int64_t readlink_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t buf,
                           int64_t size)
{
	char path[PROC_PATH_MAX], target[PROC_PATH_MAX];
	lx_node_t n;
	int64_t len = lx_copy_path(p, addr, path);
	if (len < 0)
		return len;
	if (size <= 0)
		return -LX_EINVAL;
	if (strcmp(path, "/proc/self/exe") == 0 && p->exe[0]) {
		len = (int64_t)strlen(p->exe);
		memcpy(target, p->exe, (size_t)len);
	} else {
		int64_t err = lx_lookup(p, dirfd, path, false, &n);
		if (err)
			return err;
		if (!is_symlink(n.mode))
			return -LX_EINVAL;
		len = lx_archive_read(n.path, 0, target, sizeof(target));
		if (len < 0)
			return len;
	}
	if (len > size)
		len = size;
	return lx_copy_out(p, buf, target, (size_t)len) ? len : -LX_EFAULT;
}

int64_t lx_sys_readlink(lx_call_t *c)
{
	return readlink_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1], (int)c->arg[2]);
}

int64_t lx_sys_readlinkat(lx_call_t *c)
{
	return readlink_at(c->p, (int)c->arg[0], c->arg[1], c->arg[2], (int)c->arg[3]);
}
