#ifndef PROC_FILES_H
#define PROC_FILES_H

/*
 * The boot archive as a read-only file system (PROC_FILE_STAT, _READ,
 * _DIRENT in atoll/proto/proc.h). proc serves it only because it already
 * holds the archive: a stand-in until a ramfs server owns the files.
 *
 * The files_* lookups take the archive and plain arguments, so they can be
 * tested without IPC; files_request unmarshals a request and fills in the
 * answer.
 */
#include <atoll/errors.h>
#include <atoll_rt/syscall.h>
#include <stddef.h>
#include <stdint.h>

typedef struct files_archive {
	const void *data;
	size_t size;
} files_archive_t;

/* path: absolute and normalized. NOT_FOUND if absent. */
atoll_error_t files_stat(const files_archive_t *a, const char *path, uint32_t *mode,
                         uint64_t *size);
/* Up to max bytes of path from offset into buf (*count of them); a symlink
 * reads as its target; ILLEGAL_OP for a directory. */
atoll_error_t files_read(const files_archive_t *a, const char *path, uint64_t offset, void *buf,
                         size_t max, size_t *count);
/* The index-th entry directly in directory dir: its base name (not
 * NUL-terminated, *name_len bytes, pointing into the archive) and mode.
 * RANGE after the last. */
atoll_error_t files_dirent(const files_archive_t *a, const char *dir, uint64_t index,
                           const char **name, size_t *name_len, uint32_t *mode);

/* A PROC_FILE_* request of label in m (length words): fills in the answer
 * and sets *words to its length; returns the reply's error. */
atoll_error_t files_request(uint64_t label, atoll_msg_t *m, unsigned length, unsigned *words);

#endif
