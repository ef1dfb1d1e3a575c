#ifndef ATOLL_RT_MSG_H
#define ATOLL_RT_MSG_H

/*
 * Bytes in messages: protocols carry strings and data packed into message
 * words from a given word on; words 0..7 live in the atoll_msg_t registers,
 * the rest in the calling thread's IPC buffer. These helpers hide the seam.
 */
#include <atoll_rt/syscall.h>
#include <stddef.h>

#define MSG_BYTES_MAX(first_word) ((ATOLL_MSG_MAX_WORDS - (first_word)) * 8)

/* Pack len bytes from word first on; returns the message length in words. */
unsigned msg_put_bytes(atoll_msg_t *m, unsigned first, const void *data, size_t len);
/* Unpack len bytes starting at word first. */
void msg_get_bytes(const atoll_msg_t *m, unsigned first, void *data, size_t len);
/* A word of the message, wherever it lives. */
uint64_t msg_word(const atoll_msg_t *m, unsigned i);
void msg_set_word(atoll_msg_t *m, unsigned i, uint64_t v);

#endif
