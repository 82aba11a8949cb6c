/*
 * stmt.h - statements of a migration file, their kinds, and segments.
 *
 * A driver splits a file into statements and classifies each (db.h); the
 * core groups them into segments: runs of statements that share one
 * transaction, and statements that must run alone outside any transaction.
 */
#ifndef STRATA_STMT_H
#define STRATA_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "checksum.h"

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
	KIND_TRANSACTION,	/* BEGIN, COMMIT, ROLLBACK ... */
	KIND_BASELINE,		/* log rows written by baseline */
	KIND_REPAIR,		/* log rows written by repair */
	KIND__COUNT
};

const char *stmt_kind_name(enum stmt_kind);

struct stmt {
	size_t		 off;		/* first token, from the file's start */
	size_t		 len;		/* through the terminating ';' if any */
	int		 line;		/* 1-based position of the first token */
	int		 column;	/* 1-based, in characters */
	enum stmt_kind	 kind;
	bool		 nontx;		/* must run alone, outside a transaction */
	bool		 if_not_exists;
	char		*relation;	/* table the statement works on, or NULL */
	char		*index;		/* index built or dropped, or NULL */
};

struct stmt_list {
	struct stmt	*v;
	size_t		 n;
	size_t		 alloc;
};

struct stmt *stmt_list_push(struct stmt_list *);
void	stmt_list_free(struct stmt_list *);

struct segment {
	size_t	 first;		/* index into the statement list */
	size_t	 count;
	bool	 tx;		/* runs inside one transaction */
	bool	 parallel;	/* a --jobs batch of concurrent index work */
};

struct segment_list {
	struct segment	*v;
	size_t		 n;
};

/*
 * Group statements from `from` on, leaving out those marked in `done` (may
 * be NULL); no_tx puts each in a segment of its own. With `parallel`,
 * consecutive statements that stmt_parallel_ok() allows form one segment.
 */
void	segments_build(struct segment_list *, const struct stmt_list *,
	    size_t from, bool no_tx, const bool *done, bool parallel);
/* May the statement run beside others in a --jobs batch? */
bool	stmt_parallel_ok(const struct stmt *);
void	segment_list_free(struct segment_list *);

/* A loaded migration or rollback file. */
struct sqlfile {
	char		*path;
	struct buf	 text;		/* the bytes, NUL-terminated */
	size_t		 body;		/* offset past a UTF-8 BOM */
	char		 checksum[CHECKSUM_HEX];
	bool		 no_tx;		/* -- strata:no-transaction */
	bool		 irreversible;	/* -- strata:irreversible */
	bool		 split_done;
	struct stmt_list stmts;
};

/* Read, checksum and look for directives. Errors use exit code `code`. */
int	sqlfile_load(struct sqlfile *, const char *path, int code);
void	sqlfile_free(struct sqlfile *);
/*
 * Read the text of a file the plan knew by its cached checksum only (its
 * text is empty); refuse (exit `code`) if it is no longer that file.
 */
int	sqlfile_need_text(struct sqlfile *, int code);
/* Refuse text that is not SQL: NUL bytes or invalid UTF-8 (exit 2). */
int	sqlfile_check_text(const struct sqlfile *);

/* 1-based line and column (in characters) of byte offset `off`. */
void	text_position(const char *text, size_t from, size_t off, int *line,
	    int *column);
/* Walks forward through a text keeping line and column (for splitters). */
struct text_cursor {
	size_t	off;
	int	line;
	int	column;
};

void	text_cursor_init(struct text_cursor *, size_t from);
/* Move to `off` (>= the cursor's offset) and set *line, *column. */
void	text_cursor_to(struct text_cursor *, const char *text, size_t off,
	    int *line, int *column);
/* Byte offset of the `chars`-th character (0-based) from `off`. */
size_t	text_advance_chars(const char *text, size_t len, size_t off,
	    size_t chars);
/* The statement's first line, cut to at most `max` bytes, for logs. */
char	*stmt_first_line(const char *text, const struct stmt *, size_t max);
/*
 * Checksum of the completed statements' text (resume checks): done[i] for
 * each of the file's statements. Statements past the first one not done
 * are hashed with their numbers, so a prefix hashes as it always has.
 */
void	stmt_done_checksum(const struct sqlfile *, const bool *done,
	    char out[CHECKSUM_HEX]);

#endif
