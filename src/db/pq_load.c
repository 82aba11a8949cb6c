/*
 * pq_load.c - open libpq.so.5 and fill the pointer table (pq_load.h).
 */
#define PQ_LOAD_IMPL
#include "pq_load.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

#include "../core/error.h"

/* libpq's soname has been libpq.so.5 since PostgreSQL 8.2. */
#define LIBPQ_SONAME "libpq.so.5"

struct pq_api pq_api;

int
pq_load(void)
{
	static bool loaded;
	void *h;
	void *sym;

	if (loaded)
		return 0;
	if ((h = dlopen(LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return err_set(EXIT_DB, "PostgreSQL needs libpq, which could "
		    "not be loaded: %s (Debian: apt-get install libpq5)",
		    dlerror());
	/* dlsym gives void *; copy it into the typed function pointer. */
#define PQ_RESOLVE(name)						\
	if ((sym = dlsym(h, #name)) == NULL)				\
		return err_set(EXIT_DB, "libpq lacks %s (strata needs "	\
		    "libpq 14 or newer): %s", #name, dlerror());	\
	memcpy(&pq_api.name, &sym, sizeof(sym));
	PQ_SYMBOLS(PQ_RESOLVE)
#undef PQ_RESOLVE
	loaded = true;
	return 0;
}
