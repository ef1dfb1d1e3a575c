/*
 * The files Linux programs see: the boot archive, which proc serves
 * read-only (PROC_FILE_STAT, _READ, _DIRENT in atoll/proto/proc.h) until a
 * ramfs server exists. One request per call, no caching.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

static int64_t lx_errno_of(atoll_error_t err)
{
	switch (err) {
	case ATOLL_E_OK:
		return 0;
	case ATOLL_E_NOT_FOUND:
		return -LX_ENOENT;
	case ATOLL_E_ILLEGAL_OP:
		return -LX_EISDIR;
	default:
		return -LX_EIO;
	}
}

/* Send label with the path from word first, its length in word first - 1. */
static atoll_error_t call(uint64_t label, atoll_msg_t *m, unsigned first, const char *path)
{
	size_t len = strlen(path);
	m->w[first - 1] = len;
	unsigned words = msg_put_bytes(m, first, path, len);
	m->info = atoll_msginfo(label, 0, words);
	return atoll_rpc(PROC_SLOT_PROC, m);
}

int64_t lx_archive_stat(const char *path, uint32_t *mode, uint64_t *size)
{
	atoll_msg_t m = {0};
	atoll_error_t err = call(PROC_FILE_STAT, &m, 1, path);
	if (err)
		return lx_errno_of(err);
	*mode = (uint32_t)m.w[0];
	*size = m.w[1];
	return 0;
}

int64_t lx_archive_read(const char *path, uint64_t offset, void *buf, size_t max)
{
	atoll_msg_t m = {.w = {offset, max < PROC_FILE_READ_MAX ? max : PROC_FILE_READ_MAX}};
	uint64_t want = m.w[1];
	atoll_error_t err = call(PROC_FILE_READ, &m, 3, path);
	if (err)
		return lx_errno_of(err);
	uint64_t n = m.w[0];
	if (n > want || atoll_msginfo_length(m.info) < 1 + (n + 7) / 8)
		return -LX_EIO;
	msg_get_bytes(&m, 1, buf, n);
	return (int64_t)n;
}

int64_t lx_archive_dirent(const char *dir, uint64_t index, char *name, size_t size, uint32_t *mode)
{
	atoll_msg_t m = {.w = {index}};
	atoll_error_t err = call(PROC_FILE_DIRENT, &m, 2, dir);
	if (err == ATOLL_E_RANGE)
		return 0;
	if (err)
		return err == ATOLL_E_ILLEGAL_OP ? -LX_ENOTDIR : lx_errno_of(err);
	uint64_t n = m.w[1];
	if (n == 0 || n > MSG_BYTES_MAX(2) || atoll_msginfo_length(m.info) < 2 + (n + 7) / 8)
		return -LX_EIO;
	char full[MSG_BYTES_MAX(2)];
	msg_get_bytes(&m, 2, full, n);
	if (n > size - 1)
		n = size - 1;
	memcpy(name, full, n);
	name[n] = 0;
	*mode = (uint32_t)m.w[0];
	return 1;
}

/* Make the entries of archive directory path (absolute) in ramfs directory
 * dir, and theirs below them: directories and symlinks as they are, regular
 * files reading through to the archive. Returns the files made. */
static unsigned load_dir(const char *path, lx_inode_t *dir)
{
	unsigned made = 0;
	for (uint64_t i = 0;; i++) {
		char name[LX_NAME_MAX + 1], child[PROC_PATH_MAX];
		uint32_t mode;
		uint64_t size = 0;
		if (lx_archive_dirent(path, i, name, sizeof(name), &mode) <= 0)
			break;
		size_t len = strlen(name);
		if (lx_path_resolve(path, name, child, sizeof(child)) < 0 ||
		    lx_ramfs_find(dir, name, len))
			continue;
		lx_inode_t *n = lx_ramfs_new(mode);
		if (!n || lx_ramfs_link(dir, name, len, n)) {
			printf("linux: no memory for %s: the file tree is incomplete\n", child);
			break;
		}
		made++;
		if (lx_is_dir(n)) {
			made += load_dir(child, n);
		} else if (lx_is_symlink(n)) {
			char target[PROC_FILE_READ_MAX + 1];
			int64_t got = lx_archive_read(child, 0, target, sizeof(target) - 1);
			if (got > 0)
				lx_ramfs_set_target(n, target, (size_t)got);
			else
				lx_ramfs_set_target(n, "?", 1); /* unreadable: points nowhere */
		} else if (lx_is_reg(n) && lx_archive_stat(child, &mode, &size) == 0) {
			lx_ramfs_set_archive(n, child, size);
		}
	}
	return made;
}

unsigned lx_archive_load(lx_inode_t *root)
{
	return load_dir("/", root);
}
