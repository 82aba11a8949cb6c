/*
 * pg_classify.h - a PostgreSQL statement classified from its parse tree
 * (pg_classify.c), for pg_parse.c.
 */
#ifndef STRATA_PG_CLASSIFY_H
#define STRATA_PG_CLASSIFY_H

#include <pg_query/pg_query.pb-c.h>

#include "pg_parse.h"

/* Fill st's kind, nontx, relation, index and the like from its tree. */
void pg_classify(struct stmt *, const PgQuery__Node *);

#endif
