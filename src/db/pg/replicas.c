/*
 * replicas.c - keeping standbys close (SPEC §9): before each statement
 * and batch, wait while a standby replays more than --max-replica-lag
 * behind.
 *
 * replay_lag is a measure taken when a standby last replayed something:
 * it stays at its old value while a standby has caught up, and says
 * nothing yet of WAL written since. So a standby that has replayed all
 * that is flushed counts as close whatever replay_lag says, and one that
 * has not is as far behind as the larger of replay_lag and the age of the
 * oldest WAL this session saw flushed that it has yet to replay.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/fs.h"

#define POLL_MS 200
#define NOTICE_EVERY_MS 10000

int
pg_replica_check(struct db *db)
{
	struct db_pg *d = (struct db_pg *)db;
	char         *can = NULL;
	int           rc;

	if ((rc = pg_begin_flush(d)) < 0 ||
	    (rc = pgc_query(d->conn,
		 "SELECT pg_has_role(current_user, 'pg_read_all_stats', "
		 "'USAGE')::text",
		 0, NULL, pg_first_value_cb, &can)) < 0)
		return rc;
	rc = can != NULL && strcmp(can, "true") == 0
	    ? 0
	    : err_set(EXIT_USAGE,
		  "--max-replica-lag: this role cannot read the standbys' lag "
		  "in pg_stat_replication; grant it pg_monitor "
		  "(GRANT pg_monitor TO <role>) or run without the option");
	free(can);
	return rc;
}

static uint64_t
parse_lsn(const char *s)
{
	unsigned long hi = 0, lo = 0;

	if (s == NULL || sscanf(s, "%lx/%lx", &hi, &lo) != 2)
		return 0;
	return ((uint64_t)hi << 32) | (uint64_t)lo;
}

/* Remember where the WAL stands now: what the standbys must replay. */
static void
add_sample(struct db_pg *d, uint64_t lsn, int64_t now_us)
{
	if (d->nwal > 0 && d->wal[d->nwal - 1].lsn >= lsn)
		return;
	if (d->nwal == PG_WAL_SAMPLES) {
		/* Keep every other one: coarser, never younger than it was. */
		int i;

		for (i = 0; i < PG_WAL_SAMPLES / 2; i++)
			d->wal[i] = d->wal[2 * i];
		d->nwal = PG_WAL_SAMPLES / 2;
	}
	d->wal[d->nwal].lsn = lsn;
	d->wal[d->nwal].at_us = now_us;
	d->nwal++;
}

struct standby {
	struct db_pg *d;
	int64_t       now_us;
	int64_t       max_ms;
	uint64_t      flushed;
	uint64_t      oldest_replay; /* of all standbys: samples before go */
	char         *name;          /* the one furthest behind, if too far */
	int64_t       lag_ms;
};

/*
 * A standby is as far behind as the oldest WAL this session flushed that
 * it has not replayed, or as replay_lag says while it has not caught up.
 */
static int
standby_cb(void *arg, int ncols, char **v)
{
	struct standby *sb = arg;
	uint64_t        replay;
	int64_t         lag = -1;
	int             i;

	if (ncols < 3)
		return 0;
	replay = parse_lsn(v[1]);
	if (sb->oldest_replay == 0 || replay < sb->oldest_replay)
		sb->oldest_replay = replay;
	if (replay >= sb->flushed)
		return 0;
	if (v[2] != NULL)
		lag = strtoll(v[2], NULL, 10);
	for (i = 0; i < sb->d->nwal; i++)
		if (sb->d->wal[i].lsn > replay) {
			int64_t own = (sb->now_us - sb->d->wal[i].at_us) / 1000;

			if (own > lag)
				lag = own;
			break;
		}
	if (lag > sb->max_ms && lag > sb->lag_ms) {
		free(sb->name);
		sb->name = xstrdup(v[0] ? v[0] : "?");
		sb->lag_ms = lag;
	}
	return 0;
}

static void
forget_replayed(struct db_pg *d, uint64_t replay)
{
	int i = 0, k;

	while (i < d->nwal && d->wal[i].lsn <= replay)
		i++;
	for (k = i; k < d->nwal; k++)
		d->wal[k - i] = d->wal[k];
	d->nwal -= i;
}

int
pg_replica_wait(struct db *db, int64_t max_ms, int64_t *waited_ms)
{
	struct db_pg *d = (struct db_pg *)db;
	int64_t       start = time_mono_us(), said = -NOTICE_EVERY_MS;
	int           rc;

	if ((rc = pg_begin_flush(d)) < 0)
		return rc;
	for (;;) {
		struct standby sb = { d, 0, max_ms, 0, 0, NULL, -1 };
		char          *flushed = NULL;
		int64_t        now;

		if ((rc = pgc_query(d->conn,
			 "SELECT pg_current_wal_flush_lsn()::text", 0, NULL,
			 pg_first_value_cb, &flushed)) < 0)
			return rc;
		sb.now_us = time_mono_us();
		sb.flushed = parse_lsn(flushed);
		free(flushed);
		add_sample(d, sb.flushed, sb.now_us);
		if ((rc = pgc_query(d->conn,
			 "SELECT coalesce(nullif(application_name, ''), "
			 "host(client_addr), 'pid ' || pid), replay_lsn::text, "
			 "(extract(epoch FROM replay_lag) * 1000)::bigint "
			 "FROM pg_stat_replication WHERE replay_lsn IS NOT NULL",
			 0, NULL, standby_cb, &sb)) < 0)
			return rc;
		forget_replayed(d,
		    sb.oldest_replay ? sb.oldest_replay : sb.flushed);
		if (sb.name == NULL)
			break;
		now = (time_mono_us() - start) / 1000;
		if (now - said >= NOTICE_EVERY_MS) {
			db_notice(db,
			    "waiting for standby %s: it replays %.1fs behind, "
			    "more than --max-replica-lag %.1fs",
			    sb.name, (double)sb.lag_ms / 1000.0,
			    (double)max_ms / 1000.0);
			said = now;
		}
		free(sb.name);
		sleep_ms(POLL_MS);
	}
	*waited_ms += (time_mono_us() - start) / 1000;
	return 0;
}
