/* Writing files: open's creation flags, write, pwrite64, writev, pwritev,
 * lseek with holes, O_APPEND, truncate and ftruncate, umask, chmod, chown,
 * utimensat, fsync, an unlinked file that stays open, and an offset shared
 * by dup and fork; with the errors of each. Everything happens in a fresh
 * directory under /tmp, removed at the end. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char top[64];

static void show_mode(const char *what, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		check(what, -1);
	else
		printf("%s: %o\n", what, (unsigned)(st.st_mode & 07777));
}

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

static void creating(void)
{
	umask(022);
	int fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0666);
	check("create with O_EXCL", fd >= 0 ? 0 : -1);
	show_mode("mode after umask 022", "f");
	check("O_EXCL again", open("f", O_CREAT | O_EXCL | O_RDWR, 0666));
	check("umask returns the old mask", umask(077));
	int g = open("g", O_CREAT | O_WRONLY, 0666);
	show_mode("mode after umask 077", "g");
	close(g);
	umask(022);
	check("open missing without O_CREAT", open("none", O_RDONLY));
	check("O_CREAT under a file", open("f/x", O_CREAT | O_RDWR, 0644));
	check("O_CREAT with a trailing slash", open("new/", O_CREAT | O_RDWR, 0644));
	check("O_DIRECTORY on a file", open("f", O_RDONLY | O_DIRECTORY));
	check("a directory for writing", open(".", O_WRONLY));
	check("a bad path pointer", open((char *)8, O_RDONLY));
	check("symlink", symlink("f", "l"));
	check("O_NOFOLLOW on a symlink", open("l", O_RDONLY | O_NOFOLLOW));
	check("O_CREAT|O_EXCL on a symlink", open("l", O_CREAT | O_EXCL | O_RDWR, 0644));
	check("dangling symlink", symlink("made", "dangling"));
	int d = open("dangling", O_CREAT | O_WRONLY, 0644);
	check_yes("O_CREAT through it makes the target", d >= 0 && size_of("made") == 0);
	close(d);
	int c = creat("c", 0644);
	check("creat writes", write(c, "abc", 3));
	close(c);
	check("size after creat", size_of("c"));
	c = open("c", O_WRONLY | O_TRUNC);
	check("O_TRUNC empties", size_of("c"));
	close(c);
	close(fd);
}

static void reading_and_writing(void)
{
	char buf[32] = {0};
	int fd = open("f", O_RDWR);
	check("write", write(fd, "hello world", 11));
	check("lseek to 0", lseek(fd, 0, SEEK_SET));
	check("read", read(fd, buf, sizeof(buf)));
	printf("text: %s\n", buf);
	check("read at the end", read(fd, buf, sizeof(buf)));
	check("lseek SEEK_CUR -5", lseek(fd, -5, SEEK_CUR));
	check("lseek SEEK_END +4", lseek(fd, 4, SEEK_END));
	check("lseek before 0", lseek(fd, -100, SEEK_SET));
	check("lseek bad whence", lseek(fd, 0, 7));
	check("pwrite", pwrite(fd, "HELLO", 5, 0));
	memset(buf, 0, sizeof(buf));
	check("pread", pread(fd, buf, 5, 0));
	printf("pread text: %s\n", buf);
	check("offset untouched by pwrite and pread", lseek(fd, 0, SEEK_CUR));
	check("pread negative offset", pread(fd, buf, 1, -1));
	check("write from a bad pointer", write(fd, (char *)8, 4));
	check("read into a bad pointer", pread(fd, (char *)8, 4, 0));

	/* A hole: bytes never written read as zeros. */
	check("lseek past the end", lseek(fd, 10000, SEEK_SET));
	check("write after a hole", write(fd, "x", 1));
	check("size with the hole", size_of("f"));
	char hole[8];
	check("pread in the hole", pread(fd, hole, sizeof(hole), 5000));
	int zeros = 1;
	for (size_t i = 0; i < sizeof(hole); i++)
		zeros &= hole[i] == 0;
	check_yes("the hole is zeros", zeros);
	struct stat st;
	check("write far past the end", pwrite(fd, "y", 1, 1 << 20));
	fstat(fd, &st);
	check_yes("a sparse file holds fewer blocks than its size",
	          st.st_blocks > 0 && st.st_blocks < (1 << 20) / 512);
	check("ftruncate back", ftruncate(fd, 10001));

	/* Vectors. */
	struct iovec iov[2] = {{"ab", 2}, {"cdef", 4}};
	check("writev", writev(fd, iov, 2));
	check("pwritev", pwritev(fd, iov, 2, 1));
	char x[3] = {0}, y[4] = {0};
	struct iovec in[2] = {{x, 2}, {y, 3}};
	check("preadv", preadv(fd, in, 2, 0));
	printf("preadv text: %s %s\n", x, y);
	check("readv at the end", readv(fd, in, 2));
	struct iovec bad[1] = {{(void *)8, 4}};
	check("writev from a bad pointer", writev(fd, bad, 1));
	check("writev with a negative count", writev(fd, iov, -1));
	close(fd);

	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
	check("write on O_RDONLY", write(ro, "x", 1));
	check("read on O_WRONLY", read(wo, buf, 1));
	check("read of 0 bytes on O_WRONLY", read(wo, buf, 0));
	check("write of 0 bytes on O_RDONLY", write(ro, buf, 0));
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	check("read a directory", read(dir, buf, 1));
	check("read 0 bytes of a directory", read(dir, buf, 0));
	check("pread a directory", pread(dir, buf, 1, 0));
	close(dir);
	check("ftruncate on O_RDONLY", ftruncate(ro, 0));
	close(ro);
	close(wo);
}

static void appending_and_truncating(void)
{
	char buf[32] = {0};
	int fd = open("a", O_CREAT | O_RDWR | O_APPEND, 0644);
	write(fd, "one", 3);
	lseek(fd, 0, SEEK_SET);
	check("O_APPEND writes at the end", write(fd, "two", 3));
	check("offset after the append", lseek(fd, 0, SEEK_CUR));
	pread(fd, buf, sizeof(buf) - 1, 0);
	printf("appended: %s\n", buf);
	check("F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);

	check("ftruncate shrinks", ftruncate(fd, 2));
	check("size", size_of("a"));
	check("ftruncate grows", ftruncate(fd, 6));
	memset(buf, 'z', sizeof(buf));
	check("pread after growing", pread(fd, buf, sizeof(buf), 0));
	check_yes("the grown part is zeros",
	          buf[0] == 'o' && buf[1] == 'n' && buf[2] == 0 && buf[5] == 0);
	check("ftruncate negative", ftruncate(fd, -1));
	check("truncate by path", truncate("a", 1));
	check("size", size_of("a"));
	check("truncate a directory", truncate(".", 0));
	check("truncate missing", truncate("none", 0));
	check("fsync", fsync(fd));
	check("fdatasync", fdatasync(fd));
	check("fsync a bad descriptor", fsync(99));
	close(fd);
	int p[2];
	pipe(p);
	check("fsync a pipe", fsync(p[0]));
	close(p[0]);
	close(p[1]);
}

static void attributes(void)
{
	struct stat st;
	check("chmod", chmod("f", 0751));
	show_mode("mode", "f");
	int fd = open("f", O_RDONLY);
	check("fchmod", fchmod(fd, 0640));
	show_mode("mode", "f");
	check("fchmodat", fchmodat(AT_FDCWD, "f", 04755, 0));
	show_mode("mode", "f");
	check("chown", chown("f", 1000, 1001));
	stat("f", &st);
	printf("owner: %u %u, mode %o\n", st.st_uid, st.st_gid, (unsigned)(st.st_mode & 07777));
	check("fchown, the group only", fchown(fd, -1, 7));
	stat("f", &st);
	printf("owner: %u %u\n", st.st_uid, st.st_gid);
	check("lchown the symlink", lchown("l", 5, 5));
	lstat("l", &st);
	printf("symlink owner: %u\n", st.st_uid);
	stat("f", &st);
	printf("its target's: %u\n", st.st_uid);
	check("chown missing", chown("none", 0, 0));
	chown("f", 0, 0);

	struct timespec t[2] = {{1000000, 5}, {2000000, 7}};
	check("utimensat", utimensat(AT_FDCWD, "f", t, 0));
	stat("f", &st);
	printf("times: %ld.%ld %ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct timespec omit[2] = {{0, UTIME_OMIT}, {3000000, 0}};
	check("utimensat omitting atime", utimensat(AT_FDCWD, "f", omit, 0));
	stat("f", &st);
	printf("times: %ld %ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	check("futimens now", futimens(fd, NULL));
	stat("f", &st);
	check_yes("mtime is now", st.st_mtim.tv_sec > 3000000);
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	check("utimensat bad nsec", utimensat(AT_FDCWD, "f", bad, 0));
	check("utimensat bad pointer", syscall(SYS_utimensat, AT_FDCWD, "f", (void *)8, 0));
	check("utimensat bad flags", utimensat(AT_FDCWD, "f", NULL, 0x8000));
	check("access W_OK", access("f", W_OK));
	check("access X_OK without x", access("c", X_OK));
	close(fd);

	struct statfs sf;
	check("statfs", statfs(".", &sf));
	check_yes("names up to 255", sf.f_namelen == 255);
	check("statfs missing", statfs("none", &sf));
	check("fstatfs bad descriptor", fstatfs(99, &sf));
}

static void sharing(void)
{
	char buf[8] = {0};
	int fd = open("s", O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	lseek(fd, 0, SEEK_SET);
	int d = dup(fd);
	read(d, buf, 2);
	check("dup shares the offset", lseek(fd, 0, SEEK_CUR));
	pid_t pid = fork();
	if (pid == 0) {
		read(fd, buf, 3);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	check("a fork'd child moves the parent's offset", lseek(fd, 0, SEEK_CUR));
	umask(027);
	pid = fork();
	if (pid == 0) {
		close(open("inherited", O_CREAT | O_WRONLY, 0666));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	umask(022);
	show_mode("a child inherits the umask", "inherited");
	unlink("inherited");
	close(d);

	/* Unlinked while open: the data stays until the last close. */
	check("unlink while open", unlink("s"));
	struct stat st;
	fstat(fd, &st);
	printf("links: %ld\n", (long)st.st_nlink);
	memset(buf, 0, sizeof(buf));
	check("still readable", pread(fd, buf, 4, 0));
	printf("text: %s\n", buf);
	check("still writable", pwrite(fd, "ab", 2, 20));
	check("stat by name", stat("s", &st));
	close(fd);
}

static void cleanup(void)
{
	const char *names[] = {"f", "g", "l", "dangling", "made", "c", "a"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	chdir("/");
	check("cleaned up", rmdir(top));
}

int main(void)
{
	test_begin("files_rw");
	snprintf(top, sizeof(top), "/tmp/files_rw.XXXXXX");
	if (!mkdtemp(top) || chdir(top) < 0) {
		check("mkdtemp", -1);
		return 1;
	}
	creating();
	reading_and_writing();
	appending_and_truncating();
	attributes();
	sharing();
	cleanup();
	test_end();
	return 0;
}
