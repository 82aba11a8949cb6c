/*
 * repair.c - make the history agree with the files again, on purpose:
 * re-record checksums of changed files, clear failed runs, forget versions
 * whose files are gone. Each action is a row in the optimization log.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "cmd.h"

enum { REPAIR_DRY_RUN = 1, REPAIR_FORCE };

static const struct opt_spec repair_opts[] = {
	{ "dry-run", 0, false, REPAIR_DRY_RUN },
	{ "force", 0, false, REPAIR_FORCE },
	{ NULL, 0, false, 0 },
};

/* What repair does for one version, or NULL for nothing. */
static const char *
repair_action(const struct migration *m)
{
	if (m->row == NULL)
		return NULL;
	switch (m->state) {
	case STATE_DRIFTED: return "re-recorded checksum";
	case STATE_FAILED: return "cleared failed run";
	case STATE_MISSING: return "forgot version whose file is gone";
	default:
		return m->rollback_drift ? "re-recorded rollback checksum"
					 : NULL;
	}
}

static void
repair_one(struct db_writes *w, struct ctx *ctx, struct migration *m)
{
	struct history_row row;

	if (m->state == STATE_FAILED || m->state == STATE_MISSING) {
		history_delete(w, ctx->target.db, m->version);
		return;
	}
	row = *m->row;
	row.checksum = (char *)m->up.checksum;
	row.rollback_checksum = m->down_file ? (char *)m->down.checksum : NULL;
	/*
	 * An expanded version's file accepted as it is now: its expand part,
	 * as written now, is what ran, and without a contract line it has
	 * nothing left to run.
	 */
	if (row_is_expanded(m->row) && m->state == STATE_DRIFTED &&
	    runner_prepare(ctx->target.db, m, false) == 0) {
		row.completed = (int64_t)m->up.contract;
		if (!m->up.phased)
			row.state = "applied";
	}
	err_clear();
	history_put(w, ctx->target.db, &row, true);
}

static int
cmd_repair_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	int             id;

	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, repair_opts)) != OPT_END) {
		if (id == OPT_ERROR)
			return -EXIT_USAGE;
		if (id == OPT_POSITIONAL)
			return err_set(EXIT_USAGE,
			    "repair takes no argument "
			    "('%s')",
			    it.arg);
		if (id == REPAIR_FORCE)
			ctx->force = true;
		else
			ctx->dry_run = true;
	}
	return 0;
}

/*
 * A repair that would forget every recorded version is nearly always a
 * wrong or empty folder (a typo in -m, a checkout of the wrong branch):
 * the next `up` would run the whole history again.
 */
static int
forgets_everything(const struct ctx *ctx)
{
	size_t i, rows = 0, gone = 0;

	for (i = 0; i < ctx->target.plan.n; i++) {
		const struct migration *m = &ctx->target.plan.v[i];

		if (m->row == NULL)
			continue;
		rows++;
		if (m->state == STATE_MISSING)
			gone++;
	}
	if (rows == 0 || gone < rows)
		return 0;
	if (ctx->dry_run) {
		log_warn("repair would forget all %zu recorded versions: "
			 "it refuses to without --force",
		    rows);
		return 0;
	}
	return err_set(EXIT_USAGE,
	    "repair would forget all %zu recorded versions: none of their "
	    "files is in '%s'; check --migrations (the next up would run "
	    "them all again), or pass --force if that is really meant",
	    rows, ctx->cfg.mig_dir ? ctx->cfg.mig_dir : "sql");
}

static int
cmd_repair_exec(struct ctx *ctx)
{
	struct log_batch log = { NULL, 0, 0 };
	struct db_writes w = { NULL, 0, 0 };
	struct buf       doc = BUF_INIT;
	struct json      j;
	bool             dry_run = ctx->dry_run;
	size_t           i, n = 0;
	int              rc = 0;

	if (!ctx->force && (rc = forgets_everything(ctx)) < 0)
		return rc;
	if (!dry_run && (rc = db_begin(ctx->target.db)) < 0)
		return rc;
	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "dry_run");
	json_bool(&j, dry_run);
	json_key(&j, "repaired");
	json_array_begin(&j);
	for (i = 0; i < ctx->target.plan.n; i++) {
		struct migration *m = &ctx->target.plan.v[i];
		const char       *action = repair_action(m);
		struct log_entry *e;

		if (action == NULL)
			continue;
		n++;
		if (!dry_run) {
			repair_one(&w, ctx, m);
			e = log_batch_add(&log);
			time_iso_now(e->at);
			e->version = m->version;
			e->kind = KIND_REPAIR;
			e->text = xstrdup(action);
		}
		json_object_begin(&j);
		json_key(&j, "version");
		json_int(&j, m->version);
		json_key(&j, "name");
		json_string(&j, m->name);
		json_key(&j, "action");
		json_string(&j, action);
		json_object_end(&j);
		if (!ctx->json)
			out_printf("%s%lld %s: %s\n", dry_run ? "would: " : "",
			    (long long)m->version, m->name, action);
		if (!ctx->json && m->state == STATE_FAILED)
			out_printf("    %lld of its statements had completed: "
				   "check the database by hand\n",
			    (long long)m->row->completed);
	}
	if (!dry_run) {
		if ((rc = log_batch_send(ctx->target.db, &w, &log, true)) < 0)
			db_rollback(ctx->target.db);
	}
	db_writes_free(&w);
	log_batch_clear(&log);
	free(log.v);
	json_array_end(&j);
	json_object_end(&j);
	if (rc == 0 && ctx->json)
		json_emit(&doc);
	else if (rc == 0 && n == 0)
		out_printf("nothing to repair\n");
	buf_free(&doc);
	return rc;
}

static const struct cmd_option repair_help[] = {
	{ "--dry-run", "say what it would do; change nothing" },
	{ "--force", "also when it would forget every recorded version" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_repair_entry = {
	.name = "repair",
	.usage = "[--dry-run] [--force]",
	.summary = "re-record checksums from the files; clear failed runs",
	.options = repair_help,
	.flags = CMD_DB | CMD_WRITES | CMD_PLAN | CMD_ONE_DB,
	.parse = cmd_repair_parse,
	.exec = cmd_repair_exec,
};
