/*
 * record.c - what the runner, the backfill and the --jobs batches record
 * with: the history row of a part done so far, the log row of a
 * statement and of its failure, the error pointing into the file, the
 * commit of a unit with its rows, the backoff before a retry, the wait for
 * replicas. runner.c, backfill.c and jobs_batch.c stand on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
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

int
wait_replicas(struct run_state *rs)
{
	if (!rs->opts->replica_lag)
		return 0;
	return db_replica_wait(rs->db, rs->opts->max_replica_lag_ms,
	    &rs->replica_wait_ms);
}
