/*
 * pg_data.c - lint's unbatched-data-change: an UPDATE or DELETE judged by
 * what it touches (one row by a unique key, else the planner's estimate
 * with a database, else the table's size), not by the table alone.
 */
#include "pg_rules.h"

#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"

/* Is `e` col = constant (or constant = col), col a unique key of table? */
static bool
unique_equality(struct lint_stmt *ls, const char *table, const PgQuery__Node *e)
{
	const PgQuery__AExpr *x;
	const PgQuery__Node  *col, *val;
	const PgQuery__Node  *last;
	struct lint_column   *c;

	if (e == NULL || e->node_case != PG_QUERY__NODE__NODE_A_EXPR)
		return false;
	x = e->a_expr;
	if (x->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || x->n_name != 1 ||
	    x->name[0]->node_case != PG_QUERY__NODE__NODE_STRING ||
	    strcmp(x->name[0]->string->sval, "=") != 0 || !x->lexpr ||
	    !x->rexpr)
		return false;
	col = x->lexpr->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? x->lexpr
								     : x->rexpr;
	val = col == x->lexpr ? x->rexpr : x->lexpr;
	if (col->node_case != PG_QUERY__NODE__NODE_COLUMN_REF ||
	    (val->node_case != PG_QUERY__NODE__NODE_A_CONST &&
		val->node_case != PG_QUERY__NODE__NODE_PARAM_REF &&
		val->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) ||
	    col->column_ref->n_fields == 0)
		return false;
	last = col->column_ref->fields[col->column_ref->n_fields - 1];
	if (last->node_case != PG_QUERY__NODE__NODE_STRING)
		return false;
	c = lint_column_find(ls->run, table, last->string->sval);
	return c != NULL && c->unique;
}

/* Does the WHERE pin a unique key (alone, or ANDed with more)? */
static bool
pins_unique_key(struct lint_stmt *ls, const char *table,
    const PgQuery__Node *where)
{
	size_t i;

	if (where->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    where->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (i = 0; i < where->bool_expr->n_args; i++)
			if (unique_equality(ls, table,
				where->bool_expr->args[i]))
				return true;
		return false;
	}
	return unique_equality(ls, table, where);
}

void
lint_pg_data_change(struct lint_stmt *ls, const PgQuery__RangeVar *rv,
    const PgQuery__Node *where, const char *what)
{
	char   *table;
	int64_t rows;

	if (ls->s->batch != NULL)
		return; /* -- strata:batch: what the rule asks for */
	table = pg_range_name(rv);
	rows = table ? lint_table_rows(ls->run, table) : -2;
	/*
	 * What the statement touches, not the table's size: one row by a
	 * unique key, else (with a database) the planner's estimate.
	 */
	if (lint_pg_existing(ls, table) && where != NULL &&
	    pins_unique_key(ls, table, where))
		rows = 1;
	else if (lint_pg_existing(ls, table) && rows > LINT_BIG_TABLE_ROWS &&
	    ls->run->estimate_rows != NULL) {
		int64_t touched = ls->run->estimate_rows(ls->run->db_arg,
		    ls->file->text.ptr + ls->s->off, ls->s->len);

		if (touched >= 0)
			rows = touched;
	}
	/* Known to be big: an error, not the rule's warning. */
	if (lint_pg_existing(ls, table) && rows > LINT_BIG_TABLE_ROWS)
		lint_report(ls, R_UNBATCHED_DATA_CHANGE, 0, table,
		    "ROW EXCLUSIVE", NULL,
		    "precede it with '-- strata:batch 10000' to run it in "
		    "keyset batches, each its own transaction",
		    "%s of existing table \"%s\" (about %lld rows) in one "
		    "statement holds the row locks of all it changes until it "
		    "commits, and replicas fall behind by all of its WAL",
		    what, table, (long long)rows)
		    ->severity = SEV_ERROR;
	else if (lint_pg_existing(ls, table) && where == NULL && rows < 0)
		lint_report(ls, R_UNBATCHED_DATA_CHANGE, 0, table,
		    "ROW EXCLUSIVE", NULL,
		    "change the rows in batches of a few thousand by key, each "
		    "in its own transaction",
		    "%s of every row of existing table \"%s\" in one statement "
		    "holds all their row locks until it commits, and replicas "
		    "fall behind by all of its WAL",
		    what, table);
	free(table);
}
