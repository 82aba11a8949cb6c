/*
 * output.h - a lint run's findings, written in one of SPEC §6's formats.
 */
#ifndef STRATA_LINT_OUTPUT_H
#define STRATA_LINT_OUTPUT_H

#include "lint.h"

enum lint_format {
	LINT_TEXT,
	LINT_JSON,
	LINT_SARIF,
	LINT_GITHUB,
};

void lint_output(const struct lint_run *, enum lint_format);
/* The text form on stderr, for a run about to start (up --lint). */
void lint_output_stderr(const struct lint_run *);

#endif
