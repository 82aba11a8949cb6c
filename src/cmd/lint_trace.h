/*
 * lint_trace.h - lint --trace (lint_trace.c): the pending migrations run
 * in a transaction that is rolled back, each statement watched.
 */
#ifndef STRATA_CMD_LINT_TRACE_H
#define STRATA_CMD_LINT_TRACE_H

#include "../core/plan.h"
#include "../db/db.h"
#include "../lint/lint.h"

/* Trace the plan's pending forward files on db (PostgreSQL). */
int lint_trace_run(struct db *, struct lint_run *, struct plan *);

#endif
