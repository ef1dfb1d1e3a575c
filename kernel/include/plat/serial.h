#ifndef PLAT_SERIAL_H
#define PLAT_SERIAL_H

/* The kernel's own log port: COM1, polled, so it works even in a panic. */
void serial_init(void);
void serial_putc(char c);

#endif
