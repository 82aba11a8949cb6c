/*
 * pg_partitions.h - lint rules that know partitioned tables
 * (pg_partitions.c). Used by pg_rules.c.
 */
#ifndef STRATA_LINT_PG_PARTITIONS_H
#define STRATA_LINT_PG_PARTITIONS_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "lint.h"

/* CREATE TABLE: a partitioned one's key, a partition of one. */
void lint_pg_create_partitioned(struct lint_stmt *, const char *table,
    const PgQuery__CreateStmt *);
/* ALTER TABLE parent ATTACH PARTITION. */
void lint_pg_attach(struct lint_stmt *, const char *parent,
    const PgQuery__PartitionCmd *);
/* Unique keys on a partitioned table must hold its partition key. */
void lint_pg_unique_on_partitioned(struct lint_stmt *, const char *table,
    const char *const *cols, size_t n, size_t at);
void lint_pg_unique_index(struct lint_stmt *, const char *table,
    const PgQuery__IndexStmt *);
/* A PRIMARY KEY or UNIQUE constraint (column: of a column definition). */
void lint_pg_unique_constraint(struct lint_stmt *, const char *table,
    const PgQuery__Constraint *, const char                   *column);
bool lint_pg_is_partitioned(struct lint_stmt *, const char *table);
/* ALTER TABLE parent DETACH PARTITION: its default partition may go. */
void lint_pg_detach(struct lint_stmt *, const char *parent,
    const PgQuery__PartitionCmd *);

#endif
