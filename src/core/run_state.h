/*
 * run_state.h - what runner.c, backfill.c and jobs_batch.c share: the
 * state of a run, the unit of work it runs, and the pieces that record it
 * (record.c).
 */
#ifndef STRATA_RUN_STATE_H
#define STRATA_RUN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"
#include "history.h"
#include "plan.h"
#include "report.h"
#include "run_opts.h"

#define LOG_TEXT_MAX 200
/* Log rows a transaction holds in memory before it sends them (runner.c). */
#define LOG_KEEP_MAX 4096

/* One migration's (or rollback's) segment inside a unit of work. */
struct part {
	struct migration *m;
	struct sqlfile   *f;
	struct segment    seg;
	bool              down;
	bool             *done; /* per statement of f, see done_load */
	/* A backfill's progress to record with the row (batch_* fields). */
	const struct history_row *progress;
	bool                      row_written; /* this run wrote its row */
};

struct run_state {
	struct db             *db;
	const struct run_opts *opts;
	struct report         *report;
	struct log_batch       log;
	struct db_writes       writes; /* history and log rows to send */
	uint64_t               rng;
	int64_t                replica_wait_ms; /* for the next log row */
	int64_t log_sent_in_tx; /* rows sent inside the open transaction */
	int64_t recorded_ms;    /* the duration last written to history */
	/* A CREATE INDEX CONCURRENTLY found built: recorded, not run. */
	const struct stmt *built;
};

/* record.c. How long before retry `attempt` (from 0): backoff, jitter. */
int64_t backoff_ms(struct run_state *, int attempt);
/* Add the write of the history row that records `p` as done so far. */
void record_part(struct run_state *, const struct part *, int64_t duration_ms);
/* A log row for statement i of the part, and for its failure. */
void fill_entry(struct log_entry *, const struct part *, size_t i,
    double duration_ms);
void entry_failed(struct log_entry *, const struct exec_result *);
/* Put the database's error on the record, pointing into the file. */
int statement_error(const struct part *, size_t i, const struct exec_result *);
/* After a failed unit: keep its log rows (marked rolled back when tx). */
void flush_failed_log(struct run_state *, size_t mark, bool tx);
/* The parts' history rows and the log rows, then COMMIT. */
int commit_unit(struct run_state *, struct part *, size_t nparts, bool tx,
    size_t mark, int64_t started_us);
/* --max-replica-lag: wait for the standbys before a unit or a batch. */
int wait_replicas(struct run_state *);

/* backfill.c: run a -- strata:batch statement, the part's one statement. */
int run_backfill(struct run_state *, struct part *, int64_t started_us);

/*
 * A statement done in parts: a log row for each part, its count and size
 * in facts; returns how many parts there were.
 */
size_t parts_to_log(struct run_state *, const struct part *, size_t i,
    struct exec_result *, struct stmt_facts *);
/* Hand what was learnt about a statement to its log entry. */
void facts_to_entry(struct log_entry *, struct stmt_facts *, const char *phase,
    int retries);
/* jobs_batch.c: a --jobs batch of concurrent index statements. */
int run_batch(struct run_state *, struct part *, int64_t started_us);

/* resume.c: where a stopped run left things. */
/*
 * A no-transaction file that ended inside its own transaction: rolled
 * back, and the error set (exit 1).
 */
int unclosed_transaction(const struct migration *, const struct sqlfile *);
/* The CREATE INDEX CONCURRENTLY a stopped run built but did not record. */
const struct stmt *
built_before_stop(struct run_state *, const struct migration *, bool down);

#endif
