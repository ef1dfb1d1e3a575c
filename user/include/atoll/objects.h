#ifndef ATOLL_OBJECTS_H
#define ATOLL_OBJECTS_H

/* Kernel object types, as named by capabilities and by UNTYPED_RETYPE. */
typedef enum atoll_object_type {
	ATOLL_OBJ_NULL = 0,
	ATOLL_OBJ_UNTYPED, /* size_bits: 2^size_bits bytes, >= 12 */
	ATOLL_OBJ_TCB,
	ATOLL_OBJ_ENDPOINT,
	ATOLL_OBJ_NOTIFICATION,
	ATOLL_OBJ_REPLY,
	ATOLL_OBJ_CNODE,  /* size_bits: radix, 2^radix slots, slot 0 always empty */
	ATOLL_OBJ_VSPACE, /* a PML4 and the address space's bookkeeping */
	ATOLL_OBJ_PDPT,
	ATOLL_OBJ_PD,
	ATOLL_OBJ_PT,
	ATOLL_OBJ_FRAME,       /* 4 KiB */
	ATOLL_OBJ_LARGE_FRAME, /* 2 MiB */
	ATOLL_OBJ_IRQ_CONTROL, /* created by the kernel only */
	ATOLL_OBJ_IRQ_HANDLER, /* issued by IRQ control only */
	ATOLL_OBJ_IOPORT_CONTROL,
	ATOLL_OBJ_IOPORT,
	ATOLL_OBJ_COUNT
} atoll_object_type_t;

/* Object sizes in bits of bytes (log2), for objects of fixed size. */
#define ATOLL_TCB_BITS 11
#define ATOLL_ENDPOINT_BITS 5
#define ATOLL_NOTIFICATION_BITS 6
#define ATOLL_REPLY_BITS 5
#define ATOLL_SLOT_BITS 6
#define ATOLL_VSPACE_BITS 14
#define ATOLL_PAGE_TABLE_BITS 12
#define ATOLL_FRAME_BITS 12
#define ATOLL_LARGE_FRAME_BITS 21
#define ATOLL_UNTYPED_MIN_BITS 12
#define ATOLL_UNTYPED_MAX_BITS 47
#define ATOLL_CNODE_MAX_RADIX 16

/* Capability rights. */
#define ATOLL_RIGHT_READ 0x1  /* receive; read a frame; read registers */
#define ATOLL_RIGHT_WRITE 0x2 /* send or signal; write a frame; control a thread */
#define ATOLL_RIGHT_GRANT 0x4 /* transfer capabilities with a message */
#define ATOLL_RIGHT_EXEC 0x8  /* map a frame executable */
#define ATOLL_RIGHTS_ALL 0xf

/* Frame mapping attributes (FRAME_MAP word 1): the mapping's rights. */
#define ATOLL_MAP_READ ATOLL_RIGHT_READ
#define ATOLL_MAP_WRITE ATOLL_RIGHT_WRITE
#define ATOLL_MAP_EXEC ATOLL_RIGHT_EXEC
#define ATOLL_MAP_UNCACHED 0x10 /* device memory */

/* Scheduling. */
#define ATOLL_PRIORITIES 256

/* Register order used by read/write registers and by every fault message. */
enum atoll_register {
	ATOLL_REG_RAX,
	ATOLL_REG_RDI,
	ATOLL_REG_RSI,
	ATOLL_REG_RDX,
	ATOLL_REG_R10,
	ATOLL_REG_R8,
	ATOLL_REG_R9,
	ATOLL_REG_RIP,
	ATOLL_REG_RSP,
	ATOLL_REG_RFLAGS,
	ATOLL_REG_RBX,
	ATOLL_REG_RCX,
	ATOLL_REG_RBP,
	ATOLL_REG_R11,
	ATOLL_REG_R12,
	ATOLL_REG_R13,
	ATOLL_REG_R14,
	ATOLL_REG_R15,
	ATOLL_REG_FS_BASE,
	ATOLL_REG_GS_BASE,
	ATOLL_REG_COUNT
};

#endif
