/*
 * lock.c - the migration lock: a session advisory lock on the database,
 * one key per strata schema.
 *
 * It is taken by polling pg_try_advisory_lock(): a session blocked inside
 * pg_advisory_lock() would hold a snapshot, and a CREATE INDEX
 * CONCURRENTLY run by the lock holder would wait for it forever.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if ((rc = pgc_query(d->conn, "SELECT pg_try_advisory_lock($1)",
			 1, params, pg_first_value_cb, &got)) < 0)
			return rc;
		if (got && strcmp(got, "t") == 0)
			break;
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
	free(got);
	return 0;
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
