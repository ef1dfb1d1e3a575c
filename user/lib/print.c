/*
 * printf for native programs: formats into a buffer and hands it to the
 * kernel log in one system call.
 */
#include <atoll_rt/print.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct out {
	char *buf;
	size_t size, len;
} out_t;

static void put(out_t *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(out_t *o, uint64_t v, unsigned base, bool upper, int width, bool zero,
                       bool left, bool negative)
{
	char digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	do {
		digits[n++] = set[v % base];
		v /= base;
	} while (v);
	int total = n + negative;
	if (negative && zero)
		put(o, '-');
	for (; !left && total < width; total++)
		put(o, zero ? '0' : ' ');
	if (negative && !zero)
		put(o, '-');
	while (n)
		put(o, digits[--n]);
	for (; left && total < width; total++)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	out_t o = {buf, size, 0};
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, zero = false;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		int width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int longs = 0;
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, width, zero,
			           left, v < 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_number(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero, left,
			           false);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false, 0, false, false,
			           false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			s = s ? s : "(null)";
			int n = (int)strlen(s);
			for (int i = n; !left && i < width; i++)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			for (int i = n; left && i < width; i++)
				put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '?');
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	atoll_debug_puts(buf, n < (int)sizeof(buf) ? (uint64_t)n : sizeof(buf) - 1);
	return n;
}
