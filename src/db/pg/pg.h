/*
 * pg.h - the PostgreSQL driver's pieces, and what they share.
 *
 * session.c holds the libpq connection (the only <libpq-fe.h> includer);
 * driver.c the driver table, running statements and transactions;
 * lock.c the migration lock; monitor.c who blocks a statement and how far
 * an index build got; jobs.c --jobs statements side by side; facts.c what
 * the log keeps about a statement; schema.c the schema snapshot and a
 * table's key; replicas.c waiting for standbys.
 */
#ifndef STRATA_DB_PG_H
#define STRATA_DB_PG_H

#include <stdbool.h>
#include <stdint.h>

#include "../db.h"

#define PG_MAX_JOBS 64
#define PG_WAL_SAMPLES 64
/* --lock-timeout when none is given (0 waits without limit). */
#define PG_DEFAULT_LOCK_TIMEOUT_MS 2000

/* A libpq connection (session.c). */
struct pg_conn;

struct db_pg {
	struct db       base;
	struct pg_conn *conn;
	struct pg_conn *monitor;              /* opened on demand */
	struct pg_conn *workers[PG_MAX_JOBS]; /* --jobs, on demand */
	char           *url;    /* for more connections; never printed */
	char           *schema; /* quoted identifier */
	char           *schema_raw;
	char           *search_path; /* a tenant's schema, quoted; or NULL */
	int64_t         lock_key;
	int64_t         lock_timeout_ms;      /* configured; 0 none */
	int64_t         lock_timeout_set;     /* in the session; -2 unknown */
	int64_t         statement_timeout_ms; /* -1 none */
	char           *blockers;             /* last sample */
	char           *phase;                /* last index-build phase seen */
	bool            begin_pending;        /* see pg_begin */
	bool            joined; /* begin found a migration's own transaction */
	bool            have_size; /* index_size read with the statement */
	char           *index_size;
	/* --max-replica-lag: when this session saw WAL flushed (replicas.c) */
	struct wal_sample {
		uint64_t lsn;
		int64_t  at_us;
	} wal[PG_WAL_SAMPLES];
	int nwal;
};

/* session.c */
/* A connection whose notices are events of `owner`. */
struct pg_conn      *
pgc_connect(const char *url, const struct db *owner, char **why);
void pgc_close(struct pg_conn *);
void pgc_set_quiet(struct pg_conn *, bool);
bool pgc_ok(const struct pg_conn *);
bool pgc_in_transaction(const struct pg_conn *);
int  pgc_backend_pid(const struct pg_conn *);
int  pgc_server_version(const struct pg_conn *);
int  pgc_socket(const struct pg_conn *);
/* strata's own SQL: 0, or -1 with the error set (exit 5). */
int  pgc_run(struct pg_conn *, const char *sql);
int  pgc_query(struct pg_conn *, const char *sql, int nparams,
     const char *const *params, db_row_fn, void *arg);
int  pgc_pipeline(struct pg_conn *, bool begin, const struct db_writes *,
     bool commit);
void pgc_rollback(struct pg_conn *);
/* Quoted for SQL, in new strings; NULL when libpq refuses the text. */
char *pgc_quote_ident(struct pg_conn *, const char *);
char *pgc_quote_literal(struct pg_conn *, const char *);

/*
 * What was sent with a migration statement: "BEGIN;" in front (lead > 0
 * characters), and with `size` a query of the built index's size after
 * it, whose answer pgc_collect leaves in size_value.
 */
struct pg_sent {
	size_t lead;
	bool   size;
	char  *size_value;
};

/* Send a statement's text; -1 with res->message when it could not go. */
int pgc_send(struct pg_conn *, const char *text, struct exec_result *res);
/* Wait up to timeout_ms for its results; true once they are all in. */
bool pgc_wait(struct pg_conn *, int timeout_ms);
/* After poll() said the socket is readable: are the results all in? */
bool pgc_ready(struct pg_conn *);
/* Read them into res: 0, or -1 with the statement's error. */
int pgc_collect(struct pg_conn *, const struct stmt *, struct pg_sent *,
    struct exec_result *res);
/* s without the trailing newlines and spaces libpq's messages end in. */
char *pg_chomp(const char *);

/* driver.c */
/* Session settings in one round trip; a worker's lock timeout is off. */
int pg_session_setup(struct db_pg *, struct pg_conn *, bool worker);
int pg_begin_flush(struct db_pg *);
int pg_set_lock_timeout(struct db_pg *, const struct stmt *);
/* A row callback keeping the first column of the first row, copied. */
int pg_first_value_cb(void *arg, int ncols, char **values);
/* Split "schema.name"; schema is NULL when absent. */
void pg_split_qualified(const char *, char **schema, char **name);
bool pg_is_index_build(const struct stmt *);

/* lock.c */
int  pg_lock(struct db *, int64_t wait_ms);
void pg_unlock(struct db *);

/* monitor.c */
struct pg_conn *pg_monitor(struct db_pg *);
/* Who blocks our statement now; true when something does. */
bool pg_sample_blockers(struct db_pg *);
/* Sessions holding locks on the relation, other than conn's; or NULL. */
char *pg_holders_of(struct db_pg *, struct pg_conn *, const char *relation);

struct pg_progress {
	int   pid[PG_MAX_JOBS];
	char *phase[PG_MAX_JOBS];
	char *percent[PG_MAX_JOBS];
	int   n;
};

void pg_progress_sample(struct db_pg *, const int *pids, int n,
    struct pg_progress *);
void pg_progress_show(const struct db_pg *, const struct pg_progress *, int pid,
    int slot, const struct stmt *, int64_t start_us, char **phase);
void pg_progress_free(struct pg_progress *);
/* One running statement's progress line, its index phase kept in d. */
void pg_sample_progress(struct db_pg *, const struct stmt *, int64_t start_us);

/* jobs.c */
int pg_exec_parallel(struct db *, struct par_job *, size_t n, int conns);
struct pg_conn *pg_worker(struct db_pg *, int k, struct exec_result *);

/* facts.c */
int  pg_before_stmt(struct db *, const struct stmt *, struct stmt_facts *);
int  pg_index_built(struct db *, const struct stmt *, bool *built);
void pg_facts_before(struct db *, const struct stmt *, struct stmt_facts *);
void pg_facts_after(struct db *, const struct stmt *, struct stmt_facts *);
/* After a plain CREATE INDEX, in the same text: its size, for the log. */
bool pg_add_size_query(struct db_pg *, struct buf *, const char *index);

/* partition.c */
/* Is relation a partitioned table (PostgreSQL 11+)? Its oid in *oid. */
bool pg_is_partitioned(struct db_pg *, const char *relation, char **oid);
/* CREATE INDEX CONCURRENTLY on partitioned table parent, part by part. */
int pg_partitioned_index(struct db_pg *, const char *sql, size_t len,
    const struct stmt *, const char *parent, struct exec_result *);
/* The leaf partitions a concurrent index on s's table is built on. */
size_t pg_partitions(struct db *, const struct stmt *, char ***names);
/* DROP INDEX CONCURRENTLY of a partitioned index? */
bool pg_is_partitioned_index(struct db_pg *, const struct stmt *);
/* The statement's text without its CONCURRENTLY. */
char *pg_without_concurrently(const char *sql, size_t len, const struct stmt *);

/* schema.c */
int pg_snapshot(struct db *, const char *const *own, struct snapshot *);
/* catalog.c */
struct catalog_sink;
int pg_catalog(struct db *, const struct catalog_sink *);
int pg_describe(struct db *, const char *table, const struct catalog_sink *);
int64_t pg_estimate_rows(struct db *, const char *text, size_t len);
int     pg_table_files(struct db *, db_row_fn, void *);
int     pg_locks_held(struct db *, db_row_fn, void *);
int     pg_table_key(struct db *, const char *table, struct table_key *);

/* replicas.c */
int pg_replica_check(struct db *);
int pg_replica_wait(struct db *, int64_t max_ms, int64_t *waited_ms);

#endif
