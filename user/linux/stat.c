/*
 * The stat family and access (personality.h). The archive knows a file's
 * type, permissions and size; the rest is made up the same way every time:
 * owner root, one link, times 0, an inode number hashed from the path. The
 * console is a character device, as a serial terminal is on Linux.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define ARCHIVE_DEV 0x1f             /* st_dev of every archive file: device 0:31 */
#define CONSOLE_DEV 0x16             /* and of the console: 0:22, like devpts */
#define CONSOLE_RDEV ((4 << 8) | 64) /* 4:64, /dev/ttyS0 */
#define CONSOLE_MODE (LX_S_IFCHR | 0620)
#define BLOCK_SIZE 4096

/* What every kind of stat reports, before it is laid out. */
typedef struct info {
	uint64_t dev, ino, rdev, size, blksize;
	uint32_t mode;
} info_t;

static info_t node_info(const char *path, uint32_t mode, uint64_t size)
{
	return (info_t){ARCHIVE_DEV, lx_inode(path), 0, size, BLOCK_SIZE, mode};
}

static info_t file_info(const lx_file_t *f)
{
	if (f->pipe)
		return (info_t){lx_pipe_dev(), lx_pipe_inode(f), 0, 0, BLOCK_SIZE, f->mode};
	if (f->console)
		return (info_t){CONSOLE_DEV, lx_inode("/dev/console"), CONSOLE_RDEV, 0, 1024,
		                CONSOLE_MODE};
	return node_info(f->path, f->mode, f->size);
}

static int64_t put_stat(lx_process_t *p, uint64_t addr, const info_t *i)
{
	lx_stat_t st = {
		.st_dev = i->dev,
		.st_ino = i->ino,
		.st_nlink = 1,
		.st_mode = i->mode,
		.st_rdev = i->rdev,
		.st_size = (int64_t)i->size,
		.st_blksize = (int64_t)i->blksize,
		.st_blocks = (int64_t)((i->size + 511) / 512),
	};
	return lx_copy_out(p, addr, &st, sizeof(st)) ? 0 : -LX_EFAULT;
}

static int64_t put_statx(lx_process_t *p, uint64_t addr, const info_t *i)
{
	lx_statx_t stx = {
		.stx_mask = LX_STATX_BASIC_STATS,
		.stx_blksize = (uint32_t)i->blksize,
		.stx_nlink = 1,
		.stx_mode = (uint16_t)i->mode,
		.stx_ino = i->ino,
		.stx_size = i->size,
		.stx_blocks = (i->size + 511) / 512,
		.stx_rdev_major = (uint32_t)(i->rdev >> 8),
		.stx_rdev_minor = (uint32_t)(i->rdev & 0xff),
		.stx_dev_major = (uint32_t)(i->dev >> 8),
		.stx_dev_minor = (uint32_t)(i->dev & 0xff),
	};
	return lx_copy_out(p, addr, &stx, sizeof(stx)) ? 0 : -LX_EFAULT;
}

/*
 * What path (relative to dirfd) names: the descriptor itself when the path
 * is empty and flags has AT_EMPTY_PATH; a symlink at the end is followed
 * unless flags has AT_SYMLINK_NOFOLLOW.
 */
static int64_t info_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t flags, info_t *out)
{
	char path[PROC_PATH_MAX];
	int64_t len = lx_copy_path(p, addr, path);
	if (len < 0)
		return len;
	if (len == 0 && (flags & LX_AT_EMPTY_PATH)) {
		if (dirfd == LX_AT_FDCWD) {
			memcpy(path, ".", 2);
		} else {
			lx_file_t *f = lx_fd_get(p, dirfd);
			if (!f)
				return -LX_EBADF;
			*out = file_info(f);
			return 0;
		}
	}
	lx_node_t n;
	int64_t err = lx_lookup(p, dirfd, path, !(flags & LX_AT_SYMLINK_NOFOLLOW), &n);
	if (err)
		return err;
	*out = node_info(n.path, n.mode, n.size);
	return 0;
}

static int64_t stat_at(lx_process_t *p, int64_t dirfd, uint64_t path, uint64_t buf, uint64_t flags)
{
	info_t i;
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_NO_AUTOMOUNT | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	int64_t err = info_at(p, dirfd, path, flags, &i);
	return err ? err : put_stat(p, buf, &i);
}

int64_t lx_sys_stat(lx_call_t *c)
{
	return stat_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1], 0);
}

int64_t lx_sys_lstat(lx_call_t *c)
{
	return stat_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1], LX_AT_SYMLINK_NOFOLLOW);
}

int64_t lx_sys_fstat(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	info_t i = file_info(f);
	return put_stat(c->p, c->arg[1], &i);
}

int64_t lx_sys_newfstatat(lx_call_t *c)
{
	return stat_at(c->p, (int)c->arg[0], c->arg[1], c->arg[2], (uint32_t)c->arg[3]);
}

/* statx(dirfd, path, flags, mask, buf): every basic field, whatever the mask. */
int64_t lx_sys_statx(lx_call_t *c)
{
	uint64_t flags = (uint32_t)c->arg[2];
	info_t i;
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_NO_AUTOMOUNT | LX_AT_EMPTY_PATH |
	                        LX_AT_STATX_SYNC_TYPE))
		return -LX_EINVAL;
	int64_t err = info_at(c->p, (int)c->arg[0], c->arg[1], flags, &i);
	return err ? err : put_statx(c->p, c->arg[4], &i);
}

/* access as root: reading always, executing when some x bit is set (or a
 * directory), writing never, since the mount is read-only. */
static int64_t access_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t mode,
                         uint64_t flags)
{
	info_t i;
	if (mode & ~(uint64_t)(LX_R_OK | LX_W_OK | LX_X_OK))
		return -LX_EINVAL;
	if (flags & ~(uint64_t)(LX_AT_EACCESS | LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	int64_t err = info_at(p, dirfd, addr, flags, &i);
	if (err)
		return err;
	bool dir = (i.mode & LX_S_IFMT) == LX_S_IFDIR;
	if ((mode & LX_X_OK) && !dir && !(i.mode & 0111))
		return -LX_EACCES;
	if ((mode & LX_W_OK) && i.mode != CONSOLE_MODE)
		return -LX_EROFS;
	return 0;
}

int64_t lx_sys_access(lx_call_t *c)
{
	return access_at(c->p, LX_AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], 0);
}

int64_t lx_sys_faccessat(lx_call_t *c)
{
	return access_at(c->p, (int)c->arg[0], c->arg[1], (uint32_t)c->arg[2], 0);
}

int64_t lx_sys_faccessat2(lx_call_t *c)
{
	return access_at(c->p, (int)c->arg[0], c->arg[1], (uint32_t)c->arg[2], (uint32_t)c->arg[3]);
}
