#ifndef OBJECT_NOTIFICATION_H
#define OBJECT_NOTIFICATION_H

#include <object/structures.h>

/*
 * Notifications: a word of pending bits. Signalling ORs in a badge and wakes
 * one waiter (or the bound thread, if it is receiving on its endpoint);
 * waiting or polling takes all pending bits at once.
 */
void notification_signal(notification_t *n, uint64_t badge);
void notification_wait(notification_t *n, tcb_t *t, bool blocking);
void notification_cancel(notification_t *n, tcb_t *t);
void notification_finalize(notification_t *n);

#endif
