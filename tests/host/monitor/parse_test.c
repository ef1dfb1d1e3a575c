/*
 * The monitor's command-line splitting and number parsing: blanks, quote
 * grouping, escapes, the word limit, and numbers at their limits.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

#include "../../../user/monitor/parse.c"

#define WORDS 8

/* Split text (copied: parse_words works in place) and keep the result. */
typedef struct split {
	char line[256];
	char *argv[WORDS + 1];
	int argc;
	parse_result_t result;
} split_t;

static split_t *split(const char *text, int max)
{
	static split_t s;
	memset(&s, 0xaa, sizeof(s));
	strcpy(s.line, text);
	s.result = parse_words(s.line, s.argv, max, &s.argc);
	return &s;
}

#define CHECK_WORD(s, i, text) CHECK((s)->argv[i] && !strcmp((s)->argv[i], (text)))

TEST(parse_empty_and_blank_lines_have_no_words)
{
	split_t *s = split("", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 0);
	CHECK(s->argv[0] == NULL);
	s = split(" \t\r\n ", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 0);
	CHECK(s->argv[0] == NULL);
}

TEST(parse_splits_on_any_run_of_blanks)
{
	split_t *s = split("  spawn\t /bin/hello   a\r\n", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 3);
	CHECK_WORD(s, 0, "spawn");
	CHECK_WORD(s, 1, "/bin/hello");
	CHECK_WORD(s, 2, "a");
	CHECK(s->argv[3] == NULL);
}

TEST(parse_quotes_keep_blanks_and_join_neighbours)
{
	split_t *s = split("echo \"a  b\" x\"y z\"w \"\"", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 4);
	CHECK_WORD(s, 0, "echo");
	CHECK_WORD(s, 1, "a  b");
	CHECK_WORD(s, 2, "xy zw");
	CHECK_WORD(s, 3, "");
}

TEST(parse_escapes_quote_and_backslash_only)
{
	split_t *s = split("echo \\\"hi\\\" \"a\\\\b\" c:\\dir\\", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 4);
	CHECK_WORD(s, 1, "\"hi\"");
	CHECK_WORD(s, 2, "a\\b");
	CHECK_WORD(s, 3, "c:\\dir\\");
}

TEST(parse_refuses_an_unterminated_quote)
{
	split_t *s = split("echo \"abc", WORDS);
	CHECK_EQ(s->result, PARSE_UNTERMINATED_QUOTE);
	CHECK_EQ(s->argc, 0);
	s = split("echo \\\"abc", WORDS);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_WORD(s, 1, "\"abc");
}

TEST(parse_stops_at_the_word_limit)
{
	split_t *s = split("a b c", 3);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 3);
	CHECK(s->argv[3] == NULL);
	s = split("a b c   ", 3);
	CHECK_EQ(s->result, PARSE_OK);
	CHECK_EQ(s->argc, 3);
	s = split("a b c d", 3);
	CHECK_EQ(s->result, PARSE_TOO_MANY_WORDS);
	CHECK_EQ(s->argc, 0);
}

TEST(parse_u64_takes_whole_decimal_numbers)
{
	uint64_t v = 7;
	CHECK(parse_u64("0", &v));
	CHECK_EQ(v, 0);
	CHECK(parse_u64("18446744073709551615", &v));
	CHECK_EQ(v, UINT64_MAX);
	v = 7;
	CHECK(!parse_u64("18446744073709551616", &v));
	CHECK(!parse_u64("", &v));
	CHECK(!parse_u64("12a", &v));
	CHECK(!parse_u64("-1", &v));
	CHECK(!parse_u64(" 1", &v));
	CHECK(!parse_u64("0x10", &v));
	CHECK_EQ(v, 7);
}

TEST(parse_i64_takes_a_sign_and_both_limits)
{
	int64_t v = 7;
	CHECK(parse_i64("-3", &v));
	CHECK_EQ(v, -3);
	CHECK(parse_i64("9223372036854775807", &v));
	CHECK(v == INT64_MAX);
	CHECK(parse_i64("-9223372036854775808", &v));
	CHECK(v == INT64_MIN);
	v = 7;
	CHECK(!parse_i64("9223372036854775808", &v));
	CHECK(!parse_i64("-9223372036854775809", &v));
	CHECK(!parse_i64("-", &v));
	CHECK(!parse_i64("--1", &v));
	CHECK(!parse_i64("+1", &v));
	CHECK_EQ(v, 7);
}
