/*
 * Path lookup in the ramfs tree (ramfs.h): one component at a time from
 * the starting directory, ".." by the directory's parent (so it is what
 * the tree says, not lexical), symlinks anywhere in the path followed by
 * splicing their target in front of what is left, at most
 * SYMLINK_HOPS_MAX of them (Linux's MAXSYMLINKS), after which the walk is
 * ELOOP. Everyone is root, so no permission is checked; a component longer
 * than LX_NAME_MAX is ENAMETOOLONG. Entries of /proc directories come
 * from procfs.c.
 */
#include "ramfs.h"

#include <atoll_rt/string.h>

#define SYMLINK_HOPS_MAX 40
#define WORK_MAX 8192 /* a target (< 4096) spliced before the rest (< 4096) */

static lx_inode_t *child(lx_inode_t *dir, const char *name, size_t len, uint64_t self)
{
	if (dir->fs == LX_FS_PROC) {
		char s[LX_NAME_MAX + 1];
		memcpy(s, name, len);
		s[len] = 0;
		return lx_procfs_lookup(dir, s, self);
	}
	lx_entry_t *e = lx_ramfs_find(dir, name, len);
	return e ? e->node : NULL;
}

int64_t lx_walk(lx_inode_t *base, const char *path, unsigned flags, uint64_t self, lx_where_t *w)
{
	static char work[2][WORK_MAX];
	unsigned which = 0, hops = 0;
	lx_inode_t *cur = base;
	const char *p = path;
	if (!*p)
		return -LX_ENOENT;
	*w = (lx_where_t){.node = NULL};
	for (;;) {
		if (*p == '/') {
			cur = lx_ramfs_root();
			while (*p == '/')
				p++;
		}
		if (!*p) { /* "/" itself, or a symlink to it */
			w->dir = NULL;
			w->node = cur;
			memcpy(w->name, "/", 2);
			return 0;
		}
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - c);
		const char *after = p;
		while (*p == '/')
			p++;
		bool last = !*p, slash = after != p;
		if (n > LX_NAME_MAX)
			return -LX_ENAMETOOLONG;
		if (!lx_is_dir(cur))
			return -LX_ENOTDIR;
		if (cur->fs == LX_FS_RAM && cur->nlink == 0)
			return -LX_ENOENT; /* a removed directory is empty for good */
		bool dots = (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.');
		lx_inode_t *node;
		if (n == 1 && c[0] == '.')
			node = cur;
		else if (dots)
			node = cur->parent ? cur->parent : cur;
		else
			node = child(cur, c, n, self);
		if (!node && !last)
			return -LX_ENOENT;
		if (node && lx_is_symlink(node) &&
		    (!last || (flags & LX_WALK_FOLLOW) || (slash && !(flags & LX_WALK_PARENT)))) {
			if (++hops > SYMLINK_HOPS_MAX)
				return -LX_ELOOP;
			/* The target, then "/" and the rest of the path. */
			char *next = work[which ^= 1];
			size_t tlen = strlen(node->target), rlen = strlen(after);
			if (tlen + rlen + 1 > WORK_MAX)
				return -LX_ENAMETOOLONG;
			memcpy(next, node->target, tlen);
			memcpy(next + tlen, after, rlen + 1);
			if (!*next)
				return -LX_ENOENT;
			p = next;
			continue;
		}
		if (!last) {
			cur = node;
			continue;
		}
		w->dir = dots ? NULL : cur;
		w->node = node;
		memcpy(w->name, c, n);
		w->name[n] = 0;
		w->trailing_slash = slash;
		if (node && slash && !lx_is_dir(node))
			return -LX_ENOTDIR;
		return 0;
	}
}

/* The name dir has in its parent into out (LX_NAME_MAX + 1 bytes): false
 * when it has none. */
static bool name_in_parent(const lx_inode_t *dir, char *out)
{
	if (dir->fs == LX_FS_PROC && dir->proc_pid) {
		char digits[24];
		unsigned n = 0;
		uint64_t v = dir->proc_pid;
		do
			digits[n++] = (char)('0' + v % 10);
		while ((v /= 10));
		for (unsigned i = 0; i < n; i++)
			out[i] = digits[n - 1 - i];
		out[n] = 0;
		return true;
	}
	for (lx_entry_t *e = dir->parent->entries; e; e = e->next) {
		if (e->node == dir) {
			memcpy(out, e->name, e->len + 1u);
			return true;
		}
	}
	return false;
}

int64_t lx_dir_path(const lx_inode_t *dir, char *buf, size_t size)
{
	static char name[LX_NAME_MAX + 1];
	size_t at = size; /* built from the end backward */
	if (size < 2)
		return -LX_ERANGE;
	buf[--at] = 0;
	for (const lx_inode_t *d = dir; d != lx_ramfs_root(); d = d->parent) {
		if ((d->fs == LX_FS_RAM && d->nlink == 0) || !d->parent || !name_in_parent(d, name))
			return -LX_ENOENT;
		size_t len = strlen(name);
		if (len + 1 > at)
			return -LX_ERANGE;
		at -= len;
		memcpy(buf + at, name, len);
		buf[--at] = '/';
	}
	if (at == size - 1)
		buf[--at] = '/';
	size_t len = size - 1 - at;
	memmove(buf, buf + at, len + 1);
	return (int64_t)len;
}
