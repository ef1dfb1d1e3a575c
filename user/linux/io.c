/*
 * read, write and ioctl. A process starts with descriptors 0, 1 and 2 on
 * the console (fds.c), and dup copies of them are the console too: output
 * goes to the serial server at /dev/uart0 with the terminal's output
 * processing (OPOST, ONLCR: "\n" goes out as "\r\n") once job control
 * lets the writer (TOSTOP, lx_tty_write_check); input, termios and the
 * terminal's ioctls are tty.c's. Other descriptors are pipe ends
 * (pipe.c) or files, devices and /proc entries (files.c).
 */
#include "ldisc.h"
#include "personality.h"

#include <atoll/proto/uart.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>
#include <atoll_rt/uart.h>

#define UART_PATH "/dev/uart0"
/* ns_resolve attempts, an atoll_yield apart, while the uart driver starts. */
#define RESOLVE_TRIES 1000
/* Bytes taken from the process at a time: with every byte a "\n" they
 * become twice as many, which must fit one uart request. */
#define CHUNK (UART_IO_MAX / 2)

bool lx_have_uart;

/* A server of a shorter prefix also resolves the path; only the one that
 * registered all of it is the uart. */
static bool uart_connect(void)
{
	for (int i = 0; i < RESOLVE_TRIES; i++) {
		size_t matched;
		if (ns_resolve(UART_PATH, LX_SLOT_UART, &matched) == ATOLL_E_OK) {
			if (matched == sizeof(UART_PATH) - 1)
				return true;
			cnode_delete(PROC_SLOT_CNODE, LX_SLOT_UART);
		}
		atoll_yield();
	}
	return false;
}

/* Have proc tell us (LX_NOTIFY_UART_NEW) when a uart driver registers
 * /dev/uart0: after a restart, a terminal read that waits would otherwise
 * wait on the old driver's registration for ever. */
static void watch_uart(void)
{
	atoll_error_t err =
		cnode_mint(PROC_SLOT_CNODE, LX_SLOT_UART_WATCH, PROC_SLOT_CNODE,
	                   PROC_SLOT_NOTIFICATION, ATOLL_RIGHT_WRITE, LX_NOTIFY_UART_NEW);
	if (!err)
		err = ns_watch(UART_PATH, LX_SLOT_UART_WATCH);
	if (err)
		printf("linux: cannot watch %s (error %d): a restart of its driver is noticed at "
		       "the next output\n",
		       UART_PATH, err);
	cnode_delete(PROC_SLOT_CNODE, LX_SLOT_UART_WATCH);
}

void lx_console_init(void)
{
	lx_have_uart = uart_connect();
	if (lx_have_uart)
		watch_uart();
}

void lx_console_renew(void)
{
	cnode_delete(PROC_SLOT_CNODE, LX_SLOT_UART);
	lx_have_uart = uart_connect();
	if (lx_have_uart)
		lx_tty_connected();
}

/* The kernel log adds its own '\r' before each '\n'. */
static void log_write(const char *s, size_t len)
{
	char line[UART_IO_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < len && n < UART_IO_MAX; i++)
		if (s[i] != '\r')
			line[n++] = s[i];
	line[n] = 0;
	printf("%s", line);
}

bool lx_console_reconnect(atoll_error_t err)
{
	cnode_delete(PROC_SLOT_CNODE, LX_SLOT_UART);
	if (!uart_connect()) {
		lx_have_uart = false;
		printf("linux: lost %s (error %d); program output goes to the kernel log\n",
		       UART_PATH, err);
		return false;
	}
	lx_tty_connected();
	return true;
}

/* A failed uart call (the driver restarting, say) gets one retry on a
 * fresh connection; after that the console is the kernel log. */
void lx_console_send(const char *s, size_t len)
{
	for (int tries = 0; lx_have_uart && tries < 2; tries++) {
		atoll_error_t err = uart_write(LX_SLOT_UART, s, len);
		if (!err)
			return;
		lx_console_reconnect(err);
	}
	log_write(s, len);
}

/* Descriptor fd: -LX_EBADF when it is not open, 1 for the console, 0 for a file. */
static int console_fd(lx_process_t *p, uint64_t fd)
{
	lx_file_t *f = lx_fd_get(p, (int)fd);
	return f ? f->console : -LX_EBADF;
}

void lx_console_write(const void *buf, size_t len)
{
	uint8_t out[2 * CHUNK];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		size_t o = lx_ldisc_output(lx_tty_termios(), (const uint8_t *)buf + done, n, out);
		lx_console_send((const char *)out, o);
		done += n;
	}
}

/*
 * Write len bytes at addr in p to the console. Returns the count written,
 * or -EFAULT when not even the first byte could be read. Pieces never
 * cross a page, so the count stops exactly where readable memory ends.
 */
static int64_t console_write(lx_process_t *p, uint64_t addr, uint64_t len)
{
	char in[CHUNK];
	uint64_t done = 0;
	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	while (done < len) {
		uint64_t a = addr + done;
		size_t n = CHUNK - (a % CHUNK); /* CHUNK divides the page size */
		if (n > len - done)
			n = len - done;
		if (!lx_copy_in(p, in, a, n))
			return done ? (int64_t)done : -LX_EFAULT;
		lx_console_write(in, n);
		done += n;
	}
	return (int64_t)done;
}

/* A plain read or write of len bytes at addr on pipe end f. */
static int64_t pipe_rw(lx_call_t *c, const lx_file_t *f, bool write)
{
	uint64_t len = c->arg[2] < LX_MAX_RW_COUNT ? c->arg[2] : LX_MAX_RW_COUNT;
	lx_pipe_io_t io = {.write = write, .addr = c->arg[1], .len = len, .total = len};
	return lx_pipe_transfer(c, f, &io);
}

int64_t lx_sys_write(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (f && f->pipe)
		return pipe_rw(c, f, true);
	if (f && !f->console)
		return lx_file_write(c->p, f, c->arg[1], c->arg[2]);
	if (console_fd(c->p, c->arg[0]) <= 0)
		return -LX_EBADF;
	int64_t err = lx_tty_write_check(c);
	if (err || c->arg[2] == 0)
		return err;
	return console_write(c->p, c->arg[1], c->arg[2]);
}

int64_t lx_iovec_load(lx_process_t *p, uint64_t vec, int count, lx_iovec_t *iov, uint64_t *total)
{
	*total = 0;
	if (count < 0 || count > LX_UIO_MAXIOV)
		return -LX_EINVAL;
	if (count == 0)
		return 0;
	if (!lx_copy_in(p, iov, vec, (size_t)count * sizeof(iov[0])))
		return -LX_EFAULT;
	/* Linux refuses a negative length before moving anything, and cuts the
	 * total down to LX_MAX_RW_COUNT. */
	for (int i = 0; i < count; i++) {
		if (iov[i].len > (uint64_t)INT64_MAX)
			return -LX_EINVAL;
		uint64_t room = LX_MAX_RW_COUNT - *total;
		*total += iov[i].len < room ? iov[i].len : room;
	}
	return 0;
}

int64_t lx_sys_writev(lx_call_t *c)
{
	static lx_iovec_t iov[LX_UIO_MAXIOV];
	uint64_t fd = c->arg[0], vec = c->arg[1];
	int count = (int)c->arg[2];
	lx_file_t *f = lx_fd_get(c->p, (int)fd);
	if (!f)
		return -LX_EBADF;
	if (!f->console && !f->pipe)
		return lx_file_writev(c, f);
	uint64_t total;
	int64_t err = lx_iovec_load(c->p, vec, count, iov, &total);
	if (err || count == 0)
		return err;
	if (f->pipe) {
		lx_pipe_io_t io = {
			.write = true, .vec = vec, .count = (uint64_t)count, .total = total};
		return lx_pipe_transfer(c, f, &io);
	}
	if ((err = lx_tty_write_check(c)))
		return err;
	uint64_t done = 0;
	for (int i = 0; i < count && done < LX_MAX_RW_COUNT; i++) {
		if (!iov[i].len)
			continue;
		uint64_t want = iov[i].len;
		if (want > LX_MAX_RW_COUNT - done)
			want = LX_MAX_RW_COUNT - done;
		int64_t n = console_write(c->p, iov[i].base, want);
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;
	}
	return (int64_t)done;
}

int64_t lx_sys_readv(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	if (!f->pipe && !f->console)
		return lx_file_readv(c, f);
	static lx_iovec_t iov[LX_UIO_MAXIOV];
	int count = (int)c->arg[2];
	uint64_t total;
	int64_t err = lx_iovec_load(c->p, c->arg[1], count, iov, &total);
	if (err || count == 0)
		return err;
	if (f->console)
		return lx_tty_read(c, f, 0, total, c->arg[1], (uint64_t)count);
	lx_pipe_io_t io = {
		.write = false, .vec = c->arg[1], .count = (uint64_t)count, .total = total};
	return lx_pipe_transfer(c, f, &io);
}

int64_t lx_sys_read(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (!f)
		return -LX_EBADF;
	if (f->pipe)
		return pipe_rw(c, f, false);
	if (!f->console)
		return lx_file_read(c->p, f, c->arg[1], c->arg[2]);
	return lx_tty_read(c, f, c->arg[1], c->arg[2], 0, 0);
}

/* A pipe answers FIONREAD, the console every terminal request (tty.c);
 * the rest is ENOTTY. */
int64_t lx_sys_ioctl(lx_call_t *c)
{
	lx_file_t *f = lx_fd_get(c->p, (int)c->arg[0]);
	if (f && f->pipe) {
		if ((uint32_t)c->arg[1] != LX_FIONREAD)
			return -LX_ENOTTY;
		int32_t n = (int32_t)lx_pipe_available(f);
		return lx_copy_out(c->p, c->arg[2], &n, sizeof(n)) ? 0 : -LX_EFAULT;
	}
	int console = console_fd(c->p, c->arg[0]);
	if (console <= 0)
		return console < 0 ? console : -LX_ENOTTY;
	return lx_tty_ioctl(c);
}
