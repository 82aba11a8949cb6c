/*
 * cmd.h - the command table, and the context every command runs in.
 *
 * Each subcommand lives in its own file and exports one struct cmd_entry:
 * its parse step reads its options, its flags say what cmd.c must open
 * for it (the database, the lock, the plan), and its exec step does the
 * work on what was opened. cmd.c holds the NULL-terminated table.
 */
#ifndef STRATA_CMD_H
#define STRATA_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/history.h"
#include "../core/migration.h"
#include "../core/plan.h"
#include "../core/report.h"
#include "../core/resume.h"
#include "../core/runner.h"
#include "../core/target.h"
#include "../db/db.h"
#include "../util/buf.h"
#include "../util/json.h"
#include "../util/opt.h"

/* up/rollback --lint: what to do with what lint finds in the run. */
enum lint_mode {
	LINT_MODE_WARN = 0, /* print the findings on stderr, run */
	LINT_MODE_ERROR,    /* refuse the run on an error finding (exit 3) */
	LINT_MODE_OFF,
};

struct ctx {
	struct target_config cfg; /* the global options */
	bool                 json;
	/* Set by a command's parse step: take no lock, write nothing. */
	bool          dry_run;
	struct target target; /* what cmd.c opened (CMD_DB) */
	struct report report;
	/* The exit code of a command that succeeded but has its say (lint). */
	int            exit_code;
	enum lint_mode lint_mode;   /* up and rollback --lint */
	const char    *schema_file; /* up and rollback --schema-file */
	bool           force;       /* repair --force */
	bool           repeatables; /* up: the repeatables run after it */
};

enum cmd_flags {
	CMD_DB = 1 << 0, /* open the database and read the history */
	CMD_WRITES =
	    1 << 1,        /* take the lock, make the tables (not --dry-run) */
	CMD_PLAN = 1 << 2, /* scan the folders and join them with it */
	CMD_SUMS = 1 << 3, /* trust the checksum cache (sumcache.h) */
	CMD_ONE_DB = 1 << 4, /* refuses several targets (SPEC §8) */
	/* Reports every problem before it runs (err_keep, SPEC §5). */
	CMD_ALL_PROBLEMS = 1 << 5,
};

/* One line of `strata COMMAND --help`: the option as written, what it does. */
struct cmd_option {
	const char *flag;
	const char *text;
};

/* The options up, rollback and complete share, for their --help. */
#define RUN_OPTION_HELP \
	{ "--dry-run", \
		"print the plan (segments, backfills, partitions); run " \
		"nothing" }, \
	    { "-j, --jobs N", \
		    "build up to N CONCURRENTLY indexes (or " \
		    "partitions) at once" }, \
	    { "--lock-timeout DURATION", \
		    "how long one statement waits for a " \
		    "lock before it is retried (PostgreSQL " \
		    "default 2s; 0: no limit)" }, \
	    { "--retries N", \
		    "retries of a statement that timed out on a lock " \
		    "or deadlocked (default 3)" }, \
	    { "--statement-timeout DURATION", \
		    "PostgreSQL statement_timeout " \
		    "for the statements" }, \
	    { "--lint warn|error|off", \
		    "lint what will run first; error " \
		    "refuses the run on an error finding" }, \
	    { "--max-replica-lag DURATION", \
		    "wait while a standby is further " \
		    "behind (PostgreSQL)" }, \
	    { "--batch-pause DURATION", \
		    "pause between the batches of a " \
		    "backfill" }, \
	{ \
		"--schema-file FILE", \
		    "after the run, write 'strata schema' to " \
		    "FILE" \
	}

struct cmd_entry {
	const char *name;
	const char *usage;
	const char *summary;
	/* Every option, for --help; NULL-terminated, or NULL: none. */
	const struct cmd_option *options;
	/*
	 * Over many databases: the summary's column of what each target did
	 * ("APPLIED"; NULL: the command's own output, as for status, shown
	 * as one matrix).
	 */
	const char *fleet_done;
	int         flags;
	/* Read the command's arguments; NULL: it takes none. */
	int (*parse)(struct ctx *, int argc, char **argv);
	int (*exec)(struct ctx *);
};

extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry              *cmd_find(const char *name);
/* Read the command's arguments into ctx. */
int cmd_parse(struct ctx *, const struct cmd_entry *, int argc, char **argv);
/* Open what the flags ask for, and run the command. */
int cmd_exec(struct ctx *, const struct cmd_entry *);

int parse_version(const char *, int64_t *);
int parse_count(const char *, const char *what, int64_t *);

/* Write a finished JSON document to stdout. */
void json_emit(struct buf *);
/* Begin the common head of a document: {"database": .., "dialect": ..} */
void json_db_head(struct json *, const struct ctx *);

/* Options `up` and `rollback` share (run.c). */
enum {
	RUN_OPT_DRY_RUN = 100,
	RUN_OPT_JOBS,
	RUN_OPT_LOCK_TIMEOUT,
	RUN_OPT_RETRIES,
	RUN_OPT_STATEMENT_TIMEOUT,
	RUN_OPT_LINT,
	RUN_OPT_MAX_REPLICA_LAG,
	RUN_OPT_BATCH_PAUSE,
	RUN_OPT_SCHEMA_FILE,
};

#define RUN_OPT_SPECS \
	{ "dry-run", 0, false, RUN_OPT_DRY_RUN }, \
	    { "jobs", 'j', true, RUN_OPT_JOBS }, \
	    { "lock-timeout", 0, true, RUN_OPT_LOCK_TIMEOUT }, \
	    { "retries", 0, true, RUN_OPT_RETRIES }, \
	    { "lint", 0, true, RUN_OPT_LINT }, \
	    { "max-replica-lag", 0, true, RUN_OPT_MAX_REPLICA_LAG }, \
	    { "batch-pause", 0, true, RUN_OPT_BATCH_PAUSE }, \
	    { "schema-file", 0, true, RUN_OPT_SCHEMA_FILE }, \
	{ \
		"statement-timeout", 0, true, RUN_OPT_STATEMENT_TIMEOUT \
	}

#define RUN_DEFAULT_RETRIES 3

/* Handle one of the shared options; returns 0 or a negative code. */
int run_opt(struct ctx *, struct run_opts *, int id, const char *arg);
/* --to V: 0 or a version of the files or the history, else exit 2. */
int run_check_to(const struct ctx *, int64_t to);
/* After a run: the current version read again, then the result. */
int run_finish(struct ctx *);
/*
 * Lint what the run is about to run (SPEC §6), after validation and before
 * the first statement, as --lint says; exit 3 when --lint error finds one.
 */
int run_lint(struct ctx *, struct migration **, size_t, bool down);
/* A dry run's plan, as JSON or text. */
void print_plan(struct ctx *, struct migration **, size_t, bool down, int jobs);

extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_current_entry;
extern const struct cmd_entry cmd_up_entry;
extern const struct cmd_entry cmd_rollback_entry;
extern const struct cmd_entry cmd_complete_entry;
extern const struct cmd_entry cmd_validate_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_new_entry;
extern const struct cmd_entry cmd_baseline_entry;
extern const struct cmd_entry cmd_repair_entry;
extern const struct cmd_entry cmd_lint_entry;
extern const struct cmd_entry cmd_schema_entry;
extern const struct cmd_entry cmd_report_entry;

/* up/rollback --schema-file: write `strata schema` to path (schema.c). */
int schema_write_file(struct db *, const char *path);

#endif
