/*
 * syslog(2), which dmesg uses: the system log of a Linux program on Atoll
 * is the ring of recent log lines proc keeps (PROC_LOG: services started,
 * restarted, processes killed and why), as Linux's is its kernel's ring. Everyone is root, so
 * everyone may read and clear it. Clearing forgets the text logged so far
 * for the readers here (proc's ring stays as it is). SYSLOG_ACTION_READ,
 * which waits for new text when there is none, answers what there is and
 * is ENOSYS (logged) instead of waiting.
 */
#include "personality.h"

#include <atoll_rt/proc.h>

enum syslog_action {
	SYSLOG_ACTION_CLOSE,
	SYSLOG_ACTION_OPEN,
	SYSLOG_ACTION_READ,
	SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR,
	SYSLOG_ACTION_CLEAR,
	SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON,
	SYSLOG_ACTION_CONSOLE_LEVEL,
	SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

static char text[PROC_LOG_RING];
static uint64_t cleared;   /* the log's offset before which CLEAR dropped it */
static uint64_t read_upto; /* what SYSLOG_ACTION_READ has handed out */

/* The log text from offset from (or the oldest proc still has) into text:
 * its length; *start gets where it starts, *end where it ends. */
static size_t read_log(uint64_t from, uint64_t *start, uint64_t *end)
{
	size_t len = 0, n = 1;
	uint64_t at = from;
	*start = from;
	while (n && len < sizeof(text)) {
		if (proc_log(&at, text + len, sizeof(text) - len, &n))
			break;
		if (!len)
			*start = at;
		len += n;
		at += n;
	}
	*end = *start + len;
	return len;
}

/* The last max bytes of the log from offset from, to the process's buf. */
static int64_t copy_log(lx_process_t *p, uint64_t from, uint64_t buf, size_t max, uint64_t *end)
{
	uint64_t start;
	size_t len = read_log(from, &start, end);
	size_t skip = len > max ? len - max : 0;
	if (!lx_copy_out(p, buf, text + skip, len - skip))
		return -LX_EFAULT;
	return (int64_t)(len - skip);
}

/* syslog(type, buf, len): Linux's checks in its order. */
int64_t lx_sys_syslog(lx_call_t *c)
{
	int type = (int)c->arg[0], len = (int)c->arg[2];
	uint64_t buf = c->arg[1], start, end;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return len < 1 || len > 8 ? -LX_EINVAL : 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return PROC_LOG_RING;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (int64_t)read_log(read_upto, &start, &end);
	case SYSLOG_ACTION_CLEAR:
		read_log(cleared, &start, &cleared);
		return 0;
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		if (!buf || len < 0)
			return -LX_EINVAL;
		int64_t r = copy_log(c->p, cleared, buf, (size_t)len, &end);
		if (r >= 0 && type == SYSLOG_ACTION_READ_CLEAR)
			cleared = end;
		return r;
	}
	case SYSLOG_ACTION_READ: {
		if (!buf || len < 0)
			return -LX_EINVAL;
		if (!len)
			return 0;
		size_t got = read_log(read_upto, &start, &end);
		if (!got) {
			static bool logged;
			lx_log_once(
				&logged,
				"linux: pid %lu (%s): syslog would wait for new log text, which "
				"is not supported: ENOSYS\n",
				c->p->pid, c->p->name);
			return -LX_ENOSYS;
		}
		size_t n = got < (size_t)len ? got : (size_t)len;
		if (!lx_copy_out(c->p, buf, text, n))
			return -LX_EFAULT;
		read_upto = start + n;
		return (int64_t)n;
	}
	default:
		return -LX_EINVAL;
	}
}
