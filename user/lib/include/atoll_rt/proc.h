#ifndef ATOLL_RT_PROC_H
#define ATOLL_RT_PROC_H

/*
 * Client side of the proc protocol (atoll/proto/proc.h) for programs that
 * proc started: spawn, wait, exit, kill, and the path namespace.
 */
#include <atoll/errors.h>
#include <atoll/proto/proc.h>
#include <stddef.h>
#include <stdint.h>

/* Start the program at path (in the boot archive): argv[0] is path, argv
 * (NULL-terminated) the arguments after it, envp (NULL-terminated, or NULL)
 * its environment. Empty strings cannot be passed. */
atoll_error_t proc_spawn_env(const char *path, const char *const argv[], const char *const envp[],
                             uint64_t *pid);
/* The same with an empty environment. */
atoll_error_t proc_spawn(const char *path, const char *const argv[], uint64_t *pid);
/* Wait for a child (pid 0: any) to exit. */
atoll_error_t proc_wait(uint64_t pid, uint64_t *out_pid, int64_t *status);
atoll_error_t proc_kill(uint64_t pid);
_Noreturn void proc_exit(int64_t status);

typedef struct proc_info {
	uint64_t pid, state, priority, memory, caps;
	char name[PROC_NAME_MAX];
} proc_info_t;
/* The index-th process (0, 1, ...); RANGE after the last. */
atoll_error_t proc_info(uint64_t index, proc_info_t *out);
atoll_error_t proc_meminfo(uint64_t *free, uint64_t *used, uint64_t *total);
atoll_error_t proc_restart(const char *name);
typedef struct proc_sysinfo {
	uint64_t tsc_hz;        /* the time-stamp counter's rate */
	uint64_t tick_ns;       /* the scheduling timer's period */
	uint64_t archive_bytes; /* the boot archive's size */
} proc_sysinfo_t;
atoll_error_t proc_sysinfo(proc_sysinfo_t *info);
/* Copy up to size bytes of the system log from *offset (bytes ever logged
 * before it); *offset moves to where the text starts (later, when the log
 * no longer holds what was asked), *len gets the count (0 at the end). */
atoll_error_t proc_log(uint64_t *offset, char *buf, size_t size, size_t *len);
atoll_error_t proc_halt(int64_t status);
atoll_error_t proc_reboot(void);

/* Serve a path prefix with this service's endpoint (PROC_SLOT_SERVICE). */
atoll_error_t ns_register(const char *prefix);
/* Find the server of path: its endpoint is put into slot, *matched says how
 * many bytes of path its prefix covered. */
atoll_error_t ns_resolve(const char *path, uint64_t slot, size_t *matched);
/* Have proc signal the notification capability in slot notification
 * whenever a server registers a prefix that serves path (it restarted). */
atoll_error_t ns_watch(const char *path, uint64_t notification);
/* The index-th registered prefix; RANGE after the last. */
atoll_error_t ns_list(uint64_t index, char *prefix, size_t size, uint64_t *owner);

#endif
