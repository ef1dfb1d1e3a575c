#include <core/string.h>
#include <stdint.h>

/* Whole words, then the bytes left: objects are zeroed and pages copied
 * whole, and every repetition of a string instruction is one instruction
 * executed (which is what -icount counts). */
void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;
	uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(bytes) : "a"(c) : "memory");
	return ret;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words)::"memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(bytes)::"memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
		if (!a[i])
			return 0;
	}
	return 0;
}
