/*
 * execve: proc builds the new program as a new managed process
 * (PROC_SPAWN_MANAGED), then the old one ends (PROC_END) and the table
 * entry switches to the new one. The Linux process stays: its pid, parent,
 * current directory, signal mask and descriptors (but those marked
 * FD_CLOEXEC) carry over; caught signals go back to their default.
 *
 * The arguments travel to proc packed in one message: path, argv and envp
 * together may take PROC_ARGS_MAX bytes (E2BIG beyond), and an empty string
 * among them cannot be packed (it ends a list there): EINVAL. Only ELF
 * programs run: a #! script is ENOEXEC.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

/* Append the strings of the NULL-ended vector at addr (NULL: none) to
 * buf, which holds *len of PROC_ARGS_MAX bytes, and the empty string that
 * ends the list. 0 or -errno. */
static int64_t copy_vector(lx_process_t *p, uint64_t addr, char *buf, size_t *len)
{
	for (uint64_t i = 0; addr; i++) {
		uint64_t s;
		if (!lx_copy_in(p, &s, addr + i * sizeof(s), sizeof(s)))
			return -LX_EFAULT;
		if (!s)
			break;
		int64_t n = lx_copy_string(p, s, buf + *len, PROC_ARGS_MAX - *len);
		if (n <= 0)
			return n ? n : -LX_E2BIG;
		if (n == 1) {
			static bool logged;
			lx_log_once(&logged,
			            "linux: pid %lu (%s): execve with an empty argument or "
			            "environment string is not supported yet: EINVAL\n",
			            p->pid, p->name);
			return -LX_EINVAL;
		}
		*len += (size_t)n;
	}
	if (*len >= PROC_ARGS_MAX)
		return -LX_E2BIG;
	buf[(*len)++] = 0;
	return 0;
}

/* The program at path (as the caller gave it) in n: 0 or -errno. */
static int64_t find_program(lx_process_t *p, const char *path, lx_node_t *n)
{
	if (!path[0])
		return -LX_ENOENT;
	int64_t r;
	if (strcmp(path, "/proc/self/exe") == 0 && p->exe[0])
		r = lx_lookup(p, LX_AT_FDCWD, p->exe, true, n);
	else
		r = lx_lookup(p, LX_AT_FDCWD, path, true, n);
	if (r < 0)
		return r;
	if ((n->mode & LX_S_IFMT) != LX_S_IFREG || !(n->mode & 0111))
		return -LX_EACCES;
	char magic[4];
	r = lx_archive_read(n->path, 0, magic, sizeof(magic));
	if (r < 0)
		return r;
	if (r < (int64_t)sizeof(magic) || memcmp(magic,
	                                         "\x7f"
	                                         "ELF",
	                                         sizeof(magic)) != 0)
		return -LX_ENOEXEC;
	return 0;
}

static int64_t spawn_error(atoll_error_t err)
{
	switch (err) {
	case ATOLL_E_NO_MEMORY:
		return -LX_ENOMEM;
	case ATOLL_E_NOT_FOUND:
		return -LX_ENOENT;
	default:
		return -LX_ENOEXEC;
	}
}

/* execve(path, argv, envp). On success there is nobody to answer: the
 * calling thread is gone with its program. */
int64_t lx_sys_execve(lx_call_t *c)
{
	static char packed[PROC_ARGS_MAX];
	lx_process_t *p = c->p;
	char path[PROC_PATH_MAX];
	int64_t r = lx_copy_path(p, c->arg[0], path);
	if (r < 0)
		return r;
	lx_node_t n;
	if ((r = find_program(p, path, &n)) < 0)
		return r;
	size_t len = strlen(n.path) + 1; /* PROC_PATH_MAX < PROC_ARGS_MAX */
	memcpy(packed, n.path, len);
	if ((r = copy_vector(p, c->arg[1], packed, &len)) < 0 ||
	    (r = copy_vector(p, c->arg[2], packed, &len)) < 0)
		return r;

	cnode_delete(PROC_SLOT_CNODE, LX_SLOT_EXEC);
	atoll_msg_t m = {.w = {len}};
	unsigned words = msg_put_bytes(&m, 1, packed, len);
	m.info = atoll_msginfo(PROC_SPAWN_MANAGED, 0, words);
	atoll_ipc_buffer_ptr->recv_cnode = PROC_SLOT_CNODE;
	atoll_ipc_buffer_ptr->recv_index = LX_SLOT_EXEC;
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	atoll_ipc_buffer_ptr->recv_index = 0;
	if (err) {
		cnode_delete(PROC_SLOT_CNODE, LX_SLOT_EXEC);
		return spawn_error(err);
	}
	uint64_t proc_pid = m.w[0], brk = m.w[1];
	if (atoll_msginfo_caps(m.info) != 1) {
		printf("linux: proc sent no VSpace for execve of %s; ending it\n", n.path);
		m = (atoll_msg_t){.info = atoll_msginfo(PROC_END, 0, 2),
		                  .w = {proc_pid, 128 + LX_SIGKILL}};
		atoll_rpc(PROC_SLOT_PROC, &m);
		return -LX_ENOMEM;
	}

	/* The old program ends quietly: its Linux process goes on. */
	m = (atoll_msg_t){.info = atoll_msginfo(PROC_END, 0, 2), .w = {p->proc_pid, 0}};
	err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		printf("linux: execve: proc could not end pid %lu's old program: error %d\n",
		       p->pid, err);
	cnode_delete(PROC_SLOT_CNODE, p->vspace);
	cnode_move(PROC_SLOT_CNODE, p->vspace, PROC_SLOT_CNODE, LX_SLOT_EXEC);

	p->proc_pid = proc_pid;
	p->brk_start = (brk + LX_PAGE_SIZE - 1) & ~(LX_PAGE_SIZE - 1);
	p->brk = p->brk_start;
	p->mmap_bottom = LX_MMAP_TOP;
	p->last_fault = 0;
	p->fault_repeats = 0;
	p->clear_child_tid = 0;
	size_t name_len = strlen(n.path);
	if (name_len > sizeof(p->name) - 1)
		name_len = sizeof(p->name) - 1;
	memcpy(p->name, n.path, name_len);
	p->name[name_len] = 0;
	memcpy(p->exe, n.path, sizeof(p->exe));
	lx_files_exec(p);
	lx_signals_exec(p);
	c->reply = LX_REPLY_NONE;
	return 0;
}
