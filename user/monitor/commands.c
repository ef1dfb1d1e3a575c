/*
 * The monitor's command table and the commands themselves: each unpacks
 * its words, makes one or a few proc calls (atoll_rt/proc.h) and prints
 * the result through the console (io.h).
 */
#include "commands.h"

#include "io.h"
#include "parse.h"

#include <atoll/errors.h>
#include <atoll/proto/linux.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>

/* Bounds on the proc and ns listings, should proc never answer RANGE. */
#define LIST_MAX 4096
/* Where `linux` puts its connection to the personality (io.c has the slot before). */
#define LINUX_SLOT (PROC_SLOT_FIRST_FREE + 1)
/* ns_resolve attempts, an atoll_yield apart, while the personality starts. */
#define LINUX_RESOLVE_TRIES 1000
/* The environment a Linux program starts with. */
#define LINUX_ENV                                                            \
	{                                                                    \
		"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=vt100" \
	}
/* Bytes of log that `log` prints at most, should the log grow as fast as it is read. */

static const struct {
	const char *name, *meaning;
} error_names[ATOLL_E_COUNT] = {
#define X(name, value, meaning) [value] = {#name, meaning},
#include <atoll/errors.def>
#undef X
};

static const command_t *command_find(const char *name);

int command_fail(const char *cmd, atoll_error_t err)
{
	if ((unsigned)err < ATOLL_E_COUNT && error_names[err].name)
		io_printf("%s: %s (%s)\n", cmd, error_names[err].name, error_names[err].meaning);
	else
		io_printf("%s: error %d\n", cmd, (int)err);
	return COMMAND_STATUS_ERROR;
}

static int usage(const char *cmd)
{
	const char *args = command_find(cmd)->usage;
	io_printf("usage: %s%s%s\n", cmd, *args ? " " : "", args);
	return COMMAND_STATUS_ERROR;
}

static bool get_pid(const char *cmd, const char *word, uint64_t *pid)
{
	if (parse_u64(word, pid))
		return true;
	io_printf("%s: '%s' is not a pid\n", cmd, word);
	return false;
}

static uint64_t kib(uint64_t bytes)
{
	return bytes / 1024 + (bytes % 1024 != 0);
}

static const char *state_name(uint64_t state, char *buf, size_t size)
{
	switch (state) {
	case PROC_STATE_RUNNING:
		return "running";
	case PROC_STATE_ZOMBIE:
		return "zombie";
	default:
		snprintf(buf, size, "%lu", state);
		return buf;
	}
}

static int cmd_help(int argc, char **argv);

static int cmd_ps(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	io_printf("%5s %-16s %-8s %4s %9s %5s\n", "PID", "NAME", "STATE", "PRIO", "MEM", "CAPS");
	for (uint64_t i = 0; i < LIST_MAX; i++) {
		proc_info_t p;
		atoll_error_t err = proc_info(i, &p);
		if (err == ATOLL_E_RANGE)
			break;
		if (err)
			return command_fail(argv[0], err);
		char state[24];
		io_printf("%5lu %-16s %-8s %4lu %8luK %5lu\n", p.pid, p.name,
		          state_name(p.state, state, sizeof(state)), p.priority, kib(p.memory),
		          p.caps);
	}
	return 0;
}

/* The name of process pid, or "-" when proc does not list it. */
static void owner_name(uint64_t pid, char *name, size_t size)
{
	for (uint64_t i = 0; i < LIST_MAX; i++) {
		proc_info_t p;
		if (proc_info(i, &p))
			break;
		if (p.pid == pid) {
			snprintf(name, size, "%s", p.name);
			return;
		}
	}
	snprintf(name, size, "-");
}

static int cmd_ns(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	io_printf("%-24s %5s %s\n", "PREFIX", "OWNER", "NAME");
	for (uint64_t i = 0; i < LIST_MAX; i++) {
		char prefix[PROC_PATH_MAX], name[PROC_NAME_MAX];
		uint64_t owner;
		atoll_error_t err = ns_list(i, prefix, sizeof(prefix), &owner);
		if (err == ATOLL_E_RANGE)
			break;
		if (err)
			return command_fail(argv[0], err);
		owner_name(owner, name, sizeof(name));
		io_printf("%-24s %5lu %s\n", prefix, owner, name);
	}
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	uint64_t free, used, total;
	atoll_error_t err = proc_meminfo(&free, &used, &total);
	if (err)
		return command_fail(argv[0], err);
	io_printf("total %10lu KiB\n", total / 1024);
	io_printf("used  %10lu KiB\n", used / 1024);
	io_printf("free  %10lu KiB\n", free / 1024);
	return 0;
}

/* Wait for pid (0: any child) and report how it ended; its status is ours. */
static int wait_child(const char *cmd, uint64_t pid)
{
	uint64_t got;
	int64_t status;
	atoll_error_t err = proc_wait(pid, &got, &status);
	if (err)
		return command_fail(cmd, err);
	io_printf("pid %lu exited with status %ld\n", got, status);
	return (int)status;
}

/* proc makes PATH the child's argv[0] itself (it packs "PATH\0ARGS..."
 * into the argument block), so only the words after PATH are passed. */
static int cmd_spawn(int argc, char **argv)
{
	int first = 1;
	bool wait = argc > 1 && !strcmp(argv[1], "-w");
	if (wait)
		first = 2;
	if (first >= argc)
		return usage(argv[0]);
	uint64_t pid;
	atoll_error_t err = proc_spawn(argv[first], (const char *const *)(argv + first + 1), &pid);
	if (err)
		return command_fail(argv[0], err);
	if (wait)
		return wait_child(argv[0], pid);
	io_printf("pid %lu\n", pid);
	return 0;
}

/* Pack "PATH\0ARG0\0ARGS...\0\0ENV...\0\0" (atoll/proto/linux.h).
 * Returns the length, 0 when it does not fit. */
static size_t linux_pack(const char *path, int argc, char **argv, char *buf, size_t size)
{
	static const char *const env[] = LINUX_ENV;
	const char *words[COMMAND_WORDS_MAX + sizeof(env) / sizeof(env[0]) + 3];
	int n = 0;
	words[n++] = path;
	for (int i = 0; i < argc; i++)
		words[n++] = argv[i];
	words[n++] = "";
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		words[n++] = env[i];
	words[n++] = "";
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		size_t w = strlen(words[i]) + 1;
		if (len + w > size)
			return 0;
		memcpy(buf + len, words[i], w);
		len += w;
	}
	return len;
}

/* Resolve /linux into LINUX_SLOT. The service starts after the monitor, so
 * a command given with -c may come before it has registered. */
static atoll_error_t linux_connect(void)
{
	atoll_error_t err = ATOLL_E_NOT_FOUND;
	for (int i = 0; i < LINUX_RESOLVE_TRIES; i++) {
		size_t matched;
		err = ns_resolve(LINUX_PATH, LINUX_SLOT, &matched);
		if (!err && matched == sizeof(LINUX_PATH) - 1)
			return ATOLL_E_OK;
		if (!err)
			err = ATOLL_E_NOT_FOUND; /* a server of a shorter prefix answered */
		cnode_delete(PROC_SLOT_CNODE, LINUX_SLOT);
		atoll_yield();
	}
	return err;
}

/* Run the static Linux program at path with argv (argc words, the
 * program's argv[0] first) through the personality at /linux and wait
 * for it to end. Its exit status (128 + signal when killed) is the
 * result; *err says why it could not start. An empty argument would end
 * the argument list early, so it is refused. */
static int linux_run(const char *cmd, const char *path, int argc, char **argv, atoll_error_t *err)
{
	*err = ATOLL_E_OK;
	for (int i = 0; i < argc; i++)
		if (!argv[i][0]) {
			io_printf("%s: empty arguments cannot be passed\n", cmd);
			return COMMAND_STATUS_ERROR;
		}
	static char packed[MSG_BYTES_MAX(1)];
	size_t len = linux_pack(path, argc, argv, packed, sizeof(packed));
	if (!len) {
		io_printf("%s: the arguments are longer than %zu bytes\n", cmd, sizeof(packed));
		return COMMAND_STATUS_ERROR;
	}
	if ((*err = linux_connect()))
		return COMMAND_STATUS_ERROR;
	/* What the monitor printed before comes before the program's output. */
	io_flush();
	atoll_msg_t m = {.w = {len}};
	unsigned words = msg_put_bytes(&m, 1, packed, len);
	m.info = atoll_msginfo(LINUX_RUN, 0, words);
	*err = atoll_rpc(LINUX_SLOT, &m);
	cnode_delete(PROC_SLOT_CNODE, LINUX_SLOT);
	return *err ? COMMAND_STATUS_ERROR : (int)m.w[0];
}

/* linux PATH [ARGS...]: the program's argv[0] is its path. */
static int cmd_linux(int argc, char **argv)
{
	if (argc < 2)
		return usage(argv[0]);
	atoll_error_t err;
	int status = linux_run(argv[0], argv[1], argc - 1, argv + 1, &err);
	if (err) {
		char what[PROC_PATH_MAX + 8];
		snprintf(what, sizeof(what), "%s: %s", argv[0], argv[1]);
		return command_fail(what, err);
	}
	return status;
}

/*
 * A word that names no command of the monitor is a Linux program: a path
 * as it is, a bare name from /bin (busybox's applets live there), so
 * `ls -l` or `/bin/hello` work as they would in a shell. COMMAND_STATUS_UNKNOWN
 * when there is no such program.
 */
static int run_program(int argc, char **argv)
{
	char path[PROC_PATH_MAX];
	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	atoll_error_t err;
	int status = linux_run(argv[0], path, argc, argv, &err);
	if (err == ATOLL_E_NOT_FOUND) {
		io_printf("monitor: unknown command '%s' (try help)\n", argv[0]);
		return COMMAND_STATUS_UNKNOWN;
	}
	return err ? command_fail(argv[0], err) : status;
}

static int cmd_wait(int argc, char **argv)
{
	uint64_t pid = 0;
	if (argc > 2)
		return usage(argv[0]);
	if (argc == 2 && !get_pid(argv[0], argv[1], &pid))
		return COMMAND_STATUS_ERROR;
	return wait_child(argv[0], pid);
}

static int cmd_kill(int argc, char **argv)
{
	if (argc < 2)
		return usage(argv[0]);
	int status = 0;
	for (int i = 1; i < argc; i++) {
		uint64_t pid;
		if (!get_pid(argv[0], argv[i], &pid)) {
			status = COMMAND_STATUS_ERROR;
			continue;
		}
		atoll_error_t err = proc_kill(pid);
		if (err)
			status = command_fail(argv[0], err);
	}
	return status;
}

static int cmd_restart(int argc, char **argv)
{
	if (argc != 2)
		return usage(argv[0]);
	atoll_error_t err = proc_restart(argv[1]);
	return err ? command_fail(argv[0], err) : 0;
}

/*
 * Read from offset 0 in chunks as large as a reply can carry, until a short
 * read. proc keeps only the newest part of its log and reads from before
 * it as from its oldest byte, without saying so: a full chunk equal to the
 * first one means the offsets no longer advance through the text.
 */
static int cmd_log(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	if (!io_on_uart()) {
		io_printf("%s: the console is the kernel log already\n", argv[0]);
		return COMMAND_STATUS_ERROR;
	}
	static char buf[MSG_BYTES_MAX(2)];
	uint64_t offset = 0;
	char last = '\n';
	for (size_t n = 1; n;) {
		atoll_error_t err = proc_log(&offset, buf, sizeof(buf), &n);
		if (err)
			return command_fail(argv[0], err);
		io_write(buf, n);
		if (n)
			last = buf[n - 1];
		offset += n;
	}
	if (last != '\n')
		io_puts("\n");
	return 0;
}

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			io_puts(" ");
		io_puts(argv[i]);
	}
	io_puts("\n");
	return 0;
}

static int cmd_halt(int argc, char **argv)
{
	int64_t status = 0;
	if (argc > 2)
		return usage(argv[0]);
	if (argc == 2 && !parse_i64(argv[1], &status)) {
		io_printf("%s: '%s' is not a number\n", argv[0], argv[1]);
		return COMMAND_STATUS_ERROR;
	}
	io_drain();
	atoll_error_t err = proc_halt(status);
	return err ? command_fail(argv[0], err) : 0;
}

static int cmd_reboot(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	io_drain();
	atoll_error_t err = proc_reboot();
	return err ? command_fail(argv[0], err) : 0;
}

static const command_t commands[] = {
	{"help", "", "list the commands", cmd_help},
	{"ps", "", "processes: pid, name, state, priority, memory, caps", cmd_ps},
	{"ns", "", "the path namespace and who owns each prefix", cmd_ns},
	{"mem", "", "free, used and total memory", cmd_mem},
	{"spawn", "[-w] PATH [ARGS...]", "start a program; -w waits for it", cmd_spawn},
	{"linux", "PATH [ARGS...]", "run a static Linux program and wait for it", cmd_linux},
	{"wait", "[PID]", "wait for a child to exit (any child)", cmd_wait},
	{"kill", "PID...", "kill processes", cmd_kill},
	{"restart", "NAME", "restart a service now", cmd_restart},
	{"log", "", "print the kernel and proc log", cmd_log},
	{"echo", "[WORDS...]", "print the words", cmd_echo},
	{"halt", "[STATUS]", "power off; QEMU exits with STATUS (0)", cmd_halt},
	{"reboot", "", "reset the machine", cmd_reboot},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const command_t *command_find(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		char synopsis[40];
		snprintf(synopsis, sizeof(synopsis), "%s %s", commands[i].name, commands[i].usage);
		io_printf("  %-26s %s\n", synopsis, commands[i].help);
	}
	return 0;
}

int command_run(int argc, char **argv)
{
	if (!argc)
		return 0;
	const command_t *c = command_find(argv[0]);
	return c ? c->run(argc, argv) : run_program(argc, argv);
}

int command_run_line(char *line)
{
	char *argv[COMMAND_WORDS_MAX + 1];
	int argc;
	switch (parse_words(line, argv, COMMAND_WORDS_MAX, &argc)) {
	case PARSE_OK:
		return command_run(argc, argv);
	case PARSE_UNTERMINATED_QUOTE:
		io_printf("monitor: unterminated quote\n");
		break;
	case PARSE_TOO_MANY_WORDS:
		io_printf("monitor: too many words (at most %d)\n", COMMAND_WORDS_MAX);
		break;
	}
	return COMMAND_STATUS_ERROR;
}
