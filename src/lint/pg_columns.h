/*
 * pg_columns.h - PostgreSQL columns for lint: their definitions, their
 * types (and which changes of type rewrite the table), and the NOT NULL
 * checks that make SET NOT NULL cheap (pg_checks.c). Used by pg_rules.c.
 */
#ifndef STRATA_LINT_PG_COLUMNS_H
#define STRATA_LINT_PG_COLUMNS_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "lint.h"

/* A node's location as an offset in its statement (0 when unknown). */
static inline size_t
loc(int32_t location)
{
	return location > 0 ? (size_t)location : 0;
}

/* A column of CREATE TABLE (on_new) or of ADD COLUMN. */
void lint_pg_column_def(struct lint_stmt *, const char *table,
    const PgQuery__ColumnDef *, bool                    on_new);
/* A table constraint of CREATE TABLE. */
void lint_pg_table_constraint(struct lint_stmt *, const char *table,
    const PgQuery__Constraint *);
/* ALTER COLUMN ... TYPE: judged against the column's current type. */
void lint_pg_type_change(struct lint_stmt *, const char *table,
    const char *column, const PgQuery__ColumnDef *, bool on_new);

/* A CHECK added NOT VALID; VALIDATE CONSTRAINT of one. */
void lint_pg_check_added(struct lint_stmt *, const char *table,
    const PgQuery__Constraint *);
void lint_pg_check_validated(struct lint_stmt *, const char *table,
    const char *name);
/* Is a validated CHECK (column IS NOT NULL) known (and PostgreSQL 12+)? */
bool lint_pg_not_null_known(struct lint_stmt *, const char *table,
    const char *column);

/* Indexes of tables new in this file: dropping them blocks no one. */
void lint_pg_index_created(struct lint_stmt *, const PgQuery__IndexStmt *);
bool lint_pg_index_is_new(struct lint_stmt *, const char *index);

#endif
