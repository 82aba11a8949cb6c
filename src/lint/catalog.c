/*
 * catalog.c - the facts a database's catalog gives (sql/catalog.h), kept in
 * a lint run's state: its tables and their rows, the columns' types, the
 * validated CHECKs, unique keys, partitioned tables and functions.
 */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

static void
on_table(void *arg, const char *table, int64_t rows)
{
	lint_catalog_table(arg, table, rows);
}

static void
on_column(void *arg, const char *table, const char *column, const char *type)
{
	lint_column_set(arg, table, column, type);
}

/* The column, made known without a type when the files declared none. */
static struct lint_column *
column_of(struct lint_run *run, const char *table, const char *column)
{
	struct lint_column *c = lint_column_find(run, table, column);

	return c ? c : lint_column_set(run, table, column, NULL);
}

static void
on_described(void *arg, const struct catalog_column *d)
{
	struct lint_column *c = column_of(arg, d->table, d->column);

	c->described = true;
	c->notnull = d->notnull;
	c->default_expr = d->default_expr ? xstrdup(d->default_expr) : NULL;
	c->indexes = d->indexes ? xstrdup(d->indexes) : NULL;
	c->pinned = d->pinned ? xstrdup(d->pinned) : NULL;
	c->catalog_type = d->type ? xstrdup(d->type) : NULL;
}

static void
on_not_null_check(void *arg, const char *table, const char *column)
{
	column_of(arg, table, column)->notnull_checked = true;
}

static void
on_checked(void *arg, const char *table, const char *column)
{
	column_of(arg, table, column)->checked = true;
}

static void
on_unique_key(void *arg, const char *table, const char *column)
{
	lint_unique_key(arg, table, column);
}

static void
on_partitioned(void *arg, const char *table, const char *keys,
    const char *default_part)
{
	struct lint_partitioned *p = lint_partitioned_set(arg, table, keys);

	free(p->default_part);
	p->default_part = default_part ? xstrdup(default_part) : NULL;
}

static void
on_function(void *arg, const char *name, bool is_volatile)
{
	lint_function_set(arg, name, is_volatile);
}

void
lint_catalog_sink(struct lint_run *run, struct catalog_sink *sink)
{
	sink->arg = run;
	sink->table = on_table;
	sink->column = on_column;
	sink->described = on_described;
	sink->not_null_check = on_not_null_check;
	sink->checked = on_checked;
	sink->unique_key = on_unique_key;
	sink->partitioned = on_partitioned;
	sink->function = on_function;
}

struct lint_column *
lint_describe(struct lint_run *run, const char *table, const char *column)
{
	struct lint_column *c = lint_column_find(run, table, column);

	if ((c == NULL || !c->described) && run->describe != NULL) {
		run->describe(run->db_arg, run, table);
		c = lint_column_find(run, table, column);
	}
	return c;
}
