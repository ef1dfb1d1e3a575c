/* munmap, mprotect and the protections they leave: a touch that is not
 * allowed raises SIGSEGV (caught, with its si_code), areas split where a
 * call cuts them, unmapped memory comes back as zeros, the errors Linux
 * gives; the program's own pages; brk giving memory back; and fork's
 * copy-on-write: parent and child each see only their own writes, also
 * when the kernel writes for them (read) or reads (write). */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf fault_jump;
static volatile int fault_code;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jump, 1);
}

/* What the last try raised, for a line: "SEGV_MAPERR", "SEGV_ACCERR". */
static const char *fault_name(void)
{
	return fault_code == SEGV_MAPERR ? "SEGV_MAPERR" :
	       fault_code == SEGV_ACCERR ? "SEGV_ACCERR" :
	                                   "another si_code";
}

/* "what: ok" when reading (or writing v to) p works, else the SIGSEGV's
 * si_code, and whether si_addr is p. */
static void try_access(const char *what, volatile char *p, int write, char v)
{
	fault_code = 0;
	fault_addr = NULL;
	if (sigsetjmp(fault_jump, 1)) {
		printf("%s: SIGSEGV %s%s\n", what, fault_name(),
		       fault_addr == (void *)p ? "" : " at another address");
		return;
	}
	if (write)
		*p = v;
	else
		(void)*p;
	printf("%s: ok\n", what);
}

static void try_read(const char *what, volatile char *p)
{
	try_access(what, p, 0, 0);
}

static void try_write(const char *what, volatile char *p, char v)
{
	try_access(what, p, 1, v);
}

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		exit(1);
	}
	return p;
}

static int all_are(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void test_munmap(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
	memset(p, 'x', 3 * PAGE);
	check("munmap the middle page", munmap(p + PAGE, PAGE));
	try_read("read the first page", p);
	try_read("read the unmapped middle", p + PAGE);
	try_write("write the unmapped middle", p + PAGE + 5, 1);
	try_read("read the third page", p + 2 * PAGE);
	check_yes("the pages around the hole keep their bytes",
	          all_are(p, PAGE, 'x') && all_are(p + 2 * PAGE, PAGE, 'x'));
	check("munmap all three (one is a hole already)", munmap(p, 3 * PAGE));
	try_read("read the first page after munmap", p);
	check("munmap of nothing mapped", munmap(p, 3 * PAGE));

	char *q = map(2 * PAGE, PROT_READ | PROT_WRITE);
	memset(q, 'y', 2 * PAGE);
	munmap(q, 2 * PAGE);
	char *r = map(2 * PAGE, PROT_READ | PROT_WRITE);
	check_yes("a new mapping after munmap reads zeros", all_are(r, 2 * PAGE, 0));
	memset(r, 'z', 2 * PAGE);
	munmap(r, 2 * PAGE);
	char *f = mmap(r, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	               -1, 0);
	check_yes("MAP_FIXED where a mapping was reads zeros", f == r && all_are(f, 2 * PAGE, 0));
	memset(f, 'w', 2 * PAGE);
	char *g = mmap(f + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check_yes("MAP_FIXED over a mapping replaces it", g == f + PAGE && all_are(g, PAGE, 0));
	try_write("write the replacement (PROT_READ)", g, 1);
	check_yes("the page before keeps its bytes", all_are(f, PAGE, 'w'));
	munmap(f, 2 * PAGE);
}

static void test_mprotect(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	memset(p, 'a', 4 * PAGE);
	check("mprotect PROT_READ", mprotect(p, 4 * PAGE, PROT_READ));
	try_read("read a PROT_READ page", p + 10);
	try_write("write a PROT_READ page", p + 10, 'b');
	check("mprotect PROT_NONE", mprotect(p, 4 * PAGE, PROT_NONE));
	try_read("read a PROT_NONE page", p + PAGE);
	try_write("write a PROT_NONE page", p + PAGE, 'b');
	check("mprotect back to read-write", mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE));
	check_yes("the contents survived", all_are(p, 4 * PAGE, 'a'));
	try_write("write it again", p + 10, 'c');

	check("mprotect one page in the middle", mprotect(p + PAGE, PAGE, PROT_READ));
	try_write("write the page before", p + 5, 'd');
	try_write("write the read-only middle", p + PAGE + 5, 'd');
	try_write("write the page after", p + 2 * PAGE + 5, 'd');

	/* A fresh mapping's pages appear read-only when first touched. */
	char *ro = map(PAGE, PROT_READ);
	try_read("read an untouched PROT_READ page", ro);
	check_yes("it reads zeros", all_are(ro, PAGE, 0));
	try_write("write it", ro, 1);
	char *none = map(PAGE, PROT_NONE);
	try_read("read an untouched PROT_NONE page", none);

	check("munmap a page to make a hole", munmap(p + 2 * PAGE, PAGE));
	check("mprotect over the hole", mprotect(p, 4 * PAGE, PROT_READ));
	try_write("the pages before the hole changed", p, 'e');
	try_write("the page after the hole did not", p + 3 * PAGE, 'e');
	check("mprotect starting in the hole", mprotect(p + 2 * PAGE, 2 * PAGE, PROT_NONE));
	try_read("and changed nothing", p + 3 * PAGE);
	munmap(p, 4 * PAGE);
	munmap(ro, PAGE);
	munmap(none, PAGE);
}

static void test_guard_page(void)
{
	char *p = map(5 * PAGE, PROT_NONE);
	check("mprotect the buffer above a guard page",
	      mprotect(p + PAGE, 4 * PAGE, PROT_READ | PROT_WRITE));
	char *buf = p + PAGE;
	memset(buf, 'g', 4 * PAGE);
	check_yes("the buffer is usable", all_are(buf, 4 * PAGE, 'g'));
	try_write("write just below the buffer", buf - 1, 1);
	try_read("read just below the buffer", buf - 1);
	munmap(p, 5 * PAGE);
}

static void test_errors(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	check("munmap unaligned", munmap(p + 1, PAGE));
	check("munmap length 0", munmap(p, 0));
	check("munmap past the user half", munmap((void *)0xfffffffffffff000UL, PAGE));
	check("mprotect unaligned (raw)", syscall(SYS_mprotect, p + 1, PAGE, PROT_READ));
	check("mprotect unknown bits", mprotect(p, PAGE, 0x40));
	check("mprotect GROWSDOWN and GROWSUP", mprotect(p, PAGE, PROT_READ | 0x03000000));
	check("mprotect length 0", mprotect(p, 0, PROT_READ));
	check("mprotect length 0, unknown bits", mprotect(p, 0, 0x40));
	check("mprotect wrapping around", syscall(SYS_mprotect, p, -(long)PAGE, PROT_READ));
	munmap(p, 2 * PAGE);
	check("mprotect of nothing mapped", mprotect(p, PAGE, PROT_READ));
	check("mmap MAP_FIXED unaligned",
	      mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	                      MAP_FAILED ?
	              -1 :
	              0);

	char *n = mmap(p, 2 * PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check_yes("MAP_FIXED_NOREPLACE where nothing is", n == p);
	errno = 0;
	char *again = mmap(p + PAGE, PAGE, PROT_READ,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check("MAP_FIXED_NOREPLACE over a mapping", again == MAP_FAILED ? -1 : 0);
	munmap(p, 2 * PAGE);
}

static void test_mremap(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
	memset(p, 'm', 3 * PAGE);
	check_yes("mremap shrinks", mremap(p, 3 * PAGE, PAGE, 0) == p);
	try_read("read the tail it gave back", p + PAGE);
	check("mprotect PROT_READ", mprotect(p, PAGE, PROT_READ));
	char *q = mremap(p, PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	check_yes("mremap grows", q != MAP_FAILED);
	check_yes("the bytes came along", all_are(q, PAGE, 'm') && all_are(q + PAGE, 7 * PAGE, 0));
	try_write("and stay read-only", q, 1);
	if (q != p)
		try_read("the old address is gone", p);
	else
		printf("the old address is gone: SIGSEGV SEGV_MAPERR\n");

	char *target = map(2 * PAGE, PROT_READ | PROT_WRITE);
	memset(target, 't', 2 * PAGE);
	char *moved = mremap(q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
	check_yes("MREMAP_FIXED moves to the address", moved == target + PAGE);
	check_yes("with the bytes", all_are(moved, PAGE, 'm'));
	check_yes("the page before the target stays", all_are(target, PAGE, 't'));
	try_read("the moved page's old address is gone", q);
	check_yes("MREMAP_FIXED onto itself",
	          mremap(target, 2 * PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE) ==
	                          MAP_FAILED &&
	                  errno == EINVAL);
	munmap(q, 8 * PAGE);
	munmap(target, 2 * PAGE);
}

/* Pages of the program itself, each alone in its page: constants, and
 * data that is given away. */
static const char constant[PAGE] __attribute__((aligned(PAGE))) = {'k'};
static char data_page[PAGE] __attribute__((aligned(PAGE))) = {'d'};
static char unmapped_page[PAGE] __attribute__((aligned(PAGE))) = {'u'};

static void test_program_pages(void)
{
	try_read("read a constant", (volatile char *)constant);
	try_write("write a constant", (volatile char *)constant, 1);
	check("mprotect a data page PROT_READ", mprotect(data_page, PAGE, PROT_READ));
	try_read("read it", data_page);
	try_write("write it", data_page, 1);
	check("mprotect it read-write", mprotect(data_page, PAGE, PROT_READ | PROT_WRITE));
	try_write("write it now", data_page + 1, 'e');
	check_yes("it kept its bytes", data_page[0] == 'd' && data_page[1] == 'e');
	check("munmap a data page", munmap(unmapped_page, PAGE));
	try_read("read it after munmap", unmapped_page);
}

static void test_brk(void)
{
	/* musl's brk() always fails: the system call. */
	uintptr_t start = syscall(SYS_brk, 0);
	uintptr_t top = (start + PAGE - 1) & -(uintptr_t)PAGE;
	check_yes("brk grows", (uintptr_t)syscall(SYS_brk, top + 2 * PAGE) == top + 2 * PAGE);
	memset((char *)top, 'h', 2 * PAGE);
	check_yes("brk shrinks", (uintptr_t)syscall(SYS_brk, top + PAGE) == top + PAGE);
	try_read("read what brk gave back", (char *)top + PAGE);
	check_yes("brk grows again", (uintptr_t)syscall(SYS_brk, top + 2 * PAGE) == top + 2 * PAGE);
	check_yes("the page kept reads its bytes", all_are((char *)top, PAGE, 'h'));
	check_yes("the page given back reads zeros", all_are((char *)top + PAGE, PAGE, 0));
	char *in_way = mmap((char *)top + 4 * PAGE, PAGE, PROT_READ,
	                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check_yes("a mapping above the break", in_way == (char *)top + 4 * PAGE);
	check_yes("brk cannot grow over it",
	          (uintptr_t)syscall(SYS_brk, top + 8 * PAGE) == top + 2 * PAGE);
	munmap(in_way, PAGE);
	check_yes("brk back to where it was", (uintptr_t)syscall(SYS_brk, start) == start);
}

/* Written by parent and child after the fork: each must see only its
 * own writes. */
static int data_var = 1;
static int bss_var;
static char shared_buf[PAGE] __attribute__((aligned(PAGE)));
static char untouched_buf[PAGE] __attribute__((aligned(PAGE)));

struct places {
	volatile int *heap, *stack, *data, *bss, *mapped;
};

static void write_all(const struct places *w, int v)
{
	*w->heap = v;
	*w->stack = v;
	*w->data = v;
	*w->bss = v;
	*w->mapped = v;
}

static int all_hold(const struct places *w, int v)
{
	return *w->heap == v && *w->stack == v && *w->data == v && *w->bss == v && *w->mapped == v;
}

/* The child: write 2 everywhere, tell the parent, wait for its writes,
 * then check that only its own are seen. Its exit status says what
 * went wrong (bits). */
static int child_side(const struct places *w, int to_parent, int from_parent)
{
	int bad = 0;
	write_all(w, 2);
	char c = 0;
	write(to_parent, "c", 1);
	read(from_parent, &c, 1);
	if (!all_hold(w, 2))
		bad |= 1;
	/* The kernel writes into a page the fork shares, then reads one. */
	if (read(from_parent, shared_buf, 5) != 5 || memcmp(shared_buf, "child", 5))
		bad |= 2;
	if (write(to_parent, untouched_buf, 8) != 8)
		bad |= 4;
	return bad;
}

static void test_fork(void)
{
	volatile int stack_var = 1;
	volatile int *heap = malloc(sizeof(int));
	volatile int *mapped = (volatile int *)map(PAGE, PROT_READ | PROT_WRITE);
	*heap = 1;
	*mapped = 1;
	memset(shared_buf, 's', PAGE);
	memset(untouched_buf, 'u', PAGE);
	struct places w = {heap, &stack_var, &data_var, &bss_var, mapped};
	bss_var = 1;
	int to_parent[2], from_parent[2];
	pipe(to_parent);
	pipe(from_parent);

	pid_t pid = fork();
	if (pid == 0)
		_exit(child_side(&w, to_parent[1], from_parent[0]));
	char c = 0;
	read(to_parent[0], &c, 1);
	check_yes("parent does not see the child's writes", all_hold(&w, 1));
	write_all(&w, 3);
	write(from_parent[1], "p", 1);
	write(from_parent[1], "child", 5);
	char got[8] = {0};
	check("read what the child wrote from a shared page", read(to_parent[0], got, 8));
	check_yes("it is the page's bytes", all_are(got, 8, 'u'));
	int status = 0;
	waitpid(pid, &status, 0);
	int bad = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	check_yes("child sees only its own writes", !(bad & 1));
	check_yes("child's read into a shared page", !(bad & 2));
	check_yes("child's write from a shared page", !(bad & 4));
	check_yes("parent still sees its own writes", all_hold(&w, 3));
	check_yes("parent's copy of the page the child read into is intact",
	          all_are(shared_buf, PAGE, 's'));
	int fd = open("/dev/zero", O_RDONLY);
	check("parent reads into that page", read(fd, shared_buf, 16));
	check_yes("and sees it", all_are(shared_buf, 16, 0) && all_are(shared_buf + 16, 16, 's'));
	close(fd);
	free((void *)heap);
	munmap((void *)mapped, PAGE);
}

/* Protections after fork: a hidden (PROT_NONE) page keeps its bytes in
 * the child, a read-only page stays read-only, and a page the child makes
 * writable again is its own. */
static void test_fork_protections(void)
{
	char *hidden = map(PAGE, PROT_READ | PROT_WRITE);
	char *ro = map(PAGE, PROT_READ | PROT_WRITE);
	memset(hidden, 'n', PAGE);
	memset(ro, 'o', PAGE);
	mprotect(hidden, PAGE, PROT_NONE);
	mprotect(ro, PAGE, PROT_READ);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		if (mprotect(hidden, PAGE, PROT_READ | PROT_WRITE) || !all_are(hidden, PAGE, 'n'))
			bad |= 1;
		memset(hidden, 'c', PAGE);
		fault_code = 0;
		if (!sigsetjmp(fault_jump, 1))
			*(volatile char *)ro = 1;
		if (fault_code != SEGV_ACCERR)
			bad |= 2;
		if (mprotect(ro, PAGE, PROT_READ | PROT_WRITE))
			bad |= 4;
		memset(ro, 'c', PAGE);
		_exit(bad);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	int bad = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	check_yes("child: a PROT_NONE page kept its bytes", !(bad & 1));
	check_yes("child: a PROT_READ page stays read-only", !(bad & 2));
	check_yes("child: mprotect it read-write", !(bad & 4));
	try_read("parent: the PROT_NONE page is still hidden", hidden);
	try_write("parent: the PROT_READ page is still read-only", ro, 1);
	mprotect(hidden, PAGE, PROT_READ);
	check_yes("parent: its bytes are its own",
	          all_are(hidden, PAGE, 'n') && all_are(ro, PAGE, 'o'));
	munmap(hidden, PAGE);
	munmap(ro, PAGE);
}

/* The kernel's copies respect protections: EFAULT. */
static void test_copies(void)
{
	char path[] = "/tmp/mman.XXXXXX";
	int fd = mkstemp(path);
	unlink(path);
	char *ro = map(PAGE, PROT_READ);
	char *none = map(PAGE, PROT_NONE);
	char *rw = map(PAGE, PROT_READ | PROT_WRITE);
	memset(rw, 'r', PAGE);
	check("write from a PROT_NONE page", write(fd, none, 10));
	check("write from a PROT_READ page", write(fd, ro, 10));
	check("write from a read-write page", write(fd, rw, 10));
	lseek(fd, 0, SEEK_SET);
	check("read into a PROT_READ page", read(fd, ro, 10));
	check("read into a PROT_NONE page", read(fd, none, 10));
	check("read into an unmapped page", read(fd, (char *)8192, 10));
	check("read into a read-write page", read(fd, rw + 100, 10));
	close(fd);
	munmap(ro, PAGE);
	munmap(none, PAGE);
	munmap(rw, PAGE);
}

int main(void)
{
	test_begin("mman");
	struct sigaction sa = {0};
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	test_errors();
	test_munmap();
	test_mprotect();
	test_guard_page();
	test_mremap();
	test_copies();
	test_brk();
	test_program_pages();
	test_fork();
	test_fork_protections();
	test_end();
	return 0;
}
