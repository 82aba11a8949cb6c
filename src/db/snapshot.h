/*
 * snapshot.h - a database's schema as sorted (key, value) pairs, read from
 * its catalogs, and the first difference between two of them.
 *
 * Keys name one object or one attribute of it ("column games.starts_at",
 * "column games.starts_at not null", "index raw_odds_game_book_time"); the
 * value is its normalised definition. Two schemas that are the same give
 * the same pairs, whatever order or spelling created them.
 */
#ifndef STRATA_SNAPSHOT_H
#define STRATA_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

struct db;

struct snap_item {
	char *key;
	char *value;
};

struct snapshot {
	struct snap_item *v;
	size_t            n;
	size_t            alloc;
};

/* Normalisation a driver asks for in a snapshot row's third column. */
enum snap_norm {
	SNAP_AS_IS = 0,    /* already canonical (PostgreSQL's pg_get_*) */
	SNAP_SQL = 1,      /* SQL text as written: fold case and spacing */
	SNAP_SQL_BODY = 2, /* the same, from the first '(' (table body) */
};

/*
 * Read the schema through the driver, leaving out the relations named in
 * own (strata's: tables_own); the result is sorted by key.
 */
int  snapshot_take(struct db *, const char *const *own, struct snapshot *);
void snapshot_free(struct snapshot *);

/* Add one row the way a driver's snapshot query gives it. */
void snapshot_add(struct snapshot *, const char *key, const char *value,
    enum snap_norm);
void snapshot_sort(struct snapshot *);
/* A db_row_fn for queries giving (key, value, enum snap_norm) rows. */
int snapshot_row(void *snapshot, int ncols, char **values);

/*
 * Describe the first difference of `now` from `expected` into `out` as
 * "KEY: NOW != EXPECTED" (or that a key is missing or left over; for
 * multi-line definitions, the lines that differ), then how many more
 * differ. Returns false when they are equal.
 */
bool snapshot_diff(const struct snapshot *expected, const struct snapshot *now,
    struct buf *out);
/*
 * --check-rollbacks=ignore-column-order: forget column positions (and
 * the order of a SQLite table's column definitions).
 */
void snapshot_ignore_column_order(struct snapshot *);
/*
 * The snapshot as stable text (strata schema, --schema-file): a header
 * line, then "KEY: VALUE" a line, or "KEY:" and the value's lines
 * indented by four.
 */
void snapshot_text(const struct snapshot *, const char *dialect, struct buf *);

/*
 * SQL text in a canonical spelling: comments dropped, case folded outside
 * string literals, identifier quotes removed, whitespace collapsed and
 * dropped around punctuation.
 */
void sql_normalise(const char *sql, bool body_only, struct buf *out);

#endif
