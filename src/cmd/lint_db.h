/*
 * lint_db.h - lint's view of the database it is pointed at (lint_db.c).
 */
#ifndef STRATA_CMD_LINT_DB_H
#define STRATA_CMD_LINT_DB_H

#include "../db/db.h"
#include "../lint/lint.h"

#include "../core/migration.h"

/*
 * Tables, row estimates, column types and NOT NULL checks, into run; what
 * a table's columns carry is asked when --fix needs it.
 */
int lint_load_catalog(struct db *, struct lint_run *);

/*
 * Lint the files a run on db would run: each migration's forward file, or
 * its rollback file when down, split as the run splits it, judged against
 * db's catalog (read once). up, rollback and lint --db all lint through
 * here, so that they find the same.
 */
/*
 * The expand parts of the plan's expanded versions that this run does not
 * complete: what a contract part linted after must leave be.
 */
int lint_note_expanded_versions(struct db *, struct lint_run *, struct plan *);
/* The repeatables `up` would run (changed or never run), as forward files. */
int lint_repeatables(struct db *, struct lint_run *, struct plan *);
int lint_migrations(struct db *, struct lint_run *, struct migration **,
    size_t n, bool down);

#endif
