/*
 * stmt.h - statements of a migration file, their kinds, and segments.
 *
 * The dialect's splitter (sql.h) finds the statements and classifies each,
 * keeping no more than that: PostgreSQL's parse trees and SQLite's tokens
 * are read again on demand, as a file's trees take many times its size.
 * Segments group them for the runner: runs of statements that share one
 * transaction, and statements that must run alone outside any transaction.
 */
#ifndef STRATA_STMT_H
#define STRATA_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/checksum.h"

enum stmt_kind {
	KIND_OTHER = 0,
	KIND_CREATE_TABLE,
	KIND_CREATE_INDEX,
	KIND_CREATE_INDEX_CONCURRENTLY,
	KIND_DROP_INDEX,
	KIND_DROP_INDEX_CONCURRENTLY,
	KIND_REINDEX,
	KIND_REINDEX_CONCURRENTLY,
	KIND_ALTER_COLUMN_TYPE,
	KIND_ALTER_TABLE,
	KIND_PARTITION,
	KIND_DETACH_PARTITION_CONCURRENTLY,
	KIND_REFRESH_MATVIEW,
	KIND_REFRESH_MATVIEW_CONCURRENTLY,
	KIND_ANALYZE,
	KIND_VACUUM,
	KIND_DROP_TABLE,
	KIND_CREATE_VIEW,
	KIND_CREATE_FUNCTION,
	KIND_CREATE_TRIGGER,
	KIND_INSERT,
	KIND_UPDATE,
	KIND_DELETE,
	KIND_SELECT,
	KIND_TRANSACTION, /* BEGIN, COMMIT, ROLLBACK ... */
	KIND_CREATE_MATVIEW,
	KIND_DROP_VIEW,
	KIND_DROP_MATVIEW,
	KIND_DROP_FUNCTION,
	KIND_DROP_TRIGGER,
	KIND_DROP_TYPE,
	KIND_DROP_SEQUENCE,
	KIND_DROP_SCHEMA,
	KIND_DROP_OTHER,
	KIND_CREATE_TYPE, /* enum, composite, range, domain */
	KIND_ALTER_TYPE,
	KIND_CREATE_SEQUENCE,
	KIND_ALTER_SEQUENCE,
	KIND_CREATE_SCHEMA,
	KIND_CREATE_EXTENSION,
	KIND_RENAME,
	KIND_COMMENT,
	KIND_GRANT, /* GRANT, REVOKE */
	KIND_CREATE_POLICY,
	KIND_SET,          /* SET, RESET */
	KIND_PRAGMA,       /* SQLite */
	KIND_LOCK,         /* LOCK TABLE */
	KIND_DO,           /* DO blocks */
	KIND_BASELINE,     /* log rows written by baseline */
	KIND_REPAIR,       /* log rows written by repair */
	KIND_BATCH_UPDATE, /* log rows of -- strata:batch statements */
	KIND_BATCH_DELETE,
	KIND_BATCH_INSERT,
	/* the log row of a concurrent index built partition by partition */
	KIND_CREATE_INDEX_PARTITIONED,
	KIND__COUNT
};

const char *stmt_kind_name(enum stmt_kind);

/* A token of a SQLite statement (sqlite_tokens), by its place in the text. */
enum sql_token_type {
	TOKEN_WORD,   /* a keyword or a bare name */
	TOKEN_QUOTED, /* "name", `name` or [name] */
	TOKEN_STRING, /* 'text' */
	TOKEN_PUNCT,  /* one character of anything else */
};

struct sql_token {
	size_t              off;
	size_t              len;
	enum sql_token_type type;
};

/* What a -- strata:batch directive asks of its statement (batch.c). */
struct batch_spec {
	int64_t size;     /* keys per batch (repeat: not used) */
	int64_t pause_ms; /* between batches; -1: --batch-pause decides */
	bool    repeat;   /* run as written until it changes no rows */
	int     line;     /* the directive's */
	/* Keyset batches only; offsets are in the file's text. */
	char  *table;     /* the target table, as written */
	char  *qualifier; /* what its columns are qualified with there */
	size_t where_end; /* just past the statement's WHERE; 0: none */
	size_t cond_end;  /* past the last token before RETURNING or the end */
};
void batch_spec_free(struct batch_spec *);

struct stmt {
	size_t         off;    /* first token, from the file's start */
	size_t         len;    /* through the terminating ';' if any */
	int            line;   /* 1-based position of the first token */
	int            column; /* 1-based, in characters */
	enum stmt_kind kind;
	bool           nontx; /* must run alone, outside a transaction */
	bool           if_not_exists;
	bool           parsed; /* PostgreSQL's parser took it (a tree) */
	/* A -- strata:commit line stands between it and the one before. */
	bool commit_before;
	/* COPY ... FROM STDIN ('i') / TO STDOUT ('o'): a client's data. */
	char               client_copy;
	char              *relation; /* table the statement works on, or NULL */
	char              *index;    /* index built or dropped, or NULL */
	struct batch_spec *batch;    /* -- strata:batch before it, or NULL */
};

struct stmt_list {
	struct stmt *v;
	size_t       n;
	size_t       alloc;
};

struct stmt *stmt_list_push(struct stmt_list *);
void         stmt_list_free(struct stmt_list *);

struct segment {
	size_t first; /* index into the statement list */
	size_t count;
	bool   tx;       /* runs inside one transaction */
	bool   parallel; /* a --jobs batch of concurrent index work */
};

struct segment_list {
	struct segment *v;
	size_t          n;
};

/*
 * Group statements from `from` on, leaving out those marked in `done` (may
 * be NULL); no_tx puts each in a segment of its own. With `parallel`,
 * consecutive statements that stmt_parallel_ok() allows form one segment.
 */
void segments_build(struct segment_list *, const struct stmt_list *,
    size_t from, bool no_tx, const bool *done, bool parallel);
/*
 * The same for statements [from, to), appended to `out` (zeroed before
 * the first call); ranges given to one list must not overlap.
 */
void segments_add(struct segment_list *, const struct stmt_list *, size_t from,
    size_t to, bool no_tx, const bool *done, bool parallel);
/* May the statement run beside others in a --jobs batch? */
bool stmt_parallel_ok(const struct stmt *);
void segment_list_free(struct segment_list *);

#endif
