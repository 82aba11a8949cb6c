/*
 * lint_db.c - lint pointed at a database: its catalog read through the
 * driver's catalog slot into the lint run, and the files a run on it would
 * run, read in order and linted as the run splits them.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/runner.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "lint_db.h"

static int64_t
estimate_rows(void *db, const char *text, size_t len)
{
	return db_estimate_rows(db, text, len);
}

static void
describe(void *db, struct lint_run *run, const char *table)
{
	struct catalog_sink sink;

	lint_catalog_sink(run, &sink);
	/* A table that cannot be described is left undescribed: not fixed. */
	if (db_describe(db, table, &sink) < 0)
		err_clear();
}

int
lint_load_catalog(struct db *db, struct lint_run *run)
{
	struct catalog_sink sink;
	int                 rc;

	lint_catalog_sink(run, &sink);
	rc = db_catalog(db, &sink);
	run->db_arg = db;
	run->estimate_rows = estimate_rows;
	run->describe = describe;
	run->state.catalog = true;
	return rc;
}

int
lint_note_expanded_versions(struct db *db, struct lint_run *run,
    struct plan *plan)
{
	size_t i;
	int    rc;

	for (i = 0; i < plan->n; i++) {
		struct migration *m = &plan->v[i];

		if (m->state != STATE_EXPANDED || m->part == PART_CONTRACT)
			continue;
		if ((rc = runner_prepare_file(db, &m->up)) < 0)
			return rc;
		lint_note_expanded(run, &m->up, m->version);
	}
	return 0;
}

int
lint_repeatables(struct db *db, struct lint_run *run, struct plan *plan)
{
	size_t i;
	int    rc;

	for (i = 0; i < plan->rn; i++) {
		struct repeatable *r = &plan->rv[i];

		if (r->state == REP_APPLIED)
			continue;
		if ((rc = runner_prepare_file(db, &r->sql)) < 0)
			return rc;
		lint_file(run, &r->sql, db->ops->dialect, 0, false);
	}
	return 0;
}

int
lint_migrations(struct db *db, struct lint_run *run, struct migration **ms,
    size_t n, bool down)
{
	size_t i;
	int    rc;

	if (!run->state.catalog && (rc = lint_load_catalog(db, run)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct sqlfile *f = down ? &ms[i]->down : &ms[i]->up;
		size_t          from = 0, to;

		if ((rc = runner_prepare_file(db, f)) < 0)
			return rc;
		/* Of a phased version, the part this run runs. */
		to = f->stmts.n;
		if (!down && f->phased && ms[i]->part == PART_EXPAND)
			to = f->contract;
		else if (!down && f->phased && ms[i]->part == PART_CONTRACT)
			from = f->contract;
		lint_file_part(run, f, db->ops->dialect, ms[i]->version, down,
		    from, to);
	}
	return 0;
}
