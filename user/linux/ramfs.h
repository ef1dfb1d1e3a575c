#ifndef LINUX_RAMFS_H
#define LINUX_RAMFS_H

/*
 * The Linux personality's file system: a tree of inodes in our own memory,
 * like Linux's tmpfs. It is the "kernel" side of every Linux process's
 * files, so it lives here rather than in a server of its own.
 *
 * Memory (pages.c): file data, directory entries, symlink targets and the
 * inodes themselves come from 4 KiB pages of a region given at start-up
 * (the personality's heap, which proc pages in on first touch). Freed pages
 * go on a free list and are reused; past the region's bound an allocation
 * fails and the call that wanted it is ENOSPC. Small objects (inodes,
 * entries, names) are carved from pages in a few size classes.
 *
 * Inodes (ramfs.c): a directory holds its entries in a list kept in the
 * order they were made, each with a cookie that getdents64 uses as the
 * offset, so removing entries while a directory is being read neither skips
 * nor repeats the others. An inode lives while a directory entry names it
 * (nlink) or something holds it (open descriptions, current directories:
 * holds); the last of both to go frees it and its data. A regular file's
 * data is a two-level table of pages (holes read as zeros); a file that
 * came from the boot archive reads through to the archive's bytes (which
 * proc maps into the personality) until it is first changed, when they
 * are copied in ("owned").
 *
 * Nothing here makes an Atoll call but the hook below, so the host tests
 * build this code with a fake of it.
 */
#include "abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LX_NAME_MAX 255                   /* bytes of one path component */
#define LX_RAMFS_PAGE 4096                /* the unit of file data */
#define LX_RAMFS_PTRS (LX_RAMFS_PAGE / 8) /* page pointers in one table page */
/* The largest file: two levels of page tables. */
#define LX_RAMFS_FILE_MAX ((uint64_t)LX_RAMFS_PTRS * LX_RAMFS_PTRS * LX_RAMFS_PAGE)

/* Which file system an inode belongs to: what reads it and what st_dev is. */
enum lx_fs {
	LX_FS_RAM,  /* the ramfs tree */
	LX_FS_PROC, /* /proc: made up on lookup (procfs.c) */
};

typedef struct lx_inode lx_inode_t;

/* One name in a directory. */
typedef struct lx_entry {
	struct lx_entry *next;
	lx_inode_t *node;
	uint64_t cookie; /* getdents64's position of this entry: 2 and up */
	uint16_t len;
	char name[]; /* NUL-terminated */
} lx_entry_t;

struct lx_inode {
	uint64_t ino;
	uint32_t mode; /* type and permission bits, as st_mode */
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t holds; /* open descriptions, current directories */
	uint32_t rdev;  /* a character device's number (major << 8 | minor) */
	uint8_t fs;     /* enum lx_fs */
	uint64_t size;
	lx_timespec_t atime, mtime, ctime;

	/* A directory: the one that holds its entry (the root's is itself),
	 * its entries in the order they were made, the next cookie. */
	lx_inode_t *parent;
	lx_entry_t *entries, *last;
	uint64_t next_cookie;

	/* A regular file: its page table (NULL: no pages yet), and while it
	 * is read through to the boot archive, its path and bytes there (NULL
	 * once owned). A symlink: its target, NUL-terminated. */
	void **table;
	uint64_t pages; /* data pages allocated (st_blocks) */
	char *archive;
	const uint8_t *archive_data;
	char *target;

	/* A /proc inode: what it shows (procfs.c) and for which pid. */
	uint32_t proc_kind;
	uint64_t proc_pid;
};

static inline bool lx_is_dir(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFDIR;
}

static inline bool lx_is_symlink(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFLNK;
}

static inline bool lx_is_reg(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFREG;
}

/* Hook: the wall-clock time (time.c in the personality; a fake in the
 * host tests). */
void lx_ramfs_now(lx_timespec_t *ts);

/* pages.c: region is LX_RAMFS_PAGE-aligned, max_pages long. */
void lx_pages_init(void *region, uint64_t max_pages);
/* A zeroed page, or NULL when max_pages are in use. */
void *lx_page_alloc(void);
void lx_page_free(void *page);
/* A zeroed object of size bytes (at most a page), or NULL. */
void *lx_alloc(size_t size);
void lx_free(void *obj, size_t size);
/* Pages handed out and the bound (statfs). */
uint64_t lx_pages_used(void);
uint64_t lx_pages_max(void);

/* ramfs.c */
/* Set up the page region and an empty root directory (mode 0755). */
void lx_ramfs_init(void *region, uint64_t max_pages);
lx_inode_t *lx_ramfs_root(void);
/* A new inode of mode with no names yet (nlink 0), now's times; NULL when
 * out of memory. A directory starts with nlink 2 once it is linked. */
lx_inode_t *lx_ramfs_new(uint32_t mode);
/* The entry called name (len bytes) in directory dir, or NULL. */
lx_entry_t *lx_ramfs_find(lx_inode_t *dir, const char *name, size_t len);
/* Make an entry name in dir for node (no entry of that name may exist):
 * 0 or -LX_ENOSPC. A directory's parent becomes dir. */
int64_t lx_ramfs_link(lx_inode_t *dir, const char *name, size_t len, lx_inode_t *node);
/* Remove entry e from dir; its inode goes when nothing else keeps it. */
void lx_ramfs_unlink(lx_inode_t *dir, lx_entry_t *e);
/* Move entry e of from to the name name (len bytes) in to, where no entry
 * of that name may exist: 0 or -LX_ENOSPC. */
int64_t lx_ramfs_move(lx_inode_t *from, lx_entry_t *e, lx_inode_t *to, const char *name,
                      size_t len);
/* Move entry e of from over entry target of to, whose inode loses that
 * name (a directory there must be empty). Needs no memory. */
void lx_ramfs_replace(lx_inode_t *from, lx_entry_t *e, lx_inode_t *to, lx_entry_t *target);
/* Swap the inodes of entries e1 (in d1) and e2 (in d2). */
void lx_ramfs_exchange(lx_inode_t *d1, lx_entry_t *e1, lx_inode_t *d2, lx_entry_t *e2);
/* One more or one fewer holder of node (an open description, a cwd). */
void lx_ramfs_hold(lx_inode_t *node);
void lx_ramfs_release(lx_inode_t *node);
/* A directory with no entries. */
bool lx_ramfs_empty(const lx_inode_t *dir);
/* Whether dir is node or below it. */
bool lx_ramfs_within(const lx_inode_t *dir, const lx_inode_t *node);
/* The entry of dir whose cookie is at least cookie, or NULL. */
lx_entry_t *lx_ramfs_entry_from(const lx_inode_t *dir, uint64_t cookie);

/* Up to len bytes of regular file node from offset: the count (0 at the
 * end). */
int64_t lx_ramfs_read(lx_inode_t *node, uint64_t offset, void *buf, size_t len);
/* Write len bytes at offset (extending the file): the count, or -LX_ENOSPC
 * / -LX_EFBIG when not even one byte went in. */
int64_t lx_ramfs_write(lx_inode_t *node, uint64_t offset, const void *buf, size_t len);
/* Set the size: 0, -LX_ENOSPC or -LX_EFBIG. */
int64_t lx_ramfs_truncate(lx_inode_t *node, uint64_t size);
/* Make a symlink's target: 0 or -LX_ENOSPC. */
int64_t lx_ramfs_set_target(lx_inode_t *node, const char *target, size_t len);
/* Read regular file node through to the archive's file at path, whose
 * size bytes are at data. */
int64_t lx_ramfs_set_archive(lx_inode_t *node, const char *path, const void *data, uint64_t size);

/* Times to set: flags of lx_ramfs_touch. */
#define LX_TOUCH_ATIME 1u
#define LX_TOUCH_MTIME 2u
#define LX_TOUCH_CTIME 4u
void lx_ramfs_touch(lx_inode_t *node, unsigned what);

/* lookup.c */
/*
 * Where a path leads. lx_walk fills it: dir is the directory the last
 * component is in (NULL for "/" and paths that end in "." or ".."), name
 * that component, node what it names (NULL: no such entry, which is the
 * place to create one).
 */
typedef struct lx_where {
	lx_inode_t *dir;
	lx_inode_t *node;
	char name[LX_NAME_MAX + 1];
	bool trailing_slash; /* the path must name a directory */
} lx_where_t;
#define LX_WALK_FOLLOW 1u /* follow a symlink at the end */
/* Not even a trailing slash follows one: the call works on the name in
 * its directory (mkdir, rmdir, unlink, rename, link, symlink). */
#define LX_WALK_PARENT 2u
/*
 * Walk path from base (a directory: the current one or a dirfd's; the root
 * for an absolute path), following every symlink on the way and the last
 * one with LX_WALK_FOLLOW. self is the caller's pid (/proc/self). Returns 0
 * (node may be NULL when only the last component is missing), -LX_ENOENT,
 * -LX_ENOTDIR, -LX_ELOOP or -LX_ENAMETOOLONG.
 */
int64_t lx_walk(lx_inode_t *base, const char *path, unsigned flags, uint64_t self, lx_where_t *w);
/* The absolute path of directory dir into buf (size bytes): its length, or
 * -LX_ENOENT when dir has been removed, -LX_ERANGE when it does not fit. */
int64_t lx_dir_path(const lx_inode_t *dir, char *buf, size_t size);

/* procfs.c: the entry name of /proc directory dir, or NULL. */
lx_inode_t *lx_procfs_lookup(lx_inode_t *dir, const char *name, uint64_t self);

#endif
