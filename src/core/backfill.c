/*
 * backfill.c - a -- strata:batch statement (SPEC §7), run as a series of
 * short transactions.
 *
 * Keyset mode walks the table by its key: each batch finds the key N rows
 * on from the last one done, runs the statement restricted to that range,
 * and commits it together with the history row that records the range as
 * done. A batch that fails rolls back alone; a killed run loses only the
 * batch in flight, and the next one starts after the last key committed.
 * The walk stops at the highest key there was when it started, so rows
 * inserted above it meanwhile are not touched. Repeat mode runs the
 * statement as written until it changes no rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/batch.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "resume.h"
#include "run_state.h"

/* How a table's key reads in SQL, built once per backfill. */
struct walk {
	struct table_key key;
	const char      *table;
	struct buf       in_stmt;     /* (q.k1, q.k2): in the statement */
	struct buf       plain;       /* (k1, k2): in strata's own queries */
	struct buf       literals;    /* literal_fn(k1), literal_fn(k2) */
	struct buf       order, desc; /* k1, k2 / k1 DESC, k2 DESC */
};

/* Joins a row's values with ", ": the key as SQL literals. */
static int
literals_cb(void *arg, int ncols, char **v)
{
	struct buf *out = arg;
	int         i;

	buf_reset(out);
	for (i = 0; i < ncols; i++)
		buf_addf(out, "%s%s", i ? ", " : "", v[i] ? v[i] : "NULL");
	return 0;
}

int
runner_batch_key(struct db *db, const struct stmt *s, struct table_key *k)
{
	memset(k, 0, sizeof(*k));
	if (s->batch == NULL || s->batch->repeat)
		return 0;
	return db_table_key(db, s->batch->table, k);
}

static int
no_key(const struct sqlfile *f, const struct stmt *s, const char *table)
{
	err_set(EXIT_USAGE,
	    "-- strata:batch: table %s has no key to walk in batches (a "
	    "primary key, or a unique index on NOT NULL columns); add one, or "
	    "use '-- strata:batch N repeat' with a statement that limits "
	    "itself",
	    table);
	err_set_location(f->path, s->batch->line, 1);
	return -EXIT_USAGE;
}

int
runner_check_batches(struct db *db, struct migration **ms, size_t n, bool down,
    const struct run_opts *opts)
{
	size_t i, k;
	int    rc;

	if (opts->replica_lag) {
		if (db->ops->replica_check == NULL)
			log_warn("--max-replica-lag: %s has no replicas to "
				 "wait for; ignored",
			    db->ops->name);
		else if ((rc = db_replica_check(db)) < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		const struct sqlfile *f = down ? &ms[i]->down : &ms[i]->up;

		for (k = 0; k < f->stmts.n; k++) {
			const struct stmt *s = &f->stmts.v[k];
			struct table_key   key;

			if ((rc = runner_batch_key(db, s, &key)) < 0)
				return rc;
			/* A table an earlier version creates is looked at then. */
			rc = key.exists && key.n == 0
			    ? no_key(f, s, s->batch->table)
			    : 0;
			table_key_free(&key);
			if (rc < 0) {
				err_set_version(ms[i]->version);
				return rc;
			}
		}
	}
	return 0;
}

static void
walk_init(struct walk *w, const struct db *db, const struct batch_spec *b)
{
	size_t i;

	w->table = b->table;
	buf_addch(&w->in_stmt, '(');
	buf_addch(&w->plain, '(');
	for (i = 0; i < w->key.n; i++) {
		const char *c = w->key.cols[i], *sep = i ? ", " : "";

		buf_addf(&w->in_stmt, "%s%s.%s", sep, b->qualifier, c);
		buf_addf(&w->plain, "%s%s", sep, c);
		buf_addf(&w->literals, "%s%s(%s)", sep, db->ops->literal_fn, c);
		buf_addf(&w->order, "%s%s", sep, c);
		buf_addf(&w->desc, "%s%s DESC", sep, c);
	}
	buf_addch(&w->in_stmt, ')');
	buf_addch(&w->plain, ')');
}

static void
walk_free(struct walk *w)
{
	table_key_free(&w->key);
	buf_free(&w->in_stmt);
	buf_free(&w->plain);
	buf_free(&w->literals);
	buf_free(&w->order);
	buf_free(&w->desc);
}

/*
 * The key `size` rows on from `last` (NULL: from the start), not past
 * `max`, into *out; NULL when fewer rows are left.
 */
static int
next_bound(struct db *db, const struct walk *w, const char *last,
    const char *max, int64_t size, char **out)
{
	struct buf sql = BUF_INIT, lit = BUF_INIT;
	int        rc;

	buf_addf(&sql, "SELECT %s FROM %s WHERE ", w->literals.ptr, w->table);
	if (last != NULL)
		buf_addf(&sql, "%s > (%s) AND ", w->plain.ptr, last);
	buf_addf(&sql, "%s <= (%s) ORDER BY %s LIMIT 1 OFFSET %lld",
	    w->plain.ptr, max, w->order.ptr, (long long)size - 1);
	rc = db_query(db, sql.ptr, 0, NULL, literals_cb, &lit);
	*out = rc == 0 && lit.len ? buf_detach(&lit) : NULL;
	buf_free(&lit);
	buf_free(&sql);
	return rc;
}

static int
highest_key(struct db *db, const struct walk *w, char **out)
{
	struct buf sql = BUF_INIT, lit = BUF_INIT;
	int        rc;

	buf_addf(&sql, "SELECT %s FROM %s ORDER BY %s LIMIT 1", w->literals.ptr,
	    w->table, w->desc.ptr);
	rc = db_query(db, sql.ptr, 0, NULL, literals_cb, &lit);
	*out = rc == 0 && lit.len ? buf_detach(&lit) : NULL;
	buf_free(&lit);
	buf_free(&sql);
	return rc;
}

/* What one backfill has done, for its progress line and its log row. */
struct tally {
	int64_t start_us;
	int64_t rows_before; /* done by an earlier, stopped run */
	int64_t walked;      /* keys this run walked */
	int64_t estimate;
	int64_t retries;
	double  max_batch_ms;
};

static void
show_progress(struct run_state *rs, const struct part *p, const struct tally *t,
    const struct history_row *prog)
{
	double secs = (double)(time_mono_us() - t->start_us) / 1e6;
	double rate = secs > 0 ? (double)t->walked / secs : 0;

	if (!db_progress_wanted(rs->db))
		return;
	if (t->estimate > 0 && rate > 0) {
		double left = (double)(t->estimate - t->walked) / rate;

		db_progress(rs->db, 0,
		    "  %6.1fs  backfill %s: %lld rows changed, %lld of ~%lld "
		    "walked, %.0f rows/s, ETA %.0fs",
		    secs, p->f->stmts.v[p->seg.first].batch->table,
		    (long long)prog->batch_rows, (long long)t->walked,
		    (long long)t->estimate, rate, left > 0 ? left : 0);
	} else
		db_progress(rs->db, 0,
		    "  %6.1fs  backfill %s: %lld rows changed in %lld "
		    "batches",
		    secs, p->f->stmts.v[p->seg.first].batch->table,
		    (long long)prog->batch_rows, (long long)prog->batch_rounds);
}

/* The log row of the whole backfill, with SPEC §7's facts. */
static struct log_entry *
log_backfill(struct run_state *rs, const struct part *p, const struct walk *w,
    const struct tally *t, const struct history_row *prog)
{
	const struct batch_spec *b = p->f->stmts.v[p->seg.first].batch;
	struct log_entry        *e = log_batch_add(&rs->log);
	double ms = (double)(time_mono_us() - t->start_us) / 1000.0;

	fill_entry(e, p, p->seg.first, ms);
	e->rows = prog->batch_rows;
	facts_int(&e->facts, "batches", prog->batch_rounds);
	if (!b->repeat) {
		facts_int(&e->facts, "batch_size", b->size);
		facts_strings(&e->facts, "key", w->key.names, w->key.n);
	} else
		facts_bool(&e->facts, "repeat", true);
	facts_int(&e->facts, "rows_per_s",
	    ms > 0 ? (int64_t)((double)(prog->batch_rows - t->rows_before) *
			 1000.0 / ms)
		   : 0);
	facts_int(&e->facts, "retries", t->retries);
	facts_int(&e->facts, "max_batch_ms", (int64_t)t->max_batch_ms);
	if (t->rows_before > 0)
		facts_int(&e->facts, "resumed_after_rows", t->rows_before);
	if (rs->replica_wait_ms > 0)
		facts_int(&e->facts, "replica_wait_ms", rs->replica_wait_ms);
	return e;
}

/*
 * Run one batch (sql) in a transaction of its own with the history row
 * that records `prog` after it; retried like a statement. On failure the
 * error is set and the failed attempt is in *res.
 */
static int
run_one_batch(struct run_state *rs, struct part *p, const char *sql,
    struct history_row *prog, struct tally *t, struct exec_result *res,
    int64_t *rows)
{
	const struct stmt *s = &p->f->stmts.v[p->seg.first];
	int                attempt, rc;

	for (attempt = 0;; attempt++) {
		int64_t t0;
		double  ms;

		if ((rc = wait_replicas(rs)) < 0 || (rc = db_begin(rs->db)) < 0)
			return rc;
		t0 = time_mono_us();
		rc = db_exec(rs->db, sql, strlen(sql), s, res);
		ms = (double)(time_mono_us() - t0) / 1000.0;
		if (rc == 0) {
			*rows = res->rows > 0 ? res->rows : 0;
			prog->batch_rows += *rows;
			prog->batch_rounds++;
			record_part(rs, p, 0);
			if ((rc = db_send(rs->db, &rs->writes, true)) < 0) {
				db_rollback(rs->db);
				prog->batch_rows -= *rows;
				prog->batch_rounds--;
				return rc;
			}
			p->row_written = true;
			if (ms > t->max_batch_ms)
				t->max_batch_ms = ms;
			exec_result_clear(res);
			return 0;
		}
		db_rollback(rs->db);
		if (!res->retryable || attempt >= rs->opts->retries)
			return -1;
		{
			int64_t wait = backoff_ms(rs, attempt);

			report_retry(rs->report, p->m, p->seg.first + 1,
			    p->f->path, s->line, res->message, attempt + 1,
			    rs->opts->retries, wait);
			t->retries++;
			exec_result_clear(res);
			sleep_ms(wait);
		}
	}
}

/* The statement for the range (last, hi] of the key. */
static char *
range_statement(const struct part *p, const struct walk *w, const char *last,
    const char *hi)
{
	const struct stmt *s = &p->f->stmts.v[p->seg.first];
	struct buf         cond = BUF_INIT;
	char              *sql;

	if (last != NULL)
		buf_addf(&cond, "%s > (%s) AND ", w->in_stmt.ptr, last);
	buf_addf(&cond, "%s <= (%s)", w->in_stmt.ptr, hi);
	sql = batch_statement(p->f->text.ptr, s, cond.ptr);
	buf_free(&cond);
	return sql;
}

/* Where a stopped run of this backfill got to, if it is the one. */
static void
resume_from(const struct part *p, struct history_row *prog, char **last,
    char **max)
{
	const struct history_row *row = p->m->row;

	if (row == NULL || row_is_applied(row) ||
	    row_rollback_started(row) != p->down ||
	    row->batch_statement != (int64_t)p->seg.first + 1)
		return;
	prog->batch_rows = row->batch_rows;
	prog->batch_rounds = row->batch_rounds;
	*last = row->batch_last ? xstrdup(row->batch_last) : NULL;
	*max = row->batch_max ? xstrdup(row->batch_max) : NULL;
}

/*
 * Before the first batch: say where a stopped backfill resumes, find the
 * table's key and (at the first start) its highest value. *final when
 * there is nothing to walk: an empty table.
 */
static int
backfill_start(struct run_state *rs, struct part *p, struct history_row *prog,
    struct walk *w, struct tally *t, char **last, char **max, bool *final)
{
	const struct stmt       *s = &p->f->stmts.v[p->seg.first];
	const struct batch_spec *b = s->batch;
	int                      rc;

	prog->batch_statement = (int64_t)p->seg.first + 1;
	resume_from(p, prog, last, max);
	if (prog->batch_rounds > 0) {
		if (runner_resume_at(p->m, p->down) == 0)
			report_resume(rs->report, p->m, p->seg.first + 1,
			    p->f->stmts.n);
		db_notice(rs->db,
		    "the backfill resumes after %lld rows in %lld batches%s%s%s",
		    (long long)prog->batch_rows, (long long)prog->batch_rounds,
		    *last ? ", past key (" : "", *last ? *last : "",
		    *last ? ")" : "");
	}
	t->start_us = time_mono_us();
	t->rows_before = prog->batch_rows;
	t->estimate = -1;
	log_verbose("version %lld statement %zu: %s in batches",
	    (long long)p->m->version, p->seg.first + 1,
	    stmt_kind_name(s->kind));
	*final = false;
	if (b->repeat)
		return 0;
	if ((rc = runner_batch_key(rs->db, s, &w->key)) < 0)
		return rc;
	if (w->key.n == 0) {
		rc = w->key.exists
		    ? no_key(p->f, s, b->table)
		    : err_set(EXIT_FAILED,
			  "-- strata:batch: table %s does not exist", b->table);
		err_set_version(p->m->version);
		return rc;
	}
	walk_init(w, rs->db, b);
	t->estimate = w->key.estimate;
	if (*max == NULL && (rc = highest_key(rs->db, w, max)) < 0)
		return rc;
	*final = *max == NULL; /* an empty table */
	return 0;
}

/*
 * A batch failed (rc): log it and say where; a failure to record the
 * batch is passed on as it is.
 */
static int
backfill_failed(struct run_state *rs, struct part *p, struct walk *w,
    struct tally *t, struct history_row *prog, struct exec_result *res,
    size_t mark, int rc)
{
	const struct stmt       *s = &p->f->stmts.v[p->seg.first];
	const struct batch_spec *b = s->batch;
	struct log_entry        *e;

	db_progress_done(rs->db, 0);
	if (res->message == NULL) {
		/* Recording the batch failed, not the statement. */
		err_set_version(p->m->version);
		return rc;
	}
	/* The range was added after this point: positions past it are ours. */
	if (!b->repeat && res->position > 0 &&
	    (size_t)res->position >
		(b->where_end ? b->where_end : b->cond_end) - s->off)
		res->position = 0;
	e = log_backfill(rs, p, w, t, prog);
	e->outcome = "error";
	entry_failed(e, res);
	rc = statement_error(p, p->seg.first, res);
	flush_failed_log(rs, mark, false);
	return rc;
}

int
run_backfill(struct run_state *rs, struct part *p, int64_t started_us)
{
	const struct stmt       *s = &p->f->stmts.v[p->seg.first];
	const struct batch_spec *b = s->batch;
	struct history_row       prog;
	struct exec_result       res;
	struct walk              w;
	struct tally             t;
	char                    *last = NULL, *max = NULL, *hi = NULL;
	int64_t                  pause = b->pause_ms >= 0 ? b->pause_ms
							  : rs->opts->batch_pause_ms;
	size_t                   mark = rs->log.n;
	int                      rc = 0;
	bool                     final;

	memset(&prog, 0, sizeof(prog));
	memset(&w, 0, sizeof(w));
	memset(&t, 0, sizeof(t));
	memset(&res, 0, sizeof(res));
	exec_result_clear(&res);
	if ((rc = backfill_start(rs, p, &prog, &w, &t, &last, &max, &final)) <
	    0)
		goto out;
	p->progress = &prog;
	while (!final) {
		char   *sql;
		int64_t rows = 0;

		if (prog.batch_rounds >= BATCH_MAX_ROUNDS) {
			rc = err_set(EXIT_FAILED,
			    "-- strata:batch repeat: still changing rows after "
			    "%d rounds; stopped",
			    BATCH_MAX_ROUNDS);
			err_set_version(p->m->version);
			err_set_location(p->f->path, s->line, s->column);
			goto out;
		}
		if (b->repeat)
			sql = xstrndup(p->f->text.ptr + s->off, s->len);
		else {
			if ((rc = next_bound(rs->db, &w, last, max, b->size,
				 &hi)) < 0)
				goto out;
			if (hi == NULL)
				hi = xstrdup(max);
			final = strcmp(hi, max) == 0;
			sql = range_statement(p, &w, last, hi);
		}
		prog.batch_last = hi;
		prog.batch_max = max;
		rc = run_one_batch(rs, p, sql, &prog, &t, &res, &rows);
		free(sql);
		if (rc < 0) {
			rc = backfill_failed(rs, p, &w, &t, &prog, &res, mark,
			    rc);
			goto out;
		}
		if (b->repeat)
			final = rows == 0;
		else {
			free(last);
			last = hi;
			hi = NULL;
			t.walked += b->size;
			if (t.estimate > 0 && t.walked > t.estimate)
				t.walked = t.estimate;
		}
		show_progress(rs, p, &t, &prog);
		if (!final && pause > 0)
			sleep_ms(pause);
	}
	db_progress_done(rs->db, 0);
	/* Done: the statement counts as completed, its progress is cleared. */
	p->progress = NULL;
	p->done[p->seg.first] = true;
	log_backfill(rs, p, &w, &t, &prog);
	if ((rc = db_begin(rs->db)) == 0)
		rc = commit_unit(rs, p, 1, false, mark, started_us);
	else
		flush_failed_log(rs, mark, false);
out:
	p->progress = NULL;
	exec_result_clear(&res);
	free(last);
	free(max);
	free(hi);
	walk_free(&w);
	return rc;
}
