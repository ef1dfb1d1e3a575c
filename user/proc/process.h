#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

/*
 * The process table. A process is a thread in its own CNode and VSpace,
 * all made from its chunks of memory (memory.h). proc keeps the capabilities
 * it needs to manage the process: the CNode, VSpace and TCB in its own CSpace
 * and the frames and page tables in "book" CNodes of the process's memory
 * that the process itself never sees.
 */
#include <atoll/errors.h>
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <stdbool.h>
#include <stdint.h>

#include <atoll_rt/elf.h>

#include "args.h"
#include "memory.h"
#include "pagemap.h"
#include "pool.h"

#define PROCESS_MAX 64
/* The first book is small (most programs are); later ones hold 4,095 pages
 * each, so a process can have about 240 MiB. */
#define BOOK_FIRST_RADIX 9
#define BOOK_RADIX 12
#define BOOK_MAX 16
#define NAME_MAX_LEN 32

typedef enum process_state {
	PROCESS_FREE,
	PROCESS_RUNNING,
	PROCESS_ZOMBIE,
} process_state_t;

typedef struct process {
	process_state_t state;
	uint64_t pid, parent;
	char name[NAME_MAX_LEN];
	unsigned priority;
	int service;      /* index in the manifest, -1 for other programs */
	uint64_t manager; /* pid of the server managing it (Linux programs), 0 if none */
	uint64_t brk;     /* the end of its loaded image, page-aligned */
	/* Its program: the segments and the file's bytes in the boot archive
	 * (NULL when its manager loaded it), whose pages a managed process
	 * gets when it first touches them. */
	elf_load_t image[ELF_LOAD_MAX];
	unsigned image_count;
	const uint8_t *image_file;
	chunk_set_t memory;
	uint64_t cnode, vspace, tcb; /* proc's slots */
	uint64_t endpoint;           /* proc's slot of a service's endpoint, 0 if none */
	uint64_t book[BOOK_MAX];     /* proc's slots of the book CNodes */
	/* A managed process's further threads: proc's slots of their TCBs
	 * (0: never made; kept when the thread ends, for the next one) and
	 * which of them run. Index = thread number; 0 is tcb. */
	uint64_t threads[PROC_THREAD_MAX];
	uint32_t threads_running;
	unsigned nbook, book_used; /* used slots in the newest book */
	pagemap_t map;             /* its pages (pages.h) */
	ref_stack_t free_frames;   /* book slots of frames it gave back */
	ref_stack_t free_slots;    /* empty book slots */
	unsigned shares_owned;     /* shared frames its memory holds */
	uint64_t pages;            /* pages in its map */
	uint64_t caps;             /* capabilities proc put in its CNode */
	int64_t status;            /* exit status, once a zombie */
	bool killed;
} process_t;

extern process_t processes[PROCESS_MAX];

process_t *process_by_pid(uint64_t pid);
typedef struct spawn_request {
	const args_t *args; /* path, argv, envp (see args.h) */
	uint64_t parent;
	int service; /* index in the manifest, -1 for other programs */
	unsigned priority;
	uint64_t manager;          /* pid of the server managing it; 0: a native program */
	uint64_t manager_endpoint; /* proc's slot of that server's endpoint */
	/* NULL: the program at args->path in the boot archive; else what the
	 * manager, which loads the program itself, says of it. */
	const elf_info_t *image;
} spawn_request_t;

/* Start the program (not yet running). */
atoll_error_t process_spawn(const spawn_request_t *req, process_t **out);
void process_rename(process_t *p, const char *name);
/* A new object from the process's memory in a slot of proc's CSpace. */
atoll_error_t process_new_object(process_t *p, unsigned type, unsigned size_bits, uint64_t *slot);
/* Map the frame in proc's slot into the process, making page tables as needed. */
atoll_error_t process_map_frame(process_t *p, uint64_t frame, uint64_t vaddr, unsigned attrs);
/* The page at vaddr for a fault (PROC_MAP_ANON): a page of the program
 * image from its file, else pages_touch's with rights (rights 0: none,
 * BAD_ADDRESS, when the page is not the image's). */
atoll_error_t process_touch(process_t *p, uint64_t vaddr, unsigned rights);
/* Page in the program image's pages of [start, end) that are not there
 * yet, so that unmapping or protecting the range covers them too. */
atoll_error_t process_page_in_image(process_t *p, uint64_t start, uint64_t end);
/* Copy a capability of proc's into the process's CNode at index. */
atoll_error_t process_give(process_t *p, uint64_t index, uint64_t slot, unsigned rights);
/* A copy of managed process parent: all its pages, shared copy-on-write,
 * and a thread with the given registers (atoll_register order), not yet
 * running. */
atoll_error_t process_fork(process_t *parent, uint64_t manager_endpoint,
                           const uint64_t regs[ATOLL_REG_COUNT], process_t **out);
/* Another thread in managed process p with the given registers, running
 * at once; *number is its thread number (its badge's thread field). */
atoll_error_t process_add_thread(process_t *p, uint64_t manager_endpoint,
                                 const uint64_t regs[ATOLL_REG_COUNT], unsigned *number);
/* Stop thread number (0: the first) of p for good. */
atoll_error_t process_end_thread(process_t *p, uint64_t number);
/* Stop the process and reclaim everything it had; it becomes a zombie. */
void process_destroy(process_t *p, int64_t status);
/* Forget a zombie whose status was collected. */
void process_reap(process_t *p);

/* The boot archive proc loads programs from. */
void process_set_archive(const void *archive, uint64_t size);
const void *process_archive(uint64_t *size);
/* proc's endpoint, which children receive badged with their pid. */
void process_set_endpoint(uint64_t ep);

/* Fault messages arrive on proc's endpoint with this bit in the badge. */
#define FAULT_BADGE_BIT (1ULL << 62)

#endif
