#ifndef CORE_KSYMS_H
#define CORE_KSYMS_H

#include <stdint.h>

/* Print "  0x... function+offset" for a kernel address, from the symbol table
 * that the build writes into the image after linking. */
void ksyms_print_address(uint64_t addr);
void backtrace_from(uint64_t rbp);

#endif
