/*
 * log.c - the optimization log, newest first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/columns.h"
#include "../util/log.h"
#include "cmd.h"

enum { LOG_VERSION = 1, LOG_LIMIT };

static const struct opt_spec log_opts[] = {
	{ "version", 0, true, LOG_VERSION },
	{ "limit", 'n', true, LOG_LIMIT },
	{ NULL, 0, false, 0 },
};

#define LOG_DEFAULT_LIMIT 50

enum {
	F_ID,
	F_AT,
	F_VERSION,
	F_DIRECTION,
	F_STATEMENT,
	F_KIND,
	F_TEXT,
	F_DURATION,
	F_ROWS,
	F_OUTCOME,
	F_SQLSTATE,
	F_ERROR,
	F_FACTS
};

static void
json_int_or_null(struct json *j, const char *v)
{
	if (v)
		json_int(j, strtoll(v, NULL, 10));
	else
		json_null(j);
}

static void
log_json_doc(const struct log_rows *rows)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "entries");
	json_array_begin(&j);
	for (i = 0; i < rows->n; i++) {
		char *const *v = rows->v[i].v;

		json_object_begin(&j);
		json_key(&j, "id");
		json_int_or_null(&j, v[F_ID]);
		json_key(&j, "at");
		json_string(&j, v[F_AT]);
		json_key(&j, "version");
		json_int_or_null(&j, v[F_VERSION]);
		json_key(&j, "direction");
		json_string(&j, v[F_DIRECTION]);
		json_key(&j, "statement");
		json_int_or_null(&j, v[F_STATEMENT]);
		json_key(&j, "kind");
		json_string(&j, v[F_KIND]);
		json_key(&j, "text");
		json_string(&j, v[F_TEXT]);
		json_key(&j, "duration_ms");
		if (v[F_DURATION])
			json_double(&j, strtod(v[F_DURATION], NULL));
		else
			json_null(&j);
		json_key(&j, "rows");
		json_int_or_null(&j, v[F_ROWS]);
		json_key(&j, "outcome");
		json_string(&j, v[F_OUTCOME]);
		json_key(&j, "sqlstate");
		json_string(&j, v[F_SQLSTATE]);
		json_key(&j, "error");
		json_string(&j, v[F_ERROR]);
		json_key(&j, "facts");
		/* Written by strata as a JSON object (jsonb on PostgreSQL). */
		json_raw(&j,
		    v[F_FACTS] && v[F_FACTS][0] == '{' ? v[F_FACTS] : "{}");
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}

static const struct column log_table_columns[] = {
	{ "ID", false },
	{ "AT", false },
	{ "VERSION", false },
	{ "DIR", false },
	{ "#", true },
	{ "KIND", false },
	{ "DURATION", true },
	{ "ROWS", true },
	{ "OUTCOME", false },
	{ "STATEMENT", false },
};

static void
log_human(const struct log_rows *rows, int64_t version)
{
	struct columns c;
	struct buf     out = BUF_INIT;
	size_t         i;

	if (rows->n == 0 && version > 0) {
		out_printf("the optimization log has no entries for version "
			   "%lld\n",
		    (long long)version);
		return;
	}
	if (rows->n == 0) {
		out_printf("the optimization log is empty\n");
		return;
	}
	columns_init(&c, log_table_columns,
	    sizeof(log_table_columns) / sizeof(log_table_columns[0]));
	for (i = 0; i < rows->n; i++) {
		char *const *v = rows->v[i].v;
		bool bad = v[F_OUTCOME] && strcmp(v[F_OUTCOME], "ok") != 0;

		columns_add(&c, v[F_ID], C_NONE);
		columns_add(&c, v[F_AT], C_NONE);
		columns_add(&c, v[F_VERSION] ? v[F_VERSION] : "-", C_NONE);
		columns_add(&c, v[F_DIRECTION] ? v[F_DIRECTION] : "-", C_NONE);
		columns_add(&c, v[F_STATEMENT] ? v[F_STATEMENT] : "-", C_NONE);
		columns_add(&c, v[F_KIND], C_NONE);
		if (v[F_DURATION])
			columns_addf(&c, C_NONE, "%.1f ms",
			    strtod(v[F_DURATION], NULL));
		else
			columns_add(&c, "-", C_NONE);
		columns_add(&c, v[F_ROWS] ? v[F_ROWS] : "-", C_NONE);
		columns_add(&c, v[F_OUTCOME], bad ? C_RED : C_GREEN);
		columns_add(&c, v[F_TEXT], C_NONE);
		if (v[F_ERROR])
			columns_under(&c, "%8s%s%s%s", "",
			    v[F_SQLSTATE] ? v[F_SQLSTATE] : "",
			    v[F_SQLSTATE] ? ": " : "", v[F_ERROR]);
		if (v[F_FACTS] && strcmp(v[F_FACTS], "{}") != 0)
			columns_under(&c, "%8sfacts: %s", "", v[F_FACTS]);
	}
	columns_write(&c, &out);
	columns_free(&c);
	out_write(out.ptr, out.len);
	buf_free(&out);
}

static struct {
	int64_t version;
	int64_t limit;
} args;

static int
cmd_log_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	int             id, rc;

	(void)ctx;
	args.version = 0;
	args.limit = LOG_DEFAULT_LIMIT;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, log_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR: return -EXIT_USAGE;
		case OPT_POSITIONAL:
			return err_set(EXIT_USAGE,
			    "log takes no argument ('%s')", it.arg);
		case LOG_VERSION:
			if ((rc = parse_version(it.arg, &args.version)) < 0)
				return rc;
			break;
		case LOG_LIMIT:
			if ((rc = parse_count(it.arg, "--limit", &args.limit)) <
			    0)
				return rc;
			break;
		}
	}
	return 0;
}

static int
cmd_log_exec(struct ctx *ctx)
{
	struct log_rows rows = { NULL, 0, 0 };
	int             rc;

	if (ctx->target.tables_exist &&
	    (rc = log_load(ctx->target.db, args.version, args.limit, &rows)) <
		0)
		return rc;
	if (ctx->json)
		log_json_doc(&rows);
	else
		log_human(&rows, args.version);
	log_rows_free(&rows);
	return 0;
}

static const struct cmd_option log_help[] = {
	{ "--version V", "only the rows of version V" },
	{ "--limit N", "at most N rows (default 50; 0: all)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.usage = "[--version V] [--limit N]",
	.summary = "show the optimization log, newest first (--limit 0: all)",
	.options = log_help,
	.fleet_done = "APPLIED",
	.flags = CMD_DB,
	.parse = cmd_log_parse,
	.exec = cmd_log_exec,
};
