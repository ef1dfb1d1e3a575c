#ifndef PROC_ARGS_H
#define PROC_ARGS_H

/*
 * Argument strings as every spawn request carries them:
 * "path\0arg0\0arg1\0...\0\0env0\0env1\0...\0\0" — the program's
 * path, then argv and envp, each list ended by an empty string; or, for
 * Linux programs, counted lists whose strings may be empty. Pure.
 */
#include <atoll/proto/proc.h>
#include <stdbool.h>
#include <stddef.h>

#define ARGS_MAX_STRINGS PROC_ARGS_STRINGS_MAX

typedef struct args {
	const char *path;
	const char *argv[ARGS_MAX_STRINGS];
	const char *envp[ARGS_MAX_STRINGS];
	unsigned argc, envc;
} args_t;

/* Split len bytes of packed arguments; false if they are malformed. */
bool args_split(const char *packed, size_t len, args_t *out);
/* The same for "path\0" and then exactly argc and envc strings, with no
 * empty string ending each list, so that a string may be empty. */
bool args_split_counted(const char *packed, size_t len, unsigned argc, unsigned envc, args_t *out);

#endif
