#include <atoll_rt/string.h>

#include "args.h"

/* The strings at *pos up to an empty one; false if malformed or too many. */
static bool split_list(const char *packed, size_t len, size_t *pos, const char **out,
                       unsigned *count)
{
	*count = 0;
	for (;;) {
		if (*pos >= len)
			return false;
		const char *s = packed + *pos;
		size_t n = strlen(s); /* the caller checked that packed ends with a NUL */
		*pos += n + 1;
		if (n == 0)
			return true;
		if (*count == ARGS_MAX_STRINGS)
			return false;
		out[(*count)++] = s;
	}
}

bool args_split(const char *packed, size_t len, args_t *out)
{
	if (len == 0 || packed[len - 1] != 0 || packed[0] == 0)
		return false;
	out->path = packed;
	size_t pos = strlen(packed) + 1;
	return split_list(packed, len, &pos, out->argv, &out->argc) &&
	       split_list(packed, len, &pos, out->envp, &out->envc) && pos == len;
}

bool args_split_counted(const char *packed, size_t len, unsigned argc, unsigned envc, args_t *out)
{
	if (len == 0 || packed[len - 1] != 0 || packed[0] == 0 || argc > ARGS_MAX_STRINGS ||
	    envc > ARGS_MAX_STRINGS)
		return false;
	out->path = packed;
	out->argc = argc;
	out->envc = envc;
	size_t pos = strlen(packed) + 1;
	for (unsigned i = 0; i < argc + envc; i++) {
		if (pos >= len)
			return false;
		const char *s = packed + pos; /* a NUL ends the buffer: strlen stays inside */
		if (i < argc)
			out->argv[i] = s;
		else
			out->envp[i - argc] = s;
		pos += strlen(s) + 1;
	}
	return pos == len;
}
