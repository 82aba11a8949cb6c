/*
 * pg_split.h - split and classify PostgreSQL migration files with
 * PostgreSQL's own parser (libpg_query).
 */
#ifndef STRATA_PG_SPLIT_H
#define STRATA_PG_SPLIT_H

#include "../core/stmt.h"

/*
 * The connected server's version (PQserverVersion), or 0 when unknown.
 * When the server is newer than the parser's grammar, a file the parser
 * rejects is split by the scanner instead, and the server judges it.
 */
extern int pg_split_server_version;

int	pg_split(struct sqlfile *);

#endif
