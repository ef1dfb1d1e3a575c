#ifndef PROC_MANIFEST_H
#define PROC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The boot manifest: which services proc starts, with what, and what it
 * does when one dies. A plain-text file in the boot archive (full reference
 * in docs/manifest.md):
 *
 *     # comment
 *     service uart0
 *         binary /boot/uart16550
 *         args -v "two words" --port=0x3f8
 *         priority 200
 *         ioports 0x3f8-0x3ff
 *         irq 4
 *         mmio 0xfebc0000-0xfebc0fff
 *         prefix /dev/uart0
 *         restart always
 *
 * Lines end with "\n" (a "\r" before it is ignored). A line that is blank
 * or whose first non-blank character is '#' is ignored; there are no
 * comments after a value. "service NAME" starts at the beginning of a line
 * and opens a block; the block's "key value" lines are indented with spaces
 * or tabs. NAME is 1-31 of [A-Za-z0-9_.-] and unique.
 *
 * Values are words: whitespace separates them; double quotes group words
 * (and may start or stop mid-word: --name="a b" is one word), and inside
 * quotes a backslash takes the next character literally. Outside quotes a
 * backslash is an ordinary character. Numbers are decimal or hex (0x...).
 *
 *   binary PATH        required; the program's path in the boot archive
 *   args WORD...       arguments after argv[0] (argv[0] is the binary path)
 *   priority N         0-255, default 100
 *   ioports FIRST-LAST repeatable; FIRST <= LAST <= 0xffff; a lone N means N-N
 *   irq GSI            repeatable; 0-63
 *   mmio FIRST-LAST    repeatable; hex; FIRST page-aligned, LAST the last
 *                      byte of a page, below 2^52
 *   prefix PATH        repeatable; a path-namespace prefix, starting with "/"
 *   restart POLICY     always | on-failure | never (default never)
 *
 * Every key except the repeatable ones may appear once per service. Unknown
 * keys, key lines outside a service, missing or extra values, values out of
 * range, duplicate service names and a service without a binary are errors,
 * reported with the line number.
 */

#define MANIFEST_MAX_SERVICES 16
#define MANIFEST_MAX_IOPORTS 8
#define MANIFEST_MAX_IRQS 4
#define MANIFEST_MAX_MMIO 4
#define MANIFEST_MAX_PREFIXES 4
#define MANIFEST_MAX_ARGS 16   /* not counting argv[0] */
#define MANIFEST_NAME_MAX 31   /* characters in a service name */
#define MANIFEST_PATH_MAX 63   /* characters in binary and prefix paths */
#define MANIFEST_ARG_BYTES 512 /* all of a service's args, each with its NUL */
#define MANIFEST_MAX_IRQ 63    /* highest GSI */
#define MANIFEST_PRIORITY_DEFAULT 100
#define MANIFEST_PAGE_SIZE 0x1000u
#define MANIFEST_MMIO_LIMIT 0x10000000000000ull /* 2^52: x86_64's physical limit */

typedef enum manifest_restart {
	MANIFEST_RESTART_NEVER,
	MANIFEST_RESTART_ON_FAILURE,
	MANIFEST_RESTART_ALWAYS,
} manifest_restart_t;

typedef struct manifest_ioports {
	uint16_t first, last; /* inclusive */
} manifest_ioports_t;

typedef struct manifest_mmio {
	uint64_t first, last; /* physical; first is page-aligned, last ends a page */
} manifest_mmio_t;

typedef struct manifest_service {
	char name[MANIFEST_NAME_MAX + 1];
	char binary[MANIFEST_PATH_MAX + 1];
	unsigned line; /* of the "service" line */
	unsigned priority;
	manifest_restart_t restart;
	bool archive;  /* the boot archive, mapped read-only at PROC_ARCHIVE_VADDR */
	unsigned argc; /* args after argv[0] */
	uint16_t arg_offset[MANIFEST_MAX_ARGS]; /* of each arg in args */
	uint16_t args_len;                      /* bytes used in args, NULs included */
	char args[MANIFEST_ARG_BYTES];          /* "arg1\0arg2\0..." */
	unsigned nioports, nirqs, nmmio, nprefixes;
	manifest_ioports_t ioports[MANIFEST_MAX_IOPORTS];
	uint8_t irqs[MANIFEST_MAX_IRQS];
	manifest_mmio_t mmio[MANIFEST_MAX_MMIO];
	char prefixes[MANIFEST_MAX_PREFIXES][MANIFEST_PATH_MAX + 1];
} manifest_service_t;

typedef struct manifest {
	unsigned count;
	manifest_service_t services[MANIFEST_MAX_SERVICES];
} manifest_t;

/*
 * Parses len bytes of manifest text into *out, copying every string. On
 * error returns -1, leaves *out unspecified and writes a message such as
 * "line 7: priority 300 is out of range (0-255)" to err (truncated to
 * err_size; err may be NULL when err_size is 0). Returns 0 on success.
 */
int manifest_parse(const char *text, size_t len, manifest_t *out, char *err, size_t err_size);

/* Argument i (0 <= i < s->argc) of a service, not counting argv[0]. */
const char *manifest_arg(const manifest_service_t *s, unsigned i);

/*
 * Writes the service's argv as "binary\0arg1\0arg2\0" into buf and returns
 * its length, every NUL included; -1 if it does not fit in size bytes.
 */
int manifest_pack_argv(const manifest_service_t *s, char *buf, size_t size);

/* The service named name, or NULL. */
const manifest_service_t *manifest_find(const manifest_t *m, const char *name);

#endif
