/*
 * target.h - one database a command runs on: opened, locked when the
 * command writes, its history loaded and joined with the files.
 *
 * A command asks for what it needs (enum target_needs) and gets it in one
 * call, so that the same steps can run over several databases.
 */
#ifndef STRATA_TARGET_H
#define STRATA_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "history.h"
#include "migration.h"
#include "plan.h"

struct db;
struct db_events;

struct target_config {
	const char *url;    /* NULL: $STRATA_DB, $DATABASE_URL, default */
	const char *schema; /* NULL: public */
	bool        tenant; /* run the migrations with search_path schema */
	const char *mig_dir;
	const char *rb_dir;
	int64_t     lock_wait_ms;
	int64_t     lock_timeout_ms;      /* -1: the driver's default */
	int64_t     statement_timeout_ms; /* -1: none */
	/* Who hears the driver's events (report_db_events). */
	const struct db_events *events;
};

enum target_needs {
	TARGET_LOCK = 1 << 0,      /* the migration lock, and the tables made */
	TARGET_PLAN = 1 << 1,      /* the folders scanned and joined */
	TARGET_SUMS = 1 << 2,      /* ...trusting the checksum cache */
	TARGET_READ_ONLY = 1 << 3, /* create and change nothing (lint) */
	TARGET_KEEP = 1 << 4,      /* keep misnamed files' errors (err_keep) */
};

struct target {
	struct db     *db;
	bool           locked;
	bool           tables_exist;
	struct scan    scan;
	struct history hist;
	struct plan    plan;
};

/* The URL a config names: --db, else $STRATA_DB, $DATABASE_URL, SQLite. */
const char *target_url(const struct target_config *);
/* Is a database named (by --db or the environment), not just defaulted? */
bool target_named(const struct target_config *);

/*
 * Open the database, then (TARGET_LOCK) take the lock and create or
 * upgrade strata's tables, load the history, and (TARGET_PLAN) scan the
 * folders and build the plan. With TARGET_SUMS, unchanged files'
 * checksums come from the cache (sumcache.h) and their text is read only
 * when runner_prepare_file needs it.
 */
int target_open(struct target *, const struct target_config *, unsigned needs);
/* Read the history and the plan again after something changed them. */
int target_reload(struct target *);
/* The highest applied version, read again from the history alone. */
int target_current(struct target *, int64_t *current);
/*
 * Release the lock and close the database. The plan, history and scan
 * are left to the process's exit, still reachable from the target.
 */
void target_close(struct target *);

#endif
