#ifndef PROC_REQUESTS_H
#define PROC_REQUESTS_H

/* proc's endpoint: the protocol requests and the faults of its processes. */
void requests_init(void);
_Noreturn void requests_serve(void);

#endif
