/*
 * migration.c - scan and pair migration files.
 */
#include "migration.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/log.h"

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int
mig_parse_name(const char *dir, const char *filename, struct mig_file *out,
    const char **why)
{
	size_t       len = strlen(filename), i, digits, name_end, dot, dl, nl;
	char        *block;
	enum dialect dialect = DIALECT_ANY;
	int64_t      version = 0;

	memset(out, 0, sizeof(*out));
	if (len < 4 || strcmp(filename + len - 4, ".sql") != 0)
		return 1;
	/* R_<name>.sql: a repeatable migration, parsed as version 0. */
	if (filename[0] == 'R' && filename[1] == '_') {
		out->repeatable = true;
		digits = 1;
		goto name;
	}
	for (digits = 0;
	     digits < len && filename[digits] >= '0' && filename[digits] <= '9';
	     digits++)
		;
	if (digits == 0 || filename[digits] != '_') {
		*why = "expected <version>_<name>.sql";
		return -1;
	}
	if (digits > VERSION_MAX_DIGITS) {
		*why = "version has more than 18 digits";
		return -1;
	}
	for (i = 0; i < digits; i++)
		version = version * 10 + (filename[i] - '0');
	if (version == 0) {
		*why = "version 0 is not a version (it means \"none\")";
		return -1;
	}
name:
	name_end = len - 4;
	for (dot = name_end; dot > digits + 1 && filename[dot - 1] != '.';
	     dot--)
		;
	if (dot > digits + 1) {
		size_t dl = name_end - dot;

		if (dl == 8 && memcmp(filename + dot, "postgres", 8) == 0)
			dialect = DIALECT_POSTGRES;
		else if (dl == 6 && memcmp(filename + dot, "sqlite", 6) == 0)
			dialect = DIALECT_SQLITE;
		else {
			*why = "dialect must be 'postgres' or 'sqlite'";
			return -1;
		}
		name_end = dot - 1;
	}
	if (name_end <= digits + 1) {
		*why = "expected <version>_<name>.sql with a name";
		return -1;
	}
	for (i = digits + 1; i < name_end; i++) {
		if (!name_char(filename[i])) {
			*why =
			    "name may hold only letters, digits, '_' and '-'";
			return -1;
		}
	}
	out->version = version;
	out->width = out->repeatable ? 0 : (int)digits;
	out->dialect = dialect;
	/* "dir/filename\0name\0": one allocation for a thousand files' worth. */
	dl = dir ? strlen(dir) + 1 : 0;
	nl = name_end - digits - 1;
	block = xmalloc(dl + len + 1 + nl + 1);
	if (dir) {
		memcpy(block, dir, dl - 1);
		block[dl - 1] = '/';
	}
	memcpy(block + dl, filename, len + 1);
	memcpy(block + dl + len + 1, filename + digits + 1, nl);
	block[dl + len + 1 + nl] = '\0';
	out->path = block;
	out->filename = block + dl;
	out->name = block + dl + len + 1;
	return 0;
}

void
mig_file_free(struct mig_file *f)
{
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static int
cmp_file(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->dialect != y->dialect)
		return x->dialect < y->dialect ? -1 : 1;
	return strcmp(x->filename, y->filename);
}

int
mig_files_finish(struct mig_files *files)
{
	size_t i;

	if (files->n > 1)
		qsort(files->v, files->n, sizeof(*files->v), cmp_file);
	for (i = 1; i < files->n; i++) {
		const struct mig_file *a = &files->v[i - 1], *b = &files->v[i];

		if (a->version == b->version && a->dialect == b->dialect) {
			err_set(EXIT_USAGE,
			    "'%s' and '%s' are both version "
			    "%lld%s%s",
			    a->path, b->path, (long long)a->version,
			    a->dialect ? " for " : "",
			    a->dialect ? dialect_name(a->dialect) : "");
			err_set_version(a->version);
			err_set_location(b->path, 0, 0);
			return -EXIT_USAGE;
		}
	}
	return 0;
}

static void
files_free(struct mig_files *files)
{
	size_t i;

	for (i = 0; i < files->n; i++)
		mig_file_free(&files->v[i]);
	free(files->v);
	files->v = NULL;
	files->n = 0;
}

static int
cmp_repeatable(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;
	int                    c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->dialect < y->dialect ? -1 : x->dialect > y->dialect;
}

/* Sort by name and refuse two files of one name and dialect (exit 2). */
static int
repeatables_finish(struct mig_files *files)
{
	size_t i;

	if (files->n > 1)
		qsort(files->v, files->n, sizeof(*files->v), cmp_repeatable);
	for (i = 1; i < files->n; i++) {
		const struct mig_file *a = &files->v[i - 1], *b = &files->v[i];

		if (strcmp(a->name, b->name) == 0 && a->dialect == b->dialect) {
			err_set(EXIT_USAGE,
			    "'%s' and '%s' are both the repeatable '%s'",
			    a->path, b->path, a->name);
			err_set_location(b->path, 0, 0);
			return -EXIT_USAGE;
		}
	}
	return 0;
}

const struct mig_file *
scan_pick_repeatable(const struct mig_files *files, const char *name,
    enum dialect d)
{
	const struct mig_file *generic = NULL;
	size_t                 i;

	for (i = 0; i < files->n; i++) {
		if (strcmp(files->v[i].name, name) != 0)
			continue;
		if (files->v[i].dialect == d)
			return &files->v[i];
		if (files->v[i].dialect == DIALECT_ANY)
			generic = &files->v[i];
	}
	return generic;
}

static int
scan_one(struct mig_files *out, struct mig_files *rep, const char *dir,
    bool must_exist)
{
	size_t         ralloc = 0;
	struct buf     path = BUF_INIT;
	struct dirent *de;
	struct stat    st;
	size_t         alloc = 0;
	DIR           *d;
	int            rc = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return err_set(EXIT_USAGE, "cannot open folder '%s': %s", dir,
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		struct mig_file f;
		const char     *why = NULL;
		int             r;

		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
			(de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		/* d_type saves a stat per file; some filesystems leave it. */
		if (de->d_type == DT_DIR ||
		    ((de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) &&
			fstatat(dirfd(d), de->d_name, &st, 0) == 0 &&
			S_ISDIR(st.st_mode)))
			continue;
		r = mig_parse_name(dir, de->d_name, &f, &why);
		if (r == 1) {
			size_t n = strlen(de->d_name);

			/* 1_a.SQL looks like a migration and is not one. */
			if (n > 4 &&
			    strcasecmp(de->d_name + n - 4, ".sql") == 0)
				log_warn("'%s/%s' is left out: only names "
					 "ending in lower-case '.sql' are "
					 "migrations (rename it)",
				    dir, de->d_name);
			continue;
		}
		if (r == 0 && f.repeatable && rep == NULL) {
			why = "a repeatable migration (R_<name>.sql) has no "
			      "rollback file: it belongs in the migrations "
			      "folder";
			mig_file_free(&f);
			r = -1;
		}
		if (r < 0) {
			/* Every misnamed file is reported, not the first. */
			buf_reset(&path);
			buf_addf(&path, "%s/%s", dir, de->d_name);
			err_set(EXIT_USAGE, "misnamed migration file '%s': %s",
			    path.ptr, why);
			err_set_location(path.ptr, 0, 0);
			err_keep();
			continue;
		}
		if (f.repeatable) {
			ARRAY_GROW(rep->v, rep->n + 1, ralloc);
			rep->v[rep->n++] = f;
			continue;
		}
		ARRAY_GROW(out->v, out->n + 1, alloc);
		out->v[out->n++] = f;
	}
	closedir(d);
	buf_free(&path);
	if (rc == 0)
		rc = mig_files_finish(out);
	if (rc == 0 && rep != NULL)
		rc = repeatables_finish(rep);
	return rc;
}

/*
 * Dated versions of two widths (20201010 and 20191010120000) run in
 * numeric order, which is not the order a listing of the folder shows:
 * how folders converted from another tool go wrong. Short sequence
 * numbers (9 before 10) are left alone.
 */
static void
warn_mixed_widths(const struct mig_files *files)
{
	size_t i;

	for (i = 1; i < files->n; i++) {
		const struct mig_file *a = &files->v[i - 1], *b = &files->v[i];
		int narrow = a->width < b->width ? a->width : b->width;

		if (a->version == b->version || a->width == b->width ||
		    narrow < 8 || strcmp(a->filename, b->filename) < 0)
			continue;
		log_warn("versions of %d and %d digits: '%s' runs before "
			 "'%s' (by number), though it is listed after it; "
			 "give every version the same width",
		    a->width, b->width, a->path, b->path);
		return;
	}
}

int
scan_dirs(struct scan *s, const char *mig_dir, const char *rb_dir, bool keep)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = scan_one(&s->forward, &s->repeatable, mig_dir, true)) < 0)
		return rc;
	warn_mixed_widths(&s->forward);
	if ((rc = scan_one(&s->rollback, NULL, rb_dir, false)) < 0)
		return rc;
	return keep ? 0 : err_kept_end();
}

void
scan_free(struct scan *s)
{
	files_free(&s->forward);
	files_free(&s->rollback);
	files_free(&s->repeatable);
}

const struct mig_file *
scan_pick(const struct mig_files *files, int64_t version, enum dialect d)
{
	const struct mig_file *generic = NULL;
	size_t                 lo = 0, hi = files->n;

	/* Binary search for the first file of this version. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (files->v[mid].version < version)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < files->n && files->v[lo].version == version; lo++) {
		if (files->v[lo].dialect == d)
			return &files->v[lo];
		if (files->v[lo].dialect == DIALECT_ANY)
			generic = &files->v[lo];
	}
	return generic;
}
