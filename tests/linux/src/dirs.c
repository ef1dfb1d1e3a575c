/* The name space: mkdir, rmdir, unlink, unlinkat, rename, renameat2
 * (RENAME_NOREPLACE, RENAME_EXCHANGE), link, symlink, readlink, chdir,
 * fchdir, getcwd, openat with a directory descriptor, getdents64 (listed
 * sorted, as the order differs between file systems) and link counts; with
 * the errors of each. Everything happens in a fresh directory under /tmp,
 * removed at the end. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static char top[64];

static long links_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) < 0 ? -1 : (long)st.st_nlink;
}

static void touch(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

static void show_file(const char *what, const char *path)
{
	char buf[32] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		check(what, -1);
		return;
	}
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s: %s\n", what, buf);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory path, sorted, on one line. */
static void show_dir(const char *what, const char *path)
{
	char *names[64];
	int n = 0;
	DIR *d = opendir(path);
	if (!d) {
		check(what, -1);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	printf("%s:", what);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void making_and_removing(void)
{
	check("mkdir", mkdir("d", 0755));
	check("mkdir again", mkdir("d", 0755));
	check("mkdir with a trailing slash", mkdir("e/", 0700));
	check("mkdir under a missing directory", mkdir("none/x", 0755));
	touch("file", "data");
	check("mkdir under a file", mkdir("file/x", 0755));
	check("mkdir dot", mkdir(".", 0755));
	check("links of a new directory", links_of("d"));
	mkdir("d/sub", 0755);
	check("links with a subdirectory", links_of("d"));
	touch("d/f", "in d");
	show_dir("d holds", "d");
	check("rmdir a non-empty directory", rmdir("d"));
	check("rmdir a file", rmdir("file"));
	check("rmdir dot", rmdir("d/sub/."));
	check("rmdir missing", rmdir("none"));
	check("unlink a directory", unlink("d/sub"));
	check("unlink missing", unlink("none"));
	check("unlink with a trailing slash", unlink("file/"));
	check("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "d/sub", AT_REMOVEDIR));
	check("unlinkat bad flags", unlinkat(AT_FDCWD, "d/f", 1));
	check("links after removing it", links_of("d"));
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	check("a name too long", mkdir(longname, 0755));
	/* A path over 255 bytes of short names is fine. */
	char deep[600] = "";
	int made = 0;
	for (int i = 0; i < 100; i++) {
		strcat(deep, i ? "/dd" : "dd");
		made += mkdir(deep, 0755) == 0;
	}
	check("directories made 100 deep", made);
	check("a path of 299 bytes", access(deep, F_OK));
	int fd = open(deep, O_RDONLY | O_DIRECTORY);
	check("fchdir to the deepest", fchdir(fd));
	char cwd[1024];
	check_yes("getcwd over 300 bytes", getcwd(cwd, sizeof(cwd)) && strlen(cwd) > 300);
	chdir(top);
	close(fd);
	for (int i = 99; i >= 0; i--) {
		rmdir(deep);
		deep[strlen(deep) - (i ? 3 : 2)] = 0;
	}
	check("all removed", access("dd", F_OK));
}

static void renaming(void)
{
	touch("r1", "one");
	touch("r2", "two");
	check("rename over a file", rename("r1", "r2"));
	show_file("r2 now", "r2");
	check("the old name", access("r1", F_OK));
	check("rename missing", rename("none", "x"));
	mkdir("rd", 0755);
	mkdir("rd/in", 0755);
	check("rename a directory into itself", rename("rd", "rd/in/rd"));
	check("rename a directory over a file", rename("rd", "r2"));
	check("rename a file over a directory", rename("r2", "rd"));
	mkdir("full", 0755);
	touch("full/x", "x");
	check("rename over a non-empty directory", rename("rd", "full"));
	mkdir("empty", 0755);
	check("rename over an empty directory", rename("rd", "empty"));
	show_dir("empty now holds", "empty");
	check("links of the parent", links_of("."));
	check("rename to the same name", rename("r2", "r2"));
	check("rename dot", rename(".", "dot"));
	check("rename with a trailing slash on a file", rename("r2", "r3/"));
	check("renameat2 RENAME_NOREPLACE",
	      syscall(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "full/x", RENAME_NOREPLACE));
	check("renameat2 RENAME_EXCHANGE",
	      syscall(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "full/x", RENAME_EXCHANGE));
	show_file("r2 after the exchange", "r2");
	show_file("full/x after the exchange", "full/x");
	check("renameat2 both flags", syscall(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "full/x",
	                                      RENAME_NOREPLACE | RENAME_EXCHANGE));
	check("rename a directory elsewhere", rename("empty", "full/moved"));
	check("links of the old parent", links_of("."));
	check("links of the new parent", links_of("full"));
	show_dir("full holds", "full");
	check("rename /proc's entry out", rename("/proc/self", "stolen"));
}

static void linking(void)
{
	char buf[64] = {0};
	touch("orig", "linked");
	check("link", link("orig", "hard"));
	check("links now", links_of("orig"));
	show_file("through the new name", "hard");
	check("link to an existing name", link("orig", "hard"));
	check("link a directory", link("full", "full2"));
	check("link missing", link("none", "x"));
	check("rename between two links", rename("orig", "hard"));
	check("both names stay", access("orig", F_OK) == 0 && access("hard", F_OK) == 0);
	check("unlink one", unlink("hard"));
	check("links left", links_of("orig"));

	check("symlink", symlink("orig", "sym"));
	check("readlink", readlink("sym", buf, sizeof(buf)));
	printf("target: %s\n", buf);
	check("readlink cut short", readlink("sym", buf, 2));
	check("readlink size 0", readlink("sym", buf, 0));
	check("readlink a file", readlink("orig", buf, sizeof(buf)));
	check("readlink missing", readlink("none", buf, sizeof(buf)));
	check("symlink an existing name", symlink("x", "orig"));
	check("symlink an empty target", symlink("", "empty"));
	show_file("through the symlink", "sym");
	check("symlink loop", symlink("loop", "loop"));
	check("open a loop", open("loop", O_RDONLY));
	check("stat through a directory symlink", symlink("full", "dirlink"));
	show_file("dirlink/x", "dirlink/x");
	check("linkat AT_SYMLINK_FOLLOW",
	      linkat(AT_FDCWD, "sym", AT_FDCWD, "hard2", AT_SYMLINK_FOLLOW));
	check("links of the target", links_of("orig"));
	check("link the symlink itself", linkat(AT_FDCWD, "sym", AT_FDCWD, "sym2", 0));
	check("links of the symlink", links_of("sym"));
}

static void directories(void)
{
	char cwd[256], here[256];
	getcwd(here, sizeof(here));
	check("chdir", chdir("full"));
	getcwd(cwd, sizeof(cwd));
	check_yes("getcwd is the directory",
	          strlen(cwd) == strlen(here) + 5 && strcmp(cwd + strlen(here), "/full") == 0);
	check("getcwd too small", syscall(SYS_getcwd, cwd, 3));
	check("getcwd bad pointer", syscall(SYS_getcwd, (char *)8, sizeof(cwd)));
	check("chdir ..", chdir(".."));
	check("chdir to a file", chdir("orig"));
	check("chdir missing", chdir("none"));
	int fd = open("full", O_RDONLY | O_DIRECTORY);
	check("openat relative to it", openat(fd, "x", O_RDONLY) >= 0);
	check("mkdirat relative to it", mkdirat(fd, "made", 0755));
	check("fchdir", fchdir(fd));
	check("made is here", access("made", F_OK));
	chdir(here);
	int file = open("orig", O_RDONLY);
	check("openat relative to a file", openat(file, "x", O_RDONLY));
	check("openat with a bad descriptor", openat(99, "x", O_RDONLY));
	check("openat absolute ignores it", openat(99, "/", O_RDONLY) >= 0);
	check("fchdir to a file", fchdir(file));
	close(file);
	close(fd);

	/* A removed current directory: empty for good. */
	mkdir("gone", 0755);
	chdir("gone");
	check("rmdir the current directory", rmdir("../gone"));
	check("getcwd in it", syscall(SYS_getcwd, cwd, sizeof(cwd)));
	check("create in it", open("new", O_CREAT | O_RDWR, 0644));
	check("mkdir in it", mkdir("new", 0755));
	chdir(here);
}

static void cleanup(void)
{
	const char *files[] = {"file", "d/f",  "r2",      "full/x", "full/moved/in", "orig",
	                       "sym",  "loop", "dirlink", "hard2",  "sym2"};
	const char *dirs[] = {"d", "e", "full/moved/in", "full/moved", "full/made", "full"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(dirs[i]);
	show_dir("left over", ".");
	chdir("/");
	check("cleaned up", rmdir(top));
}

int main(void)
{
	test_begin("dirs");
	snprintf(top, sizeof(top), "/tmp/dirs.XXXXXX");
	if (!mkdtemp(top) || chdir(top) < 0) {
		check("mkdtemp", -1);
		return 1;
	}
	making_and_removing();
	renaming();
	linking();
	directories();
	cleanup();
	test_end();
	return 0;
}
