#ifndef OBJECT_IRQ_H
#define OBJECT_IRQ_H

#include <stdint.h>

/* An interrupt arrived at vector: signal its handler's notification. The
 * line stays masked until the driver acknowledges it. */
void irq_dispatch(unsigned vector);

#endif
