/*
 * tables.h - strata's own tables, described once: their columns, their
 * DDL for each dialect, and the version of their layout.
 *
 * strata_history and strata_log hold what strata did; strata_meta holds
 * the version of the layout (the row named 'tables_version'). A database whose
 * tables have no strata_meta was made before layouts had versions: it is
 * version 1. A newer strata upgrades an older layout in place, under the
 * migration lock; an older one refuses a newer layout rather than misread
 * it.
 */
#ifndef STRATA_TABLES_H
#define STRATA_TABLES_H

#include <stdbool.h>

struct db;

/* The layout this strata writes. */
#define TABLES_VERSION 5

/* strata_history's columns, in the order of its DDL and of every SELECT. */
enum history_column {
	HC_VERSION,
	HC_NAME,
	HC_CHECKSUM,
	HC_ROLLBACK_CHECKSUM,
	HC_STATE,
	HC_COMPLETED,
	HC_COMPLETED_CHECKSUM,
	HC_ROLLBACK_COMPLETED,
	HC_APPLIED_AT,
	HC_DURATION,
	HC_APPLIED_BY,
	HC_COMPLETED_EXTRA,
	HC_ROLLBACK_EXTRA,
	HC_BATCH_STATEMENT, /* a backfill in progress: its statement */
	HC_BATCH_ROWS,      /* rows it changed so far */
	HC_BATCH_ROUNDS,    /* batches done so far */
	HC_BATCH_LAST,      /* the last key done, as SQL literals */
	HC_BATCH_MAX,       /* the highest key when it started */
	HC__COUNT
};

/* strata_log's columns; LC_ID is the database's own. */
enum log_column {
	LC_ID,
	LC_AT,
	LC_VERSION,
	LC_DIRECTION,
	LC_STATEMENT,
	LC_KIND,
	LC_TEXT,
	LC_DURATION,
	LC_ROWS,
	LC_OUTCOME,
	LC_SQLSTATE,
	LC_ERROR,
	LC_FACTS,
	LC__COUNT
};

enum column_type {
	COL_BIGINT,
	COL_INT,
	COL_TEXT,
	COL_TIMESTAMP, /* timestamptz; ISO-8601 text on SQLite */
	COL_REAL,
	COL_JSON,
	COL_SERIAL, /* the log's id */
};

struct table_column {
	const char      *name;
	enum column_type type;
	const char      *constraint; /* "NOT NULL", ... or "" */
	int              since; /* the layout that added it; 0: the first */
};

/* strata_repeatable's: one row per repeatable migration, as it last ran. */
enum repeat_column {
	RC_NAME,
	RC_CHECKSUM,
	RC_APPLIED_AT,
	RC_DURATION,
	RC_APPLIED_BY,
	RC__COUNT
};

/* strata's tables, in the order of tables_own[]. */
enum strata_table {
	TABLE_HISTORY,
	TABLE_LOG,
	TABLE_META,
	TABLE_REPEATABLE,
	TABLE__COUNT
};

/*
 * Every relation strata keeps for itself, unqualified and NULL-terminated:
 * its tables (indexed by enum strata_table), then what PostgreSQL makes
 * for them. A schema snapshot leaves these out.
 */
extern const char *const tables_own[];
/* A table's name as SQL: qualified by the --schema on PostgreSQL. */
const char *table_sql(const struct db *, enum strata_table);

extern const struct table_column history_columns[HC__COUNT];
extern const struct table_column repeat_columns[RC__COUNT];
extern const struct table_column log_columns[LC__COUNT];

/*
 * Read-only: do the tables exist, and which layout are they (0 when
 * there are none)? A layout newer than TABLES_VERSION is exit 5. The
 * layout is kept in db->tables_layout for those who read the tables.
 */
int tables_look(struct db *, bool *exist, int *version);
/*
 * Under the migration lock: create the tables, or bring an older layout
 * up to TABLES_VERSION (saying so once on stderr).
 */
int tables_ensure(struct db *);

#endif
