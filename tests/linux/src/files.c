/* Reading files: open, read, lseek, pread, readv, fstat/stat, getdents64,
 * dup and fcntl, the current directory, and the errors of each. The files
 * used exist on the host and on Atoll alike: the program's own binary
 * (argv[0]) and the directory holding it. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static char dir[1024], base[256], path[4096];

/* dir and base from argv[0], which run.sh gives as an absolute path. */
static void split(const char *self)
{
	const char *slash = strrchr(self, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash == self ? 1 : (int)(slash - self), self);
	snprintf(base, sizeof(base), "%s", slash + 1);
}

/* Read fd to its end in odd-sized pieces: the bytes read. */
static long read_all(int fd)
{
	char buf[1000];
	long total = 0, n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

/* List directory fd with getdents64: whether base, "." and ".." came (and
 * with which d_type); the number of entries. */
static int list(int fd, int *self_type, int *dot_type, int *dotdot)
{
	char buf[512]; /* small, so the listing takes several calls */
	int entries = 0;
	long n;
	*self_type = *dot_type = *dotdot = -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + at);
			if (strcmp(d->d_name, base) == 0)
				*self_type = d->d_type;
			if (strcmp(d->d_name, ".") == 0)
				*dot_type = d->d_type;
			if (strcmp(d->d_name, "..") == 0)
				*dotdot = d->d_type;
			at += d->d_reclen;
			entries++;
		}
	}
	return n < 0 ? -1 : entries;
}

int main(int argc, char **argv)
{
	struct stat st, st2;
	char buf[16];
	(void)argc;

	test_begin("files");
	split(argv[0]);

	int fd = open(argv[0], O_RDONLY);
	check("open own binary", fd);
	check("fstat", fstat(fd, &st));
	check_yes("a regular file", S_ISREG(st.st_mode));
	check_yes("executable", (st.st_mode & 0111) != 0);
	check_yes("size over 1000", st.st_size > 1000);
	check("stat", stat(argv[0], &st2));
	check_yes("stat and fstat agree", st.st_ino == st2.st_ino && st.st_size == st2.st_size);
	check("lstat", lstat(argv[0], &st2));
	check("read 4", read(fd, buf, 4));
	check_yes("ELF magic", memcmp(buf, "\177ELF", 4) == 0);
	check("lseek cur", lseek(fd, 0, SEEK_CUR));
	check_yes("lseek end is the size", lseek(fd, 0, SEEK_END) == st.st_size);
	check("read at the end", read(fd, buf, 4));
	check("lseek 1", lseek(fd, 1, SEEK_SET));
	check("read 3", read(fd, buf, 3));
	check_yes("ELF", memcmp(buf, "ELF", 3) == 0);
	check("lseek -1", lseek(fd, -1, SEEK_SET));
	check("lseek whence 99", lseek(fd, 0, 99));
	check("pread 4 at 0", pread(fd, buf, 4, 0));
	check_yes("pread ELF magic", memcmp(buf, "\177ELF", 4) == 0);
	check("pread at -1", pread(fd, buf, 4, -1));
	check("position after pread", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 0, SEEK_SET);
	check_yes("read all equals the size", read_all(fd) == st.st_size);
	lseek(fd, 0, SEEK_SET);
	struct iovec iov[2] = {{buf, 2}, {buf + 8, 2}};
	check("readv 2 + 2", readv(fd, iov, 2));
	check_yes("readv bytes", memcmp(buf, "\177E", 2) == 0 && memcmp(buf + 8, "LF", 2) == 0);
	check("write to a read-only descriptor", write(fd, "x", 1));
	check("ioctl on a file", ioctl(fd, TIOCGWINSZ, buf));

	int copy = dup(fd);
	check("dup", copy);
	lseek(fd, 10, SEEK_SET);
	check("dup shares the offset", lseek(copy, 0, SEEK_CUR));
	check("F_GETFD", fcntl(fd, F_GETFD));
	check("F_SETFD", fcntl(copy, F_SETFD, FD_CLOEXEC));
	check("F_GETFD after F_SETFD", fcntl(copy, F_GETFD));
	check("F_GETFD of the original", fcntl(fd, F_GETFD));
	check("F_GETFL access mode", fcntl(fd, F_GETFL) & O_ACCMODE);
	/* The host may hand down descriptors of its own below 25. */
	int low = fcntl(fd, F_DUPFD, 25);
	check("F_DUPFD 25", low);
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 25);
	check("F_DUPFD_CLOEXEC 25", high);
	check("F_GETFD of it", fcntl(high, F_GETFD));
	check("dup2 to 20", dup2(fd, 20));
	check("dup2 to itself", dup2(fd, fd));
	check("dup3 to itself", dup3(fd, fd, 0));
	check("dup3 bad flags", dup3(fd, 21, 99));
	check("dup2 from 99", dup2(99, 5));
	check("close 20", close(20));
	check("close 20 again", close(20));
	check("close 99", close(99));
	check("read closed", read(20, buf, 1));
	close(low);
	close(high);
	check("close dup", close(copy));
	int cloexec = open(argv[0], O_RDONLY | O_CLOEXEC);
	check("open O_CLOEXEC F_GETFD", fcntl(cloexec, F_GETFD));
	close(cloexec);
	int out = dup(1);
	check_yes("dup of stdout", out > 2);
	check("write through it", write(out, "written through a dup of stdout\n", 32));
	close(out);

	snprintf(path, sizeof(path), "%s/x", argv[0]);
	check("open file/x", open(path, O_RDONLY));
	snprintf(path, sizeof(path), "%s/no-such-file", dir);
	check("open missing", open(path, O_RDONLY));
	check("stat missing", stat(path, &st2));
	check("open file O_DIRECTORY", open(argv[0], O_RDONLY | O_DIRECTORY));
	snprintf(path, sizeof(path), "%s/", argv[0]);
	check("open file/", open(path, O_RDONLY));
	check("open dir O_WRONLY", open(dir, O_WRONLY));
	check("open empty path", open("", O_RDONLY));

	int d = open(dir, O_RDONLY | O_DIRECTORY);
	check_yes("open dir", d >= 0);
	check("fstat dir", fstat(d, &st2));
	check_yes("a directory", S_ISDIR(st2.st_mode));
	check("read dir", read(d, buf, 1));
	int self_type, dot_type, dotdot;
	int entries = list(d, &self_type, &dot_type, &dotdot);
	check_yes("listed", entries >= 3);
	check_yes("own name listed as DT_REG", self_type == DT_REG);
	check_yes(". listed as DT_DIR", dot_type == DT_DIR);
	check_yes(".. listed as DT_DIR", dotdot == DT_DIR);
	check("getdents64 at the end", syscall(SYS_getdents64, d, buf, sizeof(buf)));
	check("rewind", lseek(d, 0, SEEK_SET));
	check("getdents64 buffer too small", syscall(SYS_getdents64, d, buf, 8));
	check_yes("listing again", list(d, &self_type, &dot_type, &dotdot) == entries);
	check("getdents64 on a file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	check("getdents64 on fd 99", syscall(SYS_getdents64, 99, buf, sizeof(buf)));

	int at = openat(d, base, O_RDONLY);
	check_yes("openat dir, own name", at >= 0);
	check("fstat it", fstat(at, &st2));
	check_yes("same file", st2.st_ino == st.st_ino && st2.st_size == st.st_size);
	close(at);
	check("openat file fd", openat(fd, base, O_RDONLY));
	check("fstatat dir, own name", fstatat(d, base, &st2, 0));
	check("fstatat empty path", fstatat(d, "", &st2, AT_EMPTY_PATH));
	check_yes("is the directory", S_ISDIR(st2.st_mode));

	check("access R_OK", access(argv[0], R_OK));
	check("access X_OK", access(argv[0], X_OK));
	check("access missing", access(path, F_OK));
	check("access bad mode", access(argv[0], 99));
	check("readlink of a file", readlink(argv[0], buf, sizeof(buf)));

	check("chdir file", chdir(argv[0]));
	check("chdir missing", chdir("no-such-dir-here"));
	check("chdir dir", chdir(dir));
	check("stat relative", stat(base, &st2));
	check_yes("relative is the same file", st2.st_ino == st.st_ino);
	char cwd[4096];
	check_yes("getcwd", getcwd(cwd, sizeof(cwd)) == cwd);
	check("stat getcwd", stat(cwd, &st2));
	check_yes("getcwd is the directory", S_ISDIR(st2.st_mode));
	check_yes("getcwd too small", syscall(SYS_getcwd, cwd, 1) == -1 && errno == ERANGE);
	const char *leaf = strrchr(dir, '/') + 1;
	snprintf(path, sizeof(path), "../%s//./%s", leaf, base);
	check("stat ../dir//./name", stat(path, &st2));
	check("chdir /", chdir("/"));
	check("fchdir dir", fchdir(d));
	check("stat relative after fchdir", stat(base, &st2));
	check("fchdir file", fchdir(fd));

	check("close dir", close(d));
	check("close file", close(fd));
	check("fstat closed", fstat(fd, &st2));
	test_end();
	return 0;
}
