/*
 * sql.h - the dialect layer: statements of a migration file, found and
 * classified with no connection to a database.
 *
 * Whoever needs more than the kind and the segments (the linter) parses a
 * statement again (pg_tree_parse) or reads its tokens (sqlite_tokens).
 */
#ifndef STRATA_SQL_H
#define STRATA_SQL_H

#include "sqlfile.h"
#include "stmt.h"
#include "dialect.h"

const char *dialect_name(enum dialect);

/*
 * Split and classify a loaded file into f->stmts, once. server_version:
 * the PostgreSQL server's (PQserverVersion), or 0 when unknown.
 */
int sql_split(struct sqlfile *, enum dialect, int server_version);

#endif
