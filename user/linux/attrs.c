/*
 * Changing what an inode records, and reporting the file system:
 * chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat, umask,
 * utimensat, futimesat, utimes, utime, statfs, fstatfs (personality.h).
 * Everyone is root, so every change is allowed; owners are recorded and
 * reported, never enforced. /proc's inodes are made up on each lookup, so
 * changing them is EPERM.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)
#define NS_PER_SEC 1000000000l

#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define ST_VALID 0x20 /* statfs's f_flags: the flags are valid */
#define ST_NOSUID 2
#define ST_NODEV 4
#define ST_NOEXEC 8

/* struct statfs on x86_64 */
typedef struct lx_statfs {
	int64_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
} lx_statfs_t;
_Static_assert(sizeof(lx_statfs_t) == 120, "struct statfs is 120 bytes on x86_64");

/* The node of path (relative to dirfd), or of dirfd itself when the path
 * is empty and AT_EMPTY_PATH is given (or the path pointer is NULL, which
 * utimensat allows). */
static int64_t node_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t flags, bool null_ok,
                       lx_inode_t **out)
{
	static char path[LX_PATH_MAX];
	int64_t len = 0;
	if (addr || !null_ok) {
		if ((len = lx_copy_path(p, addr, path)) < 0)
			return len;
	}
	if (!addr || (len == 0 && (flags & LX_AT_EMPTY_PATH))) {
		if (dirfd == LX_AT_FDCWD) {
			*out = p->cwd;
			return 0;
		}
		lx_file_t *f = lx_fd_get(p, dirfd);
		if (!f)
			return -LX_EBADF;
		if (!f->node)
			return -LX_EPERM; /* a pipe or the console that came with the process */
		*out = f->node;
		return 0;
	}
	lx_where_t w;
	unsigned follow = flags & LX_AT_SYMLINK_NOFOLLOW ? 0 : LX_WALK_FOLLOW;
	int64_t err = lx_lookup(p, dirfd, path, follow, &w);
	if (err)
		return err;
	if (!w.node)
		return -LX_ENOENT;
	*out = w.node;
	return 0;
}

/* The node behind descriptor fd for fchmod and fchown. */
static int64_t node_of_fd(lx_process_t *p, int64_t fd, lx_inode_t **out)
{
	lx_file_t *f = lx_fd_get(p, fd);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!f->node)
		return -LX_EPERM;
	*out = f->node;
	return 0;
}

static int64_t set_mode(lx_inode_t *n, uint64_t mode)
{
	if (n->fs != LX_FS_RAM)
		return -LX_EPERM;
	n->mode = (n->mode & LX_S_IFMT) | ((uint32_t)mode & 07777);
	lx_ramfs_touch(n, LX_TOUCH_CTIME);
	return 0;
}

int64_t lx_sys_chmod(lx_call_t *c)
{
	lx_inode_t *n;
	int64_t err = node_at(c->p, LX_AT_FDCWD, c->arg[0], 0, false, &n);
	return err ? err : set_mode(n, c->arg[1]);
}

int64_t lx_sys_fchmod(lx_call_t *c)
{
	lx_inode_t *n;
	int64_t err = node_of_fd(c->p, (int)c->arg[0], &n);
	return err ? err : set_mode(n, c->arg[1]);
}

/* fchmodat(dirfd, path, mode): the system call has no flags. */
int64_t lx_sys_fchmodat(lx_call_t *c)
{
	lx_inode_t *n;
	int64_t err = node_at(c->p, (int)c->arg[0], c->arg[1], 0, false, &n);
	return err ? err : set_mode(n, c->arg[2]);
}

/* Record the owner (-1 leaves one as it is). As on Linux, a new owner of a
 * file that is not a directory clears its set-user-ID bit, and its
 * set-group-ID bit when that means something (group execute set). */
static int64_t set_owner(lx_inode_t *n, uint64_t uid, uint64_t gid)
{
	uint32_t u = (uint32_t)uid, g = (uint32_t)gid;
	if (n->fs != LX_FS_RAM)
		return -LX_EPERM;
	if (u != UINT32_MAX)
		n->uid = u;
	if (g != UINT32_MAX)
		n->gid = g;
	if ((u != UINT32_MAX || g != UINT32_MAX) && !lx_is_dir(n)) {
		n->mode &= ~04000u;
		if (n->mode & 010)
			n->mode &= ~02000u;
	}
	lx_ramfs_touch(n, LX_TOUCH_CTIME);
	return 0;
}

static int64_t chown_at(lx_call_t *c, int64_t dirfd, uint64_t path, uint64_t uid, uint64_t gid,
                        uint64_t flags)
{
	lx_inode_t *n;
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	int64_t err = node_at(c->p, dirfd, path, flags, false, &n);
	return err ? err : set_owner(n, uid, gid);
}

int64_t lx_sys_chown(lx_call_t *c)
{
	return chown_at(c, LX_AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], 0);
}

int64_t lx_sys_lchown(lx_call_t *c)
{
	return chown_at(c, LX_AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], LX_AT_SYMLINK_NOFOLLOW);
}

int64_t lx_sys_fchownat(lx_call_t *c)
{
	return chown_at(c, (int)c->arg[0], c->arg[1], c->arg[2], c->arg[3], (uint32_t)c->arg[4]);
}

int64_t lx_sys_fchown(lx_call_t *c)
{
	lx_inode_t *n;
	int64_t err = node_of_fd(c->p, (int)c->arg[0], &n);
	return err ? err : set_owner(n, c->arg[1], c->arg[2]);
}

int64_t lx_sys_umask(lx_call_t *c)
{
	uint32_t old = c->p->umask;
	c->p->umask = (uint32_t)c->arg[0] & 0777;
	return old;
}

/* Set n's access and modification times from t (each may be UTIME_NOW or
 * UTIME_OMIT); the change time becomes now when either changes. */
static int64_t set_times(lx_inode_t *n, const lx_timespec_t t[2])
{
	lx_timespec_t now;
	if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (n->fs != LX_FS_RAM)
		return -LX_EPERM;
	lx_ramfs_now(&now);
	lx_timespec_t *dst[2] = {&n->atime, &n->mtime};
	for (int i = 0; i < 2; i++)
		if (t[i].tv_nsec != UTIME_OMIT)
			*dst[i] = t[i].tv_nsec == UTIME_NOW ? now : t[i];
	n->ctime = now;
	return 0;
}

static bool valid_nsec(int64_t ns)
{
	return (ns >= 0 && ns < NS_PER_SEC) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

int64_t lx_sys_utimensat(lx_call_t *c)
{
	lx_timespec_t t[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	uint64_t flags = (uint32_t)c->arg[3];
	lx_inode_t *n;
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	if (c->arg[2]) {
		if (!lx_copy_in(c->p, t, c->arg[2], sizeof(t)))
			return -LX_EFAULT;
		if (!valid_nsec(t[0].tv_nsec) || !valid_nsec(t[1].tv_nsec))
			return -LX_EINVAL;
	}
	if (!c->arg[1] && (flags & LX_AT_SYMLINK_NOFOLLOW))
		return -LX_EINVAL;
	int64_t err = node_at(c->p, (int)c->arg[0], c->arg[1], flags, true, &n);
	return err ? err : set_times(n, t);
}

/* futimesat(dirfd, path, tv) and utimes(path, tv): microseconds. */
static int64_t utimes_at(lx_process_t *p, int64_t dirfd, uint64_t path, uint64_t addr)
{
	lx_timespec_t t[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	lx_inode_t *n;
	if (addr) {
		lx_timeval_t tv[2];
		if (!lx_copy_in(p, tv, addr, sizeof(tv)))
			return -LX_EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -LX_EINVAL;
			t[i] = (lx_timespec_t){tv[i].tv_sec, tv[i].tv_usec * 1000};
		}
	}
	int64_t err = node_at(p, dirfd, path, 0, true, &n);
	return err ? err : set_times(n, t);
}

int64_t lx_sys_futimesat(lx_call_t *c)
{
	return utimes_at(c->p, (int)c->arg[0], c->arg[1], c->arg[2]);
}

int64_t lx_sys_utimes(lx_call_t *c)
{
	return utimes_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1]);
}

/* utime(path, buf): whole seconds, access then modification. */
int64_t lx_sys_utime(lx_call_t *c)
{
	lx_timespec_t t[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	lx_inode_t *n;
	if (c->arg[1]) {
		int64_t secs[2];
		if (!lx_copy_in(c->p, secs, c->arg[1], sizeof(secs)))
			return -LX_EFAULT;
		t[0] = (lx_timespec_t){secs[0], 0};
		t[1] = (lx_timespec_t){secs[1], 0};
	}
	int64_t err = node_at(c->p, LX_AT_FDCWD, c->arg[0], 0, false, &n);
	return err ? err : set_times(n, t);
}

static int64_t put_statfs(lx_process_t *p, uint64_t addr, const lx_inode_t *n)
{
	lx_statfs_t s = {.f_bsize = LX_RAMFS_PAGE, .f_namelen = LX_NAME_MAX, .f_frsize = 4096};
	if (n && n->fs == LX_FS_PROC) {
		s.f_type = PROC_SUPER_MAGIC;
		s.f_flags = ST_VALID | ST_NOSUID | ST_NODEV | ST_NOEXEC;
	} else {
		/* Inodes take memory too: the same pages bound both. */
		uint64_t max = lx_pages_max(), used = lx_pages_used();
		s.f_type = TMPFS_MAGIC;
		s.f_blocks = (int64_t)max;
		s.f_bfree = s.f_bavail = (int64_t)(max - used);
		s.f_files = (int64_t)max;
		s.f_ffree = (int64_t)(max - used);
		s.f_flags = ST_VALID;
	}
	return lx_copy_out(p, addr, &s, sizeof(s)) ? 0 : -LX_EFAULT;
}

int64_t lx_sys_statfs(lx_call_t *c)
{
	lx_inode_t *n;
	int64_t err = node_at(c->p, LX_AT_FDCWD, c->arg[0], 0, false, &n);
	return err ? err : put_statfs(c->p, c->arg[1], n);
}

int64_t lx_sys_fstatfs(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	return put_statfs(c->p, c->arg[1], f->node);
}
