/*
 * pg_partitions.c - lint rules that know partitioned tables: which tables
 * are partitioned (the catalog, or the files' PARTITION BY), by which
 * key, and whether they have a default partition.
 *
 * attach-partition-scan: ATTACH PARTITION scans the table attached under
 * ACCESS EXCLUSIVE unless a validated CHECK on it already says its rows
 * fit the bound. default-partition-scan: a new partition beside a default
 * one makes PostgreSQL scan the default for rows that now belong to the
 * new one. partitioned-unique-key: PostgreSQL refuses a unique index or
 * constraint that leaves out a partition key column.
 */
#include "pg_partitions.h"
#include "pg_locks.h"

#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "../util/buf.h"

/* "a,b" of a PARTITION BY; an expression key is "". */
static char *
key_list(const PgQuery__PartitionSpec *spec)
{
	struct buf b = BUF_INIT;
	size_t     i;

	for (i = 0; i < spec->n_part_params; i++) {
		const PgQuery__Node *n = spec->part_params[i];

		if (i > 0)
			buf_addch(&b, ',');
		if (n->node_case == PG_QUERY__NODE__NODE_PARTITION_ELEM &&
		    n->partition_elem->name && n->partition_elem->name[0])
			buf_adds(&b, n->partition_elem->name);
	}
	buf_adds(&b, "");
	return buf_detach(&b);
}

/* Is every key column among cols? An expression key never is. */
static bool
keys_covered(const char *keys, const char *const *cols, size_t n)
{
	const char *k = keys;

	for (;;) {
		size_t len = strcspn(k, ","), i;
		bool   found = false;

		for (i = 0; len > 0 && i < n; i++)
			if (cols[i] && strlen(cols[i]) == len &&
			    strncmp(cols[i], k, len) == 0)
				found = true;
		if (!found)
			return false;
		if (k[len] == '\0')
			return true;
		k += len + 1;
	}
}

void
lint_pg_unique_on_partitioned(struct lint_stmt *ls, const char *table,
    const char *const *cols, size_t n, size_t at)
{
	struct lint_partitioned *p = lint_partitioned_find(ls->run, table);

	if (p == NULL || keys_covered(p->keys, cols, n))
		return;
	lint_report(ls, R_PARTITIONED_UNIQUE_KEY, at, table, NULL, NULL,
	    "include every partition key column in the key (or make it a "
	    "plain index)",
	    "a unique key on partitioned table \"%s\" must include its "
	    "partition key (%s): PostgreSQL refuses it",
	    table, p->keys[0] ? p->keys : "an expression");
}

/* The columns of a key's IndexElems or String keys, into cols. */
static size_t
key_columns(PgQuery__Node **list, size_t n, const char **cols, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < max; i++) {
		const PgQuery__Node *e = list[i];

		if (e->node_case == PG_QUERY__NODE__NODE_STRING)
			cols[k++] = e->string->sval;
		else if (e->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
			cols[k++] = e->index_elem->name &&
				e->index_elem->name[0]
			    ? e->index_elem->name
			    : NULL;
	}
	return k;
}

void
lint_pg_unique_index(struct lint_stmt *ls, const char *table,
    const PgQuery__IndexStmt *x)
{
	const char *cols[32];
	size_t      n;

	if (!x->unique && !x->primary)
		return;
	n = key_columns(x->index_params, x->n_index_params, cols, 32);
	lint_pg_unique_on_partitioned(ls, table, cols, n, 0);
}

void
lint_pg_unique_constraint(struct lint_stmt *ls, const char *table,
    const PgQuery__Constraint *c, const char *column)
{
	const char *cols[32];
	size_t      n;

	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE)
		return;
	/* USING INDEX: the index was judged when it was made. */
	if (c->indexname && c->indexname[0])
		return;
	if (column != NULL) {
		cols[0] = column;
		n = 1;
	} else
		n = key_columns(c->keys, c->n_keys, cols, 32);
	lint_pg_unique_on_partitioned(ls, table, cols, n,
	    c->location > 0 ? (size_t)c->location : 0);
}

/* A partition beside an existing default one: the default is scanned. */
static void
default_scan(struct lint_stmt *ls, const struct lint_partitioned *p,
    const char *what)
{
	if (p == NULL || p->default_part == NULL ||
	    !lint_pg_existing(ls, p->default_part))
		return;
	lint_report(ls, R_DEFAULT_PARTITION_SCAN, 0, p->table, AE, RW,
	    "move the default partition's rows of the new range out first "
	    "(or detach the default partition, attach, and attach it again "
	    "with a validated CHECK)",
	    "%s of \"%s\" scans its default partition \"%s\" for rows that "
	    "belong to the new partition, under an ACCESS EXCLUSIVE lock",
	    what, p->table, p->default_part);
}

void
lint_pg_create_partitioned(struct lint_stmt *ls, const char *table,
    const PgQuery__CreateStmt *x)
{
	struct lint_partitioned *p;
	char                    *keys, *parent;
	size_t                   i;

	if (table == NULL)
		return;
	if (x->partspec != NULL && !ls->down) {
		keys = key_list(x->partspec);
		lint_partitioned_set(ls->run, table, keys);
		free(keys);
		/* Its keys, written in the CREATE TABLE. */
		for (i = 0; i < x->n_table_elts; i++) {
			const PgQuery__Node *e = x->table_elts[i];
			size_t               k;

			if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				lint_pg_unique_constraint(ls, table,
				    e->constraint, NULL);
			if (e->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
				continue;
			for (k = 0; k < e->column_def->n_constraints; k++)
				if (e->column_def->constraints[k]->node_case ==
				    PG_QUERY__NODE__NODE_CONSTRAINT)
					lint_pg_unique_constraint(ls, table,
					    e->column_def->constraints[k]
						->constraint,
					    e->column_def->colname);
		}
	}
	if (x->partbound == NULL || x->n_inh_relations != 1 ||
	    x->inh_relations[0]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
		return;
	parent = pg_range_name(x->inh_relations[0]->range_var);
	p = lint_partitioned_find(ls->run, parent);
	if (x->partbound->is_default && p != NULL) {
		free(p->default_part);
		p->default_part = xstrdup(table);
	} else
		default_scan(ls, p, "CREATE TABLE ... PARTITION OF");
	free(parent);
}

/* Does a validated CHECK on table read every column of the key? */
static bool
bound_checked(struct lint_stmt *ls, const char *table, const char *keys)
{
	const char *k = keys;

	for (;;) {
		size_t              len = strcspn(k, ",");
		char               *col = xstrndup(k, len);
		struct lint_column *c = lint_column_find(ls->run, table, col);

		free(col);
		if (len == 0 || c == NULL || !c->checked)
			return false;
		if (k[len] == '\0')
			return true;
		k += len + 1;
	}
}

void
lint_pg_attach(struct lint_stmt *ls, const char *parent,
    const PgQuery__PartitionCmd *c)
{
	struct lint_partitioned *p = lint_partitioned_find(ls->run, parent);
	char                    *child = pg_range_name(c->name);
	bool                     is_default = c->bound && c->bound->is_default;

	if (lint_pg_existing(ls, child) && p != NULL &&
	    !bound_checked(ls, child, p->keys))
		lint_report(ls, R_ATTACH_PARTITION_SCAN, 0, child, AE, RW,
		    "ADD CONSTRAINT ... CHECK (the bound) NOT VALID on the "
		    "table; VALIDATE CONSTRAINT (no lock on writes); then "
		    "ATTACH PARTITION, which trusts the check",
		    "ATTACH PARTITION of existing table \"%s\" scans it for "
		    "rows outside the bound under an ACCESS EXCLUSIVE lock",
		    child);
	if (!is_default)
		default_scan(ls, p, "ATTACH PARTITION");
	if (is_default && p != NULL && !ls->down) {
		free(p->default_part);
		p->default_part = xstrdup(child);
	}
	free(child);
}

void
lint_pg_detach(struct lint_stmt *ls, const char *parent,
    const PgQuery__PartitionCmd *c)
{
	struct lint_partitioned *p = lint_partitioned_find(ls->run, parent);
	char                    *child = pg_range_name(c->name);
	const char              *a, *b;

	/* The default partition detached: later partitions scan nothing. */
	if (p && p->default_part && child && !ls->down) {
		a = strrchr(p->default_part, '.');
		b = strrchr(child, '.');
		if (strcmp(a ? a + 1 : p->default_part, b ? b + 1 : child) ==
		    0) {
			free(p->default_part);
			p->default_part = NULL;
		}
	}
	free(child);
}

bool
lint_pg_is_partitioned(struct lint_stmt *ls, const char *table)
{
	return lint_partitioned_find(ls->run, table) != NULL;
}
