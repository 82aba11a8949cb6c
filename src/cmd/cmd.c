/*
 * cmd.c - the command table and the steps commands share.
 */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/duration.h"
#include "../core/sumcache.h"
#include "../core/tables.h"
#include "../util/buf.h"
#include "../util/log.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_status_entry,
	&cmd_current_entry,
	&cmd_up_entry,
	&cmd_rollback_entry,
	&cmd_validate_entry,
	&cmd_log_entry,
	&cmd_new_entry,
	&cmd_baseline_entry,
	&cmd_repair_entry,
	NULL,
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

int
ctx_open(struct ctx *ctx, bool write)
{
	struct db_config cfg;
	const char *url = ctx->db_url;
	int rc, version;

	if (url == NULL)
		url = env_nonempty("STRATA_DB");
	if (url == NULL)
		url = env_nonempty("DATABASE_URL");
	if (url == NULL)
		url = "sqlite:strata.db";
	cfg.schema = ctx->schema ? ctx->schema : "public";
	cfg.lock_timeout_ms = ctx->lock_timeout_ms;
	cfg.statement_timeout_ms = ctx->statement_timeout_ms;
	if ((rc = db_open(&ctx->db, url, &cfg)) < 0)
		return rc;
	log_verbose("database %s (%s)", ctx->db->url_masked,
	    ctx->db->ops->name);
	if (write) {
		if ((rc = ctx->db->ops->lock(ctx->db, ctx->lock_wait_ms)) < 0)
			return rc;
		ctx->locked = true;
		if ((rc = tables_ensure(ctx->db)) < 0)
			return rc;
		ctx->tables_exist = true;
	} else if ((rc = tables_look(ctx->db, &ctx->tables_exist,
	    &version)) < 0)
		return rc;
	if (ctx->tables_exist)
		return history_load(ctx->db, &ctx->hist);
	return 0;
}

/*
 * ctx_open, then the folders: scanned, and each file's checksum taken (from
 * the cache when `sums`), joined with the history into the plan.
 */
int
ctx_open_plan(struct ctx *ctx, bool write, bool sums)
{
	struct sumcache *up = NULL, *down = NULL;
	int rc;

	if ((rc = ctx_open(ctx, write)) < 0)
		return rc;
	if ((rc = scan_dirs(&ctx->scan, ctx->mig_dir, ctx->rb_dir)) < 0)
		return rc;
	if (sums) {
		up = sumcache_open(ctx->mig_dir);
		down = sumcache_open(ctx->rb_dir);
	}
	rc = plan_build(&ctx->plan, &ctx->scan, ctx->db->ops->dialect,
	    &ctx->hist, up, down);
	sumcache_close(up);
	sumcache_close(down);
	return rc;
}

int
ctx_reload(struct ctx *ctx)
{
	plan_free(&ctx->plan);
	history_free(&ctx->hist);
	if (ctx->tables_exist) {
		int rc = history_load(ctx->db, &ctx->hist);

		if (rc < 0)
			return rc;
	}
	return plan_build(&ctx->plan, &ctx->scan, ctx->db->ops->dialect,
	    &ctx->hist, NULL, NULL);
}

/*
 * At exit: release the lock and close the database (SQLite checkpoints
 * and removes its WAL; PostgreSQL ends the session). The plan, the
 * history and the scan are left to exit(2): freeing their thousands of
 * blocks one by one was a thirtieth of a `status` of 500. They stay
 * reachable from the ctx, static in main, so leak checkers see no leak.
 */
void
ctx_close(struct ctx *ctx)
{
	if (ctx->db) {
		if (ctx->locked)
			ctx->db->ops->unlock(ctx->db);
		db_close(ctx->db);
		ctx->db = NULL;
	}
}

int
parse_version(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= VERSION_MAX_DIGITS)
			return err_set(EXIT_USAGE, "'%s' is not a version (1 to "
			    "18 digits)", s);
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return err_set(EXIT_USAGE, "empty version");
	*out = v;
	return 0;
}

int
parse_count(const char *s, const char *what, int64_t *out)
{
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000000)
		return err_set(EXIT_USAGE, "%s '%s' is not a count", what, s);
	*out = v;
	return 0;
}

void
json_emit(struct buf *doc)
{
	buf_addch(doc, '\n');
	out_write(doc->ptr, doc->len);
}

void
json_db_head(struct json *j, const struct ctx *ctx)
{
	json_key(j, "database");
	json_string(j, ctx->db->url_masked);
	json_key(j, "dialect");
	json_string(j, ctx->db->ops->name);
}

void
print_plan_json(struct json *j, const struct db *db, struct migration **ms,
    size_t n, bool down, int jobs)
{
	size_t i, k;

	json_key(j, "plan");
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		struct sqlfile *f = down ? &ms[i]->down : &ms[i]->up;
		struct segment_list segs;
		size_t from = runner_resume_at(ms[i], down);

		runner_segments(db, ms[i], down, jobs, &segs);
		json_object_begin(j);
		json_key(j, "version");
		json_int(j, ms[i]->version);
		json_key(j, "name");
		json_string(j, ms[i]->name);
		json_key(j, "direction");
		json_string(j, down ? "down" : "up");
		json_key(j, "file");
		json_string(j, f->path);
		if (from > 0) {
			json_key(j, "resume_at_statement");
			json_int(j, (int64_t)from + 1);
		}
		json_key(j, "segments");
		json_array_begin(j);
		for (k = 0; k < segs.n; k++) {
			json_object_begin(j);
			json_key(j, "transactional");
			json_bool(j, segs.v[k].tx);
			if (segs.v[k].parallel && segs.v[k].count > 1) {
				json_key(j, "parallel");
				json_int(j, segs.v[k].count < (size_t)jobs ?
				    (int64_t)segs.v[k].count : jobs);
			}
			json_key(j, "first_statement");
			json_int(j, (int64_t)segs.v[k].first + 1);
			json_key(j, "statements");
			json_int(j, (int64_t)segs.v[k].count);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
		segment_list_free(&segs);
	}
	json_array_end(j);
}

void
print_plan_human(const struct db *db, struct migration **ms, size_t n,
    bool down, int jobs)
{
	size_t i, k;

	if (n == 0) {
		out_printf("nothing to %s\n", down ? "roll back" : "apply");
		return;
	}
	out_printf("would %s %zu version%s:\n", down ? "roll back" : "apply",
	    n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		struct sqlfile *f = down ? &ms[i]->down : &ms[i]->up;
		struct segment_list segs;
		size_t from = runner_resume_at(ms[i], down);

		runner_segments(db, ms[i], down, jobs, &segs);
		out_printf("  %s %lld %s  %s\n", down ? "down" : "up",
		    (long long)ms[i]->version, ms[i]->name, f->path);
		if (from > 0)
			out_printf("      resume at statement %zu of %zu\n",
			    from + 1, f->stmts.n);
		for (k = 0; k < segs.n; k++) {
			const struct stmt *s = &f->stmts.v[segs.v[k].first];

			if (segs.v[k].tx)
				out_printf("      transaction: %zu statement%s "
				    "(line %d)\n", segs.v[k].count,
				    segs.v[k].count == 1 ? "" : "s", s->line);
			else if (segs.v[k].parallel && segs.v[k].count > 1)
				out_printf("      in parallel over up to %zu "
				    "connections: %zu index statements (line "
				    "%d)\n", segs.v[k].count < (size_t)jobs ?
				    segs.v[k].count : (size_t)jobs,
				    segs.v[k].count, s->line);
			else
				out_printf("      outside a transaction: %s "
				    "(line %d)\n", stmt_kind_name(s->kind),
				    s->line);
		}
		segment_list_free(&segs);
	}
}

int
run_opt(struct ctx *ctx, struct run_opts *o, bool *dry_run, int id,
    const char *arg)
{
	int64_t n;

	switch (id) {
	case RUN_OPT_DRY_RUN:
		*dry_run = true;
		return 0;
	case RUN_OPT_JOBS:
		if (parse_count(arg, "--jobs", &n) < 0)
			return -EXIT_USAGE;
		if (n < 1 || n > 64)
			return err_set(EXIT_USAGE, "--jobs takes 1 to 64");
		o->jobs = (int)n;
		return 0;
	case RUN_OPT_RETRIES:
		if (parse_count(arg, "--retries", &n) < 0)
			return -EXIT_USAGE;
		if (n > 1000)
			return err_set(EXIT_USAGE, "--retries takes 0 to 1000");
		o->retries = (int)n;
		return 0;
	case RUN_OPT_LOCK_TIMEOUT:
	case RUN_OPT_STATEMENT_TIMEOUT:
		if (duration_parse(arg, &n) < 0)
			return err_set(EXIT_USAGE, "%s '%s' is not a duration "
			    "(500ms, 5s, 2m)", id == RUN_OPT_LOCK_TIMEOUT ?
			    "--lock-timeout" : "--statement-timeout", arg);
		if (id == RUN_OPT_LOCK_TIMEOUT)
			ctx->lock_timeout_ms = n;
		else
			ctx->statement_timeout_ms = n;
		return 0;
	}
	return err_set(EXIT_USAGE, "internal: option %d", id);
}

int
run_finish(struct ctx *ctx, bool down)
{
	struct buf doc = BUF_INIT;
	struct json j;
	size_t i;
	int rc;

	/* Only the history changed: read it again, not every file. */
	if (ctx->tables_exist) {
		struct history h = { NULL, 0, 0 };

		if ((rc = history_load(ctx->db, &h)) < 0)
			return rc;
		ctx->plan.current = 0;
		for (i = 0; i < h.n; i++)
			if (row_is_applied(&h.v[i]) &&
			    h.v[i].version > ctx->plan.current)
				ctx->plan.current = h.v[i].version;
		history_free(&h);
	}
	if (!ctx->json) {
		if (ctx->report.n == 0)
			out_printf("nothing to %s; ", down ? "roll back" :
			    "apply");
		out_printf("current version: %lld\n",
		    (long long)ctx->plan.current);
		return 0;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, down ? "rolled_back" : "applied");
	json_array_begin(&j);
	for (i = 0; i < ctx->report.n; i++) {
		const struct run_item *it = &ctx->report.v[i];

		json_object_begin(&j);
		json_key(&j, "version");
		json_int(&j, it->version);
		json_key(&j, "name");
		json_string(&j, it->name);
		json_key(&j, "duration_ms");
		json_int(&j, it->duration_ms);
		json_key(&j, "statements");
		json_int(&j, (int64_t)it->statements);
		json_object_end(&j);
	}
	json_array_end(&j);
	if (ctx->checking) {
		json_key(&j, "rollbacks_checked");
		json_array_begin(&j);
		for (i = 0; i < ctx->nchecked; i++)
			json_int(&j, ctx->checked[i]);
		json_array_end(&j);
	}
	json_key(&j, "current");
	json_int(&j, ctx->plan.current);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
	return 0;
}

/* Print a dry-run plan as JSON or text. */
void
print_plan(struct ctx *ctx, struct migration **ms, size_t n, bool down,
    int jobs)
{
	struct buf doc = BUF_INIT;
	struct json j;

	if (!ctx->json) {
		print_plan_human(ctx->db, ms, n, down, jobs);
		return;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	print_plan_json(&j, ctx->db, ms, n, down, jobs);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}
