/*
 * baseline.c - record versions <= V as applied without running them, for a
 * database whose schema predates strata.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "cmd.h"

static int64_t upto;

static int
cmd_baseline_parse(struct ctx *ctx, int argc, char **argv)
{
	int rc;

	(void)ctx;
	if (argc != 1)
		return err_set(EXIT_USAGE, "usage: strata baseline V");
	if ((rc = parse_version(argv[0], &upto)) < 0)
		return rc;
	if (upto == 0)
		return err_set(EXIT_USAGE, "baseline needs a version above 0");
	return 0;
}

static int
cmd_baseline_exec(struct ctx *ctx)
{
	struct log_batch log = { NULL, 0, 0 };
	struct db_writes w = { NULL, 0, 0 };
	struct buf       doc = BUF_INIT;
	struct json      j;
	size_t           i, done = 0;
	int              rc;

	if ((rc = db_begin(ctx->target.db)) < 0)
		return rc;
	if (ctx->json) {
		json_init(&j, &doc);
		json_object_begin(&j);
		json_key(&j, "baselined");
		json_array_begin(&j);
	}
	for (i = 0; i < ctx->target.plan.n && rc == 0; i++) {
		struct migration  *m = &ctx->target.plan.v[i];
		struct history_row row;
		struct log_entry  *e;
		char               at[32];

		if (m->version > upto || m->row != NULL || m->up_file == NULL)
			continue;
		memset(&row, 0, sizeof(row));
		time_iso_now(at);
		row.version = m->version;
		row.name = (char *)m->name;
		row.checksum = (char *)m->up.checksum;
		row.rollback_checksum = m->down_file ? (char *)m->down.checksum
						     : NULL;
		row.state = "applied";
		row.applied_at = at;
		row.applied_by = (char *)history_applied_by();
		history_put(&w, ctx->target.db, &row, false);
		e = log_batch_add(&log);
		memcpy(e->at, at, sizeof(at));
		e->version = m->version;
		e->direction = "up";
		e->kind = KIND_BASELINE;
		e->text = xstrdup("baseline: recorded as applied without "
				  "running");
		done++;
		if (ctx->json) {
			json_object_begin(&j);
			json_key(&j, "version");
			json_int(&j, m->version);
			json_key(&j, "name");
			json_string(&j, m->name);
			json_object_end(&j);
		} else
			out_printf("baselined %lld %s\n", (long long)m->version,
			    m->name);
	}
	if ((rc = log_batch_send(ctx->target.db, &w, &log, true)) < 0)
		db_rollback(ctx->target.db);
	db_writes_free(&w);
	log_batch_clear(&log);
	free(log.v);
	if (rc == 0)
		rc = target_reload(&ctx->target);
	if (rc < 0) {
		buf_free(&doc);
		return rc;
	}
	if (ctx->json) {
		json_array_end(&j);
		json_key(&j, "current");
		json_int(&j, ctx->target.plan.current);
		json_object_end(&j);
		json_emit(&doc);
	} else {
		if (done == 0)
			out_printf("nothing to baseline at or below %lld; ",
			    (long long)upto);
		out_printf("current version: %lld\n",
		    (long long)ctx->target.plan.current);
	}
	buf_free(&doc);
	return 0;
}

const struct cmd_entry cmd_baseline_entry = {
	.name = "baseline",
	.usage = "V",
	.summary = "record versions <= V as applied without running them",
	.flags = CMD_DB | CMD_WRITES | CMD_PLAN | CMD_ONE_DB,
	.parse = cmd_baseline_parse,
	.exec = cmd_baseline_exec,
};
