/*
 * Client side of the proc protocol. Every request goes to proc's endpoint in
 * PROC_SLOT_PROC; strings are packed from message word 1 with their length
 * in word 0.
 */
#include <atoll_rt/msg.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <stdbool.h>

static atoll_error_t call_with_string(uint64_t label, const char *s, size_t len, atoll_msg_t *m)
{
	if (len > MSG_BYTES_MAX(1))
		return ATOLL_E_RANGE;
	m->w[0] = len;
	unsigned words = msg_put_bytes(m, 1, s, len);
	m->info = atoll_msginfo(label, 0, words);
	return atoll_rpc(PROC_SLOT_PROC, m);
}

/* Append a string with its NUL; false if it does not fit. */
static bool pack(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*len + n > size)
		return false;
	memcpy(buf + *len, s, n);
	*len += n;
	return true;
}

atoll_error_t proc_spawn_env(const char *path, const char *const argv[], const char *const envp[],
                             uint64_t *pid)
{
	char packed[PROC_ARGS_MAX];
	size_t len = 0;
	bool ok = pack(packed, sizeof(packed), &len, path) &&
	          pack(packed, sizeof(packed), &len, path);
	for (unsigned i = 0; ok && argv && argv[i]; i++)
		ok = *argv[i] && pack(packed, sizeof(packed), &len, argv[i]);
	ok = ok && pack(packed, sizeof(packed), &len, "");
	for (unsigned i = 0; ok && envp && envp[i]; i++)
		ok = *envp[i] && pack(packed, sizeof(packed), &len, envp[i]);
	ok = ok && pack(packed, sizeof(packed), &len, "");
	if (!ok)
		return ATOLL_E_RANGE; /* too long, or an empty string that would end a list */
	atoll_msg_t m = {0};
	atoll_error_t err = call_with_string(PROC_SPAWN, packed, len, &m);
	*pid = m.w[0];
	return err;
}

atoll_error_t proc_spawn(const char *path, const char *const argv[], uint64_t *pid)
{
	return proc_spawn_env(path, argv, NULL, pid);
}

atoll_error_t proc_wait(uint64_t pid, uint64_t *out_pid, int64_t *status)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_WAIT, 0, 1), .w = {pid}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	*out_pid = m.w[0];
	*status = (int64_t)m.w[1];
	return err;
}

atoll_error_t proc_kill(uint64_t pid)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_KILL, 0, 1), .w = {pid}};
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

_Noreturn void proc_exit(int64_t status)
{
	for (;;) {
		atoll_msg_t m = {.info = atoll_msginfo(PROC_EXIT, 0, 1), .w = {(uint64_t)status}};
		atoll_rpc(PROC_SLOT_PROC, &m);
	}
}

atoll_error_t proc_info(uint64_t index, proc_info_t *out)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_INFO, 0, 1), .w = {index}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		return err;
	out->pid = m.w[0];
	out->state = m.w[1];
	out->priority = m.w[2];
	out->memory = m.w[3];
	out->caps = m.w[4];
	size_t len = m.w[5] < PROC_NAME_MAX - 1 ? m.w[5] : PROC_NAME_MAX - 1;
	msg_get_bytes(&m, 6, out->name, len);
	out->name[len] = 0;
	return ATOLL_E_OK;
}

atoll_error_t proc_meminfo(uint64_t *free, uint64_t *used, uint64_t *total)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_MEMINFO, 0, 0)};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	*free = m.w[0];
	*used = m.w[1];
	*total = m.w[2];
	return err;
}

atoll_error_t proc_sysinfo(proc_sysinfo_t *info)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_SYSINFO, 0, 0)};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	*info = err ? (proc_sysinfo_t){0} :
	              (proc_sysinfo_t){
			      .tsc_hz = m.w[0], .tick_ns = m.w[1], .archive_bytes = m.w[2]};
	return err;
}

atoll_error_t proc_restart(const char *name)
{
	atoll_msg_t m = {0};
	return call_with_string(PROC_RESTART, name, strlen(name), &m);
}

atoll_error_t proc_log(uint64_t *offset, char *buf, size_t size, size_t *len)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_LOG, 0, 1), .w = {*offset}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	size_t n = err ? 0 : m.w[0];
	if (n > size)
		n = size;
	msg_get_bytes(&m, 2, buf, n);
	if (!err)
		*offset = m.w[1];
	*len = n;
	return err;
}

atoll_error_t proc_halt(int64_t status)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_HALT, 0, 1), .w = {(uint64_t)status}};
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

atoll_error_t proc_reboot(void)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_REBOOT, 0, 0)};
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

atoll_error_t ns_register(const char *prefix)
{
	atoll_msg_t m = {0};
	return call_with_string(NS_REGISTER, prefix, strlen(prefix), &m);
}

atoll_error_t ns_resolve(const char *path, uint64_t slot, size_t *matched)
{
	atoll_ipc_buffer_ptr->recv_cnode = PROC_SLOT_CNODE;
	atoll_ipc_buffer_ptr->recv_index = slot;
	atoll_msg_t m = {0};
	atoll_error_t err = call_with_string(NS_RESOLVE, path, strlen(path), &m);
	atoll_ipc_buffer_ptr->recv_index = 0;
	if (!err && atoll_msginfo_caps(m.info) != 1)
		err = ATOLL_E_INVALID_CAP;
	*matched = m.w[0];
	return err;
}

atoll_error_t ns_watch(const char *path, uint64_t notification)
{
	size_t len = strlen(path);
	if (len > MSG_BYTES_MAX(1))
		return ATOLL_E_RANGE;
	atoll_msg_t m = {.w = {len}};
	unsigned words = msg_put_bytes(&m, 1, path, len);
	atoll_ipc_buffer_ptr->send_caps[0] = notification;
	m.info = atoll_msginfo(NS_WATCH, 1, words);
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

atoll_error_t ns_list(uint64_t index, char *prefix, size_t size, uint64_t *owner)
{
	atoll_msg_t m = {.info = atoll_msginfo(NS_LIST, 0, 1), .w = {index}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		return err;
	*owner = m.w[0];
	size_t len = m.w[1] < size - 1 ? m.w[1] : size - 1;
	msg_get_bytes(&m, 2, prefix, len);
	prefix[len] = 0;
	return ATOLL_E_OK;
}
