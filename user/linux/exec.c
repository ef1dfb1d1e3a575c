/*
 * execve: proc builds the new program as a new managed process
 * (PROC_SPAWN_MANAGED), then the old one ends (PROC_END) and the table
 * entry switches to the new one. The Linux process stays: its pid, parent,
 * current directory, signal mask and descriptors (but those marked
 * FD_CLOEXEC) carry over; caught signals go back to their default.
 *
 * The arguments travel to proc packed in one message, counted so that any
 * of them may be empty: path, argv and envp together may take
 * PROC_MANAGED_ARGS_MAX bytes (E2BIG beyond). ELF
 * programs run, and #! scripts through their interpreters. proc loads
 * the boot archive's programs itself; one only the ramfs holds is loaded
 * by load.c.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

/* Append the strings of the NULL-ended vector at addr (NULL: none) to
 * a, counting them in *count. 0 or -errno. */
static int64_t copy_vector(lx_process_t *p, uint64_t addr, lx_args_t *a, unsigned *count)
{
	for (uint64_t i = 0; addr; i++) {
		uint64_t s;
		if (!lx_copy_in(p, &s, addr + i * sizeof(s), sizeof(s)))
			return -LX_EFAULT;
		if (!s)
			break;
		if (*count == PROC_ARGS_STRINGS_MAX)
			return -LX_E2BIG;
		int64_t n = lx_copy_string(p, s, a->bytes + a->len, sizeof(a->bytes) - a->len);
		if (n <= 0)
			return n ? n : -LX_E2BIG;
		a->len += (size_t)n;
		++*count;
	}
	return 0;
}

size_t lx_args_argv_bytes(const lx_args_t *a, const char **argv)
{
	size_t at = strlen(a->bytes) + 1, start = at;
	for (unsigned i = 0; i < a->argc; i++)
		at += strlen(a->bytes + at) + 1;
	*argv = a->bytes + start;
	return at - start;
}

/* Replace the path of a with the n strings of head: head[0] is the new
 * path, the others go before argv. E2BIG when the result does not fit. */
static int64_t replace_path(lx_args_t *a, const char *const head[], unsigned n)
{
	static char out[sizeof(a->bytes)];
	size_t used = 0;
	for (unsigned i = 0; i < n; i++) {
		size_t w = strlen(head[i]) + 1;
		if (used + w > sizeof(out))
			return -LX_E2BIG;
		memcpy(out + used, head[i], w);
		used += w;
	}
	size_t skip = strlen(a->bytes) + 1;
	if (used + a->len - skip > sizeof(out))
		return -LX_E2BIG;
	memcpy(out + used, a->bytes + skip, a->len - skip);
	a->len = used + a->len - skip;
	memcpy(a->bytes, out, a->len);
	a->argc += n - 1;
	return 0;
}

/*
 * A #! script's first line names its interpreter and at most one
 * argument (the rest of the line, as Linux takes it). Its argv becomes
 * interpreter [argument] script argv[1]...: the path string the caller
 * gave for the script, so the interpreter opens what the caller meant.
 */
static int64_t script(lx_args_t *a, char *line, size_t got)
{
	char *end = memchr(line, '\n', got);
	if (!end) {
		if (got == LX_SCRIPT_LINE_MAX)
			return -LX_ENOEXEC; /* the line is longer than Linux reads */
		end = line + got;
	}
	*end = 0;
	char *interp = line + 2;
	while (*interp == ' ' || *interp == '\t')
		interp++;
	char *arg = interp;
	while (*arg && *arg != ' ' && *arg != '\t')
		arg++;
	if (*arg)
		*arg++ = 0;
	while (*arg == ' ' || *arg == '\t')
		arg++;
	for (char *t = arg + strlen(arg); t > arg && (t[-1] == ' ' || t[-1] == '\t');)
		*--t = 0;
	if (!*interp)
		return -LX_ENOEXEC;

	/* argv[0] goes: the script's path takes its place after the interpreter. */
	char script_path[PROC_PATH_MAX];
	snprintf(script_path, sizeof(script_path), "%s", a->bytes);
	size_t path_len = strlen(a->bytes) + 1;
	if (a->argc) { /* an empty argv keeps nothing to drop */
		size_t arg0_len = strlen(a->bytes + path_len) + 1;
		memmove(a->bytes + path_len, a->bytes + path_len + arg0_len,
		        a->len - path_len - arg0_len);
		a->len -= arg0_len;
		a->argc--;
	}
	const char *head[] = {interp, interp, arg, script_path};
	if (*arg)
		return replace_path(a, head, 4);
	head[2] = script_path;
	return replace_path(a, head, 3);
}

int64_t lx_exec_resolve(lx_process_t *p, lx_args_t *a)
{
	a->image = NULL;
	for (int depth = 0; depth <= LX_SCRIPT_DEPTH_MAX; depth++) {
		lx_where_t w;
		int64_t r = lx_lookup(p, LX_AT_FDCWD, a->bytes, LX_WALK_FOLLOW, &w);
		if (r < 0)
			return r;
		if (!w.node)
			return -LX_ENOENT;
		if (!lx_is_reg(w.node) || !(w.node->mode & 0111) || w.node->fs != LX_FS_RAM)
			return -LX_EACCES;
		static char line[LX_SCRIPT_LINE_MAX];
		r = lx_ramfs_read(w.node, 0, line, sizeof(line));
		if (r < 0)
			return r;
		if (r >= 4 && memcmp(line,
		                     "\x7f"
		                     "ELF",
		                     4) == 0) {
			/* proc loads the boot archive's programs by their path there. */
			a->image = w.node->archive ? NULL : w.node;
			if (!w.node->archive)
				return 0;
			const char *head[] = {w.node->archive};
			return replace_path(a, head, 1);
		}
		if (r < 2 || line[0] != '#' || line[1] != '!')
			return -LX_ENOEXEC;
		if ((r = script(a, line, (size_t)r)) < 0)
			return r;
	}
	return -LX_ELOOP; /* scripts whose interpreters are scripts, too deep */
}

atoll_error_t lx_spawn(const lx_args_t *a, uint64_t recv_slot, atoll_msg_t *m)
{
	if (a->image)
		return lx_spawn_image(a, recv_slot, m);
	*m = (atoll_msg_t){.w = {a->len, a->argc | (uint64_t)a->envc << 32}};
	unsigned words = msg_put_bytes(m, 2, a->bytes, a->len);
	m->info = atoll_msginfo(PROC_SPAWN_MANAGED, 0, words);
	return atoll_rpc_receiving(PROC_SLOT_PROC, m, recv_slot);
}

static int64_t spawn_error(atoll_error_t err)
{
	switch (err) {
	case ATOLL_E_NO_MEMORY:
		return -LX_ENOMEM;
	case ATOLL_E_NOT_FOUND:
		return -LX_ENOENT;
	case ATOLL_E_RANGE:
		return -LX_E2BIG;
	default:
		return -LX_ENOEXEC;
	}
}

/* execve(path, argv, envp). On success there is nobody to answer: the
 * calling thread is gone with its program. */
int64_t lx_sys_execve(lx_call_t *c)
{
	static lx_args_t args;
	lx_process_t *p = c->p;
	static char path[LX_PATH_MAX];
	int64_t r = lx_copy_path(p, c->arg[0], path);
	if (r < 0)
		return r;
	if (r >= PROC_PATH_MAX)
		return -LX_ENAMETOOLONG; /* longer than proc takes */
	args.len = strlen(path) + 1;     /* PROC_PATH_MAX < PROC_MANAGED_ARGS_MAX */
	memcpy(args.bytes, path, args.len);
	args.argc = args.envc = 0;
	if ((r = copy_vector(p, c->arg[1], &args, &args.argc)) < 0 ||
	    (r = copy_vector(p, c->arg[2], &args, &args.envc)) < 0 ||
	    (r = lx_exec_resolve(p, &args)) < 0)
		return r;
	const char *exe = args.bytes;

	lx_process_drop_caps(LX_SLOT_EXEC);
	atoll_msg_t m;
	atoll_error_t err = lx_spawn(&args, LX_SLOT_EXEC, &m);
	if (err) {
		lx_process_drop_caps(LX_SLOT_EXEC);
		return spawn_error(err);
	}
	uint64_t proc_pid = m.w[0], brk = m.w[1];
	unsigned caps = atoll_msginfo_caps(m.info);
	if (caps < 1) {
		printf("linux: proc sent no VSpace for execve of %s; ending it\n", exe);
		m = (atoll_msg_t){.info = atoll_msginfo(PROC_END, 0, 2),
		                  .w = {proc_pid, 128 + LX_SIGKILL}};
		atoll_rpc(PROC_SLOT_PROC, &m);
		return -LX_ENOMEM;
	}

	/* Past the point of no return: the other threads end with the old
	 * program, and the process goes on as the calling thread. A vfork's
	 * parent gets what the child wrote and goes on too. */
	lx_vfork_release(p);
	lx_threads_exec(p, c->t);
	/* The old program ends quietly: its Linux process goes on. */
	m = (atoll_msg_t){.info = atoll_msginfo(PROC_END, 0, 2), .w = {p->proc_pid, 0}};
	err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		printf("linux: execve: proc could not end pid %lu's old program: error %d\n",
		       p->pid, err);
	lx_process_drop_caps(p->vspace);
	cnode_move(PROC_SLOT_CNODE, p->vspace, PROC_SLOT_CNODE, LX_SLOT_EXEC);
	cnode_move(PROC_SLOT_CNODE, p->tcb, PROC_SLOT_CNODE, LX_SLOT_EXEC + 1);
	p->have_tcb = caps == 2;

	p->proc_pid = proc_pid;
	lx_memory_start(p, brk);
	p->clear_child_tid = 0;
	lx_process_name(p, exe);
	const char *argv;
	size_t argv_bytes = lx_args_argv_bytes(&args, &argv);
	lx_procfs_set_cmdline(p, argv, argv_bytes);
	lx_files_exec(p);
	lx_signals_exec(p);
	c->reply = LX_REPLY_NONE;
	return 0;
}
