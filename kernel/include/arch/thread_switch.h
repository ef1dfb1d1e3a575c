#ifndef ARCH_THREAD_SWITCH_H
#define ARCH_THREAD_SWITCH_H

#include <object/structures.h>

/* Make next the current thread: FPU state, FS/GS bases, address space,
 * I/O permissions and the entry stack pointer. prev may be NULL. */
void thread_switch(tcb_t *prev, tcb_t *next);
/* A dying thread: the CPU must not touch its TCB again. */
void thread_forget(tcb_t *t);
/* Reload the I/O bitmap if vs is the address space the CPU runs. */
void thread_io_bitmap_changed(vspace_t *vs);

#endif
