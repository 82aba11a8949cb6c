/*
 * pg_checks.c - CHECK constraints for lint: a NOT VALID one waiting for
 * its VALIDATE (in the same transaction, it holds the ADD's lock through
 * the scan), and what a validated one proves: a CHECK (col IS NOT NULL)
 * makes SET NOT NULL cheap, and one reading a partition key lets ATTACH
 * PARTITION skip its scan.
 */
#include "pg_columns.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

/* The column of CHECK (col IS NOT NULL), or NULL. */
static const char *
not_null_column(const PgQuery__Node *e)
{
	const PgQuery__NullTest *nt;
	const PgQuery__Node     *a;

	if (e == NULL || e->node_case != PG_QUERY__NODE__NODE_NULL_TEST)
		return NULL;
	nt = e->null_test;
	if (nt->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL ||
	    nt->arg == NULL ||
	    nt->arg->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
		return NULL;
	if (nt->arg->column_ref->n_fields == 0)
		return NULL;
	a = nt->arg->column_ref->fields[nt->arg->column_ref->n_fields - 1];
	return a->node_case == PG_QUERY__NODE__NODE_STRING ? a->string->sval
							   : NULL;
}

/* The column is known not null: a later SET NOT NULL scans nothing. */
static void
not_null_checked(struct lint_stmt *ls, const char *table, const char *col)
{
	struct lint_column *lc = lint_column_find(ls->run, table, col);

	if (lc == NULL)
		lc = lint_column_set(ls->run, table, col, NULL);
	lc->notnull_checked = true;
}

/* Every column an expression reads, ',' between, into b. */
static void
columns_read(const PgQuery__Node *n, struct buf *b)
{
	size_t i;

	if (n == NULL)
		return;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_COLUMN_REF: {
		const PgQuery__ColumnRef *c = n->column_ref;
		const PgQuery__Node      *last;

		if (c->n_fields == 0)
			return;
		last = c->fields[c->n_fields - 1];
		if (last->node_case == PG_QUERY__NODE__NODE_STRING)
			buf_addf(b, "%s%s", b->len ? "," : "",
			    last->string->sval);
		return;
	}
	case PG_QUERY__NODE__NODE_A_EXPR:
		columns_read(n->a_expr->lexpr, b);
		columns_read(n->a_expr->rexpr, b);
		return;
	case PG_QUERY__NODE__NODE_BOOL_EXPR:
		for (i = 0; i < n->bool_expr->n_args; i++)
			columns_read(n->bool_expr->args[i], b);
		return;
	case PG_QUERY__NODE__NODE_NULL_TEST:
		columns_read(n->null_test->arg, b);
		return;
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		columns_read(n->type_cast->arg, b);
		return;
	case PG_QUERY__NODE__NODE_FUNC_CALL:
		for (i = 0; i < n->func_call->n_args; i++)
			columns_read(n->func_call->args[i], b);
		return;
	default: return;
	}
}

/* A validated CHECK reads these columns: ATTACH PARTITION may trust it. */
static void
columns_checked(struct lint_stmt *ls, const char *table, const char *list)
{
	while (list && *list) {
		size_t              len = strcspn(list, ",");
		char               *col = xstrndup(list, len);
		struct lint_column *c = lint_column_find(ls->run, table, col);

		if (c == NULL)
			c = lint_column_set(ls->run, table, col, NULL);
		c->checked = true;
		free(col);
		list += len + (list[len] == ',');
	}
}

/*
 * A CHECK added NOT VALID waits for its VALIDATE; one added valid is known
 * at once.
 */
void
lint_pg_check_added(struct lint_stmt *ls, const char *table,
    const PgQuery__Constraint *c)
{
	struct lint_state *st = &ls->run->state;
	const char        *col = not_null_column(c->raw_expr);
	struct lint_check *k;
	struct buf         cols = BUF_INIT;

	columns_read(c->raw_expr, &cols);
	if (!c->skip_validation) {
		if (col && !ls->down)
			not_null_checked(ls, table, col);
		if (!ls->down)
			columns_checked(ls, table, buf_cstr(&cols));
		buf_free(&cols);
		return;
	}
	if (c->conname == NULL || c->conname[0] == '\0') {
		buf_free(&cols);
		return;
	}
	ARRAY_GROW(st->pending_checks, st->n_pending + 1, st->alloc_pending);
	k = &st->pending_checks[st->n_pending++];
	k->name = xstrdup(c->conname);
	k->table = xstrdup(table);
	k->not_null = col ? xstrdup(col) : NULL;
	k->columns = xstrdup(buf_cstr(&cols));
	k->in_tx = ls->in_tx;
	buf_free(&cols);
}

void
lint_pg_check_validated(struct lint_stmt *ls, const char *table,
    const char *name)
{
	struct lint_state *st = &ls->run->state;
	size_t             i;

	for (i = 0; name && i < st->n_pending; i++) {
		const struct lint_check *k = &st->pending_checks[i];

		if (strcmp(k->name, name) != 0)
			continue;
		if (k->in_tx && ls->in_tx)
			lint_report(ls, R_CONSTRAINT_MISSING_NOT_VALID, 0,
			    table, "SHARE UPDATE EXCLUSIVE", NULL,
			    "validate it in a later migration, so that the "
			    "ACCESS EXCLUSIVE lock of ADD CONSTRAINT is gone "
			    "before the scan",
			    "VALIDATE CONSTRAINT \"%s\" in the transaction that "
			    "added it NOT VALID keeps that ACCESS EXCLUSIVE lock "
			    "through the whole scan",
			    name);
		if (k->not_null)
			not_null_checked(ls, table, k->not_null);
		columns_checked(ls, table, k->columns);
	}
}

bool
lint_pg_not_null_known(struct lint_stmt *ls, const char *table,
    const char *column)
{
	struct lint_column *lc = lint_column_find(ls->run, table, column);

	return ls->run->opt->pg_version >= 120000 && lc != NULL &&
	    lc->notnull_checked;
}
