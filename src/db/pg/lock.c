/*
 * lock.c - the migration lock: a session advisory lock on the database,
 * one key per strata schema.
 *
 * It is taken by polling pg_try_advisory_lock(): a session blocked inside
 * pg_advisory_lock() would hold a snapshot, and a CREATE INDEX
 * CONCURRENTLY run by the lock holder would wait for it forever.
 *
 * A session lock protects only while strata's statements share one server
 * session. A pooler in transaction (or statement) mode, such as PgBouncer,
 * hands each transaction to whichever server session is free, so two
 * runners can both "hold" it: check_one_session() refuses that.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define LOCK_POLL_MS 100

/* Describe who holds the advisory lock, for the waiting message. */
static char *
lock_holder(struct db_pg *d)
{
	char        key[24];
	const char *params[1] = { key };
	char       *who = NULL;

	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	if (pgc_query(d->conn,
		"SELECT format('pid %s (application %s, client "
		"%s, %s since %s)', a.pid, coalesce(nullif(a.application_name, "
		"''), '?'), coalesce(host(a.client_addr), 'local socket'), "
		"a.state, to_char(a.backend_start AT TIME ZONE 'UTC', "
		"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) FROM pg_locks l JOIN "
		"pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
		"AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid "
		"FROM pg_database WHERE datname = current_database()) AND "
		"(l.classid::bigint << 32) | l.objid::bigint = $1::bigint",
		1, params, pg_first_value_cb, &who) < 0)
		err_clear();
	return who ? who : xstrdup("another session");
}

static int
not_one_session(struct db_pg *d, const char *why, bool give_back)
{
	char        key[24];
	const char *params[1] = { key };

	/* Give back what this call added to the lock. */
	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	if (give_back)
		pgc_query(d->conn, "SELECT pg_advisory_unlock($1)", 1, params,
		    NULL, NULL);
	err_set(EXIT_DB,
	    "strata's statements do not share one server session on %s (%s): "
	    "a connection pooler in transaction or statement mode, such as "
	    "PgBouncer, hands them to different sessions, so the migration "
	    "lock protects nothing. Connect to the server directly, or "
	    "through session pooling",
	    d->base.url_masked, why);
	return -EXIT_DB;
}

/*
 * After the lock: a mark set in this session must still be there for the
 * next statement, and must not be visible from a second connection (a
 * pooler hands the session just released to the next client).
 */
static int
check_one_session(struct db_pg *d)
{
	char            token[64];
	const char     *params[1] = { token };
	char           *seen = NULL, *why = NULL;
	struct pg_conn *probe;
	bool            shared = false;

	snprintf(token, sizeof(token), "%ld-%lld", (long)getpid(),
	    (long long)time_mono_us());
	if (pgc_query(d->conn, "SELECT set_config('strata.session', $1, false)",
		1, params, NULL, NULL) < 0)
		return -1;
	if ((probe = pgc_connect(d->url, &d->base, &why)) != NULL) {
		if (pgc_run(probe, "BEGIN") == 0 &&
		    pgc_query(probe,
			"SELECT current_setting('strata.session', true)", 0,
			NULL, pg_first_value_cb, &seen) == 0)
			shared = seen != NULL && strcmp(seen, token) == 0;
		err_clear();
		pgc_close(probe);
		free(seen);
		seen = NULL;
	}
	free(why);
	if (shared)
		return not_one_session(d,
		    "a second connection saw this session's setting", true);
	if (pgc_query(d->conn, "SELECT current_setting('strata.session', true)",
		0, NULL, pg_first_value_cb, &seen) < 0)
		return -1;
	shared = seen == NULL || strcmp(seen, token) != 0;
	free(seen);
	if (shared)
		return not_one_session(d,
		    "a setting made in this session was gone at the next "
		    "statement",
		    true);
	return 0;
}

int
pg_lock(struct db *db, int64_t wait_ms)
{
	struct db_pg *d = (struct db_pg *)db;
	int64_t       deadline = time_mono_us() + wait_ms * 1000;
	char          key[24];
	const char   *params[1] = { key };
	bool          told = false;
	char         *got = NULL, *who;
	int           rc;

	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	for (;;) {
		free(got);
		got = NULL;
		/* 'h': this very session held it already, for someone else. */
		if ((rc = pgc_query(d->conn,
			 "SELECT CASE WHEN b.held THEN 'h' ELSE "
			 "pg_try_advisory_lock($1)::text END FROM (SELECT "
			 "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
			 "'advisory' AND granted AND objsubid = 1 AND pid = "
			 "pg_backend_pid() AND (classid::bigint << 32) | "
			 "objid::bigint = $1::bigint) AS held OFFSET 0) b",
			 1, params, pg_first_value_cb, &got)) < 0)
			return rc;
		if (got && strcmp(got, "h") == 0) {
			free(got);
			return not_one_session(d,
			    "the session it was given held the lock already",
			    false);
		}
		if (got && strcmp(got, "true") == 0) {
			free(got);
			return check_one_session(d);
		}
		who = lock_holder(d);
		if (time_mono_us() >= deadline) {
			rc = err_set(EXIT_LOCK,
			    "the migration lock on %s is "
			    "held by %s; gave up after --lock-wait",
			    d->base.url_masked, who);
			free(who);
			free(got);
			return rc;
		}
		if (!told)
			db_notice(&d->base,
			    "waiting for the migration lock on %s, held "
			    "by %s",
			    d->base.url_masked, who);
		told = true;
		free(who);
		sleep_ms(LOCK_POLL_MS);
	}
}

void
pg_unlock(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;
	char          key[24];
	const char   *params[1] = { key };
	struct error  pending;

	/* The session's end frees the lock too: a failure here is no news. */
	err_save(&pending);
	snprintf(key, sizeof(key), "%lld", (long long)d->lock_key);
	if (pgc_ok(d->conn))
		pgc_query(d->conn, "SELECT pg_advisory_unlock($1)", 1, params,
		    NULL, NULL);
	err_restore(&pending);
}
