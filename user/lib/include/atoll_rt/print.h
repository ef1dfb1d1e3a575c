#ifndef ATOLL_RT_PRINT_H
#define ATOLL_RT_PRINT_H

#include <stdarg.h>
#include <stddef.h>

/* Formatted output: %d %i %u %x %X %p %s %c %% with l/ll/z, width, '-' and '0'. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes to the kernel log (native programs have no console of their own yet). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
