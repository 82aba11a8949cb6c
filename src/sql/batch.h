/*
 * batch.h - the -- strata:batch directive (SPEC §7): which statement it
 * makes a backfill, in what batches, and where in that statement the key
 * range of each batch goes.
 *
 * The runner walks the target table by its key and runs the statement
 * once per range of keys; the range is added to the statement's own WHERE
 * (or becomes its WHERE), so the statement runs as written within it.
 */
#ifndef STRATA_BATCH_H
#define STRATA_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dialect.h"
#include "sqlfile.h"

#define BATCH_DEFAULT_SIZE 10000
#define BATCH_MAX_SIZE 10000000
#define BATCH_MAX_ROUNDS 1000000

/*
 * Find the file's batch directives and attach each to the statement it
 * precedes. Exit 2 with file:line for a directive that is malformed, that
 * precedes no statement or one it cannot batch, or that sits inside one.
 */
int sql_batch_directives(struct sqlfile *, enum dialect);

/* The statement restricted by `cond` (SQL over its key), in a new string. */
char *batch_statement(const char *text, const struct stmt *, const char *cond);

#endif
