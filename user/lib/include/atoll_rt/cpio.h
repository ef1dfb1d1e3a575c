#ifndef ATOLL_RT_CPIO_H
#define ATOLL_RT_CPIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reading cpio "newc" archives (the boot archive and the initramfs), in
 * place: entries point into the archive, nothing is copied or allocated.
 *
 * An entry is a 110-byte header of ASCII fields (the magic "070701", then
 * thirteen 8-digit hex numbers: ino, mode, uid, gid, nlink, mtime, filesize,
 * devmajor, devminor, rdevmajor, rdevminor, namesize, check), the name with
 * its NUL (namesize counts the NUL), zero padding so that header + name ends
 * on a multiple of 4, the file data, and zero padding to a multiple of 4.
 * The entry named "TRAILER!!!" ends the archive. The "070702" variant (same
 * layout plus a data checksum, which is not verified) is read as well.
 *
 * The archive is untrusted: every field is checked and nothing outside
 * [archive, archive + size) is ever read. Offsets are from the archive's
 * start, which need not be aligned in memory.
 */

/* File types in cpio_entry.mode (the st_mode bits). */
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_DIR 0040000u
#define CPIO_MODE_FILE 0100000u
#define CPIO_MODE_SYMLINK 0120000u

typedef struct cpio_entry {
	const char *name; /* NUL-terminated, with no other NUL in it */
	size_t name_len;  /* without the NUL */
	const void *data; /* inside the archive; a symlink's data is its target */
	size_t size;
	uint32_t mode;
} cpio_entry_t;

/*
 * Reads the entry at *offset (start with 0). Returns 1 and advances *offset
 * to the next entry; 0 at the trailer or when *offset is exactly the end of
 * the archive; -1 if the archive is malformed there. *offset changes only
 * when 1 is returned, so calling again after the end returns 0 again.
 */
int cpio_next(const void *archive, size_t size, size_t *offset, cpio_entry_t *out);

/*
 * Finds the first entry named path, ignoring a leading "/" or "./" on either
 * side ("/boot/uart", "./boot/uart" and "boot/uart" are the same name; "/",
 * "." and "./" all name the root). Returns 1 if found, 0 if the archive
 * ends without it, -1 if it is malformed before the entry is reached.
 */
int cpio_find(const void *archive, size_t size, const char *path, cpio_entry_t *out);

#endif
