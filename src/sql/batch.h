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

#include "sql.h"

#define BATCH_DEFAULT_SIZE 10000
#define BATCH_MAX_SIZE 10000000
#define BATCH_MAX_ROUNDS 1000000

struct batch_spec {
	int64_t size;     /* keys per batch (repeat: not used) */
	int64_t pause_ms; /* between batches; -1: --batch-pause decides */
	bool    repeat;   /* run as written until it changes no rows */
	int     line;     /* the directive's */
	/* Keyset batches only; offsets are in the file's text. */
	char  *table;     /* the target table, as written */
	char  *qualifier; /* what its columns are qualified with there */
	size_t where_end; /* just past the statement's WHERE; 0: none */
	size_t cond_end;  /* past the last token before RETURNING or the end */
};

/*
 * Find the file's batch directives and attach each to the statement it
 * precedes. Exit 2 with file:line for a directive that is malformed, that
 * precedes no statement or one it cannot batch, or that sits inside one.
 */
int  sql_batch_directives(struct sqlfile *, enum dialect);
void batch_spec_free(struct batch_spec *);

/* The statement restricted by `cond` (SQL over its key), in a new string. */
char *batch_statement(const char *text, const struct stmt *, const char *cond);

#endif
