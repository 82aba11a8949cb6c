/*
 * new.c - create the next-numbered pair of files.
 *
 * Needs no database: the number comes from the folders alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "cmd.h"

static bool
valid_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static void
highest(const struct mig_files *files, int64_t *version, int *width)
{
	size_t i;

	for (i = 0; i < files->n; i++)
		if (files->v[i].version > *version ||
		    (files->v[i].version == *version &&
			files->v[i].width > *width)) {
			*version = files->v[i].version;
			*width = files->v[i].width;
		}
}

static const char *new_name;
static bool        new_repeatable;

static int
cmd_new_parse(struct ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	new_repeatable = argc == 2 && strcmp(argv[0], "--repeatable") == 0;
	if (new_repeatable) {
		argc--;
		argv++;
	}
	if (argc != 1 || argv[0][0] == '-')
		return err_set(EXIT_USAGE,
		    "usage: strata new NAME, or strata new --repeatable NAME");
	if (!valid_name(argv[0]))
		return err_set(EXIT_USAGE,
		    "'%s' is not a migration name: use "
		    "letters, digits, '_' and '-'",
		    argv[0]);
	new_name = argv[0];
	return 0;
}

/* sql/R_NAME.sql: a repeatable, no number, no rollback file. */
static int
new_repeatable_file(struct ctx *ctx)
{
	struct buf  path = BUF_INIT, text = BUF_INIT, doc = BUF_INIT;
	struct json j;
	int         rc;

	if ((rc = fs_mkdir_p(ctx->cfg.mig_dir)) < 0)
		return rc;
	buf_addf(&path, "%s/R_%s.sql", ctx->cfg.mig_dir, new_name);
	buf_addf(&text,
	    "-- R_%s: a view, a function or a trigger, kept as code. strata\n"
	    "-- runs this file again whenever it changes, after the versions,\n"
	    "-- in one transaction: write it to run again (CREATE OR REPLACE,\n"
	    "-- or DROP ... IF EXISTS first). It is never rolled back.\n",
	    new_name);
	if ((rc = fs_create_new(path.ptr, text.ptr)) == 0) {
		if (ctx->json) {
			json_init(&j, &doc);
			json_object_begin(&j);
			json_key(&j, "repeatable");
			json_string(&j, new_name);
			json_key(&j, "file");
			json_string(&j, path.ptr);
			json_object_end(&j);
			json_emit(&doc);
		} else
			out_printf("created %s\n", path.ptr);
	}
	buf_free(&path);
	buf_free(&text);
	buf_free(&doc);
	return rc;
}

static int
cmd_new_exec(struct ctx *ctx)
{
	struct buf  up = BUF_INIT, down = BUF_INIT, text = BUF_INIT;
	struct buf  doc = BUF_INIT;
	struct json j;
	int64_t     version = 0;
	int         width = 1, rc;
	const char *name = new_name;
	char       *tmpl;

	if (new_repeatable)
		return new_repeatable_file(ctx);
	if ((rc = fs_mkdir_p(ctx->cfg.mig_dir)) < 0 ||
	    (rc = fs_mkdir_p(ctx->cfg.rb_dir)) < 0)
		return rc;
	if ((rc = scan_dirs(&ctx->target.scan, ctx->cfg.mig_dir,
		 ctx->cfg.rb_dir, false)) < 0)
		return rc;
	highest(&ctx->target.scan.forward, &version, &width);
	highest(&ctx->target.scan.rollback, &version, &width);
	version++;
	if (version > 999999999999999999LL)
		return err_set(EXIT_USAGE, "no version left after %lld",
		    (long long)version - 1);
	buf_addf(&up, "%s/%0*lld_%s.sql", ctx->cfg.mig_dir, width,
	    (long long)version, name);
	buf_addf(&down, "%s/%0*lld_%s.sql", ctx->cfg.rb_dir, width,
	    (long long)version, name);
	if (access(up.ptr, F_OK) == 0 || access(down.ptr, F_OK) == 0) {
		rc = err_set(EXIT_USAGE, "'%s' or '%s' exists already", up.ptr,
		    down.ptr);
		goto done;
	}
	/*
	 * No statement yet: `up` refuses the pair while both files are
	 * still exactly this (sqlfile_is_template).
	 */
	tmpl = sqlfile_template(name, false);
	rc = fs_create_new(up.ptr, tmpl);
	free(tmpl);
	if (rc < 0)
		goto done;
	buf_adds(&text, (tmpl = sqlfile_template(name, true)));
	free(tmpl);
	if ((rc = fs_create_new(down.ptr, text.ptr)) < 0)
		goto done;
	if (ctx->json) {
		json_init(&j, &doc);
		json_object_begin(&j);
		json_key(&j, "version");
		json_int(&j, version);
		json_key(&j, "name");
		json_string(&j, name);
		json_key(&j, "file");
		json_string(&j, up.ptr);
		json_key(&j, "rollback_file");
		json_string(&j, down.ptr);
		json_object_end(&j);
		json_emit(&doc);
	} else
		out_printf("created %s\ncreated %s\n", up.ptr, down.ptr);
done:
	buf_free(&up);
	buf_free(&down);
	buf_free(&text);
	buf_free(&doc);
	return rc;
}

static const struct cmd_option new_help[] = {
	{ "--repeatable",
	    "create sql/R_NAME.sql, a repeatable migration, "
	    "instead of a pair" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_new_entry = {
	.name = "new",
	.usage = "[--repeatable] NAME",
	.summary = "create the next-numbered pair sql/V_NAME.sql and "
		   "rollback/V_NAME.sql (--repeatable: sql/R_NAME.sql)",
	.options = new_help,
	.flags = CMD_ONE_DB,
	.parse = cmd_new_parse,
	.exec = cmd_new_exec,
};
