#ifndef MONITOR_COMMANDS_H
#define MONITOR_COMMANDS_H

/*
 * The monitor's commands. Each returns an exit status as a shell would:
 * 0 for success, 1 for an error, the child's status for `spawn -w` and
 * `wait`; a line naming no command gives COMMAND_STATUS_UNKNOWN.
 *
 * A machine's exit status (QEMU's debug-exit) carries 0..127, and the
 * runner keeps 123..127 for its own failures, so `-c` reports statuses
 * outside 0..COMMAND_STATUS_MAX (a killed child's -9, say) as
 * COMMAND_STATUS_MAX.
 */
#include <atoll/errors.h>

#define COMMAND_STATUS_ERROR 1
#define COMMAND_STATUS_UNKNOWN 120
#define COMMAND_STATUS_MAX 122
/* Words on one command line, the command name included. */
#define COMMAND_WORDS_MAX 32

typedef struct command {
	const char *name;
	const char *usage; /* the arguments, for help */
	const char *help;
	int (*run)(int argc, char **argv);
} command_t;

/* Report err from a proc call made for cmd ("kill: NO_RIGHTS (...)"); gives 1. */
int command_fail(const char *cmd, atoll_error_t err);
/* Parse one line (modified in place) and run it; an empty line gives 0. */
int command_run_line(char *line);
/* Run a command already split into words (argv[argc] is NULL). */
int command_run(int argc, char **argv);

#endif
