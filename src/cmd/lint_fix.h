/*
 * lint_fix.h - `strata lint --fix` (lint_fix.c), called by lint.c with
 * what it parsed.
 */
#ifndef STRATA_LINT_FIX_CMD_H
#define STRATA_LINT_FIX_CMD_H

#include <stdbool.h>

#include "../lint/lint.h"
#include "../lint/output.h"
#include "cmd.h"

struct lint_fix_args {
	const struct lint_options *opt;
	const char *const         *files;
	int                        nfiles;
	bool                       diff; /* print the change, write nothing */
	enum lint_format           format;
	/* How lint reads a path: its dialect, and is it a rollback file? */
	enum dialect (*dialect_of)(const char *path);
	bool (*in_rollbacks)(const char *path);
};

int lint_fix_run(struct ctx *, const struct lint_fix_args *);

#endif
