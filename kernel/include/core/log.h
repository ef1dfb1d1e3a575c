#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* The kernel log goes to the boot serial port; it never allocates or blocks on a lock. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void klog_write(const char *s, size_t n);

/* Messages user space can cause at will print only their first
 * LOG_LIMIT occurrences, then one line saying the rest are suppressed. */
#define LOG_LIMIT 16
typedef struct log_limit {
	unsigned printed;
} log_limit_t;
bool log_allowed(log_limit_t *limit);

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Stop the machine cleanly after a boot error that is not the kernel's fault. */
_Noreturn void halt_with_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KASSERT(cond)                                                                     \
	do {                                                                              \
		if (!(cond))                                                              \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
