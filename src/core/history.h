/*
 * history.h - strata_history and strata_log, through the driver's query().
 *
 * The SQL here is the dialect-neutral subset both databases accept
 * ($n parameters, INSERT ... ON CONFLICT), over the columns tables.h
 * describes; the drivers say how to read a timestamp back as ISO-8601.
 */
#ifndef STRATA_HISTORY_H
#define STRATA_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/sql.h"
#include "../util/facts.h"
#include "tables.h"

struct db;
struct db_writes;

struct history_row {
	int64_t version;
	char   *name;
	char   *checksum;
	char   *rollback_checksum;
	char   *state;              /* "applied" or "failed" */
	int64_t completed;          /* forward statements completed */
	char   *completed_checksum; /* of the completed statements */
	int64_t rollback_completed; /* >0: a rollback stopped part-way */
	/*
	 * Statement numbers past the count that completed too, "6,8", when a
	 * --jobs batch stopped at a failure; NULL when there are none.
	 */
	char   *completed_extra;
	char   *rollback_extra;
	char   *applied_at;
	int64_t duration_ms;
	char   *applied_by;
	/*
	 * A backfill (SPEC §7) of the run in progress: its statement (1-based;
	 * 0 none), rows changed and batches done so far, the last key done
	 * and the highest key when it started (SQL literals, "12, 'x'").
	 */
	int64_t batch_statement;
	int64_t batch_rows;
	int64_t batch_rounds;
	char   *batch_last;
	char   *batch_max;
	char   *strings; /* owns all the strings above */
};

/* A repeatable migration as it last ran (strata_repeatable). */
struct repeat_row {
	char   *name;
	char   *checksum;
	char   *applied_at;
	int64_t duration_ms;
};

struct history {
	struct history_row *v;
	size_t              n;
	size_t              alloc;
	struct repeat_row  *rv; /* sorted by name */
	size_t              rn;
	size_t              ralloc;
};

int                       history_load(struct db *, struct history *);
void                      history_free(struct history *);
const struct history_row *history_find(const struct history *, int64_t);

/*
 * The statement numbers of a completed_extra list, in a new
 * array (free it); returns how many. Anything not a number is skipped.
 */
size_t history_extra_list(const char *, size_t **out);

/*
 * Add to w the write of one version's row: a plain INSERT, or with
 * `replace` an upsert over the row already there. A plain INSERT is
 * cheaper to prepare (SQLite prepares it again after every migration's
 * DDL), and it fails loudly if a row appeared that the run did not know of.
 * log_batch_send() or db_send() runs what was added.
 */
void history_put(struct db_writes *w, const struct db *,
    const struct history_row *, bool replace);
void history_delete(struct db_writes *w, const struct db *, int64_t version);
/* Add the write of a repeatable's row: what ran, when, how long. */
void repeat_put(struct db_writes *w, const struct db *, const char *name,
    const char *checksum, int64_t duration_ms);
/* The row of a repeatable, or NULL when it never ran. */
const struct repeat_row *
history_repeat(const struct history *, const char *name);

/* One row of the optimization log. */
struct log_entry {
	char           at[32];
	int64_t        version;
	const char    *direction; /* "up", "down", or NULL */
	const char    *phase;     /* "expand", "contract", or NULL */
	int            statement; /* 1-based, 0 for none */
	enum stmt_kind kind;
	char          *text; /* owned */
	double         duration_ms;
	int64_t        rows;    /* -1: null */
	const char    *outcome; /* "ok", "error", "retried" */
	char           sqlstate[6];
	char          *error; /* owned */
	struct facts   facts;
};

struct log_batch {
	struct log_entry *v;
	size_t            n;
	size_t            alloc;
};

struct log_entry *log_batch_add(struct log_batch *);
void              log_batch_clear(struct log_batch *);
/*
 * Send w's writes and then every entry, in as few statements as may be,
 * then COMMIT when commit. w is empty afterwards.
 */
int log_batch_send(struct db *, struct db_writes *w, const struct log_batch *,
    bool commit);

/* Reading the log back, newest first. */
struct log_row {
	char
	    *v[LC__COUNT]; /* id, at, version, direction, statement, kind, text,
			   duration_ms, rows, outcome, sqlstate, error, facts */
};

struct log_rows {
	struct log_row *v;
	size_t          n;
	size_t          alloc;
};

int log_load(struct db *, int64_t version, int64_t limit, struct log_rows *);
/*
 * Did the version's last run (down: its rollback) end with statement
 * (from 1) failing, by the log? A run that was killed logged no failure.
 */
int  log_failed_at(struct db *, int64_t version, bool down, size_t statement,
     bool *failed);
void log_rows_free(struct log_rows *);

/* "user@host", for applied_by. */
const char *history_applied_by(void);

#endif
