#ifndef ATOLL_PROTO_LINUX_H
#define ATOLL_PROTO_LINUX_H

/*
 * The Linux personality's protocol, served at /linux: how native programs
 * (the monitor) start Linux programs. The Linux processes themselves never
 * use it: their `syscall` instructions reach the personality as
 * unknown-system-call faults (see atoll/invocations.h).
 */
enum linux_label {
	/* w0 length of packed "path\0arg0\0arg1\0...\0\0env0\0...\0\0" from word 1
	 * (argv and envp each ended by an empty string). The reply comes when the
	 * program ends: w0 its exit status as a shell reports it (the exit code,
	 * or 128 + the signal that killed it). */
	LINUX_RUN = 1,
};

#define LINUX_PATH "/linux"

#endif
