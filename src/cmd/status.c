/*
 * status.c - every version known to the files or the database, and its
 * state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
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
repeatables_human(struct buf *b, const struct plan *p, size_t wver,
    size_t wname)
{
	size_t i;

	for (i = 0; i < p->rn; i++) {
		const struct repeatable *r = &p->rv[i];

		buf_addpad(b, "R", wver, false);
		buf_adds(b, "  ");
		buf_addpad(b, r->name, wname, false);
		buf_adds(b, "  ");
		buf_adds(b,
		    out_colour(r->state == REP_APPLIED ? C_GREEN : C_CYAN));
		buf_addpad(b, rep_state_name(r->state), 12, false);
		buf_adds(b, out_colour(C_NONE));
		buf_adds(b, "  ");
		buf_addpad(b, r->row ? r->row->applied_at : "-", 24, false);
		buf_adds(b, "\n");
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

/* The table is built in one buffer, each column as wide as its widest. */
static void
status_human(struct ctx *ctx)
{
	size_t     i, wname = 4, wver = 7, counts[STATE__COUNT] = { 0 };
	struct buf b = BUF_INIT;
	char       num[24];

	for (i = 0; i < ctx->target.plan.rn; i++)
		if (strlen(ctx->target.plan.rv[i].name) > wname)
			wname = strlen(ctx->target.plan.rv[i].name);
	for (i = 0; i < ctx->target.plan.n; i++) {
		size_t n = strlen(ctx->target.plan.v[i].name);

		if (n > wname)
			wname = n;
		n = fmt_int(num, ctx->target.plan.v[i].version);
		if (n > wver)
			wver = n;
	}
	buf_addf(&b, "%sdatabase:%s %s (%s)\n", out_colour(C_BOLD),
	    out_colour(C_NONE), ctx->target.db->url_masked,
	    ctx->target.db->ops->name);
	if (ctx->target.plan.n == 0 && ctx->target.plan.rn == 0) {
		buf_addf(&b, "no migrations in '%s'\n", ctx->cfg.mig_dir);
		goto out;
	}
	buf_addf(&b, "%s%-*s  %-*s  %-12s  %-24s  %9s  %s%s\n",
	    out_colour(C_BOLD), (int)wver, "VERSION", (int)wname, "NAME",
	    "STATE", "APPLIED AT", "DURATION", "ROLLBACK", out_colour(C_NONE));
	for (i = 0; i < ctx->target.plan.n; i++) {
		const struct migration *m = &ctx->target.plan.v[i];
		char                    dur[32] = "-";
		const char             *rb = m->down_file
				? (m->down.irreversible ? "irreversible" : "yes")
				: "MISSING";

		counts[m->state]++;
		if (m->row)
			memcpy(dur + fmt_int(dur, m->row->duration_ms), " ms",
			    4);
		fmt_int(num, m->version);
		buf_addpad(&b, num, wver, false);
		buf_adds(&b, "  ");
		buf_addpad(&b, m->name, wname, false);
		buf_adds(&b, "  ");
		buf_adds(&b, out_colour(state_colour(m->state)));
		buf_addpad(&b, state_name(m->state), 12, false);
		buf_adds(&b, out_colour(C_NONE));
		buf_adds(&b, "  ");
		buf_addpad(&b, m->row ? m->row->applied_at : "-", 24, false);
		buf_adds(&b, "  ");
		buf_addpad(&b, dur, 9, true);
		buf_adds(&b, "  ");
		buf_adds(&b, rb);
		if (m->state == STATE_FAILED)
			buf_addf(&b, "  (%s stopped after statement %lld)",
			    row_rollback_started(m->row) ? "rollback" : "run",
			    (long long)(row_rollback_started(m->row)
				    ? m->row->rollback_completed
				    : m->row->completed));
		if (m->state == STATE_FAILED && m->row->batch_statement > 0)
			buf_addf(&b,
			    "  (backfill at statement %lld: %lld rows in %lld "
			    "batches, through key (%s) of (%s))",
			    (long long)m->row->batch_statement,
			    (long long)m->row->batch_rows,
			    (long long)m->row->batch_rounds,
			    m->row->batch_last ? m->row->batch_last : "-",
			    m->row->batch_max ? m->row->batch_max : "-");
		if (m->state == STATE_EXPANDED)
			buf_adds(&b,
			    "  (contract part waits: 'strata "
			    "complete')");
		if (m->rollback_drift)
			buf_adds(&b, "  (rollback file changed)");
		buf_addch(&b, '\n');
	}
	repeatables_human(&b, &ctx->target.plan, wver, wname);
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
