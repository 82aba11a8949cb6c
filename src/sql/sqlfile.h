/*
 * sqlfile.h - a migration or rollback file as text: loaded, checksummed,
 * checked for what is not SQL, its directives found, positions in it.
 */
#ifndef STRATA_SQLFILE_H
#define STRATA_SQLFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"
#include "../util/checksum.h"
#include "stmt.h"

/* A loaded migration or rollback file. */
struct sqlfile {
	char      *path;
	struct buf text; /* the bytes, NUL-terminated */
	size_t     body; /* offset past a UTF-8 BOM */
	char       checksum[CHECKSUM_HEX];
	bool       no_tx;        /* -- strata:no-transaction */
	bool       irreversible; /* -- strata:irreversible */
	bool       split_done;
	/*
	 * -- strata:contract: statements from `contract` on are the contract
	 * part (when phased; else contract is the count of statements).
	 */
	bool             phased;
	size_t           contract;
	bool             warned_empty; /* said once that it holds nothing */
	struct stmt_list stmts;
};

#define CONTRACT_DIRECTIVE "-- strata:contract"

/* Is `directive` a line of its own in text[from, len)? */
bool sqlfile_directive_in(const char *text, size_t from, size_t len,
    const char *directive);
/* Read, checksum and look for directives. Errors use exit code `code`. */
int sqlfile_load(struct sqlfile *, const char *path, int code);
/* What sqlfile_load does to the text it read: BOM, checksum, directives. */
void sqlfile_read_text(struct sqlfile *);
void sqlfile_free(struct sqlfile *);
/*
 * Read the text of a file the plan knew by its cached checksum only (its
 * text is empty); refuse (exit `code`) if it is no longer that file.
 */
int sqlfile_need_text(struct sqlfile *, int code);
/* The text `strata new` writes for NAME (down: its rollback file's). */
char *sqlfile_template(const char *name, bool down);
/* Is the file still exactly as `strata new` wrote it? (text loaded) */
bool sqlfile_is_template(const struct sqlfile *, bool down);
/* Refuse text that is not SQL: NUL bytes or invalid UTF-8 (exit 2). */
int sqlfile_check_text(const struct sqlfile *);

/* 1-based line and column (in characters) of byte offset `off`. */
void text_position(const char *text, size_t from, size_t off, int *line,
    int *column);
/* Walks forward through a text keeping line and column (for splitters). */
struct text_cursor {
	size_t off;
	int    line;
	int    column;
};

void text_cursor_init(struct text_cursor *, size_t from);
/* Move to `off` (>= the cursor's offset) and set *line, *column. */
void text_cursor_to(struct text_cursor *, const char *text, size_t off,
    int *line, int *column);
/* Byte offset of the `chars`-th character (0-based) from `off`. */
size_t
text_advance_chars(const char *text, size_t len, size_t off, size_t chars);
/* The statement's first line, cut to at most `max` bytes, for logs. */
char *stmt_first_line(const char *text, const struct stmt *, size_t max);
/*
 * Checksum of the completed statements' text (resume checks): done[i] for
 * each of the file's statements. Statements past the first one not done
 * are hashed with their numbers, so a prefix hashes as it always has.
 */
void stmt_done_checksum(const struct sqlfile *, const bool *done,
    char out[CHECKSUM_HEX]);

#endif
