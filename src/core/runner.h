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

struct db;
struct db_ops;

struct run_opts {
	bool    single_tx;
	int     retries;
	int     jobs;
	bool    replica_lag; /* --max-replica-lag given */
	int64_t max_replica_lag_ms;
	int64_t batch_pause_ms; /* --batch-pause */
};

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

/* Where a version's forward (or rollback) run starts: resume point. */
size_t runner_resume_at(const struct migration *, bool down);

/*
 * The segments a run of the version would execute, from its resume point,
 * leaving out statements a stopped --jobs batch already completed, with
 * batches for --jobs when the database can run them. A dry run shows these.
 */
void runner_segments(const struct db *, const struct migration *, bool down,
    int jobs, struct segment_list *);

/*
 * Check that the statements a stopped run (down: a stopped rollback)
 * completed are unchanged in the file it would resume (exit 3 if not).
 */
int runner_check_resume(const struct migration *, bool down);

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
