/*
 * pg_rules.h - what the PostgreSQL rule files share: is a table existing,
 * a lock taken on one, and the rules pg_rules.c hands statements to
 * (pg_indexes.c, pg_data.c).
 */
#ifndef STRATA_LINT_PG_RULES_H
#define STRATA_LINT_PG_RULES_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>

#include "lint.h"

#define AE "ACCESS EXCLUSIVE"
#define RW "reads and writes"

/* Not new: made before this run, so traffic may be using it. */
bool lint_pg_existing(const struct lint_stmt *, const char *table);
/*
 * A lock on an existing table: remembered for exclusive-lock-held, and
 * said once per file when no lock timeout bounds the wait behind it.
 */
void lint_pg_took_lock(struct lint_stmt *, const char *table, const char *lock);

/* pg_indexes.c */
void lint_pg_index_stmt(struct lint_stmt *, const PgQuery__IndexStmt *);
void lint_pg_drop_stmt(struct lint_stmt *, const PgQuery__DropStmt *);
void lint_pg_reindex_stmt(struct lint_stmt *, const PgQuery__ReindexStmt *);
void
lint_pg_refresh_stmt(struct lint_stmt *, const PgQuery__RefreshMatViewStmt *);

/* pg_data.c: UPDATE and DELETE (what is the WHERE, what the verb). */
void lint_pg_data_change(struct lint_stmt *, const PgQuery__RangeVar *,
    const PgQuery__Node *where, const char *what);

#endif
