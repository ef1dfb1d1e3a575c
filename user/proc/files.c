/*
 * The boot archive as a read-only file system, for every process: the Linux
 * personality's open, stat, read and getdents come here. A stand-in until a
 * ramfs server exists; proc serves it only because it holds the archive.
 *
 * The archive is the cpio image the kernel handed proc as its second boot
 * module. Names in it have no leading "/" ("boot/manifest"); tools/mkboot
 * stores an entry for every parent directory, and the root, which has no
 * entry, is a directory all the same. A lookup scans the archive from its
 * start, except for the entry found last, which is remembered: a program
 * reads a file in many requests, and a scan of a root file system's
 * archive for each cost ten times the rest of the read.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/cpio.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/string.h>

#include "files.h"
#include "process.h"

#include <stdbool.h>

#define ROOT_MODE (CPIO_MODE_DIR | 0755)

/* The name without its leading "/" and "./" ("" for the root). */
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

static bool is_root(const char *path)
{
	const char *r = relative(path);
	return r[0] == 0 || (r[0] == '.' && r[1] == 0);
}

/* The entry found last, and where: an archive never changes, so it stays
 * right for as long as the same archive is asked for the same path. */
static struct {
	const void *data;
	size_t size;
	char path[PROC_PATH_MAX];
	cpio_entry_t entry;
} last;

static atoll_error_t find(const files_archive_t *a, const char *path, cpio_entry_t *e)
{
	if (is_root(path)) {
		*e = (cpio_entry_t){.name = "", .mode = ROOT_MODE};
		return ATOLL_E_OK;
	}
	if (last.data == a->data && last.size == a->size && strcmp(last.path, path) == 0) {
		*e = last.entry;
		return ATOLL_E_OK;
	}
	if (cpio_find(a->data, a->size, path, e) != 1)
		return ATOLL_E_NOT_FOUND;
	size_t len = strlen(path);
	if (len < sizeof(last.path)) {
		memcpy(last.path, path, len + 1);
		last.data = a->data;
		last.size = a->size;
		last.entry = *e;
	}
	return ATOLL_E_OK;
}

atoll_error_t files_stat(const files_archive_t *a, const char *path, uint32_t *mode, uint64_t *size)
{
	cpio_entry_t e;
	atoll_error_t err = find(a, path, &e);
	if (err)
		return err;
	*mode = e.mode;
	*size = e.size;
	return ATOLL_E_OK;
}

atoll_error_t files_read(const files_archive_t *a, const char *path, uint64_t offset, void *buf,
                         size_t max, size_t *count)
{
	cpio_entry_t e;
	atoll_error_t err = find(a, path, &e);
	*count = 0;
	if (err)
		return err;
	if ((e.mode & CPIO_MODE_TYPE) == CPIO_MODE_DIR)
		return ATOLL_E_ILLEGAL_OP;
	if (offset >= e.size)
		return ATOLL_E_OK;
	size_t n = e.size - offset < max ? e.size - offset : max;
	memcpy(buf, (const char *)e.data + offset, n);
	*count = n;
	return ATOLL_E_OK;
}

/* The part of name after dir + "/" when it names an entry directly in dir,
 * else NULL. dir and name are relative (no leading "/"). */
static const char *child_of(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n) {
		if (strncmp(name, dir, n) != 0 || name[n] != '/')
			return NULL;
		name += n + 1;
	}
	if (name[0] == 0 || (name[0] == '.' && name[1] == 0))
		return NULL;
	for (const char *c = name; *c; c++)
		if (*c == '/')
			return NULL;
	return name;
}

atoll_error_t files_dirent(const files_archive_t *a, const char *dir, uint64_t index,
                           const char **name, size_t *name_len, uint32_t *mode)
{
	cpio_entry_t e;
	atoll_error_t err = find(a, dir, &e);
	if (err)
		return err;
	if ((e.mode & CPIO_MODE_TYPE) != CPIO_MODE_DIR)
		return ATOLL_E_ILLEGAL_OP;
	const char *d = relative(dir);
	size_t offset = 0;
	while (cpio_next(a->data, a->size, &offset, &e) == 1) {
		const char *base = child_of(d, relative(e.name));
		if (!base || index-- != 0)
			continue;
		*name = base;
		*name_len = strlen(base);
		*mode = e.mode;
		return ATOLL_E_OK;
	}
	return ATOLL_E_RANGE;
}

/* --- the requests ---------------------------------------------------------- */

static files_archive_t boot_archive(void)
{
	uint64_t size;
	const void *data = process_archive(&size);
	return (files_archive_t){data, size};
}

/* The path whose length is word first - 1 and whose bytes start at word
 * first: it must fit the message and buf, hold no NUL and be absolute. */
static bool get_path(const atoll_msg_t *m, unsigned length, unsigned first, char *buf, size_t size)
{
	if (length < first)
		return false;
	uint64_t n = msg_word(m, first - 1);
	if (n == 0 || n >= size || n > (uint64_t)(length - first) * 8)
		return false;
	msg_get_bytes(m, first, buf, n);
	buf[n] = 0;
	return strlen(buf) == n && buf[0] == '/';
}

atoll_error_t files_request(uint64_t label, atoll_msg_t *m, unsigned length, unsigned *words)
{
	static char data[PROC_FILE_READ_MAX];
	char path[PROC_PATH_MAX];
	files_archive_t a = boot_archive();
	atoll_error_t err = ATOLL_E_INVALID_ARG;
	*words = 0;
	if (label == PROC_FILE_STAT && get_path(m, length, 1, path, sizeof(path))) {
		uint32_t mode = 0;
		uint64_t size = 0;
		err = files_stat(&a, path, &mode, &size);
		m->w[0] = mode;
		m->w[1] = size;
		*words = 2;
	} else if (label == PROC_FILE_READ && get_path(m, length, 3, path, sizeof(path))) {
		uint64_t offset = m->w[0], max = m->w[1];
		size_t count;
		err = files_read(&a, path, offset, data, max < sizeof(data) ? max : sizeof(data),
		                 &count);
		m->w[0] = count;
		*words = msg_put_bytes(m, 1, data, count);
	} else if (label == PROC_FILE_DIRENT && get_path(m, length, 2, path, sizeof(path))) {
		const char *name;
		size_t len;
		uint32_t mode;
		err = files_dirent(&a, path, m->w[0], &name, &len, &mode);
		if (!err) {
			m->w[0] = mode;
			m->w[1] = len;
			*words = msg_put_bytes(m, 2, name, len);
		}
	}
	return err;
}
