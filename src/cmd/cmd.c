/*
 * cmd.c - the command table, and running a command: its options parsed,
 * then what its flags ask for opened, then its work.
 */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/log.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_status_entry,
	&cmd_current_entry,
	&cmd_up_entry,
	&cmd_rollback_entry,
	&cmd_complete_entry,
	&cmd_validate_entry,
	&cmd_log_entry,
	&cmd_new_entry,
	&cmd_baseline_entry,
	&cmd_repair_entry,
	&cmd_lint_entry,
	&cmd_schema_entry,
	&cmd_report_entry,
	NULL,
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

int
cmd_parse(struct ctx *ctx, const struct cmd_entry *cmd, int argc, char **argv)
{
	if (cmd->parse != NULL)
		return cmd->parse(ctx, argc, argv);
	if (argc > 0)
		return err_set(EXIT_USAGE, "%s takes no argument ('%s')",
		    cmd->name, argv[0]);
	return 0;
}

int
cmd_exec(struct ctx *ctx, const struct cmd_entry *cmd)
{
	unsigned needs = 0;
	int      rc;

	if (cmd->flags & CMD_DB) {
		if ((cmd->flags & CMD_WRITES) && !ctx->dry_run)
			needs |= TARGET_LOCK;
		else
			needs |=
			    TARGET_READ_ONLY; /* create nothing (SPEC §2) */
		if (cmd->flags & CMD_PLAN)
			needs |= TARGET_PLAN;
		if (cmd->flags & CMD_SUMS)
			needs |= TARGET_SUMS;
		if (cmd->flags & CMD_ALL_PROBLEMS)
			needs |= TARGET_KEEP;
		if ((rc = target_open(&ctx->target, &ctx->cfg, needs)) < 0)
			return rc;
	}
	rc = cmd->exec(ctx);
	runner_empty_report();
	return rc;
}

int
parse_version(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t  i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= VERSION_MAX_DIGITS)
			return err_set(EXIT_USAGE,
			    "'%s' is not a version (1 to "
			    "18 digits)",
			    s);
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return err_set(EXIT_USAGE, "empty version");
	*out = v;
	return 0;
}

int
parse_count(const char *s, const char *what, int64_t *out)
{
	char     *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000000)
		return err_set(EXIT_USAGE, "%s '%s' is not a count", what, s);
	*out = v;
	return 0;
}

void
json_emit(struct buf *doc)
{
	buf_addch(doc, '\n');
	out_write(doc->ptr, doc->len);
}

void
json_db_head(struct json *j, const struct ctx *ctx)
{
	json_key(j, "database");
	json_string(j, ctx->target.db->url_masked);
	json_key(j, "dialect");
	json_string(j, ctx->target.db->ops->name);
}
