/*
 * After the fuzzing: does the kernel still work? Objects can be made, used
 * and deleted; a fresh process can be built, can call the root task and be
 * answered, and can be destroyed again.
 */
#include "root.h"
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/vspace.h>

#define LIVE_VADDR 0x7d0000200000ULL
#define PING_MS 2000

#define EXPECT(cond, ...)                                     \
	do {                                                  \
		if (!(cond)) {                                \
			snprintf(why, why_size, __VA_ARGS__); \
			return -1;                            \
		}                                             \
	} while (0)

static int objects_work(char *why, size_t why_size)
{
	uint64_t ep = 0, ntfn = 0, badged = slot_alloc(), frame = 0, copy = slot_alloc(), bits = 0;
	atoll_error_t err;
	EXPECT(!(err = object_alloc(ATOLL_OBJ_ENDPOINT, 0, &ep)), "endpoint: error %d", err);
	EXPECT(!(err = object_alloc(ATOLL_OBJ_NOTIFICATION, 0, &ntfn)), "notification: error %d",
	       err);
	EXPECT(!(err = object_alloc(ATOLL_OBJ_FRAME, 0, &frame)), "frame: error %d", err);
	atoll_msg_t m = {0};
	EXPECT((err = atoll_nbsend(ep, &m)) == ATOLL_E_WOULD_BLOCK, "nbsend: error %d", err);
	EXPECT(!cnode_mint(ATOLL_SLOT_CNODE, badged, ATOLL_SLOT_CNODE, ntfn, ATOLL_RIGHT_WRITE,
	                   0x41),
	       "mint");
	EXPECT(!atoll_signal(badged) && !atoll_poll(ntfn, &bits) && bits == 0x41,
	       "signal and poll gave %lx", bits);
	EXPECT(!vspace_map(ATOLL_SLOT_VSPACE, frame, LIVE_VADDR, ATOLL_MAP_READ | ATOLL_MAP_WRITE),
	       "map");
	EXPECT(!cnode_copy(ATOLL_SLOT_CNODE, copy, ATOLL_SLOT_CNODE, frame, ATOLL_RIGHTS_ALL),
	       "copy");
	EXPECT(!vspace_map(ATOLL_SLOT_VSPACE, copy, LIVE_VADDR + 4096, ATOLL_MAP_READ), "map copy");
	*(volatile uint64_t *)LIVE_VADDR = 0x1234abcd;
	EXPECT(*(volatile uint64_t *)(LIVE_VADDR + 4096) == 0x1234abcd, "frame aliases differ");
	EXPECT(!cnode_revoke(ATOLL_SLOT_CNODE, frame) && !frame_unmap(frame), "revoke frame");
	object_free(frame);
	object_free(badged);
	object_free(ntfn);
	object_free(ep);
	EXPECT(atoll_nbsend(ep, &m) == ATOLL_E_INVALID_CAP, "deleted endpoint still there");
	EXPECT(atoll_debug_check() == 0, "DEBUG_CHECK after making and deleting objects");
	return 0;
}

static int process_works(char *why, size_t why_size)
{
	generation_t g = {.number = UINT64_MAX};
	fuzz_shared_t params = {.magic = FUZZ_SHARED_MAGIC, .mode = FUZZ_MODE_PING};
	const char *step = "";
	atoll_error_t err = generation_build(&g, &params, &step);
	if (err) {
		generation_destroy(&g);
		EXPECT(0, "building a process failed at %s: error %d", step, err);
	}
	int answered = 0;
	uint64_t start = rdtsc(), limit = root.bi->tsc_hz / 1000 * PING_MS;
	err = tcb_resume(g.tcb);
	while (!err && !g.shared->done && rdtsc() - start < limit) {
		atoll_msg_t m = {0};
		if (atoll_nbrecv(g.ep, root.ep_reply, &m) == ATOLL_E_OK && m.w[0] == FUZZ_PING) {
			m.info = atoll_msginfo(0, 0, 1);
			m.w[0] = FUZZ_PING + 1;
			answered = atoll_reply(root.ep_reply, &m) == ATOLL_E_OK;
		}
		atoll_yield();
	}
	uint64_t done = g.shared->done;
	unsigned left = generation_destroy(&g);
	EXPECT(answered && done == 1,
	       "a new process did not complete a call (answered %d, done %lu)", answered, done);
	EXPECT(left == 0, "%u slots left after destroying the process", left);
	EXPECT(atoll_debug_check() == 0, "DEBUG_CHECK after a process came and went");
	return 0;
}

int liveness_check(char *why, size_t why_size)
{
	return objects_work(why, why_size) || process_works(why, why_size) ? -1 : 0;
}
