#ifndef PROC_LOG_H
#define PROC_LOG_H

#include <stddef.h>
#include <stdint.h>

/* proc's log: every line goes to the kernel log and into a ring of recent
 * text that the monitor's `log` command reads (PROC_LOG). */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copy log text from *offset (bytes ever logged before it), which moves up
 * to the oldest the ring still holds; the count. */
size_t log_read(uint64_t *offset, char *buf, size_t size);

#endif
