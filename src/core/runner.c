/*
 * runner.c - execute the plan.
 *
 * A file's statements are grouped into segments (stmt.h). A transactional
 * segment runs inside one transaction together with the history row that
 * records it and the log rows of its statements, so a failure leaves the
 * database exactly as before the segment. A statement that must run outside
 * a transaction runs alone; its history and log rows follow in a short
 * transaction of their own. A version that stops between segments is
 * `failed` with the number of statements completed, and resumes there.
 *
 * Log rows of a failed transaction are written again after its rollback,
 * so the optimization log keeps every failure.
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/db.h"
#include "../sql/batch.h"
#include "report.h"
#include "resume.h"
#include "run_state.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "../util/error.h"

/* Drop log entries [mark, n) but keep the last one (the retried row). */
static void
drop_attempt(struct run_state *rs, size_t mark)
{
	struct log_entry keep;
	size_t           i;

	if (rs->log.n <= mark)
		return;
	keep = rs->log.v[rs->log.n - 1];
	for (i = mark; i + 1 < rs->log.n; i++) {
		free(rs->log.v[i].text);
		free(rs->log.v[i].error);
		facts_free(&rs->log.v[i].facts);
	}
	rs->log.v[mark] = keep;
	rs->log.n = mark + 1;
}

/*
 * A statement of a no-transaction file that could run in a transaction
 * runs in one with its own record, committed alone: a crash between the
 * statement and its record cannot make the next run do it again. Not the
 * statements that refuse a transaction, nor those that change meaning in
 * one (PRAGMA is ignored there, LOCK TABLE ends with it, a DO block may
 * COMMIT), nor the unknown.
 */
static bool
record_with_statement(const struct stmt *s)
{
	return !s->nontx && s->batch == NULL && s->kind != KIND_OTHER &&
	    s->kind != KIND_TRANSACTION && s->kind != KIND_PRAGMA &&
	    s->kind != KIND_LOCK && s->kind != KIND_VACUUM &&
	    s->kind != KIND_DO;
}

/*
 * A statement done in parts failed after some: the version is failed, not
 * pending (its history row says so), and the next up finishes it. The
 * error being reported stays on the record.
 */
static void
record_partial(struct run_state *rs, struct part *p, int64_t started_us)
{
	struct error saved;

	err_save(&saved);
	if (db_begin(rs->db) == 0) {
		record_part(rs, p, (time_mono_us() - started_us) / 1000);
		if (db_send(rs->db, &rs->writes, true) < 0)
			db_rollback(rs->db);
		else
			p->row_written = true;
	}
	db_writes_free(&rs->writes);
	err_clear();
	err_restore(&saved);
}

/*
 * A transaction of many statements sends its log rows as it goes, inside
 * it, rather than holding them all until COMMIT: memory stays bounded for
 * a file of a million INSERTs. Should the transaction fail, those rows go
 * with it; the failed statement's row says how many.
 */
static int
log_in_transaction(struct run_state *rs)
{
	int rc;

	rs->log_sent_in_tx += (int64_t)rs->log.n;
	rc = log_batch_send(rs->db, &rs->writes, &rs->log, false);
	log_batch_clear(&rs->log);
	return rc;
}

/* One attempt at a unit of work, and what its statements share. */
struct unit_run {
	bool    tx; /* strata's own transaction around the unit */
	int     attempt;
	size_t  mark; /* the log rows this attempt added start here */
	int64_t started_us;
	struct exec_result res;
	struct stmt_facts  facts;
};

#define STMT_RETRY 1

/*
 * Statement i of part p, run and logged: 0 when it ran, STMT_RETRY when it
 * failed in a way worth another attempt (the backoff slept), else the
 * error, recorded.
 */
static int
run_statement(struct run_state *rs, struct unit_run *u, struct part *p,
    size_t i)
{
	const struct stmt *s = &p->f->stmts.v[i];
	struct log_entry  *e;
	bool               user_tx;
	size_t             parts_done;
	int64_t            t0;
	int                rc;

	if (s == rs->built) {
		rs->built = NULL;
		e = log_batch_add(&rs->log);
		fill_entry(e, p, i, 0);
		facts_bool(&u->facts.facts, "built_before_stop", true);
		facts_to_entry(e, &u->facts, NULL, 0);
		return 0;
	}
	/* In a transaction the file's own BEGIN opened. */
	user_tx = !u->tx && db_in_transaction(rs->db);
	db_facts_before(rs->db, s, &u->facts);
	if (!u->tx && (rc = db_before_stmt(rs->db, s, &u->facts)) < 0)
		return rc;
	log_verbose("version %lld statement %zu: %s", (long long)p->m->version,
	    i + 1, stmt_kind_name(s->kind));
	t0 = time_mono_us();
	rc = db_exec(rs->db, p->f->text.ptr + s->off, s->len, s, &u->res);
	parts_done = parts_to_log(rs, p, i, &u->res, &u->facts);
	e = log_batch_add(&rs->log);
	fill_entry(e, p, i, (double)(time_mono_us() - t0) / 1000.0);
	e->rows = u->res.rows;
	if (u->res.partitions > 0)
		e->kind = KIND_CREATE_INDEX_PARTITIONED;
	if (rs->replica_wait_ms > 0) {
		facts_int(&u->facts.facts, "replica_wait_ms",
		    rs->replica_wait_ms);
		rs->replica_wait_ms = 0;
	}
	if (rc == 0) {
		/* A part-wise build said its sizes. */
		if (u->res.partitions == 0)
			db_facts_after(rs->db, s, &u->facts);
		facts_to_entry(e, &u->facts, u->res.phase, u->attempt);
		exec_result_clear(&u->res);
		if (u->tx && rs->log.n - u->mark >= LOG_KEEP_MAX) {
			if ((rc = log_in_transaction(rs)) < 0) {
				db_rollback(rs->db);
				return rc;
			}
			u->mark = 0;
		}
		return 0;
	}
	facts_clear(&u->facts.facts);
	entry_failed(e, &u->res);
	if (u->tx || user_tx)
		db_rollback(rs->db);
	if (u->res.retryable && !user_tx && u->attempt < rs->opts->retries) {
		int64_t wait = backoff_ms(rs, u->attempt);

		e->outcome = "retried";
		report_retry(rs->report, p->m, i + 1, p->f->path, s->line,
		    e->error, u->attempt + 1, rs->opts->retries, wait);
		if (u->tx)
			drop_attempt(rs, u->mark);
		u->mark = rs->log.n;
		exec_result_clear(&u->res);
		sleep_ms(wait);
		return STMT_RETRY;
	}
	e->outcome = "error";
	if (rs->log_sent_in_tx > 0)
		facts_int(&e->facts, "earlier_rows_rolled_back",
		    rs->log_sent_in_tx);
	rc = statement_error(p, i, &u->res);
	flush_failed_log(rs, u->mark, u->tx);
	if (parts_done > 0 && !u->tx && !user_tx)
		record_partial(rs, p, u->started_us);
	return rc;
}

/*
 * A unit of work: its statements in one transaction of strata's (tx), or
 * each on its own; attempted again after a retryable failure, then
 * committed with its history and log rows.
 */
static int
run_unit(struct run_state *rs, struct part *parts, size_t nparts, bool tx,
    int64_t started_us)
{
	struct unit_run u;
	size_t          k, i;
	int             rc = 0;

	memset(&u, 0, sizeof(u));
	exec_result_clear(&u.res);
	u.facts = (struct stmt_facts){ -1, -1, { NULL, 0, 0 } };
	u.mark = rs->log.n;
	u.started_us = started_us;
	if (!tx && nparts == 1 && parts[0].seg.count == 1 &&
	    record_with_statement(&parts[0].f->stmts.v[parts[0].seg.first]) &&
	    !db_in_transaction(rs->db))
		tx = true;
	u.tx = tx;
	for (u.attempt = 0;; u.attempt++) {
		rs->log_sent_in_tx = 0;
		if ((rc = wait_replicas(rs)) < 0 ||
		    (tx && (rc = db_begin(rs->db)) < 0))
			break;
		for (k = 0; k < nparts && rc == 0; k++)
			for (i = parts[k].seg.first; rc == 0 &&
			     i < parts[k].seg.first + parts[k].seg.count;
			     i++)
				rc = run_statement(rs, &u, &parts[k], i);
		if (rc == STMT_RETRY)
			continue;
		if (rc < 0 || (!tx && (rc = db_begin(rs->db)) < 0))
			break;
		for (k = 0; k < nparts; k++)
			for (i = 0; i < parts[k].seg.count; i++)
				parts[k].done[parts[k].seg.first + i] = true;
		rc = commit_unit(rs, parts, nparts, tx, u.mark, started_us);
		break;
	}
	exec_result_clear(&u.res);
	facts_free(&u.facts.facts);
	return rc;
}

/* Run one file from its resume point, segment by segment. */
static int
run_file(struct run_state *rs, struct migration *m, bool down)
{
	struct sqlfile     *f = down ? &m->down : &m->up;
	struct segment_list segs;
	int64_t             t0 = time_mono_us();
	bool               *done;
	size_t              i;
	int                 rc = 0;

	done_load(m, down, &done);
	rs->recorded_ms = -1;
	segments_of(rs->db, m, down, rs->opts->jobs, done, &segs);
	rs->built = built_before_stop(rs, m, down);
	/* Where a stopped run left off (an expanded one is not stopped). */
	if (runner_resume_at(m, down) > 0 && !row_is_expanded(m->row))
		report_resume(rs->report, m, runner_resume_at(m, down) + 1,
		    f->stmts.n);
	for (i = 0; i < segs.n; i++) {
		struct part p = { m, f, segs.v[i], down, done, NULL, false };

		if (f->stmts.v[segs.v[i].first].batch != NULL)
			rc = run_backfill(rs, &p, t0);
		else if (segs.v[i].parallel && segs.v[i].count > 1)
			rc = run_batch(rs, &p, t0);
		else
			rc = run_unit(rs, &p, 1, segs.v[i].tx, t0);
		if (rc < 0)
			break;
	}
	if (rc == 0 && f->no_tx && db_in_transaction(rs->db)) {
		db_rollback(rs->db);
		rc = unclosed_transaction(m, f);
	}
	/*
	 * Nothing of the file to run (no statements, an empty part): its
	 * history row alone, in a transaction.
	 */
	if (segs.n == 0 && rc == 0) {
		struct part p = { m, f, { 0, 0, true, false }, down, done, NULL,
			false };

		rc = run_unit(rs, &p, 1, true, t0);
	}
	segment_list_free(&segs);
	free(done);
	/* What status will show is what is said now (up to the COMMIT). */
	if (rc == 0)
		report_done(rs->report, m,
		    rs->recorded_ms >= 0 ? rs->recorded_ms
					 : (time_mono_us() - t0) / 1000,
		    f->stmts.n);
	return rc;
}

bool
runner_all_in_transaction(const struct sqlfile *f)
{
	size_t i;

	for (i = 0; i < f->stmts.n; i++)
		if (f->no_tx || f->stmts.v[i].nontx ||
		    f->stmts.v[i].commit_before)
			return false;
	return true;
}

static void
run_state_init(struct run_state *rs, struct db *db, const struct run_opts *o,
    struct report *report, bool down)
{
	memset(rs, 0, sizeof(*rs));
	rs->db = db;
	rs->opts = o;
	rs->report = report;
	db->jobs = o->jobs;
	report_run_begin(report, down);
	rs->rng = (uint64_t)time_mono_us() ^ ((uint64_t)getpid() << 32) ^
	    0x9e3779b97f4a7c15ULL;
}

static void
run_state_free(struct run_state *rs)
{
	log_batch_clear(&rs->log);
	free(rs->log.v);
	db_writes_free(&rs->writes);
}

/* --single-transaction: every version in one unit. */
static int
run_single(struct run_state *rs, struct migration **ms, size_t n)
{
	struct part *parts = xcalloc(n ? n : 1, sizeof(*parts));
	int64_t      t0 = time_mono_us(), ms_total;
	size_t       i;
	int          rc;

	for (i = 0; i < n; i++) {
		struct stmt_range r[2];

		parts[i].m = ms[i];
		parts[i].f = &ms[i]->up;
		done_load(ms[i], false, &parts[i].done);
		/* Forward ranges are one: the file, or the part it runs. */
		run_ranges(ms[i], false, parts[i].done, r);
		parts[i].seg.first = runner_resume_at(ms[i], false);
		if (parts[i].seg.first < r[0].from)
			parts[i].seg.first = r[0].from;
		parts[i].seg.count = r[0].to > parts[i].seg.first
		    ? r[0].to - parts[i].seg.first
		    : 0;
		parts[i].seg.tx = true;
	}
	rs->recorded_ms = -1;
	rc = run_unit(rs, parts, n, true, t0);
	ms_total = rs->recorded_ms >= 0 ? rs->recorded_ms
					: (time_mono_us() - t0) / 1000;
	for (i = 0; rc == 0 && i < n; i++)
		report_done(rs->report, ms[i], ms_total, ms[i]->up.stmts.n);
	for (i = 0; i < n; i++)
		free(parts[i].done);
	free(parts);
	return rc;
}

int
runner_up(struct db *db, struct migration **ms, size_t n,
    const struct run_opts *opts, struct report *report)
{
	struct run_state rs;
	size_t           i;
	int              rc = 0;

	run_state_init(&rs, db, opts, report, false);
	if (opts->single_tx && n > 0)
		rc = run_single(&rs, ms, n);
	else
		for (i = 0; i < n && rc == 0; i++)
			rc = run_file(&rs, ms[i], false);
	run_state_free(&rs);
	return rc;
}

int
runner_down(struct db *db, struct migration **ms, size_t n,
    const struct run_opts *opts, struct report *report)
{
	struct run_state rs;
	size_t           i;
	int              rc = 0;

	run_state_init(&rs, db, opts, report, true);
	for (i = 0; i < n && rc == 0; i++)
		rc = run_file(&rs, ms[i], true);
	run_state_free(&rs);
	return rc;
}
