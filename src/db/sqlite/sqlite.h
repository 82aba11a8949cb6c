/*
 * sqlite.h - the SQLite driver's pieces: open.c (opening and closing),
 * driver.c (running, facts, the table of operations), lock.c (the
 * migration lock, a file lock beside the database), schema.c (the schema
 * snapshot). Only open.c and driver.c include <sqlite3.h>.
 */
#ifndef STRATA_DB_SQLITE_H
#define STRATA_DB_SQLITE_H

#include <stdint.h>

#include "../db.h"

struct sqlite3;
struct sqlite3_stmt;

struct db_sqlite {
	struct db       base;
	struct sqlite3 *conn;
	char           *path;
	char           *lock_path;
	int             lock_fd;
	/* The statement running, for its progress line. */
	const struct stmt *running;
	int64_t            started_us;
	int64_t            next_progress_us;
	/*
	 * strata's own statements, prepared once and kept: a run of
	 * --single-transaction writes 500 history rows with one prepare.
	 * (After DDL, SQLite prepares a kept statement again by itself.)
	 */
	struct {
		char                *sql;
		struct sqlite3_stmt *st;
	} kept[8];
	unsigned kept_next;
	int64_t  page_size; /* 0 until read */
	int64_t  busy_ms;   /* the busy timeout */
	int64_t  busy_since_us;
	bool     joined; /* begin found a migration's own transaction */
};

/* open.c */
bool sqlite_accepts(const char *url);
int  sqlite_open(struct db **, const char *url, const struct db_config *);
void sqlite_close(struct db *);

/* driver.c: an error of d's connection; sql run outside any statement */
int sqlite_fail(struct db_sqlite *d, int code, const char *what);
int sqlite_run(struct db_sqlite *d, const char *sql);

/* lock.c */
int  sqlite_lock(struct db *, int64_t wait_ms);
void sqlite_unlock(struct db *);

/* schema.c */
struct catalog_sink;
int sqlite_snapshot(struct db *, const char *const *own, struct snapshot *);
int sqlite_catalog(struct db *, const struct catalog_sink *);
int sqlite_table_key(struct db *, const char *table, struct table_key *);

#endif
