/*
 * runner.h - run migrations and rollbacks: segments, transactions, retries,
 * resume, and the history and log rows that go with them.
 */
#ifndef STRATA_RUNNER_H
#define STRATA_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "report.h"
#include "run_opts.h"

struct db;
struct db_ops;

/*
 * Split, classify and check one file before anything runs: text, empty,
 * transaction control, psql meta-commands. Exit 2 with file:line:col.
 */
int runner_prepare_file(const struct db *, struct sqlfile *);
/*
 * runner_prepare_file for the file of m a run needs (down: its rollback).
 * A file without statements runs, with a warning once; a pair still as
 * `strata new` wrote it is exit 2 (SPEC §5).
 */
int runner_prepare(const struct db *, struct migration *, bool down);
/*
 * The files runner_prepare found without statements, in one warning: a
 * folder of hundreds of them says so once, naming a few (-v: all).
 */
void runner_empty_report(void);

/*
 * Before anything runs: every backfill's table that exists has a key to
 * walk (else exit 2, naming file:line), and --max-replica-lag can read the
 * standbys' lag (else exit 2).
 */
int runner_check_batches(struct db *, struct migration **, size_t, bool down,
    const struct run_opts *);

/*
 * What a dry run says of a backfill: its table's key (n 0 when the table
 * does not exist yet or has none) and estimated rows.
 */
struct table_key;
int runner_batch_key(struct db *, const struct stmt *, struct table_key *);

/* Does a failure anywhere in the file leave nothing of it done? */
bool runner_all_in_transaction(const struct sqlfile *);

/* Apply (or roll back) the versions in order; stops at the first failure. */
int runner_up(struct db *, struct migration **, size_t, const struct run_opts *,
    struct report *);
int runner_down(struct db *, struct migration **, size_t,
    const struct run_opts *, struct report *);

#endif
