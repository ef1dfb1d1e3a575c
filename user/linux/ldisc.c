/*
 * The line discipline (see ldisc.h): input mapping, canonical line editing
 * with its echo, signal characters, and the reads' view of the buffer.
 * Where Linux's N_TTY has a rule this follows it; what is left out: the
 * column bookkeeping for erasing a tab (a tab erases one column), ECHOPRT,
 * VDISCARD, IXANY and PARMRK. VSTOP and VSTART (IXON) are taken out of the
 * input; the console's output does not pause for them. One addition: ^H
 * erases like VERASE while VERASE is DEL (see receive_canonical).
 */
#include "ldisc.h"

#include <atoll_rt/string.h>

#define MASK (LX_LDISC_BUF - 1)
#define DEL 0x7f

_Static_assert((LX_LDISC_BUF & MASK) == 0, "the buffer size must be a power of two");
_Static_assert(sizeof(lx_termios_t) == 36, "struct termios is 36 bytes");

void lx_ldisc_default(lx_termios_t *t)
{
	static const uint8_t cc[LX_NCCS] = {
		[LX_VINTR] = 0x03,   [LX_VQUIT] = 0x1c,  [LX_VERASE] = DEL,    [LX_VKILL] = 0x15,
		[LX_VEOF] = 0x04,    [LX_VTIME] = 0,     [LX_VMIN] = 1,        [LX_VSTART] = 0x11,
		[LX_VSTOP] = 0x13,   [LX_VSUSP] = 0x1a,  [LX_VREPRINT] = 0x12, [LX_VDISCARD] = 0x0f,
		[LX_VWERASE] = 0x17, [LX_VLNEXT] = 0x16,
	};
	memset(t, 0, sizeof(*t));
	t->c_iflag = LX_ICRNL | LX_IXON;
	t->c_oflag = LX_OPOST | LX_ONLCR;
	t->c_cflag = LX_B115200 | LX_CS8 | LX_CREAD | LX_HUPCL | LX_CLOCAL;
	t->c_lflag = LX_ISIG | LX_ICANON | LX_ECHO | LX_ECHOE | LX_ECHOK | LX_ECHOCTL | LX_ECHOKE |
	             LX_IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

void lx_ldisc_init(lx_ldisc_t *ld)
{
	memset(ld, 0, sizeof(*ld));
	lx_ldisc_default(&ld->t);
}

static bool is_delim(const lx_ldisc_t *ld, uint32_t pos)
{
	return ld->delim[(pos & MASK) / 8] & (1u << (pos % 8));
}

static void set_delim(lx_ldisc_t *ld, uint32_t pos, bool on)
{
	uint8_t bit = (uint8_t)(1u << (pos % 8));
	if (on)
		ld->delim[(pos & MASK) / 8] |= bit;
	else
		ld->delim[(pos & MASK) / 8] &= (uint8_t)~bit;
}

static bool lflag(const lx_ldisc_t *ld, uint32_t f)
{
	return (ld->t.c_lflag & f) != 0;
}

/* Whether c is the character of c_cc[index]; 0 there disables it. */
static bool is_char(const lx_ldisc_t *ld, unsigned index, uint8_t c)
{
	return ld->t.c_cc[index] && ld->t.c_cc[index] == c;
}

static bool is_control(uint8_t c)
{
	return c < 0x20 || c == DEL;
}

static void echo_raw(lx_ldisc_t *ld, uint8_t c)
{
	if (ld->echo_len < LX_LDISC_ECHO_MAX)
		ld->echo[ld->echo_len++] = c;
}

/* Echo c as typed: with ECHOCTL a control character other than a tab
 * shows as ^X (DEL as ^?). */
static void echo_char(lx_ldisc_t *ld, uint8_t c)
{
	if (lflag(ld, LX_ECHOCTL) && is_control(c) && c != '\t') {
		echo_raw(ld, '^');
		echo_raw(ld, c ^ 0x40);
		return;
	}
	echo_raw(ld, c);
}

/* The columns c took when it was echoed. */
static unsigned echo_width(const lx_ldisc_t *ld, uint8_t c)
{
	return lflag(ld, LX_ECHOCTL) && is_control(c) && c != '\t' ? 2 : 1;
}

void lx_ldisc_flush(lx_ldisc_t *ld)
{
	ld->tail = ld->canon_head = ld->head;
	ld->lnext = false;
	memset(ld->delim, 0, sizeof(ld->delim));
}

/* Put c at the head; a delimiter completes the line. False when there is
 * no room (canonical mode keeps the last byte for a delimiter). */
static bool store(lx_ldisc_t *ld, uint8_t c, bool delim)
{
	uint32_t used = ld->head - ld->tail;
	bool canon = lflag(ld, LX_ICANON);
	if (used >= LX_LDISC_BUF || (canon && !delim && used >= LX_LDISC_BUF - 1)) {
		if (ld->t.c_iflag & LX_IMAXBEL)
			echo_raw(ld, '\a');
		return false;
	}
	ld->buf[ld->head & MASK] = c;
	set_delim(ld, ld->head, delim);
	ld->head++;
	if (delim)
		ld->canon_head = ld->head;
	return true;
}

typedef enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE } erase_kind_t;

/* VERASE, VWERASE, VKILL on the line being edited. */
static void erase(lx_ldisc_t *ld, uint8_t key, erase_kind_t kind)
{
	if (ld->head == ld->canon_head)
		return; /* nothing typed: nothing to take back, nothing echoed */
	bool echo = lflag(ld, LX_ECHO);
	if (kind == ERASE_LINE &&
	    (!lflag(ld, LX_ECHOK) || !lflag(ld, LX_ECHOKE) || !lflag(ld, LX_ECHOE) || !echo)) {
		/* The line goes at once; without ECHOKE it is not rubbed out
		 * on the screen but marked by the kill character (and a newline
		 * with ECHOK). */
		ld->head = ld->canon_head;
		if (echo) {
			echo_char(ld, key);
			if (lflag(ld, LX_ECHOK))
				echo_raw(ld, '\n');
		}
		return;
	}
	if (kind == ERASE_CHAR && echo && !lflag(ld, LX_ECHOE)) {
		ld->head--;
		echo_char(ld, key);
		return;
	}
	unsigned alnums = 0;
	while (ld->head != ld->canon_head) {
		uint8_t c = ld->buf[(ld->head - 1) & MASK];
		if (kind == ERASE_WORD) {
			/* Back over what separates words, then over the word
			 * (letters, digits, '_'), as Linux does. */
			bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			            (c >= 'A' && c <= 'Z') || c == '_';
			if (word)
				alnums++;
			else if (alnums)
				break;
		}
		ld->head--;
		if (echo)
			for (unsigned i = echo_width(ld, c); i; i--) {
				echo_raw(ld, '\b');
				echo_raw(ld, ' ');
				echo_raw(ld, '\b');
			}
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: the key, a new line, and the line typed so far. */
static void reprint(lx_ldisc_t *ld, uint8_t key)
{
	if (!lflag(ld, LX_ECHO))
		return;
	echo_char(ld, key);
	echo_raw(ld, '\n');
	for (uint32_t i = ld->canon_head; i != ld->head; i++)
		echo_char(ld, ld->buf[i & MASK]);
}

/* An ordinary byte (or one taken literally): echoed and stored. */
static void receive_plain(lx_ldisc_t *ld, uint8_t c)
{
	if (lflag(ld, LX_ECHO))
		echo_char(ld, c);
	store(ld, c, false);
}

/* The signal c raises under ISIG, or 0. */
static int signal_of(const lx_ldisc_t *ld, uint8_t c)
{
	if (is_char(ld, LX_VINTR, c))
		return LX_LDISC_SIGINT;
	if (is_char(ld, LX_VQUIT, c))
		return LX_LDISC_SIGQUIT;
	if (is_char(ld, LX_VSUSP, c))
		return LX_LDISC_SIGTSTP;
	return 0;
}

/* Canonical mode's special bytes; false for an ordinary one. */
static bool receive_canonical(lx_ldisc_t *ld, uint8_t c)
{
	bool iexten = lflag(ld, LX_IEXTEN);
	/* Terminals send DEL or ^H for the backspace key: with VERASE at its
	 * default (DEL), ^H erases too, which Linux leaves to the user to set. */
	if (is_char(ld, LX_VERASE, c) || (c == '\b' && ld->t.c_cc[LX_VERASE] == DEL)) {
		erase(ld, c, ERASE_CHAR);
	} else if (is_char(ld, LX_VKILL, c)) {
		erase(ld, c, ERASE_LINE);
	} else if (iexten && is_char(ld, LX_VWERASE, c)) {
		erase(ld, c, ERASE_WORD);
	} else if (iexten && is_char(ld, LX_VLNEXT, c)) {
		/* A '^' the next byte's echo overwrites. */
		ld->lnext = true;
		if (lflag(ld, LX_ECHO) && lflag(ld, LX_ECHOCTL)) {
			echo_raw(ld, '^');
			echo_raw(ld, '\b');
		}
	} else if (iexten && is_char(ld, LX_VREPRINT, c)) {
		reprint(ld, c);
	} else if (c == '\n') {
		if (lflag(ld, LX_ECHO) || lflag(ld, LX_ECHONL))
			echo_raw(ld, '\n');
		store(ld, '\n', true);
	} else if (is_char(ld, LX_VEOF, c)) {
		/* The end of the line, kept as a NUL delimiter that a read
		 * drops: at the start of a line it reads as end of file. */
		store(ld, 0, true);
	} else if (is_char(ld, LX_VEOL, c) || is_char(ld, LX_VEOL2, c)) {
		if (lflag(ld, LX_ECHO))
			echo_char(ld, c);
		store(ld, c, true);
	} else {
		return false;
	}
	return true;
}

int lx_ldisc_receive(lx_ldisc_t *ld, uint8_t c)
{
	const lx_termios_t *t = &ld->t;
	if (t->c_iflag & LX_ISTRIP)
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, c);
		return 0;
	}
	if (t->c_iflag & LX_IXON) {
		if (is_char(ld, LX_VSTART, c)) {
			ld->stopped = false;
			return 0;
		}
		if (is_char(ld, LX_VSTOP, c)) {
			ld->stopped = true;
			return 0;
		}
	}
	if (lflag(ld, LX_ISIG)) {
		int sig = signal_of(ld, c);
		if (sig) {
			if (!lflag(ld, LX_NOFLSH))
				lx_ldisc_flush(ld);
			if (lflag(ld, LX_ECHO))
				echo_char(ld, c);
			return sig;
		}
	}
	if (c == '\r') {
		if (t->c_iflag & LX_IGNCR)
			return 0;
		if (t->c_iflag & LX_ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & LX_INLCR)) {
		c = '\r';
	}
	if (lflag(ld, LX_ICANON) && receive_canonical(ld, c))
		return 0;
	receive_plain(ld, c);
	return 0;
}

void lx_ldisc_set_termios(lx_ldisc_t *ld, const lx_termios_t *t)
{
	bool was_canon = lflag(ld, LX_ICANON);
	ld->t = *t;
	if (was_canon == lflag(ld, LX_ICANON))
		return;
	memset(ld->delim, 0, sizeof(ld->delim));
	if (lflag(ld, LX_ICANON) && ld->head != ld->tail) {
		/* What is pending becomes one line, readable at once. */
		set_delim(ld, ld->head - 1, true);
		ld->canon_head = ld->head;
	} else {
		ld->canon_head = ld->tail;
	}
}

size_t lx_ldisc_room(const lx_ldisc_t *ld)
{
	uint32_t used = ld->head - ld->tail;
	bool canon = lflag(ld, LX_ICANON);
	/* A full canonical buffer without a complete line still takes input,
	 * dropping all but a delimiter, or nothing could ever end the line. */
	if (canon && ld->canon_head == ld->tail)
		return LX_LDISC_BUF;
	/* Canonical mode keeps the last byte for a delimiter. */
	uint32_t limit = canon ? LX_LDISC_BUF - 1 : LX_LDISC_BUF;
	return used < limit ? limit - used : 0;
}

bool lx_ldisc_line_ready(const lx_ldisc_t *ld)
{
	return ld->canon_head != ld->tail;
}

size_t lx_ldisc_available(const lx_ldisc_t *ld)
{
	if (!lflag(ld, LX_ICANON))
		return ld->head - ld->tail;
	return ld->canon_head - ld->tail;
}

size_t lx_ldisc_read(lx_ldisc_t *ld, uint8_t *dst, size_t len)
{
	size_t n = 0;
	if (!lflag(ld, LX_ICANON)) {
		while (n < len && ld->tail != ld->head)
			dst[n++] = ld->buf[ld->tail++ & MASK];
		ld->canon_head = ld->tail;
		return n;
	}
	while (n < len && ld->tail != ld->canon_head) {
		uint32_t at = ld->tail++;
		uint8_t c = ld->buf[at & MASK];
		bool delim = is_delim(ld, at);
		set_delim(ld, at, false);
		if (delim && c == 0)
			return n; /* VEOF: ends the line and is not read */
		dst[n++] = c;
		if (delim)
			return n;
	}
	/* The line goes on; a delimiter VEOF right after what was taken ends
	 * it too, so the next read does not see an end of file. */
	if (n && ld->tail != ld->canon_head && is_delim(ld, ld->tail) &&
	    ld->buf[ld->tail & MASK] == 0) {
		set_delim(ld, ld->tail, false);
		ld->tail++;
	}
	return n;
}

size_t lx_ldisc_output(const lx_termios_t *t, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t o = 0;
	bool post = t->c_oflag & LX_OPOST;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		if (post && c == '\n' && (t->c_oflag & LX_ONLCR))
			out[o++] = '\r';
		else if (post && c == '\r' && (t->c_oflag & LX_OCRNL))
			c = '\n';
		out[o++] = c;
	}
	return o;
}
