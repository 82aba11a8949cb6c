/*
 * db_pg.c - the PostgreSQL driver.
 *
 * The only file that calls libpq. Every migration statement is sent on its
 * own (a multi-statement string would run as one implicit
 * transaction). While a statement runs, a second "monitor" connection,
 * opened only when a statement takes longer than a moment, samples which
 * sessions block it (pg_blocking_pids), so a lock timeout can name them.
 *
 * The migration lock is a session advisory lock taken by polling
 * pg_try_advisory_lock(): a session blocked inside pg_advisory_lock() would
 * hold a snapshot, and a CREATE INDEX CONCURRENTLY run by the lock holder
 * would wait for it forever. client_connection_check_interval makes the
 * server stop the work of a runner that was killed, within seconds.
 */
#include "db.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "snapshot.h"
#include "../util/fs.h"
#include "../util/log.h"

#define LOCK_POLL_MS 100
#define SAMPLE_FIRST_MS 100
#define SAMPLE_EVERY_MS 500
#define PROGRESS_AFTER_MS 1000
#define CHECK_INTERVAL "2s"

struct db_pg {
	struct db	 base;
	PGconn		*conn;
	PGconn		*monitor;	/* opened on demand */
	char		*url;		/* for the monitor; never printed */
	char		*schema;	/* quoted identifier */
	char		*schema_raw;
	int64_t		 lock_key;
	int64_t		 lock_timeout_ms;	/* configured; -1 none */
	int64_t		 lock_timeout_set;	/* in the session; -2 unknown */
	int64_t		 statement_timeout_ms;	/* -1 none */
	bool		 quiet;			/* hide notices */
	char		*blockers;		/* last sample */
	char		*phase;			/* last index-build phase seen */
	bool		 begin_pending;		/* see pg_begin */
	bool		 have_size;		/* index_size read with the statement */
	char		*index_size;
	PGconn		*workers[64];		/* --jobs, opened on demand */
};

static bool
pg_accepts(const char *url)
{
	if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0)
		return true;
	return strncmp(url, "sqlite:", 7) != 0 && strchr(url, '=') != NULL;
}

static void
notice(void *arg, const PGresult *res)
{
	struct db_pg *d = arg;
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);

	if (d->quiet || msg == NULL)
		return;
	if (log_get_level() >= LOG_VERBOSE || (sev && strcmp(sev, "NOTICE") &&
	    strcmp(sev, "DEBUG") && strcmp(sev, "LOG")))
		log_notice("server %s: %s", sev ? sev : "notice", msg);
}

static char *
chomp(const char *s)
{
	char *out = xstrdup(s ? s : "");
	size_t n = strlen(out);

	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return out;
}

static PGconn *
pg_connect(const char *url, char **why)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { url, "strata", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		*why = chomp(c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* The connection's last error, set as the error (exit 5); returns -1. */
static int
conn_fail(PGconn *conn)
{
	char *msg = chomp(PQerrorMessage(conn));
	int rc = err_set(EXIT_DB, "postgres: %s", msg);

	free(msg);
	return rc;
}

/* 0 when r is a success, else -1 with the error set (exit 5). */
static int
result_check(PGconn *conn, const PGresult *r)
{
	const char *text;
	char *msg;
	int rc;

	if (PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK)
		return 0;
	text = r ? PQresultErrorMessage(r) : "";
	msg = chomp(*text ? text : PQerrorMessage(conn));
	rc = err_set(EXIT_DB, "postgres: %s", msg);
	err_set_sqlstate(PQresultErrorField(r, PG_DIAG_SQLSTATE));
	free(msg);
	return rc;
}

/* Run internal SQL with no result wanted. */
static int
run_on(PGconn *conn, const char *sql)
{
	PGresult *r = PQexec(conn, sql);
	int rc = result_check(conn, r);

	PQclear(r);
	return rc;
}

/*
 * BEGIN is not sent on its own: pg_exec and pg_send put it in front of
 * the transaction's first statement, one round trip fewer per migration.
 * Anything else that talks on the connection sends it first.
 */
static int
begin_flush(struct db_pg *d)
{
	if (!d->begin_pending)
		return 0;
	d->begin_pending = false;
	return run_on(d->conn, "BEGIN");
}

static int
pg_run(struct db_pg *d, const char *sql)
{
	if (begin_flush(d) < 0)
		return -1;
	return run_on(d->conn, sql);
}

/* FNV-1a of the schema name: one lock per database and schema. */
static int64_t
lock_key_for(const char *schema)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = "strata:"; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (p = schema; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int64_t)(h >> 1);
}

static void pg_close(struct db *);

/* Session settings in one round trip; workers run only exempt statements. */
static int
session_setup(struct db_pg *d, PGconn *conn, bool worker)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_adds(&b, "SET client_min_messages = notice");
	if (PQserverVersion(conn) >= 140000)
		buf_adds(&b, "; SET client_connection_check_interval = '"
		    CHECK_INTERVAL "'");
	if (d->statement_timeout_ms >= 0)
		buf_addf(&b, "; SET statement_timeout = %lld",
		    (long long)d->statement_timeout_ms);
	if (worker && d->lock_timeout_ms >= 0)
		buf_adds(&b, "; SET lock_timeout = 0");
	rc = run_on(conn, b.ptr);
	buf_free(&b);
	return rc;
}

static int
pg_open(struct db **out, const char *url, const struct db_config *cfg)
{
	struct db_pg *d;
	struct buf b = BUF_INIT;
	char *why = NULL, *q;
	int rc;

	*out = NULL;
	d = xcalloc(1, sizeof(*d));
	*out = &d->base;
	d->url = xstrdup(url);
	d->lock_timeout_ms = cfg->lock_timeout_ms;
	d->lock_timeout_set = -2;
	d->schema_raw = xstrdup(cfg->schema);
	d->base.url_masked = db_mask_url(url);
	d->base.ts_format = "to_char(%s AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
	if ((d->conn = pg_connect(url, &why)) == NULL) {
		rc = err_set(EXIT_DB, "cannot connect to %s: %s",
		    d->base.url_masked, why);
		free(why);
		goto fail;
	}
	PQsetNoticeReceiver(d->conn, notice, d);
	d->base.server_version = PQserverVersion(d->conn);
	q = PQescapeIdentifier(d->conn, cfg->schema, strlen(cfg->schema));
	d->schema = xstrdup(q);
	PQfreemem(q);
	buf_addf(&b, "%s.strata_history", d->schema);
	d->base.history_table = buf_detach(&b);
	buf_addf(&b, "%s.strata_log", d->schema);
	d->base.log_table = buf_detach(&b);
	d->lock_key = lock_key_for(cfg->schema);

	d->statement_timeout_ms = cfg->statement_timeout_ms;
	if ((rc = session_setup(d, d->conn, false)) < 0)
		goto fail;
	return 0;
fail:
	pg_close(&d->base);
	*out = NULL;
	return rc;
}

static void
pg_close(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;
	int i;

	PQfinish(d->conn);
	PQfinish(d->monitor);
	for (i = 0; i < (int)(sizeof(d->workers) / sizeof(d->workers[0])); i++)
		PQfinish(d->workers[i]);
	free(d->url);
	free(d->schema);
	free(d->schema_raw);
	free(d->blockers);
	free(d->phase);
	free(d->index_size);
	free(d->base.url_masked);
	free(d->base.history_table);
	free(d->base.log_table);
	free(d);
}

/* --- strata's own queries -------------------------------------------------- */

static int
query_on(PGconn *conn, const char *sql, int nparams,
    const char *const *params, db_row_fn fn, void *arg)
{
	PGresult *r = PQexecParams(conn, sql, nparams, NULL, params, NULL,
	    NULL, 0);
	int rc, i, k, n, ncols;
	char *stack[16], **vals = stack;

	if ((rc = result_check(conn, r)) < 0) {
		PQclear(r);
		return rc;
	}
	n = PQntuples(r);
	ncols = PQnfields(r);
	if (ncols > 16)
		vals = xcalloc((size_t)ncols, sizeof(*vals));
	for (i = 0; fn && i < n; i++) {
		for (k = 0; k < ncols; k++)
			vals[k] = PQgetisnull(r, i, k) ? NULL :
			    PQgetvalue(r, i, k);
		if (fn(arg, ncols, vals) != 0)
			break;
	}
	if (vals != stack)
		free(vals);
	PQclear(r);
	return rc;
}

static int
pg_query(struct db *db, const char *sql, int nparams,
    const char *const *params, db_row_fn fn, void *arg)
{
	struct db_pg *d = (struct db_pg *)db;

	if (begin_flush(d) < 0)
		return -1;
	return query_on(d->conn, sql, nparams, params, fn, arg);
}

static int
pg_begin(struct db *db)
{
	((struct db_pg *)db)->begin_pending = true;
	return 0;
}

static int
pg_commit(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;

	if (d->begin_pending) {		/* nothing ran in it */
		d->begin_pending = false;
		return 0;
	}
	return pg_run(d, "COMMIT");
}

/*
 * strata's writes and the COMMIT after them in one round trip: sent in
 * pipeline mode, one sync at the end. After a failure the server skips
 * the rest (their results say PIPELINE_ABORTED); the first error is kept.
 */
static int
pg_send(struct db *db, const struct db_writes *w, bool commit)
{
	struct db_pg *d = (struct db_pg *)db;
	size_t lead = d->begin_pending ? 1 : 0, n, sent, i;
	PGresult *r;
	int rc = 0;

	if (w->n == 0 && commit)
		return pg_commit(db);
	if (w->n == 0)
		return 0;
	if (w->n == 1 && !commit && !lead)
		return query_on(d->conn, w->v[0].sql, w->v[0].nparams,
		    (const char *const *)w->v[0].params, NULL, NULL);
	d->begin_pending = false;
	n = lead + w->n + (commit ? 1 : 0);
	if (!PQenterPipelineMode(d->conn))
		return conn_fail(d->conn);
	for (sent = 0; sent < n; sent++) {
		const struct db_write *x = sent >= lead && sent - lead < w->n ?
		    &w->v[sent - lead] : NULL;

		if (!PQsendQueryParams(d->conn, x ? x->sql : sent < lead ?
		    "BEGIN" : "COMMIT", x ? x->nparams : 0, NULL,
		    x ? (const char *const *)x->params : NULL, NULL, NULL, 0))
			break;
	}
	if (sent < n)
		rc = conn_fail(d->conn);
	if (!PQpipelineSync(d->conn) && rc == 0)
		rc = conn_fail(d->conn);
	/* Each query's result, then NULL; the sync's result last. */
	for (i = 0; i < sent && PQstatus(d->conn) == CONNECTION_OK; i++) {
		if ((r = PQgetResult(d->conn)) == NULL)
			continue;
		if (rc == 0 && PQresultStatus(r) != PGRES_PIPELINE_ABORTED)
			rc = result_check(d->conn, r);
		PQclear(r);
		while ((r = PQgetResult(d->conn)) != NULL)
			PQclear(r);
	}
	while (PQstatus(d->conn) == CONNECTION_OK &&
	    (r = PQgetResult(d->conn)) != NULL) {
		bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		PQclear(r);
		if (synced)
			break;
	}
	PQexitPipelineMode(d->conn);
	if (rc == 0 && PQstatus(d->conn) != CONNECTION_OK)
		rc = conn_fail(d->conn);
	return rc;
}

static int
pg_rollback(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;

	d->begin_pending = false;
	if (PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		PQclear(PQexec(d->conn, "ROLLBACK"));
		/* A SET inside the transaction was undone with it. */
		d->lock_timeout_set = -2;
	}
	return 0;
}

/* --- the migration lock ---------------------------------------------------- */

static int
first_value_cb(void *arg, int ncols, char **v)
{
	char **out = arg;

	if (ncols > 0 && v[0] && *out == NULL)
		*out = xstrdup(v[0]);
	return 0;
}

/* Describe who holds the advisory lock, for the waiting message. */
static char *
lock_holder(struct db_pg *d)
{
	char key[24];
	const char *params[1] = { key };
	char *who = NULL;

	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	query_on(d->conn, "SELECT format('pid %s (application %s, client %s, "
	    "%s since %s)', a.pid, coalesce(nullif(a.application_name, ''), "
	    "'?'), coalesce(host(a.client_addr), 'local socket'), a.state, "
	    "to_char(a.backend_start AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) FROM pg_locks l JOIN "
	    "pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
	    "AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid "
	    "FROM pg_database WHERE datname = current_database()) AND "
	    "(l.classid::bigint << 32) | l.objid::bigint = $1::bigint",
	    1, params, first_value_cb, &who);
	return who ? who : xstrdup("another session");
}

static int
pg_lock(struct db *db, int64_t wait_ms)
{
	struct db_pg *d = (struct db_pg *)db;
	int64_t deadline = time_mono_us() + wait_ms * 1000;
	char key[24];
	const char *params[1] = { key };
	bool told = false;
	char *got = NULL, *who;
	int rc;

	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	for (;;) {
		free(got);
		got = NULL;
		if ((rc = query_on(d->conn, "SELECT pg_try_advisory_lock($1)",
		    1, params, first_value_cb, &got)) < 0)
			return rc;
		if (got && strcmp(got, "t") == 0)
			break;
		who = lock_holder(d);
		if (time_mono_us() >= deadline) {
			rc = err_set(EXIT_LOCK, "the migration lock on %s is "
			    "held by %s; gave up after --lock-wait",
			    d->base.url_masked, who);
			free(who);
			free(got);
			return rc;
		}
		if (!told)
			log_notice("waiting for the migration lock on %s, held "
			    "by %s", d->base.url_masked, who);
		told = true;
		free(who);
		sleep_ms(LOCK_POLL_MS);
	}
	free(got);
	return 0;
}

static void
pg_unlock(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;
	char key[24];
	const char *params[1] = { key };

	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	if (PQstatus(d->conn) == CONNECTION_OK)
		query_on(d->conn, "SELECT pg_advisory_unlock($1)", 1, params,
		    NULL, NULL);
}

/* --- strata's tables ------------------------------------------------------- */

static int
pg_tables_exist(struct db *db, bool *exist)
{
	struct db_pg *d = (struct db_pg *)db;
	struct buf sql = BUF_INIT;
	char *got = NULL;
	int rc;

	buf_addf(&sql, "SELECT to_regclass('%s.strata_history') IS NOT NULL "
	    "AND to_regclass('%s.strata_log') IS NOT NULL", d->schema,
	    d->schema);
	rc = query_on(d->conn, sql.ptr, 0, NULL, first_value_cb, &got);
	*exist = got && strcmp(got, "t") == 0;
	free(got);
	buf_free(&sql);
	return rc;
}

static int
pg_ensure_tables(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;
	struct buf sql = BUF_INIT;
	bool exist = false;
	int rc;

	if ((rc = pg_tables_exist(db, &exist)) < 0 || exist)
		return rc;
	buf_addf(&sql,
	    "CREATE SCHEMA IF NOT EXISTS %s;"
	    "CREATE TABLE IF NOT EXISTS %s.strata_history ("
	    " version bigint PRIMARY KEY,"
	    " name text NOT NULL,"
	    " checksum text,"
	    " rollback_checksum text,"
	    " state text NOT NULL CHECK (state IN ('applied', 'failed')),"
	    " statements_completed integer NOT NULL DEFAULT 0,"
	    " completed_checksum text,"
	    " rollback_completed integer NOT NULL DEFAULT 0,"
	    " applied_at timestamptz NOT NULL,"
	    " duration_ms bigint NOT NULL DEFAULT 0,"
	    " applied_by text,"
	    " completed_extra text,"
	    " rollback_completed_extra text);"
	    "CREATE TABLE IF NOT EXISTS %s.strata_log ("
	    " id bigserial PRIMARY KEY,"
	    " at timestamptz NOT NULL,"
	    " version bigint,"
	    " direction text,"
	    " statement integer,"
	    " kind text NOT NULL,"
	    " text text NOT NULL,"
	    " duration_ms double precision,"
	    " rows_affected bigint,"
	    " outcome text NOT NULL,"
	    " sqlstate text,"
	    " error text,"
	    " facts jsonb);"
	    "CREATE INDEX IF NOT EXISTS strata_log_version"
	    " ON %s.strata_log (version);",
	    strcmp(d->schema_raw, "public") == 0 ? "public" : d->schema,
	    d->schema, d->schema, d->schema);
	d->quiet = true;
	rc = pg_run(d, sql.ptr);
	d->quiet = false;
	buf_free(&sql);
	return rc;
}

/* --- running migration statements ------------------------------------------ */

static PGconn *
monitor(struct db_pg *d)
{
	char *why = NULL;

	if (d->monitor == NULL && (d->monitor = pg_connect(d->url, &why)) ==
	    NULL) {
		log_verbose("no monitor connection: %s", why);
		free(why);
	}
	return d->monitor;
}

struct blocker_acc {
	struct buf	text;
};

static int
blocker_cb(void *arg, int ncols, char **v)
{
	struct blocker_acc *acc = arg;

	if (ncols < 5)
		return 0;
	if (acc->text.len)
		buf_adds(&acc->text, "; ");
	buf_addf(&acc->text, "pid %s (application %s, %s for %ss: %s)",
	    v[0] ? v[0] : "?", v[1] && v[1][0] ? v[1] : "?",
	    v[2] ? v[2] : "?", v[3] ? v[3] : "?", v[4] ? v[4] : "");
	return 0;
}

#define BLOCKER_COLUMNS \
	"SELECT a.pid, a.application_name, a.state, " \
	"coalesce(extract(epoch FROM now() - coalesce(a.xact_start, " \
	"a.query_start))::int, 0), left(regexp_replace(coalesce(a.query, " \
	"''), '\\s+', ' ', 'g'), 80) FROM pg_stat_activity a "

/* Ask the monitor which sessions block ours right now. */
static void
sample_blockers(struct db_pg *d)
{
	struct blocker_acc acc = { BUF_INIT };
	char pid[16];
	const char *params[1] = { pid };
	PGconn *m = monitor(d);

	if (m == NULL)
		return;
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(d->conn));
	if (query_on(m, BLOCKER_COLUMNS "WHERE a.pid = ANY "
	    "(pg_blocking_pids($1::int))", 1, params, blocker_cb, &acc) < 0)
		err_clear();
	if (acc.text.len) {
		free(d->blockers);
		d->blockers = buf_detach(&acc.text);
	}
	buf_free(&acc.text);
}

static bool
is_index_build(const struct stmt *s)
{
	return s != NULL && (s->kind == KIND_CREATE_INDEX ||
	    s->kind == KIND_CREATE_INDEX_CONCURRENTLY ||
	    s->kind == KIND_REINDEX || s->kind == KIND_REINDEX_CONCURRENTLY);
}

struct two_values {
	char	*a;
	char	*b;
};

static int
two_cb(void *arg, int ncols, char **v)
{
	struct two_values *t = arg;

	if (ncols >= 2 && t->a == NULL) {
		t->a = v[0] ? xstrdup(v[0]) : NULL;
		t->b = v[1] ? xstrdup(v[1]) : NULL;
	}
	return 0;
}

/* Draw the live line of one running statement. */
static void
progress_line(int slot, const struct stmt *s, int64_t start_us,
    const char *phase, const char *percent)
{
	double secs = (double)(time_mono_us() - start_us) / 1e6;
	const char *what = s == NULL ? "" : s->index ? s->index :
	    s->relation ? s->relation : "";
	struct buf line = BUF_INIT;

	buf_addf(&line, "  %6.1fs  %s %s", secs, s ? stmt_kind_name(s->kind) :
	    "statement", what);
	if (phase != NULL)
		buf_addf(&line, ": %s", phase);
	if (percent != NULL)
		buf_addf(&line, " %s%%", percent);
	progress_set(slot, "%s", buf_cstr(&line));
	buf_free(&line);
}

#define PROGRESS_QUERY \
	"SELECT pid, phase, CASE WHEN blocks_total > 0 THEN round(100.0 * " \
	"blocks_done / blocks_total) WHEN tuples_total > 0 THEN round(100.0 * " \
	"tuples_done / tuples_total) END FROM pg_stat_progress_create_index " \
	"WHERE pid = ANY ($1::int[])"

struct progress_rows {
	int	 pid[64];
	char	*phase[64];
	char	*percent[64];
	int	 n;
};

static int
progress_rows_cb(void *arg, int ncols, char **v)
{
	struct progress_rows *p = arg;

	if (ncols < 3 || v[0] == NULL || p->n == 64)
		return 0;
	p->pid[p->n] = atoi(v[0]);
	p->phase[p->n] = v[1] ? xstrdup(v[1]) : NULL;
	p->percent[p->n] = v[2] ? xstrdup(v[2]) : NULL;
	p->n++;
	return 0;
}

/* Ask the monitor for the index builds of these backends, in one query. */
static void
progress_sample(struct db_pg *d, const int *pids, int n,
    struct progress_rows *out)
{
	struct buf arr = BUF_INIT;
	const char *params[1];
	PGconn *m;
	int i;

	out->n = 0;
	if (n == 0 || (m = monitor(d)) == NULL)
		return;
	buf_addch(&arr, '{');
	for (i = 0; i < n; i++)
		buf_addf(&arr, "%s%d", i ? "," : "", pids[i]);
	buf_addch(&arr, '}');
	params[0] = arr.ptr;
	if (query_on(m, PROGRESS_QUERY, 1, params, progress_rows_cb, out) < 0)
		err_clear();
	buf_free(&arr);
}

static void
progress_rows_free(struct progress_rows *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		free(p->phase[i]);
		free(p->percent[i]);
	}
	p->n = 0;
}

/* Show one backend's progress; keep the phase it reached in *phase. */
static void
progress_show(const struct progress_rows *rows, int pid, int slot,
    const struct stmt *s, int64_t start_us, char **phase)
{
	int i;

	for (i = 0; i < rows->n; i++)
		if (rows->pid[i] == pid)
			break;
	if (i < rows->n && rows->phase[i] != NULL) {
		free(*phase);
		*phase = xstrdup(rows->phase[i]);
	}
	progress_line(slot, s, start_us, i < rows->n ? rows->phase[i] : NULL,
	    i < rows->n ? rows->percent[i] : NULL);
}

/*
 * A statement running for more than a second: its progress line, and for
 * index builds the phase from pg_stat_progress_create_index, kept in
 * d->phase for the log whether or not anyone sees the line.
 */
static void
sample_progress(struct db_pg *d, const struct stmt *s, int64_t start_us)
{
	struct progress_rows rows;
	int pid = PQbackendPID(d->conn);

	rows.n = 0;
	if (is_index_build(s))
		progress_sample(d, &pid, 1, &rows);
	progress_show(&rows, pid, 0, s, start_us, &d->phase);
	progress_rows_free(&rows);
}

/* After the fact: who holds locks on the statement's table. */
static char *
holders_of(struct db_pg *d, PGconn *conn, const char *relation)
{
	struct blocker_acc acc = { BUF_INIT };
	char pid[16];
	const char *params[2] = { relation, pid };
	PGconn *m;

	if (relation == NULL || (m = monitor(d)) == NULL)
		return NULL;
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(conn));
	if (query_on(m, BLOCKER_COLUMNS "WHERE a.pid <> $2::int AND a.pid IN "
	    "(SELECT l.pid FROM pg_locks l WHERE l.granted AND l.relation = "
	    "to_regclass($1))", 2, params, blocker_cb, &acc) < 0)
		err_clear();
	return acc.text.len ? buf_detach(&acc.text) : NULL;
}

static bool
lock_timeout_exempt(const struct stmt *s)
{
	/* Their long waits are for old snapshots, and block nobody. */
	return s->kind == KIND_CREATE_INDEX_CONCURRENTLY ||
	    s->kind == KIND_DROP_INDEX_CONCURRENTLY ||
	    s->kind == KIND_REINDEX_CONCURRENTLY ||
	    s->kind == KIND_REFRESH_MATVIEW_CONCURRENTLY ||
	    s->kind == KIND_DETACH_PARTITION_CONCURRENTLY ||
	    s->kind == KIND_VACUUM;
}

static int
set_lock_timeout(struct db_pg *d, const struct stmt *s)
{
	int64_t want;
	char sql[64];

	if (d->lock_timeout_ms < 0)
		return 0;
	want = s && lock_timeout_exempt(s) ? 0 : d->lock_timeout_ms;
	if (want == d->lock_timeout_set)
		return 0;
	snprintf(sql, sizeof(sql), "SET lock_timeout = %lld", (long long)want);
	if (pg_run(d, sql) < 0)
		return -1;
	d->lock_timeout_set = want;
	return 0;
}

static void
fill_error(struct db_pg *d, PGconn *conn, const PGresult *r,
    struct exec_result *res, const struct stmt *s)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);

	if (res->message)
		return;		/* keep the first error */
	res->message = msg ? xstrdup(msg) : chomp(PQerrorMessage(conn));
	res->detail = detail ? xstrdup(detail) : NULL;
	res->hint = hint ? xstrdup(hint) : NULL;
	res->position = pos ? atoi(pos) : 0;
	if (state)
		snprintf(res->sqlstate, sizeof(res->sqlstate), "%s", state);
	res->retryable = state && (strcmp(state, "55P03") == 0 ||
	    strcmp(state, "40P01") == 0);
	if (res->retryable && conn == d->conn) {
		res->blockers = d->blockers ? xstrdup(d->blockers) :
		    holders_of(d, conn, s ? s->relation : NULL);
	}
}

/* Split "schema.name" into its parts; schema is NULL when absent. */
static void
split_qualified(const char *q, char **schema, char **name)
{
	const char *dot = strrchr(q, '.');

	*schema = dot ? xstrndup(q, (size_t)(dot - q)) : NULL;
	*name = xstrdup(dot ? dot + 1 : q);
}

/*
 * What pg_exec sent besides the statement: "BEGIN;" in front (lead > 0
 * characters) and a query of the built index's size after it.
 */
struct extras {
	size_t	lead;
	bool	size;
};

/*
 * Read a sent statement's results into res: 0, or -1 with its error.
 * With extras, the statement's result is not the only one.
 */
static int
collect(struct db_pg *d, PGconn *conn, const struct stmt *s,
    const struct extras *x, struct exec_result *res)
{
	int first = x && x->lead ? 1 : 0, i, rc = 0;
	PGresult *r;

	for (i = 0; (r = PQgetResult(conn)) != NULL; i++) {
		switch (PQresultStatus(r)) {
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK: {
			const char *n = PQcmdTuples(r);

			if (i > first && x && x->size && PQntuples(r) == 1 &&
			    !PQgetisnull(r, 0, 0)) {
				free(d->index_size);
				d->index_size = xstrdup(PQgetvalue(r, 0, 0));
			}
			if (i == first && n && n[0] && s &&
			    (s->kind == KIND_INSERT ||
			    s->kind == KIND_UPDATE || s->kind == KIND_DELETE ||
			    s->kind == KIND_CREATE_TABLE))
				res->rows = strtoll(n, NULL, 10);
			break;
		}
		case PGRES_COPY_IN:
		case PGRES_COPY_OUT:
			res->message = xstrdup("COPY ... FROM STDIN / TO STDOUT "
			    "needs psql; use INSERT or a server-side COPY");
			rc = -1;
			break;
		default:
			if (res->message == NULL) {
				fill_error(d, conn, r, res, s);
				/* A position in the statement, not the text. */
				if (i != first)
					res->position = 0;
				else if (x && res->position > (int)x->lead)
					res->position -= (int)x->lead;
			}
			rc = -1;
		}
		PQclear(r);
	}
	if (rc == 0 && PQstatus(conn) != CONNECTION_OK) {
		res->message = chomp(PQerrorMessage(conn));
		rc = -1;
	}
	if (rc < 0 && res->message == NULL)
		res->message = chomp(PQerrorMessage(conn));
	return rc;
}

/*
 * After a plain CREATE INDEX, in the same text: its size, for the log.
 * The index name goes in as literals, quoted by the server as
 * relation_facts' parameters are.
 */
static bool
add_size_query(struct db_pg *d, struct buf *q, const char *index)
{
	char *schema, *name, *ls = NULL, *ln;
	bool ok;

	split_qualified(index, &schema, &name);
	ln = PQescapeLiteral(d->conn, name, strlen(name));
	if (schema)
		ls = PQescapeLiteral(d->conn, schema, strlen(schema));
	ok = ln && (schema == NULL || ls);
	if (ok) {
		/* A newline first: the statement may end in a -- comment. */
		buf_adds(q, "\n;SELECT pg_relation_size(to_regclass(");
		if (ls)
			buf_addf(q, "quote_ident(%s) || '.' || ", ls);
		buf_addf(q, "quote_ident(%s)))", ln);
	}
	PQfreemem(ln);
	PQfreemem(ls);
	free(schema);
	free(name);
	return ok;
}

static int
pg_exec(struct db *db, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	struct db_pg *d = (struct db_pg *)db;
	struct extras x = { 0, false };
	struct buf q = BUF_INIT;
	int64_t start = time_mono_us(), next = start + SAMPLE_FIRST_MS * 1000;
	int rc;

	res->rows = -1;
	free(d->blockers);
	d->blockers = NULL;
	free(d->phase);
	d->phase = NULL;
	free(d->index_size);
	d->index_size = NULL;
	d->have_size = false;
	if (set_lock_timeout(d, s) < 0) {
		res->message = xstrdup(err_last()->message);
		return -1;
	}
	if (d->begin_pending) {
		buf_adds(&q, "BEGIN;");
		x.lead = q.len;
		d->begin_pending = false;
	}
	buf_add(&q, sql, len);
	if (s && s->kind == KIND_CREATE_INDEX && s->index)
		x.size = add_size_query(d, &q, s->index);
	if (!PQsendQuery(d->conn, q.ptr)) {
		res->message = chomp(PQerrorMessage(d->conn));
		buf_free(&q);
		return -1;
	}
	buf_free(&q);
	/* Wait for the result; sample blockers while it takes long. */
	while (PQisBusy(d->conn)) {
		struct pollfd p = { PQsocket(d->conn), POLLIN, 0 };
		int64_t now = time_mono_us();
		int wait = (int)((next > now ? next - now : 0) / 1000);

		if (poll(&p, 1, wait) > 0 || (p.revents & POLLIN)) {
			if (!PQconsumeInput(d->conn))
				break;
			continue;
		}
		if (time_mono_us() >= next) {
			sample_blockers(d);
			if (time_mono_us() - start >= PROGRESS_AFTER_MS * 1000)
				sample_progress(d, s, start);
			next = time_mono_us() + SAMPLE_EVERY_MS * 1000;
		}
	}
	progress_done(0);
	rc = collect(d, d->conn, s, &x, res);
	d->have_size = rc == 0 && x.size;
	res->phase = d->phase;
	d->phase = NULL;
	return rc;
}

/* --- --jobs: statements side by side --------------------------------------- */

/* The k-th worker connection, opened and set up on first use. */
static PGconn *
worker(struct db_pg *d, int k, struct exec_result *res)
{
	char *why = NULL;

	if (d->workers[k] != NULL && PQstatus(d->workers[k]) != CONNECTION_OK) {
		PQfinish(d->workers[k]);
		d->workers[k] = NULL;
	}
	if (d->workers[k] != NULL)
		return d->workers[k];
	if ((d->workers[k] = pg_connect(d->url, &why)) == NULL) {
		res->message = why;
		return NULL;
	}
	PQsetNoticeReceiver(d->workers[k], notice, d);
	if (session_setup(d, d->workers[k], true) < 0) {
		res->message = xstrdup(err_last()->message);
		err_clear();
		PQfinish(d->workers[k]);
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
	char *key = NULL;
	struct buf b = BUF_INIT;

	if (s->index == NULL && s->relation == NULL)
		return NULL;
	if (query_on(d->conn, "SELECT coalesce((SELECT i.indrelid FROM "
	    "pg_index i WHERE i.indexrelid = to_regclass($1)), (SELECT "
	    "i.indrelid FROM pg_index i WHERE i.indexrelid = to_regclass($2)),"
	    " to_regclass($2)::oid)::text", 2, params, first_value_cb,
	    &key) < 0)
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

static int
pg_exec_parallel(struct db *db, struct par_job *jobs, size_t n, int conns)
{
	struct db_pg *d = (struct db_pg *)db;
	int running[64], pids[64], k, q;
	int64_t started[64], first = time_mono_us(), next;
	char **keys = xcalloc(n + 1, sizeof(*keys));
	bool failed = false;
	size_t i;

	if (conns > 64)
		conns = 64;
	for (k = 0; k < conns; k++)
		running[k] = -1;
	for (i = 0; i < n; i++) {
		keys[i] = table_key(d, jobs[i].s);
		jobs[i].res.rows = -1;
	}
	next = first + PROGRESS_AFTER_MS * 1000;
	for (;;) {
		struct pollfd pfd[64];
		int slot[64], np = 0;
		int64_t now;

		/* Start what may start, in file order, on free connections. */
		for (i = 0; i < n && !failed; i++) {
			struct par_job *j = &jobs[i];
			char *text;
			PGconn *c;

			if (j->state != JOB_WAITING || !can_start(jobs, keys, i))
				continue;
			for (k = 0; k < conns && running[k] >= 0; k++)
				;
			if (k == conns)
				break;
			started[k] = time_mono_us();
			if ((c = worker(d, k, &j->res)) == NULL) {
				job_finish(j, started[k], false);
				failed = true;
				break;
			}
			text = xstrndup(j->sql, j->len);
			if (!PQsendQuery(c, text)) {
				j->res.message = chomp(PQerrorMessage(c));
				job_finish(j, started[k], false);
				failed = true;
			} else {
				j->state = JOB_RUNNING;
				running[k] = (int)i;
				pids[k] = PQbackendPID(c);
				log_verbose("statement %zu started on connection "
				    "%d (backend %d)", i + 1, k + 1, pids[k]);
			}
			free(text);
		}
		for (k = 0; k < conns; k++)
			if (running[k] >= 0) {
				pfd[np].fd = PQsocket(d->workers[k]);
				pfd[np].events = POLLIN;
				pfd[np].revents = 0;
				slot[np++] = k;
			}
		if (np == 0)
			break;
		now = time_mono_us();
		poll(pfd, (nfds_t)np, (int)((next > now ? next - now : 0) /
		    1000));
		for (q = 0; q < np; q++) {
			PGconn *c;
			struct par_job *j;

			k = slot[q];
			c = d->workers[k];
			j = &jobs[running[k]];
			if (pfd[q].revents == 0)
				continue;
			if (PQconsumeInput(c) && PQisBusy(c))
				continue;
			job_finish(j, started[k], collect(d, c, j->s, NULL,
			    &j->res) == 0);
			if (j->state == JOB_FAILED)
				failed = true;
			progress_done(k);
			running[k] = -1;
		}
		if (time_mono_us() >= next) {
			struct progress_rows rows;
			int live[64], nlive = 0;

			for (k = 0; k < conns; k++)
				if (running[k] >= 0 &&
				    is_index_build(jobs[running[k]].s))
					live[nlive++] = pids[k];
			progress_sample(d, live, nlive, &rows);
			for (k = 0; k < conns; k++)
				if (running[k] >= 0 && time_mono_us() -
				    started[k] >= PROGRESS_AFTER_MS * 1000)
					progress_show(&rows, pids[k], k,
					    jobs[running[k]].s, started[k],
					    &jobs[running[k]].res.phase);
			progress_rows_free(&rows);
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

/* --- recovery and facts ---------------------------------------------------- */

#define FIND_RELATION \
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relname = $1 AND (CASE WHEN $2::text IS NULL " \
	"THEN pg_table_is_visible(c.oid) ELSE n.nspname = $2 END) "

/*
 * Before CREATE INDEX CONCURRENTLY: an INVALID index of the same name is
 * what an earlier failed build left; drop it (concurrently) so the build
 * can run again. IF NOT EXISTS would otherwise skip it silently.
 */
static int
pg_before_stmt(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct db_pg *d = (struct db_pg *)db;
	char *schema, *name, *drop = NULL;
	const char *params[2];
	int rc = 0;

	if (s->kind != KIND_CREATE_INDEX_CONCURRENTLY || s->index == NULL)
		return 0;
	split_qualified(s->index, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (query_on(d->conn, "SELECT format('DROP INDEX CONCURRENTLY IF "
	    "EXISTS %I.%I', n.nspname, c.relname) " FIND_RELATION
	    "AND c.relkind IN ('i', 'I') AND EXISTS (SELECT 1 FROM pg_index i "
	    "WHERE i.indexrelid = c.oid AND NOT i.indisvalid)", 2, params,
	    first_value_cb, &drop) < 0)
		err_clear();
	if (drop != NULL) {
		log_notice("dropping INVALID index '%s' left by an earlier "
		    "failed build", s->index);
		set_lock_timeout(d, s);
		if ((rc = pg_run(d, drop)) == 0)
			buf_adds(&f->json, "\"dropped_invalid_index\":true,");
	}
	free(drop);
	free(schema);
	free(name);
	return rc;
}

/* Two values about a relation: sql takes its name as $1, schema as $2. */
static void
relation_facts(struct db_pg *d, const char *qualified, const char *sql,
    struct two_values *out)
{
	char *schema, *name;
	const char *params[2];

	split_qualified(qualified, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (begin_flush(d) < 0 ||
	    query_on(d->conn, sql, 2, params, two_cb, out) < 0)
		err_clear();
	free(schema);
	free(name);
}

#define TABLE_FACTS \
	"SELECT pg_relation_filenode(c.oid), pg_total_relation_size(c.oid) " \
	FIND_RELATION

/*
 * An index's size, and for a concurrent build whether it is valid (a
 * plain build that succeeded always is). to_regclass resolves the name as
 * the search path does; these plan in microseconds, where a join of
 * pg_class and pg_namespace took up to a millisecond after each DDL.
 */
#define INDEX_REGCLASS \
	"to_regclass(CASE WHEN $2::text IS NULL THEN '' ELSE " \
	"quote_ident($2) || '.' END || quote_ident($1))"
#define INDEX_SIZE \
	"SELECT pg_relation_size(" INDEX_REGCLASS "), NULL"
#define INDEX_SIZE_VALID \
	"SELECT pg_relation_size(x.r), (SELECT i.indisvalid FROM pg_index i " \
	"WHERE i.indexrelid = x.r) FROM (SELECT " INDEX_REGCLASS " AS r) x"

static void
pg_facts_before(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct two_values t = { NULL, NULL };

	if (s->kind != KIND_ALTER_COLUMN_TYPE || s->relation == NULL)
		return;
	relation_facts((struct db_pg *)db, s->relation, TABLE_FACTS, &t);
	if (t.a)
		f->relfilenode_before = strtoll(t.a, NULL, 10);
	if (t.b)
		f->size_before = strtoll(t.b, NULL, 10);
	free(t.a);
	free(t.b);
}

static void
pg_facts_after(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct db_pg *d = (struct db_pg *)db;
	struct two_values t = { NULL, NULL };

	if (s->kind == KIND_CREATE_INDEX && d->have_size) {
		/* Read with the statement (pg_exec). */
		t.a = d->index_size;
		d->index_size = NULL;
		d->have_size = false;
		if (t.a)
			buf_addf(&f->json, "\"index_size_bytes\":%s,", t.a);
	} else if ((s->kind == KIND_CREATE_INDEX ||
	    s->kind == KIND_CREATE_INDEX_CONCURRENTLY) && s->index) {
		relation_facts(d, s->index, s->kind == KIND_CREATE_INDEX ?
		    INDEX_SIZE : INDEX_SIZE_VALID, &t);
		if (t.a)
			buf_addf(&f->json, "\"index_size_bytes\":%s,", t.a);
		if (t.b)
			buf_addf(&f->json, "\"index_valid\":%s,",
			    strcmp(t.b, "t") == 0 ? "true" : "false");
	} else if (s->kind == KIND_ALTER_COLUMN_TYPE && s->relation &&
	    f->relfilenode_before >= 0) {
		relation_facts(d, s->relation, TABLE_FACTS, &t);
		if (t.a)
			buf_addf(&f->json, "\"table_rewritten\":%s,",
			    strtoll(t.a, NULL, 10) != f->relfilenode_before ?
			    "true" : "false");
		if (f->size_before >= 0)
			buf_addf(&f->json, "\"size_before_bytes\":%lld,",
			    (long long)f->size_before);
		if (t.b)
			buf_addf(&f->json, "\"size_after_bytes\":%s,", t.b);
	}
	free(t.a);
	free(t.b);
}

/*
 * The schema, for --check-rollbacks, in PostgreSQL's own canonical
 * spellings (format_type, pg_get_*def). Names are qualified unless they
 * are in the current schema; strata's tables and extension members are
 * left out. Columns are numbered by position among the live ones, so a
 * dropped and re-added column shows as moved.
 */
static const char pg_snapshot_sql[] =
    "WITH ns AS ("
    " SELECT n.oid, n.nspname, CASE WHEN n.nspname = current_schema()"
    "  THEN '' ELSE quote_ident(n.nspname) || '.' END AS q"
    " FROM pg_namespace n WHERE n.nspname NOT IN"
    "  ('pg_catalog', 'information_schema')"
    "  AND n.nspname !~ '^pg_(toast|temp_)'),"
    " ext AS (SELECT objid, classid FROM pg_depend WHERE deptype = 'e'),"
    " rel AS ("
    " SELECT c.oid, c.relkind, c.relispartition, c.relpersistence,"
    "  c.relpartbound, ns.q || quote_ident(c.relname) AS name"
    " FROM pg_class c JOIN ns ON ns.oid = c.relnamespace"
    " WHERE NOT (ns.nspname = $1 AND c.relname IN"
    "  ('strata_history', 'strata_log', 'strata_log_id_seq'))"
    "  AND c.oid NOT IN (SELECT objid FROM ext"
    "  WHERE classid = 'pg_class'::regclass)),"
    " col AS ("
    " SELECT r.name AS rname, a.attrelid, a.attnum, a.attname, a.atttypid,"
    "  a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,"
    "  a.attcollation, t.typcollation, row_number() OVER"
    "  (PARTITION BY a.attrelid ORDER BY a.attnum) AS pos"
    " FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid"
    "  AND a.attnum > 0 AND NOT a.attisdropped"
    " JOIN pg_type t ON t.oid = a.atttypid"
    " WHERE r.relkind IN ('r', 'p', 'f'))"
    " SELECT 'schema ' || quote_ident(nspname), 'schema' FROM ns"
    " UNION ALL SELECT 'extension ' || quote_ident(extname), extversion"
    " FROM pg_extension"
    " UNION ALL SELECT 'table ' || r.name, CASE r.relkind"
    "  WHEN 'p' THEN 'partitioned table PARTITION BY ' ||"
    "  pg_get_partkeydef(r.oid) WHEN 'f' THEN 'foreign table'"
    "  ELSE 'table' END || CASE r.relpersistence WHEN 'u'"
    "  THEN ' UNLOGGED' ELSE '' END"
    " FROM rel r WHERE r.relkind IN ('r', 'p', 'f')"
    " UNION ALL SELECT 'table ' || r.name || ' inherits', string_agg(p.name,"
    "  ', ' ORDER BY i.inhseqno) || CASE WHEN r.relispartition THEN ' ' ||"
    "  pg_get_expr(r.relpartbound, r.oid) ELSE '' END"
    " FROM rel r JOIN pg_inherits i ON i.inhrelid = r.oid"
    " JOIN rel p ON p.oid = i.inhparent WHERE r.relkind IN ('r', 'p', 'f')"
    " GROUP BY r.name, r.relispartition, r.relpartbound, r.oid"
    " UNION ALL SELECT 'column ' || c.rname || '.' || quote_ident(c.attname),"
    "  format_type(c.atttypid, c.atttypmod) ||"
    "  CASE WHEN c.attcollation <> c.typcollation THEN ' COLLATE ' ||"
    "  (SELECT quote_ident(collname) FROM pg_collation"
    "  WHERE oid = c.attcollation) ELSE '' END ||"
    "  CASE c.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'"
    "  WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END ||"
    "  CASE c.attgenerated WHEN 's' THEN ' GENERATED ALWAYS (STORED)'"
    "  ELSE '' END FROM col c"
    " UNION ALL SELECT 'column ' || c.rname || '.' || quote_ident(c.attname)"
    "  || ' position', c.pos::text FROM col c"
    " UNION ALL SELECT 'column ' || c.rname || '.' || quote_ident(c.attname)"
    "  || ' not null', c.attnotnull::text FROM col c"
    " UNION ALL SELECT 'column ' || c.rname || '.' || quote_ident(c.attname)"
    "  || ' default', pg_get_expr(d.adbin, d.adrelid) FROM col c"
    " JOIN pg_attrdef d ON d.adrelid = c.attrelid AND d.adnum = c.attnum"
    " UNION ALL SELECT 'constraint ' || r.name || '.' ||"
    "  quote_ident(k.conname), pg_get_constraintdef(k.oid)"
    " FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid"
    " UNION ALL SELECT 'constraint ' || ns.q || quote_ident(t.typname) ||"
    "  '.' || quote_ident(k.conname), pg_get_constraintdef(k.oid)"
    " FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid"
    " JOIN ns ON ns.oid = t.typnamespace"
    " UNION ALL SELECT 'index ' || ir.name, pg_get_indexdef(i.indexrelid) ||"
    "  CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END"
    " FROM pg_index i JOIN rel ir ON ir.oid = i.indexrelid"
    " JOIN rel tr ON tr.oid = i.indrelid"
    " UNION ALL SELECT 'index ' || ir.name || ' attached to', p.name"
    " FROM pg_inherits h JOIN rel ir ON ir.oid = h.inhrelid"
    " JOIN rel p ON p.oid = h.inhparent WHERE ir.relkind = 'i'"
    " UNION ALL SELECT CASE r.relkind WHEN 'v' THEN 'view '"
    "  ELSE 'materialized view ' END || r.name, pg_get_viewdef(r.oid, true)"
    " FROM rel r WHERE r.relkind IN ('v', 'm')"
    " UNION ALL SELECT 'sequence ' || r.name, format_type(s.seqtypid, NULL)"
    "  || ' START ' || s.seqstart || ' INCREMENT ' || s.seqincrement ||"
    "  ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' CACHE ' ||"
    "  s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END ||"
    "  coalesce((SELECT ' OWNED BY ' || t.name || '.' ||"
    "  quote_ident(a.attname) FROM pg_depend d JOIN rel t"
    "  ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = d.refobjid"
    "  AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_class'::regclass"
    "  AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i') LIMIT 1), '')"
    " FROM pg_sequence s JOIN rel r ON r.oid = s.seqrelid"
    " UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure '"
    "  ELSE 'function ' END || ns.q || quote_ident(p.proname) || '(' ||"
    "  pg_get_function_identity_arguments(p.oid) || ')',"
    "  pg_get_functiondef(p.oid)"
    " FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace"
    " WHERE p.prokind IN ('f', 'p') AND p.oid NOT IN (SELECT objid FROM ext"
    "  WHERE classid = 'pg_proc'::regclass)"
    " UNION ALL SELECT 'trigger ' || r.name || '.' || quote_ident(t.tgname),"
    "  pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'D'"
    "  THEN ' (DISABLED)' ELSE '' END"
    " FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid"
    " WHERE NOT t.tgisinternal"
    " UNION ALL SELECT 'type ' || ns.q || quote_ident(t.typname),"
    "  CASE t.typtype WHEN 'e' THEN 'enum (' || (SELECT string_agg("
    "  quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)"
    "  FROM pg_enum e WHERE e.enumtypid = t.oid) || ')' ELSE 'domain ' ||"
    "  format_type(t.typbasetype, t.typtypmod) ||"
    "  coalesce(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull"
    "  THEN ' NOT NULL' ELSE '' END END"
    " FROM pg_type t JOIN ns ON ns.oid = t.typnamespace"
    " WHERE t.typtype IN ('e', 'd') AND t.oid NOT IN (SELECT objid FROM ext"
    "  WHERE classid = 'pg_type'::regclass)";

static int
pg_snapshot(struct db *db, struct snapshot *snap)
{
	const char *params[1] = { ((struct db_pg *)db)->schema_raw };

	return pg_query(db, pg_snapshot_sql, 1, params, snapshot_row, snap);
}

const struct db_ops db_pg_ops = {
	.version = 1,
	.name = "postgres",
	.dialect = DIALECT_POSTGRES,
	.accepts = pg_accepts,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.send = pg_send,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.ensure_tables = pg_ensure_tables,
	.tables_exist = pg_tables_exist,
	.before_stmt = pg_before_stmt,
	.facts_before = pg_facts_before,
	.facts_after = pg_facts_after,
	.exec_parallel = pg_exec_parallel,
	.snapshot = pg_snapshot,
};
