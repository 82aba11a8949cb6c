/*
 * pg_locks.h - what the PostgreSQL rule files share (pg_locks.c): is a
 * table existing, and a lock taken on one.
 */
#ifndef STRATA_LINT_PG_LOCKS_H
#define STRATA_LINT_PG_LOCKS_H

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

#endif
