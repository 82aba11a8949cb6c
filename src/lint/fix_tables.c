/*
 * fix_tables.c - the fixes that reshape a table's keys, columns and
 * partitions: a key through a concurrent unique index and USING INDEX, a
 * volatile default set after the bare column and filled in batches, an
 * ATTACH through a validated CHECK of the bound.
 */
#include "fix_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"

/* ADD PRIMARY KEY / UNIQUE: the index built CONCURRENTLY, then USING INDEX. */
char *
fx_fix_key(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
	const PgQuery__Constraint     *c;
	char                          *rel, *table, *name;
	struct buf                     cols = BUF_INIT;
	bool                           pk;
	size_t                         i;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
		*why = "the key is added with other actions: give it an ALTER "
		       "TABLE ... ADD CONSTRAINT of its own";
		return NULL;
	}
	c = cmd->def->constraint;
	pk = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
	if (c->n_options > 0 || (c->indexspace && c->indexspace[0]) ||
	    c->nulls_not_distinct || c->n_keys == 0) {
		*why = "the key has index options (WITH, USING INDEX "
		       "TABLESPACE, NULLS NOT DISTINCT) strata does not carry "
		       "over: build the index CONCURRENTLY by hand, then ADD "
		       "CONSTRAINT ... USING INDEX";
		return NULL;
	}
	table = pg_range_name(a->relation);
	if (table && lint_partitioned_find(x->c->run, table) != NULL) {
		free(table);
		*why = "PostgreSQL refuses USING INDEX on a partitioned table";
		return NULL;
	}
	if (c->conname && c->conname[0])
		name = xstrdup(c->conname);
	else if (pk)
		name = fx_object_name(a->relation->relname, NULL, "pkey");
	else {
		fx_names(&cols, c->keys, c->n_keys, "_", false);
		name = fx_object_name(a->relation->relname, buf_cstr(&cols),
		    "key");
		buf_reset(&cols);
	}
	rel = fx_name_at(x, a->relation->location);
	fx_header(x,
	    pk ? "its columns made NOT NULL without a scan under a "
		 "lock, its index built CONCURRENTLY, then the key "
		 "added USING INDEX"
	       : "its index built CONCURRENTLY, then the constraint "
		 "added USING INDEX");
	for (i = 0; pk && i < c->n_keys; i++) {
		fx_not_null_steps(x, &x->out, rel, table ? table : "",
		    fx_str(c->keys[i]), NULL);
		buf_adds(&x->out, "\n");
	}
	buf_adds(&x->out, "CREATE UNIQUE INDEX CONCURRENTLY ");
	fx_ident(&x->out, name);
	buf_addf(&x->out, " ON %s (", rel);
	fx_names(&x->out, c->keys, c->n_keys, ", ", true);
	buf_adds(&x->out, ")");
	if (c->n_including > 0) {
		buf_adds(&x->out, " INCLUDE (");
		fx_names(&x->out, c->including, c->n_including, ", ", true);
		buf_adds(&x->out, ")");
	}
	buf_addf(&x->out, ";\nALTER TABLE %s ADD CONSTRAINT ", rel);
	fx_ident(&x->out, name);
	buf_addf(&x->out, " %s USING INDEX ", pk ? "PRIMARY KEY" : "UNIQUE");
	fx_ident(&x->out, name);
	if (c->deferrable)
		buf_adds(&x->out, " DEFERRABLE");
	if (c->initdeferred)
		buf_adds(&x->out, " INITIALLY DEFERRED");
	buf_adds(&x->out, ";");
	buf_free(&cols);
	free(name);
	free(rel);
	free(table);
	return buf_detach(&x->out);
}

/* ADD COLUMN with a volatile default: added bare, then filled in batches. */
char *
fx_fix_volatile_default(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
	const PgQuery__ColumnDef      *d;
	size_t                         i, cut[2][2] = { { 0, 0 }, { 0, 0 } };
	size_t                         ncut = 0, at = 0, k;
	bool                           notnull = false;
	char                          *rel, *table, *expr = NULL;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
		*why = "the column is added with other actions: give it an "
		       "ALTER TABLE ... ADD COLUMN of its own";
		return NULL;
	}
	d = cmd->def->column_def;
	for (i = 0; i < d->n_constraints; i++) {
		const PgQuery__Constraint *c = d->constraints[i]->constraint;

		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT ||
		    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) {
			if (ncut == 2)
				return NULL;
			cut[ncut][0] = (size_t)c->location;
			cut[ncut][1] = fx_clause_end(x, d, c->location);
			if (c->contype ==
			    PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT) {
				k = fx_token_at(x, c->location);
				if (k + 1 >= x->ntok)
					return NULL;
				expr = xstrndup(x->text + x->tok[k + 1].off,
				    x->s->off + cut[ncut][1] -
					x->tok[k + 1].off);
			} else
				notnull = true;
			ncut++;
		} else {
			*why = "the column has constraints besides DEFAULT and "
			       "NOT NULL (or is GENERATED): add it bare, then "
			       "add them one by one";
			free(expr);
			return NULL;
		}
	}
	if (expr == NULL)
		return NULL;
	if (!fx_key_before(x, a->relation)) {
		*why = "the rows there are filled by a backfill, which walks "
		       "the table by its primary key, and strata knows of none "
		       "before this file: add one first";
		free(expr);
		return NULL;
	}
	if (ncut == 2 && cut[0][0] > cut[1][0]) {
		size_t t0 = cut[0][0], t1 = cut[0][1];

		cut[0][0] = cut[1][0], cut[0][1] = cut[1][1];
		cut[1][0] = t0, cut[1][1] = t1;
	}
	rel = fx_name_at(x, a->relation->location);
	table = pg_range_name(a->relation);
	fx_header(x,
	    "the column added without its default (no rewrite), the "
	    "default set, and the rows there filled in batches");
	for (i = 0; i < ncut; i++) {
		size_t from = cut[i][0];

		while (from > at &&
		    isspace((unsigned char)x->text[x->s->off + from - 1]))
			from--;
		fx_span(x, at, from);
		at = cut[i][1];
	}
	fx_span(x, at, x->body);
	buf_addf(&x->out, ";\n-- strata:commit\nALTER TABLE %s ALTER COLUMN ",
	    rel);
	fx_ident(&x->out, d->colname);
	buf_addf(&x->out, " SET DEFAULT %s;\n-- strata:batch\nUPDATE %s SET ",
	    expr, rel);
	fx_ident(&x->out, d->colname);
	buf_adds(&x->out, " = DEFAULT WHERE ");
	fx_ident(&x->out, d->colname);
	/* The dead rows cleared before the next DDL (fix_columns.c says why). */
	buf_addf(&x->out, " IS NULL;\nVACUUM (ANALYZE) %s;", rel);
	if (notnull) {
		buf_adds(&x->out, "\n");
		fx_not_null_steps(x, &x->out, rel, table ? table : "",
		    d->colname, NULL);
	}
	free(expr);
	free(rel);
	free(table);
	return buf_detach(&x->out);
}

/* The text of a bound's datum at loc, to the next ',' or ')' outside (). */
static char *
datum_text(const struct fx *x, int loc)
{
	size_t k = fx_token_at(x, loc), end, depth = 0;

	if (k >= x->ntok)
		return NULL;
	for (end = k; end < x->ntok; end++) {
		char ch = x->tok[end].type == TOKEN_PUNCT
		    ? x->text[x->tok[end].off]
		    : 0;

		if (ch == '(')
			depth++;
		else if (ch == ')' && depth-- == 0)
			break;
		else if (ch == ',' && depth == 0)
			break;
	}
	if (end == k)
		return NULL;
	return xstrndup(x->text + x->tok[k].off,
	    x->tok[end - 1].off + x->tok[end - 1].len - x->tok[k].off);
}

/* A range bound side: "" for MINVALUE/MAXVALUE, else the datum's text. */
static char *
range_side(const struct fx *x, PgQuery__Node **v, size_t n)
{
	const PgQuery__PartitionRangeDatum *d;
	const char                         *word;

	if (n != 1)
		return NULL;
	/* As the grammar leaves them: a constant, or MINVALUE / MAXVALUE. */
	if (v[0]->node_case == PG_QUERY__NODE__NODE_A_CONST)
		return v[0]->a_const->isnull
		    ? NULL
		    : datum_text(x, v[0]->a_const->location);
	if (v[0]->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
	    v[0]->column_ref->n_fields == 1 &&
	    (word = fx_str(v[0]->column_ref->fields[0])) != NULL &&
	    (strcmp(word, "minvalue") == 0 || strcmp(word, "maxvalue") == 0))
		return xstrdup("");
	if (v[0]->node_case != PG_QUERY__NODE__NODE_PARTITION_RANGE_DATUM)
		return NULL;
	d = v[0]->partition_range_datum;
	if (d->kind !=
	    PG_QUERY__PARTITION_RANGE_DATUM_KIND__PARTITION_RANGE_DATUM_VALUE)
		return xstrdup("");
	return d->value ? datum_text(x, d->location) : NULL;
}

/* ATTACH PARTITION: a validated CHECK of the bound first, dropped after. */
char *
fx_fix_attach(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt     *a;
	const PgQuery__AlterTableCmd      *cmd = fx_only_cmd(x, &a);
	const PgQuery__PartitionCmd       *pc;
	const PgQuery__PartitionBoundSpec *b;
	struct lint_partitioned           *p;
	struct buf                         check = BUF_INIT, key = BUF_INIT;
	char  *parent, *child, *childname, *tmp, *lo = NULL, *hi = NULL;
	size_t i;

	if (cmd == NULL || cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD)
		return NULL;
	pc = cmd->def->partition_cmd;
	b = pc->bound;
	parent = pg_range_name(a->relation);
	p = parent ? lint_partitioned_find(x->c->run, parent) : NULL;
	free(parent);
	if (p == NULL || p->keys[0] == '\0' || strchr(p->keys, ',') ||
	    b == NULL || b->is_default || b->strategy == NULL ||
	    (strcmp(b->strategy, "r") != 0 && strcmp(b->strategy, "l") != 0)) {
		*why = "strata writes the bound's CHECK for a range or list "
		       "partition of a table with one key column it knows; "
		       "add CHECK (bound) NOT VALID, VALIDATE, then ATTACH, by "
		       "hand";
		return NULL;
	}
	fx_ident(&key, p->keys);
	buf_addf(&check, "%s IS NOT NULL", buf_cstr(&key));
	if (strcmp(b->strategy, "r") == 0) {
		lo = range_side(x, b->lowerdatums, b->n_lowerdatums);
		hi = range_side(x, b->upperdatums, b->n_upperdatums);
		if (lo == NULL || hi == NULL)
			goto unfixed;
		if (*lo)
			buf_addf(&check, " AND %s >= %s", buf_cstr(&key), lo);
		if (*hi)
			buf_addf(&check, " AND %s < %s", buf_cstr(&key), hi);
	} else {
		buf_addf(&check, " AND %s IN (", buf_cstr(&key));
		for (i = 0; i < b->n_listdatums; i++) {
			char *v = NULL;

			if (b->listdatums[i]->node_case ==
				PG_QUERY__NODE__NODE_A_CONST &&
			    !b->listdatums[i]->a_const->isnull)
				v = datum_text(x,
				    b->listdatums[i]->a_const->location);
			if (v == NULL)
				goto unfixed;
			buf_addf(&check, "%s%s", i ? ", " : "", v);
			free(v);
		}
		buf_adds(&check, ")");
	}
	child = fx_name_at(x, pc->name->location);
	childname = pg_range_name(pc->name);
	tmp = fx_temp_name(x, childname ? childname : "", "bound");
	fx_header(x,
	    "a validated CHECK of the bound first, so ATTACH does not "
	    "scan the table under its lock");
	fx_check_validated(&x->out, child, tmp, buf_cstr(&check));
	buf_adds(&x->out, "-- strata:commit\n");
	fx_span(x, 0, x->s->len);
	buf_addf(&x->out,
	    "\n-- strata:commit\nALTER TABLE %s DROP CONSTRAINT %s;", child,
	    tmp);
	free(child);
	free(childname);
	free(tmp);
	free(lo);
	free(hi);
	buf_free(&check);
	buf_free(&key);
	return buf_detach(&x->out);
unfixed:
	*why = "a bound strata cannot copy into a CHECK (an expression, "
	       "NULL): add CHECK (bound) NOT VALID, VALIDATE, then ATTACH, "
	       "by hand";
	free(lo);
	free(hi);
	buf_free(&check);
	buf_free(&key);
	return NULL;
}
