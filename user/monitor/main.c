/*
 * The system monitor: a small shell on the serial console for operators and
 * for scripting Atoll. proc starts it as the service `monitor`.
 *
 *   monitor              interactive: banner, prompt, line editing
 *   monitor -c LINE      run LINE as the shell would, then power off with
 *                        its exit status (tools/atoll run -- COMMAND);
 *                        several words after -c are taken as the words of
 *                        the command, already split, one word each
 *   monitor -e LINE      run LINE first (the boot manifest's `sh`: the
 *                        console starts in a Linux shell), then the prompt
 */
#include "commands.h"
#include "io.h"

#include <atoll/proto/proc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#define EDIT_LINE_MAX 256
/* More arguments than fit in the argument block's page. */
#define ARGS_MAX (4096 / sizeof(uint64_t))

#define KEY_CTRL_C 0x03
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U 0x15
#define KEY_CTRL_W 0x17
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f

/* The line being typed. esc tracks a terminal escape sequence (arrow keys
 * and the like), which is swallowed whole rather than typed into the line. */
typedef struct editor {
	char line[EDIT_LINE_MAX];
	size_t len;
	enum { ESC_NONE, ESC_START, ESC_SEQUENCE } esc;
	bool after_cr; /* the previous byte was '\r': a '\n' now ends nothing */
} editor_t;

typedef enum edit_result { EDIT_MORE, EDIT_LINE, EDIT_CANCEL } edit_result_t;

static void erase(editor_t *ed, size_t n)
{
	for (; n && ed->len; n--, ed->len--)
		io_puts("\b \b");
}

/* Feed one input byte; EDIT_LINE when ed->line holds a complete line. */
static edit_result_t editor_feed(editor_t *ed, char c)
{
	bool after_cr = ed->after_cr;
	ed->after_cr = c == '\r';
	if (ed->esc == ESC_START) {
		ed->esc = c == '[' || c == 'O' ? ESC_SEQUENCE : ESC_NONE;
		return EDIT_MORE;
	}
	if (ed->esc == ESC_SEQUENCE) {
		if (c >= 0x40 && c <= 0x7e)
			ed->esc = ESC_NONE;
		return EDIT_MORE;
	}
	switch (c) {
	case '\n':
		if (after_cr)
			return EDIT_MORE;
		/* fall through */
	case '\r':
		io_puts("\n");
		ed->line[ed->len] = 0;
		ed->len = 0;
		return EDIT_LINE;
	case KEY_BACKSPACE:
	case KEY_DEL:
		erase(ed, 1);
		return EDIT_MORE;
	case KEY_CTRL_U:
		erase(ed, ed->len);
		return EDIT_MORE;
	case KEY_CTRL_W:
		while (ed->len && ed->line[ed->len - 1] == ' ')
			erase(ed, 1);
		while (ed->len && ed->line[ed->len - 1] != ' ')
			erase(ed, 1);
		return EDIT_MORE;
	case KEY_CTRL_C:
		io_puts("^C\n");
		ed->len = 0;
		return EDIT_CANCEL;
	case KEY_ESC:
		ed->esc = ESC_START;
		return EDIT_MORE;
	case '\t':
		c = ' ';
		break;
	default:
		break;
	}
	if (c < 0x20 || c > 0x7e)
		return EDIT_MORE;
	if (ed->len + 1 >= EDIT_LINE_MAX) {
		io_puts("\a");
		return EDIT_MORE;
	}
	ed->line[ed->len++] = c;
	io_write(&c, 1);
	return EDIT_MORE;
}

static void interactive(void)
{
	static editor_t ed;
	io_puts("Atoll monitor \xe2\x80\x94 type help\n");
	io_puts("atoll> ");
	for (;;) {
		char buf[64];
		size_t got;
		if (!io_read(buf, sizeof(buf), &got))
			return;
		for (size_t i = 0; i < got; i++) {
			edit_result_t r = editor_feed(&ed, buf[i]);
			if (r == EDIT_LINE)
				command_run_line(ed.line);
			if (r != EDIT_MORE)
				io_puts("atoll> ");
		}
	}
}

/*
 * Run the command after -c and power off with its status. Should proc
 * refuse to halt, the monitor exits with the status instead.
 */
static int run_command(int argc, char **argv)
{
	char line[EDIT_LINE_MAX];
	int status;
	if (argc == 1) {
		size_t n = strlen(argv[0]);
		if (n >= sizeof(line)) {
			io_printf("monitor: the command is longer than %d bytes\n",
			          EDIT_LINE_MAX - 1);
			status = COMMAND_STATUS_ERROR;
		} else {
			memcpy(line, argv[0], n + 1);
			status = command_run_line(line);
		}
	} else {
		status = command_run(argc, argv);
	}
	if (status < 0 || status > COMMAND_STATUS_MAX) {
		io_printf("monitor: status %d is reported as %d\n", status, COMMAND_STATUS_MAX);
		status = COMMAND_STATUS_MAX;
	}
	io_drain();
	/* Only services may halt: a monitor that a user spawned just exits. */
	atoll_error_t err = proc_halt(status);
	if (err)
		command_fail("monitor: halt", err);
	io_printf("monitor: exiting with status %d\n", status);
	io_flush();
	return status;
}

/* -e: the command the console starts with (a shell, say); the prompt
 * follows when it ends. */
static void run_first(const char *command)
{
	char line[EDIT_LINE_MAX];
	size_t n = strlen(command);
	if (n >= sizeof(line)) {
		io_printf("monitor: the command is longer than %d bytes\n", EDIT_LINE_MAX - 1);
		return;
	}
	memcpy(line, command, n + 1);
	command_run_line(line);
}

int atoll_main(void *arg)
{
	int argc = 0;
	char **argv = NULL;
	if (atoll_started_by == PROC_START_MAGIC && arg) {
		/* The block fits in its page; a count that does not is ignored. */
		const uint64_t *block = arg;
		if (block[0] < ARGS_MAX) {
			argc = (int)block[0];
			argv = (char **)(block + 1);
		}
	}
	/* proc puts the binary's path in argv[0]; a block without it still works. */
	int first = argc > 0 && strcmp(argv[0], "-c") ? 1 : 0;

	io_init();
	bool once = first < argc && !strcmp(argv[first], "-c");
	if (once || (first < argc && !strcmp(argv[first], "-e"))) {
		if (once ? first + 1 >= argc : first + 2 != argc) {
			io_puts("usage: monitor [-c COMMAND | -e COMMAND]\n");
			io_drain();
			proc_halt(COMMAND_STATUS_ERROR);
			return COMMAND_STATUS_ERROR;
		}
		if (once)
			return run_command(argc - first - 1, argv + first + 1);
		run_first(argv[first + 1]);
	} else if (first < argc) {
		io_printf("monitor: ignoring unknown argument '%s'\n", argv[first]);
	}

	if (io_on_uart())
		interactive();
	io_puts("monitor: no console input; the monitor idles\n");
	io_flush();
	for (;;)
		tcb_suspend(PROC_SLOT_TCB);
}
