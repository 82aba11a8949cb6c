/*
 * lint.h - what a migration will do to a busy database, found from the
 * statements before anything runs (SPEC §6).
 *
 * A lint run reads files in order, keeps what they teach it as it goes
 * (tables created earlier, column types, validated NOT NULL checks, the
 * run's lock timeout), and asks the dialect's rules about each statement.
 * The rules add findings; the run drops those an ignore directive or
 * --exclude asks to drop, and reports ignore comments that dropped none.
 * It never opens a database.
 */
#ifndef STRATA_LINT_H
#define STRATA_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/catalog.h"
#include "../sql/sql.h"

enum severity {
	SEV_WARNING,
	SEV_ERROR,
};

/* The rules, one each: lint_rules[] (rules.c) gives name and severity. */
enum lint_rule {
	R_REQUIRE_CONCURRENT_INDEX_CREATION,
	R_REQUIRE_CONCURRENT_INDEX_DELETION,
	R_REQUIRE_CONCURRENT_REINDEX,
	R_REQUIRE_CONCURRENT_REFRESH,
	R_REQUIRE_CONCURRENT_PARTITION_DETACH,
	R_ATTACH_PARTITION_SCAN,
	R_DEFAULT_PARTITION_SCAN,
	R_PARTITIONED_UNIQUE_KEY,
	R_ADDING_FIELD_WITH_DEFAULT,
	R_ADDING_SERIAL_COLUMN,
	R_ADDING_REQUIRED_FIELD,
	R_ADDING_NOT_NULLABLE_FIELD,
	R_ADDING_PRIMARY_KEY,
	R_DISALLOWED_UNIQUE_CONSTRAINT,
	R_ADDING_FOREIGN_KEY_CONSTRAINT,
	R_CONSTRAINT_MISSING_NOT_VALID,
	R_ADDING_EXCLUSION_CONSTRAINT,
	R_CHANGING_COLUMN_TYPE,
	R_REWRITING_TABLE,
	R_UNBATCHED_DATA_CHANGE,
	R_EXCLUSIVE_LOCK_HELD,
	R_REQUIRE_LOCK_TIMEOUT,
	R_LOCK_TABLE,
	R_BAN_DROP_COLUMN,
	R_RENAMING_COLUMN,
	R_RENAMING_TABLE,
	R_BAN_DROP_TABLE,
	R_BAN_DROP_DATABASE,
	R_BAN_TRUNCATE_CASCADE,
	R_IDENTIFIER_TOO_LONG,
	R_PREFER_BIGINT_KEY,
	R_PREFER_TIMESTAMPTZ,
	R_PREFER_TEXT_FIELD,
	R_PREFER_IDENTITY,
	R_PREFER_JSONB,
	R_SQLITE_PRAGMA_IN_TRANSACTION,
	R_SQLITE_NON_CONSTANT_DEFAULT,
	R_TRACED_REWRITE,
	R_TRACED_LONG_LOCK,
	R_CONTRACT_BREAKS_EXPANDED,
	R_UNUSED_IGNORE,
	R__COUNT
};

struct finding {
	const char    *rule; /* lint_rules[id].name */
	enum lint_rule id;
	enum severity  severity;
	const char    *file;
	int            line;
	int            column;
	int64_t        version; /* 0: not a migration file's */
	bool           down;
	int            statement; /* from 1 */
	char          *message;
	char          *help;
	char          *table;    /* NULL: none */
	char          *col_name; /* a column dropped or renamed, or NULL */
	const char    *lock;     /* "ACCESS EXCLUSIVE", ... or NULL */
	const char    *blocks;   /* "reads and writes", "writes" or NULL */
};

struct lint_options {
	int pg_version; /* server_version_num, e.g. 150000 */
	/* The run's: -1 its default (PostgreSQL: 2s), 0 none. */
	int64_t      lock_timeout_ms;
	bool         strict;         /* warnings count as errors */
	bool         sqlite_generic; /* --dialect sqlite */
	const char **exclude;        /* rule names, NULL-terminated */
	/* Tables created by an earlier file stay new (one pending run). */
	bool carry_new;
};

/* One column whose type the files declared. */
struct lint_column {
	char *table;
	char *column;
	char *type;            /* as format_type would say it: "numeric(3,2)" */
	bool  notnull_checked; /* a validated CHECK (col IS NOT NULL) */
	bool  unique;          /* a key on its own: = picks one row at most */
	bool  checked;         /* a validated CHECK constraint reads it */
	/*
	 * From a PostgreSQL catalog (lint --fix of a rename or a type
	 * change): NOT NULL, its default, the plain indexes on it
	 * ("name|unique|method|col,col;..."), and why it cannot be moved to
	 * a new column by a fix (a constraint, an index on an expression, a
	 * view), or NULL.
	 */
	bool  described;
	char *catalog_type; /* the type before any file changed it */
	bool  notnull;
	char *default_expr;
	char *indexes;
	char *pinned;
};

/* A CHECK added NOT VALID, waiting for its VALIDATE. */
struct lint_check {
	char *name;
	char *table;
	char *not_null; /* the column of CHECK (col IS NOT NULL), or NULL */
	char *columns;  /* every column it reads, ',' between */
	bool  in_tx;    /* added in the transaction still open */
};

/* A partitioned table: its partition key, and its default partition. */
struct lint_partitioned {
	char *table;
	char *keys; /* column names, ',' between; "" for an expression */
	char *default_part; /* NULL: none */
};

/* A function the database or an earlier statement made. */
struct lint_function {
	char *name;
	bool  is_volatile;
};

/* A table the connected database has, with its row estimate. */
struct lint_table {
	char   *name; /* schema.table */
	int64_t rows; /* -1: unknown */
};

/* What the run has learnt so far. */
struct lint_state {
	/* From the connected database, when one was read (catalog). */
	bool                catalog;
	struct lint_table  *tables;
	size_t              n_tables;
	size_t              alloc_tables;
	char              **new_tables; /* created in this file or run */
	size_t              n_new;
	size_t              alloc_new;
	struct lint_column *columns;
	size_t              n_columns;
	size_t              alloc_columns;
	/*
	 * Columns by hash of table (without its schema) and name: a folder of
	 * thousands of files declares tens of thousands. Each bucket is a
	 * chain of indexes into columns (next), -1 ending it.
	 */
	long  *buckets;
	size_t n_buckets;
	long  *next;
	/* Partitioned tables of the database and the files. */
	struct lint_partitioned *partitioned;
	size_t                   n_partitioned;
	size_t                   alloc_partitioned;
	/* Functions of the database and the files, and whether volatile. */
	struct lint_function *functions;
	size_t                n_functions;
	size_t                alloc_functions;
	/* NOT VALID checks of this file: name, table, column they test. */
	struct lint_check *pending_checks;
	size_t             n_pending;
	size_t             alloc_pending;
};

/* The statement a rule looks at, and where the run stands. */
struct lint_stmt {
	struct lint_run      *run;
	const struct sqlfile *file;
	const struct stmt    *s;
	const struct pg_tree *tree;  /* PostgreSQL: s parsed again, or NULL */
	size_t                index; /* in the file, from 0 */
	int64_t               version;
	bool                  down;
	bool                  in_tx;          /* shares a transaction */
	bool                  timeout_set;    /* SET lock_timeout before */
	bool                  exclusive_held; /* on an existing table, in tx */
	bool                  lock_warned;    /* require-lock-timeout said */
	bool                  exclusive_warned; /* exclusive-lock-held said */
};

/* lint --trace: what one statement did when run (and rolled back). */
struct lint_trace_lock {
	char *table;
	char *mode; /* "AccessExclusiveLock" as pg_locks says, made readable */
};

struct lint_trace {
	const char *file;
	int64_t     version;
	int         statement; /* from 1 */
	double      duration_ms;
	double      lock_wait_ms; /* of duration_ms, waiting for a lock */
	bool        traced;       /* false: it cannot run in a transaction */
	struct lint_trace_lock *locks;
	size_t                  n_locks;
	char                  **rewrote;
	size_t                  n_rewrote;
};

struct lint_expanded;

struct lint_run {
	const struct lint_options *opt;
	struct lint_trace         *trace; /* NULL without --trace */
	size_t                     n_trace;
	size_t                     alloc_trace;
	bool                       traced; /* --trace ran */
	struct lint_state          state;
	struct finding            *v;
	size_t                     n;
	size_t                     alloc;
	size_t                     files;
	size_t                     statements;
	/*
	 * Questions for the database lint reads (db_arg), asked when a rule
	 * or a fix first needs the answer: the planner's estimate of the rows
	 * a statement (text, len) touches, or -1 when it cannot say; what
	 * each column of a table carries (lint_describe).
	 */
	void *db_arg;
	int64_t (*estimate_rows)(void *db, const char *text, size_t len);
	void (*describe)(void *db, struct lint_run *, const char *table);
	/* Expand parts whose contract has not run (phases.c). */
	struct lint_expanded *expanded;
	size_t                n_expanded;
	size_t                alloc_expanded;
};

void lint_init(struct lint_run *, const struct lint_options *);
/* lint_state.c: what the run has learnt, freed. */
void lint_state_free(struct lint_state *);
void lint_free(struct lint_run *);
/*
 * Lint one loaded file (split already) as `dialect`. version and down say
 * which migration it is. Column types learnt from forward files carry over
 * to the files after them; a rollback's changes are not learnt.
 */
void lint_file(struct lint_run *, const struct sqlfile *, enum dialect,
    int64_t version, bool down);
/*
 * The same for statements [first, end) of the file: the part of a phased
 * version that a run runs.
 */
void lint_file_part(struct lint_run *, const struct sqlfile *, enum dialect,
    int64_t version, bool down, size_t first, size_t end);
/*
 * phases.c: an expand part later contract parts must leave be (a phased
 * file linted, or an expanded version of the database), and a file's
 * findings [from, n) judged by the part they are in.
 */
void
lint_note_expanded(struct lint_run *, const struct sqlfile *, int64_t version);
void lint_expanded_free(struct lint_run *);
void lint_phase_findings(struct lint_run *, size_t from, const struct sqlfile *,
    bool down);
void lint_finding_free(struct finding *);
/* Does --exclude (or $STRATA_LINT_EXCLUDE) leave the rule out? */
bool lint_excluded(const struct lint_options *, const char *rule);
/* Sort the findings by file, line, column. */
void   lint_sort(struct lint_run *);
size_t lint_count(const struct lint_run *, enum severity);
/* Is a finding of this severity an error for the run (--strict)? */
bool lint_is_error(const struct lint_run *, const struct finding *);

/*
 * A rule's finding at the statement (offset into it), with the rule's
 * severity from lint_rules[]; the help and the message are formatted.
 */
struct finding *lint_report(struct lint_stmt *, enum lint_rule, size_t offset,
    const char *table, const char *lock, const char *blocks, const char *help,
    const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/*
 * The connected database's tables: with a catalog, a table it lacks is
 * new too, and its row estimate decides unbatched-data-change.
 */
void lint_catalog_table(struct lint_run *, const char *table, int64_t rows);
/* catalog.c: a sink a driver's catalog slot gives its facts to. */
void lint_catalog_sink(struct lint_run *, struct catalog_sink *);
/* The column as the catalog describes it (asked once), or NULL. */
struct lint_column *
lint_describe(struct lint_run *, const char *table, const char *column);
/* The table's row estimate: -1 unknown, -2 when no database was read. */
int64_t lint_table_rows(const struct lint_run *, const char *table);

/* A table the run has seen created (new: no rule about it but prefer-*). */
bool lint_table_is_new(const struct lint_run *, const char *table);
void lint_table_created(struct lint_run *, const char *table);
void lint_table_dropped(struct lint_run *, const char *table);
/* A partitioned table and its key (the catalog's, or a CREATE TABLE's). */
struct lint_partitioned *
lint_partitioned_set(struct lint_run *, const char *table, const char *keys);
struct lint_partitioned *
lint_partitioned_find(struct lint_run *, const char *table);
/* A function and its volatility, from the database or a CREATE FUNCTION. */
void lint_function_set(struct lint_run *, const char *name, bool is_volatile);
/*
 * Is a call of `name` volatile? 1 yes, 0 no: the run's own functions
 * first, then PostgreSQL's built-ins; an unknown function counts as
 * volatile (CREATE FUNCTION's default).
 */
bool lint_function_volatile(const struct lint_run *, const char *name);
/* table.column is a key on its own (PRIMARY KEY, UNIQUE, unique index). */
void lint_unique_key(struct lint_run *, const char *table, const char *column);
/* An existing table renamed: its row estimate and columns follow it. */
void lint_table_renamed(struct lint_run *, const char *from, const char *to);
/* The declared type of table.column, or NULL when unknown. */
struct lint_column *
lint_column_find(struct lint_run *, const char *table, const char *column);
struct lint_column *lint_column_set(struct lint_run *, const char *table,
    const char *column, const char *type);
/* Why lint --fix may not move the column to a new one (first reason kept). */
void lint_column_pin(struct lint_run *, const char *table, const char *column,
    const char *why);

/* The dialects' rules (pg_rules.c, sqlite_rules.c). */
void lint_pg_stmt(struct lint_stmt *);
void lint_sqlite_stmt(struct lint_stmt *);

/* Above this many rows (estimated) a data change must be batched. */
#define LINT_BIG_TABLE_ROWS 100000

/* Rules a run leaves out: --exclude and $STRATA_LINT_EXCLUDE. */
#define LINT_MAX_EXCLUDE 64

struct lint_excludes {
	const char *v[LINT_MAX_EXCLUDE + 1]; /* NULL-terminated */
	size_t      n;
	char        text[2048];
	size_t      used;
};

/* Add comma-separated rule names; an unknown one is exit 2, naming it. */
int lint_exclude_add(struct lint_excludes *, const char *list);

/* Every rule's name, severity and help, for --exclude and SARIF. */
struct lint_rule_info {
	const char   *name;
	enum severity severity;
	const char   *summary;
	bool          sqlite; /* judges SQLite files too */
	bool          postgres;
	/* Backward compatibility: quiet in rollbacks and contract parts. */
	bool fwd;
};

/* Indexed by enum lint_rule; a NULL name ends it. */
extern const struct lint_rule_info lint_rules[];
const struct lint_rule_info       *lint_rule_find(const char *name);
/* The rule whose name is nearest to a misspelt one. */
const char *lint_rule_nearest(const char *name);

#endif
