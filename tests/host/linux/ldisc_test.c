/* The terminal's line discipline without IPC: bytes in, what a read takes,
 * what is echoed and which signals are raised, for the default termios
 * (canonical, echo) and for raw mode, checked against what Linux's N_TTY
 * does. */
#include "../../../user/linux/ldisc.c"

#include "test.h"

#include <string.h>

static lx_ldisc_t ld;

static void setup(void)
{
	lx_ldisc_init(&ld);
}

/* Feed the bytes of s; the last signal raised, or 0. */
static int feed(const char *s)
{
	int sig = 0;
	for (; *s; s++) {
		int r = lx_ldisc_receive(&ld, (uint8_t)*s);
		if (r)
			sig = r;
	}
	return sig;
}

/* Whether the echo so far is exactly s; it is then emptied. */
static int echoed(const char *s)
{
	int same = ld.echo_len == strlen(s) && !memcmp(ld.echo, s, ld.echo_len);
	if (!same)
		printf("  echo was \"%.*s\" (%zu bytes)\n", (int)ld.echo_len, (const char *)ld.echo,
		       ld.echo_len);
	ld.echo_len = 0;
	return same;
}

/* Whether a read of up to len bytes takes exactly s. */
static int reads(size_t len, const char *s)
{
	uint8_t buf[LX_LDISC_BUF];
	size_t n = lx_ldisc_read(&ld, buf, len);
	int same = n == strlen(s) && !memcmp(buf, s, n);
	if (!same)
		printf("  read \"%.*s\" (%zu bytes)\n", (int)n, (const char *)buf, n);
	return same;
}

static void set_lflag(uint32_t on, uint32_t off)
{
	lx_termios_t t = ld.t;
	t.c_lflag = (t.c_lflag | on) & ~off;
	lx_ldisc_set_termios(&ld, &t);
}

TEST(ldisc_default_termios_is_a_linux_serial_console)
{
	setup();
	CHECK_EQ(ld.t.c_iflag, LX_ICRNL | LX_IXON);
	CHECK_EQ(ld.t.c_oflag, LX_OPOST | LX_ONLCR);
	CHECK_EQ(ld.t.c_lflag, LX_ISIG | LX_ICANON | LX_ECHO | LX_ECHOE | LX_ECHOK | LX_ECHOCTL |
	                               LX_ECHOKE | LX_IEXTEN);
	CHECK_EQ(ld.t.c_cflag & LX_CS8, LX_CS8);
	CHECK_EQ(ld.t.c_cc[LX_VINTR], 3);
	CHECK_EQ(ld.t.c_cc[LX_VERASE], 0x7f);
	CHECK_EQ(ld.t.c_cc[LX_VEOF], 4);
	CHECK_EQ(ld.t.c_cc[LX_VMIN], 1);
	CHECK_EQ(ld.t.c_cc[LX_VTIME], 0);
}

TEST(ldisc_canonical_line_waits_for_newline)
{
	setup();
	feed("abc");
	CHECK(!lx_ldisc_line_ready(&ld));
	CHECK_EQ(lx_ldisc_available(&ld), 0);
	CHECK(echoed("abc"));
	feed("\r"); /* ICRNL */
	CHECK(lx_ldisc_line_ready(&ld));
	CHECK_EQ(lx_ldisc_available(&ld), 4);
	CHECK(echoed("\n"));
	CHECK(reads(100, "abc\n"));
	CHECK(!lx_ldisc_line_ready(&ld));
}

TEST(ldisc_read_takes_one_line_at_a_time)
{
	setup();
	feed("one\ntwo\n");
	CHECK(reads(100, "one\n"));
	CHECK(reads(2, "tw"));
	CHECK(reads(100, "o\n"));
	CHECK(!lx_ldisc_line_ready(&ld));
}

TEST(ldisc_erase_with_del_and_backspace)
{
	setup();
	feed("abx\x7f");
	CHECK(echoed("abx\b \b"));
	feed("y\b");
	CHECK(echoed("y\b \b"));
	feed("c\n");
	CHECK(echoed("c\n"));
	CHECK(reads(100, "abc\n"));
	/* Nothing to erase at the start of a line: nothing echoed. */
	feed("\x7f");
	CHECK(echoed(""));
}

TEST(ldisc_erase_of_a_control_character_takes_two_columns)
{
	setup();
	feed("a\x01");
	CHECK(echoed("a^A"));
	feed("\x7f");
	CHECK(echoed("\b \b\b \b"));
	feed("\n");
	CHECK(reads(100, "a\n"));
}

TEST(ldisc_kill_erases_the_line)
{
	setup();
	feed("abc\x15");
	CHECK(echoed("abc\b \b\b \b\b \b"));
	feed("d\n");
	CHECK(echoed("d\n"));
	CHECK(reads(100, "d\n"));
	/* Without ECHOKE: the kill character and a newline (ECHOK). */
	set_lflag(0, LX_ECHOKE);
	feed("xy\x15");
	CHECK(echoed("xy^U\n"));
	feed("z\n");
	CHECK(reads(100, "z\n"));
}

TEST(ldisc_werase_erases_a_word)
{
	setup();
	feed("foo bar  \x17");
	CHECK(echoed("foo bar  \b \b\b \b\b \b\b \b\b \b"));
	feed("baz\n");
	CHECK(reads(100, "foo baz\n"));
}

TEST(ldisc_eof_at_line_start_reads_as_end_of_file)
{
	setup();
	feed("\x04");
	CHECK(lx_ldisc_line_ready(&ld));
	CHECK(echoed(""));
	CHECK(reads(100, ""));
	CHECK(!lx_ldisc_line_ready(&ld));
}

TEST(ldisc_eof_after_text_ends_the_line_without_itself)
{
	setup();
	feed("ab\x04");
	CHECK(reads(100, "ab"));
	CHECK(!lx_ldisc_line_ready(&ld));
	/* A read that takes the text exactly also takes the VEOF with it. */
	feed("cd\x04");
	CHECK(reads(2, "cd"));
	CHECK(!lx_ldisc_line_ready(&ld));
}

TEST(ldisc_signal_characters_flush_and_echo)
{
	setup();
	feed("partial");
	ld.echo_len = 0;
	CHECK_EQ(feed("\x03"), LX_LDISC_SIGINT);
	CHECK(echoed("^C"));
	feed("\n");
	CHECK(reads(100, "\n")); /* "partial" was flushed */
	CHECK_EQ(feed("\x1c"), LX_LDISC_SIGQUIT);
	CHECK_EQ(feed("\x1a"), LX_LDISC_SIGTSTP);
	/* NOFLSH keeps the input. */
	set_lflag(LX_NOFLSH, 0);
	feed("kept");
	CHECK_EQ(feed("\x03"), LX_LDISC_SIGINT);
	feed("\n");
	CHECK(reads(100, "kept\n"));
}

TEST(ldisc_without_isig_control_characters_are_data)
{
	setup();
	set_lflag(0, LX_ISIG);
	CHECK_EQ(feed("\x03\n"), 0);
	CHECK(reads(100, "\x03\n"));
}

TEST(ldisc_lnext_takes_the_next_byte_literally)
{
	setup();
	CHECK_EQ(feed("\x16\x03\x16\x7f\n"), 0);
	CHECK(echoed("^\b^C^\b^?\n"));
	CHECK(reads(100, "\x03\x7f\n"));
}

TEST(ldisc_input_mapping_of_cr_and_nl)
{
	setup();
	lx_termios_t t = ld.t;
	t.c_iflag = LX_IGNCR;
	lx_ldisc_set_termios(&ld, &t);
	feed("a\rb\n");
	CHECK(reads(100, "ab\n"));
	t.c_iflag = LX_INLCR;
	t.c_lflag &= ~(uint32_t)LX_ICANON;
	lx_ldisc_set_termios(&ld, &t);
	feed("x\n");
	CHECK(reads(100, "x\r"));
}

TEST(ldisc_echo_off_and_echonl)
{
	setup();
	set_lflag(0, LX_ECHO);
	feed("secret\n");
	CHECK(echoed(""));
	set_lflag(LX_ECHONL, 0);
	feed("x\n");
	CHECK(echoed("\n"));
	CHECK(reads(100, "secret\n"));
	CHECK(reads(100, "x\n"));
}

TEST(ldisc_veol_ends_a_line)
{
	setup();
	lx_termios_t t = ld.t;
	t.c_cc[LX_VEOL] = ';';
	lx_ldisc_set_termios(&ld, &t);
	feed("a;b");
	CHECK(reads(100, "a;"));
	CHECK(!lx_ldisc_line_ready(&ld));
}

TEST(ldisc_raw_mode_reads_what_is_there)
{
	setup();
	set_lflag(0, LX_ICANON | LX_ECHO);
	feed("ab");
	CHECK_EQ(lx_ldisc_available(&ld), 2);
	CHECK(echoed(""));
	CHECK(reads(1, "a"));
	CHECK(reads(10, "b"));
	CHECK(reads(10, ""));
	/* Erase and EOF are data in raw mode. */
	feed("\x7f\x04");
	CHECK(reads(10, "\x7f\x04"));
}

TEST(ldisc_raw_echo_shows_control_characters)
{
	setup();
	set_lflag(0, LX_ICANON);
	feed("a\n\x01");
	CHECK(echoed("a^J^A"));
}

TEST(ldisc_switching_modes_keeps_input)
{
	setup();
	feed("half");
	set_lflag(0, LX_ICANON);
	CHECK_EQ(lx_ldisc_available(&ld), 4); /* the edited line is readable raw */
	set_lflag(LX_ICANON, 0);
	CHECK(lx_ldisc_line_ready(&ld)); /* and pushed as one line back in canonical mode */
	CHECK(reads(100, "half"));
}

TEST(ldisc_flush_drops_input)
{
	setup();
	feed("one\ntwo");
	lx_ldisc_flush(&ld);
	CHECK(!lx_ldisc_line_ready(&ld));
	feed("\n");
	CHECK(reads(100, "\n"));
}

TEST(ldisc_full_canonical_buffer_still_takes_a_newline)
{
	setup();
	set_lflag(0, LX_ECHO);
	for (int i = 0; i < LX_LDISC_BUF + 100; i++)
		lx_ldisc_receive(&ld, 'x');
	CHECK(lx_ldisc_room(&ld) > 0); /* no line yet: input must keep coming */
	CHECK(!lx_ldisc_line_ready(&ld));
	feed("\n");
	CHECK(lx_ldisc_line_ready(&ld));
	CHECK_EQ(lx_ldisc_available(&ld), LX_LDISC_BUF);
	CHECK_EQ(lx_ldisc_room(&ld), 0); /* a complete line waits for its reader */
	uint8_t buf[LX_LDISC_BUF];
	CHECK_EQ(lx_ldisc_read(&ld, buf, sizeof(buf)), LX_LDISC_BUF);
	CHECK_EQ(buf[LX_LDISC_BUF - 1], '\n');
	CHECK_EQ(lx_ldisc_room(&ld), LX_LDISC_BUF); /* empty, no line */
}

TEST(ldisc_full_raw_buffer_holds_input_back)
{
	setup();
	set_lflag(0, LX_ICANON | LX_ECHO);
	for (int i = 0; i < 100; i++)
		lx_ldisc_receive(&ld, 'y');
	CHECK_EQ(lx_ldisc_room(&ld), LX_LDISC_BUF - 100);
	for (int i = 100; i < LX_LDISC_BUF; i++)
		lx_ldisc_receive(&ld, 'y');
	CHECK_EQ(lx_ldisc_room(&ld), 0);
	CHECK_EQ(lx_ldisc_available(&ld), LX_LDISC_BUF);
}

TEST(ldisc_output_processing)
{
	lx_termios_t t;
	lx_ldisc_default(&t);
	uint8_t out[16];
	CHECK_EQ(lx_ldisc_output(&t, (const uint8_t *)"a\nb", 3, out), 4);
	CHECK(!memcmp(out, "a\r\nb", 4));
	t.c_oflag = 0; /* no OPOST: as is */
	CHECK_EQ(lx_ldisc_output(&t, (const uint8_t *)"a\n", 2, out), 2);
	t.c_oflag = LX_OPOST | LX_OCRNL;
	CHECK_EQ(lx_ldisc_output(&t, (const uint8_t *)"\r", 1, out), 1);
	CHECK_EQ(out[0], '\n');
}

TEST(ldisc_ixon_takes_stop_and_start_out_of_the_input)
{
	setup();
	feed("a\x13");
	CHECK(ld.stopped);
	feed("\x11"
	     "b\n");
	CHECK(!ld.stopped);
	CHECK(reads(100, "ab\n"));
}
