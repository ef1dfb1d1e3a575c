#ifndef PROC_SERVICES_H
#define PROC_SERVICES_H

/*
 * Boot services from the manifest: starting them with exactly the devices
 * the manifest grants, and restarting them by their policy when they die.
 */
#include <atoll/errors.h>
#include <stdbool.h>

#include "manifest.h"
#include "process.h"

extern manifest_t manifest;

atoll_error_t service_start(unsigned index);
/* A process ended (exit, fault or kill): restart it if it is a service
 * whose policy says so. */
void service_died(const process_t *p);
/* Is prefix one the service may register? */
bool service_may_serve(const process_t *p, const char *prefix, size_t len);

#endif
