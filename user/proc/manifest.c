/*
 * The boot manifest parser (format in manifest.h and docs/manifest.md).
 * It reads the text line by line: a line at the left margin opens a service,
 * an indented line sets one key of the open service. Words are copied into
 * the fixed buffers of manifest_t as they are read; the first problem stops
 * the parse with a message that names the line.
 */
#include "manifest.h"

#include <atoll_rt/print.h>
#include <atoll_rt/string.h>
#include <stdarg.h>
#include <stdbool.h>

/* A word read into a buffer: found, none left on the line, or cut short. */
typedef enum word {
	WORD_OK,
	WORD_NONE,
	WORD_TOO_LONG,
	WORD_UNTERMINATED,
} word_t;

typedef enum key_id {
	KEY_BINARY,
	KEY_ARGS,
	KEY_PRIORITY,
	KEY_IOPORTS,
	KEY_IRQ,
	KEY_MMIO,
	KEY_PREFIX,
	KEY_RESTART,
	KEY_ARCHIVE,
	KEY_COUNT,
} key_id_t;

static const struct {
	const char *name;
	bool repeatable;
} keys[KEY_COUNT] = {
	[KEY_BINARY] = {"binary", false},
	[KEY_ARGS] = {"args", false},
	[KEY_PRIORITY] = {"priority", false},
	[KEY_IOPORTS] = {"ioports", true},
	[KEY_IRQ] = {"irq", true},
	[KEY_MMIO] = {"mmio", true},
	[KEY_PREFIX] = {"prefix", true},
	[KEY_RESTART] = {"restart", false},
	[KEY_ARCHIVE] = {"archive", false},
};

typedef struct parser {
	manifest_t *out;
	manifest_service_t *cur; /* the open service, or NULL before the first */
	unsigned seen;           /* bit per key_id_t given in the open service */
	unsigned line;
	const char *pos, *end; /* the unread part of the current line */
	char *err;
	size_t err_size;
} parser_t;

/* Room for any single value; longer ones are errors whatever the key. */
#define WORD_MAX MANIFEST_PATH_MAX

__attribute__((format(printf, 2, 3))) static int fail(parser_t *p, const char *fmt, ...)
{
	if (!p->err || !p->err_size)
		return -1;
	int n = snprintf(p->err, p->err_size, "line %u: ", p->line);
	if (n >= 0 && (size_t)n < p->err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_blanks(parser_t *p)
{
	while (p->pos < p->end && is_blank(*p->pos))
		p->pos++;
}

/*
 * Reads the next word of the line into buf (always NUL-terminated, even
 * when cut short): whitespace separates words, double quotes group them,
 * and inside quotes a backslash takes the next character literally.
 */
static word_t next_word(parser_t *p, char *buf, size_t size, size_t *len_out)
{
	size_t len = 0;
	bool quoted = false, too_long = false;
	skip_blanks(p);
	if (p->pos == p->end) {
		buf[0] = '\0';
		return WORD_NONE;
	}
	while (p->pos < p->end && (quoted || !is_blank(*p->pos))) {
		char c = *p->pos++;
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && c == '\\') {
			if (p->pos == p->end)
				break; /* unterminated: still inside the quotes */
			c = *p->pos++;
		}
		if (len + 1 < size)
			buf[len++] = c;
		else
			too_long = true;
	}
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	if (quoted)
		return WORD_UNTERMINATED;
	return too_long ? WORD_TOO_LONG : WORD_OK;
}

/* The single value of a key, with nothing after it on the line. */
static int one_value(parser_t *p, const char *key, char *buf, size_t size)
{
	char extra[24];
	switch (next_word(p, buf, size, NULL)) {
	case WORD_NONE:
		return fail(p, "%s needs a value", key);
	case WORD_TOO_LONG:
		return fail(p, "%s value is longer than %u characters", key, (unsigned)size - 1);
	case WORD_UNTERMINATED:
		return fail(p, "unterminated quote");
	case WORD_OK:
		break;
	}
	if (next_word(p, extra, sizeof(extra), NULL) != WORD_NONE)
		return fail(p, "unexpected '%s' after the %s value", extra, key);
	return 0;
}

typedef enum number {
	NUMBER_OK,
	NUMBER_BAD,
	NUMBER_TOO_BIG,
} number_t;

/* A whole word as a decimal or 0x-prefixed hex number (hex only if asked). */
static number_t parse_number(const char *s, bool hex_only, uint64_t *out)
{
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (hex_only) {
		return NUMBER_BAD;
	}
	if (!*s)
		return NUMBER_BAD;
	uint64_t v = 0;
	bool overflow = false;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return NUMBER_BAD;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	*out = v;
	return overflow ? NUMBER_TOO_BIG : NUMBER_OK;
}

/*
 * Splits "FIRST-LAST" (or a lone "N" when single is allowed) into numbers.
 * Returns the worse of the two parses.
 */
static number_t parse_range(char *word, bool hex_only, bool single, uint64_t *first, uint64_t *last)
{
	char *dash = word;
	while (*dash && *dash != '-')
		dash++;
	if (!*dash) {
		if (!single)
			return NUMBER_BAD;
		number_t r = parse_number(word, hex_only, first);
		*last = *first;
		return r;
	}
	*dash = '\0';
	number_t a = parse_number(word, hex_only, first);
	number_t b = parse_number(dash + 1, hex_only, last);
	*dash = '-';
	if (a == NUMBER_BAD || b == NUMBER_BAD)
		return NUMBER_BAD;
	return a == NUMBER_TOO_BIG || b == NUMBER_TOO_BIG ? NUMBER_TOO_BIG : NUMBER_OK;
}

static int set_path(parser_t *p, const char *key, char *dst)
{
	return one_value(p, key, dst, MANIFEST_PATH_MAX + 1);
}

static int set_args(parser_t *p)
{
	manifest_service_t *s = p->cur;
	for (;;) {
		skip_blanks(p);
		if (p->pos == p->end)
			break;
		if (s->argc == MANIFEST_MAX_ARGS)
			return fail(p, "more than %u args", MANIFEST_MAX_ARGS);
		size_t room = MANIFEST_ARG_BYTES - s->args_len, len;
		if (room == 0)
			return fail(p, "args are longer than %u bytes", MANIFEST_ARG_BYTES);
		switch (next_word(p, s->args + s->args_len, room, &len)) {
		case WORD_TOO_LONG:
			return fail(p, "args are longer than %u bytes", MANIFEST_ARG_BYTES);
		case WORD_UNTERMINATED:
			return fail(p, "unterminated quote");
		case WORD_NONE:
		case WORD_OK:
			break;
		}
		s->arg_offset[s->argc++] = s->args_len;
		s->args_len += (uint16_t)(len + 1);
	}
	if (s->argc == 0)
		return fail(p, "args needs a value");
	return 0;
}

static int set_priority(parser_t *p)
{
	char word[WORD_MAX + 1];
	uint64_t v;
	if (one_value(p, "priority", word, sizeof(word)) < 0)
		return -1;
	number_t r = parse_number(word, false, &v);
	if (r == NUMBER_BAD)
		return fail(p, "priority '%s' is not a number", word);
	if (r == NUMBER_TOO_BIG || v > 255)
		return fail(p, "priority %s is out of range (0-255)", word);
	p->cur->priority = (unsigned)v;
	return 0;
}

static int add_ioports(parser_t *p)
{
	manifest_service_t *s = p->cur;
	char word[WORD_MAX + 1];
	uint64_t first, last;
	if (one_value(p, "ioports", word, sizeof(word)) < 0)
		return -1;
	number_t r = parse_range(word, false, true, &first, &last);
	if (r == NUMBER_BAD)
		return fail(p, "ioports '%s' is not a port range (FIRST-LAST)", word);
	if (r == NUMBER_TOO_BIG || last > 0xffff)
		return fail(p, "ioports %s is out of range (0-0xffff)", word);
	if (first > last)
		return fail(p, "ioports %s: the first port is above the last", word);
	if (s->nioports == MANIFEST_MAX_IOPORTS)
		return fail(p, "more than %u ioports ranges", MANIFEST_MAX_IOPORTS);
	s->ioports[s->nioports++] = (manifest_ioports_t){(uint16_t)first, (uint16_t)last};
	return 0;
}

static int add_irq(parser_t *p)
{
	manifest_service_t *s = p->cur;
	char word[WORD_MAX + 1];
	uint64_t v;
	if (one_value(p, "irq", word, sizeof(word)) < 0)
		return -1;
	number_t r = parse_number(word, false, &v);
	if (r == NUMBER_BAD)
		return fail(p, "irq '%s' is not a number", word);
	if (r == NUMBER_TOO_BIG || v > MANIFEST_MAX_IRQ)
		return fail(p, "irq %s is out of range (0-%u)", word, MANIFEST_MAX_IRQ);
	for (unsigned i = 0; i < s->nirqs; i++)
		if (s->irqs[i] == v)
			return fail(p, "irq %s is given twice", word);
	if (s->nirqs == MANIFEST_MAX_IRQS)
		return fail(p, "more than %u irqs", MANIFEST_MAX_IRQS);
	s->irqs[s->nirqs++] = (uint8_t)v;
	return 0;
}

static int add_mmio(parser_t *p)
{
	manifest_service_t *s = p->cur;
	char word[WORD_MAX + 1];
	uint64_t first, last;
	if (one_value(p, "mmio", word, sizeof(word)) < 0)
		return -1;
	number_t r = parse_range(word, true, false, &first, &last);
	if (r == NUMBER_BAD)
		return fail(p, "mmio '%s' is not a hex address range (0xFIRST-0xLAST)", word);
	if (r == NUMBER_TOO_BIG || last >= MANIFEST_MMIO_LIMIT)
		return fail(p, "mmio %s is out of range (below 2^52)", word);
	if (first > last)
		return fail(p, "mmio %s: the first address is above the last", word);
	if (first % MANIFEST_PAGE_SIZE)
		return fail(p, "mmio %s: the start is not page-aligned", word);
	if ((last + 1) % MANIFEST_PAGE_SIZE)
		return fail(p, "mmio %s: the end is not the last byte of a page (...fff)", word);
	if (s->nmmio == MANIFEST_MAX_MMIO)
		return fail(p, "more than %u mmio ranges", MANIFEST_MAX_MMIO);
	s->mmio[s->nmmio++] = (manifest_mmio_t){first, last};
	return 0;
}

static int add_prefix(parser_t *p)
{
	manifest_service_t *s = p->cur;
	char word[MANIFEST_PATH_MAX + 1];
	if (set_path(p, "prefix", word) < 0)
		return -1;
	if (word[0] != '/')
		return fail(p, "prefix '%s' does not start with '/'", word);
	for (unsigned i = 0; i < s->nprefixes; i++)
		if (strcmp(s->prefixes[i], word) == 0)
			return fail(p, "prefix %s is given twice", word);
	if (s->nprefixes == MANIFEST_MAX_PREFIXES)
		return fail(p, "more than %u prefixes", MANIFEST_MAX_PREFIXES);
	memcpy(s->prefixes[s->nprefixes++], word, sizeof(word));
	return 0;
}

static int set_restart(parser_t *p)
{
	char word[WORD_MAX + 1];
	if (one_value(p, "restart", word, sizeof(word)) < 0)
		return -1;
	if (strcmp(word, "always") == 0)
		p->cur->restart = MANIFEST_RESTART_ALWAYS;
	else if (strcmp(word, "on-failure") == 0)
		p->cur->restart = MANIFEST_RESTART_ON_FAILURE;
	else if (strcmp(word, "never") == 0)
		p->cur->restart = MANIFEST_RESTART_NEVER;
	else
		return fail(p, "restart '%s' is not always, on-failure or never", word);
	return 0;
}

static int set_archive(parser_t *p)
{
	char word[WORD_MAX + 1];
	if (one_value(p, "archive", word, sizeof(word)) < 0)
		return -1;
	if (strcmp(word, "read-only") != 0)
		return fail(p, "archive '%s' is not read-only", word);
	p->cur->archive = true;
	return 0;
}

static int set_key(parser_t *p, key_id_t key)
{
	switch (key) {
	case KEY_BINARY:
		if (set_path(p, "binary", p->cur->binary) < 0)
			return -1;
		if (!p->cur->binary[0])
			return fail(p, "binary is empty");
		return 0;
	case KEY_ARGS:
		return set_args(p);
	case KEY_PRIORITY:
		return set_priority(p);
	case KEY_IOPORTS:
		return add_ioports(p);
	case KEY_IRQ:
		return add_irq(p);
	case KEY_MMIO:
		return add_mmio(p);
	case KEY_PREFIX:
		return add_prefix(p);
	case KEY_RESTART:
		return set_restart(p);
	case KEY_ARCHIVE:
		return set_archive(p);
	case KEY_COUNT:
		break;
	}
	return -1;
}

/* The checks a service can only pass once its block is complete. */
static int close_service(parser_t *p)
{
	manifest_service_t *s = p->cur;
	if (s && !s->binary[0]) {
		p->line = s->line;
		return fail(p, "service '%s' has no binary", s->name);
	}
	return 0;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* "service NAME": closes the open service and opens a new one. */
static int open_service(parser_t *p)
{
	char name[MANIFEST_NAME_MAX + 1];
	if (close_service(p) < 0)
		return -1;
	switch (next_word(p, name, sizeof(name), NULL)) {
	case WORD_NONE:
		return fail(p, "service needs a name");
	case WORD_TOO_LONG:
		return fail(p, "service name is longer than %u characters", MANIFEST_NAME_MAX);
	case WORD_UNTERMINATED:
		return fail(p, "unterminated quote");
	case WORD_OK:
		break;
	}
	if (!name[0])
		return fail(p, "service name is empty");
	for (const char *c = name; *c; c++)
		if (!name_char(*c))
			return fail(
				p, "service name '%s' has a character other than A-Z a-z 0-9 _ . -",
				name);
	char extra[24];
	if (next_word(p, extra, sizeof(extra), NULL) != WORD_NONE)
		return fail(p, "unexpected '%s' after the service name", extra);
	const manifest_service_t *dup = manifest_find(p->out, name);
	if (dup)
		return fail(p, "duplicate service '%s' (first on line %u)", name, dup->line);
	if (p->out->count == MANIFEST_MAX_SERVICES)
		return fail(p, "more than %u services", MANIFEST_MAX_SERVICES);

	manifest_service_t *s = &p->out->services[p->out->count++];
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, sizeof(name));
	s->line = p->line;
	s->priority = MANIFEST_PRIORITY_DEFAULT;
	s->restart = MANIFEST_RESTART_NEVER;
	p->cur = s;
	p->seen = 0;
	return 0;
}

/* One line: a service line or a key line (the key word is never quoted). */
static int parse_line(parser_t *p)
{
	bool indented = p->pos < p->end && is_blank(*p->pos);
	skip_blanks(p);
	if (p->pos == p->end || *p->pos == '#')
		return 0;
	const char *word = p->pos;
	while (p->pos < p->end && !is_blank(*p->pos))
		p->pos++;
	size_t len = (size_t)(p->pos - word);
	char shown[24]; /* the word as messages quote it, cut short if long */
	size_t n = len < sizeof(shown) - 1 ? len : sizeof(shown) - 1;
	memcpy(shown, word, n);
	shown[n] = '\0';

	bool is_service = len == 7 && memcmp(word, "service", 7) == 0;
	key_id_t key = KEY_COUNT;
	for (unsigned k = 0; k < KEY_COUNT; k++)
		if (strlen(keys[k].name) == len && memcmp(word, keys[k].name, len) == 0)
			key = (key_id_t)k;

	if (!indented) {
		if (is_service)
			return open_service(p);
		if (key != KEY_COUNT)
			return fail(p, "'%s' must be indented under a service line", shown);
		return fail(p, "expected 'service NAME', found '%s'", shown);
	}
	if (is_service)
		return fail(p, "'service' must start at the beginning of the line");
	if (key == KEY_COUNT)
		return fail(p, "unknown key '%s'", shown);
	if (!p->cur)
		return fail(p, "'%s' is outside a service block", shown);
	if (!keys[key].repeatable && (p->seen & 1u << key))
		return fail(p, "%s is given twice in service '%s'", shown, p->cur->name);
	p->seen |= 1u << key;
	return set_key(p, key);
}

int manifest_parse(const char *text, size_t len, manifest_t *out, char *err, size_t err_size)
{
	parser_t p = {.out = out, .err = err, .err_size = err_size};
	const char *end = text + len;
	out->count = 0;
	if (err && err_size)
		err[0] = '\0';
	for (const char *s = text; s < end;) {
		const char *e = s;
		while (e < end && *e != '\n')
			e++;
		const char *next = e < end ? e + 1 : e;
		if (e > s && e[-1] == '\r')
			e--;
		p.line++;
		for (const char *c = s; c < e; c++) {
			unsigned char u = (unsigned char)*c;
			if ((u < 0x20 && u != '\t') || u == 0x7f)
				return fail(&p, "control character 0x%02x", u);
		}
		p.pos = s;
		p.end = e;
		if (parse_line(&p) < 0)
			return -1;
		s = next;
	}
	return close_service(&p);
}

const char *manifest_arg(const manifest_service_t *s, unsigned i)
{
	return s->args + s->arg_offset[i];
}

int manifest_pack_argv(const manifest_service_t *s, char *buf, size_t size)
{
	size_t blen = strlen(s->binary) + 1;
	if (blen > size || s->args_len > size - blen)
		return -1;
	memcpy(buf, s->binary, blen);
	memcpy(buf + blen, s->args, s->args_len);
	return (int)(blen + s->args_len);
}

const manifest_service_t *manifest_find(const manifest_t *m, const char *name)
{
	for (unsigned i = 0; i < m->count; i++)
		if (strcmp(m->services[i].name, name) == 0)
			return &m->services[i];
	return NULL;
}
