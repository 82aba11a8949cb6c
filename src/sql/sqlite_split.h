/*
 * sqlite_split.h - split and classify SQLite migration files; a
 * statement's tokens.
 */
#ifndef STRATA_SQLITE_SPLIT_H
#define STRATA_SQLITE_SPLIT_H

#include "sqlfile.h"

/* Fill f->stmts; exit 2 with file:line:col for text that never ends. */
int sqlite_split(struct sqlfile *);
/*
 * The tokens of one statement of `text` (spaces and comments left out),
 * in a new array (free it); returns how many.
 */
size_t
sqlite_tokens(const char *text, const struct stmt *, struct sql_token **out);

#endif
