/*
 * sumcache.h - remembered checksums of migration files, trusted only while
 * stat(2) says the file is untouched.
 *
 * `status`, `up` and `rollback` must tell a drifted file from an applied
 * one, so they need the checksum of every file; reading and hashing a
 * thousand files is most of what a `status` (or an `up` with nothing to
 * do) would otherwise spend. A file that is run is read in full all the
 * same, and must still have the checksum the plan was made with. The
 * cache keeps, per folder, each
 * file's checksum and directives next to its device, inode, size, mtime
 * and ctime. Any write to a file changes its ctime, which nobody can set
 * back, so a file whose stat still matches holds the bytes that were
 * hashed. A file changed less than two seconds before it was hashed is not
 * remembered: its timestamps could still be those of the next edit (git's
 * "racily clean" entries).
 *
 * Where: $STRATA_CACHE_DIR, else $XDG_CACHE_HOME/strata, else
 * ~/.cache/strata; STRATA_NO_CACHE=1 turns it off. A cache that is missing,
 * unreadable or garbled is ignored, and one that cannot be written is not
 * an error: the files are read as if there were none.
 */
#ifndef STRATA_SUMCACHE_H
#define STRATA_SUMCACHE_H

#include "migration.h"
#include "../sql/sql.h"

struct sumcache;

/* The cache of one folder, or NULL when there is none to use. */
struct sumcache *sumcache_open(const char *dir);
/*
 * Fill f's path, checksum and directives, from the cache when the file is
 * unchanged (f->text stays empty), else by reading it. A NULL cache reads.
 */
int sumcache_load(struct sumcache *, struct sqlfile *f, const struct mig_file *,
    int code);
/* Save what was learnt, if anything, and free. */
void sumcache_close(struct sumcache *);

#endif
