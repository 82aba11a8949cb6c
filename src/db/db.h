/*
 * db.h - the driver interface: what strata needs from a database.
 *
 * A driver fills a struct db_ops and embeds struct db first in its own
 * connection struct. The core calls drivers only through the wrappers
 * below, which also check the optional slots. Nothing here names libpq or
 * sqlite3; those headers are included by exactly one driver file each.
 */
#ifndef STRATA_DB_H
#define STRATA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/sql.h"
#include "../util/buf.h"
#include "../util/facts.h"

struct db;
struct snapshot;
struct catalog_sink;

/*
 * What a driver tells people while it works (a wait for the lock, a
 * recovery step, a server's notice, a running statement's live line) goes
 * to whoever opened it, as events: the reporter decides how they show.
 */
struct db_events {
	void *arg;
	void (*notice)(void *arg, const char *text);
	/* The live line of the statement running in `slot`; NULL clears it. */
	void (*progress)(void *arg, int slot, const char *line);
	/* Is anyone looking at live lines (a terminal, not -q or --json)? */
	bool (*progress_wanted)(void *arg);
};

struct db_config {
	const char *schema; /* PostgreSQL: strata's tables */
	/* A tenant (SPEC §8): search_path is the schema, then public. */
	bool                    search_path;
	int64_t                 lock_timeout_ms;      /* < 0: driver default */
	int64_t                 statement_timeout_ms; /* < 0: none */
	const struct db_events *events;               /* NULL: nobody listens */
	/* Change nothing; SQLite: a missing file reads as an empty database. */
	bool read_only;
};

/* What running one migration statement produced. */
/* One part of a statement done in parts, for its own log row. */
struct exec_part {
	char   *text;
	char   *partition;
	double  duration_ms;
	int64_t index_bytes; /* -1 unknown */
};

struct exec_result {
	int64_t rows;        /* rows affected, -1 when it does not apply */
	char    sqlstate[6]; /* "" when the database has none */
	char   *message;     /* error text, NULL on success */
	char   *detail;
	char   *hint;
	int     position;  /* 1-based character in the statement, 0 none */
	bool    retryable; /* lock timeout, deadlock, database busy */
	/* The database itself failed (connection lost, disk): exit 5. */
	bool  lost;
	char *blockers; /* who held the lock, when known */
	char *phase;    /* last index-build phase seen, or NULL */
	/* PostgreSQL: about how long it waited for a lock before it ran. */
	double lock_wait_ms;
	/* A statement done in parts (an index partition by partition). */
	struct exec_part *parts;
	size_t            n_parts;
	size_t            alloc_parts;
	int64_t           partitions;  /* > 0: it was done partition-wise */
	int64_t           index_bytes; /* of all the parts, -1 unknown */
	bool not_concurrently;         /* DROP INDEX of a partitioned one */
};

void exec_result_clear(struct exec_result *);
/* Forget the parts (their log rows were written). */
void exec_parts_free(struct exec_result *);

/*
 * Facts about a statement worth keeping in the optimization log. A driver
 * looks before and after the statement and adds what it learnt.
 */
struct stmt_facts {
	int64_t      relfilenode_before; /* -1 unknown */
	int64_t      size_before;        /* -1 unknown */
	struct facts facts;
};

/* One statement of a --jobs batch, for exec_parallel. */
enum job_state {
	JOB_WAITING = 0,
	JOB_RUNNING,
	JOB_OK,
	JOB_FAILED,
	JOB_NOT_RUN, /* never started: an earlier one failed */
};

struct par_job {
	const char        *sql;
	size_t             len;
	const struct stmt *s;
	enum job_state     state;
	struct exec_result res;
	double             duration_ms;
	char               at[32]; /* when it ended, ISO-8601 */
};

/*
 * A table's key, for keyset batches (SPEC §7): the primary key, else a
 * unique index on NOT NULL columns (SQLite: the rowid, or a WITHOUT ROWID
 * table's primary key).
 */
struct table_key {
	bool    exists;
	char  **cols;     /* as SQL: quoted identifiers, or SQLite's rowid */
	char  **names;    /* as the catalog names them, for people */
	size_t  n;        /* 0: no usable key */
	int64_t estimate; /* rows in the table */
};

void table_key_free(struct table_key *);
/* Add a column: as SQL `col`, or NULL for `name` double-quoted. */
void table_key_add(struct table_key *, const char *col, const char *name);

/* Called for each row of a query; values are text or NULL. Non-zero stops. */
typedef int (*db_row_fn)(void *arg, int ncols, char **values);

/*
 * strata's own writes (history and log rows), gathered so that a driver
 * can send them together, and with the COMMIT that follows them.
 */
struct db_write {
	char  *sql;
	int    nparams;
	char **params; /* text or NULL */
};

struct db_writes {
	struct db_write *v;
	size_t           n;
	size_t           alloc;
};

struct db_ops {
	int          version; /* 1 */
	const char  *name;    /* "postgres", "sqlite" */
	enum dialect dialect;

	bool (*accepts)(const char *url);
	int (*open)(struct db **out, const char *url, const struct db_config *);
	void (*close)(struct db *);

	/* Run one migration statement. Returns 0, or -1 with res filled. */
	int (*exec)(struct db *, const char *sql, size_t len,
	    const struct stmt *, struct exec_result *res);
	/* Run strata's own SQL with $1..$n text parameters. */
	int (*query)(struct db *, const char *sql, int nparams,
	    const char *const *params, db_row_fn, void *arg);
	/* Run strata's own statements (DDL), several in one text, quietly. */
	int (*run)(struct db *, const char *sql);

	/*
	 * Inside a transaction a migration's own BEGIN opened (a
	 * no-transaction file), begin joins it and commit leaves it open:
	 * strata's records then commit or roll back with the user's work.
	 */
	int (*begin)(struct db *);
	int (*commit)(struct db *);
	int (*rollback)(struct db *);
	/* Is the connection inside a transaction now? */
	bool (*in_transaction)(struct db *);
	/* Optional: is the connection gone (the server lost)? */
	bool (*broken)(struct db *);
	/*
	 * Optional: has CREATE INDEX CONCURRENTLY statement s been done
	 * already: a valid index of its name on its table?
	 */
	int (*index_built)(struct db *, const struct stmt *s, bool *built);
	/*
	 * Optional: the partitions a statement will be done on one by one
	 * (a concurrent index on a partitioned table), for a dry run; their
	 * names in a new array (free each and it), how many.
	 */
	size_t (*partitions)(struct db *, const struct stmt *s, char ***names);
	/*
	 * Optional: run the writes in order, then COMMIT when asked, in as
	 * few round trips as the database allows. The first error stops
	 * the rest and is returned (-1, error set).
	 */
	int (*send)(struct db *, const struct db_writes *, bool commit);

	/* The migration lock: wait up to wait_ms, then exit code 4. */
	int (*lock)(struct db *, int64_t wait_ms);
	void (*unlock)(struct db *);

	/* Is there a table of this name where strata keeps its own? */
	int (*relation_exists)(struct db *, const char *name, bool *exist);
	/* The key of a table named as in a statement (struct table_key). */
	int (*table_key)(struct db *, const char *table, struct table_key *);
	/* The SQL function that writes any value as a literal. */
	const char *literal_fn;

	/* Optional. */
	/* Before a statement that runs alone (e.g. drop an INVALID index). */
	int (*before_stmt)(struct db *, const struct stmt *,
	    struct stmt_facts *);
	void (*facts_before)(struct db *, const struct stmt *,
	    struct stmt_facts *);
	void (*facts_after)(struct db *, const struct stmt *,
	    struct stmt_facts *);
	/*
	 * The schema from the catalogs, without the relations named in own
	 * (strata's, unqualified, NULL-terminated).
	 */
	int (*snapshot)(struct db *, const char *const *own, struct snapshot *);
	/*
	 * What lint asks of the catalog, one fact a call to the sink
	 * (sql/catalog.h); read only. estimate_rows is the planner's guess of
	 * the rows a statement touches, -1 unknown.
	 */
	int (*catalog)(struct db *, const struct catalog_sink *);
	/* What each column of one table carries (sink's described). */
	int (*describe)(struct db *, const char *table,
	    const struct catalog_sink *);
	int64_t (*estimate_rows)(struct db *, const char *text, size_t len);
	/*
	 * lint --trace: rows of (table, its storage file), which a rewrite
	 * changes, and of (table, lock mode in words) this session holds.
	 */
	int (*table_files)(struct db *, db_row_fn, void *);
	int (*locks_held)(struct db *, db_row_fn, void *);
	/*
	 * Run a batch of statements that may run side by side, over up to
	 * `conns` connections of their own. Statements on one table run in
	 * the batch's order. After a failure no more start, and the running
	 * ones finish. 0 when every job succeeded, else -1.
	 */
	int (
	    *exec_parallel)(struct db *, struct par_job *, size_t n, int conns);
	/*
	 * Standbys (SPEC §9): may this session read their lag (else exit 2),
	 * and wait while any is more than max_ms behind, adding the wait to
	 * *waited_ms.
	 */
	int (*replica_check)(struct db *);
	int (*replica_wait)(struct db *, int64_t max_ms, int64_t *waited_ms);
};

struct db {
	const struct db_ops    *ops;
	const struct db_events *events;
	bool                    missing;    /* read-only, and no file there */
	char                   *url_masked; /* safe to print */
	/* Quoted, what strata's tables are qualified by; NULL: no schemas. */
	char *schema_name;
	/* printf format turning a timestamp column into ISO-8601 text */
	const char *ts_format;
	/* PostgreSQL's server_version_num, for the parser; 0 unknown */
	int server_version;
	/* The layout of strata's tables (tables.h), once looked at; 0 none */
	int tables_layout;
	/*
	 * Log rows per INSERT: many save PostgreSQL round trips; SQLite has
	 * none to save, and prepares a one-row INSERT more cheaply.
	 */
	size_t log_rows_per_insert;
	/* --jobs of the run: how many partitions' indexes build at once. */
	int jobs;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* The driver for a URL (SPEC §2), or NULL with the error set (exit 2). */
const struct db_ops *db_driver_for(const char *url);
int  db_open(struct db **, const char *url, const struct db_config *);
void db_close(struct db *);
/* Free what struct db itself holds: a driver's close calls it. */
void db_base_free(struct db *);

/* A driver's events (struct db_events), to whoever opened the database. */
void db_notice(const struct db *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void db_progress(const struct db *, int slot, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void db_progress_done(const struct db *, int slot);
bool db_progress_wanted(const struct db *);
/* The URL with any password replaced by "****". */
char *db_mask_url(const char *url);

static inline int
db_exec(struct db *db, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	return db->ops->exec(db, sql, len, s, res);
}

static inline int
db_query(struct db *db, const char *sql, int nparams, const char *const *params,
    db_row_fn fn, void *arg)
{
	return db->ops->query(db, sql, nparams, params, fn, arg);
}

static inline int
db_run(struct db *db, const char *sql)
{
	return db->ops->run(db, sql);
}

static inline int
db_relation_exists(struct db *db, const char *name, bool *exist)
{
	return db->ops->relation_exists(db, name, exist);
}

static inline int
db_begin(struct db *db)
{
	return db->ops->begin(db);
}
static inline int
db_commit(struct db *db)
{
	return db->ops->commit(db);
}
static inline int
db_rollback(struct db *db)
{
	return db->ops->rollback(db);
}
static inline bool
db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}
static inline bool
db_broken(struct db *db)
{
	return db->ops->broken != NULL && db->ops->broken(db);
}

static inline int
db_before_stmt(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	return db->ops->before_stmt ? db->ops->before_stmt(db, s, f) : 0;
}

static inline bool
db_can_parallel(const struct db *db)
{
	return db->ops->exec_parallel != NULL;
}

/*
 * The optional slots, each called through here: a driver without the slot
 * gets the answer that means "nothing to do" (no index built, no
 * partitions, no standbys to wait for, no key known).
 */
static inline int
db_index_built(struct db *db, const struct stmt *s, bool *built)
{
	*built = false;
	return db->ops->index_built ? db->ops->index_built(db, s, built) : 0;
}

static inline size_t
db_partitions(struct db *db, const struct stmt *s, char ***names)
{
	*names = NULL;
	return db->ops->partitions ? db->ops->partitions(db, s, names) : 0;
}

static inline int
db_replica_check(struct db *db)
{
	return db->ops->replica_check ? db->ops->replica_check(db) : 0;
}

static inline int
db_replica_wait(struct db *db, int64_t max_ms, int64_t *waited_ms)
{
	return db->ops->replica_wait
	    ? db->ops->replica_wait(db, max_ms, waited_ms)
	    : 0;
}

static inline int
db_catalog(struct db *db, const struct catalog_sink *sink)
{
	return db->ops->catalog ? db->ops->catalog(db, sink) : 0;
}

static inline int
db_describe(struct db *db, const char *table, const struct catalog_sink *sink)
{
	return db->ops->describe ? db->ops->describe(db, table, sink) : 0;
}

static inline int64_t
db_estimate_rows(struct db *db, const char *text, size_t len)
{
	return db->ops->estimate_rows ? db->ops->estimate_rows(db, text, len)
				      : -1;
}

/* lint --trace's two questions: a driver without them cannot trace. */
int db_table_files(struct db *, db_row_fn, void *);
int db_locks_held(struct db *, db_row_fn, void *);

static inline int
db_table_key(struct db *db, const char *table, struct table_key *k)
{
	return db->ops->table_key ? db->ops->table_key(db, table, k) : 0;
}

static inline int
db_exec_parallel(struct db *db, struct par_job *jobs, size_t n, int conns)
{
	return db->ops->exec_parallel(db, jobs, n, conns);
}

static inline int
db_lock(struct db *db, int64_t wait_ms)
{
	return db->ops->lock(db, wait_ms);
}

static inline void
db_unlock(struct db *db)
{
	db->ops->unlock(db);
}

/* Add a write: sql is taken over, params are copied. */
void db_writes_add(struct db_writes *, char *sql, int nparams,
    const char *const *params);
void db_writes_clear(struct db_writes *);
void db_writes_free(struct db_writes *);
/* Run the writes (then COMMIT when commit) and clear them. */
int db_send(struct db *, struct db_writes *, bool commit);

void db_facts_before(struct db *, const struct stmt *, struct stmt_facts *);
void db_facts_after(struct db *, const struct stmt *, struct stmt_facts *);

#endif
