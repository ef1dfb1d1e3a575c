/*
 * I/O permissions across switches between address spaces. The TSS bitmap
 * holds the ports of one address space; while a space without ports runs,
 * the I/O map base points past the TSS limit and hides it, and it is
 * copied again only when another space with ports comes in. These tests
 * run threads of bare address spaces one straight after another, in both
 * orders, and close ports while their space's copy sits in the TSS: a
 * thread must reach exactly the ports open in its own space, whichever
 * space ran before it.
 *
 * A port space is a VSpace with one page of code, `in (%dx),%al; ud2` and
 * `out %al,(%dx); ud2`, and a thread at the root's priority that always
 * waits in a fault: the root's reply starts it at one of the two with the
 * port in rdx, and it stops again at the ud2 (#UD: the port was open) or
 * at the in or out itself (#GP: closed to it). Threads of equal priority
 * run in the order they became runnable, so two spaces resumed one after
 * the other run back to back, the second straight after the first.
 * (Closing ports of the space that is running: ioport_delete_closes_range.)
 */
#include "fault.h"
#include "uart.h"

#define ROOT ATOLL_SLOT_CNODE
#define CODE_VA 0x400000ULL
#define CODE_IN CODE_VA        /* in (%dx),%al */
#define CODE_OUT (CODE_VA + 3) /* out %al,(%dx) */
#define UD2_AFTER(insn) ((insn) + 1)
#define UART_IER_PORT (UART_BASE + 1)
#define UART_LCR (UART_BASE + 3)
#define UART_SCR (UART_BASE + 7) /* scratch: writes reach nothing */
#define COM2_LSR 0x2fd           /* COM2 is absent: reads float */
#define GP_AT_INSN (INB_FAULTED | VEC_GP << 8 | 1)
#define MAX_RANGES 2

typedef struct port_space {
	uint64_t vspace, tables[3], code, tcb, ep, reply;
	uint64_t ranges[MAX_RANGES]; /* port capabilities opened here */
} port_space_t;

static const uint8_t port_code[] = {0xec, 0x0f, 0x0b, 0xee, 0x0f, 0x0b};

/* The code page, mapped in the root's space to write it; each port space
 * maps a copy of the capability. */
static uint64_t code_frame_make(void)
{
	uint64_t va = fresh_va();
	uint64_t f = map_new_frame(va);
	memcpy((void *)va, port_code, sizeof(port_code));
	return f;
}

static void space_build(port_space_t *s, uint64_t code, uint64_t vspace)
{
	static const unsigned types[3] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
	memset(s, 0, sizeof(*s));
	s->vspace = vspace ? vspace : make_object(ATOLL_OBJ_VSPACE, 0);
	for (unsigned i = 0; i < 3; i++) {
		s->tables[i] = make_object(types[i], 0);
		KCHECK_EQ(page_table_map(s->tables[i], s->vspace, CODE_VA), ATOLL_E_OK);
	}
	s->code = mint_cap(code, ATOLL_RIGHTS_ALL, 0);
	KCHECK_EQ(frame_map(s->code, s->vspace, CODE_VA, ATOLL_MAP_READ | ATOLL_MAP_EXEC),
	          ATOLL_E_OK);
}

/* A port space in vspace (0: a new one), its thread waiting at its first
 * ud2. */
static void space_make(port_space_t *s, uint64_t code, uint64_t vspace)
{
	space_build(s, code, vspace);
	s->ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	s->reply = make_object(ATOLL_OBJ_REPLY, 0);
	s->tcb = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_configure(s->tcb, s->ep, ROOT, s->vspace, 0, 0), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_priority(s->tcb, ATOLL_SLOT_TCB, ROOT_PRIO), ATOLL_E_OK);
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RIP] = UD2_AFTER(CODE_IN);
	regs[ATOLL_REG_RFLAGS] = 0x202;
	KCHECK_EQ(tcb_write_registers(s->tcb, 1, regs, ATOLL_REG_RFLAGS + 1), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(s->ep, s->reply, &m), ATOLL_E_OK);
	KCHECK_EQ(fault_label(&m), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(m.w[0], VEC_UD);
}

/* Issue ports first..last and open them in s; returns the capability. */
static uint64_t space_open(port_space_t *s, unsigned first, unsigned last)
{
	unsigned i = 0;
	while (i < MAX_RANGES - 1 && s->ranges[i])
		i++;
	KCHECK(!s->ranges[i]);
	s->ranges[i] = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, first, last, ROOT, s->ranges[i]),
	          ATOLL_E_OK);
	KCHECK_EQ(ioport_open(s->ranges[i], s->vspace), ATOLL_E_OK);
	return s->ranges[i];
}

/* Let s's thread run insn (CODE_IN or CODE_OUT) on port once the root
 * yields. */
static void space_start(port_space_t *s, uint64_t insn, unsigned port)
{
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, ATOLL_REG_RIP + 1)};
	m.w[ATOLL_REG_RDX] = port;
	m.w[ATOLL_REG_RIP] = insn;
	KCHECK_EQ(atoll_reply(s->reply, &m), ATOLL_E_OK);
}

/* What the started thread did, as try_inb reports it: the byte read (0 for
 * an out), or INB_FAULTED | vector << 8 | (it stopped at the in or out). */
static uint64_t space_result(port_space_t *s, uint64_t insn)
{
	atoll_msg_t m;
	if (recv_soon(s->ep, s->reply, &m) != ATOLL_E_OK ||
	    fault_label(&m) != ATOLL_FAULT_EXCEPTION)
		return INB_FAULTED | 0xff;
	if (m.w[0] != VEC_UD || m.w[2] != UD2_AFTER(insn))
		return INB_FAULTED | m.w[0] << 8 | (m.w[2] == insn);
	if (insn == CODE_OUT)
		return 0;
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n;
	KCHECK_EQ(tcb_read_registers(s->tcb, regs, &n), ATOLL_E_OK);
	return regs[ATOLL_REG_RAX] & 0xff;
}

static uint64_t space_inb(port_space_t *s, unsigned port)
{
	space_start(s, CODE_IN, port);
	return space_result(s, CODE_IN);
}

enum { CLOSED, OPEN };

static int result_is(uint64_t result, int expected)
{
	return expected == OPEN ? !(result & INB_FAULTED) : result == GP_AT_INSN;
}

/* a reads port_a, then b reads port_b straight after it: did each find its
 * port as expected? */
static int pair_is(port_space_t *a, unsigned port_a, int expect_a, port_space_t *b, unsigned port_b,
                   int expect_b)
{
	space_start(a, CODE_IN, port_a);
	space_start(b, CODE_IN, port_b);
	uint64_t ra = space_result(a, CODE_IN), rb = space_result(b, CODE_IN);
	return result_is(ra, expect_a) && result_is(rb, expect_b);
}

/* Close range i of s by deleting its capability. */
static void space_close(port_space_t *s, unsigned i)
{
	release(s->ranges[i]);
	s->ranges[i] = 0;
}

/* The VSpace goes before the port capabilities, as when a process is torn
 * down: it dies with its ports still open. */
static void space_free(port_space_t *s)
{
	tcb_suspend(s->tcb);
	uint64_t *slots[] = {&s->tcb,       &s->reply,     &s->ep,        &s->code,
	                     &s->tables[2], &s->tables[1], &s->tables[0], &s->vspace,
	                     &s->ranges[0], &s->ranges[1]};
	for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		release(*slots[i]);
		*slots[i] = 0;
	}
}

void test_ioport_space_without_ports_faults_after_one_with_ports(void)
{
	uint64_t code = code_frame_make();
	port_space_t with, without;
	space_make(&with, code, 0);
	space_make(&without, code, 0);
	space_open(&with, UART_BASE, UART_BASE + 7);
	for (unsigned round = 0; round < 3; round++) {
		KCHECK(pair_is(&with, UART_LSR, OPEN, &without, UART_LSR, CLOSED));
		KCHECK(pair_is(&without, UART_LSR, CLOSED, &with, UART_LSR, OPEN));
	}
	/* out, both orders. */
	space_start(&with, CODE_OUT, UART_SCR);
	space_start(&without, CODE_OUT, UART_SCR);
	KCHECK_EQ(space_result(&with, CODE_OUT), 0);
	KCHECK_EQ(space_result(&without, CODE_OUT), GP_AT_INSN);
	space_start(&without, CODE_OUT, UART_SCR);
	space_start(&with, CODE_OUT, UART_SCR);
	KCHECK_EQ(space_result(&without, CODE_OUT), GP_AT_INSN);
	KCHECK_EQ(space_result(&with, CODE_OUT), 0);
	/* The root's space has no ports either. */
	KCHECK(result_is(space_inb(&with, UART_LSR), OPEN));
	KCHECK_EQ(try_inb(UART_LSR), GP_AT_INSN);
	space_free(&without);
	space_free(&with);
	release(code);
}

/* a and b split one bitmap byte (0x3f8..0x3fb and 0x3fc..0x3ff), c is in
 * another byte (COM2), and the root's own space takes COM1's low half. */
void test_ioport_spaces_with_different_ports_alternate(void)
{
	uint64_t code = code_frame_make();
	port_space_t a, b, c;
	space_make(&a, code, 0);
	space_make(&b, code, 0);
	space_make(&c, code, 0);
	space_open(&a, UART_BASE, UART_BASE + 3);
	space_open(&b, UART_BASE + 4, UART_BASE + 7);
	space_open(&c, 0x2f8, 0x2ff);
	for (unsigned round = 0; round < 2; round++) {
		KCHECK(pair_is(&a, UART_LCR, OPEN, &b, UART_LSR, OPEN));
		KCHECK(pair_is(&b, UART_LCR, CLOSED, &a, UART_LSR, CLOSED));
		KCHECK(pair_is(&a, UART_LSR, CLOSED, &b, UART_LCR, CLOSED));
		KCHECK(pair_is(&b, UART_LSR, OPEN, &a, UART_IER_PORT, OPEN));
		KCHECK(pair_is(&a, UART_LCR, OPEN, &c, UART_LCR, CLOSED));
		KCHECK(pair_is(&c, COM2_LSR, OPEN, &a, COM2_LSR, CLOSED));
		KCHECK(pair_is(&c, COM2_LSR, OPEN, &b, COM2_LSR, CLOSED));
		KCHECK(pair_is(&b, UART_LSR, OPEN, &c, UART_LSR, CLOSED));
	}
	/* The root's space with ports of its own among them. */
	uint64_t p = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_BASE, UART_BASE + 3, ROOT, p),
	          ATOLL_E_OK);
	KCHECK_EQ(ioport_open(p, ATOLL_SLOT_VSPACE), ATOLL_E_OK);
	KCHECK(result_is(space_inb(&b, UART_LSR), OPEN));
	KCHECK(result_is(try_inb(UART_LCR), OPEN));
	KCHECK_EQ(try_inb(UART_LSR), GP_AT_INSN);
	KCHECK_EQ(space_inb(&c, UART_LCR), GP_AT_INSN);
	KCHECK(result_is(try_inb(UART_LCR), OPEN));
	KCHECK_EQ(space_inb(&b, UART_LCR), GP_AT_INSN);
	release(p);
	KCHECK_EQ(try_inb(UART_LCR), GP_AT_INSN);
	space_free(&c);
	space_free(&b);
	space_free(&a);
	release(code);
}

/* s's ports are in the TSS, hidden while a space without ports runs; then
 * one of its two ranges is closed. */
static void close_while_in_tss(int revoke)
{
	uint64_t code = code_frame_make();
	port_space_t s, without;
	space_make(&s, code, 0);
	space_make(&without, code, 0);
	space_open(&s, UART_BASE, UART_BASE + 3);
	uint64_t parent = slot_get();
	KCHECK_EQ(
		ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_BASE + 4, UART_BASE + 7, ROOT, parent),
		ATOLL_E_OK);
	s.ranges[1] = mint_cap(parent, ATOLL_RIGHTS_ALL, 0);
	KCHECK_EQ(ioport_open(s.ranges[1], s.vspace), ATOLL_E_OK);
	KCHECK(pair_is(&s, UART_LSR, OPEN, &without, UART_LSR, CLOSED));
	if (revoke)
		KCHECK_EQ(cnode_revoke(ROOT, parent), ATOLL_E_OK);
	else
		space_close(&s, 1);
	KCHECK_EQ(space_inb(&s, UART_LSR), GP_AT_INSN);
	KCHECK(result_is(space_inb(&s, UART_LCR), OPEN));
	/* The other range too: s has no ports left. */
	space_close(&s, 0);
	KCHECK_EQ(space_inb(&s, UART_LCR), GP_AT_INSN);
	KCHECK_EQ(space_inb(&without, UART_LCR), GP_AT_INSN);
	release(parent);
	space_free(&without);
	space_free(&s);
	release(code);
}

void test_ioport_delete_while_in_tss_closes_range(void)
{
	close_while_in_tss(0);
}

void test_ioport_revoke_while_in_tss_closes_range(void)
{
	close_while_in_tss(1);
}

/* A port space whose VSpace is retyped from ut. */
static void space_make_in(port_space_t *s, uint64_t code, uint64_t ut)
{
	uint64_t v = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_VSPACE, 0, ROOT, v, 1), ATOLL_E_OK);
	space_make(s, code, v);
}

/* A dead space's ports must not pass to the next VSpace made in its
 * memory: an untyped whose children are all gone starts again at its base,
 * so each VSpace here is where the one before it was. */
void test_ioport_vspace_in_dead_owners_memory_gets_only_its_ports(void)
{
	uint64_t code = code_frame_make();
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, ATOLL_VSPACE_BITS);
	port_space_t s;
	space_make_in(&s, code, ut);
	space_open(&s, UART_BASE, UART_BASE + 7);
	KCHECK(result_is(space_inb(&s, UART_LSR), OPEN));
	space_free(&s);
	/* Without ports at first, then with others. */
	space_make_in(&s, code, ut);
	KCHECK_EQ(space_inb(&s, UART_LSR), GP_AT_INSN);
	space_open(&s, 0x2f8, 0x2ff);
	KCHECK(result_is(space_inb(&s, COM2_LSR), OPEN));
	KCHECK_EQ(space_inb(&s, UART_LSR), GP_AT_INSN);
	space_free(&s);
	/* With other ports before its thread first runs. */
	space_make_in(&s, code, ut);
	space_open(&s, 0x2f8, 0x2ff);
	KCHECK_EQ(space_inb(&s, UART_LSR), GP_AT_INSN);
	KCHECK(result_is(space_inb(&s, COM2_LSR), OPEN));
	space_free(&s);
	release(ut);
	release(code);
}
