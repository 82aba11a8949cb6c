/*
 * jobs.c - up/rollback --jobs: concurrent index statements of one
 * migration side by side, each on a worker connection of its own.
 *
 * Statements on one table run in the file's order (PostgreSQL would make
 * the second wait for the first anyway); after a failure no more start,
 * and the running ones finish.
 */
#include "pg.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define SAMPLE_EVERY_MS 500
#define PROGRESS_AFTER_MS 1000

struct pg_conn *
pg_worker(struct db_pg *d, int k, struct exec_result *res)
{
	char *why = NULL;

	if (d->workers[k] != NULL && !pgc_ok(d->workers[k])) {
		pgc_close(d->workers[k]);
		d->workers[k] = NULL;
	}
	if (d->workers[k] != NULL)
		return d->workers[k];
	if ((d->workers[k] = pgc_connect(d->url, &d->base, &why)) == NULL) {
		res->message = why;
		return NULL;
	}
	if (pg_session_setup(d, d->workers[k], true) < 0) {
		res->message = xstrdup(err_last()->message);
		err_clear();
		pgc_close(d->workers[k]);
		d->workers[k] = NULL;
	}
	return d->workers[k];
}

/*
 * What orders the batch: the table each statement works on, as an OID the
 * server resolved (an index's table for DROP INDEX and REINDEX INDEX), or
 * the name as written when it could not. NULL: it touches more than one
 * table (REINDEX SCHEMA), so it runs alone.
 */
static char *
table_key(struct db_pg *d, const struct stmt *s)
{
	const char *params[2] = { s->index, s->relation };
	char       *key = NULL;
	struct buf  b = BUF_INIT;

	if (s->index == NULL && s->relation == NULL)
		return NULL;
	if (pgc_query(d->conn,
		"SELECT coalesce((SELECT i.indrelid FROM "
		"pg_index i WHERE i.indexrelid = to_regclass($1)), (SELECT "
		"i.indrelid FROM pg_index i WHERE i.indexrelid = to_regclass($2)),"
		" to_regclass($2)::oid)::text",
		2, params, pg_first_value_cb, &key) < 0)
		err_clear();
	if (key != NULL)
		return key;
	buf_addf(&b, "name:%s", s->relation ? s->relation : s->index);
	return buf_detach(&b);
}

static bool
keys_conflict(const char *a, const char *b)
{
	return a == NULL || b == NULL || strcmp(a, b) == 0;
}

/* May job j start: no earlier unfinished job works on its table? */
static bool
can_start(const struct par_job *jobs, char *const *keys, size_t j)
{
	size_t i;

	for (i = 0; i < j; i++)
		if ((jobs[i].state == JOB_WAITING ||
			jobs[i].state == JOB_RUNNING) &&
		    keys_conflict(keys[i], keys[j]))
			return false;
	return true;
}

static void
job_finish(struct par_job *j, int64_t start_us, bool ok)
{
	j->state = ok ? JOB_OK : JOB_FAILED;
	j->duration_ms = (double)(time_mono_us() - start_us) / 1000.0;
	time_iso_now(j->at);
}

/* The slots running, and what each runs. */
struct pool {
	int     running[PG_MAX_JOBS]; /* job index, or -1 */
	int     pids[PG_MAX_JOBS];
	int64_t started[PG_MAX_JOBS];
	int     conns;
};

/* Start what may start, in file order, on free connections. */
static bool
start_jobs(struct db_pg *d, struct par_job *jobs, size_t n, char **keys,
    struct pool *p)
{
	size_t i;
	int    k;

	for (i = 0; i < n; i++) {
		struct par_job *j = &jobs[i];
		struct pg_conn *c;
		char           *text;

		if (j->state != JOB_WAITING || !can_start(jobs, keys, i))
			continue;
		for (k = 0; k < p->conns && p->running[k] >= 0; k++)
			;
		if (k == p->conns)
			break;
		p->started[k] = time_mono_us();
		if ((c = pg_worker(d, k, &j->res)) == NULL) {
			job_finish(j, p->started[k], false);
			return false;
		}
		text = xstrndup(j->sql, j->len);
		if (pgc_send(c, text, &j->res) < 0) {
			free(text);
			job_finish(j, p->started[k], false);
			return false;
		}
		free(text);
		j->state = JOB_RUNNING;
		p->running[k] = (int)i;
		p->pids[k] = pgc_backend_pid(c);
		log_verbose("statement %zu started on connection %d (backend "
			    "%d)",
		    i + 1, k + 1, p->pids[k]);
	}
	return true;
}

/* The progress lines of the running index builds. */
static void
show_progress(struct db_pg *d, struct par_job *jobs, const struct pool *p)
{
	struct pg_progress rows;
	int                live[PG_MAX_JOBS], nlive = 0, k;

	for (k = 0; k < p->conns; k++)
		if (p->running[k] >= 0 &&
		    pg_is_index_build(jobs[p->running[k]].s))
			live[nlive++] = p->pids[k];
	pg_progress_sample(d, live, nlive, &rows);
	for (k = 0; k < p->conns; k++)
		if (p->running[k] >= 0 &&
		    time_mono_us() - p->started[k] >= PROGRESS_AFTER_MS * 1000)
			pg_progress_show(d, &rows, p->pids[k], k,
			    jobs[p->running[k]].s, p->started[k],
			    &jobs[p->running[k]].res.phase);
	pg_progress_free(&rows);
}

int
pg_exec_parallel(struct db *db, struct par_job *jobs, size_t n, int conns)
{
	struct db_pg *d = (struct db_pg *)db;
	struct pool   p;
	int64_t       next;
	char        **keys = xcalloc(n + 1, sizeof(*keys));
	bool          failed = false;
	size_t        i;
	int           k, q;

	p.conns = conns > PG_MAX_JOBS ? PG_MAX_JOBS : conns;
	for (k = 0; k < p.conns; k++)
		p.running[k] = -1;
	for (i = 0; i < n; i++) {
		keys[i] = table_key(d, jobs[i].s);
		jobs[i].res.rows = -1;
	}
	/* A partitioned table's index is itself built part by part: alone. */
	for (i = 0; i < n; i++) {
		char   *parent = NULL;
		int64_t t0 = time_mono_us();

		if (jobs[i].s->kind != KIND_CREATE_INDEX_CONCURRENTLY ||
		    !pg_is_partitioned(d, jobs[i].s->relation, &parent))
			continue;
		job_finish(&jobs[i], t0,
		    pg_partitioned_index(d, jobs[i].sql, jobs[i].len, jobs[i].s,
			parent, &jobs[i].res) == 0);
		failed |= jobs[i].state == JOB_FAILED;
		free(parent);
	}
	next = time_mono_us() + PROGRESS_AFTER_MS * 1000;
	for (;;) {
		struct pollfd pfd[PG_MAX_JOBS];
		int           slot[PG_MAX_JOBS], np = 0;
		int64_t       now;

		if (!failed && !start_jobs(d, jobs, n, keys, &p))
			failed = true;
		for (k = 0; k < p.conns; k++)
			if (p.running[k] >= 0) {
				pfd[np].fd = pgc_socket(d->workers[k]);
				pfd[np].events = POLLIN;
				pfd[np].revents = 0;
				slot[np++] = k;
			}
		if (np == 0)
			break;
		now = time_mono_us();
		poll(pfd, (nfds_t)np,
		    (int)((next > now ? next - now : 0) / 1000));
		for (q = 0; q < np; q++) {
			struct par_job *j;

			k = slot[q];
			j = &jobs[p.running[k]];
			if (pfd[q].revents == 0 || !pgc_ready(d->workers[k]))
				continue;
			job_finish(j, p.started[k],
			    pgc_collect(d->workers[k], j->s, NULL, &j->res) ==
				0);
			if (j->state == JOB_FAILED)
				failed = true;
			db_progress_done(db, k);
			p.running[k] = -1;
		}
		if (time_mono_us() >= next) {
			show_progress(d, jobs, &p);
			next = time_mono_us() + SAMPLE_EVERY_MS * 1000;
		}
	}
	for (i = 0; i < n; i++) {
		if (jobs[i].state == JOB_WAITING)
			jobs[i].state = JOB_NOT_RUN;
		free(keys[i]);
	}
	free(keys);
	return failed ? -1 : 0;
}
