/*
 * fix_rules.c - the safe form of one statement, for the finding on it.
 *
 * Each fix is made from the statement's own text where it can be (a
 * CONCURRENTLY put after INDEX, a NOT VALID at the end), so the names,
 * quoting and layout the author wrote stay; what is added names objects
 * as PostgreSQL would have named them. A temporary constraint gets a name
 * made from a hash of its table, column and version, which nothing else
 * has. What cannot be fixed mechanically says why.
 */
#include "fix.h"
#include "fix_text.h"

#include <ctype.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "../util/error.h"

struct columns {
	const char *v[8];
	size_t      n;
	bool        more;
};

static void
column_ref(const ProtobufCMessage *m, void *arg)
{
	struct columns           *c = arg;
	const PgQuery__ColumnRef *r;
	const char               *name;
	size_t                    i;

	if (m->descriptor != &pg_query__column_ref__descriptor)
		return;
	r = (const PgQuery__ColumnRef *)m;
	if (r->n_fields == 0 ||
	    (name = fx_str(r->fields[r->n_fields - 1])) == NULL)
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], name) == 0)
			return;
	if (c->n < 8)
		c->v[c->n++] = name;
	else
		c->more = true;
}

/* --- the fixes ------------------------------------------------------------- */

static char *
fix_concurrent(struct fx *x, const char **why)
{
	enum lint_rule rule = x->c->finding->id;
	size_t         k;

	if (rule == R_REQUIRE_CONCURRENT_INDEX_CREATION) {
		const PgQuery__IndexStmt *i;

		if (x->node->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
			return NULL;
		i = x->node->index_stmt;
		if (i->relation && !i->relation->inh) {
			*why =
			    "CREATE INDEX ... ON ONLY cannot be built "
			    "CONCURRENTLY: write it on the table itself, and "
			    "strata builds it partition by partition";
			return NULL;
		}
		k = fx_find_word(x, 0, "INDEX");
		fx_header(x,
		    "built CONCURRENTLY (strata runs it outside a "
		    "transaction)");
	} else if (rule == R_REQUIRE_CONCURRENT_INDEX_DELETION) {
		const PgQuery__DropStmt *d;

		if (x->node->node_case != PG_QUERY__NODE__NODE_DROP_STMT)
			return NULL;
		d = x->node->drop_stmt;
		if (d->n_objects != 1 ||
		    d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
			*why = "DROP INDEX CONCURRENTLY takes one index and no "
			       "CASCADE: write one statement for each index";
			return NULL;
		}
		k = fx_find_word(x, 0, "INDEX");
		fx_header(x, "dropped CONCURRENTLY (outside a transaction)");
	} else if (rule == R_REQUIRE_CONCURRENT_REINDEX) {
		if (x->c->run->opt->pg_version < 120000) {
			*why = "REINDEX CONCURRENTLY needs PostgreSQL 12";
			return NULL;
		}
		k = fx_find_word(x, 0, "INDEX");
		if (k >= x->ntok)
			k = fx_find_word(x, 0, "TABLE");
		if (k >= x->ntok)
			k = fx_find_word(x, 0, "SCHEMA");
		fx_header(x, "rebuilt CONCURRENTLY (outside a transaction)");
	} else {
		const PgQuery__AlterTableStmt *a;
		const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
		struct lint_partitioned       *p;
		char                          *table;

		if (cmd == NULL ||
		    cmd->subtype !=
			PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition) {
			*why = "the DETACH is one action of several: give it "
			       "an ALTER TABLE of its own";
			return NULL;
		}
		table = pg_range_name(a->relation);
		p = table ? lint_partitioned_find(x->c->run, table) : NULL;
		free(table);
		if (p != NULL && p->default_part != NULL) {
			*why = "PostgreSQL cannot detach CONCURRENTLY from a "
			       "table with a default partition";
			return NULL;
		}
		fx_header(x, "detached CONCURRENTLY (outside a transaction)");
		fx_span(x, 0, x->body);
		buf_adds(&x->out, " CONCURRENTLY");
		fx_span(x, x->body, x->s->len);
		return buf_detach(&x->out);
	}
	if (k >= x->ntok)
		return NULL;
	fx_concurrently_after(x, k);
	return buf_detach(&x->out);
}

/*
 * ADD COLUMN ... REFERENCES: the column added bare, then its foreign key
 * added NOT VALID and validated, named as PostgreSQL names it.
 */
static char *
fix_column_fk(struct fx *x, const PgQuery__AlterTableStmt *a,
    const PgQuery__AlterTableCmd *cmd, const char **why)
{
	const PgQuery__ColumnDef  *d;
	const PgQuery__Constraint *fk = NULL;
	size_t                     i, from, end, k;
	char                      *rel, *name;

	if (cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return NULL;
	d = cmd->def->column_def;
	for (i = 0; i < d->n_constraints; i++)
		if (d->constraints[i]->constraint->contype ==
		    PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
			fk = d->constraints[i]->constraint;
	if (fk == NULL)
		return NULL;
	if (d->n_constraints > 1) {
		*why = "the column has other constraints besides its "
		       "REFERENCES: add it bare, then each constraint";
		return NULL;
	}
	from = (size_t)fk->location;
	end = fx_clause_end(x, d, fk->location);
	k = fx_token_at(x, fk->location);
	if (k < x->ntok && fx_word_is(x, k, "CONSTRAINT")) {
		k = fx_find_word(x, k, "REFERENCES");
		if (k >= x->ntok)
			return NULL;
	}
	rel = fx_name_at(x, a->relation->location);
	name = fk->conname && fk->conname[0]
	    ? xstrdup(fk->conname)
	    : fx_object_name(a->relation->relname, d->colname, "fkey");
	fx_header(x,
	    "the column added bare, then its foreign key added NOT "
	    "VALID and validated in its own transaction");
	while (
	    from > 0 && isspace((unsigned char)x->text[x->s->off + from - 1]))
		from--;
	fx_span(x, 0, from);
	fx_span(x, end, x->body);
	buf_addf(&x->out, ";\n-- strata:commit\nALTER TABLE %s ADD CONSTRAINT ",
	    rel);
	fx_ident(&x->out, name);
	buf_adds(&x->out, " FOREIGN KEY (");
	fx_ident(&x->out, d->colname);
	buf_adds(&x->out, ") ");
	buf_add(&x->out, x->text + x->tok[k].off,
	    x->s->off + end - x->tok[k].off);
	return fx_validate_after(x, rel, name);
}

/* ADD CONSTRAINT ... FOREIGN KEY / CHECK: NOT VALID, commit, VALIDATE. */
static char *
fix_not_valid(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
	const PgQuery__Constraint     *c;
	char                          *rel, *name, *table;
	struct buf                     cols = BUF_INIT;

	if (cmd && cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn)
		return fix_column_fk(x, a, cmd, why);
	if (cmd &&
	    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint) {
		/* VALIDATE in the transaction of its NOT VALID ADD. */
		buf_adds(&x->out, "-- strata:commit\n");
		fx_header(x, "validated in a transaction of its own");
		fx_span(x, 0, x->s->len);
		return buf_detach(&x->out);
	}
	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
		*why = "the constraint is added with other actions (or with "
		       "its column): give it an ALTER TABLE ... ADD "
		       "CONSTRAINT of its own";
		return NULL;
	}
	c = cmd->def->constraint;
	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
		return NULL;
	table = pg_range_name(a->relation);
	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && table &&
	    lint_partitioned_find(x->c->run, table) != NULL) {
		free(table);
		*why = "PostgreSQL cannot add a NOT VALID foreign key to a "
		       "partitioned table";
		return NULL;
	}
	free(table);
	if (c->conname && c->conname[0])
		name = xstrdup(c->conname);
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
		fx_names(&cols, c->fk_attrs, c->n_fk_attrs, "_", false);
		name = fx_object_name(a->relation->relname, buf_cstr(&cols),
		    "fkey");
	} else {
		struct columns used = { { NULL }, 0, false };

		fx_walk((const ProtobufCMessage *)c->raw_expr, column_ref,
		    &used);
		name = fx_object_name(a->relation->relname,
		    used.n == 1 && !used.more ? used.v[0] : NULL, "check");
	}
	buf_free(&cols);
	rel = fx_name_at(x, a->relation->location);
	fx_header(x,
	    "added NOT VALID, then validated in its own transaction "
	    "(no lock held while it scans)");
	fx_span(x, 0, x->body);
	return fx_validate_after(x, rel, name);
}

static char *
fix_set_not_null(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
	char                          *rel, *table, *stmt;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull) {
		*why = "SET NOT NULL is one action of several: give it an "
		       "ALTER TABLE of its own";
		return NULL;
	}
	if (x->c->run->opt->pg_version < 120000) {
		*why = "PostgreSQL before 12 scans for SET NOT NULL even with "
		       "a validated CHECK";
		return NULL;
	}
	rel = fx_name_at(x, a->relation->location);
	table = pg_range_name(a->relation);
	stmt = xstrndup(x->text + x->s->off, x->s->len);
	fx_header(x,
	    "a CHECK (col IS NOT NULL) validated first, so SET NOT "
	    "NULL does not scan under its lock");
	fx_not_null_steps(x, &x->out, rel, table ? table : "", cmd->name, stmt);
	free(stmt);
	free(rel);
	free(table);
	return buf_detach(&x->out);
}

static char *
fix_batch(struct fx *x, const char **why)
{
	const PgQuery__Node *with = NULL, *returning = NULL;

	if (x->node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
		with = x->node->update_stmt->with_clause ? x->node : NULL;
		returning = x->node->update_stmt->n_returning_list ? x->node
								   : NULL;
	} else if (x->node->node_case == PG_QUERY__NODE__NODE_DELETE_STMT) {
		with = x->node->delete_stmt->with_clause ? x->node : NULL;
		returning = x->node->delete_stmt->n_returning_list ? x->node
								   : NULL;
	} else
		return NULL;
	if (with || returning) {
		*why = "a statement with WITH or RETURNING cannot run in "
		       "batches: write the change as a plain UPDATE or DELETE "
		       "under -- strata:batch";
		return NULL;
	}
	if (!fx_key_before(x,
		x->node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT
		    ? x->node->update_stmt->relation
		    : x->node->delete_stmt->relation)) {
		*why = "a backfill walks the table by its primary key (or a "
		       "unique index on NOT NULL columns), and strata knows "
		       "of none before this file: add one first";
		return NULL;
	}
	fx_header(x,
	    "run in batches of 10,000 rows by the table's key, each "
	    "its own transaction");
	buf_adds(&x->out, "-- strata:batch\n");
	fx_span(x, 0, x->s->len);
	return buf_detach(&x->out);
}

/* DROP COLUMN / DROP TABLE: the statement as it is, for a contract part. */
static char *
fix_move(struct fx *x)
{
	fx_header(x,
	    "moved into the contract part: it runs with 'strata "
	    "complete', once the application no longer uses it");
	fx_span(x, 0, x->s->len);
	return buf_detach(&x->out);
}

/* Each rule's fix, by the rule; NULL: none (a move is fix_move). */
static char *(*const fixers[R__COUNT])(struct fx *, const char **) = {
	[R_REQUIRE_CONCURRENT_INDEX_CREATION] = fix_concurrent,
	[R_REQUIRE_CONCURRENT_INDEX_DELETION] = fix_concurrent,
	[R_REQUIRE_CONCURRENT_REINDEX] = fix_concurrent,
	[R_REQUIRE_CONCURRENT_PARTITION_DETACH] = fix_concurrent,
	[R_ADDING_FOREIGN_KEY_CONSTRAINT] = fix_not_valid,
	[R_CONSTRAINT_MISSING_NOT_VALID] = fix_not_valid,
	[R_ADDING_NOT_NULLABLE_FIELD] = fix_set_not_null,
	[R_ADDING_PRIMARY_KEY] = fx_fix_key,
	[R_DISALLOWED_UNIQUE_CONSTRAINT] = fx_fix_key,
	[R_ADDING_FIELD_WITH_DEFAULT] = fx_fix_volatile_default,
	[R_UNBATCHED_DATA_CHANGE] = fix_batch,
	[R_ATTACH_PARTITION_SCAN] = fx_fix_attach,
	[R_CHANGING_COLUMN_TYPE] = fx_fix_retype,
	[R_RENAMING_COLUMN] = fx_fix_rename,
};

bool
fix_moves(enum lint_rule rule)
{
	return rule == R_BAN_DROP_COLUMN || rule == R_BAN_DROP_TABLE;
}

bool
fix_has(enum lint_rule rule)
{
	return fixers[rule] != NULL || fix_moves(rule);
}

char *
fix_statement(const struct fix_ctx *c, const char **why)
{
	struct fx x;
	char     *out = NULL;

	*why = NULL;
	if (!fix_has(c->finding->id))
		return NULL;
	/* A move keeps the statement as it is, in either dialect. */
	if (fix_moves(c->finding->id)) {
		fx_begin(&x, c);
		return fix_move(&x);
	}
	if (!fx_open(&x, c))
		return NULL;
	out = fixers[c->finding->id](&x, why);
	fx_close(&x);
	return out;
}
