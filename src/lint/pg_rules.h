/*
 * pg_rules.h - the rules pg_rules.c hands statements to (pg_indexes.c,
 * pg_data.c); what every rule file shares is in pg_locks.h.
 */
#ifndef STRATA_LINT_PG_RULES_H
#define STRATA_LINT_PG_RULES_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>

#include "lint.h"

#include "pg_locks.h"

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
