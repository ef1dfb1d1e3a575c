#ifndef ATOLL_MESSAGE_H
#define ATOLL_MESSAGE_H

#include <stdint.h>

/*
 * Message info word (rsi): label in bits 12..63, number of capabilities to
 * transfer in bits 7..8, number of message words in bits 0..6.
 */
#define ATOLL_MSG_LENGTH_BITS 7
#define ATOLL_MSG_CAPS_SHIFT 7
#define ATOLL_MSG_CAPS_BITS 2
#define ATOLL_MSG_LABEL_SHIFT 12

/* Flags the kernel sets in a received message info. */
#define ATOLL_MSG_FROM_NOTIFICATION \
	(1u << 9)                     /* a bound notification ended the receive: badge = its bits */
#define ATOLL_MSG_WAS_CALL (1u << 10) /* the sender waits in the Reply object */

#define ATOLL_MSG_REGS 8        /* message words passed in registers */
#define ATOLL_MSG_MAX_WORDS 120 /* message words in all */
#define ATOLL_MSG_MAX_CAPS 3

static inline uint64_t atoll_msginfo(uint64_t label, unsigned caps, unsigned length)
{
	return (label << ATOLL_MSG_LABEL_SHIFT) | ((uint64_t)caps << ATOLL_MSG_CAPS_SHIFT) | length;
}

static inline unsigned atoll_msginfo_length(uint64_t info)
{
	return info & ((1u << ATOLL_MSG_LENGTH_BITS) - 1);
}

static inline unsigned atoll_msginfo_caps(uint64_t info)
{
	return (info >> ATOLL_MSG_CAPS_SHIFT) & ((1u << ATOLL_MSG_CAPS_BITS) - 1);
}

static inline uint64_t atoll_msginfo_label(uint64_t info)
{
	return info >> ATOLL_MSG_LABEL_SHIFT;
}

/*
 * The IPC buffer: one per thread, in a frame the thread registers with
 * TCB_CONFIGURE. Words 0..7 of a message travel in registers; mr[0..7] here
 * are unused so that word i is always mr[i].
 */
typedef struct atoll_ipc_buffer {
	uint64_t mr[ATOLL_MSG_MAX_WORDS];
	uint64_t send_caps[ATOLL_MSG_MAX_CAPS];   /* cptrs of capabilities to send */
	uint64_t recv_cnode;                      /* where received caps go: a CNode cptr, */
	uint64_t recv_index;                      /* its first free slot; 0 = accept none */
	uint64_t recv_badges[ATOLL_MSG_MAX_CAPS]; /* badge of each received capability */
	uint64_t user_data;                       /* free for the runtime (thread pointer) */
} atoll_ipc_buffer_t;

#endif
