/*
 * lint.c - `strata lint`: what the migration files would do to a busy
 * database, found before anything runs (SPEC §6). Reads files only.
 */
#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lint/lint.h"
#include "../lint/output.h"
#include "../util/duration.h"
#include "../util/error.h"
#include "../util/columns.h"
#include "../util/log.h"
#include "cmd.h"
#include "lint_db.h"
#include "lint_fix.h"
#include "lint_trace.h"

enum {
	L_PG_VERSION = 1,
	L_DIALECT,
	L_FORMAT,
	L_STRICT,
	L_EXCLUDE,
	L_LOCK_TIMEOUT,
	L_TRACE,
	L_LIST_RULES,
	L_FIX,
	L_DIFF,
};

static const struct opt_spec lint_opts[] = {
	{ "pg-version", 0, true, L_PG_VERSION },
	{ "dialect", 0, true, L_DIALECT },
	{ "format", 0, true, L_FORMAT },
	{ "strict", 0, false, L_STRICT },
	{ "exclude", 0, true, L_EXCLUDE },
	{ "lock-timeout", 0, true, L_LOCK_TIMEOUT },
	{ "trace", 0, false, L_TRACE },
	{ "list-rules", 0, false, L_LIST_RULES },
	{ "fix", 0, false, L_FIX },
	{ "diff", 0, false, L_DIFF },
	{ NULL, 0, false, 0 },
};

#define DEFAULT_PG_VERSION 150000

static struct {
	struct lint_options  opt;
	enum lint_format     format;
	const char         **files;
	int                  nfiles;
	struct lint_excludes exclude;
	bool                 pg_version_given;
	bool                 trace;
	bool                 list_rules;
	bool                 fix;
	bool                 diff;
} args;

/* 15, 15.4 or 150004: PostgreSQL's server_version_num. */
static int
parse_pg_version(const char *s, int *out)
{
	char *end;
	long  major = strtol(s, &end, 10), minor = 0;

	if (end == s || major <= 0)
		goto bad;
	if (*end == '.') {
		const char *m = end + 1;

		minor = strtol(m, &end, 10);
		if (end == m || minor < 0 || minor > 99)
			goto bad;
	}
	if (*end != '\0')
		goto bad;
	if (major >= 10000)
		*out = (int)major;
	else if (major >= 9 && major < 100)
		*out = (int)(major * 10000 + minor);
	else
		goto bad;
	return 0;
bad:
	return err_set(EXIT_USAGE,
	    "--pg-version '%s' is not a PostgreSQL "
	    "version (15, 15.4 or 150004)",
	    s);
}

static int
cmd_lint_parse(struct ctx *ctx, int argc, char **argv)
{
	struct opt_iter it;
	const char     *env = getenv("STRATA_LINT_EXCLUDE");
	int64_t         ms;
	int             id, rc;

	memset(&args, 0, sizeof(args));
	args.opt.pg_version = DEFAULT_PG_VERSION;
	args.opt.lock_timeout_ms = -1;
	args.opt.exclude = args.exclude.v;
	args.format = ctx->json ? LINT_JSON : LINT_TEXT;
	args.files = xcalloc((size_t)argc + 1, sizeof(*args.files));
	if (env && *env && (rc = lint_exclude_add(&args.exclude, env)) < 0) {
		err_prefix("$STRATA_LINT_EXCLUDE");
		return rc;
	}
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, lint_opts)) != OPT_END) {
		switch (id) {
		case OPT_ERROR: return -EXIT_USAGE;
		case OPT_POSITIONAL: args.files[args.nfiles++] = it.arg; break;
		case L_PG_VERSION:
			if ((rc = parse_pg_version(it.arg,
				 &args.opt.pg_version)) < 0)
				return rc;
			args.pg_version_given = true;
			break;
		case L_DIALECT:
			if (strcmp(it.arg, "sqlite") == 0)
				args.opt.sqlite_generic = true;
			else if (strcmp(it.arg, "postgres") != 0)
				return err_set(EXIT_USAGE,
				    "--dialect takes "
				    "postgres or sqlite, not '%s'",
				    it.arg);
			break;
		case L_FORMAT:
			if (strcmp(it.arg, "text") == 0)
				args.format = LINT_TEXT;
			else if (strcmp(it.arg, "json") == 0)
				args.format = LINT_JSON;
			else if (strcmp(it.arg, "sarif") == 0)
				args.format = LINT_SARIF;
			else if (strcmp(it.arg, "github") == 0)
				args.format = LINT_GITHUB;
			else
				return err_set(EXIT_USAGE,
				    "--format takes text, "
				    "json, sarif or github, not '%s'",
				    it.arg);
			break;
		case L_STRICT: args.opt.strict = true; break;
		case L_EXCLUDE:
			if ((rc = lint_exclude_add(&args.exclude, it.arg)) <
			    0) {
				err_prefix("--exclude");
				return rc;
			}
			break;
		case L_LOCK_TIMEOUT:
			if (duration_parse(it.arg, &ms) < 0)
				return err_set(EXIT_USAGE,
				    "--lock-timeout '%s' is "
				    "not a duration (500ms, 5s, 2m)",
				    it.arg);
			/* --trace runs statements under it too. */
			args.opt.lock_timeout_ms = ms;
			ctx->cfg.lock_timeout_ms = ms;
			break;
		case L_TRACE: args.trace = true; break;
		case L_LIST_RULES: args.list_rules = true; break;
		case L_FIX: args.fix = true; break;
		case L_DIFF: args.diff = true; break;
		}
	}
	if (args.diff && !args.fix)
		return err_set(EXIT_USAGE,
		    "--diff shows what --fix would "
		    "change: give --fix too");
	if (args.fix && args.trace)
		return err_set(EXIT_USAGE, "--fix and --trace: one at a time");
	return 0;
}

static const char *rb_dir_seen = "rollback";

/* Is `path` in the rollback folder (so linted as a rollback)? */
static bool
in_folder(const char *path, const char *dir)
{
	char  copy[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	char *d;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return false;
	d = dirname(copy);
	return realpath(d, a) != NULL && realpath(dir, b) != NULL &&
	    strcmp(a, b) == 0;
}

static bool
in_rollbacks(const char *path)
{
	return in_folder(path, rb_dir_seen);
}

/* The database's dialect when one is read; else by the file's name. */
static enum dialect db_dialect = DIALECT_ANY;

static enum dialect
dialect_of(const char *path)
{
	size_t n = strlen(path);

	if (db_dialect != DIALECT_ANY)
		return db_dialect;
	if (n > 11 && strcmp(path + n - 11, ".sqlite.sql") == 0)
		return DIALECT_SQLITE;
	return args.opt.sqlite_generic ? DIALECT_SQLITE : DIALECT_POSTGRES;
}

/* The paths of the files read: findings point at them. */
static struct {
	char **v;
	size_t n;
	size_t alloc;
} paths;

static int
lint_path(struct lint_run *run, const char *path, bool down)
{
	struct sqlfile  f;
	struct mig_file mf;
	const char     *why;
	int64_t         version = 0;
	enum dialect    d = dialect_of(path);
	char           *slash = strrchr(path, '/');
	int             rc;

	if (mig_parse_name(NULL, slash ? slash + 1 : path, &mf, &why) == 0) {
		version = mf.version;
		mig_file_free(&mf);
	}
	if ((rc = sqlfile_load(&f, path, EXIT_USAGE)) < 0)
		goto done;
	if ((rc = sqlfile_check_text(&f)) < 0 ||
	    (rc = sql_split(&f, d, args.opt.pg_version)) < 0)
		goto done;
	lint_file(run, &f, d, version, down);
	ARRAY_GROW(paths.v, paths.n + 1, paths.alloc);
	paths.v[paths.n++] = f.path;
	f.path = NULL;
done:
	sqlfile_free(&f);
	return rc;
}

/* Would `up` run the version now (pending, failed part-way, out of order)? */
static bool
up_runs(const struct migration *m)
{
	return m->up_file != NULL &&
	    (m->state == STATE_PENDING || m->state == STATE_FAILED ||
		m->state == STATE_OUT_OF_ORDER);
}

/*
 * What `up` would run now, judged as `up` judges it (lint_migrations):
 * the pending forward files, and then their rollbacks.
 */
static int
lint_pending(struct db *db, struct lint_run *run, struct plan *plan)
{
	struct migration **todo = xcalloc(plan->n + 1, sizeof(*todo));
	size_t             i, n = 0, k = 0;
	int                rc;

	/*
	 * And the contract parts `complete` would run; the expanded
	 * versions stay expanded for what comes after them.
	 */
	rc = lint_note_expanded_versions(db, run, plan);
	for (i = 0; i < plan->n; i++)
		if (up_runs(&plan->v[i]))
			todo[n++] = &plan->v[i];
		else if (plan->v[i].state == STATE_EXPANDED) {
			plan->v[i].part = PART_CONTRACT;
			todo[n++] = &plan->v[i];
		}
	if (rc == 0)
		rc = lint_migrations(db, run, todo, n, false);
	if (rc == 0)
		rc = lint_repeatables(db, run, plan);
	for (i = 0; i < n; i++)
		if (todo[i]->down_file)
			todo[k++] = todo[i];
	if (rc == 0)
		rc = lint_migrations(db, run, todo, k, true);
	free(todo);
	return rc;
}

/*
 * With a database named (--db, $STRATA_DB, $DATABASE_URL): open it read
 * only (a missing SQLite file reads as empty), take its dialect, server
 * version and catalog, and, without FILE arguments, its plan.
 */
static int
open_database(struct ctx *ctx, struct lint_run *run)
{
	struct db *db;
	int        rc;

	if (!target_named(&ctx->cfg))
		return 0;
	/* --fix asks the plan which files ran, also of files named. */
	if ((rc = target_open(&ctx->target, &ctx->cfg,
		 TARGET_READ_ONLY |
		     (args.nfiles == 0 || args.fix ? TARGET_PLAN : 0))) < 0)
		return rc;
	db = ctx->target.db;
	db_dialect = db->ops->dialect;
	if (!args.pg_version_given && db->server_version > 0)
		args.opt.pg_version = db->server_version;
	/* The files of one pending run: an earlier one's tables are new. */
	args.opt.carry_new = args.nfiles == 0;
	return lint_load_catalog(db, run);
}

static const struct column rule_columns[] = {
	{ "RULE", false },
	{ "SEVERITY", false },
	{ "DIALECTS", false },
	{ "WHAT IT REPORTS", false },
};

/* --list-rules: name, default severity, dialects and what it reports. */
static void
list_rules(bool as_json)
{
	const struct lint_rule_info *r;
	struct buf                   doc = BUF_INIT;
	struct json                  j;
	struct columns               c;

	columns_init(&c, rule_columns,
	    sizeof(rule_columns) / sizeof(rule_columns[0]));
	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "rules");
	json_array_begin(&j);
	for (r = lint_rules; r->name != NULL; r++) {
		const char *sev = r->severity == SEV_ERROR ? "error"
							   : "warning";
		const char *dialects = r->postgres && r->sqlite
		    ? "postgres,sqlite"
		    : r->postgres ? "postgres"
				  : "sqlite";

		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, r->name);
		json_key(&j, "severity");
		json_string(&j, sev);
		json_key(&j, "dialects");
		json_array_begin(&j);
		if (r->postgres)
			json_string(&j, "postgres");
		if (r->sqlite)
			json_string(&j, "sqlite");
		json_array_end(&j);
		json_key(&j, "summary");
		json_string(&j, r->summary);
		json_object_end(&j);
		columns_add(&c, r->name, C_NONE);
		columns_add(&c, sev, C_NONE);
		columns_add(&c, dialects, C_NONE);
		columns_add(&c, r->summary, C_NONE);
	}
	json_array_end(&j);
	json_object_end(&j);
	if (as_json)
		json_emit(&doc);
	else {
		buf_reset(&doc);
		columns_write(&c, &doc);
		out_write(doc.ptr, doc.len);
	}
	columns_free(&c);
	buf_free(&doc);
}

static int
cmd_lint_exec(struct ctx *ctx)
{
	struct lint_run run;
	struct scan    *scan = &ctx->target.scan;
	size_t          i;
	int             k, rc;

	if (args.list_rules) {
		list_rules(args.format == LINT_JSON);
		return 0;
	}
	lint_init(&run, &args.opt);
	if ((rc = open_database(ctx, &run)) < 0)
		goto out;
	if (args.fix) {
		struct lint_fix_args fa = { &args.opt, args.files, args.nfiles,
			args.diff, args.format, dialect_of, in_rollbacks };

		rb_dir_seen = ctx->cfg.rb_dir;
		lint_free(&run);
		rc = lint_fix_run(ctx, &fa);
		free(args.files);
		return rc;
	}
	if (args.trace &&
	    (ctx->target.db == NULL || args.nfiles > 0 ||
		ctx->target.db->ops->dialect != DIALECT_POSTGRES)) {
		rc = err_set(EXIT_USAGE,
		    "--trace runs what up would run on a "
		    "PostgreSQL database: give --db (a scratch or staging copy) "
		    "and no FILE");
		goto out;
	}
	if (ctx->target.db != NULL && args.nfiles == 0) {
		rc = lint_pending(ctx->target.db, &run, &ctx->target.plan);
		if (rc == 0 && args.trace)
			rc = lint_trace_run(ctx->target.db, &run,
			    &ctx->target.plan);
	} else if (args.nfiles > 0) {
		for (k = 0; k < args.nfiles && rc == 0; k++)
			rc = lint_path(&run, args.files[k],
			    in_folder(args.files[k], ctx->cfg.rb_dir));
	} else if ((rc = scan_dirs(scan, ctx->cfg.mig_dir, ctx->cfg.rb_dir,
			false)) == 0) {
		for (i = 0; i < scan->forward.n && rc == 0; i++)
			rc = lint_path(&run, scan->forward.v[i].path, false);
		/* Repeatables are read as forward files. */
		for (i = 0; i < scan->repeatable.n && rc == 0; i++)
			rc = lint_path(&run, scan->repeatable.v[i].path, false);
		for (i = 0; i < scan->rollback.n && rc == 0; i++)
			rc = lint_path(&run, scan->rollback.v[i].path, true);
	}
out:
	if (rc == 0) {
		lint_sort(&run);
		lint_output(&run, args.format);
		/* The findings are the output: exit 3 without an error. */
		for (i = 0; i < run.n; i++)
			if (lint_is_error(&run, &run.v[i]))
				ctx->exit_code = EXIT_INVALID;
	}
	lint_free(&run);
	for (i = 0; i < paths.n; i++)
		free(paths.v[i]);
	free(paths.v);
	free(args.files);
	return rc;
}

static const struct cmd_option lint_help[] = {
	{ "--pg-version N",
	    "judge as PostgreSQL N (15, 15.4, 150004); default "
	    "the server's, or 15" },
	{ "--dialect postgres|sqlite",
	    "without a database: the files' "
	    "dialect" },
	{ "--format text|json|sarif|github", "the form of the report" },
	{ "--strict", "warnings count as errors" },
	{ "--exclude RULE,...", "rules not to report" },
	{ "--lock-timeout DURATION",
	    "the run's lock timeout (default 2s on "
	    "PostgreSQL; 0: none)" },
	{ "--trace",
	    "also run each pending statement and roll it back: its "
	    "locks and rewrites (PostgreSQL, a database)" },
	{ "--list-rules", "print every rule: name, severity, dialects" },
	{ "--fix", "rewrite the pending files into their safe form" },
	{ "--diff", "with --fix: print the change, write nothing" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_lint_entry = {
	.name = "lint",
	.usage =
	    "[FILE...] [--pg-version N] [--dialect postgres|sqlite] "
	    "[--format text|json|sarif|github] [--strict] [--exclude RULE,...] "
	    "[--lock-timeout DURATION] [--trace] [--list-rules] [--fix] "
	    "[--diff]",
	.summary = "find what the migrations would do to a busy database; "
		   "run nothing",
	.options = lint_help,
	.fleet_done = "APPLIED",
	.flags = 0,
	.parse = cmd_lint_parse,
	.exec = cmd_lint_exec,
};
