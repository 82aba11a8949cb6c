/*
 * migration.h - the migrations folder: file names, versions, dialects.
 *
 * Scans sql/ and rollback/, parses <version>_<name>[.<dialect>].sql, and
 * refuses (exit 2, naming the file) anything else ending in .sql, duplicate
 * versions and versions out of range. Knows nothing about databases.
 */
#ifndef STRATA_MIGRATION_H
#define STRATA_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/sql.h"

#define VERSION_MAX_DIGITS 18

/* path is one allocation that also holds filename (its end) and name. */
struct mig_file {
	int64_t      version;
	int          width; /* digits as written, for `new` */
	const char  *name;
	enum dialect dialect;
	const char  *filename;
	char        *path;
	bool         repeatable; /* R_<name>.sql: version 0 */
};

struct mig_files {
	struct mig_file *v;
	size_t           n;
};

struct scan {
	struct mig_files forward;
	struct mig_files rollback;
	struct mig_files repeatable; /* sql/R_*.sql, by name */
};

/*
 * Parse the name of a file in folder `dir` (NULL: the path is the name).
 * Returns 0 and fills `out`, 1 for a name that does not end in .sql
 * (ignored), or -1 for a .sql file that is misnamed, with the reason in
 * `why`.
 */
int  mig_parse_name(const char *dir, const char *filename, struct mig_file *out,
     const char **why);
void mig_file_free(struct mig_file *);

/* Scan both folders; a missing rollback folder counts as empty. */
/*
 * Every misnamed file is an error of its own; with keep they stay kept
 * (err_keep) for the caller to report with more, else the first is
 * returned after all were kept.
 */
int
scan_dirs(struct scan *, const char *mig_dir, const char *rb_dir, bool keep);
void scan_free(struct scan *);

/* The file for `version` on `dialect`: its own variant, else the generic. */
const struct mig_file *
scan_pick(const struct mig_files *, int64_t version, enum dialect);

/* The repeatable `name`'s file on `dialect`: its own variant, else generic. */
const struct mig_file *
scan_pick_repeatable(const struct mig_files *, const char *name, enum dialect);

/* Sort and refuse two files of one version and dialect (exit 2). */
int mig_files_finish(struct mig_files *);

#endif
