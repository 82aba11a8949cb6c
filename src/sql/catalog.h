/*
 * catalog.h - what a database's catalog tells lint, one fact a call. The
 * drivers' catalog slot (db.h) reads the facts with their own SQL; lint
 * keeps them (lint/catalog.c). Names are "schema.table" ("main.table" on
 * SQLite), columns and functions as the catalog spells them.
 */
#ifndef STRATA_CATALOG_H
#define STRATA_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

/* What a fix that moves a column to a new one must carry over. */
struct catalog_column {
	const char *table;
	const char *column;
	const char *type; /* format_type's words */
	bool        notnull;
	const char *default_expr; /* or NULL */
	/* Its plain indexes: "name|unique|method|col,col;..." or NULL. */
	const char *indexes;
	/* Why it cannot be moved (a constraint, a view uses it), or NULL. */
	const char *pinned;
};

struct catalog_sink {
	void *arg;
	/* A table and its estimated rows, -1 unknown. */
	void (*table)(void *, const char *table, int64_t rows);
	void (*column)(void *, const char *table, const char *column,
	    const char *type);
	/* From the describe slot, one table at a time (lint --fix). */
	void (*described)(void *, const struct catalog_column *);
	/* A validated CHECK (column IS NOT NULL). */
	void (*not_null_check)(void *, const char *table, const char *column);
	/* A column some validated CHECK reads. */
	void (*checked)(void *, const char *table, const char *column);
	/* A unique index on the column alone. */
	void (*unique_key)(void *, const char *table, const char *column);
	/* A partitioned table: its key columns ("a,b"), its default. */
	void (*partitioned)(void *, const char *table, const char *keys,
	    const char *default_part);
	void (*function)(void *, const char *name, bool is_volatile);
};

#endif
