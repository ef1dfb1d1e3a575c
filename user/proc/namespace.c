#include <atoll_rt/string.h>

#include "namespace.h"

static bool valid_prefix(const char *prefix, size_t len)
{
	if (len == 0 || len >= NS_PREFIX_MAX || prefix[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if (prefix[i] == 0)
			return false;
	return true;
}

ns_result_t ns_add(ns_t *ns, const char *prefix, size_t len, uint64_t owner, uint64_t endpoint)
{
	if (!valid_prefix(prefix, len))
		return NS_INVALID;
	ns_entry_t *free = NULL;
	for (unsigned i = 0; i < NS_MAX; i++) {
		ns_entry_t *e = &ns->entries[i];
		if (!e->used) {
			free = free ? free : e;
			continue;
		}
		if (e->len == len && memcmp(e->prefix, prefix, len) == 0)
			return NS_TAKEN;
	}
	if (!free)
		return NS_FULL;
	memcpy(free->prefix, prefix, len);
	free->prefix[len] = 0;
	free->len = len;
	free->owner = owner;
	free->endpoint = endpoint;
	free->used = true;
	return NS_OK;
}

static bool serves(const ns_entry_t *e, const char *path, size_t len)
{
	if (e->len > len || memcmp(e->prefix, path, e->len) != 0)
		return false;
	return e->len == len || e->prefix[e->len - 1] == '/' || path[e->len] == '/';
}

const ns_entry_t *ns_lookup(const ns_t *ns, const char *path, size_t len)
{
	const ns_entry_t *best = NULL;
	for (unsigned i = 0; i < NS_MAX; i++) {
		const ns_entry_t *e = &ns->entries[i];
		if (e->used && serves(e, path, len) && (!best || e->len > best->len))
			best = e;
	}
	return best;
}

unsigned ns_remove_owner(ns_t *ns, uint64_t owner)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NS_MAX; i++) {
		if (ns->entries[i].used && ns->entries[i].owner == owner) {
			ns->entries[i].used = false;
			n++;
		}
	}
	return n;
}

const ns_entry_t *ns_at(const ns_t *ns, unsigned index)
{
	for (unsigned i = 0; i < NS_MAX; i++)
		if (ns->entries[i].used && index-- == 0)
			return &ns->entries[i];
	return NULL;
}
