/*
 * pg_classify.h - a PostgreSQL statement classified from its parse tree
 * (pg_classify.c), for pg_parse.c, and the names a tree gives relations.
 */
#ifndef STRATA_PG_CLASSIFY_H
#define STRATA_PG_CLASSIFY_H

#include <pg_query/pg_query.pb-c.h>

#include "stmt.h"

/* "schema.name" of a RangeVar, or of a qualified name (a List of Strings,
 * or one String), in a new string; NULL when there is none. */
char *pg_range_name(const PgQuery__RangeVar *);
char *pg_list_name(const PgQuery__Node *);
/* Fill st's kind, nontx, relation, index and the like from its tree. */
void pg_classify(struct stmt *, const PgQuery__Node *);

#endif
