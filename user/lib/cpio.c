/*
 * cpio "newc" reader. Each size is checked against what is left of the
 * archive before it is added to anything, so no sum can overflow and no
 * pointer is formed past the end.
 */
#include <atoll_rt/cpio.h>
#include <atoll_rt/string.h>
#include <stdbool.h>

#define HEADER_SIZE 110
#define FIELD_MODE 14
#define FIELD_FILESIZE 54
#define FIELD_NAMESIZE 94
#define FIELD_FIRST 6 /* the thirteen 8-digit fields follow the magic */
#define FIELD_COUNT 13

static const char trailer[] = "TRAILER!!!";

/* Exactly 8 hex digits, no sign, no prefix. */
static bool parse_hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Bytes that bring n up to a multiple of 4. */
static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

int cpio_next(const void *archive, size_t size, size_t *offset, cpio_entry_t *out)
{
	const char *base = archive;
	size_t off = *offset;
	if (off == size)
		return 0;
	if (off > size || (off & 3))
		return -1;
	size_t left = size - off;
	if (left < HEADER_SIZE)
		return -1;
	const char *h = base + off;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -1;

	uint32_t field[FIELD_COUNT];
	for (int i = 0; i < FIELD_COUNT; i++)
		if (!parse_hex8(h + FIELD_FIRST + 8 * i, &field[i]))
			return -1;
	uint32_t mode = field[(FIELD_MODE - FIELD_FIRST) / 8];
	size_t filesize = field[(FIELD_FILESIZE - FIELD_FIRST) / 8];
	size_t namesize = field[(FIELD_NAMESIZE - FIELD_FIRST) / 8];
	left -= HEADER_SIZE;

	/* The name: namesize counts the NUL, which must end it and be its only one. */
	if (namesize < 1 || namesize > left)
		return -1;
	const char *name = h + HEADER_SIZE;
	if (name[namesize - 1] != '\0')
		return -1;
	for (size_t i = 0; i + 1 < namesize; i++)
		if (name[i] == '\0')
			return -1;
	left -= namesize;
	size_t pad = pad4(HEADER_SIZE + namesize);
	if (pad > left)
		return -1;
	left -= pad;

	if (namesize == sizeof(trailer) && memcmp(name, trailer, sizeof(trailer)) == 0)
		return 0;

	/* The data; its padding may be cut off only at the very end of the archive. */
	if (filesize > left)
		return -1;
	size_t data_off = size - left;
	left -= filesize;
	pad = pad4(filesize);
	*offset = size - left + (pad < left ? pad : left);

	out->name = name;
	out->name_len = namesize - 1;
	out->data = base + data_off;
	out->size = filesize;
	out->mode = mode;
	return 1;
}

/* Drops any leading "/" and "./", and reads "." as the root (""). */
static const char *strip_root(const char *s, size_t *len)
{
	for (;;) {
		if (*len >= 1 && s[0] == '/') {
			s++;
			*len -= 1;
		} else if (*len >= 2 && s[0] == '.' && s[1] == '/') {
			s += 2;
			*len -= 2;
		} else {
			break;
		}
	}
	if (*len == 1 && s[0] == '.')
		*len = 0;
	return s;
}

int cpio_find(const void *archive, size_t size, const char *path, cpio_entry_t *out)
{
	size_t want_len = strlen(path);
	const char *want = strip_root(path, &want_len);
	size_t off = 0;
	cpio_entry_t e;
	int r;
	while ((r = cpio_next(archive, size, &off, &e)) == 1) {
		size_t len = e.name_len;
		const char *name = strip_root(e.name, &len);
		if (len == want_len && memcmp(name, want, len) == 0) {
			*out = e;
			return 1;
		}
	}
	return r;
}
