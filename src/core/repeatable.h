/*
 * repeatable.h - repeatable migrations (sql/R_<name>.sql), run after the
 * versions whenever their content changed (repeatable.c).
 */
#ifndef STRATA_REPEATABLE_H
#define STRATA_REPEATABLE_H

#include "plan.h"
#include "report.h"

struct db;
struct run_opts;

/*
 * Read and check every repeatable before anything runs: it must split,
 * and fit one transaction. Each problem is kept (err_keep).
 */
int repeatables_prepare(const struct db *, struct plan *);
/*
 * Run the changed and never-run ones, in name order, each in one
 * transaction with its record; stop at the first failure (exit 1), naming
 * the views that depend on what PostgreSQL refused to replace.
 */
int repeatables_run(struct db *, struct plan *, const struct run_opts *,
    struct report *);

#endif
