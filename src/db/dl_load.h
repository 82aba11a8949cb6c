/*
 * dl_load.h - a shared library opened on first use, its functions copied
 * into a table of typed pointers.
 *
 * libpq (pq_load.h) and libpg_query (pgq_load.h) are only needed by
 * PostgreSQL runs; linking them would make every run pay for loading or
 * relocating them. Each keeps a struct of function pointers, one member
 * per function named like it, and a list of { name, offset } built from
 * the same X-macro.
 */
#ifndef STRATA_DL_LOAD_H
#define STRATA_DL_LOAD_H

#include <stdbool.h>
#include <stddef.h>

struct dl_symbol {
	const char	*name;
	size_t		 offset;	/* of its pointer in the table */
};

struct dl_library {
	const char	*soname;
	const char	*package;	/* Debian's, for the error message */
	const char	*need;		/* e.g. "libpq 14 or newer" */
	const struct dl_symbol *symbols;
	size_t		 n;
	void		*table;
	bool		 loaded;
};

/*
 * Open the library once and fill its table: 0, or -EXIT_DB (error set).
 * Not for two threads at once: strata's first call of each is on the
 * main thread (opening the database, splitting a file).
 */
int	dl_load(struct dl_library *);

#endif
