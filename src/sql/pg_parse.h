/*
 * pg_parse.h - split, parse and classify PostgreSQL migration files with
 * PostgreSQL's own parser (libpg_query); trees on demand.
 */
#ifndef STRATA_PG_PARSE_H
#define STRATA_PG_PARSE_H

#include "sqlfile.h"

/* The tree's node types: <pg_query/pg_query.pb-c.h>, for those who walk it. */
struct PgQuery__Node;
struct PgQuery__RangeVar;

/*
 * Fill f->stmts, each classified from its parse tree. server_version is the
 * connected server's (150004), or 0 when unknown: when the server is newer
 * than the parser's grammar, a file the parser rejects is split by the
 * scanner instead (its statements get no tree), and the server judges it.
 */
int pg_parse(struct sqlfile *, int server_version);

/*
 * Offsets of the identifiers in text longer than `limit` bytes (the
 * parse tree holds them cut to 63), at most `max`; returns how many.
 */
size_t pg_long_identifiers(const char *text, size_t len, size_t limit,
    size_t *offsets, size_t max);

/*
 * The tokens of one statement of `text` (comments left out), as
 * PostgreSQL's scanner reads them, in a new array (free it); how many.
 */
size_t pg_tokens(const char *text, const struct stmt *, struct sql_token **out);

/* May the name be written without double quotes (not a keyword)? */
bool pg_ident_plain(const char *name);

/*
 * The parse tree of one statement of `text` (one whose `parsed` is set),
 * parsed again: free it with pg_tree_free(). NULL when there is none.
 */
struct pg_tree *pg_tree_parse(const char *text, const struct stmt *);
/* The statement node of a tree, or NULL. */
const struct PgQuery__Node *pg_tree_stmt(const struct pg_tree *);
void                        pg_tree_free(struct pg_tree *);

#endif
