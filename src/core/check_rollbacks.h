/*
 * check_rollbacks.h - up --check-rollbacks: each version applied, undone,
 * the schema compared with the one before it, and applied again.
 */
#ifndef STRATA_CHECK_ROLLBACKS_H
#define STRATA_CHECK_ROLLBACKS_H

#include <stdbool.h>

#include "plan.h"
#include "report.h"

struct db;
struct run_opts;

/*
 * Check one pending version's rollback (a phased one step by step), then
 * apply it for good as `part` says. A difference is exit 3, naming the
 * version and the first difference, and leaves the version as the undo
 * left it. A version partly applied before, or irreversible, is applied
 * with a warning, unchecked.
 */
int check_rollback(struct db *, struct migration *, const struct run_opts *,
    struct report *, bool ignore_column_order, enum run_part part);

#endif
