/*
 * validate.c - check applied checksums, rollback pairs and every file,
 * without running anything.
 */
#include "../util/error.h"
#include "../util/log.h"
#include "../core/repeatable.h"
#include "cmd.h"

static void
keep_problem(const struct migration *m)
{
	err_set_version(m->version);
	err_keep();
}

static int
cmd_validate_exec(struct ctx *ctx)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;
	int         rc;

	/* Every problem of every file, all reported (SPEC §5). */
	for (i = 0; i < ctx->target.plan.n; i++) {
		struct migration *m = &ctx->target.plan.v[i];

		if (m->up_file && runner_prepare(ctx->target.db, m, false) < 0)
			keep_problem(m);
		else if (m->state == STATE_FAILED && m->up_file &&
		    runner_check_resume(m, false) < 0)
			err_keep();
		if (m->down_file && !m->down.irreversible &&
		    runner_prepare(ctx->target.db, m, true) < 0)
			keep_problem(m);
		else if (m->state == STATE_FAILED && m->down_file &&
		    !m->down.irreversible && runner_check_resume(m, true) < 0)
			err_keep();
	}
	/* Repeatables: they must split, and fit one transaction. */
	repeatables_prepare(ctx->target.db, &ctx->target.plan);
	runner_empty_report();
	plan_check_all(&ctx->target.plan);
	if ((rc = err_kept_end()) < 0)
		return rc;
	if (!ctx->json) {
		out_printf(
		    "ok: %zu version%s, current %lld; checksums match and "
		    "every version has a rollback file\n",
		    ctx->target.plan.n, ctx->target.plan.n == 1 ? "" : "s",
		    (long long)ctx->target.plan.current);
		if (ctx->target.plan.rn > 0)
			out_printf("ok: %zu repeatable%s, each fits one "
				   "transaction\n",
			    ctx->target.plan.rn,
			    ctx->target.plan.rn == 1 ? "" : "s");
		return 0;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	json_db_head(&j, ctx);
	json_key(&j, "valid");
	json_bool(&j, true);
	json_key(&j, "versions");
	json_int(&j, (int64_t)ctx->target.plan.n);
	json_key(&j, "current");
	json_int(&j, ctx->target.plan.current);
	json_key(&j, "repeatables");
	json_int(&j, (int64_t)ctx->target.plan.rn);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
	return 0;
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "",
	.summary =
	    "check checksums, rollback pairs and every file; run nothing",
	.fleet_done = "APPLIED",
	.flags = CMD_DB | CMD_PLAN | CMD_ALL_PROBLEMS,
	.exec = cmd_validate_exec,
};
