/*
 * partition.h - what partition.c (the partition tree and the parent's
 * index) and partition_leaf.c (each partition's index found, built and
 * attached) share. Internal to the PostgreSQL driver.
 */
#ifndef STRATA_PG_PARTITION_H
#define STRATA_PG_PARTITION_H

#include "pg.h"

/* An index's definition after its name and table: "USING btree (a)...". */
#define TAIL(oid) \
	"substring(pg_get_indexdef(" oid ") from position(' USING ' in " \
	"pg_get_indexdef(" oid ")) + 1)"

/* One table of the partition tree, parents before their partitions. */
struct part_table {
	char *oid;
	char *parent; /* its parent table's oid */
	char *name;   /* quoted, schema-qualified */
	bool  partitioned;
	char *index;      /* oid of its index in the tree, once known */
	char *index_name; /* and that index's name, as regclass prints it */
};

/* What the build of one statement's index needs at every partition. */
struct build {
	const struct stmt *s;
	const char        *tail;   /* "USING btree (a) ...", its definition */
	const char        *unique; /* "UNIQUE " or "" */
	size_t             leaves, done;
};

/* A leaf to build, and where its build runs. */
struct queued {
	struct part_table       *t;
	const struct part_table *up;
	int                      slot; /* worker running it; -1 not started */
	int64_t                  t0;
	bool                     done;
};

/* First value of a query on the main connection, or NULL. */
int part_value(struct db_pg *, const char *sql, int n,
    const char *const *params, char **out);
/* A failure of strata's own step (the error record) as the statement's. */
int part_step_failed(struct exec_result *);
/* Run one step as a statement is run, under the run's lock timeout. */
int part_locked_step(struct db_pg *, const char *sql, struct exec_result *);
/* A sub-partitioned partition: its own ON ONLY index, attached. */
int part_branch(struct db_pg *, struct build *, struct part_table *,
    const struct part_table *up, struct exec_result *);
/* A leaf before its build: 0 done, 1 to build, -1 failed. */
int part_leaf_before(struct db_pg *, struct build *, struct part_table *,
    const struct part_table *up, struct exec_result *);
/* Build the queued leaves (jobs at a time), each attached as it ends. */
int part_build(struct db_pg *, struct build *, struct queued *, size_t n,
    struct exec_result *);

#endif
