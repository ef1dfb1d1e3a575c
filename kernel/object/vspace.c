/*
 * Address spaces. A VSpace is a PML4 whose upper half is the kernel's; user
 * space builds the lower half from PDPT, PD and PT objects and frames. Each
 * table or frame capability records the one mapping it made (address-space
 * identifier and virtual address), so deleting the capability removes
 * exactly that mapping, and a stale record of a deleted VSpace is harmless:
 * its ASID no longer resolves.
 */
#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/paging.h>
#include <arch/thread_switch.h>
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/log.h>
#include <core/message.h>
#include <core/string.h>
#include <object/objects.h>
#include <object/vspace.h>

#define ASID_MAX 16384

static vspace_t *asid_table[ASID_MAX]; /* entry 0 is never used: ASID 0 means unmapped */
static uint32_t asid_free_hint = 1;
static uint32_t asids_used;

bool vspace_asids_available(uint64_t count)
{
	return count <= ASID_MAX - 1 - asids_used;
}

vspace_t *vspace_of_asid(uint32_t asid)
{
	return asid && asid < ASID_MAX ? asid_table[asid] : NULL;
}

uint64_t vspace_mapping_id(const vspace_t *vs)
{
	return vs->meta.asid | (uint64_t)vs->meta.generation << 32;
}

vspace_t *vspace_of_mapping(uint64_t id)
{
	vspace_t *vs = vspace_of_asid((uint32_t)id);
	return vs && vs->meta.generation == (uint32_t)(id >> 32) ? vs : NULL;
}

void vspace_init(vspace_t *vs)
{
	const uint64_t *kernel = phys_to_virt(kernel_pml4_phys);
	for (unsigned i = 256; i < 512; i++)
		vs->pml4[i] = kernel[i];
	memset(vs->io_bitmap, 0xff, sizeof(vs->io_bitmap));
	vs->meta.cr3 = virt_to_phys(vs->pml4);
	uint32_t a = asid_free_hint;
	while (asid_table[a])
		a = a + 1 < ASID_MAX ? a + 1 : 1;
	static uint32_t generations;
	asid_table[a] = vs;
	vs->meta.asid = a;
	vs->meta.generation = ++generations;
	/* The first PCID_COUNT - 1 ASIDs are their own PCID; the rest share PCID 0,
	 * whose entries are flushed at every switch. A PCID may have belonged to a
	 * dead VSpace: its entries go at the first switch. */
	if (paging_pcid && a < PCID_COUNT)
		vs->meta.cr3 |= a;
	vs->meta.tlb_stale = 1;
	asids_used++;
	asid_free_hint = a + 1 < ASID_MAX ? a + 1 : 1;
}

void vspace_finalize(vspace_t *vs)
{
	asid_table[vs->meta.asid] = NULL;
	asids_used--;
	if (read_cr3() == vs->meta.cr3)
		write_cr3(kernel_pml4_phys);
	/* Port capabilities still open here now resolve to nothing and close
	 * nothing: the TSS bitmap's copy of these ports goes now. */
	thread_io_bitmap_forget(vs);
}

static unsigned level_index(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* The entry for va at level (3 PML4 .. 0 PT), or NULL if a table above is missing. */
static uint64_t *walk(vspace_t *vs, uint64_t va, unsigned level)
{
	uint64_t *table = vs->pml4;
	for (unsigned l = 3; l > level; l--) {
		uint64_t e = table[level_index(va, l)];
		if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
			return NULL;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return &table[level_index(va, level)];
}

/* An entry of vs changed: invalidate it now if vs is loaded, else (with
 * PCIDs, where its entries survive a switch) before it is next used. */
static void flush_page(vspace_t *vs, uint64_t va)
{
	if (read_cr3() == vs->meta.cr3)
		invlpg(va);
	else
		vs->meta.tlb_stale = 1;
}

static void flush_all(vspace_t *vs)
{
	if (read_cr3() == vs->meta.cr3)
		write_cr3(read_cr3()); /* bit 63 clear: the PCID's entries go too */
	else
		vs->meta.tlb_stale = 1;
}

/* Level at which a table of this type is installed, and the span it covers. */
static unsigned table_level(unsigned type)
{
	return type == ATOLL_OBJ_PDPT ? 3 : type == ATOLL_OBJ_PD ? 2 : 1;
}

void page_table_unmap_cap(cap_t *cap)
{
	if (!cap->data2)
		return;
	vspace_t *vs = vspace_of_mapping(cap->data2);
	if (vs) {
		uint64_t *e = walk(vs, cap->data, table_level(cap->type));
		if (e && (*e & PTE_ADDR_MASK) == cap->obj) {
			*e = 0;
			flush_all(vs);
		}
	}
	/* The table forgets its contents, so it cannot carry mappings elsewhere. */
	memset(phys_to_virt(cap->obj), 0, PAGE_SIZE);
	cap->data = cap->data2 = 0;
}

static atoll_error_t lookup_vspace(tcb_t *caller, vspace_t **out)
{
	cte_t *vs;
	atoll_error_t err = cspace_lookup_cap(caller, msg_get(caller, 0), ATOLL_OBJ_VSPACE, 0, &vs);
	if (err)
		return err;
	*out = (vspace_t *)vs->cap.obj;
	return ATOLL_E_OK;
}

atoll_error_t page_table_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	cap_t *cap = &slot->cap;
	if (label == ATOLL_PAGE_TABLE_UNMAP) {
		page_table_unmap_cap(cap);
		return ATOLL_E_OK;
	}
	if (label != ATOLL_PAGE_TABLE_MAP)
		return ATOLL_E_ILLEGAL_OP;
	if (length < 2)
		return ATOLL_E_INVALID_ARG;
	vspace_t *vs;
	atoll_error_t err = lookup_vspace(caller, &vs);
	if (err)
		return err;
	if (cap->data2)
		return ATOLL_E_ALREADY_MAPPED;
	uint64_t va = msg_get(caller, 1);
	if (va >= USER_TOP)
		return ATOLL_E_BAD_ADDRESS;
	unsigned level = table_level(cap->type);
	va &= ~((1ULL << (12 + 9 * level)) - 1);
	uint64_t *e = walk(vs, va, level);
	if (!e)
		return ATOLL_E_NOT_MAPPED;
	if (*e & PTE_PRESENT)
		return ATOLL_E_ALREADY_MAPPED;
	*e = cap->obj | PTE_PRESENT | PTE_WRITE | PTE_USER;
	cap->data = va;
	cap->data2 = vspace_mapping_id(vs);
	return ATOLL_E_OK;
}

void frame_unmap_cap(cap_t *cap)
{
	if (!cap->data2)
		return;
	vspace_t *vs = vspace_of_mapping(cap->data2);
	if (vs) {
		uint64_t *e = walk(vs, cap->data, cap->type == ATOLL_OBJ_LARGE_FRAME ? 1 : 0);
		if (e && (*e & PTE_PRESENT) && (*e & PTE_ADDR_MASK) == cap->obj) {
			*e = 0;
			flush_page(vs, cap->data);
		}
	}
	cap->data = cap->data2 = 0;
	cap->map_rights = 0;
}

static uint64_t frame_pte(uint64_t pa, unsigned map_rights, bool large, bool device)
{
	uint64_t pte = pa | PTE_PRESENT | PTE_USER;
	if (map_rights & ATOLL_MAP_WRITE)
		pte |= PTE_WRITE;
	if (!(map_rights & ATOLL_MAP_EXEC))
		pte |= PTE_NX;
	if ((map_rights & ATOLL_MAP_UNCACHED) || device)
		pte |= PTE_PCD | PTE_PWT;
	if (large)
		pte |= PTE_LARGE;
	return pte;
}

static atoll_error_t decode_frame_map(tcb_t *caller, cap_t *cap, unsigned length)
{
	if (length < 3)
		return ATOLL_E_INVALID_ARG;
	vspace_t *vs;
	atoll_error_t err = lookup_vspace(caller, &vs);
	if (err)
		return err;
	uint64_t va = msg_get(caller, 1);
	unsigned attrs = msg_get(caller, 2) &
	                 (ATOLL_MAP_READ | ATOLL_MAP_WRITE | ATOLL_MAP_EXEC | ATOLL_MAP_UNCACHED);
	unsigned rights = attrs & ATOLL_RIGHTS_ALL;
	bool large = cap->type == ATOLL_OBJ_LARGE_FRAME;
	uint64_t size = 1ULL << cap->size_bits;
	if (va < size || va >= USER_TOP || USER_TOP - va < size)
		return ATOLL_E_BAD_ADDRESS; /* the null page stays unmapped */
	if (va & (size - 1))
		return ATOLL_E_ALIGNMENT;
	if ((rights & cap->rights) != rights || !(cap->rights & ATOLL_RIGHT_READ))
		return ATOLL_E_NO_RIGHTS;
	if (cap->data2 && !vspace_of_mapping(cap->data2))
		cap->data = cap->data2 = 0; /* its VSpace is gone: the record is stale */
	bool remap = cap->data2 == vspace_mapping_id(vs) && cap->data == va;
	if (cap->data2 && !remap)
		return ATOLL_E_ALREADY_MAPPED;
	uint64_t *e = walk(vs, va, large ? 1 : 0);
	if (!e)
		return ATOLL_E_NOT_MAPPED;
	/* A remap changes this frame's own entry, never one that links a table. */
	if (remap && (!(*e & PTE_PRESENT) || (*e & PTE_ADDR_MASK) != cap->obj))
		remap = false;
	if ((*e & PTE_PRESENT) && !remap)
		return ATOLL_E_ALREADY_MAPPED;
	*e = frame_pte(cap->obj, attrs, large, cap->flags & CAP_DEVICE);
	if (remap)
		flush_page(vs, va);
	cap->data = va;
	cap->data2 = vspace_mapping_id(vs);
	cap->map_rights = attrs;
	return ATOLL_E_OK;
}

atoll_error_t frame_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                           unsigned *out_len)
{
	switch (label) {
	case ATOLL_FRAME_MAP:
		return decode_frame_map(caller, &slot->cap, length);
	case ATOLL_FRAME_UNMAP:
		frame_unmap_cap(&slot->cap);
		return ATOLL_E_OK;
	case ATOLL_FRAME_GET_ADDRESS:
		msg_set(caller, 0, slot->cap.obj);
		*out_len = 1;
		return ATOLL_E_OK;
	default:
		return ATOLL_E_ILLEGAL_OP;
	}
}

/* The direct-map address of the user byte at va, if its page is mapped for
 * user access (and writable, when write); NULL otherwise. *room says how many
 * bytes of the page follow. Device memory is not in the direct map: NULL. */
static uint8_t *user_byte(vspace_t *vs, uint64_t va, bool write, uint64_t *room)
{
	if (va >= USER_TOP)
		return NULL;
	/* One walk down: the PML4 and PDPT entries only lead the way (a 1 GiB
	 * page is never made), the PD entry and, below it, the PT entry must
	 * both grant the access. */
	const uint64_t *table = vs->pml4;
	for (unsigned l = 3; l > 1; l--) {
		uint64_t e = table[level_index(va, l)];
		if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
			return NULL;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	uint64_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITE : 0);
	uint64_t e = table[level_index(va, 1)];
	if ((e & need) != need || (e & PTE_PCD))
		return NULL;
	uint64_t page = LARGE_PAGE_SIZE;
	if (!(e & PTE_LARGE)) {
		table = phys_to_virt(e & PTE_ADDR_MASK);
		e = table[level_index(va, 0)];
		if ((e & need) != need || (e & PTE_PCD))
			return NULL;
		page = PAGE_SIZE;
	}
	*room = page - (va & (page - 1));
	return phys_to_virt((e & PTE_ADDR_MASK & ~(page - 1)) + (va & (page - 1)));
}

/* Whether every byte of [va, va + len) is mapped for user access (and
 * writable, when write). */
static bool user_range(vspace_t *vs, uint64_t va, uint64_t len, bool write)
{
	for (uint64_t room; len;) {
		if (!user_byte(vs, va, write, &room))
			return false;
		uint64_t n = room < len ? room : len;
		va += n;
		len -= n;
	}
	return true;
}

atoll_error_t vspace_read_user(vspace_t *vs, uint64_t va, void *dst, size_t len)
{
	/* Every page is checked before the first byte moves. */
	if (va + len < va || !user_range(vs, va, len, false))
		return ATOLL_E_BAD_ADDRESS;
	for (uint8_t *k = dst; len;) {
		uint64_t room;
		const uint8_t *u = user_byte(vs, va, false, &room);
		uint64_t n = room < len ? room : len;
		memcpy(k, u, n);
		k += n;
		va += n;
		len -= n;
	}
	return ATOLL_E_OK;
}

atoll_error_t vspace_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                            unsigned *out_len)
{
	(void)out_len;
	bool write = label == ATOLL_VSPACE_WRITE;
	if (label != ATOLL_VSPACE_READ && !write)
		return ATOLL_E_ILLEGAL_OP;
	if (!(slot->cap.rights & (write ? ATOLL_RIGHT_WRITE : ATOLL_RIGHT_READ)))
		return ATOLL_E_NO_RIGHTS;
	if (length < 3)
		return ATOLL_E_INVALID_ARG;
	uint64_t va = msg_get(caller, 0), len = msg_get(caller, 1), buf = msg_get(caller, 2);
	if (len > ATOLL_VSPACE_IO_MAX)
		return ATOLL_E_RANGE;
	vspace_t *vs = (vspace_t *)slot->cap.obj, *own = thread_vspace(caller);
	uint64_t room, own_room;
	uint8_t *there = user_byte(vs, va, write, &room);
	uint8_t *here = user_byte(own, buf, !write, &own_room);
	if (there && here && len <= room && len <= own_room) { /* the common case: one page each */
		memmove(write ? there : here, write ? here : there, len);
		return ATOLL_E_OK;
	}
	/* Both ranges are checked whole before the first byte moves. */
	if (va + len < va || !user_range(vs, va, len, write))
		return ATOLL_E_BAD_ADDRESS;
	if (buf + len < buf || !user_range(own, buf, len, !write))
		return ATOLL_E_INVALID_ARG;
	while (len) {
		there = user_byte(vs, va, write, &room);
		here = user_byte(own, buf, !write, &own_room);
		uint64_t n = room < own_room ? room : own_room;
		if (n > len)
			n = len;
		/* One frame may be mapped in both: memmove. */
		if (write)
			memmove(there, here, n);
		else
			memmove(here, there, n);
		va += n;
		buf += n;
		len -= n;
	}
	return ATOLL_E_OK;
}

void vspace_boot_map(vspace_t *vs, uint64_t va, uint64_t pa, unsigned map_rights,
                     uint64_t (*alloc_table)(void))
{
	uint64_t *table = vs->pml4;
	for (unsigned l = 3; l > 0; l--) {
		uint64_t *e = &table[level_index(va, l)];
		if (!(*e & PTE_PRESENT))
			*e = alloc_table() | PTE_PRESENT | PTE_WRITE | PTE_USER;
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	uint64_t *pte = &table[level_index(va, 0)];
	uint64_t next = frame_pte(pa, map_rights, false, false);
	/* Two ELF segments sharing a page: the page gets both segments' rights. */
	if ((*pte & PTE_PRESENT) && (*pte & PTE_ADDR_MASK) == pa)
		next = (next | (*pte & PTE_WRITE)) & (*pte | ~PTE_NX);
	*pte = next;
}

uint64_t vspace_boot_lookup(vspace_t *vs, uint64_t va)
{
	uint64_t *e = walk(vs, va, 0);
	return e && (*e & PTE_PRESENT) ? *e & PTE_ADDR_MASK : 0;
}
