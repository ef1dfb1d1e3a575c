#ifndef KTEST_FAULT_H
#define KTEST_FAULT_H

/*
 * Running code that may fault: a helper at HELPER_PRIO whose fault endpoint
 * is a fresh endpoint, with the root as its fault handler. The helper runs
 * at once when started; by the time fault_run_start returns it has either
 * finished (done set) or faulted, and the root has received the fault
 * message (err OK, msg filled) with the Reply object bound to the helper.
 */
#include "ktest.h"

typedef struct fault_run fault_run_t;
typedef void (*fault_body_t)(fault_run_t *r);

struct fault_run {
	helper_t h;
	fault_body_t body;
	uint64_t ep, reply;
	int owns_ep;
	uint64_t arg, arg2;
	volatile int done;
	volatile uint64_t value;
	atoll_error_t err; /* of receiving the fault message */
	atoll_msg_t msg;   /* the fault message */
};

/* fault_ep: 0 makes a fresh endpoint (r->ep); else use that one. */
void fault_run_start(fault_run_t *r, fault_body_t body, uint64_t fault_ep);
/* Reply to the pending fault with m (info and words). */
atoll_error_t fault_run_reply(fault_run_t *r, atoll_msg_t *m);
/* Receive the helper's next fault (after a reply that resumed it). */
atoll_error_t fault_run_next(fault_run_t *r);
/* The label of a fault message. */
uint64_t fault_label(const atoll_msg_t *m);
/* Reply with a label and n register words (n <= 8). */
atoll_error_t fault_reply_words(fault_run_t *r, uint64_t label, unsigned n, const uint64_t *w);
/* Reply ATOLL_FAULT_REPLY_STOP: the thread stays suspended. */
atoll_error_t fault_reply_stop(fault_run_t *r);
/* Stop the helper and free what fault_run_start made. */
void fault_run_end(fault_run_t *r);

/* What happens when a thread reads, writes or executes at va: 0 if it
 * could, else ACCESS_FAULTED | the page-fault error code. */
#define ACCESS_READ 0
#define ACCESS_WRITE 1
#define ACCESS_EXEC 2
#define ACCESS_FAULTED (1ULL << 63)
#define ACCESS_OTHER (1ULL << 62) /* no page-fault message came */
uint64_t try_access(uint64_t va, unsigned kind);

/* Page-fault error code bits. */
#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_FETCH 0x10

/* Exception vectors. */
#define VEC_DE 0
#define VEC_DB 1
#define VEC_BP 3
#define VEC_UD 6
#define VEC_MF 16
#define VEC_SS 12
#define VEC_GP 13
#define VEC_XM 19

#endif
