/*
 * /dev: character devices as ramfs inodes with Linux's numbers, so stat
 * and ls show what they would on Linux. What reading and writing one does
 * is decided here by its number: null, zero, full, random and urandom
 * (the same source as getrandom, info.c). /dev/console and /dev/tty open
 * as the terminal (an lx_file_t with console set), whose reads, writes and
 * ioctls io.c serves.
 */
#include "personality.h"

#include <atoll_rt/string.h>

#define DEV(major, minor) (((major) << 8) | (minor))
#define DEV_NULL DEV(1, 3)
#define DEV_ZERO DEV(1, 5)
#define DEV_FULL DEV(1, 7)
#define DEV_RANDOM DEV(1, 8)
#define DEV_URANDOM DEV(1, 9)
#define DEV_TTY DEV(5, 0)
#define DEV_CONSOLE DEV(5, 1)

static const struct {
	const char *name;
	uint32_t rdev;
	uint32_t perm;
} devices[] = {
	{"null", DEV_NULL, 0666},       {"zero", DEV_ZERO, 0666},       {"full", DEV_FULL, 0666},
	{"random", DEV_RANDOM, 0666},   {"urandom", DEV_URANDOM, 0666}, {"tty", DEV_TTY, 0666},
	{"console", DEV_CONSOLE, 0600},
};

void lx_devices_init(lx_inode_t *dev)
{
	for (unsigned i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		size_t len = strlen(devices[i].name);
		if (lx_ramfs_find(dev, devices[i].name, len))
			continue;
		lx_inode_t *n = lx_ramfs_new(LX_S_IFCHR | devices[i].perm);
		if (!n || lx_ramfs_link(dev, devices[i].name, len, n)) {
			printf("linux: no memory for /dev/%s\n", devices[i].name);
			return;
		}
		n->rdev = devices[i].rdev;
	}
}

bool lx_device_is_zero(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFCHR && n->fs == LX_FS_RAM && n->rdev == DEV_ZERO;
}

bool lx_device_is_console(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFCHR && n->fs == LX_FS_RAM &&
	       (n->rdev == DEV_TTY || n->rdev == DEV_CONSOLE);
}

int64_t lx_device_read(lx_inode_t *n, void *buf, size_t len)
{
	switch (n->rdev) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
	case DEV_FULL:
		memset(buf, 0, len);
		return (int64_t)len;
	case DEV_RANDOM:
	case DEV_URANDOM:
		lx_random_fill(buf, len);
		return (int64_t)len;
	default:
		return -LX_ENXIO; /* no driver behind this number */
	}
}

bool lx_device_splice_reads(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFCHR && n->fs == LX_FS_RAM &&
	       (n->rdev == DEV_ZERO || n->rdev == DEV_FULL || n->rdev == DEV_RANDOM ||
	        n->rdev == DEV_URANDOM);
}

bool lx_device_ignores_data(const lx_inode_t *n)
{
	return (n->mode & LX_S_IFMT) == LX_S_IFCHR && n->fs == LX_FS_RAM &&
	       (n->rdev == DEV_NULL || n->rdev == DEV_ZERO || n->rdev == DEV_FULL);
}

int64_t lx_device_write(lx_inode_t *n, size_t len)
{
	switch (n->rdev) {
	case DEV_NULL:
	case DEV_ZERO:
	case DEV_RANDOM: /* Linux mixes what is written into the pool; we drop it */
	case DEV_URANDOM:
		return (int64_t)len;
	case DEV_FULL:
		return -LX_ENOSPC;
	default:
		return -LX_ENXIO;
	}
}
