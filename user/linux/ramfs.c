/*
 * The ramfs tree and file data (ramfs.h for the model).
 */
#include "ramfs.h"

#include <atoll_rt/string.h>

static lx_inode_t *root;
static uint64_t next_ino = 1;

lx_inode_t *lx_ramfs_root(void)
{
	return root;
}

void lx_ramfs_touch(lx_inode_t *node, unsigned what)
{
	lx_timespec_t now;
	lx_ramfs_now(&now);
	if (what & LX_TOUCH_ATIME)
		node->atime = now;
	if (what & LX_TOUCH_MTIME)
		node->mtime = now;
	if (what & LX_TOUCH_CTIME)
		node->ctime = now;
}

lx_inode_t *lx_ramfs_new(uint32_t mode)
{
	lx_inode_t *n = lx_alloc(sizeof(*n));
	if (!n)
		return NULL;
	n->ino = next_ino++;
	n->mode = mode;
	n->fs = LX_FS_RAM;
	n->next_cookie = 2; /* 0 and 1 are "." and ".." */
	lx_ramfs_touch(n, LX_TOUCH_ATIME | LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	return n;
}

void lx_ramfs_init(void *region, uint64_t max_pages)
{
	lx_pages_init(region, max_pages);
	next_ino = 1;
	root = lx_ramfs_new(LX_S_IFDIR | 0755);
	if (root) {
		root->parent = root;
		root->nlink = 2;
	}
}

/* Free every page of a regular file's data and its table. */
static void free_data(lx_inode_t *n)
{
	if (!n->table)
		return;
	for (unsigned i = 0; i < LX_RAMFS_PTRS; i++) {
		void **leaf = n->table[i];
		if (!leaf)
			continue;
		for (unsigned j = 0; j < LX_RAMFS_PTRS; j++)
			if (leaf[j])
				lx_page_free(leaf[j]);
		lx_page_free(leaf);
	}
	lx_page_free(n->table);
	n->table = NULL;
	n->pages = 0;
}

static void free_string(char **s)
{
	if (*s)
		lx_free(*s, strlen(*s) + 1);
	*s = NULL;
}

/* Free n when no name and no holder keeps it. */
static void maybe_free(lx_inode_t *n)
{
	if (n->nlink || n->holds || n == root || n->fs != LX_FS_RAM)
		return;
	free_data(n);
	free_string(&n->archive);
	free_string(&n->target);
	lx_free(n, sizeof(*n));
}

void lx_ramfs_hold(lx_inode_t *node)
{
	node->holds++;
}

void lx_ramfs_release(lx_inode_t *node)
{
	node->holds--;
	maybe_free(node);
}

lx_entry_t *lx_ramfs_find(lx_inode_t *dir, const char *name, size_t len)
{
	for (lx_entry_t *e = dir->entries; e; e = e->next)
		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	return NULL;
}

/* Add an entry name for node at the end of dir's list. */
static bool append_entry(lx_inode_t *dir, const char *name, size_t len, lx_inode_t *node)
{
	lx_entry_t *e = lx_alloc(sizeof(*e) + len + 1);
	if (!e)
		return false;
	e->node = node;
	e->len = (uint16_t)len;
	memcpy(e->name, name, len);
	e->cookie = dir->next_cookie++;
	if (dir->last)
		dir->last->next = e;
	else
		dir->entries = e;
	dir->last = e;
	return true;
}

/* Take entry e out of dir's list and free it. */
static void remove_entry(lx_inode_t *dir, lx_entry_t *e)
{
	lx_entry_t **at = &dir->entries, *prev = NULL;
	while (*at != e) {
		prev = *at;
		at = &(*at)->next;
	}
	*at = e->next;
	if (dir->last == e)
		dir->last = prev;
	lx_free(e, sizeof(*e) + e->len + 1);
}

/* node has lost entry e of dir to a replacement: one name fewer. */
static void lose_name(lx_inode_t *dir, lx_inode_t *node)
{
	if (lx_is_dir(node)) {
		node->nlink = 0;
		node->parent = NULL;
		dir->nlink--;
	} else {
		node->nlink--;
	}
	lx_ramfs_touch(node, LX_TOUCH_CTIME);
	maybe_free(node);
}

/* A directory node moves from parent from to parent to. */
static void reparent(lx_inode_t *node, lx_inode_t *from, lx_inode_t *to)
{
	if (!lx_is_dir(node) || from == to)
		return;
	from->nlink--;
	to->nlink++;
	node->parent = to;
}

int64_t lx_ramfs_link(lx_inode_t *dir, const char *name, size_t len, lx_inode_t *node)
{
	if (!append_entry(dir, name, len, node))
		return -LX_ENOSPC;
	if (lx_is_dir(node)) {
		node->parent = dir;
		node->nlink = 2; /* its entry and its own "." */
		dir->nlink++;    /* the new directory's ".." */
	} else {
		node->nlink++;
	}
	lx_ramfs_touch(node, LX_TOUCH_CTIME);
	lx_ramfs_touch(dir, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	return 0;
}

void lx_ramfs_unlink(lx_inode_t *dir, lx_entry_t *e)
{
	lx_inode_t *node = e->node;
	remove_entry(dir, e);
	lx_ramfs_touch(dir, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	lose_name(dir, node);
}

int64_t lx_ramfs_move(lx_inode_t *from, lx_entry_t *e, lx_inode_t *to, const char *name, size_t len)
{
	lx_inode_t *node = e->node;
	if (!append_entry(to, name, len, node))
		return -LX_ENOSPC;
	remove_entry(from, e);
	reparent(node, from, to);
	lx_ramfs_touch(node, LX_TOUCH_CTIME);
	lx_ramfs_touch(from, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	lx_ramfs_touch(to, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	return 0;
}

void lx_ramfs_replace(lx_inode_t *from, lx_entry_t *e, lx_inode_t *to, lx_entry_t *target)
{
	lx_inode_t *node = e->node, *old = target->node;
	target->node = node;
	remove_entry(from, e);
	reparent(node, from, to);
	lx_ramfs_touch(node, LX_TOUCH_CTIME);
	lx_ramfs_touch(from, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	lx_ramfs_touch(to, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	lose_name(to, old);
}

void lx_ramfs_exchange(lx_inode_t *d1, lx_entry_t *e1, lx_inode_t *d2, lx_entry_t *e2)
{
	lx_inode_t *n1 = e1->node, *n2 = e2->node;
	e1->node = n2;
	e2->node = n1;
	reparent(n1, d1, d2);
	reparent(n2, d2, d1);
	lx_ramfs_touch(n1, LX_TOUCH_CTIME);
	lx_ramfs_touch(n2, LX_TOUCH_CTIME);
	lx_ramfs_touch(d1, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	lx_ramfs_touch(d2, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
}

bool lx_ramfs_empty(const lx_inode_t *dir)
{
	return dir->entries == NULL;
}

bool lx_ramfs_within(const lx_inode_t *dir, const lx_inode_t *node)
{
	for (;;) {
		if (dir == node)
			return true;
		if (dir->parent == dir || !dir->parent)
			return false;
		dir = dir->parent;
	}
}

lx_entry_t *lx_ramfs_entry_from(const lx_inode_t *dir, uint64_t cookie)
{
	lx_entry_t *e = dir->entries;
	while (e && e->cookie < cookie)
		e = e->next;
	return e;
}

/* The data page holding byte offset of n; with create, made (with the
 * tables above it) when missing. NULL: a hole, or out of memory. */
static uint8_t *page_at(lx_inode_t *n, uint64_t offset, bool create)
{
	uint64_t index = offset / LX_RAMFS_PAGE;
	unsigned hi = (unsigned)(index / LX_RAMFS_PTRS), lo = (unsigned)(index % LX_RAMFS_PTRS);
	if (!n->table) {
		if (!create || !(n->table = lx_page_alloc()))
			return NULL;
	}
	void **leaf = n->table[hi];
	if (!leaf) {
		if (!create || !(leaf = lx_page_alloc()))
			return NULL;
		n->table[hi] = leaf;
	}
	if (!leaf[lo] && create && (leaf[lo] = lx_page_alloc()))
		n->pages++;
	return leaf[lo];
}

/* Put len bytes at offset into n's pages: the count stored. */
static size_t store(lx_inode_t *n, uint64_t offset, const uint8_t *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		uint64_t at = offset + done;
		size_t in_page = LX_RAMFS_PAGE - (size_t)(at % LX_RAMFS_PAGE);
		size_t k = len - done < in_page ? len - done : in_page;
		uint8_t *page = page_at(n, at, true);
		if (!page)
			break;
		memcpy(page + at % LX_RAMFS_PAGE, buf + done, k);
		done += k;
	}
	return done;
}

/* The file no longer reads through to the archive. */
static void forget_archive(lx_inode_t *n)
{
	free_string(&n->archive);
	n->archive_data = NULL;
}

/* Copy an archive-backed file's bytes in, so it can change. */
static int64_t own(lx_inode_t *n)
{
	if (!n->archive)
		return 0;
	if (store(n, 0, n->archive_data, n->size) < n->size) {
		free_data(n);
		return -LX_ENOSPC;
	}
	forget_archive(n);
	return 0;
}

int64_t lx_ramfs_read(lx_inode_t *n, uint64_t offset, void *out, size_t len)
{
	uint8_t *buf = out;
	if (offset >= n->size)
		return 0;
	if (len > n->size - offset)
		len = (size_t)(n->size - offset);
	if (n->archive) {
		memcpy(buf, n->archive_data + offset, len);
		return (int64_t)len;
	}
	size_t done = 0;
	while (done < len) {
		uint64_t at = offset + done;
		size_t in_page = LX_RAMFS_PAGE - (size_t)(at % LX_RAMFS_PAGE);
		size_t k = len - done < in_page ? len - done : in_page;
		uint8_t *page = page_at(n, at, false);
		if (page)
			memcpy(buf + done, page + at % LX_RAMFS_PAGE, k);
		else
			memset(buf + done, 0, k); /* a hole */
		done += k;
	}
	return (int64_t)done;
}

int64_t lx_ramfs_write(lx_inode_t *n, uint64_t offset, const void *buf, size_t len)
{
	if (offset >= LX_RAMFS_FILE_MAX)
		return -LX_EFBIG;
	if (len > LX_RAMFS_FILE_MAX - offset)
		len = (size_t)(LX_RAMFS_FILE_MAX - offset);
	int64_t err = own(n);
	if (err)
		return err;
	size_t done = store(n, offset, buf, len);
	if (done == 0 && len)
		return -LX_ENOSPC;
	if (offset + done > n->size)
		n->size = offset + done;
	lx_ramfs_touch(n, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	return (int64_t)done;
}

/* Drop the pages wholly past size and zero the rest of the last one, so
 * that growing the file again reads zeros there. */
static void cut(lx_inode_t *n, uint64_t size)
{
	if (!n->table)
		return;
	uint64_t first_gone = (size + LX_RAMFS_PAGE - 1) / LX_RAMFS_PAGE;
	for (unsigned i = 0; i < LX_RAMFS_PTRS; i++) {
		void **leaf = n->table[i];
		if (!leaf)
			continue;
		bool any = false;
		for (unsigned j = 0; j < LX_RAMFS_PTRS; j++) {
			uint64_t index = (uint64_t)i * LX_RAMFS_PTRS + j;
			if (leaf[j] && index >= first_gone) {
				lx_page_free(leaf[j]);
				leaf[j] = NULL;
				n->pages--;
			}
			any |= leaf[j] != NULL;
		}
		if (!any) {
			lx_page_free(leaf);
			n->table[i] = NULL;
		}
	}
	uint8_t *last = size % LX_RAMFS_PAGE ? page_at(n, size, false) : NULL;
	if (last)
		memset(last + size % LX_RAMFS_PAGE, 0, LX_RAMFS_PAGE - size % LX_RAMFS_PAGE);
}

int64_t lx_ramfs_truncate(lx_inode_t *n, uint64_t size)
{
	if (size > LX_RAMFS_FILE_MAX)
		return -LX_EFBIG;
	if (size == 0)
		forget_archive(n); /* nothing of it is kept: no need to copy */
	int64_t err = own(n);
	if (err)
		return err;
	if (size < n->size)
		cut(n, size);
	n->size = size;
	lx_ramfs_touch(n, LX_TOUCH_MTIME | LX_TOUCH_CTIME);
	return 0;
}

static char *copy_string(const char *s, size_t len)
{
	char *c = lx_alloc(len + 1);
	if (c)
		memcpy(c, s, len); /* zeroed: NUL-terminated */
	return c;
}

int64_t lx_ramfs_set_target(lx_inode_t *node, const char *target, size_t len)
{
	if (!(node->target = copy_string(target, len)))
		return -LX_ENOSPC;
	node->size = len;
	return 0;
}

int64_t lx_ramfs_set_archive(lx_inode_t *node, const char *path, const void *data, uint64_t size)
{
	if (!(node->archive = copy_string(path, strlen(path))))
		return -LX_ENOSPC;
	node->archive_data = data;
	node->size = size;
	return 0;
}
