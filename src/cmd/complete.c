/*
 * complete.c - run the contract part of expanded versions, in version
 * order, once the application no longer needs what it removes.
 */
#include <stdlib.h>

#include "../util/error.h"
#include "cmd.h"

enum { COMPLETE_TO = 1 };

static const struct opt_spec complete_opts[] = {
	{ "to", 0, true, COMPLETE_TO },
	RUN_OPT_SPECS,
	{ NULL, 0, false, 0 },
};

static struct {
	struct run_opts run;
	int64_t         to;
} args;

static int
cmd_complete_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	int             id, rc;

	args.run = (struct run_opts){ .retries = RUN_DEFAULT_RETRIES,
		.jobs = 1 };
	args.to = 0;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, complete_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR: return -EXIT_USAGE;
		case OPT_POSITIONAL:
			return err_set(EXIT_USAGE,
			    "complete takes no argument ('%s'); use --to V",
			    it.arg);
		case COMPLETE_TO:
			if ((rc = parse_version(it.arg, &args.to)) < 0)
				return rc;
			break;
		default:
			if ((rc = run_opt(ctx, &args.run, id, it.arg)) < 0)
				return rc;
		}
	}
	return 0;
}

/*
 * Is the version's contract part to run: expanded, or stopped part-way
 * through its contract part (failed there)?
 */
static bool
wants_contract(struct ctx *ctx, struct migration *m)
{
	if (m->state == STATE_EXPANDED)
		return true;
	if (m->state != STATE_FAILED || row_rollback_started(m->row) ||
	    m->up_file == NULL)
		return false;
	if (runner_prepare(ctx->target.db, m, false) < 0) {
		err_set_version(m->version);
		err_keep();
		return false;
	}
	return m->up.phased && runner_resume_at(m, false) >= m->up.contract;
}

static int
cmd_complete_exec(struct ctx *ctx)
{
	struct migration **todo;
	size_t             n = 0, i;
	int                rc;

	if ((rc = run_check_to(ctx, args.to)) < 0)
		return rc;
	/* Drift of either part, or a missing file, refuses the run. */
	plan_check_up(&ctx->target.plan, true, args.to);
	todo = xcalloc(ctx->target.plan.n + 1, sizeof(*todo));
	for (i = 0; i < ctx->target.plan.n; i++) {
		struct migration *m = &ctx->target.plan.v[i];

		if (args.to > 0 && m->version > args.to)
			break;
		if (!wants_contract(ctx, m))
			continue;
		m->part = PART_CONTRACT;
		if (runner_prepare(ctx->target.db, m, false) < 0) {
			err_set_version(m->version);
			err_keep();
			continue;
		}
		if (runner_check_resume(m, false) < 0) {
			err_keep();
			continue;
		}
		todo[n++] = m;
	}
	runner_empty_report();
	if ((rc = err_kept_end()) < 0)
		goto done;
	if ((rc = runner_check_batches(ctx->target.db, todo, n, false,
		 &args.run)) < 0 ||
	    (rc = run_lint(ctx, todo, n, false)) < 0)
		goto done;
	ctx->report.completing = true;
	if (ctx->dry_run) {
		print_plan(ctx, todo, n, false, args.run.jobs);
		goto done;
	}
	report_run_begin(&ctx->report, false);
	if ((rc = runner_up(ctx->target.db, todo, n, &args.run, &ctx->report)) <
	    0)
		goto done;
	rc = run_finish(ctx);
done:
	free(todo);
	return rc;
}

static const struct cmd_option complete_help[] = {
	{ "--to V", "complete the expanded versions through V only" },
	RUN_OPTION_HELP,
	{ NULL, NULL },
};

const struct cmd_entry cmd_complete_entry = {
	.name = "complete",
	.usage = "[--to V] [--dry-run] [--jobs N] [--lock-timeout DURATION] "
		 "[--retries N] [--statement-timeout DURATION] "
		 "[--lint warn|error|off] [--max-replica-lag DURATION] "
		 "[--batch-pause DURATION] [--schema-file FILE]",
	.summary = "run the contract part of expanded versions, in version "
		   "order (all, or through --to V)",
	.options = complete_help,
	.fleet_done = "COMPLETED",
	.flags = CMD_DB | CMD_WRITES | CMD_PLAN | CMD_SUMS | CMD_ALL_PROBLEMS,
	.parse = cmd_complete_parse,
	.exec = cmd_complete_exec,
};
