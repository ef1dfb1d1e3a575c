/*
 * The kernel log: a minimal printf over the boot serial port. Supports
 * %s %c %d %i %u %x %p %% with the l and ll modifiers and a zero-padded
 * width (%016lx), which is all the kernel needs.
 */
#include <arch/cpu.h>
#include <core/log.h>
#include <plat/serial.h>
#include <stdint.h>

void klog_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
}

static void put_unsigned(uint64_t v, unsigned base, int width, char pad)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		serial_putc(pad);
	while (n)
		serial_putc(digits[--n]);
}

void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			serial_putc(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, longs = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				serial_putc(*s);
			break;
		}
		case 'c':
			serial_putc((char)va_arg(ap, int));
			break;
		case 'd':
		case 'i': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (v < 0) {
				serial_putc('-');
				v = -(uint64_t)v;
			}
			put_unsigned((uint64_t)v, 10, width, pad);
			break;
		}
		case 'u':
			put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width,
			             pad);
			break;
		case 'x':
			put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width,
			             pad);
			break;
		case 'p':
			serial_putc('0');
			serial_putc('x');
			put_unsigned((uintptr_t)va_arg(ap, void *), 16, 16, '0');
			break;
		case '%':
			serial_putc('%');
			break;
		default:
			serial_putc('?');
			break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

bool log_allowed(log_limit_t *limit)
{
	if (limit->printed < LOG_LIMIT) {
		limit->printed++;
		return true;
	}
	if (limit->printed++ == LOG_LIMIT)
		kprintf("(further messages like the last are suppressed)\n");
	return false;
}
