/*
 * validate.c - check applied checksums, rollback pairs and every file,
 * without running anything.
 */
#include "../util/error.h"
#include "../util/log.h"
#include "cmd.h"

static int
cmd_validate_exec(struct ctx *ctx)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;
	int         rc;

	/* Every file must split and classify cleanly (exit 2 if not). */
	for (i = 0; i < ctx->target.plan.n; i++) {
		struct migration *m = &ctx->target.plan.v[i];

		if (m->up_file &&
		    (rc = runner_prepare(ctx->target.db, m, false)) < 0)
			goto fail;
		if (m->down_file && !m->down.irreversible &&
		    (rc = runner_prepare(ctx->target.db, m, true)) < 0)
			goto fail;
		if (m->state == STATE_FAILED && m->up_file &&
		    (rc = runner_check_resume(m, false)) < 0)
			return rc;
		if (m->state == STATE_FAILED && m->down_file &&
		    !m->down.irreversible &&
		    (rc = runner_check_resume(m, true)) < 0)
			return rc;
	}
	if ((rc = plan_check_all(&ctx->target.plan)) < 0)
		return rc;
	if (!ctx->json) {
		out_printf(
		    "ok: %zu version%s, current %lld; checksums match and "
		    "every version has a rollback file\n",
		    ctx->target.plan.n, ctx->target.plan.n == 1 ? "" : "s",
		    (long long)ctx->target.plan.current);
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
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
	return 0;
fail:
	err_set_version(ctx->target.plan.v[i].version);
	return rc;
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "",
	.summary =
	    "check checksums, rollback pairs and every file; run nothing",
	.flags = CMD_DB | CMD_PLAN,
	.exec = cmd_validate_exec,
};
