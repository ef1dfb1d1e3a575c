#ifndef LINUX_PATH_H
#define LINUX_PATH_H

/*
 * Path names as a Linux process writes them, made into the absolute,
 * normalized paths the boot archive is looked up by. Pure string work, with
 * no lookups: ".." is taken lexically ("/a/b/.." is "/a" whatever "b" is).
 */
#include <stddef.h>

/* The path named something a directory: it ended in "/", "." or "..". */
#define LX_PATH_DIR 1

/*
 * Resolve path against base (absolute and normalized, the current
 * directory or a directory descriptor's path) into out (size bytes): an
 * absolute path without ".", ".." or empty components and with no "/" at
 * the end, "/" for the root; ".." of the root is the root. Returns 0, or
 * LX_PATH_DIR when path must name a directory; -LX_ENOENT for an empty
 * path; -LX_ENAMETOOLONG when the result does not fit out.
 */
int lx_path_resolve(const char *base, const char *path, char *out, size_t size);

/* The parent directory of the normalized absolute path into out (size
 * bytes, at least as long as path): "/a/b" -> "/a", "/a" -> "/", "/" -> "/". */
void lx_path_parent(const char *path, char *out, size_t size);

#endif
