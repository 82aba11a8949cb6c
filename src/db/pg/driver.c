/*
 * driver.c - the PostgreSQL driver: its table, its sessions, and running
 * one migration statement.
 *
 * Every migration statement is sent on its own (a multi-statement string
 * would run as one implicit transaction). While it runs, the monitor
 * (monitor.c) samples which sessions block it, so a lock timeout can name
 * them, and shows how far a long index build got.
 * client_connection_check_interval makes the server stop the work of a
 * runner that was killed, within seconds.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"
#include "../../util/hash.h"

#define SAMPLE_FIRST_MS 100
#define SAMPLE_EVERY_MS 500
#define SAMPLE_BLOCKED_MS 50
#define PROGRESS_AFTER_MS 1000
#define CHECK_INTERVAL "2s"

static bool
pg_accepts(const char *url)
{
	if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0)
		return true;
	return strncmp(url, "sqlite:", 7) != 0 && strchr(url, '=') != NULL;
}

int
pg_first_value_cb(void *arg, int ncols, char **v)
{
	char **out = arg;

	if (ncols > 0 && v[0] && *out == NULL)
		*out = xstrdup(v[0]);
	return 0;
}

void
pg_split_qualified(const char *q, char **schema, char **name)
{
	const char *dot = strrchr(q, '.');

	*schema = dot ? xstrndup(q, (size_t)(dot - q)) : NULL;
	*name = xstrdup(dot ? dot + 1 : q);
}

bool
pg_is_index_build(const struct stmt *s)
{
	return s != NULL &&
	    (s->kind == KIND_CREATE_INDEX ||
		s->kind == KIND_CREATE_INDEX_CONCURRENTLY ||
		s->kind == KIND_REINDEX ||
		s->kind == KIND_REINDEX_CONCURRENTLY);
}

/*
 * BEGIN is not sent on its own: pg_exec and pg_send put it in front of
 * the transaction's first statement, one round trip fewer per migration.
 * Anything else that talks on the connection sends it first.
 */
int
pg_begin_flush(struct db_pg *d)
{
	if (!d->begin_pending)
		return 0;
	d->begin_pending = false;
	return pgc_run(d->conn, "BEGIN");
}

static int
pg_run(struct db_pg *d, const char *sql)
{
	if (pg_begin_flush(d) < 0)
		return -1;
	return pgc_run(d->conn, sql);
}

/* FNV-1a of the schema name: one lock per database and schema. */
static int64_t
lock_key_for(const char *schema)
{
	return (int64_t)(fnv1a(fnv1a(FNV1A_INIT, "strata:"), schema) >> 1);
}

int
pg_session_setup(struct db_pg *d, struct pg_conn *conn, bool worker)
{
	struct buf b = BUF_INIT;
	int        rc;

	buf_adds(&b, "SET client_min_messages = notice");
	if (pgc_server_version(conn) >= 140000)
		buf_adds(&b,
		    "; SET client_connection_check_interval = '" CHECK_INTERVAL
		    "'");
	if (d->search_path != NULL)
		buf_addf(&b, "; SET search_path = %s, public", d->search_path);
	if (d->statement_timeout_ms >= 0)
		buf_addf(&b, "; SET statement_timeout = %lld",
		    (long long)d->statement_timeout_ms);
	/* Workers run only statements exempt from the lock timeout. */
	if (worker && d->lock_timeout_ms >= 0)
		buf_adds(&b, "; SET lock_timeout = 0");
	rc = pgc_run(conn, b.ptr);
	buf_free(&b);
	return rc;
}

static void pg_close(struct db *);

static int
found_row(void *arg, int ncols, char **values)
{
	(void)ncols;
	(void)values;
	*(bool *)arg = true;
	return 0;
}

/*
 * The schema strata's tables live in must exist already: made by a
 * migration or the operator, never by a runner guessing at a typo (a new
 * schema would be a new, empty history, and every version would run
 * again). A tenant's schema is also its search_path.
 */
static int
schema_check(struct db_pg *d, const char *schema, bool tenant)
{
	const char *params[1] = { schema };
	bool        found = false;

	if (pgc_query(d->conn, "SELECT 1 FROM pg_namespace WHERE nspname = $1",
		1, params, found_row, &found) < 0)
		return -1;
	if (!found)
		return err_set(EXIT_DB,
		    "schema '%s' does not exist in %s; strata never creates "
		    "it: check %s, or create it (CREATE SCHEMA %s) first",
		    schema, d->base.url_masked,
		    tenant ? "the tenant's name" : "--schema", d->schema);
	if (tenant)
		d->search_path = xstrdup(d->schema);
	return 0;
}

static int
pg_open(struct db **out, const char *url, const struct db_config *cfg)
{
	struct db_pg *d = xcalloc(1, sizeof(*d));
	char         *why = NULL;
	int           rc;

	*out = &d->base;
	d->url = xstrdup(url);
	/* A statement queued for a lock holds up its table's traffic. */
	d->lock_timeout_ms = cfg->lock_timeout_ms < 0
	    ? PG_DEFAULT_LOCK_TIMEOUT_MS
	    : cfg->lock_timeout_ms;
	d->lock_timeout_set = -2;
	d->statement_timeout_ms = cfg->statement_timeout_ms;
	d->schema_raw = xstrdup(cfg->schema);
	d->base.url_masked = db_mask_url(url);
	d->base.ts_format = "to_char(%s AT TIME ZONE 'UTC', "
			    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
	if ((d->conn = pgc_connect(url, &d->base, &why)) == NULL) {
		rc = err_set(EXIT_DB, "cannot connect to %s: %s",
		    d->base.url_masked, why);
		free(why);
		goto fail;
	}
	d->base.server_version = pgc_server_version(d->conn);
	d->schema = pgc_quote_ident(d->conn, cfg->schema);
	if (d->schema == NULL) {
		rc = err_set(EXIT_USAGE, "--schema '%s' is not a name",
		    cfg->schema);
		goto fail;
	}
	if ((rc = schema_check(d, cfg->schema, cfg->search_path)) < 0)
		goto fail;
	d->base.schema_name = xstrdup(d->schema);
	d->lock_key = lock_key_for(cfg->schema);
	if ((rc = pg_session_setup(d, d->conn, false)) < 0)
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
	int           i;

	pgc_close(d->conn);
	pgc_close(d->monitor);
	for (i = 0; i < PG_MAX_JOBS; i++)
		pgc_close(d->workers[i]);
	free(d->url);
	free(d->schema);
	free(d->schema_raw);
	free(d->search_path);
	free(d->blockers);
	free(d->phase);
	free(d->index_size);
	db_base_free(&d->base);
	free(d);
}

static int
pg_query(struct db *db, const char *sql, int nparams, const char *const *params,
    db_row_fn fn, void *arg)
{
	struct db_pg *d = (struct db_pg *)db;

	if (pg_begin_flush(d) < 0)
		return -1;
	return pgc_query(d->conn, sql, nparams, params, fn, arg);
}

static int
pg_begin(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;

	if (pgc_in_transaction(d->conn))
		d->joined = true;
	else
		d->begin_pending = true;
	return 0;
}

static bool
pg_in_transaction(struct db *db)
{
	return pgc_in_transaction(((struct db_pg *)db)->conn);
}

static bool
pg_broken(struct db *db)
{
	return !pgc_ok(((struct db_pg *)db)->conn);
}

static int
pg_commit(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;

	if (d->joined) {
		d->joined = false;
		return 0;
	}
	if (d->begin_pending) { /* nothing ran in it */
		d->begin_pending = false;
		return 0;
	}
	return pg_run(d, "COMMIT");
}

/* strata's writes and the COMMIT after them in one round trip. */
static int
pg_send(struct db *db, const struct db_writes *w, bool commit)
{
	struct db_pg *d = (struct db_pg *)db;
	bool          begin = d->begin_pending;

	if (d->joined && commit) {
		d->joined = false;
		commit = false;
	}
	if (w->n == 0 && commit)
		return pg_commit(db);
	if (w->n == 0)
		return 0;
	if (w->n == 1 && !commit && !begin)
		return pgc_query(d->conn, w->v[0].sql, w->v[0].nparams,
		    (const char *const *)w->v[0].params, NULL, NULL);
	d->begin_pending = false;
	return pgc_pipeline(d->conn, begin, w, commit);
}

static int
pg_rollback(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;

	d->begin_pending = false;
	d->joined = false;
	if (pgc_in_transaction(d->conn)) {
		pgc_rollback(d->conn);
		/* A SET inside the transaction was undone with it. */
		d->lock_timeout_set = -2;
	}
	return 0;
}

static int
pg_run_quiet(struct db *db, const char *sql)
{
	struct db_pg *d = (struct db_pg *)db;
	int           rc;

	/* "already exists, skipping" and the like are strata's business. */
	pgc_set_quiet(d->conn, true);
	rc = pg_run(d, sql);
	pgc_set_quiet(d->conn, false);
	return rc;
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

int
pg_set_lock_timeout(struct db_pg *d, const struct stmt *s)
{
	int64_t want;
	char    sql[64];

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

static int exec_one(struct db *, const char *, size_t, const struct stmt *,
    struct exec_result *);

/*
 * What PostgreSQL refuses on a partitioned table, done as it can be: a
 * concurrent index partition by partition (partition.c), a concurrent drop
 * of a partitioned index as a plain one under the lock timeout. 1: the
 * statement is no such thing, run it as written.
 */
static int
partitioned(struct db_pg *d, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	char *parent = NULL, *text;
	int   rc;

	if (s->kind == KIND_CREATE_INDEX_CONCURRENTLY &&
	    pg_is_partitioned(d, s->relation, &parent)) {
		rc = pg_partitioned_index(d, sql, len, s, parent, res);
		free(parent);
		return rc;
	}
	if (!pg_is_partitioned_index(d, s))
		return 1;
	text = pg_without_concurrently(sql, len, s);
	rc = exec_one(&d->base, text, strlen(text), NULL, res);
	res->not_concurrently = true;
	free(text);
	return rc;
}

static int
exec_one(struct db *db, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	struct db_pg  *d = (struct db_pg *)db;
	struct pg_sent x = { 0, false, NULL };
	struct buf     q = BUF_INIT;
	int64_t start = time_mono_us(), next = start + SAMPLE_FIRST_MS * 1000;
	int64_t blocked_at = 0;
	int     rc;

	res->rows = -1;
	free(d->blockers);
	d->blockers = NULL;
	free(d->phase);
	d->phase = NULL;
	free(d->index_size);
	d->index_size = NULL;
	d->have_size = false;
	if (s != NULL && !d->begin_pending &&
	    (rc = partitioned(d, sql, len, s, res)) != 1)
		return rc;
	if (pg_set_lock_timeout(d, s) < 0) {
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
		x.size = pg_add_size_query(d, &q, s->index);
	rc = pgc_send(d->conn, q.ptr, res);
	buf_free(&q);
	if (rc < 0)
		return -1;
	/*
	 * Wait for the result; sample blockers while it takes long, often
	 * while it is blocked, so that the wait is told from the work.
	 */
	for (;;) {
		int64_t now = time_mono_us();
		bool    blocked;

		if (pgc_wait(d->conn,
			(int)((next > now ? next - now : 0) / 1000)))
			break;
		if (time_mono_us() >= next) {
			if ((blocked = pg_sample_blockers(d)))
				blocked_at = time_mono_us();
			if (time_mono_us() - start >= PROGRESS_AFTER_MS * 1000)
				pg_sample_progress(d, s, start);
			next = time_mono_us() +
			    (blocked ? SAMPLE_BLOCKED_MS : SAMPLE_EVERY_MS) *
				1000;
		}
	}
	if (blocked_at > 0)
		res->lock_wait_ms = (double)(blocked_at - start) / 1000.0 +
		    SAMPLE_BLOCKED_MS / 2.0;
	db_progress_done(db, 0);
	rc = pgc_collect(d->conn, s, &x, res);
	if (rc < 0 && res->retryable)
		res->blockers = d->blockers
		    ? xstrdup(d->blockers)
		    : pg_holders_of(d, d->conn, s ? s->relation : NULL);
	d->have_size = rc == 0 && x.size;
	d->index_size = x.size_value;
	res->phase = d->phase;
	d->phase = NULL;
	return rc;
}

static int
pg_exec(struct db *db, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	int rc = exec_one(db, sql, len, s, res);

	/* However it failed, a broken connection is the database's failure. */
	if (rc < 0 && pg_broken(db))
		res->lost = true;
	return rc;
}

static int
pg_relation_exists(struct db *db, const char *name, bool *exist)
{
	struct db_pg *d = (struct db_pg *)db;
	struct buf    sql = BUF_INIT;
	const char   *params[1] = { sql.ptr };
	char         *got = NULL;
	int           rc;

	buf_addf(&sql, "%s.%s", d->schema, name);
	params[0] = sql.ptr;
	if ((rc = pg_begin_flush(d)) == 0)
		rc = pgc_query(d->conn, "SELECT to_regclass($1) IS NOT NULL", 1,
		    params, pg_first_value_cb, &got);
	*exist = got && strcmp(got, "t") == 0;
	free(got);
	buf_free(&sql);
	return rc;
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
	.run = pg_run_quiet,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.broken = pg_broken,
	.send = pg_send,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.relation_exists = pg_relation_exists,
	.table_key = pg_table_key,
	.literal_fn = "quote_literal",
	.replica_check = pg_replica_check,
	.replica_wait = pg_replica_wait,
	.before_stmt = pg_before_stmt,
	.index_built = pg_index_built,
	.partitions = pg_partitions,
	.facts_before = pg_facts_before,
	.facts_after = pg_facts_after,
	.exec_parallel = pg_exec_parallel,
	.snapshot = pg_snapshot,
	.catalog = pg_catalog,
	.describe = pg_describe,
	.estimate_rows = pg_estimate_rows,
	.table_files = pg_table_files,
	.locks_held = pg_locks_held,
};
