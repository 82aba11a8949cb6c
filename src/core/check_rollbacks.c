/*
 * check_rollbacks.c - up --check-rollbacks: apply a version, undo it,
 * check that the schema is as it was, and apply it again.
 *
 * A phased version is checked step by step: expand, contract, the undo of
 * the contract (the schema as after the expand), the undo of the expand
 * (as before the version). With a rollback file that has no contract
 * marker, its whole undo is checked from both states: after the expand
 * alone, and after both parts. Column positions are not compared for a
 * phased version: a column its contract part drops comes back last when
 * that is undone, and no database can put it back in its place.
 */
#include "check_rollbacks.h"

#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "../db/snapshot.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "runner.h"

struct check {
	struct db             *db;
	struct migration      *m;
	const struct run_opts *opts;
	struct report          scratch;
	bool                   ignore_column_order;
	struct history_row     row; /* what the history says between steps */
	char                   now[32];
};

static int
snap(struct check *c, struct snapshot *s)
{
	int rc = snapshot_take(c->db, tables_own, s);

	if (rc == 0 && c->ignore_column_order)
		snapshot_ignore_column_order(s);
	return rc;
}

/*
 * The history row the version has after a step, so the next step starts
 * where a real run would: state, and statements completed.
 */
static void
set_row(struct check *c, const char *state)
{
	struct migration *m = c->m;

	memset(&c->row, 0, sizeof(c->row));
	c->row.version = m->version;
	c->row.name = (char *)m->name;
	c->row.checksum = m->up.checksum;
	c->row.rollback_checksum = m->down.checksum;
	c->row.state = (char *)state;
	c->row.completed = strcmp(state, "expanded") == 0
	    ? (int64_t)m->up.contract
	    : (int64_t)m->up.stmts.n;
	time_iso_now(c->now);
	c->row.applied_at = c->now;
	m->row = &c->row;
}

/* Run one step of the version: `part` forward, or back when down. */
static int
step(struct check *c, const char *row_state, enum run_part part, bool down)
{
	struct migration *m = c->m;
	int               rc;

	if (row_state != NULL)
		set_row(c, row_state);
	else
		m->row = NULL;
	m->part = part;
	rc = down ? runner_down(c->db, &m, 1, c->opts, &c->scratch)
		  : runner_up(c->db, &m, 1, c->opts, &c->scratch);
	m->row = NULL;
	if (rc < 0 && down)
		/* Say what was being done, and where that leaves the version. */
		err_prefix("checking the rollback of version %lld (%s), which "
			   "%s",
		    (long long)m->version, m->name,
		    !runner_all_in_transaction(&m->down)
			? "is left partly rolled back ('strata rollback' "
			  "finishes it)"
			: m->up.phased ? "stays as the step before left it"
				       : "stays applied");
	return rc;
}

/* After an undo: is the schema `want`? Else exit 3, saying which step. */
static int
compare(struct check *c, const struct snapshot *want, const char *undo,
    const char *as_of)
{
	struct snapshot now;
	struct buf      diff = BUF_INIT, shown = BUF_INIT;
	int             rc;

	if ((rc = snap(c, &now)) < 0)
		return rc;
	if (snapshot_diff(want, &now, &diff)) {
		rc = err_set(EXIT_INVALID, "version %lld: %s",
		    (long long)c->m->version, buf_cstr(&diff));
		err_set_version(c->m->version);
		err_set_location(c->m->down.path, 0, 0);
		buf_reset(&diff);
		buf_addf(&diff, "make '%s' undo everything '%s' does",
		    c->m->down.path, c->m->up.path);
		buf_addf(&shown,
		    "shown as: after %s != %s; the version is left as that "
		    "undo left it",
		    undo, as_of);
		err_set_detail(buf_cstr(&shown), buf_cstr(&diff));
	}
	snapshot_free(&now);
	buf_free(&diff);
	buf_free(&shown);
	return rc;
}

/* The steps of a phased version; `before` is the schema before it. */
static int
check_phased(struct check *c, const struct snapshot *before)
{
	struct snapshot expanded;
	int             rc;

	if ((rc = step(c, NULL, PART_EXPAND, false)) < 0 ||
	    (rc = snap(c, &expanded)) < 0)
		return rc;
	if (!c->m->down.phased) {
		/* A rollback run whole must undo an expanded version too. */
		if ((rc = step(c, "expanded", PART_ALL, true)) < 0 ||
		    (rc = compare(c, before, "the rollback of the expand part",
			 "before the version was applied")) < 0 ||
		    (rc = step(c, NULL, PART_EXPAND, false)) < 0)
			goto done;
	}
	if ((rc = step(c, "expanded", PART_CONTRACT, false)) < 0)
		goto done;
	if (c->m->down.phased &&
	    ((rc = step(c, "applied", PART_CONTRACT, true)) < 0 ||
		(rc = compare(c, &expanded, "the undo of the contract part",
		     "the expand part alone")) < 0))
		goto done;
	if ((rc = step(c, c->m->down.phased ? "expanded" : "applied", PART_ALL,
		 true)) < 0)
		goto done;
	rc = compare(c, before,
	    c->m->down.phased ? "the undo of the expand part" : "the rollback",
	    "before the version was applied");
done:
	snapshot_free(&expanded);
	return rc;
}

int
check_rollback(struct db *db, struct migration *m, const struct run_opts *opts,
    struct report *report, bool ignore_column_order, enum run_part part)
{
	struct check    c;
	struct snapshot before;
	int             rc;

	if (m->row != NULL || m->down.irreversible) {
		report_warn(report,
		    "version %lld (%s): rollback not checked (%s)",
		    (long long)m->version, m->name,
		    row_is_expanded(m->row) ? "it was expanded before this run"
			: m->row != NULL
			? "it was partly applied before this run"
			: "its rollback says '-- strata:irreversible'");
		m->part = part;
		return runner_up(db, &m, 1, opts, report);
	}
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.m = m;
	c.opts = opts;
	c.ignore_column_order = ignore_column_order || m->up.phased;
	report_init(&c.scratch, report->json);
	if ((rc = snap(&c, &before)) < 0)
		goto out;
	if (m->up.phased)
		rc = check_phased(&c, &before);
	else if ((rc = step(&c, NULL, PART_ALL, false)) == 0 &&
	    (rc = step(&c, "applied", PART_ALL, true)) == 0)
		rc = compare(&c, &before, "the rollback",
		    "before the version was applied");
	if (rc == 0) {
		report_checked(report, m, before.n);
		m->part = part;
		rc = runner_up(db, &m, 1, opts, report);
	}
	snapshot_free(&before);
out:
	report_free(&c.scratch);
	return rc;
}
