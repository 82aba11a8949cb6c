/*
 * current.c - the highest applied version, or 0.
 */
#include "../util/error.h"
#include "../util/log.h"
#include "cmd.h"

static int
cmd_current_exec(struct ctx *ctx)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;
	int64_t     current = 0;

	/* The history alone answers this: no need to read the files. */
	for (i = 0; i < ctx->target.hist.n; i++)
		if (row_is_current(&ctx->target.hist.v[i]) &&
		    ctx->target.hist.v[i].version > current)
			current = ctx->target.hist.v[i].version;
	if (!ctx->json) {
		out_printf("%lld\n", (long long)current);
		return 0;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	json_db_head(&j, ctx);
	json_key(&j, "current");
	json_int(&j, current);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
	return 0;
}

const struct cmd_entry cmd_current_entry = {
	.name = "current",
	.usage = "",
	.summary = "print the highest applied version (0 when none)",
	.fleet_done = "APPLIED",
	.flags = CMD_DB,
	.exec = cmd_current_exec,
};
