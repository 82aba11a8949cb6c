/*
 * lint_fix.c - `strata lint --fix [--diff]`: pending files rewritten into
 * the safe form of what they say (SPEC §12), written whole or shown as a
 * diff.
 *
 * The files are linted, the fixable statements rewritten in memory, and
 * the new texts linted again, until a pass fixes nothing (a fix may make
 * room for another: a column added bare, then its NOT NULL). What lint
 * still finds is reported as lint reports it, each unfixed finding's help
 * saying why.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lint/fix.h"
#include "../lint/output.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "../util/udiff.h"
#include "cmd.h"
#include "lint_db.h"
#include "lint_fix.h"

#define FIX_PASSES 4

struct target_file {
	char        *path;
	bool         down;
	enum dialect dialect;
	int64_t      version;
	struct buf   text; /* as fixed so far */
	struct buf   original;
	size_t       fixes;
};

struct fix_run {
	struct target_file *v;
	size_t              n;
	size_t              alloc;
};

static int
add_file(struct fix_run *fr, const struct lint_fix_args *a, const char *path,
    bool down)
{
	struct target_file *t;
	struct mig_file     mf;
	const char         *why, *slash = strrchr(path, '/');
	int                 rc;

	ARRAY_GROW(fr->v, fr->n + 1, fr->alloc);
	t = &fr->v[fr->n];
	memset(t, 0, sizeof(*t));
	if ((rc = fs_read(&t->original, path, EXIT_USAGE)) < 0)
		return rc;
	fr->n++;
	t->path = xstrdup(path);
	t->down = down;
	t->dialect = a->dialect_of(path);
	if (mig_parse_name(NULL, slash ? slash + 1 : path, &mf, &why) == 0) {
		t->version = mf.version;
		mig_file_free(&mf);
	}
	buf_add(&t->text, t->original.ptr, t->original.len);
	return 0;
}

/* Does the file belong to a version that ran, or began to? (exit 2) */
static int
refuse_ran(const struct plan *p, const char *path)
{
	char   want[PATH_MAX], have[PATH_MAX];
	size_t i;

	if (realpath(path, want) == NULL)
		return 0;
	for (i = 0; i < p->n; i++) {
		const struct migration *m = &p->v[i];
		const struct mig_file  *fs[2] = { m->up_file, m->down_file };
		int                     k;

		if (m->state == STATE_PENDING || m->state == STATE_OUT_OF_ORDER)
			continue;
		for (k = 0; k < 2; k++)
			if (fs[k] && realpath(fs[k]->path, have) &&
			    strcmp(have, want) == 0) {
				err_set(EXIT_USAGE,
				    "'%s' belongs to version %lld, which is "
				    "%s: lint --fix changes only the files of "
				    "pending versions (what ran stays as it "
				    "ran)",
				    path, (long long)m->version,
				    state_name(m->state));
				err_set_location(path, 0, 0);
				return -EXIT_USAGE;
			}
	}
	return 0;
}

/* Is the path one of the files already taken? */
static bool
taken(const struct fix_run *fr, const char *path)
{
	char   want[PATH_MAX], have[PATH_MAX];
	size_t i;

	if (realpath(path, want) == NULL)
		return false;
	for (i = 0; i < fr->n; i++)
		if (realpath(fr->v[i].path, have) && strcmp(have, want) == 0)
			return true;
	return false;
}

/*
 * Forward files named alone: their rollback files are fixed with them
 * (a moved drop's undo must move too), as for the whole folder.
 */
static int
add_rollbacks(struct ctx *ctx, const struct lint_fix_args *a,
    struct fix_run *fr)
{
	struct scan s;
	size_t      i, n = fr->n;
	int         rc = 0;

	if (scan_dirs(&s, ctx->cfg.mig_dir, ctx->cfg.rb_dir, true) < 0) {
		err_kept_clear();
		err_clear();
		scan_free(&s);
		return 0;
	}
	err_kept_clear();
	for (i = 0; i < n && rc == 0; i++) {
		const struct mig_file *rb;

		if (fr->v[i].down || fr->v[i].version == 0)
			continue;
		rb = scan_pick(&s.rollback, fr->v[i].version, fr->v[i].dialect);
		if (rb != NULL && !taken(fr, rb->path))
			rc = add_file(fr, a, rb->path, true);
	}
	scan_free(&s);
	return rc;
}

static int
gather(struct ctx *ctx, const struct lint_fix_args *a, struct fix_run *fr)
{
	struct plan *p = &ctx->target.plan;
	struct scan *scan = &ctx->target.scan;
	size_t       i;
	int          k, rc = 0;

	if (a->nfiles > 0) {
		for (k = 0; k < a->nfiles && rc == 0; k++)
			if (ctx->target.db == NULL ||
			    (rc = refuse_ran(p, a->files[k])) == 0)
				rc = add_file(fr, a, a->files[k],
				    a->in_rollbacks(a->files[k]));
		return rc < 0 ? rc : add_rollbacks(ctx, a, fr);
	}
	if (ctx->target.db != NULL) {
		for (i = 0; i < p->n && rc == 0; i++)
			if (p->v[i].up_file &&
			    (p->v[i].state == STATE_PENDING ||
				p->v[i].state == STATE_OUT_OF_ORDER))
				rc = add_file(fr, a, p->v[i].up_file->path,
				    false);
		for (i = 0; i < p->n && rc == 0; i++)
			if (p->v[i].up_file && p->v[i].down_file &&
			    (p->v[i].state == STATE_PENDING ||
				p->v[i].state == STATE_OUT_OF_ORDER))
				rc = add_file(fr, a, p->v[i].down_file->path,
				    true);
		return rc;
	}
	if ((rc = scan_dirs(scan, ctx->cfg.mig_dir, ctx->cfg.rb_dir, false)) <
	    0)
		return rc;
	for (i = 0; i < scan->forward.n && rc == 0; i++)
		rc = add_file(fr, a, scan->forward.v[i].path, false);
	for (i = 0; i < scan->rollback.n && rc == 0; i++)
		rc = add_file(fr, a, scan->rollback.v[i].path, true);
	return rc;
}

/* Lint the files as they are now, forward ones first, then rollbacks. */
static int
lint_all(struct ctx *ctx, const struct lint_fix_args *a, struct fix_run *fr,
    struct lint_run *run, struct sqlfile *fs)
{
	size_t i;
	int    pass, rc;

	lint_init(run, a->opt);
	if (ctx->target.db != NULL &&
	    (rc = lint_load_catalog(ctx->target.db, run)) < 0)
		return rc;
	for (i = 0; i < fr->n; i++) {
		struct sqlfile *f = &fs[i];

		memset(f, 0, sizeof(*f));
		f->path = xstrdup(fr->v[i].path);
		buf_add(&f->text, fr->v[i].text.ptr, fr->v[i].text.len);
		sqlfile_read_text(f);
		if ((rc = sqlfile_check_text(f)) < 0 ||
		    (rc = sql_split(f, fr->v[i].dialect, a->opt->pg_version)) <
			0)
			return rc;
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < fr->n; i++)
			if (fr->v[i].down == (pass == 1))
				lint_file(run, &fs[i], fr->v[i].dialect,
				    fr->v[i].version, fr->v[i].down);
	return 0;
}

/* One pass: every file's fixable statements rewritten; how many. */
static size_t
fix_pass(struct lint_run *run, struct fix_run *fr, struct sqlfile *fs)
{
	struct fix_notes notes = { NULL, 0, 0 };
	size_t           i, total = 0;
	int              pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < fr->n; i++) {
			struct target_file *t = &fr->v[i];
			struct buf          out = BUF_INIT;
			size_t              n;

			if (t->down != (pass == 1))
				continue;
			n = fix_file(run, &fs[i], t->dialect, t->version,
			    t->down, &notes, &out);
			if (n > 0) {
				buf_free(&t->text);
				t->text = out;
				t->fixes += n;
				total += n;
			} else
				buf_free(&out);
		}
	fix_notes_free(&notes);
	return total;
}

static void
free_files(struct sqlfile *fs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sqlfile_free(&fs[i]);
}

/* Write each changed file whole (or print its diff). */
static int
write_out(const struct lint_fix_args *a, struct fix_run *fr)
{
	struct buf diff = BUF_INIT;
	size_t     i;
	int        rc = 0;

	for (i = 0; i < fr->n && rc == 0; i++) {
		struct target_file *t = &fr->v[i];
		char                na[PATH_MAX + 3], nb[PATH_MAX + 3];

		if (t->text.len == t->original.len &&
		    memcmp(t->text.ptr, t->original.ptr, t->text.len) == 0)
			continue;
		if (a->diff) {
			snprintf(na, sizeof(na), "a/%s", t->path);
			snprintf(nb, sizeof(nb), "b/%s", t->path);
			udiff(&diff, na, t->original.ptr, t->original.len, nb,
			    t->text.ptr, t->text.len);
			continue;
		}
		if ((rc = fs_replace(t->path, t->text.ptr, t->text.len)) == 0)
			log_notice("fixed %s (%zu statement%s)", t->path,
			    t->fixes, t->fixes == 1 ? "" : "s");
	}
	if (diff.len > 0)
		out_write(diff.ptr, diff.len);
	buf_free(&diff);
	return rc;
}

int
lint_fix_run(struct ctx *ctx, const struct lint_fix_args *a)
{
	struct fix_run  fr = { NULL, 0, 0 };
	struct lint_run run;
	struct sqlfile *fs = NULL;
	size_t          i;
	int             pass, rc;
	bool            have_run = false;

	if ((rc = gather(ctx, a, &fr)) < 0)
		goto out;
	fs = xcalloc(fr.n + 1, sizeof(*fs));
	for (pass = 0; pass < FIX_PASSES; pass++) {
		if (have_run) {
			lint_free(&run);
			free_files(fs, fr.n);
		}
		have_run = true;
		if ((rc = lint_all(ctx, a, &fr, &run, fs)) < 0)
			goto out;
		if (fix_pass(&run, &fr, fs) == 0)
			break;
		if (pass + 1 == FIX_PASSES) {
			/* What is left is what the last texts hold. */
			lint_free(&run);
			free_files(fs, fr.n);
			if ((rc = lint_all(ctx, a, &fr, &run, fs)) < 0)
				goto out;
		}
	}
	if ((rc = write_out(a, &fr)) < 0)
		goto out;
	lint_sort(&run);
	if (a->diff)
		lint_output_stderr(&run);
	else
		lint_output(&run, a->format);
	for (i = 0; i < run.n; i++)
		if (lint_is_error(&run, &run.v[i]))
			ctx->exit_code = EXIT_INVALID;
out:
	if (have_run) {
		lint_free(&run);
		free_files(fs, fr.n);
	}
	free(fs);
	for (i = 0; i < fr.n; i++) {
		free(fr.v[i].path);
		buf_free(&fr.v[i].text);
		buf_free(&fr.v[i].original);
	}
	free(fr.v);
	return rc;
}
