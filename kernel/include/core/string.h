#ifndef CORE_STRING_H
#define CORE_STRING_H

#include <stddef.h>

/* The compiler may emit calls to these; they are the only libc the kernel has. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

#endif
