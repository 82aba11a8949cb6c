/*
 * status.c - every version known to the files or the database, and its
 * state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/columns.h"
#include "../util/log.h"
#include "cmd.h"

static enum colour
state_colour(enum mig_state s)
{
	switch (s) {
	case STATE_APPLIED: return C_GREEN;
	case STATE_PENDING: return C_CYAN;
	case STATE_FAILED:
	case STATE_DRIFTED:
	case STATE_MISSING: return C_RED;
	case STATE_OUT_OF_ORDER: return C_YELLOW;
	case STATE_EXPANDED: return C_YELLOW;
	case STATE__COUNT: break;
	}
	return C_NONE;
}

static void
repeatables_json(struct json *j, const struct plan *p)
{
	size_t i;

	json_key(j, "repeatables");
	json_array_begin(j);
	for (i = 0; i < p->rn; i++) {
		const struct repeatable *r = &p->rv[i];

		json_object_begin(j);
		json_key(j, "repeatable");
		json_string(j, r->name);
		json_key(j, "state");
		json_string(j, rep_state_name(r->state));
		json_key(j, "file");
		json_string(j, r->sql.path);
		json_key(j, "checksum");
		json_string(j, r->sql.checksum);
		json_key(j, "recorded_checksum");
		json_string(j, r->row ? r->row->checksum : NULL);
		json_key(j, "applied_at");
		json_string(j, r->row ? r->row->applied_at : NULL);
		json_object_end(j);
	}
	json_array_end(j);
}

/* After the versions: R <name>, its state, when it last ran. */
static void
repeatables_human(struct columns *c, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->rn; i++) {
		const struct repeatable *r = &p->rv[i];

		columns_add(c, "R", C_NONE);
		columns_add(c, r->name, C_NONE);
		columns_add(c, rep_state_name(r->state),
		    r->state == REP_APPLIED ? C_GREEN : C_CYAN);
		columns_add(c, r->row ? r->row->applied_at : "-", C_NONE);
		columns_end_row(c);
	}
}

static void
status_json(struct ctx *ctx)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_db_head(&j, ctx);
	json_key(&j, "current");
	json_int(&j, ctx->target.plan.current);
	json_key(&j, "migrations");
	json_array_begin(&j);
	for (i = 0; i < ctx->target.plan.n; i++) {
		const struct migration *m = &ctx->target.plan.v[i];

		json_object_begin(&j);
		json_key(&j, "version");
		json_int(&j, m->version);
		json_key(&j, "name");
		json_string(&j, m->name);
		json_key(&j, "state");
		json_string(&j, state_name(m->state));
		json_key(&j, "file");
		json_string(&j, m->up_file ? m->up_file->path : NULL);
		json_key(&j, "checksum");
		json_string(&j, m->up_file ? m->up.checksum : NULL);
		json_key(&j, "recorded_checksum");
		json_string(&j, m->row ? m->row->checksum : NULL);
		json_key(&j, "applied_at");
		json_string(&j, m->row ? m->row->applied_at : NULL);
		json_key(&j, "duration_ms");
		if (m->row)
			json_int(&j, m->row->duration_ms);
		else
			json_null(&j);
		json_key(&j, "has_rollback");
		json_bool(&j, m->down_file != NULL);
		if (m->row && !row_is_current(m->row)) {
			bool    down = row_rollback_started(m->row);
			size_t *extra, nextra, k;

			nextra = history_extra_list(down
				? m->row->rollback_extra
				: m->row->completed_extra,
			    &extra);
			json_key(&j, "statements_completed");
			json_int(&j,
			    down ? m->row->rollback_completed
				 : m->row->completed);
			json_key(&j, "failed_direction");
			json_string(&j, down ? "down" : "up");
			if (nextra > 0) {
				json_key(&j, "also_completed");
				json_array_begin(&j);
				for (k = 0; k < nextra; k++)
					json_int(&j, (int64_t)extra[k]);
				json_array_end(&j);
			}
			free(extra);
			if (m->row->batch_statement > 0) {
				json_key(&j, "backfill");
				json_object_begin(&j);
				json_key(&j, "statement");
				json_int(&j, m->row->batch_statement);
				json_key(&j, "rows");
				json_int(&j, m->row->batch_rows);
				json_key(&j, "batches");
				json_int(&j, m->row->batch_rounds);
				json_key(&j, "last_key");
				json_string(&j, m->row->batch_last);
				json_key(&j, "highest_key");
				json_string(&j, m->row->batch_max);
				json_object_end(&j);
			}
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	repeatables_json(&j, &ctx->target.plan);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}

static const struct column status_columns[] = {
	{ "VERSION", false },
	{ "NAME", false },
	{ "STATE", false },
	{ "APPLIED AT", false },
	{ "DURATION", true },
	{ "ROLLBACK", false },
};

/* A version's ROLLBACK cell: its file, and what else the row should say. */
static void
rollback_cell(struct buf *b, const struct migration *m)
{
	buf_adds(b,
	    m->down_file ? (m->down.irreversible ? "irreversible" : "yes")
			 : "MISSING");
	if (m->state == STATE_FAILED)
		buf_addf(b, "  (%s stopped after statement %lld)",
		    row_rollback_started(m->row) ? "rollback" : "run",
		    (long long)(row_rollback_started(m->row)
			    ? m->row->rollback_completed
			    : m->row->completed));
	if (m->state == STATE_FAILED && m->row->batch_statement > 0)
		buf_addf(b,
		    "  (backfill at statement %lld: %lld rows in %lld "
		    "batches, through key (%s) of (%s))",
		    (long long)m->row->batch_statement,
		    (long long)m->row->batch_rows,
		    (long long)m->row->batch_rounds,
		    m->row->batch_last ? m->row->batch_last : "-",
		    m->row->batch_max ? m->row->batch_max : "-");
	if (m->state == STATE_EXPANDED)
		buf_adds(b, "  (contract part waits: 'strata complete')");
	if (m->rollback_drift)
		buf_adds(b, "  (rollback file changed)");
}

static void
status_human(struct ctx *ctx)
{
	size_t         i, counts[STATE__COUNT] = { 0 };
	struct buf     b = BUF_INIT;
	struct columns c;

	buf_addf(&b, "%sdatabase:%s %s (%s)\n", out_colour(C_BOLD),
	    out_colour(C_NONE), ctx->target.db->url_masked,
	    ctx->target.db->ops->name);
	if (ctx->target.plan.n == 0 && ctx->target.plan.rn == 0) {
		buf_addf(&b, "no migrations in '%s'\n", ctx->cfg.mig_dir);
		goto out;
	}
	columns_init(&c, status_columns,
	    sizeof(status_columns) / sizeof(status_columns[0]));
	for (i = 0; i < ctx->target.plan.n; i++) {
		const struct migration *m = &ctx->target.plan.v[i];
		struct buf              rb = BUF_INIT;
		char                    num[24], dur[32] = "-";

		counts[m->state]++;
		/* fmt_int, not printf: a folder of 10,000 prints 10,000 rows. */
		fmt_int(num, m->version);
		columns_add(&c, num, C_NONE);
		columns_add(&c, m->name, C_NONE);
		columns_add(&c, state_name(m->state), state_colour(m->state));
		columns_add(&c, m->row ? m->row->applied_at : "-", C_NONE);
		if (m->row)
			memcpy(dur + fmt_int(dur, m->row->duration_ms), " ms",
			    4);
		columns_add(&c, dur, C_NONE);
		rollback_cell(&rb, m);
		columns_add(&c, rb.ptr, C_NONE);
		buf_free(&rb);
	}
	repeatables_human(&c, &ctx->target.plan);
	columns_write(&c, &b);
	columns_free(&c);
	buf_addf(&b, "\ncurrent version: %lld",
	    (long long)ctx->target.plan.current);
	for (i = 0; i < STATE__COUNT; i++)
		if (counts[i] && i != STATE_APPLIED)
			buf_addf(&b, "; %zu %s", counts[i],
			    state_name((enum mig_state)i));
	buf_addch(&b, '\n');
out:
	out_write(b.ptr, b.len);
	buf_free(&b);
}

enum { STATUS_EXIT_CODE = 1 };

static const struct opt_spec status_opts[] = {
	{ "exit-code", 0, false, STATUS_EXIT_CODE },
	{ NULL, 0, false, 0 },
};

static bool exit_code_asked;

static int
cmd_status_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	int             id;

	(void)ctx;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, status_opts)) != OPT_END) {
		if (id == OPT_ERROR)
			return -EXIT_USAGE;
		if (id == OPT_POSITIONAL)
			return err_set(EXIT_USAGE,
			    "status takes no argument ('%s')", it.arg);
		exit_code_asked = true;
	}
	return 0;
}

/* --exit-code: is anything in a state monitoring should hear of? */
static bool
needs_attention(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].state == STATE_FAILED ||
		    p->v[i].state == STATE_DRIFTED ||
		    p->v[i].state == STATE_MISSING ||
		    p->v[i].state == STATE_OUT_OF_ORDER)
			return true;
	return false;
}

static int
cmd_status_exec(struct ctx *ctx)
{
	if (ctx->json)
		status_json(ctx);
	else
		status_human(ctx);
	/* The output is the same; only the exit code speaks. */
	if (exit_code_asked && needs_attention(&ctx->target.plan))
		ctx->exit_code = EXIT_INVALID;
	return 0;
}

static const struct cmd_option status_help[] = {
	{ "--exit-code",
	    "exit 3 when a version is failed, drifted, missing or "
	    "out of order (output unchanged)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[--exit-code]",
	.summary = "show every version: applied, pending, failed, drifted, "
		   "missing",
	.options = status_help,
	.flags = CMD_DB | CMD_PLAN | CMD_SUMS,
	.parse = cmd_status_parse,
	.exec = cmd_status_exec,
};
