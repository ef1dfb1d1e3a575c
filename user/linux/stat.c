/*
 * The stat family and access (personality.h): what the inode says (ramfs.c,
 * devices.c, procfs.c). A pipe is a FIFO of the pipe file system, the
 * console that a process starts with a character device, as a serial
 * terminal is on Linux.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define RAMFS_DEV 0x1f               /* st_dev of the ramfs: device 0:31 */
#define PROC_DEV 0x14                /* and of /proc: 0:20 */
#define CONSOLE_DEV 0x16             /* and of the console: 0:22, like devpts */
#define CONSOLE_RDEV ((4 << 8) | 64) /* 4:64, /dev/ttyS0 */
#define CONSOLE_MODE (LX_S_IFCHR | 0620)
#define BLOCK_SIZE 4096

/* What every kind of stat reports, before it is laid out. */
typedef struct info {
	uint64_t dev, ino, rdev, size, blksize, nlink, blocks;
	uint32_t mode, uid, gid;
	lx_timespec_t atime, mtime, ctime;
} info_t;

static info_t node_info(const lx_inode_t *n)
{
	return (info_t){
		.dev = n->fs == LX_FS_PROC ? PROC_DEV : RAMFS_DEV,
		.ino = n->ino,
		.rdev = n->rdev,
		.size = n->size,
		.blksize = BLOCK_SIZE,
		.nlink = n->nlink,
		/* 512-byte blocks: the pages a file holds (an archive file's
		 * bytes are in the archive, counted as if they were ours). */
		.blocks = n->archive ? (n->size + 511) / 512 : n->pages * (LX_RAMFS_PAGE / 512),
		.mode = n->mode,
		.uid = n->uid,
		.gid = n->gid,
		.atime = n->atime,
		.mtime = n->mtime,
		.ctime = n->ctime,
	};
}

static info_t file_info(const lx_file_t *f)
{
	if (lx_flags_in_pipe(f)) /* anonymous: a FIFO's shows its node */
		return (info_t){.dev = lx_pipe_dev(),
		                .ino = lx_pipe_inode(f),
		                .blksize = BLOCK_SIZE,
		                .nlink = 1,
		                .mode = f->mode};
	if (f->node)
		return node_info(f->node);
	return (info_t){.dev = CONSOLE_DEV,
	                .ino = 3,
	                .rdev = CONSOLE_RDEV,
	                .blksize = 1024,
	                .nlink = 1,
	                .mode = CONSOLE_MODE};
}

static int64_t put_stat(lx_process_t *p, uint64_t addr, const info_t *i)
{
	lx_stat_t st = {
		.st_dev = i->dev,
		.st_ino = i->ino,
		.st_nlink = i->nlink,
		.st_mode = i->mode,
		.st_uid = i->uid,
		.st_gid = i->gid,
		.st_rdev = i->rdev,
		.st_size = (int64_t)i->size,
		.st_blksize = (int64_t)i->blksize,
		.st_blocks = (int64_t)i->blocks,
		.st_atime = (uint64_t)i->atime.tv_sec,
		.st_atime_nsec = (uint64_t)i->atime.tv_nsec,
		.st_mtime = (uint64_t)i->mtime.tv_sec,
		.st_mtime_nsec = (uint64_t)i->mtime.tv_nsec,
		.st_ctime = (uint64_t)i->ctime.tv_sec,
		.st_ctime_nsec = (uint64_t)i->ctime.tv_nsec,
	};
	return lx_copy_out(p, addr, &st, sizeof(st)) ? 0 : -LX_EFAULT;
}

static int64_t put_statx(lx_process_t *p, uint64_t addr, const info_t *i)
{
	lx_statx_t stx = {
		.stx_mask = LX_STATX_BASIC_STATS,
		.stx_blksize = (uint32_t)i->blksize,
		.stx_nlink = (uint32_t)i->nlink,
		.stx_uid = i->uid,
		.stx_gid = i->gid,
		.stx_atime = {i->atime.tv_sec, (uint32_t)i->atime.tv_nsec, 0},
		.stx_mtime = {i->mtime.tv_sec, (uint32_t)i->mtime.tv_nsec, 0},
		.stx_ctime = {i->ctime.tv_sec, (uint32_t)i->ctime.tv_nsec, 0},
		.stx_mode = (uint16_t)i->mode,
		.stx_ino = i->ino,
		.stx_size = i->size,
		.stx_blocks = i->blocks,
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
	static char path[LX_PATH_MAX];
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
	lx_where_t w;
	unsigned follow = flags & LX_AT_SYMLINK_NOFOLLOW ? 0 : LX_WALK_FOLLOW;
	int64_t err = lx_lookup(p, dirfd, path, follow, &w);
	if (err)
		return err;
	if (!w.node)
		return -LX_ENOENT;
	*out = node_info(w.node);
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

/* access as root: reading and writing always, executing when some x bit
 * is set (or a directory). */
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
