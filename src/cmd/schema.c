/*
 * schema.c - the database's schema as the stable text a pull request can
 * show as a diff: the snapshot --check-rollbacks compares, sorted, one
 * object a line (a block for definitions of several lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tables.h"
#include "../db/snapshot.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "cmd.h"

static void
schema_json(struct ctx *ctx, const struct snapshot *s)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_db_head(&j, ctx);
	json_key(&j, "objects");
	json_array_begin(&j);
	for (i = 0; i < s->n; i++) {
		json_object_begin(&j);
		json_key(&j, "key");
		json_string(&j, s->v[i].key);
		json_key(&j, "value");
		json_string(&j, s->v[i].value);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}

static int
cmd_schema_exec(struct ctx *ctx)
{
	struct snapshot s;
	struct buf      text = BUF_INIT;
	int             rc;

	if ((rc = snapshot_take(ctx->target.db, tables_own, &s)) < 0)
		return rc;
	if (ctx->json)
		schema_json(ctx, &s);
	else {
		snapshot_text(&s, ctx->target.db->ops->name, &text);
		out_write(text.ptr, text.len);
	}
	buf_free(&text);
	snapshot_free(&s);
	return 0;
}

int
schema_write_file(struct db *db, const char *path)
{
	struct snapshot s;
	struct buf      text = BUF_INIT;
	int             rc;

	if ((rc = snapshot_take(db, tables_own, &s)) < 0)
		return rc;
	snapshot_text(&s, db->ops->name, &text);
	snapshot_free(&s);
	if ((rc = fs_replace(path, text.ptr, text.len)) < 0)
		err_prefix("--schema-file");
	else
		log_verbose("wrote the schema to %s", path);
	buf_free(&text);
	return rc;
}

const struct cmd_entry cmd_schema_entry = {
	.name = "schema",
	.usage = "",
	.summary = "print the database's normalised schema, sorted (what "
		   "--check-rollbacks compares)",
	.fleet_done = "APPLIED",
	.flags = CMD_DB,
	.exec = cmd_schema_exec,
};
