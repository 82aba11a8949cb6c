/*
 * pg_columns.c - PostgreSQL columns for lint.
 *
 * A type is kept as PostgreSQL's format_type() spells it ("numeric(5,2)",
 * "character varying(40)", "timestamp(3) without time zone"), so that a
 * type learnt from the files and one read from a catalog compare alike.
 * Which changes need no rewrite is PostgreSQL's own list (ALTER TABLE's
 * documentation and the binary-coercible casts): a varchar made longer or
 * unbounded or made text, a numeric given more precision at the same
 * scale or none, a time type given more fractional digits, cidr to inet.
 */
#include "pg_columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "../util/buf.h"

#define AE "ACCESS EXCLUSIVE"
#define RW "reads and writes"

/* A type reduced to what a change is judged by. */
struct pg_type {
	char name[64]; /* format_type's base name */
	int  mods[2];
	int  nmods;
	bool array;
	bool serial; /* serial, bigserial, smallserial */
};

static const struct {
	const char *internal;
	const char *name;
} type_names[] = {
	{ "int2", "smallint" },
	{ "int4", "integer" },
	{ "int", "integer" },
	{ "int8", "bigint" },
	{ "float4", "real" },
	{ "float8", "double precision" },
	{ "bool", "boolean" },
	{ "varchar", "character varying" },
	{ "bpchar", "character" },
	{ "timestamp", "timestamp without time zone" },
	{ "timestamptz", "timestamp with time zone" },
	{ "time", "time without time zone" },
	{ "timetz", "time with time zone" },
	{ "decimal", "numeric" },
	{ "serial", "integer" },
	{ "serial4", "integer" },
	{ "bigserial", "bigint" },
	{ "serial8", "bigint" },
	{ "smallserial", "smallint" },
	{ "serial2", "smallint" },
};

static int
typmod_value(const PgQuery__Node *n)
{
	if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return n->a_const->ival->ival;
	return -1;
}

static void
type_of(const PgQuery__TypeName *tn, struct pg_type *t)
{
	const char *last = "";
	size_t      i;

	memset(t, 0, sizeof(*t));
	if (tn == NULL)
		return;
	for (i = 0; i < tn->n_names; i++)
		if (tn->names[i]->node_case == PG_QUERY__NODE__NODE_STRING)
			last = tn->names[i]->string->sval;
	t->serial = strstr(last, "serial") != NULL;
	snprintf(t->name, sizeof(t->name), "%s", last);
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(last, type_names[i].internal) == 0) {
			snprintf(t->name, sizeof(t->name), "%s",
			    type_names[i].name);
			break;
		}
	for (i = 0; i < tn->n_typmods && t->nmods < 2; i++)
		t->mods[t->nmods++] = typmod_value(tn->typmods[i]);
	t->array = tn->n_array_bounds > 0;
}

/* format_type's spelling: "numeric(5,2)", "timestamp(3) with time zone". */
static void
type_text(const struct pg_type *t, struct buf *out)
{
	const char *sp = NULL;
	size_t      base = strlen(t->name);

	if (strncmp(t->name, "timestamp ", 10) == 0 ||
	    strncmp(t->name, "time ", 5) == 0) {
		sp = strchr(t->name, ' ');
		base = (size_t)(sp - t->name);
	}
	buf_add(out, t->name, base);
	if (t->nmods == 1)
		buf_addf(out, "(%d)", t->mods[0]);
	else if (t->nmods == 2)
		buf_addf(out, "(%d,%d)", t->mods[0], t->mods[1]);
	if (sp)
		buf_adds(out, sp);
	if (t->array)
		buf_adds(out, "[]");
}

/* Parse format_type's spelling back (for types learnt earlier). */
static void
type_parse(const char *s, struct pg_type *t)
{
	const char *paren = strchr(s, '(');
	size_t      n;

	memset(t, 0, sizeof(*t));
	if (paren == NULL) {
		snprintf(t->name, sizeof(t->name), "%s", s);
		n = strlen(t->name);
		if (n > 2 && strcmp(t->name + n - 2, "[]") == 0) {
			t->name[n - 2] = '\0';
			t->array = true;
		}
		return;
	}
	n = (size_t)(paren - s);
	if (n >= sizeof(t->name))
		n = sizeof(t->name) - 1;
	memcpy(t->name, s, n);
	t->name[n] = '\0';
	t->nmods = sscanf(paren, "(%d,%d)", &t->mods[0], &t->mods[1]);
	if (t->nmods < 0)
		t->nmods = 0;
	paren = strchr(paren, ')');
	if (paren && paren[1] == ' ')
		snprintf(t->name + n, sizeof(t->name) - n, "%s", paren + 1);
	if (paren && strstr(paren, "[]"))
		t->array = true;
}

static bool
is_time_type(const char *name)
{
	return strncmp(name, "timestamp ", 10) == 0 ||
	    strncmp(name, "time ", 5) == 0 || strcmp(name, "interval") == 0;
}

/* Does changing `from` to `to` (without USING) keep the table's bytes? */
static bool
change_is_free(const struct pg_type *from, const struct pg_type *to)
{
	if (from->array != to->array)
		return false;
	if (strcmp(from->name, "cidr") == 0 && strcmp(to->name, "inet") == 0)
		return true;
	if (strcmp(from->name, "character varying") == 0) {
		if (strcmp(to->name, "text") == 0)
			return true;
		if (strcmp(to->name, "character varying") == 0)
			return to->nmods == 0 ||
			    (from->nmods == 1 && to->mods[0] >= from->mods[0]);
		return false;
	}
	if (strcmp(from->name, to->name) != 0)
		return false;
	if (strcmp(from->name, "numeric") == 0) {
		if (to->nmods == 0)
			return true;
		if (from->nmods == 0)
			return false;
		return to->mods[0] >= from->mods[0] &&
		    (to->nmods == 2 ? to->mods[1] : 0) ==
		    (from->nmods == 2 ? from->mods[1] : 0);
	}
	if (is_time_type(from->name)) {
		int p = from->nmods ? from->mods[0] : 6;
		int q = to->nmods ? to->mods[0] : 6;

		return q >= p;
	}
	return from->nmods == to->nmods &&
	    memcmp(from->mods, to->mods, sizeof(from->mods)) == 0;
}

/* --- the prefer-* rules: how a column is declared ------------------------- */

static void
prefer_rules(struct lint_stmt *ls, const char *table, const char *col,
    const struct pg_type *t, bool key, size_t at)
{
	if (ls->down)
		return;
	if (key &&
	    (strcmp(t->name, "integer") == 0 ||
		strcmp(t->name, "smallint") == 0))
		lint_report(ls, R_PREFER_BIGINT_KEY, at, table, NULL, NULL,
		    "bigint (or bigint GENERATED ALWAYS AS IDENTITY)",
		    "key column \"%s\" is %s: it runs out at %s rows, and "
		    "widening it later rewrites the table",
		    col, t->name,
		    strcmp(t->name, "integer") == 0 ? "2^31" : "32,767");
	if (strcmp(t->name, "timestamp without time zone") == 0)
		lint_report(ls, R_PREFER_TIMESTAMPTZ, at, table, NULL, NULL,
		    "timestamptz",
		    "column \"%s\" is timestamp without time zone: its values "
		    "mean different instants to clients in other time zones",
		    col);
	if ((strcmp(t->name, "character varying") == 0 ||
		strcmp(t->name, "character") == 0) &&
	    t->nmods > 0)
		lint_report(ls, R_PREFER_TEXT_FIELD, at, table, NULL, NULL,
		    "text, with a CHECK (length(col) <= n) if the "
		    "limit matters (changed later without a rewrite)",
		    "column \"%s\" is %s(%d): raising the limit later takes an "
		    "ACCESS EXCLUSIVE lock",
		    col, t->name, t->mods[0]);
	if (t->serial)
		lint_report(ls, R_PREFER_IDENTITY, at, table, NULL, NULL,
		    "bigint GENERATED ALWAYS AS IDENTITY",
		    "column \"%s\" is serial: an identity column keeps its "
		    "sequence's ownership and permissions with the column",
		    col);
	if (strcmp(t->name, "json") == 0)
		lint_report(ls, R_PREFER_JSONB, at, table, NULL, NULL, "jsonb",
		    "column \"%s\" is json: jsonb can be indexed and compared, "
		    "and drops duplicate keys",
		    col);
}

/* --- defaults ------------------------------------------------------------- */

/*
 * Is the default computed once (stored in the catalog, no rewrite), not per
 * row? A constant, or calls and operators of non-volatile functions over
 * such. Built-in operators are none of them volatile.
 */
static bool
default_is_constant(const struct lint_run *r, const PgQuery__Node *n)
{
	const char *name = "";
	size_t      i;

	if (n == NULL)
		return true;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST:
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: return true;
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return default_is_constant(r, n->type_cast->arg);
	case PG_QUERY__NODE__NODE_A_EXPR:
		return default_is_constant(r, n->a_expr->lexpr) &&
		    default_is_constant(r, n->a_expr->rexpr);
	case PG_QUERY__NODE__NODE_BOOL_EXPR:
		for (i = 0; i < n->bool_expr->n_args; i++)
			if (!default_is_constant(r, n->bool_expr->args[i]))
				return false;
		return true;
	case PG_QUERY__NODE__NODE_COALESCE_EXPR:
		for (i = 0; i < n->coalesce_expr->n_args; i++)
			if (!default_is_constant(r, n->coalesce_expr->args[i]))
				return false;
		return true;
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
		for (i = 0; i < n->a_array_expr->n_elements; i++)
			if (!default_is_constant(r,
				n->a_array_expr->elements[i]))
				return false;
		return true;
	case PG_QUERY__NODE__NODE_FUNC_CALL:
		for (i = 0; i < n->func_call->n_funcname; i++)
			if (n->func_call->funcname[i]->node_case ==
			    PG_QUERY__NODE__NODE_STRING)
				name = n->func_call->funcname[i]->string->sval;
		if (lint_function_volatile(r, name))
			return false;
		for (i = 0; i < n->func_call->n_args; i++)
			if (!default_is_constant(r, n->func_call->args[i]))
				return false;
		return true;
	default: return false;
	}
}

void
lint_pg_column_def(struct lint_stmt *ls, const char *table,
    const PgQuery__ColumnDef *cd, bool on_new)
{
	struct pg_type             t;
	struct buf                 text = BUF_INIT;
	const PgQuery__Constraint *dflt = NULL;
	bool   not_null = cd->is_not_null, key = false, identity = false;
	bool   unique = false;
	bool   generated = false, references = false;
	size_t at = loc(cd->location), i;

	if (cd->colname == NULL || table == NULL)
		return;
	type_of(cd->type_name, &t);
	for (i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Constraint *c;

		if (cd->constraints[i]->node_case !=
		    PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		c = cd->constraints[i]->constraint;
		switch (c->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: dflt = c; break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
			key = not_null = unique = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: unique = true; break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			identity = key = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			generated = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
			references = true;
			break;
		default: break;
		}
	}
	prefer_rules(ls, table, cd->colname, &t, key || (t.serial && key), at);
	if (!ls->down) {
		type_text(&t, &text);
		lint_column_set(ls->run, table, cd->colname, buf_cstr(&text))
		    ->unique = unique;
		buf_free(&text);
	}
	if (on_new)
		return;
	if (t.serial || identity)
		lint_report(ls, R_ADDING_SERIAL_COLUMN, at, table, AE, RW,
		    "add the column without a default, fill it in batches, "
		    "then attach the sequence with ALTER COLUMN ... SET DEFAULT",
		    "ADD COLUMN \"%s\" of a serial or identity type rewrites "
		    "existing table \"%s\" under an ACCESS EXCLUSIVE lock",
		    cd->colname, table);
	else if (generated)
		lint_report(ls, R_ADDING_FIELD_WITH_DEFAULT, at, table, AE, RW,
		    "add a plain column, fill it in batches, and keep it up to "
		    "date with a trigger",
		    "ADD COLUMN \"%s\" GENERATED ... STORED computes every row of "
		    "existing table \"%s\" under an ACCESS EXCLUSIVE lock",
		    cd->colname, table);
	else if (dflt &&
	    (ls->run->opt->pg_version < 110000 ||
		!default_is_constant(ls->run, dflt->raw_expr)))
		lint_report(ls, R_ADDING_FIELD_WITH_DEFAULT, at, table, AE, RW,
		    "ADD COLUMN without the default; ALTER COLUMN ... SET "
		    "DEFAULT; fill the old rows in batches",
		    ls->run->opt->pg_version < 110000
			? "ADD COLUMN \"%s\" with a default rewrites existing table "
			  "\"%s\" before PostgreSQL 11"
			: "ADD COLUMN \"%s\" with a volatile default rewrites existing "
			  "table \"%s\" under an ACCESS EXCLUSIVE lock",
		    cd->colname, table);
	if (not_null && dflt == NULL && !t.serial && !identity && !generated)
		lint_report(ls, R_ADDING_REQUIRED_FIELD, at, table, AE, RW,
		    "add it with a DEFAULT, or nullable, fill it, then add NOT "
		    "NULL through a validated CHECK",
		    "ADD COLUMN \"%s\" NOT NULL without a default fails on "
		    "existing table \"%s\" as soon as it has a row",
		    cd->colname, table);
	if (references)
		lint_report(ls, R_ADDING_FOREIGN_KEY_CONSTRAINT, at, table,
		    "SHARE ROW EXCLUSIVE", "writes",
		    "ADD COLUMN without REFERENCES; then ADD CONSTRAINT ... "
		    "FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT later",
		    "ADD COLUMN \"%s\" REFERENCES ... checks existing table "
		    "\"%s\" while both tables are locked against writes",
		    cd->colname, table);
}

void
lint_unique_key(struct lint_run *r, const char *table, const char *column)
{
	struct lint_column *c = lint_column_find(r, table, column);

	if (c == NULL)
		c = lint_column_set(r, table, column, NULL);
	c->unique = true;
}

/* The column of a key on one column (PRIMARY KEY, UNIQUE), or NULL. */
static const char *
single_key(const PgQuery__Constraint *c)
{
	if ((c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
		c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) ||
	    c->n_keys != 1 ||
	    c->keys[0]->node_case != PG_QUERY__NODE__NODE_STRING)
		return NULL;
	return c->keys[0]->string->sval;
}

void
lint_pg_table_constraint(struct lint_stmt *ls, const char *table,
    const PgQuery__Constraint *c)
{
	size_t i;

	if (!ls->down && single_key(c))
		lint_unique_key(ls->run, table, single_key(c));
	/* lint --fix does not move a column a file's constraint uses. */
	for (i = 0; !ls->down && i < c->n_keys; i++)
		if (c->keys[i]->node_case == PG_QUERY__NODE__NODE_STRING)
			lint_column_pin(ls->run, table,
			    c->keys[i]->string->sval,
			    "a key made by a migration file uses it");
	for (i = 0; !ls->down && i < c->n_fk_attrs; i++)
		if (c->fk_attrs[i]->node_case == PG_QUERY__NODE__NODE_STRING)
			lint_column_pin(ls->run, table,
			    c->fk_attrs[i]->string->sval,
			    "a foreign key made by a migration file uses it");
	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY || ls->down)
		return;
	for (i = 0; i < c->n_keys; i++) {
		const char         *col;
		struct lint_column *lc;
		struct pg_type      t;

		if (c->keys[i]->node_case != PG_QUERY__NODE__NODE_STRING)
			continue;
		col = c->keys[i]->string->sval;
		if ((lc = lint_column_find(ls->run, table, col)) == NULL ||
		    lc->type == NULL)
			continue;
		type_parse(lc->type, &t);
		prefer_rules(ls, table, col, &t, true, loc(c->location));
	}
}

void
lint_pg_type_change(struct lint_stmt *ls, const char *table, const char *column,
    const PgQuery__ColumnDef *cd, bool on_new)
{
	struct lint_column *lc = lint_column_find(ls->run, table, column);
	struct pg_type      from, to;
	struct buf          now = BUF_INIT;

	type_of(cd->type_name, &to);
	type_text(&to, &now);
	if (!on_new) {
		if (lc == NULL || lc->type == NULL)
			lint_report(ls, R_CHANGING_COLUMN_TYPE, 0, table, AE,
			    RW,
			    "add a new column of the new type, fill it in "
			    "batches, switch the application, drop the old one",
			    "ALTER COLUMN \"%s\" TYPE %s on existing table \"%s\" "
			    "may rewrite it under an ACCESS EXCLUSIVE lock: its "
			    "current type is unknown",
			    column, buf_cstr(&now), table);
		else {
			type_parse(lc->type, &from);
			if (cd->raw_default != NULL ||
			    !change_is_free(&from, &to))
				lint_report(ls, R_CHANGING_COLUMN_TYPE, 0,
				    table, AE, RW,
				    "add a new column of the new type, fill it "
				    "in batches, switch the application, drop the "
				    "old one",
				    "ALTER COLUMN \"%s\" TYPE from %s to %s "
				    "rewrites existing table \"%s\" under an "
				    "ACCESS EXCLUSIVE lock",
				    column, lc->type, buf_cstr(&now), table);
		}
	}
	prefer_rules(ls, table, column, &to, false, 0);
	if (!ls->down)
		lint_column_set(ls->run, table, column, buf_cstr(&now));
	buf_free(&now);
}

/* --- indexes of new tables ---------------------------------------------- */

void
lint_pg_index_created(struct lint_stmt *ls, const PgQuery__IndexStmt *x)
{
	struct buf b = BUF_INIT;
	char      *table;
	size_t     i;

	table = pg_range_name(x->relation);
	/* A unique index of one plain column makes it a key. */
	if (table && x->unique && x->n_index_params == 1 &&
	    x->where_clause == NULL && !ls->down &&
	    x->index_params[0]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM &&
	    x->index_params[0]->index_elem->name)
		lint_unique_key(ls->run, table,
		    x->index_params[0]->index_elem->name);
	for (i = 0; table && !ls->down && i < x->n_index_params; i++)
		if (x->index_params[i]->node_case ==
			PG_QUERY__NODE__NODE_INDEX_ELEM &&
		    x->index_params[i]->index_elem->name)
			lint_column_pin(ls->run, table,
			    x->index_params[i]->index_elem->name,
			    "an index made by a migration file uses it");
	if (x->idxname == NULL || x->idxname[0] == '\0') {
		free(table);
		return;
	}
	if (table && lint_table_is_new(ls->run, table)) {
		buf_addf(&b, "index:%s", x->idxname);
		lint_table_created(ls->run, buf_cstr(&b));
		buf_free(&b);
	}
	free(table);
}

bool
lint_pg_index_is_new(struct lint_stmt *ls, const char *index)
{
	struct buf  b = BUF_INIT;
	const char *dot = strrchr(index, '.');
	bool        is_new;

	buf_addf(&b, "index:%s", dot ? dot + 1 : index);
	is_new = lint_table_is_new(ls->run, buf_cstr(&b));
	buf_free(&b);
	return is_new;
}
