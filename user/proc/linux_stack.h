#ifndef PROC_LINUX_STACK_H
#define PROC_LINUX_STACK_H

/*
 * The initial stack of a Linux x86_64 process, as the kernel's execve
 * leaves it: argc, argv pointers, NULL, envp pointers, NULL, the auxiliary
 * vector, then the strings, with rsp 16-byte aligned at argc. Pure: tested on
 * the host.
 */
#include <atoll_rt/elf.h>

#include "args.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINUX_STACK_PAGE 4096

/*
 * Lay out the top page of the stack (page maps [top - 4096, top)) for the
 * arguments a. random is the 16 bytes AT_RANDOM points to. Returns false if
 * they do not fit; *sp is the initial rsp.
 */
bool linux_stack_build(uint8_t page[LINUX_STACK_PAGE], uint64_t top, const elf_info_t *elf,
                       const args_t *a, const uint8_t random[16], uint64_t *sp);

#endif
