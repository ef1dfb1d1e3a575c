#include <atoll_rt/print.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>
#include <stdarg.h>

#include "log.h"

#include <atoll/proto/proc.h>

#define LOG_RING PROC_LOG_RING

static char ring[LOG_RING];
static uint64_t written; /* bytes ever logged; the ring holds the last LOG_RING */

void log_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	atoll_debug_puts(line, n);
	for (int i = 0; i < n; i++)
		ring[(written + i) % LOG_RING] = line[i];
	written += n;
}

size_t log_read(uint64_t *offset, char *buf, size_t size)
{
	uint64_t oldest = written > LOG_RING ? written - LOG_RING : 0;
	if (*offset < oldest)
		*offset = oldest;
	size_t n = 0;
	for (; *offset + n < written && n < size; n++)
		buf[n] = ring[(*offset + n) % LOG_RING];
	return n;
}
