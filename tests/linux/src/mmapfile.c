/* Private mappings of files: the file's bytes from the offset, zeros past
 * its end, writes that stay the process's own; /dev/zero as anonymous
 * memory; what cannot be mapped. Works in a directory of its own in /tmp. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	char dir[] = "/tmp/mmapfile.XXXXXX", path[64];
	test_begin("mmapfile");
	if (!mkdtemp(dir)) {
		printf("mkdtemp failed\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/data", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char text[PAGE + 100];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	check("write", write(fd, text, sizeof(text)));

	char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check_yes("mmap private", m != MAP_FAILED);
	check_yes("first page is the file's", memcmp(m, text, PAGE) == 0);
	check_yes("second page holds the rest", memcmp(m + PAGE, text + PAGE, 100) == 0);
	check_yes("then zeros", m[PAGE + 100] == 0 && m[2 * PAGE - 1] == 0);
	m[0] = 'Z';
	char first;
	pread(fd, &first, 1, 0);
	check_yes("a write to the mapping leaves the file", first == 'a');
	check("munmap", munmap(m, 3 * PAGE));

	char *at = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	check_yes("mmap at an offset", at != MAP_FAILED && memcmp(at, text + PAGE, 100) == 0);
	check_yes("unaligned offset",
	          mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 10) == MAP_FAILED &&
	                  errno == EINVAL);
	close(fd);

	fd = open(path, O_WRONLY);
	check_yes("write-only descriptor",
	          mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EACCES);
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check_yes("directory",
	          mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == ENODEV);
	close(fd);
	int pipefd[2];
	pipe(pipefd);
	check_yes("pipe", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipefd[0], 0) == MAP_FAILED &&
	                          errno == ENODEV);
	close(pipefd[0]);
	close(pipefd[1]);
	check_yes("closed descriptor",
	          mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 77, 0) == MAP_FAILED && errno == EBADF);

	fd = open("/dev/zero", O_RDWR);
	char *z = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check_yes("/dev/zero maps zeros", z != MAP_FAILED && z[0] == 0 && z[2 * PAGE - 1] == 0);
	z[5] = 1;
	check_yes("and is writable", z[5] == 1);
	close(fd);

	unlink(path);
	rmdir(dir);
	test_end();
	return 0;
}
