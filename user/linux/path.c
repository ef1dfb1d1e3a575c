/*
 * Path resolution for the Linux personality (path.h). Kept free of any
 * Atoll call so the host tests can include it.
 */
#include "path.h"

#include "abi.h"

#include <stdbool.h>

/* Drop the last component of the normalized path in out[0..*len). */
static void drop_last(char *out, size_t *len)
{
	while (*len > 1 && out[*len - 1] != '/')
		(*len)--;
	if (*len > 1)
		(*len)--; /* the "/" before it, unless it is the root's */
}

int lx_path_resolve(const char *base, const char *path, char *out, size_t size)
{
	size_t len = 0;
	bool dir = false;
	if (path[0] == 0)
		return -LX_ENOENT;
	if (size < 2)
		return -LX_ENAMETOOLONG;
	if (path[0] != '/') {
		while (base[len]) {
			if (len >= size - 1)
				return -LX_ENAMETOOLONG;
			out[len] = base[len];
			len++;
		}
	}
	if (len == 0)
		out[len++] = '/';
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - c);
		if (n == 0)
			break;
		dir = *p == '/'; /* a "/" after the last component */
		if (n == 1 && c[0] == '.') {
			dir = true;
			continue;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			drop_last(out, &len);
			dir = true;
			continue;
		}
		size_t need = (len > 1 ? 1 : 0) + n; /* a separator, unless after the root */
		if (len + need >= size)
			return -LX_ENAMETOOLONG;
		if (len > 1)
			out[len++] = '/';
		for (size_t i = 0; i < n; i++)
			out[len++] = c[i];
	}
	out[len] = 0;
	return dir ? LX_PATH_DIR : 0;
}

void lx_path_parent(const char *path, char *out, size_t size)
{
	size_t len = 0;
	while (path[len] && len < size - 1) {
		out[len] = path[len];
		len++;
	}
	drop_last(out, &len);
	if (len == 0)
		out[len++] = '/';
	out[len] = 0;
}
