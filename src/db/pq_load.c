/*
 * pq_load.c - libpq's pointer table (pq_load.h), filled by dl_load.
 */
#define PQ_LOAD_IMPL
#include "pq_load.h"

#include <stddef.h>

#include "dl_load.h"

struct pq_api pq_api;

#define PQ_ENTRY(name) { #name, offsetof(struct pq_api, name) },
static const struct dl_symbol pq_symbols[] = { PQ_SYMBOLS(PQ_ENTRY) };
#undef PQ_ENTRY

/* libpq's soname has been libpq.so.5 since PostgreSQL 8.2. */
static struct dl_library libpq = {
	"libpq.so.5", "libpq5", "libpq 14 or newer", pq_symbols,
	sizeof(pq_symbols) / sizeof(pq_symbols[0]), &pq_api, false,
};

int
pq_load(void)
{
	return dl_load(&libpq);
}
