/*
 * Command-line splitting and number parsing for the monitor (see parse.h).
 * Pure functions: the host tests in tests/host/monitor/ include this file.
 */
#include "parse.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * One pass with a read index r and a write index w <= r: removing quotes
 * and escapes only ever shortens the text, so words are rebuilt in place.
 */
parse_result_t parse_words(char *line, char **argv, int max, int *argc)
{
	size_t r = 0, w = 0;
	int n = 0;
	*argc = 0;
	argv[0] = NULL;
	for (;;) {
		while (is_blank(line[r]))
			r++;
		if (!line[r])
			break;
		if (n == max)
			return PARSE_TOO_MANY_WORDS;
		argv[n++] = line + w;
		bool quoted = false;
		for (; line[r] && (quoted || !is_blank(line[r])); r++) {
			char c = line[r];
			if (c == '\\' && (line[r + 1] == '"' || line[r + 1] == '\\'))
				c = line[++r];
			else if (c == '"') {
				quoted = !quoted;
				continue;
			}
			line[w++] = c;
		}
		if (quoted)
			return PARSE_UNTERMINATED_QUOTE;
		/* The word ends at a blank or at the end of the line; either way
		 * line[r] has been read, so w <= r may overwrite it. */
		bool end = !line[r];
		line[w++] = 0;
		if (end)
			break;
		r++;
	}
	argv[n] = NULL;
	*argc = n;
	return PARSE_OK;
}

bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		uint64_t digit = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*out = v;
	return true;
}

bool parse_i64(const char *s, int64_t *out)
{
	bool negative = *s == '-';
	uint64_t v;
	if (!parse_u64(s + negative, &v))
		return false;
	if (v > (uint64_t)INT64_MAX + negative)
		return false;
	/* -(INT64_MAX + 1) is representable only as the negation of an unsigned value. */
	*out = negative ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}
