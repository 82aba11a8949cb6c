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

#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 10000

static double
random01(struct run_state *rs)
{
	/* xorshift64*: jitter only, not security. */
	rs->rng ^= rs->rng >> 12;
	rs->rng ^= rs->rng << 25;
	rs->rng ^= rs->rng >> 27;
	return (double)((rs->rng * 2685821657736338717ULL) >> 11) /
	    (double)(1ULL << 53);
}

int64_t
backoff_ms(struct run_state *rs, int attempt)
{
	double ms = BACKOFF_BASE_MS;
	int    i;

	for (i = 0; i < attempt && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_CAP_MS)
		ms = BACKOFF_CAP_MS;
	return (int64_t)(ms * (0.5 + random01(rs)));
}

/*
 * The checksum a resume compares: of the completed statements and, while
 * a backfill is under way, of its statement too.
 */
static void
done_checksum(const struct part *p, char sum[CHECKSUM_HEX])
{
	size_t n = p->f->stmts.n, k;
	bool  *done;

	if (p->progress == NULL) {
		stmt_done_checksum(p->f, p->done, sum);
		return;
	}
	done = xcalloc(n + 1, sizeof(*done));
	memcpy(done, p->done, n * sizeof(*done));
	k = (size_t)p->progress->batch_statement;
	if (k >= 1 && k <= n)
		done[k - 1] = true;
	stmt_done_checksum(p->f, done, sum);
	free(done);
}

/* Is every statement the run goes through (run_ranges) done? */
static bool
ranges_done(const struct part *p)
{
	struct stmt_range r[2];
	size_t            n = run_ranges(p->m, p->down, p->done, r), k, i;

	for (k = 0; k < n; k++)
		for (i = r[k].from; i < r[k].to; i++)
			if (!p->done[i])
				return false;
	return true;
}

void
record_part(struct run_state *rs, const struct part *p, int64_t duration_ms)
{
	struct history_row row;
	char               sum[CHECKSUM_HEX] = "";
	char               at[32];
	char              *extra;
	size_t             done = done_split(p->done, p->f->stmts.n, &extra);
	const struct migration *m = p->m;

	/* A repeatable runs in one transaction: its row says what ran. */
	if (m->repeatable) {
		free(extra);
		if (done == p->f->stmts.n)
			repeat_put(&rs->writes, rs->db, m->name, p->f->checksum,
			    duration_ms);
		rs->recorded_ms = duration_ms;
		return;
	}
	if (p->down && ranges_done(p)) {
		free(extra);
		/* The contract undone alone (--check-rollbacks): expanded. */
		if (m->part == PART_CONTRACT && p->f->phased) {
			row = *m->row;
			row.state = "expanded";
			row.completed = (int64_t)m->up.contract;
			row.completed_checksum = row.completed_extra = NULL;
			row.rollback_completed = 0;
			row.rollback_extra = NULL;
			history_put(&rs->writes, rs->db, &row, true);
			return;
		}
		history_delete(&rs->writes, rs->db, m->version);
		return;
	}
	memset(&row, 0, sizeof(row));
	time_iso_now(at);
	row.version = m->version;
	row.name = (char *)m->name;
	row.applied_by = (char *)history_applied_by();
	row.duration_ms = duration_ms;
	if (p->down) {
		/* A rollback stopped part-way: keep the row, say how far. */
		const struct history_row *old = m->row;

		row.checksum = old->checksum;
		row.rollback_checksum = old->rollback_checksum;
		row.completed = old->completed;
		row.completed_extra = old->completed_extra;
		row.applied_at = old->applied_at;
		row.duration_ms = old->duration_ms;
		row.state = "failed";
		row.rollback_completed = (int64_t)done;
		row.rollback_extra = extra;
		done_checksum(p, sum);
		row.completed_checksum = sum;
	} else {
		row.checksum = (char *)p->f->checksum;
		row.rollback_checksum = m->down_file ? (char *)m->down.checksum
						     : NULL;
		row.applied_at = at;
		row.completed = (int64_t)done;
		rs->recorded_ms = duration_ms;
		row.completed_extra = extra;
		if (done == p->f->stmts.n)
			row.state = "applied";
		else if (p->f->phased && done == p->f->contract && !extra)
			row.state = "expanded"; /* the contract part waits */
		else {
			row.state = "failed";
			done_checksum(p, sum);
			row.completed_checksum = sum;
		}
	}
	if (p->progress != NULL) {
		row.batch_statement = p->progress->batch_statement;
		row.batch_rows = p->progress->batch_rows;
		row.batch_rounds = p->progress->batch_rounds;
		row.batch_last = p->progress->batch_last;
		row.batch_max = p->progress->batch_max;
	}
	/* The row is there when history had it or this run wrote it. */
	history_put(&rs->writes, rs->db, &row,
	    m->row != NULL || p->seg.first > 0 || p->row_written);
	free(extra);
}

void
fill_entry(struct log_entry *e, const struct part *p, size_t i,
    double duration_ms)
{
	const struct stmt *s = &p->f->stmts.v[i];

	time_iso_now(e->at);
	e->version = p->m->version;
	e->direction = p->down ? "down" : "up";
	e->statement = (int)i + 1;
	/* Of a phased file, which part the statement is in. */
	e->phase = !p->f->phased ? NULL
	    : i < p->f->contract ? "expand"
				 : "contract";
	e->kind = s->kind;
	if (s->batch != NULL)
		e->kind = s->kind == KIND_DELETE ? KIND_BATCH_DELETE
		    : s->kind == KIND_INSERT     ? KIND_BATCH_INSERT
						 : KIND_BATCH_UPDATE;
	e->text = stmt_first_line(p->f->text.ptr, s, LOG_TEXT_MAX);
	if (p->m->repeatable) {
		/* No version: the log says which repeatable by its name. */
		char  *line = e->text;
		size_t n = strlen(p->m->name) + strlen(line) + 5;

		e->text = xmalloc(n);
		snprintf(e->text, n, "R %s: %s", p->m->name, line);
		free(line);
	}
	e->duration_ms = duration_ms;
}

/* A log row for a statement that failed: its SQLSTATE and message. */
void
entry_failed(struct log_entry *e, const struct exec_result *r)
{
	memcpy(e->sqlstate, r->sqlstate, 6);
	e->error = xstrdup(r->message ? r->message : "statement failed");
}

/* Put the database's error on the record, pointing into the file. */
int
statement_error(const struct part *p, size_t i, const struct exec_result *r)
{
	const struct stmt *s = &p->f->stmts.v[i];
	int                line = s->line, col = s->column;

	if (r->position > 0) {
		size_t off = text_advance_chars(p->f->text.ptr, s->off + s->len,
		    s->off, (size_t)r->position - 1);

		text_position(p->f->text.ptr, p->f->body, off, &line, &col);
	}
	if (r->lost)
		err_set(EXIT_DB,
		    "the database failed under this statement: %s (what "
		    "completed before it stays recorded; run again when the "
		    "database is back)",
		    r->message ? r->message : "connection lost");
	else if (r->blockers)
		err_set(EXIT_FAILED, "%s (blocked by: %s)",
		    r->message ? r->message : "statement failed", r->blockers);
	else
		err_set(EXIT_FAILED, "%s",
		    r->message ? r->message : "statement failed");
	if (p->m->version > 0)
		err_set_version(p->m->version);
	err_set_location(p->f->path, line, col);
	err_set_sqlstate(r->sqlstate);
	err_set_detail(r->detail, r->hint);
	return r->lost ? -EXIT_DB : -EXIT_FAILED;
}

/* Hand what was learnt about a statement to its log entry. */
void
facts_to_entry(struct log_entry *e, struct stmt_facts *f, const char *phase,
    int retries)
{
	if (phase != NULL)
		facts_text(&f->facts, "last_phase", phase);
	if (retries > 0)
		facts_int(&f->facts, "lock_retries", retries);
	facts_free(&e->facts);
	e->facts = f->facts;
	memset(&f->facts, 0, sizeof(f->facts));
}

/*
 * After a failed unit: mark what was rolled back and keep the log. The
 * error being reported stays on the record even if writing the log fails
 * too (a busy SQLite database, a lost connection).
 */
void
flush_failed_log(struct run_state *rs, size_t mark, bool tx)
{
	struct error saved;
	size_t       i;

	if (tx)
		for (i = mark; i < rs->log.n; i++) {
			struct log_entry *e = &rs->log.v[i];

			if (strcmp(e->outcome, "ok") == 0)
				facts_bool(&e->facts, "rolled_back", true);
		}
	err_save(&saved);
	if (log_batch_send(rs->db, &rs->writes, &rs->log, false) < 0)
		log_warn("could not write the optimization log: %s",
		    err_last()->message);
	err_restore(&saved);
	log_batch_clear(&rs->log);
}

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
 * Did COMMIT fail for the migration's sake (a deferred check), not the
 * database's? A lost server has no SQLSTATE, or one of class 08 or 57;
 * SQLite has none to tell, and a broken SQLite file fails earlier.
 */
static bool
commit_check_failed(struct db *db)
{
	const char *st = err_last()->sqlstate;

	if (db_broken(db))
		return false;
	if (db->ops->dialect != DIALECT_POSTGRES)
		return true;
	return st[0] != '\0' && strncmp(st, "08", 2) != 0 &&
	    strncmp(st, "57P", 3) != 0;
}

/*
 * In the open transaction: the parts' history rows (what p->done says
 * completed) and the log rows, then COMMIT. On failure everything is
 * rolled back and the log rows are written on their own.
 */
int
commit_unit(struct run_state *rs, struct part *parts, size_t nparts, bool tx,
    size_t mark, int64_t started_us)
{
	size_t k;
	int    rc;

	for (k = 0; k < nparts; k++)
		record_part(rs, &parts[k],
		    (time_mono_us() - started_us) / 1000);
	if ((rc = log_batch_send(rs->db, &rs->writes, &rs->log, true)) < 0) {
		struct part *p = &parts[nparts - 1];

		db_rollback(rs->db);
		err_set_version(p->m->version);
		if (err_last()->code == EXIT_DB && tx &&
		    commit_check_failed(rs->db)) {
			/* COMMIT itself failed (a deferred check). */
			rc = err_set_code(EXIT_FAILED);
			err_set_location(p->f->path, 0, 0);
		}
		flush_failed_log(rs, mark, tx);
	} else
		log_batch_clear(&rs->log);
	return rc;
}

/*
 * Run a unit of work: the parts' statements, in one transaction when tx,
 * then their history rows and log rows. Retries lock failures.
 */
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
 * A statement done in parts (an index built partition by partition) has a
 * log row for each part before its own, and its own row counts them.
 */
size_t
parts_to_log(struct run_state *rs, const struct part *p, size_t i,
    struct exec_result *res, struct stmt_facts *facts)
{
	size_t k, n = res->n_parts;

	for (k = 0; k < res->n_parts; k++) {
		const struct exec_part *x = &res->parts[k];
		struct log_entry       *e = log_batch_add(&rs->log);

		fill_entry(e, p, i, x->duration_ms);
		e->kind = KIND_CREATE_INDEX_CONCURRENTLY;
		free(e->text);
		e->text = xstrndup(x->text, strnlen(x->text, LOG_TEXT_MAX));
		e->outcome = "ok";
		facts_text(&e->facts, "partition", x->partition);
		if (x->index_bytes >= 0)
			facts_int(&e->facts, "index_bytes", x->index_bytes);
	}
	exec_parts_free(res);
	if (res->partitions > 0) {
		facts_int(&facts->facts, "partitions", res->partitions);
		if (res->index_bytes >= 0)
			facts_int(&facts->facts, "index_bytes",
			    res->index_bytes);
	}
	if (res->not_concurrently)
		facts_bool(&facts->facts, "concurrently", false);
	return n;
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

static int
run_unit(struct run_state *rs, struct part *parts, size_t nparts, bool tx,
    int64_t started_us)
{
	struct exec_result res;
	struct stmt_facts  facts = { -1, -1, { NULL, 0, 0 } };
	int                attempt, rc = 0;
	size_t             mark = rs->log.n, k, i;

	memset(&res, 0, sizeof(res));
	exec_result_clear(&res);
	if (!tx && nparts == 1 && parts[0].seg.count == 1 &&
	    record_with_statement(&parts[0].f->stmts.v[parts[0].seg.first]) &&
	    !db_in_transaction(rs->db))
		tx = true;
	for (attempt = 0;; attempt++) {
		bool   failed = false, user_tx = false;
		size_t parts_done = 0;

		rs->log_sent_in_tx = 0;
		if ((rc = wait_replicas(rs)) < 0 ||
		    (tx && (rc = db_begin(rs->db)) < 0))
			goto done;
		for (k = 0; k < nparts && !failed; k++) {
			struct part *p = &parts[k];

			for (i = p->seg.first; i < p->seg.first + p->seg.count;
			     i++) {
				const struct stmt *s = &p->f->stmts.v[i];
				struct log_entry  *e;
				int64_t            t0;

				if (s == rs->built) {
					rs->built = NULL;
					e = log_batch_add(&rs->log);
					fill_entry(e, p, i, 0);
					facts_bool(&facts.facts,
					    "built_before_stop", true);
					facts_to_entry(e, &facts, NULL, 0);
					continue;
				}
				/* In a transaction the file's own BEGIN opened. */
				user_tx = !tx && db_in_transaction(rs->db);
				db_facts_before(rs->db, s, &facts);
				if (!tx &&
				    (rc = db_before_stmt(rs->db, s, &facts)) <
					0)
					goto done;
				log_verbose("version %lld statement %zu: %s",
				    (long long)p->m->version, i + 1,
				    stmt_kind_name(s->kind));
				t0 = time_mono_us();
				rc = db_exec(rs->db, p->f->text.ptr + s->off,
				    s->len, s, &res);
				parts_done = parts_to_log(rs, p, i, &res,
				    &facts);
				e = log_batch_add(&rs->log);
				fill_entry(e, p, i,
				    (double)(time_mono_us() - t0) / 1000.0);
				e->rows = res.rows;
				if (res.partitions > 0)
					e->kind = KIND_CREATE_INDEX_PARTITIONED;
				if (rs->replica_wait_ms > 0) {
					facts_int(&facts.facts,
					    "replica_wait_ms",
					    rs->replica_wait_ms);
					rs->replica_wait_ms = 0;
				}
				if (rc == 0) {
					/* A part-wise build said its sizes. */
					if (res.partitions == 0)
						db_facts_after(rs->db, s,
						    &facts);
					facts_to_entry(e, &facts, res.phase,
					    attempt);
					exec_result_clear(&res);
					if (tx &&
					    rs->log.n - mark >= LOG_KEEP_MAX) {
						if ((rc = log_in_transaction(
							 rs)) < 0) {
							db_rollback(rs->db);
							goto done;
						}
						mark = 0;
					}
					continue;
				}
				facts_clear(&facts.facts);
				entry_failed(e, &res);
				if (tx || user_tx)
					db_rollback(rs->db);
				if (res.retryable && !user_tx &&
				    attempt < rs->opts->retries) {
					int64_t wait = backoff_ms(rs, attempt);

					e->outcome = "retried";
					report_retry(rs->report, p->m, i + 1,
					    p->f->path, s->line, e->error,
					    attempt + 1, rs->opts->retries,
					    wait);
					if (tx)
						drop_attempt(rs, mark);
					mark = rs->log.n;
					exec_result_clear(&res);
					sleep_ms(wait);
					failed = true;
					break;
				}
				e->outcome = "error";
				if (rs->log_sent_in_tx > 0)
					facts_int(&e->facts,
					    "earlier_rows_rolled_back",
					    rs->log_sent_in_tx);
				rc = statement_error(p, i, &res);
				flush_failed_log(rs, mark, tx);
				if (parts_done > 0 && !tx && !user_tx)
					record_partial(rs, p, started_us);
				goto done;
			}
		}
		if (failed)
			continue;
		if (!tx && (rc = db_begin(rs->db)) < 0)
			goto done;
		for (k = 0; k < nparts; k++)
			for (i = 0; i < parts[k].seg.count; i++)
				parts[k].done[parts[k].seg.first + i] = true;
		rc = commit_unit(rs, parts, nparts, tx, mark, started_us);
		goto done;
	}
done:
	exec_result_clear(&res);
	facts_free(&facts.facts);
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

int
wait_replicas(struct run_state *rs)
{
	if (!rs->opts->replica_lag || rs->db->ops->replica_wait == NULL)
		return 0;
	return rs->db->ops->replica_wait(rs->db, rs->opts->max_replica_lag_ms,
	    &rs->replica_wait_ms);
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
