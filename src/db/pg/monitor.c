/*
 * monitor.c - watching a running statement from a second connection: who
 * blocks it, and how far an index build has got.
 *
 * The monitor connection is opened the first time a statement runs long
 * enough to be sampled, so a quick run never opens it.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

struct pg_conn *
pg_monitor(struct db_pg *d)
{
	char *why = NULL;

	if (d->monitor == NULL &&
	    (d->monitor = pgc_connect(d->url, &d->base, &why)) == NULL) {
		log_verbose("no monitor connection: %s", why);
		free(why);
	}
	return d->monitor;
}

static int
blocker_cb(void *arg, int ncols, char **v)
{
	struct buf *text = arg;

	if (ncols < 5)
		return 0;
	if (text->len)
		buf_adds(text, "; ");
	buf_addf(text, "pid %s (application %s, %s for %ss: %s)",
	    v[0] ? v[0] : "?", v[1] && v[1][0] ? v[1] : "?", v[2] ? v[2] : "?",
	    v[3] ? v[3] : "?", v[4] ? v[4] : "");
	return 0;
}

#define BLOCKER_COLUMNS \
	"SELECT a.pid, a.application_name, a.state, " \
	"coalesce(extract(epoch FROM now() - coalesce(a.xact_start, " \
	"a.query_start))::int, 0), left(regexp_replace(coalesce(a.query, " \
	"''), '\\s+', ' ', 'g'), 80) FROM pg_stat_activity a "

/* Ask the monitor which sessions block ours right now. */
bool
pg_sample_blockers(struct db_pg *d)
{
	struct buf      text = BUF_INIT;
	char            pid[16];
	const char     *params[1] = { pid };
	struct pg_conn *m = pg_monitor(d);
	bool            blocked;

	if (m == NULL)
		return false;
	snprintf(pid, sizeof(pid), "%d", pgc_backend_pid(d->conn));
	if (pgc_query(m,
		BLOCKER_COLUMNS "WHERE a.pid = ANY "
				"(pg_blocking_pids($1::int))",
		1, params, blocker_cb, &text) < 0)
		err_clear();
	blocked = text.len > 0;
	if (blocked) {
		free(d->blockers);
		d->blockers = buf_detach(&text);
	}
	buf_free(&text);
	return blocked;
}

char *
pg_holders_of(struct db_pg *d, struct pg_conn *conn, const char *relation)
{
	struct buf      text = BUF_INIT;
	char            pid[16];
	const char     *params[2] = { relation, pid };
	struct pg_conn *m;

	if (relation == NULL || (m = pg_monitor(d)) == NULL)
		return NULL;
	snprintf(pid, sizeof(pid), "%d", pgc_backend_pid(conn));
	if (pgc_query(m,
		BLOCKER_COLUMNS
		"WHERE a.pid <> $2::int AND a.pid IN "
		"(SELECT l.pid FROM pg_locks l WHERE l.granted AND l.relation = "
		"to_regclass($1))",
		2, params, blocker_cb, &text) < 0)
		err_clear();
	return text.len ? buf_detach(&text) : NULL;
}

/* Draw the live line of one running statement. */
static void
progress_line(const struct db_pg *d, int slot, const struct stmt *s,
    int64_t start_us, const char *phase, const char *percent)
{
	double      secs = (double)(time_mono_us() - start_us) / 1e6;
	const char *what = s == NULL ? ""
	    : s->index               ? s->index
	    : s->relation            ? s->relation
				     : "";
	struct buf  line = BUF_INIT;

	buf_addf(&line, "  %6.1fs  %s %s", secs,
	    s ? stmt_kind_name(s->kind) : "statement", what);
	if (phase != NULL)
		buf_addf(&line, ": %s", phase);
	if (percent != NULL)
		buf_addf(&line, " %s%%", percent);
	db_progress(&d->base, slot, "%s", buf_cstr(&line));
	buf_free(&line);
}

#define PROGRESS_QUERY \
	"SELECT pid, phase, CASE WHEN blocks_total > 0 THEN round(100.0 * " \
	"blocks_done / blocks_total) WHEN tuples_total > 0 THEN round(100.0 * " \
	"tuples_done / tuples_total) END FROM pg_stat_progress_create_index " \
	"WHERE pid = ANY ($1::int[])"

static int
progress_rows_cb(void *arg, int ncols, char **v)
{
	struct pg_progress *p = arg;

	if (ncols < 3 || v[0] == NULL || p->n == PG_MAX_JOBS)
		return 0;
	p->pid[p->n] = atoi(v[0]);
	p->phase[p->n] = v[1] ? xstrdup(v[1]) : NULL;
	p->percent[p->n] = v[2] ? xstrdup(v[2]) : NULL;
	p->n++;
	return 0;
}

/* Ask the monitor for the index builds of these backends, in one query. */
void
pg_progress_sample(struct db_pg *d, const int *pids, int n,
    struct pg_progress *out)
{
	struct buf      arr = BUF_INIT;
	const char     *params[1];
	struct pg_conn *m;
	int             i;

	out->n = 0;
	if (n == 0 || (m = pg_monitor(d)) == NULL)
		return;
	buf_addch(&arr, '{');
	for (i = 0; i < n; i++)
		buf_addf(&arr, "%s%d", i ? "," : "", pids[i]);
	buf_addch(&arr, '}');
	params[0] = arr.ptr;
	if (pgc_query(m, PROGRESS_QUERY, 1, params, progress_rows_cb, out) < 0)
		err_clear();
	buf_free(&arr);
}

void
pg_progress_free(struct pg_progress *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		free(p->phase[i]);
		free(p->percent[i]);
	}
	p->n = 0;
}

/* Show one backend's progress; keep the phase it reached in *phase. */
void
pg_progress_show(const struct db_pg *d, const struct pg_progress *rows, int pid,
    int slot, const struct stmt *s, int64_t start_us, char **phase)
{
	int i;

	for (i = 0; i < rows->n; i++)
		if (rows->pid[i] == pid)
			break;
	if (i < rows->n && rows->phase[i] != NULL) {
		free(*phase);
		*phase = xstrdup(rows->phase[i]);
	}
	progress_line(d, slot, s, start_us, i < rows->n ? rows->phase[i] : NULL,
	    i < rows->n ? rows->percent[i] : NULL);
}

/*
 * A statement running for more than a second: its progress line, and for
 * index builds the phase from pg_stat_progress_create_index, kept in
 * d->phase for the log whether or not anyone sees the line.
 */
void
pg_sample_progress(struct db_pg *d, const struct stmt *s, int64_t start_us)
{
	struct pg_progress rows;
	int                pid = pgc_backend_pid(d->conn);

	rows.n = 0;
	if (pg_is_index_build(s))
		pg_progress_sample(d, &pid, 1, &rows);
	pg_progress_show(d, &rows, pid, 0, s, start_us, &d->phase);
	pg_progress_free(&rows);
}
