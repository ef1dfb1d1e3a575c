/*
 * The boot archive as the ramfs's first contents. proc maps a copy of it
 * (cpio newc) read-only into the personality (the manifest's `archive
 * read-only`); one pass over it makes every directory, symlink and file,
 * regular files reading through to their bytes in the archive until they
 * are first written (ramfs.h). The first entry of a name wins; parents an
 * archive leaves out are made as directories.
 */
#include "personality.h"

#include <atoll_rt/cpio.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>

/* The entry's name without "./" or "/" in front. */
static const char *relative(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* The directory holding path's last component, made as needed; *last is
 * that component. NULL when a parent is not a directory. */
static lx_inode_t *parent_of(lx_inode_t *root, const char *path, const char **last)
{
	lx_inode_t *dir = root;
	const char *slash;
	while (dir && (slash = strchr(path, '/'))) {
		if (slash > path)
			dir = lx_fs_ensure_dir(dir, path, (size_t)(slash - path), 0755);
		path = slash + 1;
	}
	*last = path;
	return dir;
}

/* Make the entry's node: 1 when made, 0 when skipped, -1 when memory is out. */
static int add_entry(lx_inode_t *root, const cpio_entry_t *e)
{
	const char *path = relative(e->name), *name;
	lx_inode_t *dir = parent_of(root, path, &name);
	size_t len = strlen(name);
	if (!dir || len == 0 || len > LX_NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || lx_ramfs_find(dir, name, len))
		return 0;
	lx_inode_t *n = lx_ramfs_new(e->mode);
	if (!n)
		return -1;
	int64_t err = 0;
	if (lx_is_symlink(n)) {
		err = lx_ramfs_set_target(n, e->data, e->size);
	} else if (lx_is_reg(n)) {
		char full[LX_PATH_MAX];
		snprintf(full, sizeof(full), "/%s", path);
		err = lx_ramfs_set_archive(n, full, e->data, e->size);
	}
	if (err || lx_ramfs_link(dir, name, len, n))
		return -1;
	return 1;
}

unsigned lx_archive_load(lx_inode_t *root)
{
	proc_sysinfo_t info;
	if (proc_sysinfo(&info) || !info.archive_bytes) {
		printf("linux: no boot archive is mapped: the file tree is empty\n");
		return 0;
	}
	const void *archive = (const void *)PROC_ARCHIVE_VADDR;
	unsigned made = 0;
	cpio_entry_t e;
	size_t offset = 0;
	int r;
	while ((r = cpio_next(archive, info.archive_bytes, &offset, &e)) == 1) {
		int added = add_entry(root, &e);
		if (added < 0) {
			printf("linux: no memory for /%s: the file tree is incomplete\n",
			       relative(e.name));
			break;
		}
		made += (unsigned)added;
	}
	if (r < 0)
		printf("linux: the boot archive is malformed after %u entries\n", made);
	return made;
}
