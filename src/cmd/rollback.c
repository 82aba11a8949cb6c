/*
 * rollback.c - undo applied versions with their rollback scripts, highest
 * first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../util/error.h"
#include "../util/log.h"
#include "cmd.h"

enum { RB_STEPS = 1, RB_TO };

static const struct opt_spec rollback_opts[] = {
	{ "steps", 'n', true, RB_STEPS },
	{ "to", 0, true, RB_TO },
	RUN_OPT_SPECS,
	{ NULL, 0, false, 0 },
};

/* May this version be rolled back, and is its file ready? */
static int
check_rollback(struct ctx *ctx, struct migration *m)
{
	int rc;

	if (m->row && !row_is_current(m->row) &&
	    !row_rollback_started(m->row)) {
		rc = err_set(EXIT_INVALID,
		    "version %lld (%s) is partly applied "
		    "(failed); finish it with 'strata up' (or 'strata "
		    "complete', when it stopped in its contract part) or "
		    "clear it with 'strata repair' before rolling back",
		    (long long)m->version, m->name);
		err_set_version(m->version);
		return rc;
	}
	if (m->down_file == NULL) {
		rc = err_set(EXIT_USAGE,
		    "version %lld (%s) has no rollback file "
		    "in '%s'",
		    (long long)m->version, m->name, ctx->cfg.rb_dir);
		err_set_version(m->version);
		return rc;
	}
	if (m->down.irreversible) {
		rc = err_set(EXIT_USAGE,
		    "version %lld (%s) is irreversible: "
		    "'%s' says '-- strata:irreversible'",
		    (long long)m->version, m->name, m->down.path);
		err_set_version(m->version);
		err_set_location(m->down.path, 0, 0);
		return rc;
	}
	if ((rc = runner_prepare(ctx->target.db, m, true)) < 0) {
		err_set_version(m->version);
		return rc;
	}
	if ((rc = runner_check_resume(m, true)) < 0)
		return rc;
	if (m->state == STATE_DRIFTED)
		report_warn(&ctx->report,
		    "version %lld (%s) changed after it "
		    "was applied; rolling it back with '%s'",
		    (long long)m->version, m->up.path, m->down.path);
	return 0;
}

static struct {
	struct run_opts run;
	bool            have_to;
	int64_t         steps;
	int64_t         to;
} args;

static int
cmd_rollback_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	bool            have_steps = false;
	int             id, rc = 0;

	args.run = (struct run_opts){ .retries = RUN_DEFAULT_RETRIES,
		.jobs = 1 };
	args.have_to = false;
	args.steps = 1;
	args.to = 0;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, rollback_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR: return -EXIT_USAGE;
		case OPT_POSITIONAL:
			return err_set(EXIT_USAGE,
			    "rollback takes no argument "
			    "('%s'); use --to V or --steps N",
			    it.arg);
		case RB_STEPS:
			if ((rc = parse_count(it.arg, "--steps", &args.steps)) <
			    0)
				return rc;
			have_steps = true;
			break;
		case RB_TO:
			if ((rc = parse_version(it.arg, &args.to)) < 0)
				return rc;
			args.have_to = true;
			break;
		default:
			if ((rc = run_opt(ctx, &args.run, id, it.arg)) < 0)
				return rc;
		}
	}
	if (args.have_to && have_steps)
		return err_set(EXIT_USAGE, "give --steps or --to, not both");
	return 0;
}

static int
cmd_rollback_exec(struct ctx *ctx)
{
	struct migration **todo = NULL;
	size_t             n = 0, bad = 0, i;
	int                rc = 0;

	if (args.have_to && (rc = run_check_to(ctx, args.to)) < 0)
		return rc;
	todo = xcalloc(ctx->target.plan.n + 1, sizeof(*todo));
	for (i = ctx->target.plan.n; i-- > 0;) {
		struct migration *m = &ctx->target.plan.v[i];

		if (m->row == NULL)
			continue;
		if (args.have_to ? m->version <= args.to
				 : (int64_t)(n + bad) >= args.steps)
			break;
		/* Every problem is kept and reported before anything runs. */
		if (check_rollback(ctx, m) < 0) {
			err_keep();
			bad++;
			continue;
		}
		todo[n++] = m;
	}
	runner_empty_report();
	if ((rc = err_kept_end()) < 0)
		goto done;
	if ((rc = runner_check_batches(ctx->target.db, todo, n, true,
		 &args.run)) < 0 ||
	    (rc = run_lint(ctx, todo, n, true)) < 0)
		goto done;
	if (ctx->dry_run) {
		print_plan(ctx, todo, n, true, args.run.jobs);
		goto done;
	}
	report_run_begin(&ctx->report, true);
	if ((rc = runner_down(ctx->target.db, todo, n, &args.run,
		 &ctx->report)) < 0)
		goto done;
	rc = run_finish(ctx);
done:
	free(todo);
	return rc;
}

static const struct cmd_option rollback_help[] = {
	{ "-n, --steps N", "undo the N highest versions (default 1)" },
	{ "--to V", "undo every version above V (0: all)" },
	RUN_OPTION_HELP,
	{ NULL, NULL },
};

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.usage = "[--steps N | --to V] [--dry-run] [--jobs N] "
		 "[--lock-timeout DURATION] [--retries N] "
		 "[--statement-timeout DURATION] [--lint warn|error|off] "
		 "[--max-replica-lag DURATION] [--batch-pause DURATION] "
		 "[--schema-file FILE]",
	.summary = "undo applied versions, highest first (default --steps 1; "
		   "--to 0 undoes all)",
	.options = rollback_help,
	.fleet_done = "ROLLED BACK",
	.flags = CMD_DB | CMD_WRITES | CMD_PLAN | CMD_SUMS | CMD_ALL_PROBLEMS,
	.parse = cmd_rollback_parse,
	.exec = cmd_rollback_exec,
};
