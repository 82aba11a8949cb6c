/*
 * pg_indexes.c - lint rules for index work and what drops or rebuilds a
 * relation: CREATE INDEX, DROP, REINDEX and REFRESH MATERIALIZED VIEW,
 * each without CONCURRENTLY on something traffic uses.
 */
#include "pg_rules.h"

#include <stdlib.h>
#include <string.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "pg_columns.h"
#include "pg_partitions.h"

void
lint_pg_index_stmt(struct lint_stmt *ls, const PgQuery__IndexStmt *x)
{
	char *table = pg_range_name(x->relation);

	/*
	 * ON ONLY is for a partitioned table: it makes the parent's index
	 * without building anything (the partitions' are attached later).
	 */
	if (!x->concurrent && lint_pg_existing(ls, table) && x->relation->inh) {
		bool partitioned = lint_pg_is_partitioned(ls, table);

		lint_report(ls, R_REQUIRE_CONCURRENT_INDEX_CREATION, 0, table,
		    "SHARE", "writes",
		    partitioned
			? "CREATE INDEX CONCURRENTLY: PostgreSQL refuses it on a "
			  "partitioned table, strata builds it partition by "
			  "partition (ON ONLY, each partition concurrently, "
			  "attached)"
			: "CREATE INDEX CONCURRENTLY: strata runs it outside the "
			  "file's transaction by itself, no directive needed",
		    partitioned
			? "CREATE INDEX on partitioned table \"%s\" "
			  "holds a SHARE lock on every partition "
			  "(blocks writes) until the last is built"
			: "CREATE INDEX on existing table \"%s\" holds a "
			  "SHARE lock (blocks writes) while the index "
			  "builds",
		    table);
		lint_pg_took_lock(ls, table, "SHARE");
	}
	lint_pg_unique_index(ls, table, x);
	free(table);
}

/*
 * Is a table renamed to `name` later in the file? Then dropping `name`
 * swaps in a rebuilt table, and readers of the name keep a table.
 */
static bool
swapped_later(const struct lint_stmt *ls, const char *name)
{
	const char *bare = strrchr(name, '.');
	size_t      i;

	bare = bare ? bare + 1 : name;
	for (i = ls->index + 1; i < ls->file->stmts.n; i++) {
		const struct stmt   *later = &ls->file->stmts.v[i];
		struct pg_tree      *t;
		const PgQuery__Node *n;
		bool                 swapped;

		if (later->kind != KIND_RENAME)
			continue;
		t = pg_tree_parse(ls->file->text.ptr, later);
		n = pg_tree_stmt(t);
		swapped = n &&
		    n->node_case == PG_QUERY__NODE__NODE_RENAME_STMT &&
		    n->rename_stmt->rename_type ==
			PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
		    n->rename_stmt->newname &&
		    strcmp(n->rename_stmt->newname, bare) == 0;
		pg_tree_free(t);
		if (swapped)
			return true;
	}
	return false;
}

void
lint_pg_drop_stmt(struct lint_stmt *ls, const PgQuery__DropStmt *x)
{
	size_t i;

	for (i = 0; i < x->n_objects; i++) {
		char *name = pg_list_name(x->objects[i]);

		if (name == NULL)
			continue;
		switch (x->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			if (!x->concurrent && !lint_pg_index_is_new(ls, name)) {
				lint_report(ls,
				    R_REQUIRE_CONCURRENT_INDEX_DELETION, 0,
				    NULL, AE, RW, "DROP INDEX CONCURRENTLY",
				    "DROP INDEX \"%s\" takes an ACCESS EXCLUSIVE "
				    "lock on its table (blocks reads and writes)",
				    name);
			}
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
			if (lint_pg_existing(ls, name) && !ls->down &&
			    !swapped_later(ls, name))
				lint_report(ls, R_BAN_DROP_TABLE, 0, name, AE,
				    RW,
				    "stop using the table in the application and "
				    "deploy that first; drop it in a later "
				    "migration",
				    "DROP TABLE \"%s\" breaks the application "
				    "still reading it",
				    name);
			lint_pg_took_lock(ls, name, AE);
			lint_table_dropped(ls->run, name);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
			if (!ls->down)
				lint_report(ls, R_BAN_DROP_DATABASE, 0, NULL,
				    NULL, NULL,
				    "drop schemas by hand, not in a migration",
				    "DROP SCHEMA \"%s\" removes everything in it",
				    name);
			break;
		default: break;
		}
		free(name);
	}
}

void
lint_pg_reindex_stmt(struct lint_stmt *ls, const PgQuery__ReindexStmt *x)
{
	char  *name = pg_range_name(x->relation);
	bool   is_new = false;
	size_t i;

	/* A table or index this run made: nobody reads it yet. */
	if (name &&
	    x->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE)
		is_new = !lint_pg_existing(ls, name);
	else if (name &&
	    x->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX)
		is_new = lint_pg_index_is_new(ls, name);
	free(name);
	if (is_new)
		return;
	for (i = 0; i < x->n_params; i++)
		if (x->params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(x->params[i]->def_elem->defname, "concurrently") ==
			0)
			return;
	lint_report(ls, R_REQUIRE_CONCURRENT_REINDEX, 0, NULL, "SHARE",
	    "writes", "REINDEX (CONCURRENTLY) ... (PostgreSQL 12+)",
	    "REINDEX without CONCURRENTLY blocks writes to the table, and "
	    "reads that would use the index, while it rebuilds");
}

void
lint_pg_refresh_stmt(struct lint_stmt *ls, const PgQuery__RefreshMatViewStmt *x)
{
	char *view = pg_range_name(x->relation);

	if (!x->concurrent && lint_pg_existing(ls, view)) {
		lint_report(ls, R_REQUIRE_CONCURRENT_REFRESH, 0, view, AE, RW,
		    "REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique "
		    "index on the view)",
		    "REFRESH MATERIALIZED VIEW \"%s\" holds an ACCESS EXCLUSIVE "
		    "lock (blocks reads) while it runs",
		    view);
		lint_pg_took_lock(ls, view, AE);
	}
	free(view);
}
