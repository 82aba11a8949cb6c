/*
 * cmd.h - the command table, and the context every command runs in.
 *
 * Each subcommand lives in its own file and exports one struct cmd_entry;
 * cmd.c holds the NULL-terminated table and the steps most commands share
 * (open the database, take the lock, load the plan, print JSON).
 */
#ifndef STRATA_CMD_H
#define STRATA_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/history.h"
#include "../core/migration.h"
#include "../core/plan.h"
#include "../core/runner.h"
#include "../db/db.h"
#include "../util/buf.h"
#include "../util/json.h"
#include "../util/opt.h"

struct ctx {
	/* Global options. */
	const char	*db_url;
	const char	*mig_dir;
	const char	*rb_dir;
	const char	*schema;
	bool		 json;
	int64_t		 lock_wait_ms;
	int64_t		 lock_timeout_ms;	/* -1: driver default */
	int64_t		 statement_timeout_ms;	/* -1: none */

	/* What the command opened and loaded. */
	struct db	*db;
	bool		 locked;
	bool		 tables_exist;
	struct scan	 scan;
	struct history	 hist;
	struct plan	 plan;

	/* A run's partial results, kept for the error document. */
	struct run_report report;
	const char	*report_key;	/* "applied" or "rolled_back" */
	/* up --check-rollbacks: the versions whose rollback was checked. */
	int64_t		*checked;
	size_t		 nchecked;
	size_t		 checked_alloc;
	bool		 checking;
};

enum cmd_flags {
	CMD_NEEDS_DB = 1 << 0,
};

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		 flags;
	int		(*exec)(struct ctx *, int argc, char **argv);
};

extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry *cmd_find(const char *name);

/* Open the database; `write` also takes the lock and creates the tables. */
int	ctx_open(struct ctx *, bool write);
/*
 * ctx_open, then scan the folders and join them with the history. With
 * `sums`, unchanged files' checksums come from the cache (sumcache.h) and
 * their text is left unread until runner_prepare_file needs it: status, up
 * and rollback.
 */
int	ctx_open_plan(struct ctx *, bool write, bool sums);
/* Reload history and the plan after a run changed them. */
int	ctx_reload(struct ctx *);
void	ctx_close(struct ctx *);

int	parse_version(const char *, int64_t *);
int	parse_count(const char *, const char *what, int64_t *);

/* Write a finished JSON document to stdout. */
void	json_emit(struct buf *);
/* Begin the common head of a document: {"database": .., "dialect": ..} */
void	json_db_head(struct json *, const struct ctx *);

void	print_plan_json(struct json *, const struct db *, struct migration **,
	    size_t, bool down, int jobs);
void	print_plan_human(const struct db *, struct migration **, size_t,
	    bool down, int jobs);

extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_current_entry;
extern const struct cmd_entry cmd_up_entry;
extern const struct cmd_entry cmd_rollback_entry;
extern const struct cmd_entry cmd_validate_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_new_entry;
extern const struct cmd_entry cmd_baseline_entry;
extern const struct cmd_entry cmd_repair_entry;

#endif

/* Options `up` and `rollback` share. */
enum {
	RUN_OPT_DRY_RUN = 100, RUN_OPT_JOBS, RUN_OPT_LOCK_TIMEOUT,
	RUN_OPT_RETRIES, RUN_OPT_STATEMENT_TIMEOUT,
};

#define RUN_OPT_SPECS \
	{ "dry-run", 0, false, RUN_OPT_DRY_RUN }, \
	{ "jobs", 'j', true, RUN_OPT_JOBS }, \
	{ "lock-timeout", 0, true, RUN_OPT_LOCK_TIMEOUT }, \
	{ "retries", 0, true, RUN_OPT_RETRIES }, \
	{ "statement-timeout", 0, true, RUN_OPT_STATEMENT_TIMEOUT }

#define RUN_DEFAULT_RETRIES 3

/* Handle one of the shared options; returns 0 or a negative code. */
int	run_opt(struct ctx *, struct run_opts *, bool *dry_run, int id,
	    const char *arg);
/* After a run: reload, then print the result (JSON or a summary). */
int	run_finish(struct ctx *, bool down);
void	print_plan(struct ctx *, struct migration **, size_t, bool down,
	    int jobs);
