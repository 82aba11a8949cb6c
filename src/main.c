/*
 * main.c - global options, command lookup, and the one error printer.
 *
 * Every failure travels back here as a negative code with the error record
 * set (core/error.h); this file prints it (and, with --json, the error
 * document on stdout) and exits with SPEC §4's code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "fleet/fleet.h"
#include "fleet/targets.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/json.h"
#include "util/log.h"
#include "util/opt.h"

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif

enum {
	G_DB = 1,
	G_MIGRATIONS,
	G_ROLLBACKS,
	G_SCHEMA,
	G_JSON,
	G_QUIET,
	G_VERBOSE,
	G_LOCK_WAIT,
	G_HELP,
	G_VERSION,
	G_TARGETS,
	G_PARALLEL,
	G_CANARY,
	G_KEEP_GOING,
};

static const struct opt_spec global_opts[] = {
	{ "db", 'd', true, G_DB },
	{ "migrations", 'm', true, G_MIGRATIONS },
	{ "rollbacks", 'r', true, G_ROLLBACKS },
	{ "schema", 0, true, G_SCHEMA },
	{ "json", 0, false, G_JSON },
	{ "quiet", 'q', false, G_QUIET },
	{ "verbose", 'v', false, G_VERBOSE },
	{ "lock-wait", 0, true, G_LOCK_WAIT },
	{ "help", 'h', false, G_HELP },
	{ "version", 0, false, G_VERSION },
	{ "targets", 0, true, G_TARGETS },
	{ "parallel", 0, true, G_PARALLEL },
	{ "canary", 0, true, G_CANARY },
	{ "keep-going", 0, false, G_KEEP_GOING },
	{ NULL, 0, false, 0 },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: strata [global options] <command> [options]\n"
	    "\n"
	    "global options:\n"
	    "  -d, --db URL           database (else $STRATA_DB, $DATABASE_URL,\n"
	    "                         sqlite:strata.db)\n"
	    "  -m, --migrations DIR   forward scripts (default sql)\n"
	    "  -r, --rollbacks DIR    rollback scripts (default rollback)\n"
	    "      --schema NAME      PostgreSQL schema of strata's tables\n"
	    "      --json             one JSON document on stdout\n"
	    "  -q, --quiet            errors only on stderr\n"
	    "  -v, --verbose          say more on stderr\n"
	    "      --lock-wait DUR    wait this long for the migration lock "
	    "(60s)\n"
	    "      --targets FILE     one target a line: URL [schema=NAME]\n"
	    "                         (- for stdin); --db may also repeat\n"
	    "      --parallel N       targets in flight at once (1)\n"
	    "      --canary N         the first N targets alone, first\n"
	    "      --keep-going       start the other targets after a "
	    "failure\n"
	    "  -h, --help             this help\n"
	    "      --version          print the version\n"
	    "\n"
	    "commands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(f, "  %-9s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(f,
	    "\n'strata <command> --help' shows a command's options.\n"
	    "exit codes: 0 done, 1 a statement failed, 2 usage or "
	    "configuration,\n3 validation refused, 4 lock not obtained, 5 "
	    "database failure\n"
	    "checksum cache: $STRATA_CACHE_DIR (else $XDG_CACHE_HOME/strata, "
	    "~/.cache/strata);\nSTRATA_NO_CACHE=1 turns it off\n");
}

/* strata COMMAND --help: synopsis, what it does, each option. */
static void
command_help(const struct cmd_entry *cmd)
{
	const struct cmd_option *o;

	printf("usage: strata [global options] %s %s\n\n%s\n", cmd->name,
	    cmd->usage, cmd->summary);
	if (cmd->options != NULL && cmd->options[0].flag != NULL) {
		printf("\noptions:\n");
		for (o = cmd->options; o->flag != NULL; o++) {
			if (strlen(o->flag) > 28)
				printf("  %s\n  %-28s %s\n", o->flag, "",
				    o->text);
			else
				printf("  %-28s %s\n", o->flag, o->text);
		}
	}
	printf("\nglobal options: 'strata --help'; every option, directive "
	       "and exit code: 'man strata'\n");
}

static void
print_line(const struct error *e)
{
	if (e->file && e->line > 0) {
		if (e->sqlstate[0])
			log_error("%s:%d:%d: ERROR %s: %s", e->file, e->line,
			    e->column, e->sqlstate, e->message);
		else
			log_error("%s:%d:%d: error: %s", e->file, e->line,
			    e->column, e->message);
	} else
		log_error("strata: error: %s",
		    e->message ? e->message : "unknown error");
	if (e->detail)
		log_error("DETAIL: %s", e->detail);
	if (e->hint)
		log_error("HINT: %s", e->hint);
}

/* The members of an error object (SPEC §3), in an open object. */
static void
error_members(struct json *j, const struct error *e, int code)
{
	json_key(j, "exit_code");
	json_int(j, code);
	json_key(j, "message");
	json_string(j, e->message ? e->message : "unknown error");
	json_key(j, "version");
	if (e->version > 0)
		json_int(j, e->version);
	else
		json_null(j);
	json_key(j, "file");
	json_string(j, e->file);
	json_key(j, "line");
	if (e->line > 0)
		json_int(j, e->line);
	else
		json_null(j);
	json_key(j, "column");
	if (e->column > 0)
		json_int(j, e->column);
	else
		json_null(j);
	json_key(j, "sqlstate");
	json_string(j, e->sqlstate[0] ? e->sqlstate : NULL);
	json_key(j, "detail");
	json_string(j, e->detail);
	json_key(j, "hint");
	json_string(j, e->hint);
}

/* The error, or every problem a check kept (SPEC §5: all at once). */
static void
print_error(const struct ctx *ctx, int code)
{
	const struct error *kept;
	size_t              nkept = err_kept(&kept), i;
	struct buf          doc = BUF_INIT;
	struct json         j;

	if (nkept > 1)
		for (i = 0; i < nkept; i++)
			print_line(&kept[i]);
	else
		print_line(err_last());
	if (nkept > 1)
		log_error("strata: %zu problems found", nkept);
	if (!ctx->json)
		return;
	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "error");
	json_object_begin(&j);
	error_members(&j, err_last(), code);
	json_object_end(&j);
	if (nkept > 0) {
		json_key(&j, "errors");
		json_array_begin(&j);
		for (i = 0; i < nkept; i++) {
			json_object_begin(&j);
			error_members(&j, &kept[i], kept[i].code);
			json_object_end(&j);
		}
		json_array_end(&j);
	}
	/* What did complete before the failure. */
	report_error_members(&ctx->report, &j);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}

/* One target, in this process: run the command, print its error. */
static int
run_one(struct ctx *ctx, const struct cmd_entry *cmd)
{
	int rc = cmd_exec(ctx, cmd);
	int code = rc < 0 ? err_last()->code : ctx->exit_code;

	if (rc < 0)
		print_error(ctx, code);
	return code;
}

static int
count_opt(const char *opt, const char *value, int min, int max, int *out)
{
	int64_t v;

	if (parse_count(value, opt, &v) < 0 || v < min || v > max)
		return err_set(EXIT_USAGE,
		    "%s '%s' is not a number from %d to %d", opt, value, min,
		    max);
	*out = (int)v;
	return 0;
}

/* Several targets: check the command may run on them, then run it. */
static int
run_fleet(struct ctx *ctx, const struct cmd_entry *cmd,
    const struct target_list *targets, const struct fleet_opts *fo, int argc,
    char **argv)
{
	int rc;

	if (targets->n == 0)
		return err_set(EXIT_USAGE, "--targets names no database");
	if (cmd->flags & CMD_ONE_DB)
		return err_set(EXIT_USAGE,
		    "'%s' runs on one database; %zu targets were given "
		    "(name one with --db)",
		    cmd->name, targets->n);
	if ((rc = cmd_parse(ctx, cmd, argc, argv)) < 0)
		return rc;
	if (ctx->schema_file != NULL)
		return err_set(EXIT_USAGE,
		    "--schema-file names one file, for one database; %zu "
		    "targets were given",
		    targets->n);
	ctx->exit_code = fleet_run(ctx, cmd, targets, fo, run_one);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct ctx ctx; /* reachable to the end: see target_close */
	static struct target_list targets;
	struct fleet_opts         fo = { 1, 0, false };
	const struct cmd_entry   *cmd = NULL;
	enum log_level            level = LOG_NORMAL;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	int    nrest = 0, i, rc = 0, code;
	bool   help = false;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg.mig_dir = "sql";
	ctx.cfg.rb_dir = "rollback";
	ctx.cfg.lock_wait_ms = 60000;
	ctx.cfg.lock_timeout_ms = -1;
	ctx.cfg.statement_timeout_ms = -1;
	if (rest == NULL)
		return EXIT_DB;

	/* Global options may stand anywhere; the rest goes to the command. */
	for (i = 1; i < argc; i++) {
		const struct opt_spec *s;
		const char            *value;

		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				rest[nrest++] = argv[i++];
			break;
		}
		s = opt_lookup(global_opts, argv[i], &value);
		/* After the command word, --version is `log --version V`. */
		if (s == NULL || (s->id == G_VERSION && nrest > 0)) {
			rest[nrest++] = argv[i];
			continue;
		}
		if (s->has_arg && value == NULL) {
			if (i + 1 >= argc) {
				rc = err_set(EXIT_USAGE,
				    "option '%s' needs a "
				    "value",
				    argv[i]);
				goto out;
			}
			value = argv[++i];
		} else if (!s->has_arg && value != NULL) {
			rest[nrest++] = argv[i]; /* e.g. -qv: the command's */
			continue;
		}
		switch (s->id) {
		case G_DB:
			ctx.cfg.url = value;
			rc = targets_add(&targets, value, NULL);
			break;
		case G_TARGETS: rc = targets_read(&targets, value); break;
		case G_PARALLEL:
			rc = count_opt("--parallel", value, 1, 256,
			    &fo.parallel);
			break;
		case G_CANARY:
			rc = count_opt("--canary", value, 0, 1000000,
			    &fo.canary);
			break;
		case G_KEEP_GOING: fo.keep_going = true; break;
		case G_MIGRATIONS: ctx.cfg.mig_dir = value; break;
		case G_ROLLBACKS: ctx.cfg.rb_dir = value; break;
		case G_SCHEMA: ctx.cfg.schema = value; break;
		case G_JSON: ctx.json = true; break;
		case G_QUIET: level = LOG_QUIET; break;
		case G_VERBOSE: level = LOG_VERBOSE; break;
		case G_HELP: help = true; break;
		case G_VERSION: printf("strata %s\n", STRATA_VERSION); goto out;
		case G_LOCK_WAIT:
			if (duration_parse(value, &ctx.cfg.lock_wait_ms) < 0) {
				rc = err_set(EXIT_USAGE,
				    "--lock-wait '%s' is "
				    "not a duration (500ms, 5s, 2m)",
				    value);
				goto out;
			}
			break;
		}
		if (rc < 0)
			goto out;
	}
	log_setup(level, ctx.json);
	if (nrest == 0) {
		if (help) {
			usage(stdout);
			goto out;
		}
		usage(stderr);
		rc = err_set(EXIT_USAGE, "no command given");
		goto out;
	}
	if ((cmd = cmd_find(rest[0])) == NULL) {
		if (help) {
			usage(stdout);
			goto out;
		}
		rc = err_set(EXIT_USAGE,
		    "'%s' is not a strata command; see "
		    "'strata --help'",
		    rest[0]);
		goto out;
	}
	if (help) {
		command_help(cmd);
		goto out;
	}
	report_init(&ctx.report, ctx.json);
	ctx.cfg.events = report_db_events(&ctx.report);
	if (targets.n > 1 || targets.from_file)
		rc = run_fleet(&ctx, cmd, &targets, &fo, nrest - 1, rest + 1);
	else if ((rc = cmd_parse(&ctx, cmd, nrest - 1, rest + 1)) == 0) {
		code = run_one(&ctx, cmd);
		target_close(&ctx.target);
		goto done;
	}
out:
	log_setup(level, ctx.json);
	code = rc < 0 ? err_last()->code : ctx.exit_code;
	if (rc < 0)
		print_error(&ctx, code);
	target_close(&ctx.target);
done:
	targets_free(&targets);
	err_clear();
	free(rest);
	fflush(stdout);
	return code;
}
