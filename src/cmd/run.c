/*
 * run.c - what up and rollback share: their options, the dry run's plan,
 * and the result once the run is over.
 */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lint/lint.h"
#include "lint_db.h"
#include "../lint/output.h"
#include "../sql/batch.h"
#include "../util/duration.h"
#include "../util/error.h"
#include "../util/log.h"

/* A backfill's key and size, when its table is there to ask. */
static void
batch_json(struct json *j, struct db *db, const struct stmt *s)
{
	struct table_key k;
	size_t           i;

	if (runner_batch_key(db, s, &k) < 0)
		err_clear();
	json_key(j, "batch");
	json_object_begin(j);
	json_key(j, "size");
	if (s->batch->repeat)
		json_null(j);
	else
		json_int(j, s->batch->size);
	json_key(j, "repeat");
	json_bool(j, s->batch->repeat);
	json_key(j, "key");
	if (k.n == 0)
		json_null(j);
	else {
		json_array_begin(j);
		for (i = 0; i < k.n; i++)
			json_string(j, k.names[i]);
		json_array_end(j);
	}
	json_key(j, "estimated_rows");
	if (k.exists && k.estimate >= 0)
		json_int(j, k.estimate);
	else
		json_null(j);
	json_object_end(j);
	table_key_free(&k);
}

static void
batch_human(struct db *db, const struct stmt *s)
{
	struct table_key k;
	struct buf       key = BUF_INIT;
	size_t           i;

	if (s->batch->repeat) {
		out_printf("      in batches: %s, repeated until it changes no "
			   "rows (line %d)\n",
		    stmt_kind_name(s->kind), s->line);
		return;
	}
	if (runner_batch_key(db, s, &k) < 0)
		err_clear();
	for (i = 0; i < k.n; i++)
		buf_addf(&key, "%s%s", i ? ", " : "", k.names[i]);
	if (k.n > 0)
		out_printf("      in batches: %s of %s, %lld rows a batch by "
			   "key (%s), ~%lld rows (line %d)\n",
		    stmt_kind_name(s->kind), s->batch->table,
		    (long long)s->batch->size, key.ptr, (long long)k.estimate,
		    s->line);
	else
		out_printf("      in batches: %s of %s, %lld rows a batch "
			   "(%s) (line %d)\n",
		    stmt_kind_name(s->kind), s->batch->table,
		    (long long)s->batch->size,
		    k.exists ? "the table has no key to walk"
			     : "its key is read when the table exists",
		    s->line);
	buf_free(&key);
	table_key_free(&k);
}

/*
 * The partitions a statement of the segment will be done on one by one:
 * the dry run shows them (JSON: as "partitions").
 */
static void
plan_partitions(struct db *db, const struct sqlfile *f,
    const struct segment *seg, struct json *j)
{
	size_t i, k, n;
	char **names;

	for (i = seg->first; i < seg->first + seg->count; i++) {
		if ((n = db_partitions(db, &f->stmts.v[i], &names)) == 0) {
			free(names);
			continue;
		}
		if (j != NULL) {
			json_key(j, "partitions");
			json_array_begin(j);
		} else
			out_printf("        line %d, partition by partition "
				   "(%zu):",
			    f->stmts.v[i].line, n);
		for (k = 0; k < n; k++) {
			if (j != NULL)
				json_string(j, names[k]);
			else
				out_printf("%s %s", k ? "," : "", names[k]);
			free(names[k]);
		}
		if (j != NULL)
			json_array_end(j);
		else
			out_printf("\n");
		free(names);
		if (j != NULL)
			break; /* one list a segment in JSON */
	}
}

/* Where a stopped run resumes; 0 when none stopped (expanded is not). */
static size_t
resume_point(const struct migration *m, bool down)
{
	return row_is_expanded(m->row) ? 0 : runner_resume_at(m, down);
}

/* Which part of a phased version runs, or NULL for the whole file. */
static const char *
part_name(const struct migration *m, bool down)
{
	if (down || !m->up.phased || m->part == PART_ALL)
		return NULL;
	return m->part == PART_EXPAND ? "expand" : "contract";
}

static void
print_plan_json(struct json *j, struct db *db, struct migration **ms, size_t n,
    bool down, int jobs)
{
	size_t i, k;

	json_key(j, "plan");
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		struct sqlfile     *f = down ? &ms[i]->down : &ms[i]->up;
		struct segment_list segs;
		size_t              from = resume_point(ms[i], down);

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
		if (part_name(ms[i], down) != NULL) {
			json_key(j, "phase");
			json_string(j, part_name(ms[i], down));
		}
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
				json_int(j,
				    segs.v[k].count < (size_t)jobs
					? (int64_t)segs.v[k].count
					: jobs);
			}
			json_key(j, "first_statement");
			json_int(j, (int64_t)segs.v[k].first + 1);
			json_key(j, "statements");
			json_int(j, (int64_t)segs.v[k].count);
			if (f->stmts.v[segs.v[k].first].batch != NULL)
				batch_json(j, db, &f->stmts.v[segs.v[k].first]);
			if (!segs.v[k].tx)
				plan_partitions(db, f, &segs.v[k], j);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
		segment_list_free(&segs);
	}
	json_array_end(j);
}

static void
print_plan_human(struct db *db, struct migration **ms, size_t n, bool down,
    int jobs, bool completing)
{
	const char *verb = completing ? "complete"
	    : down                    ? "roll back"
				      : "apply";
	size_t      i, k;

	if (n == 0) {
		out_printf("nothing to %s\n", verb);
		return;
	}
	out_printf("would %s %zu version%s:\n", verb, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		struct sqlfile     *f = down ? &ms[i]->down : &ms[i]->up;
		struct segment_list segs;
		size_t              from = resume_point(ms[i], down);

		runner_segments(db, ms[i], down, jobs, &segs);
		out_printf("  %s %lld %s  %s\n",
		    down ? "down"
			: part_name(ms[i], down) != NULL
			? part_name(ms[i], down)
			: "up",
		    (long long)ms[i]->version, ms[i]->name, f->path);
		if (from > 0)
			out_printf("      resume at statement %zu of %zu\n",
			    from + 1, f->stmts.n);
		for (k = 0; k < segs.n; k++) {
			const struct stmt *s = &f->stmts.v[segs.v[k].first];

			if (s->batch != NULL)
				batch_human(db, s);
			else if (segs.v[k].tx)
				out_printf("      transaction: %zu statement%s "
					   "(line %d)\n",
				    segs.v[k].count,
				    segs.v[k].count == 1 ? "" : "s", s->line);
			else if (segs.v[k].parallel && segs.v[k].count > 1)
				out_printf(
				    "      in parallel over up to %zu "
				    "connections: %zu index statements (line "
				    "%d)\n",
				    segs.v[k].count < (size_t)jobs
					? segs.v[k].count
					: (size_t)jobs,
				    segs.v[k].count, s->line);
			else
				out_printf("      outside a transaction: %s "
					   "(line %d)\n",
				    stmt_kind_name(s->kind), s->line);
			if (!segs.v[k].tx)
				plan_partitions(db, f, &segs.v[k], NULL);
		}
		segment_list_free(&segs);
	}
}

/* --schema-file's folder must be there before anything runs. */
static int
schema_file_check(struct ctx *ctx, const char *path)
{
	const char *slash = strrchr(path, '/');
	char       *dir;
	struct stat st;
	int         rc = 0;

	ctx->schema_file = path;
	if (*path == '\0')
		return err_set(EXIT_USAGE, "--schema-file needs a file name");
	if (slash == NULL)
		return 0;
	dir = slash == path ? xstrdup("/")
			    : xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		rc = err_set(EXIT_USAGE,
		    "--schema-file '%s': no folder '%s' to write it in", path,
		    dir);
	free(dir);
	return rc;
}

int
run_opt(struct ctx *ctx, struct run_opts *o, int id, const char *arg)
{
	int64_t n;

	switch (id) {
	case RUN_OPT_DRY_RUN: ctx->dry_run = true; return 0;
	case RUN_OPT_SCHEMA_FILE: return schema_file_check(ctx, arg);
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
	case RUN_OPT_LINT:
		if (strcmp(arg, "warn") == 0)
			ctx->lint_mode = LINT_MODE_WARN;
		else if (strcmp(arg, "error") == 0)
			ctx->lint_mode = LINT_MODE_ERROR;
		else if (strcmp(arg, "off") == 0)
			ctx->lint_mode = LINT_MODE_OFF;
		else
			return err_set(EXIT_USAGE,
			    "--lint takes warn, error or "
			    "off, not '%s'",
			    arg);
		return 0;
	case RUN_OPT_MAX_REPLICA_LAG:
	case RUN_OPT_BATCH_PAUSE:
		if (duration_parse(arg, &n) < 0)
			return err_set(EXIT_USAGE,
			    "%s '%s' is not a duration (500ms, 5s, 2m)",
			    id == RUN_OPT_BATCH_PAUSE ? "--batch-pause"
						      : "--max-replica-lag",
			    arg);
		if (id == RUN_OPT_BATCH_PAUSE)
			o->batch_pause_ms = n;
		else {
			o->replica_lag = true;
			o->max_replica_lag_ms = n;
		}
		return 0;
	case RUN_OPT_LOCK_TIMEOUT:
	case RUN_OPT_STATEMENT_TIMEOUT:
		if (duration_parse(arg, &n) < 0)
			return err_set(EXIT_USAGE,
			    "%s '%s' is not a duration "
			    "(500ms, 5s, 2m)",
			    id == RUN_OPT_LOCK_TIMEOUT ? "--lock-timeout"
						       : "--statement-timeout",
			    arg);
		if (id == RUN_OPT_LOCK_TIMEOUT)
			ctx->cfg.lock_timeout_ms = n;
		else
			ctx->cfg.statement_timeout_ms = n;
		return 0;
	}
	return err_set(EXIT_USAGE, "internal: option %d", id);
}

/* Whether a repeatable migration would run: new, changed or failed. */
static bool
repeatables_pending(const struct ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->target.plan.rn; i++)
		if (ctx->target.plan.rv[i].state != REP_APPLIED)
			return true;
	return false;
}

int
run_lint(struct ctx *ctx, struct migration **ms, size_t n, bool down)
{
	struct db           *db = ctx->target.db;
	struct lint_options  o;
	struct lint_run      run;
	struct lint_excludes excl;
	const char          *env = getenv("STRATA_LINT_EXCLUDE");
	size_t               errors;
	int                  rc;

	if (ctx->lint_mode == LINT_MODE_OFF ||
	    (n == 0 && !(ctx->repeatables && repeatables_pending(ctx))))
		return 0;
	memset(&o, 0, sizeof(o));
	memset(&excl, 0, sizeof(excl));
	if (env && *env && (rc = lint_exclude_add(&excl, env)) < 0) {
		err_prefix("$STRATA_LINT_EXCLUDE");
		return rc;
	}
	o.pg_version = db->server_version > 0 ? db->server_version : 150000;
	o.lock_timeout_ms = ctx->cfg.lock_timeout_ms;
	o.exclude = excl.v;
	/* Tables an earlier file of this run creates are new too. */
	o.carry_new = true;
	lint_init(&run, &o);
	if ((!down &&
		(rc = lint_note_expanded_versions(db, &run,
		     &ctx->target.plan)) < 0) ||
	    (rc = lint_migrations(db, &run, ms, n, down)) < 0 ||
	    (!down && ctx->repeatables &&
		(rc = lint_repeatables(db, &run, &ctx->target.plan)) < 0)) {
		lint_free(&run);
		return rc;
	}
	lint_sort(&run);
	lint_output_stderr(&run);
	errors = lint_count(&run, SEV_ERROR);
	lint_free(&run);
	if (errors > 0 && ctx->lint_mode == LINT_MODE_ERROR)
		return err_set(EXIT_INVALID,
		    "lint found %zu error%s in what "
		    "this run would %s; nothing was run (--lint warn runs it "
		    "anyway, with the findings shown)",
		    errors, errors == 1 ? "" : "s",
		    down ? "roll back" : "apply");
	return 0;
}

int
run_check_to(const struct ctx *ctx, int64_t to)
{
	size_t i;

	if (to == 0)
		return 0;
	for (i = 0; i < ctx->target.plan.n; i++)
		if (ctx->target.plan.v[i].version == to)
			return 0;
	return err_set(EXIT_USAGE,
	    "--to %lld: no such version in the files or the history (0 "
	    "means all)",
	    (long long)to);
}

int
run_finish(struct ctx *ctx)
{
	int64_t current;
	int     rc;

	/* Only the history changed: read it again, not every file. */
	if ((rc = target_current(&ctx->target, &current)) < 0)
		return rc;
	ctx->target.plan.current = current;
	/* The run is done: a failure now is not "nothing ran" (exit 1). */
	if (ctx->schema_file != NULL && !ctx->dry_run &&
	    (rc = schema_write_file(ctx->target.db, ctx->schema_file)) < 0)
		return err_set_code(EXIT_FAILED);
	report_run_end(&ctx->report, current);
	return 0;
}

/* Print a dry-run plan as JSON or text. */
void
print_plan(struct ctx *ctx, struct migration **ms, size_t n, bool down,
    int jobs)
{
	struct buf   doc = BUF_INIT;
	struct json  j;
	size_t       i, pending = 0;
	struct plan *p = &ctx->target.plan;

	for (i = 0; ctx->repeatables && i < p->rn; i++)
		pending += p->rv[i].state != REP_APPLIED;
	if (!ctx->json) {
		if (n > 0 || pending == 0)
			print_plan_human(ctx->target.db, ms, n, down, jobs,
			    ctx->report.completing);
		if (pending > 0)
			out_printf("then %zu repeatable%s, each in one "
				   "transaction:\n",
			    pending, pending == 1 ? "" : "s");
		for (i = 0; pending > 0 && i < p->rn; i++)
			if (p->rv[i].state != REP_APPLIED)
				out_printf("  R %s  %s (%s)\n", p->rv[i].name,
				    p->rv[i].sql.path,
				    rep_state_name(p->rv[i].state));
		return;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	print_plan_json(&j, ctx->target.db, ms, n, down, jobs);
	if (ctx->repeatables) {
		json_key(&j, "repeatables");
		json_array_begin(&j);
		for (i = 0; i < p->rn; i++) {
			if (p->rv[i].state == REP_APPLIED)
				continue;
			json_object_begin(&j);
			json_key(&j, "repeatable");
			json_string(&j, p->rv[i].name);
			json_key(&j, "state");
			json_string(&j, rep_state_name(p->rv[i].state));
			json_key(&j, "checksum");
			json_string(&j, p->rv[i].sql.checksum);
			json_key(&j, "file");
			json_string(&j, p->rv[i].sql.path);
			json_object_end(&j);
		}
		json_array_end(&j);
	}
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}
