/*
 * up.c - apply pending migrations.
 *
 * Validates the whole plan (files, checksums, order, resume points) before
 * the first statement runs, then hands it to the runner.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../core/error.h"
#include "../util/log.h"
#include "cmd.h"

enum {
	UP_TO = 1, UP_OUT_OF_ORDER, UP_CHECK_ROLLBACKS, UP_SINGLE_TX,
};

static const struct opt_spec up_opts[] = {
	{ "to", 0, true, UP_TO },
	{ "out-of-order", 0, false, UP_OUT_OF_ORDER },
	{ "check-rollbacks", 0, false, UP_CHECK_ROLLBACKS },
	{ "single-transaction", 0, false, UP_SINGLE_TX },
	RUN_OPT_SPECS,
	{ NULL, 0, false, 0 },
};

/* --single-transaction cannot hold statements that refuse a transaction. */
static int
check_single_tx(struct migration **ms, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct sqlfile *f = &ms[i]->up;

		for (k = 0; k < f->stmts.n; k++) {
			const struct stmt *s = &f->stmts.v[k];

			if (!f->no_tx && !s->nontx)
				continue;
			err_set(EXIT_USAGE, "--single-transaction: version %lld "
			    "(%s) has statements that must run outside a "
			    "transaction (%s)", (long long)ms[i]->version,
			    f->path, f->no_tx ? "-- strata:no-transaction" :
			    stmt_kind_name(s->kind));
			err_set_version(ms[i]->version);
			err_set_location(f->path, s->line, s->column);
			return -EXIT_USAGE;
		}
	}
	return 0;
}

static int
cmd_up_exec(struct ctx *ctx, int argc, char **argv)
{
	struct run_opts opts = { false, RUN_DEFAULT_RETRIES, 1 };
	struct migration **todo = NULL;
	struct opt_iter it;
	bool dry_run = false, out_of_order = false, check_rollbacks = false;
	int64_t to = 0;
	size_t n = 0, i;
	int id, rc = 0;

	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, up_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR:
			return -EXIT_USAGE;
		case OPT_POSITIONAL:
			return err_set(EXIT_USAGE, "up takes no argument ('%s')",
			    it.arg);
		case UP_TO:
			if ((rc = parse_version(it.arg, &to)) < 0)
				return rc;
			break;
		case UP_OUT_OF_ORDER:
			out_of_order = true;
			break;
		case UP_CHECK_ROLLBACKS:
			check_rollbacks = true;
			break;
		case UP_SINGLE_TX:
			opts.single_tx = true;
			break;
		default:
			if ((rc = run_opt(ctx, &opts, &dry_run, id, it.arg)) < 0)
				return rc;
		}
	}
	if (check_rollbacks)
		return err_set(EXIT_USAGE, "--check-rollbacks is not available "
		    "in this build yet");

	if ((rc = ctx_open(ctx, !dry_run)) < 0 || (rc = ctx_load_plan(ctx)) < 0)
		return rc;
	if ((rc = plan_check_up(&ctx->plan, out_of_order, to)) < 0)
		return rc;

	todo = xcalloc(ctx->plan.n + 1, sizeof(*todo));
	for (i = 0; i < ctx->plan.n; i++) {
		struct migration *m = &ctx->plan.v[i];

		if (to > 0 && m->version > to)
			break;
		if (m->state == STATE_FAILED && m->row->rollback_completed > 0) {
			rc = err_set(EXIT_INVALID, "version %lld (%s) is partly "
			    "rolled back; finish with 'strata rollback' or "
			    "clear it with 'strata repair'",
			    (long long)m->version, m->name);
			err_set_version(m->version);
			goto done;
		}
		if (m->state != STATE_PENDING && m->state != STATE_FAILED &&
		    m->state != STATE_OUT_OF_ORDER)
			continue;
		if ((rc = runner_prepare_file(ctx->db->ops, &m->up)) < 0) {
			err_set_version(m->version);
			goto done;
		}
		if ((rc = runner_check_resume(m)) < 0)
			goto done;
		if (m->down_file == NULL)
			log_warn("version %lld (%s) has no rollback file",
			    (long long)m->version, m->up.path);
		todo[n++] = m;
	}
	if (opts.single_tx && (rc = check_single_tx(todo, n)) < 0)
		goto done;
	if (dry_run) {
		print_plan(ctx, todo, n, false);
		goto done;
	}
	ctx->report_key = "applied";
	if ((rc = runner_up(ctx->db, todo, n, &opts, &ctx->report)) < 0)
		goto done;
	rc = run_finish(ctx, false);
done:
	free(todo);
	return rc;
}

const struct cmd_entry cmd_up_entry = {
	.name = "up",
	.usage = "[--to V] [--dry-run] [--out-of-order] [--check-rollbacks] "
	    "[--single-transaction] [--jobs N] [--lock-timeout DURATION] "
	    "[--retries N] [--statement-timeout DURATION]",
	.summary = "apply pending migrations (all, or through --to V)",
	.flags = CMD_NEEDS_DB,
	.exec = cmd_up_exec,
};
