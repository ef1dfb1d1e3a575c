#ifndef PROC_ARGS_H
#define PROC_ARGS_H

/*
 * Argument strings as every spawn request carries them:
 * "path\0arg0\0arg1\0...\0\0env0\0env1\0...\0\0" — the program's
 * path, then argv and envp, each list ended by an empty string. Pure.
 */
#include <stdbool.h>
#include <stddef.h>

#define ARGS_MAX_STRINGS 256

typedef struct args {
	const char *path;
	const char *argv[ARGS_MAX_STRINGS];
	const char *envp[ARGS_MAX_STRINGS];
	unsigned argc, envc;
} args_t;

/* Split len bytes of packed arguments; false if they are malformed. */
bool args_split(const char *packed, size_t len, args_t *out);

#endif
