/*
 * report.h - what a run tells people: one reporter, text or JSON.
 *
 * The runner and the commands report events (a version applied or rolled
 * back, a rollback checked, a retry, a resume, a warning), and so do the
 * database drivers (a wait for the lock, a server's notice, a running
 * statement's live line, through struct db_events); the reporter
 * writes a line for each on a terminal's stdout or stderr, or keeps them
 * for the one JSON document that --json prints at the end (or inside the
 * error document when the run fails part-way).
 */
#ifndef STRATA_REPORT_H
#define STRATA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"
#include "../util/json.h"

struct migration;

struct run_item {
	int64_t     version;
	const char *name;
	int64_t     duration_ms;
	size_t      statements;
	const char *phase; /* "expand", "contract", or NULL: the whole */
	bool        repeatable;
};

struct report {
	bool             json;
	bool             down;       /* rolled back, not applied */
	bool             started;    /* a run began: its items count */
	bool             completing; /* `complete`: contract parts */
	struct run_item *v;
	size_t           n;
	size_t           alloc;
	bool             checking; /* up --check-rollbacks */
	int64_t         *checked;
	size_t           nchecked;
	size_t           checked_alloc;
	struct db_events db_events; /* see report_db_events */
};

void report_init(struct report *, bool json);
/* A run of up (down: rollback) begins. */
void report_run_begin(struct report *, bool down);
/* A version completed: applied, or rolled back. */
void report_done(struct report *, const struct migration *, int64_t duration_ms,
    size_t statements);
/* up --check-rollbacks: the version's rollback restored the schema. */
void report_checked(struct report *, const struct migration *, size_t items);
void report_retry(struct report *, const struct migration *, size_t statement,
    const char *path, int line, const char *error, int attempt, int retries,
    int64_t wait_ms);
void report_resume(struct report *, const struct migration *, size_t statement,
    size_t of);
/* Another statement of a --jobs batch failed beside the first one. */
void report_also_failed(struct report *, const char *path, int line,
    int64_t version, size_t statement, const char *error);
void report_warn(struct report *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* The run is over: its summary line, or its JSON document. */
void report_run_end(struct report *, int64_t current);
/* In an error document: what completed before the failure. */
void report_error_members(const struct report *, struct json *);
void report_free(struct report *);
/* The reporter as the listener of a database driver's events. */
const struct db_events *report_db_events(struct report *);

#endif
