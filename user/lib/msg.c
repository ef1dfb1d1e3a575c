#include <atoll_rt/msg.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

uint64_t msg_word(const atoll_msg_t *m, unsigned i)
{
	return i < ATOLL_MSG_REGS ? m->w[i] : atoll_ipc_buffer_ptr->mr[i];
}

void msg_set_word(atoll_msg_t *m, unsigned i, uint64_t v)
{
	if (i < ATOLL_MSG_REGS)
		m->w[i] = v;
	else
		atoll_ipc_buffer_ptr->mr[i] = v;
}

unsigned msg_put_bytes(atoll_msg_t *m, unsigned first, const void *data, size_t len)
{
	const uint8_t *p = data;
	unsigned word = first;
	for (size_t off = 0; off < len; off += 8, word++) {
		uint64_t v = 0;
		size_t n = len - off < 8 ? len - off : 8;
		memcpy(&v, p + off, n);
		msg_set_word(m, word, v);
	}
	return word;
}

void msg_get_bytes(const atoll_msg_t *m, unsigned first, void *data, size_t len)
{
	uint8_t *p = data;
	unsigned word = first;
	for (size_t off = 0; off < len; off += 8, word++) {
		uint64_t v = msg_word(m, word);
		size_t n = len - off < 8 ? len - off : 8;
		memcpy(p + off, &v, n);
	}
}
