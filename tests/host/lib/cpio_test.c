/*
 * The newc reader against archives written here field by field, as
 * cpio(5) describes them. Every read runs on a heap copy of exactly the
 * archive's size, so AddressSanitizer catches a byte read past the end.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

#include "../../../user/lib/cpio.c"

#define AR_MAX 4096

typedef struct ar {
	uint8_t b[AR_MAX];
	size_t len;
} ar_t;

/* Header field offsets. */
enum {
	H_MAGIC = 0,
	H_MODE = 14,
	H_FILESIZE = 54,
	H_NAMESIZE = 94,
	H_SIZE = 110,
};

static void put_hex8(uint8_t *at, uint32_t v)
{
	char s[9];
	snprintf(s, sizeof(s), "%08X", v);
	memcpy(at, s, 8);
}

static void pad(ar_t *a)
{
	while (a->len & 3)
		a->b[a->len++] = 0;
}

/*
 * Appends one entry; namesize is normally strlen(name) + 1 and the name's
 * NUL is written only when it fits in namesize. Returns the header offset.
 */
static size_t ar_raw(ar_t *a, const char *name, uint32_t namesize, uint32_t mode, const void *data,
                     uint32_t filesize, size_t data_len)
{
	size_t at = a->len;
	uint8_t *h = a->b + at;
	memcpy(h, "070701", 6);
	uint32_t fields[13] = {0x1234 + (uint32_t)at,
	                       mode,
	                       0,
	                       0,
	                       1,
	                       0x5f000000,
	                       filesize,
	                       0,
	                       0,
	                       0,
	                       0,
	                       namesize,
	                       0};
	for (int i = 0; i < 13; i++)
		put_hex8(h + 6 + 8 * i, fields[i]);
	a->len += H_SIZE;
	size_t n = strlen(name);
	memcpy(a->b + a->len, name, n);
	a->len += n;
	if (namesize > n)
		a->b[a->len++] = 0;
	pad(a);
	if (data_len)
		memcpy(a->b + a->len, data, data_len);
	a->len += data_len;
	pad(a);
	return at;
}

static size_t ar_file(ar_t *a, const char *name, uint32_t mode, const char *data)
{
	size_t n = data ? strlen(data) : 0;
	return ar_raw(a, name, (uint32_t)strlen(name) + 1, mode, data, (uint32_t)n, n);
}

static void ar_trailer(ar_t *a)
{
	ar_file(a, "TRAILER!!!", 0, NULL);
}

/* A heap copy of exactly len bytes: ASan reports any read beyond it. */
static uint8_t *exact(const ar_t *a, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	memcpy(p, a->b, len);
	return p;
}

/* cpio_next on an exact copy of the first len bytes, starting at offset. */
static int next_at(const ar_t *a, size_t len, size_t offset)
{
	uint8_t *p = exact(a, len);
	cpio_entry_t e;
	int r = cpio_next(p, len, &offset, &e);
	free(p);
	return r;
}

static const char *uart_data = "\177ELF uart driver"; /* 16 bytes */

/* A boot archive like the image builder makes: directories, files, an empty file. */
static void build_good(ar_t *a)
{
	a->len = 0;
	ar_file(a, ".", CPIO_MODE_DIR | 0755, NULL);
	ar_file(a, "boot", CPIO_MODE_DIR | 0755, NULL);
	ar_file(a, "boot/uart16550", CPIO_MODE_FILE | 0755, uart_data);
	ar_file(a, "boot/empty", CPIO_MODE_FILE | 0644, NULL);
	ar_file(a, "boot/manifest", CPIO_MODE_FILE | 0644, "service x\n"); /* 10: padded */
	ar_file(a, "etc/a", CPIO_MODE_FILE | 0644, "abcde");               /* 5: padded */
	ar_file(a, "bin/sh", CPIO_MODE_SYMLINK | 0777, "/boot/sh");
	ar_trailer(a);
}

static bool entry_is(const cpio_entry_t *e, const char *name, uint32_t mode, const char *data)
{
	size_t n = data ? strlen(data) : 0;
	return e->name_len == strlen(name) && strcmp(e->name, name) == 0 && e->mode == mode &&
	       e->size == n && (n == 0 || memcmp(e->data, data, n) == 0);
}

TEST(cpio_next_reads_every_entry_then_stops_at_the_trailer)
{
	static ar_t a;
	build_good(&a);
	uint8_t *p = exact(&a, a.len);
	size_t off = 0;
	cpio_entry_t e[8];
	int n = 0, r;
	while (n < 8 && (r = cpio_next(p, a.len, &off, &e[n])) == 1)
		n++;
	CHECK_EQ(r, 0);
	CHECK_EQ(n, 7);
	CHECK(entry_is(&e[0], ".", CPIO_MODE_DIR | 0755, NULL));
	CHECK(entry_is(&e[1], "boot", CPIO_MODE_DIR | 0755, NULL));
	CHECK(entry_is(&e[2], "boot/uart16550", CPIO_MODE_FILE | 0755, uart_data));
	CHECK(entry_is(&e[3], "boot/empty", CPIO_MODE_FILE | 0644, NULL));
	CHECK(entry_is(&e[4], "boot/manifest", CPIO_MODE_FILE | 0644, "service x\n"));
	CHECK(entry_is(&e[5], "etc/a", CPIO_MODE_FILE | 0644, "abcde"));
	CHECK(entry_is(&e[6], "bin/sh", CPIO_MODE_SYMLINK | 0777, "/boot/sh"));
	CHECK_EQ((e[6].mode & CPIO_MODE_TYPE), CPIO_MODE_SYMLINK);
	/* Data starts on a 4-byte boundary of the archive. */
	CHECK_EQ(((const uint8_t *)e[2].data - p) & 3, 0);
	/* The end is sticky: the offset stays on the trailer. */
	size_t at_trailer = off;
	CHECK_EQ(cpio_next(p, a.len, &off, &e[0]), 0);
	CHECK_EQ(off, at_trailer);
	free(p);
}

TEST(cpio_next_accepts_lowercase_hex_and_the_crc_magic)
{
	static ar_t a;
	a.len = 0;
	ar_raw(&a, "x", 2, CPIO_MODE_FILE | 0644, "0123456789", 10, 10);
	ar_trailer(&a);
	memcpy(a.b + H_FILESIZE, "0000000a", 8);
	memcpy(a.b + H_MODE, "000081a4", 8);
	a.b[5] = '2';
	uint8_t *p = exact(&a, a.len);
	size_t off = 0;
	cpio_entry_t e;
	CHECK_EQ(cpio_next(p, a.len, &off, &e), 1);
	CHECK(entry_is(&e, "x", CPIO_MODE_FILE | 0644, "0123456789"));
	CHECK_EQ(off, H_SIZE + 2 + 12);
	CHECK_EQ(cpio_next(p, a.len, &off, &e), 0);
	free(p);
}

TEST(cpio_next_ends_at_the_exact_end_without_a_trailer)
{
	static ar_t a;
	a.len = 0;
	ar_file(&a, "f", CPIO_MODE_FILE | 0644, "abcde");
	/* Cut the data's padding: the last entry may end the archive unpadded. */
	size_t len = a.len - 3;
	uint8_t *p = exact(&a, len);
	size_t off = 0;
	cpio_entry_t e;
	CHECK_EQ(cpio_next(p, len, &off, &e), 1);
	CHECK(entry_is(&e, "f", CPIO_MODE_FILE | 0644, "abcde"));
	CHECK_EQ(off, len);
	CHECK_EQ(cpio_next(p, len, &off, &e), 0);
	CHECK_EQ(cpio_next(p, 0, &(size_t){0}, &e), 0);
	free(p);
}

TEST(cpio_find_ignores_a_leading_slash_or_dot_slash)
{
	static ar_t a;
	build_good(&a);
	ar_t b = a; /* the same archive with "./" names, as find . | cpio writes */
	b.len = 0;
	ar_file(&b, "./boot/uart16550", CPIO_MODE_FILE | 0755, uart_data);
	ar_trailer(&b);
	uint8_t *p = exact(&a, a.len), *q = exact(&b, b.len);
	cpio_entry_t e;
	const char *paths[] = {"/boot/uart16550", "boot/uart16550", "./boot/uart16550",
	                       "//boot/uart16550", "/./boot/uart16550"};
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		memset(&e, 0, sizeof(e));
		CHECK_EQ(cpio_find(p, a.len, paths[i], &e), 1);
		CHECK(entry_is(&e, "boot/uart16550", CPIO_MODE_FILE | 0755, uart_data));
		memset(&e, 0, sizeof(e));
		CHECK_EQ(cpio_find(q, b.len, paths[i], &e), 1);
		CHECK(entry_is(&e, "./boot/uart16550", CPIO_MODE_FILE | 0755, uart_data));
	}
	CHECK_EQ(cpio_find(p, a.len, "/boot/empty", &e), 1);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(cpio_find(p, a.len, "/boot", &e), 1);
	CHECK_EQ(e.mode & CPIO_MODE_TYPE, CPIO_MODE_DIR);
	CHECK_EQ(cpio_find(p, a.len, "/", &e), 1);
	CHECK_EQ(e.name_len, 1);
	CHECK_EQ(cpio_find(p, a.len, "/boot/uart", &e), 0);
	CHECK_EQ(cpio_find(p, a.len, "/boot/uart165500", &e), 0);
	CHECK_EQ(cpio_find(p, a.len, "TRAILER!!!", &e), 0);
	free(p);
	free(q);
}

TEST(cpio_find_reports_a_malformed_archive_before_the_entry)
{
	static ar_t a;
	build_good(&a);
	size_t second = H_SIZE + 4; /* "." takes 110 + 2, padded to 112 */
	a.b[second + H_NAMESIZE] = 'z';
	uint8_t *p = exact(&a, a.len);
	cpio_entry_t e;
	CHECK_EQ(cpio_find(p, a.len, "/", &e), 1); /* before the damage */
	CHECK_EQ(cpio_find(p, a.len, "/boot/uart16550", &e), -1);
	free(p);
}

TEST(cpio_next_rejects_a_truncated_header)
{
	static ar_t a;
	build_good(&a);
	for (size_t len = 1; len < H_SIZE; len++)
		CHECK_EQ(next_at(&a, len, 0), -1);
	/* Header complete but the name cut short. */
	CHECK_EQ(next_at(&a, H_SIZE + 1, 0), -1);
}

TEST(cpio_next_rejects_every_truncation_inside_an_entry)
{
	static ar_t a;
	a.len = 0;
	ar_file(&a, "boot/uart16550", CPIO_MODE_FILE, uart_data);
	size_t second = a.len;
	ar_file(&a, "x", CPIO_MODE_FILE, "12345678");
	/* Each prefix of the first entry is malformed except the whole (padded) entry. */
	for (size_t len = 1; len < second; len++)
		CHECK_EQ(next_at(&a, len, 0), -1);
	CHECK_EQ(next_at(&a, second, 0), 1);
}

TEST(cpio_next_rejects_a_bad_magic)
{
	static ar_t a;
	build_good(&a);
	const char *bad[] = {"070707", "070700", "070703", "170701", "07070 ", "\0\0\0\0\0\0"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ar_t b = a;
		memcpy(b.b, bad[i], 6);
		CHECK_EQ(next_at(&b, b.len, 0), -1);
	}
}

TEST(cpio_next_rejects_a_non_hex_digit_in_any_field)
{
	static ar_t a, b;
	build_good(&a);
	const char bad[] = {'g', 'G', ' ', '-', '+', 'x', '\0', '/', ':', '@', '`'};
	for (int field = 0; field < 13; field++) {
		for (int digit = 0; digit < 8; digit += 7) {
			for (unsigned i = 0; i < sizeof(bad); i++) {
				b = a;
				b.b[6 + 8 * field + digit] = (uint8_t)bad[i];
				CHECK_EQ(next_at(&b, b.len, 0), -1);
			}
		}
	}
}

TEST(cpio_next_rejects_namesize_zero)
{
	static ar_t a;
	a.len = 0;
	ar_raw(&a, "", 0, CPIO_MODE_FILE, NULL, 0, 0);
	ar_trailer(&a);
	CHECK_EQ(next_at(&a, a.len, 0), -1);
}

TEST(cpio_next_rejects_a_name_without_its_nul)
{
	static ar_t a;
	a.len = 0;
	/* namesize 4 covers "abcd" but not a NUL: the fourth byte must be the NUL. */
	ar_raw(&a, "abcd", 4, CPIO_MODE_FILE, NULL, 0, 0);
	ar_trailer(&a);
	CHECK_EQ(next_at(&a, a.len, 0), -1);
	/* A NUL inside the name makes name_len a lie. */
	a.len = 0;
	ar_file(&a, "ab?d", CPIO_MODE_FILE, NULL);
	a.b[H_SIZE + 2] = 0;
	ar_trailer(&a);
	CHECK_EQ(next_at(&a, a.len, 0), -1);
	/* The name runs to the very end of the archive with no NUL. */
	a.len = 0;
	ar_raw(&a, "abcdef", 7, CPIO_MODE_FILE, NULL, 0, 0);
	CHECK_EQ(next_at(&a, H_SIZE + 6, 0), -1);
}

TEST(cpio_next_rejects_data_beyond_the_end)
{
	static ar_t a;
	a.len = 0;
	ar_raw(&a, "f", 2, CPIO_MODE_FILE, "abcd", 5, 4); /* claims 5, holds 4 */
	CHECK_EQ(next_at(&a, a.len, 0), -1);
	a.len = 0;
	ar_raw(&a, "name", 200, CPIO_MODE_FILE, NULL, 0, 0); /* name beyond the end */
	CHECK_EQ(next_at(&a, a.len, 0), -1);
}

TEST(cpio_next_rejects_huge_sizes_without_overflowing)
{
	static ar_t a;
	uint32_t huge[] = {0xffffffff, 0xfffffffe, 0xfffffffd, 0xfffffffc, 0x80000000, 0x7fffffff};
	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		a.len = 0;
		ar_raw(&a, "f", 2, CPIO_MODE_FILE, "abcd", huge[i], 4);
		ar_trailer(&a);
		CHECK_EQ(next_at(&a, a.len, 0), -1);
		a.len = 0;
		ar_raw(&a, "f", huge[i], CPIO_MODE_FILE, "abcd", 4, 4);
		ar_trailer(&a);
		CHECK_EQ(next_at(&a, a.len, 0), -1);
	}
}

TEST(cpio_next_rejects_a_bad_offset)
{
	static ar_t a;
	build_good(&a);
	CHECK_EQ(next_at(&a, a.len, a.len + 4), -1);
	CHECK_EQ(next_at(&a, a.len, SIZE_MAX), -1);
	CHECK_EQ(next_at(&a, a.len, 2), -1);
	CHECK_EQ(next_at(&a, a.len, a.len - 4), -1); /* inside the trailer */
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Walks a (possibly damaged) archive and checks every entry lies inside it. */
static bool walk_stays_inside(const uint8_t *p, size_t len)
{
	size_t off = 0, last = 0;
	cpio_entry_t e;
	int r, n = 0;
	while ((r = cpio_next(p, len, &off, &e)) == 1) {
		const uint8_t *name = (const uint8_t *)e.name, *data = e.data;
		if (name < p || name + e.name_len >= p + len || name[e.name_len] != 0 ||
		    strlen(e.name) != e.name_len)
			return false;
		if (data < p || data > p + len || e.size > (size_t)(p + len - data))
			return false;
		if (off <= last || off > len || ++n > 64)
			return false;
		last = off;
	}
	cpio_find(p, len, "/boot/uart16550", &e);
	cpio_find(p, len, "/nope", &e);
	return r == 0 || r == -1;
}

TEST(cpio_random_mutations_never_read_outside_the_archive)
{
	static ar_t a, b;
	build_good(&a);
	static const char hex[] = "0123456789abcdefABCDEF";
	size_t heads[16], nheads = 0, off = 0;
	cpio_entry_t e;
	do
		heads[nheads++] = off;
	while (cpio_next(a.b, a.len, &off, &e) == 1);
	CHECK_EQ(nheads, 8);
	int bad = 0;
	for (int iter = 0; iter < 10000; iter++) {
		b = a;
		int edits = 1 + (int)(rng() % 8);
		for (int i = 0; i < edits; i++) {
			size_t at = rng() % b.len;
			switch (rng() % 4) {
			case 0: /* any byte */
				b.b[at] = (uint8_t)rng();
				break;
			case 1: /* a hex digit, so the header still parses and sizes go wild */
				b.b[at] = (uint8_t)hex[rng() % (sizeof(hex) - 1)];
				break;
			case 2: { /* a whole size field of some header */
				size_t h = heads[rng() % nheads];
				size_t f = rng() % 2 ? H_FILESIZE : H_NAMESIZE;
				put_hex8(b.b + h + f, (uint32_t)rng() >> (rng() % 32));
				break;
			}
			case 3: /* a NUL */
				b.b[at] = 0;
				break;
			}
		}
		size_t len = rng() % 4 ? b.len : rng() % (b.len + 1);
		uint8_t *p = exact(&b, len);
		if (!walk_stays_inside(p, len))
			bad++;
		free(p);
	}
	CHECK_EQ(bad, 0);
}
