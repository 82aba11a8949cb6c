/*
 * facts.c - what the optimization log keeps about a statement (the size
 * of a built index, whether a type change rewrote its table), and the one
 * recovery step before a statement: dropping the INVALID index a failed
 * CREATE INDEX CONCURRENTLY left behind.
 *
 * A fact that cannot be read is left out; it never fails the statement.
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/log.h"

#define FIND_RELATION \
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relname = $1 AND (CASE WHEN $2::text IS NULL " \
	"THEN pg_table_is_visible(c.oid) ELSE n.nspname = $2 END) "

/*
 * Before CREATE INDEX CONCURRENTLY: an INVALID index of the same name is
 * what an earlier failed build left; drop it (concurrently) so the build
 * can run again. IF NOT EXISTS would otherwise skip it silently.
 */
int
pg_before_stmt(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct db_pg *d = (struct db_pg *)db;
	char         *schema, *name, *drop = NULL;
	const char   *params[2];
	int           rc = 0;

	if (s->kind != KIND_CREATE_INDEX_CONCURRENTLY || s->index == NULL)
		return 0;
	/* Its INVALID parent index is work in progress (partition.c). */
	if (pg_is_partitioned(d, s->relation, &drop)) {
		free(drop);
		return 0;
	}
	pg_split_qualified(s->index, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (pgc_query(d->conn,
		"SELECT format('DROP INDEX CONCURRENTLY IF "
		"EXISTS %I.%I', n.nspname, c.relname) " FIND_RELATION
		"AND c.relkind IN ('i', 'I') AND EXISTS (SELECT 1 FROM pg_index i "
		"WHERE i.indexrelid = c.oid AND NOT i.indisvalid)",
		2, params, pg_first_value_cb, &drop) < 0)
		err_clear();
	if (drop != NULL) {
		db_notice(db,
		    "dropping INVALID index '%s' left by an earlier "
		    "failed build",
		    s->index);
		pg_set_lock_timeout(d, s);
		if ((rc = pgc_run(d->conn, drop)) == 0)
			facts_bool(&f->facts, "dropped_invalid_index", true);
	}
	free(drop);
	free(schema);
	free(name);
	return rc;
}

int
pg_index_built(struct db *db, const struct stmt *s, bool *built)
{
	struct db_pg *d = (struct db_pg *)db;
	char         *schema, *name, *got = NULL;
	const char   *params[3];
	int           rc;

	*built = false;
	if (s->kind != KIND_CREATE_INDEX_CONCURRENTLY || s->index == NULL ||
	    s->relation == NULL)
		return 0;
	pg_split_qualified(s->index, &schema, &name);
	params[0] = name;
	params[1] = schema;
	params[2] = s->relation;
	rc = pgc_query(d->conn,
	    "SELECT 1 " FIND_RELATION "AND c.relkind IN ('i', 'I') AND EXISTS "
	    "(SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND "
	    "i.indisvalid AND i.indrelid = to_regclass($3))",
	    3, params, pg_first_value_cb, &got);
	*built = rc == 0 && got != NULL;
	free(got);
	free(schema);
	free(name);
	return rc;
}

struct two_values {
	char *a;
	char *b;
};

static int
two_cb(void *arg, int ncols, char **v)
{
	struct two_values *t = arg;

	if (ncols >= 2 && t->a == NULL) {
		t->a = v[0] ? xstrdup(v[0]) : NULL;
		t->b = v[1] ? xstrdup(v[1]) : NULL;
	}
	return 0;
}

/* Two values about a relation: sql takes its name as $1, schema as $2. */
static void
relation_facts(struct db_pg *d, const char *qualified, const char *sql,
    struct two_values *out)
{
	char       *schema, *name;
	const char *params[2];

	pg_split_qualified(qualified, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (pg_begin_flush(d) < 0 ||
	    pgc_query(d->conn, sql, 2, params, two_cb, out) < 0)
		err_clear();
	free(schema);
	free(name);
}

#define TABLE_FACTS \
	"SELECT pg_relation_filenode(c.oid), pg_total_relation_size(c.oid) " FIND_RELATION

/*
 * An index's size, and for a concurrent build whether it is valid (a
 * plain build that succeeded always is). to_regclass resolves the name as
 * the search path does, and plans in microseconds where a join of
 * pg_class and pg_namespace is slow right after DDL.
 */
#define INDEX_REGCLASS \
	"to_regclass(CASE WHEN $2::text IS NULL THEN '' ELSE " \
	"quote_ident($2) || '.' END || quote_ident($1))"
#define INDEX_SIZE "SELECT pg_relation_size(" INDEX_REGCLASS "), NULL"
#define INDEX_SIZE_VALID \
	"SELECT pg_relation_size(x.r), (SELECT i.indisvalid FROM pg_index i " \
	"WHERE i.indexrelid = x.r) FROM (SELECT " INDEX_REGCLASS " AS r) x"

/*
 * The size query rides in the same text as the CREATE INDEX. The index
 * name goes in as literals, quoted by the server as relation_facts'
 * parameters are.
 */
bool
pg_add_size_query(struct db_pg *d, struct buf *q, const char *index)
{
	char *schema, *name, *ls = NULL, *ln;
	bool  ok;

	pg_split_qualified(index, &schema, &name);
	ln = pgc_quote_literal(d->conn, name);
	if (schema)
		ls = pgc_quote_literal(d->conn, schema);
	ok = ln && (schema == NULL || ls);
	if (ok) {
		/* A newline first: the statement may end in a -- comment. */
		buf_adds(q, "\n;SELECT pg_relation_size(to_regclass(");
		if (ls)
			buf_addf(q, "quote_ident(%s) || '.' || ", ls);
		buf_addf(q, "quote_ident(%s)))", ln);
	}
	free(ln);
	free(ls);
	free(schema);
	free(name);
	return ok;
}

void
pg_facts_before(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct two_values t = { NULL, NULL };

	if (s->kind != KIND_ALTER_COLUMN_TYPE || s->relation == NULL)
		return;
	relation_facts((struct db_pg *)db, s->relation, TABLE_FACTS, &t);
	if (t.a)
		f->relfilenode_before = strtoll(t.a, NULL, 10);
	if (t.b)
		f->size_before = strtoll(t.b, NULL, 10);
	free(t.a);
	free(t.b);
}

void
pg_facts_after(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	struct db_pg     *d = (struct db_pg *)db;
	struct two_values t = { NULL, NULL };

	if (s->kind == KIND_CREATE_INDEX && d->have_size) {
		/* Read with the statement (pg_exec). */
		facts_int_text(&f->facts, "index_size_bytes", d->index_size);
		free(d->index_size);
		d->index_size = NULL;
		d->have_size = false;
	} else if ((s->kind == KIND_CREATE_INDEX ||
		       s->kind == KIND_CREATE_INDEX_CONCURRENTLY) &&
	    s->index) {
		relation_facts(d, s->index,
		    s->kind == KIND_CREATE_INDEX ? INDEX_SIZE
						 : INDEX_SIZE_VALID,
		    &t);
		facts_int_text(&f->facts, "index_size_bytes", t.a);
		if (t.b)
			facts_bool(&f->facts, "index_valid",
			    strcmp(t.b, "t") == 0);
	} else if (s->kind == KIND_ALTER_COLUMN_TYPE && s->relation &&
	    f->relfilenode_before >= 0) {
		relation_facts(d, s->relation, TABLE_FACTS, &t);
		if (t.a)
			facts_bool(&f->facts, "table_rewritten",
			    strtoll(t.a, NULL, 10) != f->relfilenode_before);
		if (f->size_before >= 0)
			facts_int(&f->facts, "size_before_bytes",
			    f->size_before);
		facts_int_text(&f->facts, "size_after_bytes", t.b);
	}
	free(t.a);
	free(t.b);
}
