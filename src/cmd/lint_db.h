/*
 * lint_db.h - lint's view of the database it is pointed at (lint_db.c).
 */
#ifndef STRATA_CMD_LINT_DB_H
#define STRATA_CMD_LINT_DB_H

#include "../db/db.h"
#include "../lint/lint.h"

/* Tables, row estimates, column types and NOT NULL checks, into run. */
int lint_load_catalog(struct db *, struct lint_run *);

#endif
