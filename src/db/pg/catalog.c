/*
 * catalog.c - what lint asks of a PostgreSQL catalog (db.h's catalog
 * slot): tables and their row estimates, the columns' types, validated
 * CHECKs, single-column unique keys, partitioned tables, functions and
 * what a column carries; the planner's estimate of the rows a statement
 * touches; and, for lint --trace, each table's storage file (a rewrite
 * gives it a new one) and the locks this session holds. Read only.
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "../../sql/catalog.h"
#include "../../util/buf.h"
#include "../../util/error.h"

static int
table_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 2 && v[0] != NULL)
		s->table(s->arg, v[0], v[1] ? strtoll(v[1], NULL, 10) : -1);
	return 0;
}

static int
column_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 3 && v[0] && v[1] && v[2])
		s->column(s->arg, v[0], v[1], v[2]);
	return 0;
}

static int
function_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 2 && v[0] && v[1])
		s->function(s->arg, v[0], strcmp(v[1], "true") == 0);
	return 0;
}

static int
partitioned_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 3 && v[0] && v[1])
		s->partitioned(s->arg, v[0], v[1], v[2]);
	return 0;
}

static int
describe_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;
	struct catalog_column      c;

	if (ncols < 7 || v[0] == NULL || v[1] == NULL)
		return 0;
	c.table = v[0];
	c.column = v[1];
	c.notnull = v[2] && strcmp(v[2], "t") == 0;
	c.default_expr = v[3];
	c.indexes = v[4];
	c.pinned = v[5];
	c.type = v[6];
	s->described(s->arg, &c);
	return 0;
}

static int
checked_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 2 && v[0] != NULL && v[1] != NULL)
		s->checked(s->arg, v[0], v[1]);
	return 0;
}

static int
key_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 2 && v[0] && v[1])
		s->unique_key(s->arg, v[0], v[1]);
	return 0;
}

/* "CHECK ((col IS NOT NULL))", as pg_get_constraintdef says it. */
static int
check_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;
	const char                *def, *end;
	char                       col[128];
	size_t                     n;

	if (ncols < 2 || v[0] == NULL || v[1] == NULL)
		return 0;
	def = v[1];
	if (strncmp(def, "CHECK ((", 8) != 0 ||
	    (end = strstr(def, " IS NOT NULL))")) == NULL ||
	    end[strlen(" IS NOT NULL))")] != '\0')
		return 0;
	def += 8;
	n = (size_t)(end - def);
	if (n >= 2 && def[0] == '"' && def[n - 1] == '"') {
		def++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(col) || memchr(def, ' ', n))
		return 0;
	memcpy(col, def, n);
	col[n] = '\0';
	s->not_null_check(s->arg, v[0], col);
	return 0;
}

/* The rows= of the first plan node under the UPDATE or DELETE itself. */
static int
plan_cb(void *arg, int ncols, char **v)
{
	int64_t    *rows = arg;
	const char *r;

	if (ncols < 1 || v[0] == NULL || (r = strstr(v[0], " rows=")) == NULL)
		return 0;
	if (*rows == -2)
		*rows = -1; /* the ModifyTable node: rows=0 */
	else if (*rows == -1)
		*rows = strtoll(r + 6, NULL, 10);
	return 0;
}

/*
 * The planner's estimate of the rows a statement touches, from EXPLAIN
 * (which runs nothing), or -1: a statement on what an earlier file of the
 * run makes cannot be planned yet.
 */
int64_t
pg_estimate_rows(struct db *db, const char *text, size_t len)
{
	struct buf   sql = BUF_INIT;
	struct error saved;
	int64_t      rows = -2;

	while (len > 0 &&
	    (text[len - 1] == ';' || text[len - 1] == ' ' ||
		text[len - 1] == '\n'))
		len--;
	buf_adds(&sql, "EXPLAIN ");
	buf_add(&sql, text, len);
	err_save(&saved);
	if (db_query(db, buf_cstr(&sql), 0, NULL, plan_cb, &rows) < 0)
		rows = -1;
	err_restore(&saved);
	buf_free(&sql);
	return rows < 0 ? -1 : rows;
}

#define PG_USER_RELATIONS \
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') " \
	"AND n.nspname !~ '^pg_(toast|temp_)' "

int
pg_catalog(struct db *db, const struct catalog_sink *sink)
{
	int rc;

	/*
	 * reltuples is -1 for a table never analyzed: unknown, unless it
	 * has no pages at all.
	 */
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, "
		 "CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint "
		 "WHEN c.relpages = 0 THEN 0 END " PG_USER_RELATIONS
		 "AND c.relkind IN ('r', 'p', 'm', 'f')",
		 0, NULL, table_cb, (void *)sink)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname, "
		 "format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
		 "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n "
		 "ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT "
		 "a.attisdropped AND c.relkind IN ('r', 'p') AND n.nspname "
		 "NOT IN ('pg_catalog', 'information_schema')",
		 0, NULL, column_cb, (void *)sink)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, "
		 "pg_get_constraintdef(k.oid) "
		 "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
		 "JOIN pg_namespace n ON n.oid = c.relnamespace "
		 "WHERE k.contype = 'c' AND k.convalidated",
		 0, NULL, check_cb, (void *)sink)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname "
		 "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
		 "JOIN pg_namespace n ON n.oid = c.relnamespace "
		 "JOIN pg_attribute a ON a.attrelid = i.indrelid "
		 "AND a.attnum = i.indkey[0] "
		 "WHERE i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL "
		 "AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
		 0, NULL, key_cb, (void *)sink)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, coalesce((SELECT "
		 "string_agg(coalesce(a.attname, ''), ',' ORDER BY k.ord) FROM "
		 "unnest(p.partattrs::int2[]) WITH ORDINALITY k(attnum, ord) "
		 "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = "
		 "k.attnum), ''), (SELECT dn.nspname || '.' || d.relname FROM "
		 "pg_class d JOIN pg_namespace dn ON dn.oid = d.relnamespace "
		 "WHERE d.oid = p.partdefid) FROM pg_partitioned_table p JOIN "
		 "pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid "
		 "= c.relnamespace",
		 0, NULL, partitioned_cb, (void *)sink)) < 0 ||
	    (rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname FROM "
		 "pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN "
		 "pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a "
		 "ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey) WHERE "
		 "k.contype = 'c' AND k.convalidated",
		 0, NULL, checked_cb, (void *)sink)) < 0)
		return rc;
	/* The built-ins are known without asking (pg_builtins.c). */
	return db_query(db,
	    "SELECT p.proname, bool_or(p.provolatile = 'v')::text FROM pg_proc p "
	    "WHERE p.pronamespace <> 'pg_catalog'::regnamespace "
	    "GROUP BY p.proname",
	    0, NULL, function_cb, (void *)sink);
}

/*
 * What each column of one table carries, for lint --fix's column moves:
 * NOT NULL, its default, the plain indexes on it, and what pins it. Asked
 * per table, as --fix needs it: over a whole catalog the correlated
 * subqueries take a second a thousand tables.
 */
int
pg_describe(struct db *db, const char *table, const struct catalog_sink *sink)
{
	const char *params[1] = { table };

	return db_query(db,
	    "SELECT n.nspname || '.' || c.relname, a.attname, "
	    "CASE WHEN a.attnotnull THEN 't' ELSE 'f' END, "
	    "pg_get_expr(d.adbin, d.adrelid), "
	    "(SELECT string_agg(ic.relname || '|' || i.indisunique || '|' "
	    "|| am.amname || '|' || (SELECT string_agg(x.attname, ',' "
	    "ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY "
	    "k(attnum, ord) JOIN pg_attribute x ON x.attrelid = c.oid AND "
	    "x.attnum = k.attnum), ';') FROM pg_index i JOIN pg_class ic ON "
	    "ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam WHERE "
	    "i.indrelid = c.oid AND a.attnum = ANY (i.indkey) AND "
	    "i.indexprs IS NULL AND i.indpred IS NULL AND NOT EXISTS "
	    "(SELECT 1 FROM pg_constraint k WHERE k.conindid = "
	    "i.indexrelid)), "
	    "CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE "
	    "(k.conrelid = c.oid AND a.attnum = ANY (k.conkey)) OR "
	    "(k.confrelid = c.oid AND a.attnum = ANY (k.confkey))) THEN "
	    "'a constraint (a key, a foreign key or a check) uses it' "
	    "WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid "
	    "AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL) AND "
	    "(a.attnum = ANY (i.indkey) OR pg_get_indexdef(i.indexrelid) "
	    "LIKE '%' || a.attname || '%')) THEN 'an index on an "
	    "expression or with a WHERE uses it' "
	    "WHEN EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.refobjid = "
	    "c.oid AND dp.refobjsubid = a.attnum AND dp.classid = "
	    "'pg_rewrite'::regclass) THEN 'a view uses it' END, "
	    "format_type(a.atttypid, a.atttypmod) "
	    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	    "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN "
	    "pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	    "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r' "
	    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND "
	    "n.nspname !~ '^pg_' AND (n.nspname || '.' || c.relname = $1 OR "
	    "(c.relname = $1 AND n.nspname = ANY (current_schemas(false))))",
	    1, params, describe_cb, (void *)sink);
}

#define PG_TRACED_TABLES \
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN " \
	"('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"

int
pg_table_files(struct db *db, db_row_fn fn, void *arg)
{
	return db_query(db,
	    "SELECT n.nspname || '.' || c.relname, "
	    "c.relfilenode::text " PG_TRACED_TABLES,
	    0, NULL, fn, arg);
}

int
pg_locks_held(struct db *db, db_row_fn fn, void *arg)
{
	return db_query(db,
	    "SELECT n.nspname || '.' || c.relname, upper(regexp_replace("
	    "regexp_replace(l.mode, 'Lock$', ''), '([a-z])([A-Z])', "
	    "'\\1 \\2', 'g')) FROM pg_locks l JOIN pg_class c ON c.oid = "
	    "l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "l.pid = pg_backend_pid() AND l.granted AND c.relkind IN ('r', "
	    "'p', 'm') AND n.nspname NOT IN ('pg_catalog', "
	    "'information_schema') AND n.nspname !~ '^pg_'",
	    0, NULL, fn, arg);
}
