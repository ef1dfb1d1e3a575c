/*
 * The name space: getdents64, getcwd, chdir, fchdir, mkdir, mkdirat,
 * rmdir, unlink, unlinkat, rename, renameat, renameat2, link, linkat,
 * symlink, symlinkat, readlink, readlinkat (personality.h), with Linux's
 * checks in Linux's order. Only the ramfs can change: creating or
 * removing anything in /proc is EACCES, renaming or linking across it
 * EXDEV, as between two mounts.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define SYMLINK_MAX 4096 /* PATH_MAX: a target's bytes with the NUL */

/* renameat2's flags */
#define RENAME_NOREPLACE 1u
#define RENAME_EXCHANGE 2u
#define RENAME_WHITEOUT 4u

static uint8_t dirent_type(uint32_t mode)
{
	switch (mode & LX_S_IFMT) {
	case LX_S_IFDIR:
		return LX_DT_DIR;
	case LX_S_IFREG:
		return LX_DT_REG;
	case LX_S_IFLNK:
		return LX_DT_LNK;
	case LX_S_IFCHR:
		return LX_DT_CHR;
	case LX_S_IFIFO:
		return LX_DT_FIFO;
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

/* The entry of dir at or after position at (2 and up): its name, inode
 * number, type and the position after it; false past the last. */
static bool entry_at(lx_inode_t *dir, uint64_t at, char *name, uint64_t *ino, uint8_t *type,
                     uint64_t *next)
{
	if (dir->fs == LX_FS_PROC) {
		uint32_t mode;
		if (!lx_procfs_dirent(dir, at - 2, name, ino, &mode))
			return false;
		*type = dirent_type(mode);
		*next = at + 1;
		return true;
	}
	lx_entry_t *e = lx_ramfs_entry_from(dir, at);
	if (!e)
		return false;
	memcpy(name, e->name, e->len + 1u);
	*ino = e->node->ino;
	*type = dirent_type(e->node->mode);
	*next = e->cookie + 1;
	return true;
}

/* getdents64(fd, dirp, count): ".", ".." and the entries in the order they
 * were made; the description's offset is the next one's cookie. */
int64_t lx_sys_getdents64(lx_call_t *c)
{
	static char buf[4096];
	static char name[LX_NAME_MAX + 1];
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	uint64_t count = (uint32_t)c->arg[2];
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!f->node || !lx_is_dir(f->node))
		return -LX_ENOTDIR;
	lx_inode_t *dir = f->node;
	if (dir->fs == LX_FS_RAM && dir->nlink == 0)
		return -LX_ENOENT; /* removed while open */
	size_t size = count < sizeof(buf) ? count : sizeof(buf), used = 0;
	for (;;) {
		uint64_t at = f->offset, ino, next = at + 1;
		uint8_t type = LX_DT_DIR;
		if (at == 0) {
			memcpy(name, ".", 2);
			ino = dir->ino;
		} else if (at == 1) {
			memcpy(name, "..", 3);
			ino = dir->parent ? dir->parent->ino : dir->ino;
		} else if (!entry_at(dir, at, name, &ino, &type, &next)) {
			break;
		}
		if (!put_dirent(buf, size, &used, ino, next, type, name)) {
			if (!used)
				return -LX_EINVAL; /* not even one record fits */
			break;
		}
		f->offset = next;
	}
	if (used && !lx_copy_out(c->p, c->arg[1], buf, used))
		return -LX_EFAULT;
	return (int64_t)used;
}

int64_t lx_sys_getcwd(lx_call_t *c)
{
	static char path[LX_PATH_MAX];
	if (!c->p->cwd)
		return -LX_ENOENT;
	int64_t len = lx_dir_path(c->p->cwd, path, sizeof(path));
	if (len < 0)
		return len;
	if (c->arg[1] < (uint64_t)len + 1)
		return -LX_ERANGE;
	if (!lx_copy_out(c->p, c->arg[0], path, (size_t)len + 1))
		return -LX_EFAULT;
	return len + 1;
}

static void set_cwd(lx_process_t *p, lx_inode_t *dir)
{
	lx_ramfs_hold(dir);
	lx_ramfs_release(p->cwd);
	p->cwd = dir;
}

int64_t lx_sys_chdir(lx_call_t *c)
{
	lx_where_t w;
	int64_t err = lx_lookup_user(c->p, LX_AT_FDCWD, c->arg[0], LX_WALK_FOLLOW, &w);
	if (err)
		return err;
	if (!w.node)
		return -LX_ENOENT;
	if (!lx_is_dir(w.node))
		return -LX_ENOTDIR;
	set_cwd(c->p, w.node);
	return 0;
}

int64_t lx_sys_fchdir(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	if (!f->node || !lx_is_dir(f->node))
		return -LX_ENOTDIR;
	set_cwd(c->p, f->node);
	return 0;
}

int64_t lx_name_can_create(const lx_where_t *w)
{
	if (w->node || !w->dir)
		return -LX_EEXIST;
	if (w->dir->fs != LX_FS_RAM)
		return -LX_ENOENT;
	if (w->dir->nlink == 0)
		return -LX_ENOENT; /* a removed directory takes no new entries */
	return 0;
}

int64_t lx_name_link_new(lx_where_t *w, lx_inode_t *n)
{
	if (!n)
		return -LX_ENOSPC;
	int64_t err = lx_ramfs_link(w->dir, w->name, strlen(w->name), n);
	if (err) {
		lx_ramfs_hold(n);
		lx_ramfs_release(n);
	}
	return err;
}

static int64_t mkdir_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t mode)
{
	lx_where_t w;
	int64_t err = lx_lookup_user(p, dirfd, addr, LX_WALK_PARENT, &w);
	if (err || (err = lx_name_can_create(&w)))
		return err;
	uint32_t perm = (uint32_t)mode & 01777 & ~p->umask;
	return lx_name_link_new(&w, lx_ramfs_new(LX_S_IFDIR | perm));
}

int64_t lx_sys_mkdir(lx_call_t *c)
{
	return mkdir_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1]);
}

int64_t lx_sys_mkdirat(lx_call_t *c)
{
	return mkdir_at(c->p, (int)c->arg[0], c->arg[1], c->arg[2]);
}

/* Remove what w names: a directory (rmdir) or anything else (unlink). */
static int64_t remove(lx_where_t *w, bool dir)
{
	if (!w->node)
		return -LX_ENOENT;
	if (dir) {
		if (!w->dir)
			return strcmp(w->name, ".") == 0  ? -LX_EINVAL :
			       strcmp(w->name, "..") == 0 ? -LX_ENOTEMPTY :
			                                    -LX_EBUSY;
		if (!lx_is_dir(w->node))
			return -LX_ENOTDIR;
	} else if (lx_is_dir(w->node)) {
		return -LX_EISDIR;
	}
	if (w->dir->fs != LX_FS_RAM)
		return -LX_EPERM;
	if (w->node->fs != LX_FS_RAM)
		return -LX_EBUSY; /* a mount point: /proc */
	if (dir && !lx_ramfs_empty(w->node))
		return -LX_ENOTEMPTY;
	lx_ramfs_unlink(w->dir, lx_ramfs_find(w->dir, w->name, strlen(w->name)));
	return 0;
}

static int64_t remove_at(lx_process_t *p, int64_t dirfd, uint64_t addr, bool dir)
{
	lx_where_t w;
	int64_t err = lx_lookup_user(p, dirfd, addr, LX_WALK_PARENT, &w);
	return err ? err : remove(&w, dir);
}

int64_t lx_sys_rmdir(lx_call_t *c)
{
	return remove_at(c->p, LX_AT_FDCWD, c->arg[0], true);
}

int64_t lx_sys_unlink(lx_call_t *c)
{
	return remove_at(c->p, LX_AT_FDCWD, c->arg[0], false);
}

int64_t lx_sys_unlinkat(lx_call_t *c)
{
	uint64_t flags = (uint32_t)c->arg[2];
	if (flags & ~(uint64_t)LX_AT_REMOVEDIR)
		return -LX_EINVAL;
	return remove_at(c->p, (int)c->arg[0], c->arg[1], flags & LX_AT_REMOVEDIR);
}

/* rename's checks once both paths are walked (old names o, new names n). */
static int64_t rename_where(lx_where_t *o, lx_where_t *n, uint64_t flags)
{
	if (!o->node)
		return -LX_ENOENT;
	if (!o->dir || !n->dir)
		return -LX_EBUSY; /* ".", ".." or "/" */
	if (o->dir->fs != LX_FS_RAM || n->dir->fs != LX_FS_RAM)
		return -LX_EXDEV;
	if (o->node->fs != LX_FS_RAM)
		return -LX_EBUSY; /* a mount point: /proc */
	if (n->dir->nlink == 0)
		return -LX_ENOENT;
	lx_entry_t *oe = lx_ramfs_find(o->dir, o->name, strlen(o->name));
	lx_entry_t *ne = lx_ramfs_find(n->dir, n->name, strlen(n->name));
	if (flags & RENAME_EXCHANGE) {
		if (!n->node)
			return -LX_ENOENT;
		if ((lx_is_dir(o->node) && lx_ramfs_within(n->dir, o->node)) ||
		    (lx_is_dir(n->node) && lx_ramfs_within(o->dir, n->node)))
			return -LX_EINVAL;
		if (o->node != n->node)
			lx_ramfs_exchange(o->dir, oe, n->dir, ne);
		return 0;
	}
	if (n->node && (flags & RENAME_NOREPLACE))
		return -LX_EEXIST;
	if (o->node == n->node)
		return 0; /* the same entry, or two links to one file: nothing to do */
	if (lx_is_dir(o->node)) {
		if (lx_ramfs_within(n->dir, o->node))
			return -LX_EINVAL; /* into itself */
		if (n->node && !lx_is_dir(n->node))
			return -LX_ENOTDIR;
		if (n->node && !lx_ramfs_empty(n->node))
			return -LX_ENOTEMPTY;
	} else {
		if (n->node && lx_is_dir(n->node))
			return -LX_EISDIR;
		if (n->trailing_slash)
			return -LX_ENOTDIR;
	}
	if (n->node && n->node->fs != LX_FS_RAM)
		return -LX_EBUSY;
	if (n->node) {
		lx_ramfs_replace(o->dir, oe, n->dir, ne);
		return 0;
	}
	return lx_ramfs_move(o->dir, oe, n->dir, n->name, strlen(n->name));
}

static int64_t rename_at(lx_process_t *p, int64_t olddir, uint64_t oldpath, int64_t newdir,
                         uint64_t newpath, uint64_t flags)
{
	static lx_where_t o, n;
	if (flags & ~(uint64_t)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -LX_EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -LX_EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -LX_EINVAL; /* whiteouts are for overlay file systems */
	int64_t err = lx_lookup_user(p, olddir, oldpath, LX_WALK_PARENT, &o);
	if (err || (err = lx_lookup_user(p, newdir, newpath, LX_WALK_PARENT, &n)))
		return err;
	return rename_where(&o, &n, flags);
}

int64_t lx_sys_rename(lx_call_t *c)
{
	return rename_at(c->p, LX_AT_FDCWD, c->arg[0], LX_AT_FDCWD, c->arg[1], 0);
}

int64_t lx_sys_renameat(lx_call_t *c)
{
	return rename_at(c->p, (int)c->arg[0], c->arg[1], (int)c->arg[2], c->arg[3], 0);
}

int64_t lx_sys_renameat2(lx_call_t *c)
{
	return rename_at(c->p, (int)c->arg[0], c->arg[1], (int)c->arg[2], c->arg[3],
	                 (uint32_t)c->arg[4]);
}

static int64_t link_at(lx_process_t *p, int64_t olddir, uint64_t oldpath, int64_t newdir,
                       uint64_t newpath, uint64_t flags)
{
	static lx_where_t o, n;
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	int64_t err;
	char empty[1];
	if ((flags & LX_AT_EMPTY_PATH) && lx_copy_string(p, oldpath, empty, 1) == 1) {
		lx_file_t *f = lx_fd_get(p, olddir);
		if (!f)
			return -LX_EBADF;
		if (!f->node)
			return -LX_ENOENT;
		o.node = f->node;
	} else {
		unsigned follow = flags & LX_AT_SYMLINK_FOLLOW ? LX_WALK_FOLLOW : 0;
		if ((err = lx_lookup_user(p, olddir, oldpath, follow, &o)))
			return err;
		if (!o.node)
			return -LX_ENOENT;
	}
	if ((err = lx_lookup_user(p, newdir, newpath, LX_WALK_PARENT, &n)))
		return err;
	if ((err = lx_name_can_create(&n)))
		return err;
	if (lx_is_dir(o.node))
		return -LX_EPERM;
	if (o.node->fs != LX_FS_RAM)
		return -LX_EXDEV;
	if (o.node->nlink == 0)
		return -LX_ENOENT; /* an unlinked file cannot get a name back */
	return lx_ramfs_link(n.dir, n.name, strlen(n.name), o.node);
}

int64_t lx_sys_link(lx_call_t *c)
{
	return link_at(c->p, LX_AT_FDCWD, c->arg[0], LX_AT_FDCWD, c->arg[1], 0);
}

int64_t lx_sys_linkat(lx_call_t *c)
{
	return link_at(c->p, (int)c->arg[0], c->arg[1], (int)c->arg[2], c->arg[3],
	               (uint32_t)c->arg[4]);
}

static int64_t symlink_at(lx_process_t *p, uint64_t target, int64_t dirfd, uint64_t linkpath)
{
	static char text[SYMLINK_MAX];
	lx_where_t w;
	int64_t len = lx_copy_string(p, target, text, sizeof(text));
	if (len < 0)
		return len;
	if (len == 0)
		return -LX_ENAMETOOLONG;
	if (len == 1)
		return -LX_ENOENT; /* an empty target */
	int64_t err = lx_lookup_user(p, dirfd, linkpath, LX_WALK_PARENT, &w);
	if (err || (err = lx_name_can_create(&w)))
		return err;
	lx_inode_t *n = lx_ramfs_new(LX_S_IFLNK | 0777);
	if (n && lx_ramfs_set_target(n, text, (size_t)len - 1)) {
		lx_ramfs_hold(n);
		lx_ramfs_release(n);
		n = NULL;
	}
	return lx_name_link_new(&w, n);
}

int64_t lx_sys_symlink(lx_call_t *c)
{
	return symlink_at(c->p, c->arg[0], LX_AT_FDCWD, c->arg[1]);
}

int64_t lx_sys_symlinkat(lx_call_t *c)
{
	return symlink_at(c->p, c->arg[0], (int)c->arg[1], c->arg[2]);
}

/* readlinkat(dirfd, path, buf, size): a symlink's target, not
 * NUL-terminated, cut to size. */
static int64_t readlink_at(lx_process_t *p, int64_t dirfd, uint64_t addr, uint64_t buf,
                           int64_t size)
{
	lx_where_t w;
	if (size <= 0)
		return -LX_EINVAL;
	int64_t err = lx_lookup_user(p, dirfd, addr, 0, &w);
	if (err)
		return err;
	if (!w.node)
		return -LX_ENOENT;
	if (!lx_is_symlink(w.node))
		return -LX_EINVAL;
	int64_t len = (int64_t)strlen(w.node->target);
	if (len > size)
		len = size;
	lx_ramfs_touch(w.node, LX_TOUCH_ATIME);
	return lx_copy_out(p, buf, w.node->target, (size_t)len) ? len : -LX_EFAULT;
}

int64_t lx_sys_readlink(lx_call_t *c)
{
	return readlink_at(c->p, LX_AT_FDCWD, c->arg[0], c->arg[1], (int)c->arg[2]);
}

int64_t lx_sys_readlinkat(lx_call_t *c)
{
	return readlink_at(c->p, (int)c->arg[0], c->arg[1], c->arg[2], (int)c->arg[3]);
}
