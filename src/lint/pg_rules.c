/*
 * pg_rules.c - the PostgreSQL rules, over each statement's parse tree.
 *
 * The lock each statement takes is PostgreSQL's documented one (the
 * "Explicit Locking" chapter and each command's page): ACCESS EXCLUSIVE
 * blocks reads and writes, SHARE and SHARE ROW EXCLUSIVE block writes.
 * Tables created earlier in the file are new: nothing but the prefer-*
 * rules judges what is done to them. Columns, their types and checks
 * are in pg_columns.c and pg_checks.c, index work in pg_indexes.c, data
 * changes in pg_data.c, partitioned tables in pg_partitions.c.
 */
#include "lint.h"

#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "../util/buf.h"
#include "pg_columns.h"
#include "pg_partitions.h"
#include "pg_rules.h"

#define PARTED_KEY_HELP \
	"on a partitioned table USING INDEX is refused and the constraint " \
	"builds every partition's index under the lock: give the table its " \
	"key when it is created, or use a unique index built CONCURRENTLY " \
	"(strata builds it partition by partition) where no constraint is " \
	"needed"

/* --- CREATE TABLE ------------------------------------------------------- */

static void
create_stmt(struct lint_stmt *ls, const PgQuery__CreateStmt *x)
{
	char  *table = pg_range_name(x->relation);
	size_t i;

	for (i = 0; i < x->n_table_elts; i++)
		if (x->table_elts[i]->node_case ==
		    PG_QUERY__NODE__NODE_COLUMN_DEF)
			lint_pg_column_def(ls, table,
			    x->table_elts[i]->column_def, true);
	/* Table constraints stand among the columns in the raw tree. */
	for (i = 0; i < x->n_table_elts; i++)
		if (x->table_elts[i]->node_case ==
		    PG_QUERY__NODE__NODE_CONSTRAINT)
			lint_pg_table_constraint(ls, table,
			    x->table_elts[i]->constraint);
	lint_table_created(ls->run, table);
	lint_pg_create_partitioned(ls, table, x);
	free(table);
}

/* --- ALTER TABLE ---------------------------------------------------------- */

static void
add_constraint(struct lint_stmt *ls, const char *table,
    const PgQuery__Constraint *c)
{
	size_t at = loc(c->location);
	/* USING INDEX is refused on a partitioned table; indexes are reused. */
	bool parted = lint_pg_is_partitioned(ls, table);

	switch (c->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		if (c->indexname == NULL || c->indexname[0] == '\0')
			lint_report(ls, R_ADDING_PRIMARY_KEY, at, table, AE, RW,
			    parted
				? PARTED_KEY_HELP
				: "CREATE UNIQUE INDEX CONCURRENTLY t_pkey_idx "
				  "ON t (...); then ALTER TABLE t ADD "
				  "CONSTRAINT t_pkey PRIMARY KEY USING INDEX "
				  "t_pkey_idx",
			    "ADD PRIMARY KEY on existing table \"%s\" builds its "
			    "index under an ACCESS EXCLUSIVE lock (blocks reads "
			    "and writes)",
			    table);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		if (c->indexname == NULL || c->indexname[0] == '\0')
			lint_report(ls, R_DISALLOWED_UNIQUE_CONSTRAINT, at,
			    table, AE, RW,
			    parted
				? PARTED_KEY_HELP
				: "CREATE UNIQUE INDEX CONCURRENTLY t_u_idx ON "
				  "t (...); then ALTER TABLE t ADD CONSTRAINT "
				  "t_u UNIQUE USING INDEX t_u_idx",
			    "ADD UNIQUE on existing table \"%s\" builds its index "
			    "under an ACCESS EXCLUSIVE lock (blocks reads and "
			    "writes)",
			    table);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		if (!c->skip_validation)
			lint_report(ls, R_ADDING_FOREIGN_KEY_CONSTRAINT, at,
			    table, "SHARE ROW EXCLUSIVE", "writes",
			    "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID; then, "
			    "in a later migration, ALTER TABLE ... VALIDATE "
			    "CONSTRAINT ...",
			    "a foreign key on existing table \"%s\" is checked "
			    "against every row while both tables are locked "
			    "against writes",
			    table);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		if (!c->skip_validation)
			lint_report(ls, R_CONSTRAINT_MISSING_NOT_VALID, at,
			    table, AE, RW,
			    "ADD CONSTRAINT ... CHECK (...) NOT VALID; then, in a "
			    "later migration, VALIDATE CONSTRAINT ...",
			    "ADD CHECK on existing table \"%s\" scans every row "
			    "under an ACCESS EXCLUSIVE lock (blocks reads and "
			    "writes)",
			    table);
		lint_pg_check_added(ls, table, c);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		lint_report(ls, R_ADDING_EXCLUSION_CONSTRAINT, at, table, AE,
		    RW,
		    "no safe form: build it on a new table, or in a quiet window",
		    "ADD EXCLUDE on existing table \"%s\" builds its index and "
		    "checks every row under an ACCESS EXCLUSIVE lock",
		    table);
		break;
	default: break;
	}
}

static void
rewrite(struct lint_stmt *ls, const char *table, const char *what)
{
	lint_report(ls, R_REWRITING_TABLE, 0, table, AE, RW,
	    "do it on a copy of the table, or in a maintenance window (for "
	    "bloat, pg_repack rebuilds without the long lock)",
	    "%s rewrites existing table \"%s\" under an ACCESS EXCLUSIVE lock "
	    "(blocks reads and writes)",
	    what, table);
}

static void
alter_cmd(struct lint_stmt *ls, const char *table, bool is_new,
    const PgQuery__AlterTableCmd *c)
{
	const PgQuery__Node *def = c->def;

	switch (c->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			lint_pg_column_def(ls, table, def->column_def, is_new);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			lint_pg_type_change(ls, table, c->name, def->column_def,
			    is_new);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD)
			lint_pg_attach(ls, table, def->partition_cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD)
			lint_pg_detach(ls, table, def->partition_cmd);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			lint_pg_unique_constraint(ls, table, def->constraint,
			    NULL);
		break;
	default: break;
	}
	if (is_new)
		return;
	switch (c->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			add_constraint(ls, table, def->constraint);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		lint_pg_check_validated(ls, table, c->name);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		if (!lint_pg_not_null_known(ls, table, c->name))
			lint_report(ls, R_ADDING_NOT_NULLABLE_FIELD, 0, table,
			    AE, RW,
			    "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; "
			    "VALIDATE CONSTRAINT c (in a later migration); then "
			    "SET NOT NULL, which PostgreSQL 12+ does without a "
			    "scan",
			    "SET NOT NULL on \"%s\".\"%s\" scans the whole table "
			    "under an ACCESS EXCLUSIVE lock (blocks reads and "
			    "writes)",
			    table, c->name ? c->name : "?");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		if (!ls->down)
			lint_report(ls, R_BAN_DROP_COLUMN, 0, table, AE, RW,
			    "stop reading the column in the application and "
			    "deploy that first; drop it in a later migration",
			    "DROP COLUMN \"%s\" breaks the application still "
			    "reading it",
			    c->name ? c->name : "?")
			    ->col_name = c->name ? xstrdup(c->name) : NULL;
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		rewrite(ls, table, "SET LOGGED");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		rewrite(ls, table, "SET UNLOGGED");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
		rewrite(ls, table, "SET TABLESPACE");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		rewrite(ls, table, "SET ACCESS METHOD");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		if (ls->run->opt->pg_version >= 140000 && def &&
		    def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
		    !def->partition_cmd->concurrent)
			lint_report(ls, R_REQUIRE_CONCURRENT_PARTITION_DETACH,
			    0, table, AE, RW,
			    "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY "
			    "(PostgreSQL 14+, outside a transaction)",
			    "DETACH PARTITION on \"%s\" takes an ACCESS EXCLUSIVE "
			    "lock on the partitioned table (blocks reads and "
			    "writes)",
			    table);
		break;
	default: break;
	}
}

static void
alter_table_stmt(struct lint_stmt *ls, const PgQuery__AlterTableStmt *x)
{
	char       *table = pg_range_name(x->relation);
	bool        is_new = !lint_pg_existing(ls, table);
	const char *lock = NULL;
	size_t      i;

	if (table == NULL)
		return;
	for (i = 0; i < x->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c;

		if (x->cmds[i]->node_case !=
		    PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		c = x->cmds[i]->alter_table_cmd;
		alter_cmd(ls, table, is_new, c);
		/*
		 * VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE, which
		 * blocks neither reads nor writes; a foreign key SHARE ROW
		 * EXCLUSIVE; nearly everything else ACCESS EXCLUSIVE.
		 */
		if (c->subtype ==
		    PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint)
			continue;
		if (lock == NULL &&
		    c->subtype ==
			PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
		    c->def &&
		    c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    c->def->constraint->contype ==
			PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
			lock = "SHARE ROW EXCLUSIVE";
		else
			lock = AE;
	}
	if (x->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		lint_pg_took_lock(ls, table, lock);
	free(table);
}

/* --- the rest --------------------------------------------------------------- */

/*
 * What the run knows of a thing follows it to its new name: a new table or
 * index stays new, an existing table keeps its rows and columns, a column
 * its type and its NOT NULL check.
 */
static void
follow_rename(struct lint_stmt *ls, const PgQuery__RenameStmt *x,
    const char *name)
{
	struct lint_column *c;
	struct buf          b = BUF_INIT;
	char               *type;
	bool                checked;

	switch (x->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		if (lint_table_is_new(ls->run, name))
			lint_table_created(ls->run, x->newname);
		else
			lint_table_renamed(ls->run, name, x->newname);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		if (lint_pg_index_is_new(ls, name)) {
			buf_addf(&b, "index:%s", x->newname);
			lint_table_created(ls->run, buf_cstr(&b));
			buf_free(&b);
		}
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		if (x->subname == NULL ||
		    (c = lint_column_find(ls->run, name, x->subname)) == NULL)
			break;
		type = c->type ? xstrdup(c->type) : NULL;
		checked = c->notnull_checked;
		c = lint_column_set(ls->run, name, x->newname, type);
		c->notnull_checked = checked;
		free(type);
		break;
	default: break;
	}
}

static void
rename_stmt(struct lint_stmt *ls, const PgQuery__RenameStmt *x)
{
	char *table = pg_range_name(x->relation);

	if (!ls->down && lint_pg_existing(ls, table)) {
		if (x->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN)
			lint_report(ls, R_RENAMING_COLUMN, 0, table, AE, RW,
			    "add the new column, write both, move the readers, "
			    "then drop the old one in a later migration",
			    "RENAME COLUMN \"%s\" to \"%s\" breaks the "
			    "application still using the old name",
			    x->subname ? x->subname : "?", x->newname)
			    ->col_name = x->subname ? xstrdup(x->subname)
						    : NULL;
		else if (x->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			lint_report(ls, R_RENAMING_TABLE, 0, table, AE, RW,
			    "create the new table (or a view of the old name), "
			    "move the application, then drop the old name later",
			    "RENAME TO \"%s\" breaks the application still using "
			    "\"%s\"",
			    x->newname, table);
	}
	lint_pg_took_lock(ls, table, AE);
	if (table && x->newname)
		follow_rename(ls, x, table);
	free(table);
}

static void
vacuum_stmt(struct lint_stmt *ls, const PgQuery__VacuumStmt *x)
{
	size_t i, k;

	for (i = 0; i < x->n_options; i++) {
		const PgQuery__Node *o = x->options[i];

		if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
		    strcmp(o->def_elem->defname, "full") != 0)
			continue;
		for (k = 0; k < x->n_rels; k++) {
			const PgQuery__Node *r = x->rels[k];
			char                *t;

			if (r->node_case !=
			    PG_QUERY__NODE__NODE_VACUUM_RELATION)
				continue;
			t = pg_range_name(r->vacuum_relation->relation);
			if (lint_pg_existing(ls, t))
				rewrite(ls, t, "VACUUM FULL");
			free(t);
		}
		if (x->n_rels == 0)
			rewrite(ls, "every table", "VACUUM FULL");
	}
}

/* The parse tree holds identifiers cut to 63 bytes: ask the scanner. */
static void
long_identifiers(struct lint_stmt *ls)
{
	const char *text = ls->file->text.ptr + ls->s->off;
	size_t      at[8], n, i;

	n = pg_long_identifiers(text, ls->s->len, 63, at, 8);
	for (i = 0; i < n; i++) {
		size_t w = strcspn(text + at[i], " \t\n\r(),;.");

		lint_report(ls, R_IDENTIFIER_TOO_LONG, at[i], NULL, NULL, NULL,
		    "use a name of at most 63 bytes",
		    "identifier \"%.24s...\" is %zu bytes long: PostgreSQL keeps "
		    "only the first 63, so a later statement naming it in full "
		    "misses it",
		    text + at[i], w);
	}
}

/* A function the files make: a default may call it later in the run. */
static void
create_function(struct lint_stmt *ls, const PgQuery__CreateFunctionStmt *x)
{
	char  *name = x->n_funcname
	     ? pg_list_name(x->funcname[x->n_funcname - 1])
	     : NULL;
	bool   is_volatile = true; /* CREATE FUNCTION's default */
	size_t i;

	for (i = 0; i < x->n_options; i++) {
		const PgQuery__DefElem *d;

		if (x->options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		d = x->options[i]->def_elem;
		if (strcmp(d->defname, "volatility") == 0 && d->arg &&
		    d->arg->node_case == PG_QUERY__NODE__NODE_STRING)
			is_volatile = strcmp(d->arg->string->sval,
					  "volatile") == 0;
	}
	if (name && !ls->down)
		lint_function_set(ls->run, name, is_volatile);
	free(name);
}

void
lint_pg_stmt(struct lint_stmt *ls)
{
	const PgQuery__Node *n = pg_tree_stmt(ls->tree);

	if (n == NULL)
		return;
	long_identifiers(ls);
	/* A statement after an ACCESS EXCLUSIVE lock in one transaction. */
	if (ls->exclusive_held && ls->in_tx && !ls->exclusive_warned) {
		ls->exclusive_warned = true;
		lint_report(ls, R_EXCLUSIVE_LOCK_HELD, 0, NULL, AE, RW,
		    "put the statement that takes ACCESS EXCLUSIVE last in its "
		    "migration, or in a migration of its own",
		    "this runs while an ACCESS EXCLUSIVE lock taken earlier in "
		    "the transaction is still held: reads and writes of that "
		    "table wait for it too");
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		lint_pg_index_stmt(ls, n->index_stmt);
		lint_pg_index_created(ls, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		lint_pg_drop_stmt(ls, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		lint_pg_reindex_stmt(ls, n->reindex_stmt);
		break;
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
		lint_pg_refresh_stmt(ls, n->refresh_mat_view_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		create_stmt(ls, n->create_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *x = n->create_table_as_stmt;
		char *t = x->into ? pg_range_name(x->into->rel) : NULL;

		lint_table_created(ls->run, t);
		free(t);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		alter_table_stmt(ls, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		rename_stmt(ls, n->rename_stmt);
		break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		vacuum_stmt(ls, n->vacuum_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		create_function(ls, n->create_function_stmt);
		break;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT: {
		char *t = pg_range_name(n->cluster_stmt->relation);

		if (t == NULL || lint_pg_existing(ls, t))
			rewrite(ls, t ? t : "every clustered table", "CLUSTER");
		free(t);
		break;
	}
	case PG_QUERY__NODE__NODE_LOCK_STMT:
		lint_report(ls, R_LOCK_TABLE, 0, NULL, NULL, NULL,
		    "let each statement take the lock it needs, with a lock "
		    "timeout",
		    "LOCK TABLE holds its lock until the transaction ends");
		break;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		if (!ls->down &&
		    n->truncate_stmt->behavior ==
			PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
			lint_report(ls, R_BAN_TRUNCATE_CASCADE, 0, NULL, AE, RW,
			    "truncate each table by name, having checked what "
			    "refers to it",
			    "TRUNCATE ... CASCADE also empties every table with a "
			    "foreign key to these, whatever it holds");
		for (size_t k = 0; k < n->truncate_stmt->n_relations; k++) {
			const PgQuery__Node *rel =
			    n->truncate_stmt->relations[k];
			char *t;

			if (rel->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
				continue;
			t = pg_range_name(rel->range_var);
			lint_pg_took_lock(ls, t, AE);
			free(t);
		}
		break;
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		if (!ls->down)
			lint_report(ls, R_BAN_DROP_DATABASE, 0, NULL, NULL,
			    NULL, "drop databases by hand, not in a migration",
			    "DROP DATABASE \"%s\" in a migration",
			    n->dropdb_stmt->dbname);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		lint_pg_data_change(ls, n->update_stmt->relation,
		    n->update_stmt->where_clause, "UPDATE");
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		lint_pg_data_change(ls, n->delete_stmt->relation,
		    n->delete_stmt->where_clause, "DELETE");
		break;
	default: break;
	}
}
