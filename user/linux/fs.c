/*
 * The file system's start (ramfs.h): the ramfs takes its pages from our
 * heap region, at most a quarter of the memory free when the personality
 * starts (and never more than the region), gets the boot archive's tree,
 * and the directories every Linux system has: /tmp (sticky, writable by
 * all), /dev with its devices, /proc, and /etc/mtab pointing at
 * /proc/mounts (where df and mount look for the mounts).
 */
#include "personality.h"

#include <atoll_rt/proc.h>

#define SHARE_OF_FREE 4

lx_inode_t *lx_fs_ensure_dir(lx_inode_t *dir, const char *name, size_t len, uint32_t perm)
{
	lx_entry_t *e = lx_ramfs_find(dir, name, len);
	if (e)
		return lx_is_dir(e->node) ? e->node : NULL;
	lx_inode_t *n = lx_ramfs_new(LX_S_IFDIR | perm);
	if (!n || lx_ramfs_link(dir, name, len, n))
		return NULL;
	return n;
}

void lx_fs_init(void)
{
	uint64_t pages = PROC_HEAP_MAX / LX_RAMFS_PAGE;
	uint64_t free, in_use, total;
	if (proc_meminfo(&free, &in_use, &total) == ATOLL_E_OK &&
	    free / SHARE_OF_FREE / LX_RAMFS_PAGE < pages)
		pages = free / SHARE_OF_FREE / LX_RAMFS_PAGE;
	lx_ramfs_init((void *)PROC_HEAP_BASE, pages);
	lx_inode_t *root = lx_ramfs_root();
	if (!root) {
		printf("linux: no memory for the file system\n");
		return;
	}
	unsigned files = lx_archive_load(root);
	lx_inode_t *tmp = lx_fs_ensure_dir(root, "tmp", 3, 01777);
	lx_inode_t *dev = lx_fs_ensure_dir(root, "dev", 3, 0755);
	lx_inode_t *proc = lx_fs_ensure_dir(root, "proc", 4, 0555);
	if (dev)
		lx_devices_init(dev);
	if (proc)
		lx_procfs_init(proc);
	lx_inode_t *etc = lx_fs_ensure_dir(root, "etc", 3, 0755);
	if (etc && !lx_ramfs_find(etc, "mtab", 4)) {
		lx_inode_t *mtab = lx_ramfs_new(LX_S_IFLNK | 0777);
		if (mtab && (lx_ramfs_set_target(mtab, "/proc/mounts", 12) ||
		             lx_ramfs_link(etc, "mtab", 4, mtab)))
			mtab = NULL;
		etc = mtab ? etc : NULL;
	}
	if (!tmp || !dev || !proc || !etc)
		printf("linux: could not make /tmp, /dev, /proc or /etc/mtab\n");
	printf("linux: ramfs: %u entries from the boot archive, room for %lu KiB\n", files,
	       pages * (LX_RAMFS_PAGE / 1024));
}
