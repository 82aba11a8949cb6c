/*
 * target.c - open one database and join its history with the files.
 */
#include "target.h"

#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/error.h"
#include "../util/log.h"
#include "sumcache.h"
#include "tables.h"

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

bool
target_named(const struct target_config *cfg)
{
	return cfg->url != NULL || env_nonempty("STRATA_DB") != NULL ||
	    env_nonempty("DATABASE_URL") != NULL;
}

const char *
target_url(const struct target_config *cfg)
{
	const char *url = cfg->url;

	if (url == NULL)
		url = env_nonempty("STRATA_DB");
	if (url == NULL)
		url = env_nonempty("DATABASE_URL");
	return url ? url : "sqlite:strata.db";
}

/* The files: scanned, and each file's checksum taken, joined into a plan. */
static int
build_plan(struct target *t, const struct target_config *cfg, bool sums,
    bool keep)
{
	struct sumcache *up = NULL, *down = NULL;
	int              rc;

	if ((rc = scan_dirs(&t->scan, cfg->mig_dir, cfg->rb_dir, keep)) < 0)
		return rc;
	if (sums) {
		up = sumcache_open(cfg->mig_dir);
		down = sumcache_open(cfg->rb_dir);
	}
	rc = plan_build(&t->plan, &t->scan, t->db->ops->dialect, &t->hist, up,
	    down);
	sumcache_close(up);
	sumcache_close(down);
	return rc;
}

int
target_open(struct target *t, const struct target_config *cfg, unsigned needs)
{
	struct db_config dbc;
	int              rc, layout;

	memset(t, 0, sizeof(*t));
	dbc.schema = cfg->schema ? cfg->schema : "public";
	dbc.search_path = cfg->tenant;
	dbc.lock_timeout_ms = cfg->lock_timeout_ms;
	dbc.statement_timeout_ms = cfg->statement_timeout_ms;
	dbc.events = cfg->events;
	dbc.read_only = (needs & TARGET_READ_ONLY) != 0;
	if ((rc = db_open(&t->db, target_url(cfg), &dbc)) < 0)
		return rc;
	log_verbose("database %s (%s)", t->db->url_masked, t->db->ops->name);
	if (t->db->missing)
		log_notice("database %s does not exist yet: nothing is applied "
			   "there, and this command creates nothing",
		    t->db->url_masked);
	if (needs & TARGET_LOCK) {
		if ((rc = db_lock(t->db, cfg->lock_wait_ms)) < 0)
			return rc;
		t->locked = true;
		if ((rc = tables_ensure(t->db)) < 0)
			return rc;
		t->tables_exist = true;
	} else if ((rc = tables_look(t->db, &t->tables_exist, &layout)) < 0)
		return rc;
	if (t->tables_exist && (rc = history_load(t->db, &t->hist)) < 0)
		return rc;
	if (needs & TARGET_PLAN)
		return build_plan(t, cfg, (needs & TARGET_SUMS) != 0,
		    (needs & TARGET_KEEP) != 0);
	return 0;
}

int
target_reload(struct target *t)
{
	int rc;

	plan_free(&t->plan);
	history_free(&t->hist);
	if (t->tables_exist && (rc = history_load(t->db, &t->hist)) < 0)
		return rc;
	return plan_build(&t->plan, &t->scan, t->db->ops->dialect, &t->hist,
	    NULL, NULL);
}

int
target_current(struct target *t, int64_t *current)
{
	struct history h;
	size_t         i;
	int            rc;

	*current = 0;
	if (!t->tables_exist)
		return 0;
	if ((rc = history_load(t->db, &h)) < 0)
		return rc;
	for (i = 0; i < h.n; i++)
		if (row_is_current(&h.v[i]) && h.v[i].version > *current)
			*current = h.v[i].version;
	history_free(&h);
	return 0;
}

void
target_close(struct target *t)
{
	if (t->db == NULL)
		return;
	if (t->locked)
		db_unlock(t->db);
	db_close(t->db);
	t->db = NULL;
	t->locked = false;
}
