/*
 * The random call generator. Every choice is drawn from one xorshift64*
 * stream; nothing here looks at a call's result, so a seed always produces
 * the same sequence of calls.
 */
#include "gen.h"
#include "fuzz.h"

/* The program's code (GNU ld's symbols): root task and child are one image. */
extern const char __executable_start[], etext[];

static uint64_t state;
static uint64_t spare_rip;
static uint64_t rflags_clear; /* flags never written into a thread's RFLAGS */
static atoll_ipc_buffer_t *ipc;

/* What the child's slots held when the generation started. */
static const uint8_t slot_type[CS_FIRST_FREE] = {
	[CS_CNODE] = ATOLL_OBJ_CNODE,
	[CS_VSPACE] = ATOLL_OBJ_VSPACE,
	[CS_TCB] = ATOLL_OBJ_TCB,
	[CS_EP] = ATOLL_OBJ_ENDPOINT,
	[CS_EP_BADGED] = ATOLL_OBJ_ENDPOINT,
	[CS_NTFN] = ATOLL_OBJ_NOTIFICATION,
	[CS_NTFN_BADGED] = ATOLL_OBJ_NOTIFICATION,
	[CS_REPLY] = ATOLL_OBJ_REPLY,
	[CS_REPLY2] = ATOLL_OBJ_REPLY,
	[CS_UNTYPED] = ATOLL_OBJ_UNTYPED,
	[CS_FRAME0] = ATOLL_OBJ_FRAME,
	[CS_FRAME1] = ATOLL_OBJ_FRAME,
	[CS_FRAME2] = ATOLL_OBJ_FRAME,
	[CS_FRAME3] = ATOLL_OBJ_FRAME,
	[CS_LARGE_FRAME] = ATOLL_OBJ_LARGE_FRAME,
	[CS_PDPT] = ATOLL_OBJ_PDPT,
	[CS_PD] = ATOLL_OBJ_PD,
	[CS_PT0] = ATOLL_OBJ_PT,
	[CS_PT1] = ATOLL_OBJ_PT,
	[CS_SPARE_TCB] = ATOLL_OBJ_TCB,
	[CS_IRQ] = ATOLL_OBJ_IRQ_HANDLER,
	[CS_IOPORT] = ATOLL_OBJ_IOPORT,
};

/* Slots the child recently asked to fill, and with what: later calls aim there. */
#define RECENT 16
static struct {
	uint64_t index;
	unsigned type;
} recent[RECENT];
static unsigned recent_next;

static uint64_t rnd(void)
{
	return prng_next(&state);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int percent(unsigned p)
{
	return below(100) < p;
}

void gen_init(uint64_t seed, uint64_t spare_entry, atoll_ipc_buffer_t *buffer, uint64_t avoid)
{
	rflags_clear = avoid & FUZZ_AVOID_DF_AC ? RFLAGS_DF | RFLAGS_AC : 0;
	state = prng_mix(seed);
	spare_rip = spare_entry;
	ipc = buffer;
	for (unsigned i = 0; i < RECENT; i++)
		recent[i].index = recent[i].type = 0;
	recent_next = 0;
}

static void remember(uint64_t index, unsigned type)
{
	recent[recent_next].index = index;
	recent[recent_next].type = type;
	recent_next = (recent_next + 1) % RECENT;
}

static uint64_t populated(void)
{
	return 1 + below(CS_FIRST_FREE - 1);
}

static uint64_t free_index(void)
{
	return CS_FIRST_FREE + below(CHILD_SLOTS - CS_FIRST_FREE);
}

static uint64_t any_cptr(void)
{
	unsigned r = below(100);
	if (r < 50)
		return populated();
	if (r < 65)
		return recent[below(RECENT)].index;
	if (r < 85)
		return below(CHILD_SLOTS);
	if (r < 90)
		return CHILD_SLOTS + below(48);
	if (r < 94)
		return 0;
	switch (below(4)) {
	case 0:
		return rnd();
	case 1:
		return UINT64_MAX;
	case 2:
		return 1ULL << below(64);
	default:
		return 0 - below(300); /* small negative */
	}
}

static uint64_t endpoint_like(void)
{
	return percent(75) ? CS_EP + below(4) : any_cptr();
}

static uint64_t reply_like(void)
{
	unsigned r = below(100);
	return r < 60 ? CS_REPLY + below(2) : r < 80 ? 0 : any_cptr();
}

/* Addresses where the child can build page tables and map frames. */
static uint64_t play_addr(void)
{
	uint64_t page = below(8) * 4096, big = below(4) * 0x200000ULL;
	switch (below(3)) {
	case 0:
		return PLAY_PT_BASE + big + page;
	case 1:
		return PLAY_PD_BASE + below(4) * 0x40000000ULL + big + page;
	default:
		return PLAY_PDPT_BASE + below(4) * 0x8000000000ULL + below(2) * 0x40000000ULL +
		       big + page;
	}
}

/* Addresses the child itself uses: code, stack, IPC buffer, shared page. */
static uint64_t own_addr(void)
{
	uint64_t code = (uint64_t)&gen_call & ~4095ULL;
	switch (below(6)) {
	case 0:
		return code + below(8) * 4096;
	case 1:
		return CHILD_STACK_TOP - 4096 * (1 + below(CHILD_STACK_PAGES + 1));
	case 2:
		return CHILD_IPC_VADDR;
	case 3:
		return CHILD_SHARED_VADDR;
	case 4:
		return CHILD_SPARE_IPC_VADDR + below(2) * 2048;
	default:
		return CHILD_SPARE_STACK_TOP - 4096 * below(2);
	}
}

static uint64_t kernel_addr(void)
{
	switch (below(4)) {
	case 0:
		return 0xffff800000000000ULL + (rnd() & 0x7ffffffff000ULL);
	case 1:
		return 0xffffffff80000000ULL + below(0x2000000);
	case 2:
		return UINT64_MAX - below(8192);
	default:
		return 0xffff800000000000ULL + below(1ULL << 30);
	}
}

static uint64_t noncanonical_addr(void)
{
	return USER_TOP + below(0xffff800000000000ULL - USER_TOP);
}

static uint64_t gen_addr(void)
{
	unsigned r = below(100);
	if (r < 6)
		return 0;
	if (r < 14)
		return kernel_addr();
	if (r < 22)
		return noncanonical_addr();
	if (r < 28)
		return USER_TOP - 4096 * below(4) - (percent(50) ? 0 : below(4096));
	if (r < 42)
		return own_addr();
	if (r < 80)
		return play_addr() + (percent(10) ? below(4096) : 0);
	if (r < 90)
		return rnd() & (USER_TOP - 4096);
	return rnd() & (USER_TOP - 1);
}

static uint64_t gen_word(void)
{
	static const uint64_t special[] = {
		UINT64_MAX, INT64_MAX, 1ULL << 63, 0xffffffffULL, 0x100000000ULL,
		4096,       4095,      USER_TOP,   USER_TOP - 1,
	};
	unsigned r = below(100);
	if (r < 20)
		return below(17);
	if (r < 35)
		return any_cptr();
	if (r < 45)
		return below(72);
	if (r < 57)
		return gen_addr();
	if (r < 67)
		return rnd();
	if (r < 73) {
		uint64_t p = 1ULL << below(64);
		return percent(50) ? p : p - 1;
	}
	if (r < 78)
		return special[below(sizeof(special) / sizeof(special[0]))];
	if (r < 88)
		return below(32);
	return below(65536);
}

static unsigned gen_length(void)
{
	unsigned r = below(100);
	return r < 60 ? below(9) : r < 90 ? below(128) : ATOLL_MSG_MAX_WORDS + below(8);
}

static uint64_t type_of(uint64_t cptr)
{
	if (cptr < CS_FIRST_FREE)
		return slot_type[cptr];
	for (unsigned i = 0; i < RECENT; i++)
		if (recent[i].index == cptr)
			return recent[i].type;
	return ATOLL_OBJ_NULL;
}

static uint64_t label_for(unsigned type)
{
	unsigned r = below(100);
	switch (type) {
	case ATOLL_OBJ_UNTYPED:
		return ATOLL_UNTYPED_RETYPE;
	case ATOLL_OBJ_CNODE:
		return r < 30 ? ATOLL_CNODE_COPY :
		       r < 55 ? ATOLL_CNODE_MINT :
		       r < 70 ? ATOLL_CNODE_MOVE :
		       r < 90 ? ATOLL_CNODE_DELETE :
		                ATOLL_CNODE_REVOKE;
	case ATOLL_OBJ_TCB:
		return ATOLL_TCB_CONFIGURE +
		       below(ATOLL_TCB_SET_FAULT_ENDPOINT - ATOLL_TCB_CONFIGURE + 1);
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
		return r < 70 ? ATOLL_PAGE_TABLE_MAP : ATOLL_PAGE_TABLE_UNMAP;
	case ATOLL_OBJ_FRAME:
	case ATOLL_OBJ_LARGE_FRAME:
		return r < 60 ? ATOLL_FRAME_MAP :
		       r < 85 ? ATOLL_FRAME_UNMAP :
		                ATOLL_FRAME_GET_ADDRESS;
	case ATOLL_OBJ_IRQ_HANDLER:
		return r < 60 ? ATOLL_IRQ_HANDLER_SET_NOTIFICATION : ATOLL_IRQ_HANDLER_ACK;
	case ATOLL_OBJ_IOPORT:
		return ATOLL_IOPORT_OPEN;
	default:
		return below(ATOLL_INV_COUNT + 3);
	}
}

static uint64_t size_bits_for(uint64_t type)
{
	if (percent(15))
		return below(72);
	if (type == ATOLL_OBJ_UNTYPED)
		return ATOLL_UNTYPED_MIN_BITS + below(5);
	if (type == ATOLL_OBJ_CNODE)
		return 1 + below(6);
	return 0;
}

/* A new rip for another thread: never into our code except at spare_main. */
static uint64_t safe_rip(uint64_t rip)
{
	uint64_t lo = (uint64_t)__executable_start, hi = ((uint64_t)etext + 4095) & ~4095ULL;
	return rip >= lo && rip < hi ? spare_rip : rip;
}

static uint64_t table_addr(unsigned type)
{
	if (percent(25))
		return gen_addr();
	uint64_t pdpt = PLAY_PDPT_BASE + below(4) * 0x8000000000ULL;
	switch (type) {
	case ATOLL_OBJ_PDPT:
		return pdpt;
	case ATOLL_OBJ_PD:
		return percent(50) ? PLAY_PD_BASE + below(4) * 0x40000000ULL :
		                     pdpt + below(2) * 0x40000000ULL;
	default:
		return percent(50) ? PLAY_PT_BASE + below(4) * 0x200000ULL :
		                     play_addr() & ~0x1fffffULL;
	}
}

static uint64_t tcb_slot(void)
{
	return percent(80) ? (percent(50) ? CS_TCB : CS_SPARE_TCB) : any_cptr();
}

/* Plausible arguments for an invocation of a capability of the given type. */
static unsigned structured_args(uint64_t label, unsigned type, uint64_t *w)
{
	switch (label) {
	case ATOLL_UNTYPED_RETYPE: {
		/* Small untypeds often: objects made from them are freed and their memory reused. */
		uint64_t t = percent(20) ? ATOLL_OBJ_UNTYPED :
		             percent(75) ? 1 + below(ATOLL_OBJ_LARGE_FRAME) :
		                           below(ATOLL_OBJ_COUNT + 3);
		w[0] = t;
		w[1] = t == ATOLL_OBJ_UNTYPED && percent(70) ? ATOLL_UNTYPED_MIN_BITS + below(2) :
		                                               size_bits_for(t);
		w[2] = percent(85) ? CS_CNODE : any_cptr();
		w[3] = percent(80) ? free_index() : any_cptr();
		w[4] = percent(75) ? 1 : percent(70) ? below(9) : gen_word();
		remember(w[3], t);
		return 5;
	}
	case ATOLL_CNODE_COPY:
	case ATOLL_CNODE_MINT:
	case ATOLL_CNODE_MOVE:
		w[0] = percent(80) ? free_index() : any_cptr();
		w[1] = percent(85) ? CS_CNODE : any_cptr();
		w[2] = percent(80) ? populated() : any_cptr();
		w[3] = percent(85) ? below(16) : gen_word();
		w[4] = percent(50) ? below(256) : gen_word();
		remember(w[0], type_of(w[2]));
		return label == ATOLL_CNODE_MINT ? 5 : label == ATOLL_CNODE_COPY ? 4 : 3;
	case ATOLL_CNODE_DELETE:
	case ATOLL_CNODE_REVOKE: {
		unsigned r = below(100);
		w[0] = r < 35 ? recent[below(RECENT)].index :
		       r < 60 ? free_index() :
		       r < 92 ? populated() :
		                any_cptr();
		return 1;
	}
	case ATOLL_TCB_CONFIGURE: {
		unsigned r = below(100);
		w[0] = r < 40 ? 0 : r < 80 ? CS_EP + below(2) : any_cptr();
		w[1] = percent(85) ? CS_CNODE : any_cptr();
		w[2] = percent(85) ? CS_VSPACE : any_cptr();
		r = below(100);
		w[3] = r < 50 ? CHILD_SPARE_IPC_VADDR : r < 70 ? gen_addr() : 0;
		r = below(100);
		w[4] = r < 40 ? 0 : r < 80 ? CS_FRAME0 + below(5) : any_cptr();
		return 5;
	}
	case ATOLL_TCB_SET_PRIORITY:
	case ATOLL_TCB_SET_MCP: {
		w[0] = tcb_slot();
		unsigned r = below(100);
		w[1] = r < 60 ? 0 : r < 80 ? below(ATOLL_PRIORITIES) : gen_word();
		return 2;
	}
	case ATOLL_TCB_WRITE_REGISTERS: {
		unsigned n = percent(80) ? below(ATOLL_REG_COUNT + 1) : below(ATOLL_MSG_MAX_WORDS);
		w[0] = percent(80) ? below(2) : gen_word();
		for (unsigned i = 0; i < n && i + 1 < ATOLL_MSG_MAX_WORDS; i++) {
			uint64_t v;
			if (i == ATOLL_REG_RIP)
				v = percent(50) ? spare_rip : safe_rip(gen_addr());
			else if (i == ATOLL_REG_RSP)
				v = percent(50) ? CHILD_SPARE_STACK_TOP - 8 : gen_addr();
			else if (i == ATOLL_REG_FS_BASE || i == ATOLL_REG_GS_BASE)
				v = gen_addr();
			else if (i == ATOLL_REG_RFLAGS)
				v = gen_word() & ~rflags_clear;
			else
				v = gen_word();
			if (i + 1 < ATOLL_MSG_REGS)
				w[i + 1] = v;
			else
				ipc->mr[i + 1] = v;
		}
		return n + 1;
	}
	case ATOLL_TCB_BIND_NOTIFICATION:
		w[0] = percent(75) ? CS_NTFN + below(2) : any_cptr();
		return 1;
	case ATOLL_TCB_SET_FAULT_ENDPOINT: {
		unsigned r = below(100);
		w[0] = r < 40 ? 0 : r < 80 ? CS_EP + below(2) : any_cptr();
		return 1;
	}
	case ATOLL_PAGE_TABLE_MAP:
		w[0] = percent(85) ? CS_VSPACE : any_cptr();
		w[1] = table_addr(type);
		return 2;
	case ATOLL_FRAME_MAP:
		w[0] = percent(85) ? CS_VSPACE : any_cptr();
		w[1] = type == ATOLL_OBJ_LARGE_FRAME && percent(70) ? play_addr() & ~0x1fffffULL :
		                                                      gen_addr();
		w[2] = percent(85) ? below(32) : gen_word();
		return 3;
	case ATOLL_IRQ_HANDLER_SET_NOTIFICATION: {
		unsigned r = below(100);
		w[0] = r < 50 ? CS_NTFN + below(2) : r < 70 ? 0 : any_cptr();
		return 1;
	}
	case ATOLL_IOPORT_OPEN:
		w[0] = percent(85) ? CS_VSPACE : any_cptr();
		return 1;
	case ATOLL_IRQ_CONTROL_ISSUE_IOAPIC:
	case ATOLL_IOPORT_CONTROL_ISSUE:
		w[0] = below(0x10000);
		w[1] = below(0x10000);
		w[2] = percent(50) ? CS_CNODE : any_cptr();
		w[3] = free_index();
		w[4] = free_index();
		return 5;
	default: /* the invocations without arguments */
		return percent(80) ? 0 : below(4);
	}
}

static void gen_words(atoll_msg_t *m)
{
	for (unsigned i = 0; i < ATOLL_MSG_REGS; i++)
		m->w[i] = gen_word();
}

static void gen_invocation(fuzz_call_t *c)
{
	unsigned r = below(100);
	if (r < 60)
		c->cptr = populated();
	else if (r < 75)
		c->cptr = recent[below(RECENT)].index;
	else
		c->cptr = any_cptr();
	unsigned type = type_of(c->cptr);
	uint64_t label;
	r = below(100);
	if (r < 55 && type != ATOLL_OBJ_NULL)
		label = label_for(type);
	else if (r < 88)
		label = below(ATOLL_INV_COUNT + 3);
	else if (r < 95)
		label = below(64);
	else
		label = rnd() >> ATOLL_MSG_LABEL_SHIFT;
	/* Stopping or reconfiguring itself ends a generation: mostly aim at the spare thread. */
	if (c->cptr == CS_TCB &&
	    (label == ATOLL_TCB_SUSPEND || label == ATOLL_TCB_CONFIGURE ||
	     label == ATOLL_TCB_SET_FAULT_ENDPOINT) &&
	    percent(90))
		c->cptr = CS_SPARE_TCB;
	unsigned length;
	if (label < ATOLL_INV_COUNT && percent(75)) {
		length = structured_args(label, type, c->m.w);
		if (percent(10))
			length = percent(50) && length ? length - 1 : below(128);
	} else {
		gen_words(&c->m);
		length = gen_length();
	}
	unsigned caps = percent(90) ? 0 : below(4);
	c->m.info = atoll_msginfo(label, caps, length & 127) | (percent(3) ? rnd() & 0xe00 : 0);
}

/* Scribble on the IPC buffer: long message words, capabilities to send, where to receive. */
static void gen_ipc(void)
{
	for (unsigned k = below(8); k; k--)
		ipc->mr[ATOLL_MSG_REGS + below(ATOLL_MSG_MAX_WORDS - ATOLL_MSG_REGS)] = gen_word();
	for (unsigned i = 0; i < ATOLL_MSG_MAX_CAPS; i++)
		if (percent(50))
			ipc->send_caps[i] = any_cptr();
	if (percent(50))
		ipc->recv_cnode = percent(75) ? CS_CNODE : any_cptr();
	if (percent(50)) {
		unsigned r = below(100);
		ipc->recv_index = r < 50 ? free_index() : r < 75 ? 0 : any_cptr();
	}
	if (percent(10))
		ipc->recv_badges[below(ATOLL_MSG_MAX_CAPS)] = rnd();
	if (percent(10))
		ipc->user_data = rnd();
}

static int64_t random_number(void)
{
	switch (below(6)) {
	case 0:
		return below(512); /* Linux-like */
	case 1:
		return ATOLL_SYS_FIRST - 1 - (int64_t)below(100);
	case 2:
		return (int64_t)rnd();
	case 3:
		return percent(50) ? INT64_MIN : INT64_MAX;
	case 4:
		return (int32_t)rnd();
	default:
		return -(int64_t)below(2 - ATOLL_SYS_FIRST); /* 0 and every Atoll number */
	}
}

static void gen_debug_puts(fuzz_call_t *c)
{
	/* Only addresses that cannot be read get a length: the log stays clean. */
	unsigned r = below(100);
	if (r < 40) {
		c->cptr = percent(50) ? kernel_addr() : noncanonical_addr();
		c->m.info = percent(70) ? below(5000) : rnd();
	} else if (r < 70) {
		c->cptr = percent(50) ? own_addr() : play_addr();
		c->m.info = percent(50) ? 0 :
		            percent(50) ? 4097 + below(100000) :
		                          rnd() | (1ULL << 63);
	} else {
		c->cptr = (rnd() & (USER_TOP - 1)) | 0x400000000000ULL;
		c->m.info = percent(50) ? 0 : 4097 + below(1000);
	}
}

static const struct {
	int64_t number;
	unsigned weight;
} mix[] = {
	{ATOLL_SYS_CALL, 420},      {ATOLL_SYS_NBSEND, 100},    {ATOLL_SYS_NBRECV, 100},
	{ATOLL_SYS_SEND, 25},       {ATOLL_SYS_RECV, 25},       {ATOLL_SYS_REPLY, 50},
	{ATOLL_SYS_REPLY_RECV, 15}, {ATOLL_SYS_YIELD, 15},      {ATOLL_SYS_DEBUG_PUTS, 10},
	{ATOLL_SYS_NULL, 30},       {ATOLL_SYS_DEBUG_CHECK, 2}, {0, 30}, /* 0: any other number */
};

void gen_call(fuzz_call_t *c)
{
	unsigned total = 0;
	for (unsigned i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		total += mix[i].weight;
	unsigned pick = below(total), i = 0;
	while (pick >= mix[i].weight)
		pick -= mix[i++].weight;
	c->number = mix[i].number;
	c->cptr = any_cptr();
	c->rbx = percent(90) ? reply_like() : any_cptr();
	gen_words(&c->m);
	c->m.info = atoll_msginfo(below(64), percent(85) ? 0 : below(4), gen_length() & 127);
	c->ipc_changed = percent(5);
	if (c->ipc_changed)
		gen_ipc();
	c->probe_addr = percent(2) ? play_addr() + below(512) * 8 : 0;
	c->probe_value = gen_word();

	switch (c->number) {
	case ATOLL_SYS_CALL:
		if (percent(88))
			gen_invocation(c);
		else
			c->cptr = endpoint_like();
		break;
	case ATOLL_SYS_SEND:
	case ATOLL_SYS_NBSEND:
	case ATOLL_SYS_RECV:
	case ATOLL_SYS_NBRECV:
	case ATOLL_SYS_REPLY_RECV:
		c->cptr = endpoint_like();
		if (percent(20))
			c->m.info =
				atoll_msginfo(rnd() >> ATOLL_MSG_LABEL_SHIFT, below(4), below(128));
		break;
	case ATOLL_SYS_REPLY:
		c->rbx = percent(80) ? CS_REPLY + below(2) : any_cptr();
		break;
	case ATOLL_SYS_DEBUG_PUTS:
		gen_debug_puts(c);
		break;
	case 0:
		c->number = random_number();
		break;
	default:
		break;
	}
	/* RFLAGS is word 9 of a fault reply and word 10 of WRITE_REGISTERS: both in the buffer. */
	ipc->mr[ATOLL_REG_RFLAGS] &= ~rflags_clear;
	ipc->mr[ATOLL_REG_RFLAGS + 1] &= ~rflags_clear;
	/*
	 * A thread sent into our code anywhere but spare_main could run the
	 * root task's code and print its PASS and FAIL lines. The new rip is
	 * word 7 of a fault reply (a register) and word 8 of WRITE_REGISTERS.
	 */
	if (c->number == ATOLL_SYS_REPLY || c->number == ATOLL_SYS_REPLY_RECV)
		c->m.w[ATOLL_REG_RIP] = safe_rip(c->m.w[ATOLL_REG_RIP]);
	ipc->mr[ATOLL_REG_RIP + 1] = safe_rip(ipc->mr[ATOLL_REG_RIP + 1]);
}
