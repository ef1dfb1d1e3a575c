#ifndef PROC_NAMESPACE_H
#define PROC_NAMESPACE_H

/*
 * The path namespace: servers own path prefixes, clients resolve a path to
 * the server whose prefix is the longest match at a path-component
 * boundary ("/dev/uart0" serves "/dev/uart0" and "/dev/uart0/x", not
 * "/dev/uart01"; "/" serves everything). Pure logic: tested on the host.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NS_MAX 32
#define NS_PREFIX_MAX 64

typedef struct ns_entry {
	bool used;
	char prefix[NS_PREFIX_MAX];
	size_t len;
	uint64_t owner;    /* pid */
	uint64_t endpoint; /* proc's slot of the server's endpoint */
} ns_entry_t;

typedef struct ns {
	ns_entry_t entries[NS_MAX];
} ns_t;

typedef enum ns_result {
	NS_OK,
	NS_TAKEN, /* another server owns exactly this prefix */
	NS_FULL,
	NS_INVALID, /* empty, too long, not absolute, or with a NUL inside */
} ns_result_t;

ns_result_t ns_add(ns_t *ns, const char *prefix, size_t len, uint64_t owner, uint64_t endpoint);
/* The entry serving path, or NULL. */
const ns_entry_t *ns_lookup(const ns_t *ns, const char *path, size_t len);
/* Drop every prefix owner registered; returns how many. */
unsigned ns_remove_owner(ns_t *ns, uint64_t owner);
/* The index-th registered entry in table order, or NULL. */
const ns_entry_t *ns_at(const ns_t *ns, unsigned index);

#endif
