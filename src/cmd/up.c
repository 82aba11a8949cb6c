/*
 * up.c - apply pending migrations.
 *
 * Validates the whole plan (files, checksums, order, resume points) before
 * the first statement runs, then hands it to the runner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../core/check_rollbacks.h"
#include "../core/repeatable.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "cmd.h"

enum {
	UP_TO = 1,
	UP_OUT_OF_ORDER,
	UP_CHECK_ROLLBACKS,
	UP_SINGLE_TX,
	UP_COMPLETE,
};

static const struct opt_spec up_opts[] = {
	{ "to", 0, true, UP_TO },
	{ "out-of-order", 0, false, UP_OUT_OF_ORDER },
	{ "check-rollbacks", 0, false, UP_CHECK_ROLLBACKS },
	{ "single-transaction", 0, false, UP_SINGLE_TX },
	{ "complete", 0, false, UP_COMPLETE },
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

			/* The contract part: its own, later run (or one tx). */
			if (f->phased && k == f->contract) {
				if (ms[i]->part == PART_EXPAND)
					break;
				if (!f->no_tx && !s->nontx)
					continue;
			}
			if (!f->no_tx && !s->nontx && !s->commit_before)
				continue;
			err_set(EXIT_USAGE,
			    "--single-transaction: version %lld "
			    "(%s) has statements that must run outside a "
			    "transaction (%s)",
			    (long long)ms[i]->version, f->path,
			    f->no_tx               ? "-- strata:no-transaction"
				: s->commit_before ? "-- strata:commit"
				: s->batch
				? "-- strata:batch: a backfill commits "
				  "each batch"
				: stmt_kind_name(s->kind));
			err_set_version(ms[i]->version);
			err_set_location(f->path, s->line, s->column);
			return -EXIT_USAGE;
		}
	}
	return 0;
}

/* Does `up --to` (0: all) reach past the highest version known? */
static bool
runs_repeatables(const struct plan *p, int64_t to)
{
	return to == 0 || p->n == 0 || to >= p->v[p->n - 1].version;
}

static struct {
	struct run_opts run;
	bool            out_of_order;
	bool            check_rollbacks;
	bool            ignore_column_order; /* =ignore-column-order */
	bool            complete; /* --complete: contract parts too */
	int64_t         to;
} args;

/*
 * --check-rollbacks needs every version's rollback, ready to run, before
 * the first statement: each is a requested rollback, so a missing file is
 * exit 2 (SPEC §4), as for 'strata rollback'.
 */
static int
check_rollbacks_ready(struct ctx *ctx, struct migration **ms, size_t n)
{
	size_t i;
	int    rc;

	for (i = 0; i < n; i++) {
		struct migration *m = ms[i];

		if (m->down_file == NULL) {
			rc = err_set(EXIT_USAGE,
			    "--check-rollbacks: version "
			    "%lld (%s) has no rollback file in '%s'",
			    (long long)m->version, m->up.path, ctx->cfg.rb_dir);
			err_set_version(m->version);
			return rc;
		}
		if (m->down.irreversible)
			continue;
		if ((rc = runner_prepare(ctx->target.db, m, true)) < 0) {
			err_set_version(m->version);
			return rc;
		}
	}
	return 0;
}

/*
 * --check-rollbacks=ignore-column-order, the one flag that takes a value:
 * read here, and left as the plain flag for the option parser.
 */
static int
check_rollbacks_mode(int argc, char **argv)
{
	static char flag[] = "--check-rollbacks";
	int         i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v;

		if (strncmp(argv[i], "--check-rollbacks=", 18) != 0)
			continue;
		v = argv[i] + 18;
		if (strcmp(v, "ignore-column-order") != 0)
			return err_set(EXIT_USAGE,
			    "--check-rollbacks takes no value but "
			    "'ignore-column-order' ('%s')",
			    v);
		args.ignore_column_order = true;
		argv[i] = flag;
	}
	return 0;
}

static int
cmd_up_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	int             id, rc = 0;

	memset(&args, 0, sizeof(args));
	args.run = (struct run_opts){ .retries = RUN_DEFAULT_RETRIES,
		.jobs = 1 };
	if ((rc = check_rollbacks_mode(argc, argv)) < 0)
		return rc;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, up_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR: return -EXIT_USAGE;
		case OPT_POSITIONAL:
			return err_set(EXIT_USAGE,
			    "up takes no argument ('%s')", it.arg);
		case UP_TO:
			if ((rc = parse_version(it.arg, &args.to)) < 0)
				return rc;
			break;
		case UP_OUT_OF_ORDER: args.out_of_order = true; break;
		case UP_CHECK_ROLLBACKS: args.check_rollbacks = true; break;
		case UP_SINGLE_TX: args.run.single_tx = true; break;
		case UP_COMPLETE: args.complete = true; break;
		default:
			if ((rc = run_opt(ctx, &args.run, id, it.arg)) < 0)
				return rc;
		}
	}
	if (args.check_rollbacks && args.run.single_tx)
		return err_set(EXIT_USAGE,
		    "--check-rollbacks applies versions "
		    "one by one; it cannot be combined with "
		    "--single-transaction");
	return 0;
}

static int
cmd_up_exec(struct ctx *ctx)
{
	const struct run_opts *opts = &args.run;
	struct migration     **todo = NULL;
	int64_t                to = args.to;
	size_t                 n = 0, i;
	int                    rc = 0;

	if ((rc = run_check_to(ctx, to)) < 0)
		return rc;
	/* Every problem is kept (err_keep) and reported before anything runs. */
	plan_check_up(&ctx->target.plan, args.out_of_order, to);
	todo = xcalloc(ctx->target.plan.n + 1, sizeof(*todo));
	for (i = 0; i < ctx->target.plan.n; i++) {
		struct migration *m = &ctx->target.plan.v[i];

		if (to > 0 && m->version > to)
			break;
		if (m->state == STATE_FAILED && row_rollback_started(m->row)) {
			rc = err_set(EXIT_INVALID,
			    "version %lld (%s) is partly "
			    "rolled back; finish with 'strata rollback' or "
			    "clear it with 'strata repair'",
			    (long long)m->version, m->name);
			err_set_version(m->version);
			err_keep();
			continue;
		}
		/* --complete: what is expanded completes in version order. */
		if (m->state == STATE_EXPANDED && args.complete)
			m->part = PART_CONTRACT;
		else if (m->state != STATE_PENDING &&
		    m->state != STATE_FAILED && m->state != STATE_OUT_OF_ORDER)
			continue;
		else
			m->part = args.complete ? PART_ALL : PART_EXPAND;
		if (runner_prepare(ctx->target.db, m, false) < 0) {
			err_set_version(m->version);
			err_keep();
			continue;
		}
		/* Stopped in its contract part: 'complete' finishes it. */
		if (m->part == PART_EXPAND && m->up.phased &&
		    m->state == STATE_FAILED &&
		    runner_resume_at(m, false) >= m->up.contract)
			continue;
		if (runner_check_resume(m, false) < 0) {
			err_keep();
			continue;
		}
		if (m->down_file == NULL)
			report_warn(&ctx->report,
			    "version %lld (%s) has no "
			    "rollback file",
			    (long long)m->version, m->up.path);
		todo[n++] = m;
	}
	/* Repeatables run after every version: not when --to stops short. */
	ctx->repeatables = runs_repeatables(&ctx->target.plan, to);
	if (ctx->repeatables)
		repeatables_prepare(ctx->target.db, &ctx->target.plan);
	runner_empty_report();
	if ((rc = err_kept_end()) < 0)
		goto done;
	if (opts->single_tx && (rc = check_single_tx(todo, n)) < 0)
		goto done;
	if (args.check_rollbacks &&
	    (rc = check_rollbacks_ready(ctx, todo, n)) < 0)
		goto done;
	if ((rc = runner_check_batches(ctx->target.db, todo, n, false, opts)) <
		0 ||
	    (rc = run_lint(ctx, todo, n, false)) < 0)
		goto done;
	if (ctx->dry_run) {
		print_plan(ctx, todo, n, false, opts->jobs);
		goto done;
	}
	report_run_begin(&ctx->report, false);
	if (args.check_rollbacks) {
		ctx->report.checking = true;
		for (i = 0; i < n && rc == 0; i++)
			rc = check_rollback(ctx->target.db, todo[i], opts,
			    &ctx->report, args.ignore_column_order,
			    todo[i]->part);
	} else
		rc = runner_up(ctx->target.db, todo, n, opts, &ctx->report);
	if (rc == 0 && ctx->repeatables)
		rc = repeatables_run(ctx->target.db, &ctx->target.plan, opts,
		    &ctx->report);
	if (rc < 0)
		goto done;
	rc = run_finish(ctx);
done:
	free(todo);
	return rc;
}

static const struct cmd_option up_help[] = {
	{ "--to V", "apply through version V only (0: all)" },
	{ "--out-of-order",
	    "also apply pending versions below the current one" },
	{ "--check-rollbacks[=ignore-column-order]",
	    "apply, roll back, compare the schema, apply again, each version" },
	{ "--single-transaction", "every pending version in one transaction" },
	{ "--complete",
	    "phased versions whole, and the expanded ones completed" },
	RUN_OPTION_HELP,
	{ NULL, NULL },
};

const struct cmd_entry cmd_up_entry = {
	.name = "up",
	.usage = "[--to V] [--dry-run] [--out-of-order] "
		 "[--check-rollbacks[=ignore-column-order]] "
		 "[--single-transaction] [--complete] [--jobs N] "
		 "[--lock-timeout DURATION] "
		 "[--retries N] [--statement-timeout DURATION] "
		 "[--lint warn|error|off] [--max-replica-lag DURATION] "
		 "[--batch-pause DURATION] [--schema-file FILE]",
	.summary = "apply pending migrations (all, or through --to V)",
	.options = up_help,
	.fleet_done = "APPLIED",
	.flags = CMD_DB | CMD_WRITES | CMD_PLAN | CMD_SUMS | CMD_ALL_PROBLEMS,
	.parse = cmd_up_parse,
	.exec = cmd_up_exec,
};
