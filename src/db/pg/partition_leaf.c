/*
 * partition_leaf.c - each partition's part of a partitioned index: what is
 * there is found (attached already, an equivalent index to attach, the
 * INVALID leftover of a stopped build to drop), what is missing is built
 * concurrently, one at a time or --jobs at once on worker connections,
 * and attached under the run's lock timeout as it ends.
 */
#include "partition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define SAMPLE_EVERY_MS 500

/* First value of a query on the main connection, or NULL. */
int
part_value(struct db_pg *d, const char *sql, int n, const char *const *params,
    char **out)
{
	*out = NULL;
	return pgc_query(d->conn, sql, n, params, pg_first_value_cb, out);
}

/* A failure of strata's own step, as the statement's result. */
int
part_step_failed(struct exec_result *res)
{
	const struct error *e = err_last();

	free(res->message);
	res->message = xstrdup(e->message ? e->message : "step failed");
	snprintf(res->sqlstate, sizeof(res->sqlstate), "%s", e->sqlstate);
	res->retryable = strcmp(e->sqlstate, "55P03") == 0 ||
	    strcmp(e->sqlstate, "40P01") == 0;
	err_clear();
	return -1;
}

/* Move what one step's result says into the statement's. */
static void
take_result(struct exec_result *res, struct exec_result *one)
{
	free(res->message);
	free(res->detail);
	free(res->hint);
	res->message = one->message;
	res->detail = one->detail;
	res->hint = one->hint;
	one->message = one->detail = one->hint = NULL;
	memcpy(res->sqlstate, one->sqlstate, sizeof(res->sqlstate));
	res->retryable = one->retryable;
	res->lost = one->lost;
	exec_result_clear(one);
}

/* Run one step as a statement is run: its error as the server says it. */
static int
run_step(struct db_pg *d, const char *sql, struct exec_result *res)
{
	struct exec_result one;
	int                rc;

	memset(&one, 0, sizeof(one));
	exec_result_clear(&one);
	if ((rc = pgc_send(d->conn, sql, &one)) == 0)
		rc = pgc_collect(d->conn, NULL, NULL, &one);
	if (rc < 0)
		take_result(res, &one);
	exec_result_clear(&one);
	return rc;
}

/* Run one of strata's steps that takes a lock: under the run's timeout. */
int
part_locked_step(struct db_pg *d, const char *sql, struct exec_result *res)
{
	if (pg_set_lock_timeout(d, NULL) < 0)
		return part_step_failed(res);
	return run_step(d, sql, res);
}

/* An index of a partition that is, or may become, part of ours. */
struct candidate {
	char *oid;
	char *name; /* as regclass prints it */
	char *bytes;
	bool  valid;
	bool  attached; /* to the parent's index already */
};

struct candidates {
	struct candidate v[8];
	size_t           n;
};

static int
candidate_cb(void *arg, int ncols, char **v)
{
	struct candidates *c = arg;
	struct candidate  *x;

	if (ncols < 5 || v[0] == NULL || c->n == 8)
		return 0;
	x = &c->v[c->n++];
	x->oid = xstrdup(v[0]);
	x->name = xstrdup(v[1]);
	x->bytes = v[3] ? xstrdup(v[3]) : NULL;
	x->valid = v[2] && v[2][0] == 't';
	x->attached = v[4] && v[4][0] == 't';
	return 0;
}

static void
candidates_free(struct candidates *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].oid);
		free(c->v[i].name);
		free(c->v[i].bytes);
	}
	c->n = 0;
}

/*
 * The indexes of `table` attached to `parent_index`, or equivalent to it
 * and attached to nothing: the attached one first, then the valid ones.
 */
static int
candidates(struct db_pg *d, const struct build *b, const char *table,
    const char *parent_index, struct candidates *out)
{
	const char *params[4] = { table, parent_index, b->unique[0] ? "t" : "f",
		b->tail };

	out->n = 0;
	return pgc_query(d->conn,
	    "SELECT i.indexrelid::text, i.indexrelid::regclass::text, "
	    "i.indisvalid, pg_relation_size(i.indexrelid), "
	    "coalesce(h.inhparent = $2::oid, false) AS attached FROM pg_index "
	    "i LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid WHERE "
	    "i.indrelid = $1::oid AND (h.inhparent = $2::oid OR (h.inhrelid "
	    "IS NULL AND i.indisunique = $3::bool AND " TAIL(
		"i.indexrelid") " = $4)) ORDER BY attached DESC, i.indisvalid DESC, i.indexrelid",
	    4, params, candidate_cb, out);
}

static int
attach(struct db_pg *d, const char *parent_name, const char *name,
    struct exec_result *res)
{
	struct buf sql = BUF_INIT;
	int        rc;

	buf_addf(&sql, "ALTER INDEX %s ATTACH PARTITION %s", parent_name, name);
	rc = part_locked_step(d, sql.ptr, res);
	buf_free(&sql);
	return rc;
}

/* Add the part's row for the log: what ran on which partition. */
static void
part_done(struct exec_result *res, const char *text, const char *partition,
    double ms, const char *bytes)
{
	struct exec_part *p;

	ARRAY_GROW(res->parts, res->n_parts + 1, res->alloc_parts);
	p = &res->parts[res->n_parts++];
	p->text = xstrdup(text);
	p->partition = xstrdup(partition);
	p->duration_ms = ms;
	p->index_bytes = bytes ? strtoll(bytes, NULL, 10) : -1;
}

/*
 * Build the leaf's index concurrently (lock timeout off: its waits are
 * for old snapshots), its progress shown as "3/24 events_2026_03".
 */
static int
build_leaf(struct db_pg *d, const struct stmt *s, const char *sql,
    const char *leaf, size_t k, size_t leaves, struct exec_result *res)
{
	struct exec_result one;
	int64_t            start = time_mono_us(), next = start;
	int                pid = pgc_backend_pid(d->conn), rc;

	memset(&one, 0, sizeof(one));
	exec_result_clear(&one);
	if (pg_set_lock_timeout(d, s) < 0)
		return part_step_failed(res);
	if (pgc_send(d->conn, sql, &one) < 0) {
		res->message = one.message;
		return -1;
	}
	while (!pgc_wait(d->conn, SAMPLE_EVERY_MS)) {
		struct pg_progress rows;

		if (time_mono_us() < next)
			continue;
		rows.n = 0;
		pg_progress_sample(d, &pid, 1, &rows);
		db_progress(&d->base, 0, "  %6.1fs  %zu/%zu %s%s%s",
		    (double)(time_mono_us() - start) / 1e6, k, leaves, leaf,
		    rows.n && rows.phase[0] ? ": " : "",
		    rows.n && rows.phase[0] ? rows.phase[0] : "");
		pg_progress_free(&rows);
		next = time_mono_us() + SAMPLE_EVERY_MS * 1000;
	}
	db_progress_done(&d->base, 0);
	if ((rc = pgc_collect(d->conn, NULL, NULL, &one)) < 0)
		take_result(res, &one);
	exec_result_clear(&one);
	return rc;
}

/* The statement that builds a leaf's index. */
static char *
leaf_sql(const struct build *b, const struct part_table *t)
{
	struct buf sql = BUF_INIT;

	buf_addf(&sql, "CREATE %sINDEX CONCURRENTLY ON %s %s", b->unique,
	    t->name, b->tail);
	return buf_detach(&sql);
}

/*
 * A leaf before its build: 0 when it is done (attached already, or an
 * equivalent valid index attached now), 1 when it is to be built (INVALID
 * leftovers of a stopped build dropped), -1 on a failure.
 */
int
part_leaf_before(struct db_pg *d, struct build *b, struct part_table *t,
    const struct part_table *up, struct exec_result *res)
{
	struct candidates c;
	struct buf        sql = BUF_INIT;
	int64_t           t0 = time_mono_us();
	size_t            i;
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		return part_step_failed(res);
	if (c.n > 0 && c.v[0].attached)
		rc = 0;
	else if (c.n > 0 && c.v[0].valid) {
		if ((rc = attach(d, up->index_name, c.v[0].name, res)) == 0)
			part_done(res, "attached an existing index", t->name,
			    (double)(time_mono_us() - t0) / 1000.0,
			    c.v[0].bytes);
	} else {
		for (i = 0; i < c.n && rc == 0; i++) {
			db_notice(&d->base,
			    "dropping the INVALID index a stopped build left on "
			    "%s",
			    t->name);
			buf_reset(&sql);
			buf_addf(&sql, "DROP INDEX CONCURRENTLY %s",
			    c.v[i].name);
			rc = pg_set_lock_timeout(d, b->s) < 0
			    ? part_step_failed(res)
			    : run_step(d, sql.ptr, res);
		}
		rc = rc < 0 ? rc : 1;
	}
	candidates_free(&c);
	buf_free(&sql);
	return rc;
}

/* A leaf's index built: found, attached, and its row for the log. */
static int
leaf_after(struct db_pg *d, struct build *b, const struct part_table *t,
    const struct part_table *up, int64_t t0, struct exec_result *res)
{
	struct candidates c;
	char             *sql = leaf_sql(b, t);
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		rc = part_step_failed(res);
	else if (c.n == 0 || !c.v[0].valid) {
		res->message = xstrdup("the partition's index was built but is "
				       "not there to attach");
		rc = -1;
	} else if ((rc = attach(d, up->index_name, c.v[0].name, res)) == 0)
		part_done(res, sql, t->name,
		    (double)(time_mono_us() - t0) / 1000.0, c.v[0].bytes);
	candidates_free(&c);
	free(sql);
	return rc;
}

/* A sub-partitioned partition: its own ON ONLY index, attached. */
int
part_branch(struct db_pg *d, struct build *b, struct part_table *t,
    const struct part_table *up, struct exec_result *res)
{
	struct candidates c;
	struct buf        sql = BUF_INIT;
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		return part_step_failed(res);
	if (c.n == 0) {
		buf_addf(&sql, "CREATE %sINDEX ON ONLY %s %s", b->unique,
		    t->name, b->tail);
		rc = part_locked_step(d, sql.ptr, res);
		buf_free(&sql);
		if (rc == 0 && candidates(d, b, t->oid, up->index, &c) < 0)
			rc = part_step_failed(res);
		if (rc == 0 && c.n == 0) {
			res->message = xstrdup("the partition's index was made "
					       "but is not there to attach");
			rc = -1;
		}
	}
	if (rc == 0) {
		t->index = xstrdup(c.v[0].oid);
		t->index_name = xstrdup(c.v[0].name);
		if (!c.v[0].attached)
			rc = attach(d, up->index_name, t->index_name, res);
	}
	candidates_free(&c);
	return rc;
}

/*
 * Build the queued leaves, up to `jobs` at a time, each on a worker
 * connection of its own (its lock timeout off, as for any concurrent
 * build); each is attached on the main connection as it ends. After a
 * failure no more start, and the running ones finish.
 */
static int
build_parallel(struct db_pg *d, struct build *b, struct queued *q, size_t n,
    int jobs, struct exec_result *res)
{
	size_t next = 0, running = 0, i;
	int    k, rc = 0;
	bool   busy[PG_MAX_JOBS] = { false };

	if (jobs > PG_MAX_JOBS)
		jobs = PG_MAX_JOBS;
	for (;;) {
		for (k = 0; k < jobs && next < n && rc == 0; k++) {
			struct pg_conn    *w;
			struct exec_result one;
			char              *sql;

			if (busy[k])
				continue;
			memset(&one, 0, sizeof(one));
			exec_result_clear(&one);
			if ((w = pg_worker(d, k, &one)) == NULL) {
				take_result(res, &one);
				rc = -1;
				break;
			}
			sql = leaf_sql(b, q[next].t);
			q[next].t0 = time_mono_us();
			if (pgc_send(w, sql, &one) < 0) {
				take_result(res, &one);
				rc = -1;
			} else {
				q[next].slot = k;
				busy[k] = true;
				running++;
				db_progress(&d->base, k, "  %zu/%zu %s",
				    ++b->done, b->leaves, q[next].t->name);
			}
			exec_result_clear(&one);
			free(sql);
			next++;
		}
		if (running == 0)
			break;
		for (i = 0; i < n; i++) {
			struct exec_result one;

			if (q[i].slot < 0 || q[i].done ||
			    !pgc_wait(d->workers[q[i].slot], 50))
				continue;
			memset(&one, 0, sizeof(one));
			exec_result_clear(&one);
			q[i].done = true;
			busy[q[i].slot] = false;
			running--;
			db_progress_done(&d->base, q[i].slot);
			if (pgc_collect(d->workers[q[i].slot], NULL, NULL,
				&one) < 0) {
				if (rc == 0)
					take_result(res, &one);
				rc = -1;
			} else if (rc == 0)
				rc = leaf_after(d, b, q[i].t, q[i].up, q[i].t0,
				    res);
			exec_result_clear(&one);
		}
	}
	return rc;
}

int
part_build(struct db_pg *d, struct build *b, struct queued *q, size_t n,
    struct exec_result *res)
{
	size_t i;
	int    rc = 0;

	if (d->base.jobs > 1 && n > 1)
		return build_parallel(d, b, q, n, d->base.jobs, res);
	for (i = 0; rc == 0 && i < n; i++) {
		char   *text = leaf_sql(b, q[i].t);
		int64_t t0 = time_mono_us();

		rc = build_leaf(d, b->s, text, q[i].t->name, ++b->done,
		    b->leaves, res);
		free(text);
		if (rc == 0)
			rc = leaf_after(d, b, q[i].t, q[i].up, t0, res);
	}
	return rc;
}
