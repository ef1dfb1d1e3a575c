#ifndef LINUX_LDISC_H
#define LINUX_LDISC_H

/*
 * The terminal's line discipline, Linux's N_TTY in its essentials: bytes
 * from the line go in one at a time and come out as bytes a read may take,
 * bytes to echo, and signals to post. Pure: no IPC, no processes, so host
 * tests drive it directly (tests/host/linux/ldisc_test.c); tty.c connects
 * it to the uart and to the processes.
 *
 * The input buffer is a ring of LX_LDISC_BUF bytes with three free-running
 * positions: tail (the next byte a read takes), canon_head (the end of the
 * last complete line: what a canonical read may take) and head (the end of
 * what was received: in canonical mode the line being edited lies between
 * canon_head and head). A line ends at a delimiter ('\n', VEOL, VEOL2 or
 * VEOF), marked in delim; a VEOF delimiter stays in the buffer so the line
 * ends there but is not handed to the reader, and alone it reads as the end
 * of file.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct termios as TCGETS and TCSETS pass it (asm-generic/termbits.h). */
#define LX_NCCS 19
typedef struct lx_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LX_NCCS];
} lx_termios_t;

/* c_cc indices */
enum {
	LX_VINTR = 0,
	LX_VQUIT = 1,
	LX_VERASE = 2,
	LX_VKILL = 3,
	LX_VEOF = 4,
	LX_VTIME = 5,
	LX_VMIN = 6,
	LX_VSWTC = 7,
	LX_VSTART = 8,
	LX_VSTOP = 9,
	LX_VSUSP = 10,
	LX_VEOL = 11,
	LX_VREPRINT = 12,
	LX_VDISCARD = 13,
	LX_VWERASE = 14,
	LX_VLNEXT = 15,
	LX_VEOL2 = 16,
};

/* c_iflag */
#define LX_IGNBRK 0000001
#define LX_BRKINT 0000002
#define LX_ISTRIP 0000040
#define LX_INLCR 0000100
#define LX_IGNCR 0000200
#define LX_ICRNL 0000400
#define LX_IXON 0002000
#define LX_IXANY 0004000
#define LX_IMAXBEL 0020000
#define LX_IUTF8 0040000
/* c_oflag */
#define LX_OPOST 0000001
#define LX_ONLCR 0000004
#define LX_OCRNL 0000010
/* c_cflag */
#define LX_B38400 0000017
#define LX_B115200 0010002
#define LX_CS8 0000060
#define LX_CREAD 0000200
#define LX_HUPCL 0002000
#define LX_CLOCAL 0004000
/* c_lflag */
#define LX_ISIG 0000001
#define LX_ICANON 0000002
#define LX_ECHO 0000010
#define LX_ECHOE 0000020
#define LX_ECHOK 0000040
#define LX_ECHONL 0000100
#define LX_NOFLSH 0000200
#define LX_TOSTOP 0000400
#define LX_ECHOCTL 0001000
#define LX_ECHOPRT 0002000
#define LX_ECHOKE 0004000
#define LX_IEXTEN 0100000

/* Signal numbers the line discipline raises (Linux's). */
#define LX_LDISC_SIGINT 2
#define LX_LDISC_SIGQUIT 3
#define LX_LDISC_SIGTSTP 20

#define LX_LDISC_BUF 4096 /* Linux's N_TTY_BUF_SIZE; a power of two */
#define LX_LDISC_ECHO_MAX 2048

typedef struct lx_ldisc {
	lx_termios_t t;
	uint8_t buf[LX_LDISC_BUF];
	uint8_t delim[LX_LDISC_BUF / 8]; /* a bit per position: a line ends there */
	uint32_t tail, canon_head, head;
	bool lnext;                      /* VLNEXT came: the next byte is taken literally */
	bool stopped;                    /* VSTOP came (IXON): output waits for VSTART */
	uint8_t echo[LX_LDISC_ECHO_MAX]; /* to echo, before output processing */
	size_t echo_len;
} lx_ldisc_t;

/* Linux's initial termios for a serial console at 115200 baud. */
void lx_ldisc_default(lx_termios_t *t);
/* An empty buffer with the default termios. */
void lx_ldisc_init(lx_ldisc_t *ld);
/* Take new settings (TCSETS). Switching ICANON on or off keeps what was
 * received, as Linux does: raw bytes pending become one line, a line
 * being edited becomes readable. */
void lx_ldisc_set_termios(lx_ldisc_t *ld, const lx_termios_t *t);
/* One byte from the line: may add bytes to ld->echo. Returns the signal
 * it raised (ISIG: VINTR, VQUIT, VSUSP), or 0. */
int lx_ldisc_receive(lx_ldisc_t *ld, uint8_t c);
/* How many more bytes the buffer takes now; the rest stays on the line.
 * A canonical buffer without a complete line takes any number (what does
 * not fit is dropped, but a delimiter still ends the line). */
size_t lx_ldisc_room(const lx_ldisc_t *ld);
/* Bytes a read could take now: canonical mode, those of complete lines
 * (an end of file counts: a read returns at once); otherwise all. */
size_t lx_ldisc_available(const lx_ldisc_t *ld);
/* Whether a canonical read would return now (a complete line, or the end
 * of file, is there). */
bool lx_ldisc_line_ready(const lx_ldisc_t *ld);
/* Take up to len bytes for a read: in canonical mode at most one line
 * (its VEOF not included: an empty line ending in VEOF reads as 0 bytes,
 * the end of file); otherwise what is there. */
size_t lx_ldisc_read(lx_ldisc_t *ld, uint8_t *dst, size_t len);
/* Drop the input (TCFLSH, TCSETSF, a signal without NOFLSH). */
void lx_ldisc_flush(lx_ldisc_t *ld);
/* Output processing (OPOST: ONLCR, OCRNL) of n bytes into out, which
 * holds 2 * n: the count written. */
size_t lx_ldisc_output(const lx_termios_t *t, const uint8_t *in, size_t n, uint8_t *out);

#endif
