/*
 * lint_state.c - what a lint run has learnt, from the catalog of the
 * database it is pointed at and from the files read so far: which tables
 * exist (and about how many rows they hold), which the run made, their
 * columns' types and checks, functions' volatility, partitioned tables.
 */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "pg_builtins.h"
#include "../util/hash.h"

void
lint_state_free(struct lint_state *st)
{
	size_t i;

	for (i = 0; i < st->n_new; i++)
		free(st->new_tables[i]);
	free(st->new_tables);
	for (i = 0; i < st->n_columns; i++) {
		free(st->columns[i].table);
		free(st->columns[i].column);
		free(st->columns[i].type);
		free(st->columns[i].default_expr);
		free(st->columns[i].catalog_type);
		free(st->columns[i].indexes);
		free(st->columns[i].pinned);
	}
	free(st->columns);
	free(st->buckets);
	free(st->next);
	for (i = 0; i < st->n_pending; i++) {
		free(st->pending_checks[i].name);
		free(st->pending_checks[i].table);
		free(st->pending_checks[i].not_null);
		free(st->pending_checks[i].columns);
	}
	free(st->pending_checks);
	for (i = 0; i < st->n_tables; i++)
		free(st->tables[i].name);
	free(st->tables);
	for (i = 0; i < st->n_functions; i++)
		free(st->functions[i].name);
	free(st->functions);
	for (i = 0; i < st->n_partitioned; i++) {
		free(st->partitioned[i].table);
		free(st->partitioned[i].keys);
		free(st->partitioned[i].default_part);
	}
	free(st->partitioned);
}

/* Names compare without a schema when one side has none. */
static bool
same_table(const char *a, const char *b)
{
	const char *da = strrchr(a, '.'), *db = strrchr(b, '.');

	if ((da == NULL) != (db == NULL)) {
		if (da)
			a = da + 1;
		if (db)
			b = db + 1;
	}
	return strcmp(a, b) == 0;
}

static const struct lint_table *
catalog_find(const struct lint_run *r, const char *table)
{
	size_t i;

	for (i = 0; i < r->state.n_tables; i++)
		if (same_table(r->state.tables[i].name, table))
			return &r->state.tables[i];
	return NULL;
}

void
lint_catalog_table(struct lint_run *r, const char *table, int64_t rows)
{
	struct lint_table *t;

	r->state.catalog = true;
	ARRAY_GROW(r->state.tables, r->state.n_tables + 1,
	    r->state.alloc_tables);
	t = &r->state.tables[r->state.n_tables++];
	t->name = xstrdup(table);
	t->rows = rows;
}

int64_t
lint_table_rows(const struct lint_run *r, const char *table)
{
	const struct lint_table *t;

	if (!r->state.catalog)
		return -2;
	t = catalog_find(r, table);
	return t ? t->rows : -1;
}

bool
lint_table_is_new(const struct lint_run *r, const char *table)
{
	size_t i;

	if (table == NULL)
		return false;
	for (i = 0; i < r->state.n_new; i++)
		if (same_table(r->state.new_tables[i], table))
			return true;
	/* Absent from the database it will run on: nobody uses it yet. */
	return r->state.catalog && strncmp(table, "index:", 6) != 0 &&
	    catalog_find(r, table) == NULL;
}

void
lint_table_created(struct lint_run *r, const char *table)
{
	if (table == NULL || lint_table_is_new(r, table))
		return;
	ARRAY_GROW(r->state.new_tables, r->state.n_new + 1, r->state.alloc_new);
	r->state.new_tables[r->state.n_new++] = xstrdup(table);
}

void
lint_table_dropped(struct lint_run *r, const char *table)
{
	size_t i;

	for (i = 0; table && i < r->state.n_new; i++)
		if (same_table(r->state.new_tables[i], table)) {
			free(r->state.new_tables[i]);
			r->state.new_tables[i] =
			    r->state.new_tables[--r->state.n_new];
			return;
		}
}

/* FNV-1a of the table's name without its schema, and the column's. */
static size_t
column_hash(const char *table, const char *column)
{
	const char *bare = strrchr(table, '.');

	return (
	    size_t)fnv1a(fnv1a(fnv1a(FNV1A_INIT, bare ? bare + 1 : table), "."),
	    column);
}

/* Chain every column into a table of 2n buckets, afresh. */
static void
rehash(struct lint_state *st)
{
	size_t i, n = st->n_buckets ? st->n_buckets * 2 : 64;

	free(st->buckets);
	st->buckets = xmalloc(n * sizeof(*st->buckets));
	st->n_buckets = n;
	for (i = 0; i < n; i++)
		st->buckets[i] = -1;
	st->next = xrealloc(st->next, st->alloc_columns * sizeof(*st->next));
	for (i = 0; i < st->n_columns; i++) {
		size_t b = column_hash(st->columns[i].table,
			       st->columns[i].column) &
		    (n - 1);

		st->next[i] = st->buckets[b];
		st->buckets[b] = (long)i;
	}
}

struct lint_column *
lint_column_find(struct lint_run *r, const char *table, const char *column)
{
	struct lint_state *st = &r->state;
	long               i;

	if (table == NULL || column == NULL || st->n_buckets == 0)
		return NULL;
	for (i = st->buckets[column_hash(table, column) & (st->n_buckets - 1)];
	     i >= 0; i = st->next[i])
		if (same_table(st->columns[i].table, table) &&
		    strcmp(st->columns[i].column, column) == 0)
			return &st->columns[i];
	return NULL;
}

struct lint_column *
lint_column_set(struct lint_run *r, const char *table, const char *column,
    const char *type)
{
	struct lint_column *c = lint_column_find(r, table, column);

	if (c == NULL) {
		struct lint_state *st = &r->state;
		size_t             b;

		ARRAY_GROW(st->columns, st->n_columns + 1, st->alloc_columns);
		c = &st->columns[st->n_columns++];
		memset(c, 0, sizeof(*c));
		c->table = xstrdup(table);
		c->column = xstrdup(column);
		if (st->n_columns > st->n_buckets / 2)
			rehash(st);
		else {
			b = column_hash(table, column) & (st->n_buckets - 1);
			st->next = xrealloc(st->next,
			    st->alloc_columns * sizeof(*st->next));
			st->next[st->n_columns - 1] = st->buckets[b];
			st->buckets[b] = (long)st->n_columns - 1;
		}
	}
	free(c->type);
	c->type = type ? xstrdup(type) : NULL;
	return c;
}

void
lint_column_pin(struct lint_run *r, const char *table, const char *column,
    const char *why)
{
	struct lint_column *c = lint_column_find(r, table, column);

	if (c == NULL)
		c = lint_column_set(r, table, column, NULL);
	if (c->pinned == NULL)
		c->pinned = xstrdup(why);
}

struct lint_partitioned *
lint_partitioned_find(struct lint_run *r, const char *table)
{
	size_t i;

	for (i = 0; table && i < r->state.n_partitioned; i++)
		if (same_table(r->state.partitioned[i].table, table))
			return &r->state.partitioned[i];
	return NULL;
}

struct lint_partitioned *
lint_partitioned_set(struct lint_run *r, const char *table, const char *keys)
{
	struct lint_state       *st = &r->state;
	struct lint_partitioned *p = lint_partitioned_find(r, table);

	if (p == NULL) {
		ARRAY_GROW(st->partitioned, st->n_partitioned + 1,
		    st->alloc_partitioned);
		p = &st->partitioned[st->n_partitioned++];
		memset(p, 0, sizeof(*p));
		p->table = xstrdup(table);
	}
	free(p->keys);
	p->keys = xstrdup(keys);
	return p;
}

void
lint_function_set(struct lint_run *r, const char *name, bool is_volatile)
{
	struct lint_state *st = &r->state;
	size_t             i;

	for (i = 0; i < st->n_functions; i++)
		if (strcmp(st->functions[i].name, name) == 0) {
			/* Any volatile variant makes the name volatile. */
			st->functions[i].is_volatile |= is_volatile;
			return;
		}
	ARRAY_GROW(st->functions, st->n_functions + 1, st->alloc_functions);
	st->functions[st->n_functions].name = xstrdup(name);
	st->functions[st->n_functions++].is_volatile = is_volatile;
}

bool
lint_function_volatile(const struct lint_run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->state.n_functions; i++)
		if (strcmp(r->state.functions[i].name, name) == 0)
			return r->state.functions[i].is_volatile;
	return pg_builtin_volatile(name) != 0;
}

void
lint_table_renamed(struct lint_run *r, const char *from, const char *to)
{
	struct lint_state *st = &r->state;
	size_t             i;
	bool               moved = false;

	for (i = 0; i < st->n_tables; i++)
		if (same_table(st->tables[i].name, from)) {
			const char *dot = strrchr(st->tables[i].name, '.');
			struct buf  b = BUF_INIT;

			/* The catalog's names keep their schema. */
			if (dot && strchr(to, '.') == NULL)
				buf_add(&b, st->tables[i].name,
				    (size_t)(dot - st->tables[i].name) + 1);
			buf_adds(&b, to);
			free(st->tables[i].name);
			st->tables[i].name = buf_detach(&b);
		}
	for (i = 0; i < st->n_columns; i++)
		if (same_table(st->columns[i].table, from)) {
			free(st->columns[i].table);
			st->columns[i].table = xstrdup(to);
			moved = true;
		}
	/* The columns hash by their table's name: chain them again. */
	if (moved) {
		st->n_buckets /= 2;
		rehash(st);
	}
}
