/* The Linux personality's ramfs without IPC: the page allocator (bound,
 * reuse), the tree (links, counts, freeing), file data (holes, truncation,
 * reading through to archive bytes until written) and path lookup
 * (symlinks, "..", ELOOP, ENOTDIR, ENAMETOOLONG). */
#include "../../../user/linux/lookup.c"
#include "../../../user/linux/pages.c"
#include "../../../user/linux/ramfs.c"

#include "test.h"

#include <string.h>

#define REGION_PAGES 64

static uint8_t test_region[REGION_PAGES * LX_RAMFS_PAGE] __attribute__((aligned(4096)));
static char archive_text[] = "archive bytes, read through until written";

void lx_ramfs_now(lx_timespec_t *ts)
{
	static int64_t t;
	*ts = (lx_timespec_t){++t, 0};
}

lx_inode_t *lx_procfs_lookup(lx_inode_t *dir, const char *name, uint64_t self)
{
	(void)dir, (void)name, (void)self;
	return NULL;
}

static void fresh(void)
{
	lx_ramfs_init(test_region, REGION_PAGES);
}

static lx_inode_t *make(lx_inode_t *dir, const char *name, uint32_t mode)
{
	lx_inode_t *n = lx_ramfs_new(mode);
	if (n && lx_ramfs_link(dir, name, strlen(name), n) != 0)
		return NULL;
	return n;
}

static lx_inode_t *walk(const char *path, unsigned flags, int64_t *err)
{
	static lx_where_t w;
	*err = lx_walk(lx_ramfs_root(), path, flags, 7, &w);
	return *err ? NULL : w.node;
}

TEST(pages_bound_and_reuse)
{
	fresh();
	void *pages[REGION_PAGES];
	unsigned n = 0;
	while (n < REGION_PAGES && (pages[n] = lx_page_alloc()))
		n++;
	CHECK(n < REGION_PAGES); /* the root took some */
	CHECK(lx_page_alloc() == NULL);
	memset(pages[0], 0xab, LX_RAMFS_PAGE);
	lx_page_free(pages[0]);
	uint8_t *again = lx_page_alloc();
	CHECK(again == pages[0]);
	CHECK_EQ(again[100], 0); /* reused pages come back zeroed */
}

TEST(small_objects_share_pages_and_return)
{
	fresh();
	uint64_t before = lx_pages_used();
	void *a = lx_alloc(40), *b = lx_alloc(40);
	CHECK(a && b && a != b);
	CHECK_EQ(lx_pages_used(), before + 1);
	lx_free(a, 40);
	CHECK(lx_alloc(33) == a);
}

TEST(write_read_holes_and_truncate)
{
	fresh();
	lx_inode_t *f = make(lx_ramfs_root(), "f", LX_S_IFREG | 0644);
	char buf[16];
	CHECK_EQ(lx_ramfs_write(f, 10000, "xyz", 3), 3);
	CHECK_EQ(f->size, 10003);
	CHECK_EQ(f->pages, 1); /* the hole before it takes none */
	CHECK_EQ(lx_ramfs_read(f, 4990, buf, 10), 10);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10) == 0);
	CHECK_EQ(lx_ramfs_read(f, 10001, buf, 16), 2);
	CHECK(memcmp(buf, "yz", 2) == 0);
	CHECK_EQ(lx_ramfs_truncate(f, 10001), 0);
	CHECK_EQ(lx_ramfs_truncate(f, 10003), 0);
	CHECK_EQ(lx_ramfs_read(f, 10000, buf, 16), 3);
	CHECK(memcmp(buf, "x\0\0", 3) == 0); /* the cut bytes read as zeros */
	uint64_t used = lx_pages_used();
	CHECK_EQ(lx_ramfs_truncate(f, 0), 0);
	CHECK(lx_pages_used() < used);
}

TEST(write_stops_with_enospc)
{
	fresh();
	lx_inode_t *f = make(lx_ramfs_root(), "big", LX_S_IFREG | 0644);
	static char chunk[LX_RAMFS_PAGE];
	int64_t n;
	uint64_t off = 0;
	while ((n = lx_ramfs_write(f, off, chunk, sizeof(chunk))) > 0)
		off += (uint64_t)n;
	CHECK_EQ(n, -LX_ENOSPC);
	CHECK(off > 0 && off < REGION_PAGES * LX_RAMFS_PAGE);
	CHECK_EQ(lx_ramfs_write(f, LX_RAMFS_FILE_MAX, "x", 1), -LX_EFBIG);
}

TEST(archive_file_reads_through_until_written)
{
	fresh();
	lx_inode_t *f = make(lx_ramfs_root(), "a", LX_S_IFREG | 0755);
	char buf[64] = {0};
	CHECK_EQ(lx_ramfs_set_archive(f, "/a", archive_text, sizeof(archive_text) - 1), 0);
	CHECK_EQ(lx_ramfs_read(f, 0, buf, sizeof(buf)), sizeof(archive_text) - 1);
	CHECK(strcmp(buf, archive_text) == 0);
	CHECK_EQ(lx_ramfs_read(f, 8, buf, 5), 5);
	CHECK(strncmp(buf, "bytes", 5) == 0);
	CHECK_EQ(lx_ramfs_write(f, 0, "ARCHIVE", 7), 7);
	CHECK(f->archive == NULL && f->archive_data == NULL);
	archive_text[8] = '#'; /* owned now: the archive's bytes no longer show */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(lx_ramfs_read(f, 0, buf, sizeof(buf)), sizeof(archive_text) - 1);
	CHECK(strncmp(buf, "ARCHIVE bytes", 13) == 0);
	archive_text[8] = 'b';
	lx_inode_t *g = make(lx_ramfs_root(), "g", LX_S_IFREG | 0644);
	CHECK_EQ(lx_ramfs_set_archive(g, "/g", archive_text, sizeof(archive_text) - 1), 0);
	CHECK_EQ(lx_ramfs_truncate(g, 0), 0); /* nothing to copy */
	CHECK(g->archive == NULL && g->size == 0 && g->pages == 0);
}

TEST(links_count_and_unlinked_open_file_lives)
{
	fresh();
	lx_inode_t *root = lx_ramfs_root();
	lx_inode_t *d = make(root, "d", LX_S_IFDIR | 0755);
	CHECK_EQ(root->nlink, 3);
	CHECK_EQ(d->nlink, 2);
	lx_inode_t *f = make(d, "f", LX_S_IFREG | 0644);
	CHECK_EQ(lx_ramfs_link(root, "g", 1, f), 0);
	CHECK_EQ(f->nlink, 2);
	lx_ramfs_hold(f);
	lx_ramfs_unlink(d, lx_ramfs_find(d, "f", 1));
	lx_ramfs_unlink(root, lx_ramfs_find(root, "g", 1));
	CHECK_EQ(f->nlink, 0);
	CHECK_EQ(lx_ramfs_write(f, 0, "still", 5), 5);
	lx_ramfs_release(f);
	CHECK(lx_ramfs_empty(d));
	lx_ramfs_unlink(root, lx_ramfs_find(root, "d", 1));
	CHECK_EQ(root->nlink, 2);
}

TEST(move_keeps_directory_counts)
{
	fresh();
	lx_inode_t *root = lx_ramfs_root();
	lx_inode_t *a = make(root, "a", LX_S_IFDIR | 0755);
	lx_inode_t *b = make(root, "b", LX_S_IFDIR | 0755);
	lx_inode_t *c = make(a, "c", LX_S_IFDIR | 0755);
	make(c, "sub", LX_S_IFDIR | 0755);
	CHECK_EQ(lx_ramfs_move(a, lx_ramfs_find(a, "c", 1), b, "c2", 2), 0);
	CHECK_EQ(a->nlink, 2);
	CHECK_EQ(b->nlink, 3);
	CHECK_EQ(c->nlink, 3);
	CHECK(c->parent == b);
	CHECK(lx_ramfs_within(c, b));
	CHECK(!lx_ramfs_within(c, a));
	char path[64];
	CHECK_EQ(lx_dir_path(c, path, sizeof(path)), 5);
	CHECK(strcmp(path, "/b/c2") == 0);
}

TEST(replace_and_exchange_keep_counts)
{
	fresh();
	lx_inode_t *root = lx_ramfs_root();
	lx_inode_t *a = make(root, "a", LX_S_IFREG | 0644);
	lx_inode_t *b = make(root, "b", LX_S_IFREG | 0644);
	lx_ramfs_hold(b);
	lx_ramfs_replace(root, lx_ramfs_find(root, "a", 1), root, lx_ramfs_find(root, "b", 1));
	CHECK(lx_ramfs_find(root, "a", 1) == NULL);
	CHECK(lx_ramfs_find(root, "b", 1)->node == a);
	CHECK_EQ(a->nlink, 1);
	CHECK_EQ(b->nlink, 0); /* replaced, kept only by its holder */
	lx_ramfs_release(b);
	lx_inode_t *d = make(root, "d", LX_S_IFDIR | 0755);
	lx_inode_t *e = make(d, "e", LX_S_IFDIR | 0755);
	lx_ramfs_exchange(root, lx_ramfs_find(root, "b", 1), d, lx_ramfs_find(d, "e", 1));
	CHECK(e->parent == root);
	CHECK_EQ(root->nlink, 4); /* d and now e */
	CHECK_EQ(d->nlink, 2);
	CHECK(lx_ramfs_find(d, "e", 1)->node == a);
}

TEST(entries_keep_their_cookies)
{
	fresh();
	lx_inode_t *root = lx_ramfs_root();
	make(root, "x", LX_S_IFREG | 0644);
	make(root, "y", LX_S_IFREG | 0644);
	make(root, "z", LX_S_IFREG | 0644);
	lx_entry_t *y = lx_ramfs_find(root, "y", 1);
	uint64_t cookie = y->cookie;
	lx_ramfs_unlink(root, lx_ramfs_find(root, "x", 1));
	CHECK(lx_ramfs_entry_from(root, cookie) == y);
	CHECK_EQ(lx_ramfs_entry_from(root, cookie + 1)->name[0], 'z');
	CHECK(lx_ramfs_entry_from(root, cookie + 2) == NULL);
}

TEST(walk_follows_symlinks_and_dotdot)
{
	fresh();
	int64_t err;
	lx_inode_t *root = lx_ramfs_root();
	lx_inode_t *d = make(root, "d", LX_S_IFDIR | 0755);
	lx_inode_t *e = make(d, "e", LX_S_IFDIR | 0755);
	lx_inode_t *f = make(e, "f", LX_S_IFREG | 0644);
	lx_inode_t *l = make(root, "l", LX_S_IFLNK | 0777);
	lx_ramfs_set_target(l, "d/e", 3);
	lx_inode_t *up = make(e, "up", LX_S_IFLNK | 0777);
	lx_ramfs_set_target(up, "..", 2);
	CHECK(walk("/l/f", 0, &err) == f);
	CHECK(walk("l", 0, &err) == l);
	CHECK(walk("l", LX_WALK_FOLLOW, &err) == e);
	CHECK(walk("l/", 0, &err) == e);
	CHECK(walk("/d/e/up/e/../e/f", 0, &err) == f);
	CHECK(walk("/l/up", LX_WALK_FOLLOW, &err) == d); /* ".." of where the link points */
	CHECK(walk("..//.", 0, &err) == root);
	lx_where_t w;
	CHECK_EQ(lx_walk(root, "d/new", 0, 7, &w), 0);
	CHECK(w.node == NULL && w.dir == d && strcmp(w.name, "new") == 0);
}

TEST(walk_errors)
{
	fresh();
	int64_t err;
	lx_inode_t *root = lx_ramfs_root();
	make(root, "f", LX_S_IFREG | 0644);
	lx_inode_t *loop = make(root, "loop", LX_S_IFLNK | 0777);
	lx_ramfs_set_target(loop, "loop", 4);
	walk("/f/x", 0, &err);
	CHECK_EQ(err, -LX_ENOTDIR);
	walk("/f/", 0, &err);
	CHECK_EQ(err, -LX_ENOTDIR);
	walk("/none/x", 0, &err);
	CHECK_EQ(err, -LX_ENOENT);
	walk("", 0, &err);
	CHECK_EQ(err, -LX_ENOENT);
	walk("/loop", LX_WALK_FOLLOW, &err);
	CHECK_EQ(err, -LX_ELOOP);
	CHECK(walk("/loop", 0, &err) == loop);
	char longname[LX_NAME_MAX + 3];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	walk(longname, 0, &err);
	CHECK_EQ(err, -LX_ENAMETOOLONG);
}

TEST(removed_directory_is_empty_for_good)
{
	fresh();
	int64_t err;
	lx_inode_t *root = lx_ramfs_root();
	lx_inode_t *d = make(root, "d", LX_S_IFDIR | 0755);
	lx_ramfs_hold(d);
	lx_ramfs_unlink(root, lx_ramfs_find(root, "d", 1));
	lx_where_t w;
	CHECK_EQ(lx_walk(d, "x", 0, 7, &w), -LX_ENOENT);
	char path[16];
	CHECK_EQ(lx_dir_path(d, path, sizeof(path)), -LX_ENOENT);
	lx_ramfs_release(d);
	(void)err;
}
