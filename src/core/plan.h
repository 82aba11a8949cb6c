/*
 * plan.h - what the files and the history say together.
 *
 * Joins the scanned files (for one dialect) with the history rows into one
 * list of versions, each with its state, and checks a run before it starts:
 * drift, missing files, out-of-order versions. Knows nothing about which
 * database is behind the history.
 */
#ifndef STRATA_PLAN_H
#define STRATA_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "migration.h"
#include "../sql/sql.h"

enum mig_state {
	STATE_PENDING,
	STATE_APPLIED,
	STATE_FAILED,       /* partly applied (or partly rolled back) */
	STATE_DRIFTED,      /* applied; file changed since */
	STATE_MISSING,      /* applied; file gone */
	STATE_OUT_OF_ORDER, /* pending, lower than the highest applied */
	STATE_EXPANDED,     /* expand part applied, contract part not yet */
	STATE__COUNT
};

const char *state_name(enum mig_state);

/* Which part of a phased version a forward run does. */
enum run_part {
	PART_ALL = 0,  /* the whole file (an unphased one, up --complete) */
	PART_EXPAND,   /* up: the part before -- strata:contract */
	PART_CONTRACT, /* complete: the part after it */
};

struct migration {
	int64_t                   version;
	const char               *name;
	const struct mig_file    *up_file;   /* NULL when missing */
	const struct mig_file    *down_file; /* NULL without rollback */
	const struct history_row *row;       /* NULL when never applied */
	enum mig_state            state;
	struct sqlfile            up;   /* loaded when up_file */
	struct sqlfile            down; /* loaded when down_file */
	bool                      rollback_drift;
	enum run_part             part; /* set by the command that runs it */
	bool                      repeatable; /* version 0: an R_ file's run */
};

/* A repeatable migration (sql/R_<name>.sql) and how it stands. */
enum rep_state {
	REP_APPLIED, /* ran with this content */
	REP_CHANGED, /* ran, and its content changed since */
	REP_PENDING, /* never ran */
};

const char *rep_state_name(enum rep_state);

struct repeatable {
	const char              *name;
	const struct mig_file   *file;
	const struct repeat_row *row; /* NULL when it never ran */
	struct sqlfile           sql;
	enum rep_state           state;
};

struct plan {
	struct migration  *v;
	size_t             n;
	struct repeatable *rv; /* by name */
	size_t             rn;
	int64_t            current; /* highest applied, or 0 */
	int64_t            highest_recorded;
};

struct sumcache;

/*
 * Join files and history; reads every file of the plan once. With a
 * checksum cache for a folder, its unchanged files are not read: their
 * sqlfile has the checksum and directives but no text until
 * sqlfile_need_text.
 */
int  plan_build(struct plan *, const struct scan *, enum dialect,
     const struct history *, struct sumcache *up, struct sumcache *down);
void plan_free(struct plan *);

/* Did the version run to its end? */
bool row_is_applied(const struct history_row *);
/* Did it run its expand part, and not yet its contract part? */
bool row_is_expanded(const struct history_row *);
/* Does the row count for `current`: applied or expanded? */
bool row_is_current(const struct history_row *);
/* Did a rollback of the version stop part-way? */
bool row_rollback_started(const struct history_row *);

/*
 * Refuse `up` (exit 3) for drift, missing files and, unless allowed,
 * pending versions below the highest applied one, up to version `to`
 * (0: all). Each problem is kept (err_keep); err_kept_end() ends it.
 */
void plan_check_up(const struct plan *, bool out_of_order, int64_t to);

/* validate: the same checks plus rollback pairs. */
void plan_check_all(const struct plan *);

#endif
