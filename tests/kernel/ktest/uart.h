#ifndef KTEST_UART_H
#define KTEST_UART_H

/* The 16550 UART on COM1, the device the I/O-port and IRQ tests use. */
#include "ktest.h"

#define UART_BASE 0x3f8
#define UART_IER (UART_BASE + 1) /* interrupt enable */
#define UART_IIR (UART_BASE + 2) /* interrupt identification (read) */
#define UART_MCR (UART_BASE + 4) /* modem control */
#define UART_LSR (UART_BASE + 5) /* line status */
#define UART_IER_THRE 0x02       /* interrupt when the transmitter is empty */
#define UART_MCR_NORMAL 0x03     /* DTR and RTS, as the kernel leaves it */
#define UART_MCR_OUT2 0x08       /* gates the IRQ line on PC boards */
#define UART_LSR_THR_EMPTY 0x60
#define UART_GSI 4 /* ISA IRQ 4, no override on QEMU's MADT: edge, active high */

/* try_inb: the byte read, or INB_FAULTED | vector << 8 | (rip was the in). */
#define INB_FAULTED (1ULL << 63)
uint64_t try_inb(unsigned port);
/* Issue and open COM1's ports in the root's address space; returns the cap. */
uint64_t uart_ports(void);

#endif
