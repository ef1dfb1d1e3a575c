#ifndef MONITOR_PARSE_H
#define MONITOR_PARSE_H

/*
 * The monitor's command-line syntax, kept free of any Atoll call so host
 * tests can run it: words are separated by blanks (space, tab, CR, LF, VT,
 * FF); a double-quoted stretch keeps its blanks ("a b" is one word) and
 * joins with the text around it (x"y z" is "xy z"); \" and \\ stand for a
 * quote and a backslash, anywhere. Any other backslash is an ordinary
 * character, so paths and text copied in need no escaping.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum parse_result {
	PARSE_OK,
	PARSE_UNTERMINATED_QUOTE,
	PARSE_TOO_MANY_WORDS,
} parse_result_t;

/*
 * Split line into words in place: the words are written back into line,
 * each NUL-terminated, and argv[0..*argc-1] point at them; argv[*argc] is
 * NULL, so argv needs room for max + 1 pointers. On an error *argc is 0.
 */
parse_result_t parse_words(char *line, char **argv, int max, int *argc);

/* A decimal number that is the whole of s: no sign, no blanks, no overflow. */
bool parse_u64(const char *s, uint64_t *out);
/* The same with an optional leading '-'. */
bool parse_i64(const char *s, int64_t *out);

#endif
