/*
 * lint_db.c - what lint learns from the database it is pointed at: which
 * tables exist (and about how many rows they hold), the columns' current
 * types, and the validated CHECK (col IS NOT NULL) constraints. Read
 * only; see SPEC §6.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/runner.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "lint_db.h"

static int
table_cb(void *arg, int ncols, char **v)
{
	struct lint_run *run = arg;

	if (ncols >= 2 && v[0] != NULL)
		lint_catalog_table(run, v[0],
		    v[1] ? strtoll(v[1], NULL, 10) : -1);
	return 0;
}

static int
uncounted_cb(void *arg, int ncols, char **v)
{
	if (ncols >= 1 && v[0] != NULL)
		lint_catalog_table(arg, v[0], LINT_ROWS_UNCOUNTED);
	return 0;
}

static int
column_cb(void *arg, int ncols, char **v)
{
	struct lint_run *run = arg;

	if (ncols >= 3 && v[0] && v[1] && v[2])
		lint_column_set(run, v[0], v[1], v[2]);
	return 0;
}

static int
function_cb(void *arg, int ncols, char **v)
{
	if (ncols >= 2 && v[0] && v[1])
		lint_function_set(arg, v[0], strcmp(v[1], "true") == 0);
	return 0;
}

static int
partitioned_cb(void *arg, int ncols, char **v)
{
	struct lint_partitioned *p;

	if (ncols >= 3 && v[0] && v[1]) {
		p = lint_partitioned_set(arg, v[0], v[1]);
		p->default_part = v[2] ? xstrdup(v[2]) : NULL;
	}
	return 0;
}

/* What a fix that moves a column to a new one must carry over. */
static int
describe_cb(void *arg, int ncols, char **v)
{
	struct lint_column *c;

	if (ncols < 7 || v[0] == NULL || v[1] == NULL)
		return 0;
	if ((c = lint_column_find(arg, v[0], v[1])) == NULL)
		c = lint_column_set(arg, v[0], v[1], NULL);
	c->described = true;
	c->notnull = v[2] && strcmp(v[2], "t") == 0;
	c->default_expr = v[3] ? xstrdup(v[3]) : NULL;
	c->indexes = v[4] ? xstrdup(v[4]) : NULL;
	c->pinned = v[5] ? xstrdup(v[5]) : NULL;
	c->catalog_type = v[6] ? xstrdup(v[6]) : NULL;
	return 0;
}

/* A column a validated CHECK reads: ATTACH PARTITION may trust it. */
static int
checked_cb(void *arg, int ncols, char **v)
{
	struct lint_column *c;

	if (ncols < 2 || v[0] == NULL || v[1] == NULL)
		return 0;
	if ((c = lint_column_find(arg, v[0], v[1])) == NULL)
		c = lint_column_set(arg, v[0], v[1], NULL);
	c->checked = true;
	return 0;
}

static int
key_cb(void *arg, int ncols, char **v)
{
	if (ncols >= 2 && v[0] && v[1])
		lint_unique_key(arg, v[0], v[1]);
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
static int64_t
planner_rows(void *arg, const char *text, size_t len)
{
	struct db   *db = arg;
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

/* "CHECK ((col IS NOT NULL))", as pg_get_constraintdef says it. */
static int
check_cb(void *arg, int ncols, char **v)
{
	struct lint_run    *run = arg;
	struct lint_column *c;
	const char         *def, *end;
	char                col[128];
	size_t              n;

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
	if ((c = lint_column_find(run, v[0], col)) == NULL)
		c = lint_column_set(run, v[0], col, NULL);
	c->notnull_checked = true;
	return 0;
}

#define PG_USER_RELATIONS \
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') " \
	"AND n.nspname !~ '^pg_(toast|temp_)' "

static int
pg_catalog(struct db *db, struct lint_run *run)
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
		 0, NULL, table_cb, run)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname, "
		 "format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
		 "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n "
		 "ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT "
		 "a.attisdropped AND c.relkind IN ('r', 'p') AND n.nspname "
		 "NOT IN ('pg_catalog', 'information_schema')",
		 0, NULL, column_cb, run)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, "
		 "pg_get_constraintdef(k.oid) "
		 "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
		 "JOIN pg_namespace n ON n.oid = c.relnamespace "
		 "WHERE k.contype = 'c' AND k.convalidated",
		 0, NULL, check_cb, run)) < 0)
		return rc;
	if ((rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname "
		 "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
		 "JOIN pg_namespace n ON n.oid = c.relnamespace "
		 "JOIN pg_attribute a ON a.attrelid = i.indrelid "
		 "AND a.attnum = i.indkey[0] "
		 "WHERE i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL "
		 "AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
		 0, NULL, key_cb, run)) < 0)
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
		 0, NULL, partitioned_cb, run)) < 0 ||
	    (rc = db_query(db,
		 "SELECT n.nspname || '.' || c.relname, a.attname FROM "
		 "pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN "
		 "pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a "
		 "ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey) WHERE "
		 "k.contype = 'c' AND k.convalidated",
		 0, NULL, checked_cb, run)) < 0)
		return rc;
	if ((rc = db_query(db,
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
		 "n.nspname !~ '^pg_'",
		 0, NULL, describe_cb, run)) < 0)
		return rc;
	run->estimate_rows = planner_rows;
	run->estimate_arg = db;
	/* The built-ins are known without asking (pg_builtins.c). */
	return db_query(db,
	    "SELECT p.proname, bool_or(p.provolatile = 'v')::text FROM pg_proc p "
	    "WHERE p.pronamespace <> 'pg_catalog'::regnamespace "
	    "GROUP BY p.proname",
	    0, NULL, function_cb, run);
}

static int
count_cb(void *arg, int ncols, char **v)
{
	if (ncols >= 1 && v[0] != NULL)
		*(int64_t *)arg = strtoll(v[0], NULL, 10);
	return 0;
}

/* A table's rows, counted: SQLite keeps no estimate without ANALYZE. */
static int64_t
sqlite_count_rows(void *arg, const char *table)
{
	const char *name = table + 5; /* past "main." */
	struct buf  sql = BUF_INIT;
	int64_t     rows = -1;
	size_t      k;

	/* A quoted identifier: double any quote in the name. */
	buf_adds(&sql, "SELECT count(*) FROM \"");
	for (k = 0; name[k]; k++) {
		if (name[k] == '"')
			buf_addch(&sql, '"');
		buf_addch(&sql, name[k]);
	}
	buf_addch(&sql, '"');
	/* A table that cannot be read (a virtual table's module missing)
	 * has an unknown size, as without a database. */
	if (db_query(arg, sql.ptr, 0, NULL, count_cb, &rows) < 0) {
		err_clear();
		rows = -1;
	}
	buf_free(&sql);
	return rows;
}

/* The tables by name; each is counted only when a rule asks. */
static int
sqlite_catalog(struct db *db, struct lint_run *run)
{
	run->count_rows = sqlite_count_rows;
	run->count_arg = db;
	return db_query(db,
	    "SELECT 'main.' || name FROM sqlite_master WHERE type = 'table' "
	    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
	    0, NULL, uncounted_cb, run);
}

int
lint_load_catalog(struct db *db, struct lint_run *run)
{
	int rc;

	if (db->ops->dialect == DIALECT_POSTGRES)
		rc = pg_catalog(db, run);
	else
		rc = sqlite_catalog(db, run);
	run->state.catalog = true;
	return rc;
}

int
lint_note_expanded_versions(struct db *db, struct lint_run *run,
    struct plan *plan)
{
	size_t i;
	int    rc;

	for (i = 0; i < plan->n; i++) {
		struct migration *m = &plan->v[i];

		if (m->state != STATE_EXPANDED || m->part == PART_CONTRACT)
			continue;
		if ((rc = runner_prepare_file(db, &m->up)) < 0)
			return rc;
		lint_note_expanded(run, &m->up, m->version);
	}
	return 0;
}

int
lint_repeatables(struct db *db, struct lint_run *run, struct plan *plan)
{
	size_t i;
	int    rc;

	for (i = 0; i < plan->rn; i++) {
		struct repeatable *r = &plan->rv[i];

		if (r->state == REP_APPLIED)
			continue;
		if ((rc = runner_prepare_file(db, &r->sql)) < 0)
			return rc;
		lint_file(run, &r->sql, db->ops->dialect, 0, false);
	}
	return 0;
}

int
lint_migrations(struct db *db, struct lint_run *run, struct migration **ms,
    size_t n, bool down)
{
	size_t i;
	int    rc;

	if (!run->state.catalog && (rc = lint_load_catalog(db, run)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct sqlfile *f = down ? &ms[i]->down : &ms[i]->up;
		size_t          from = 0, to;

		if ((rc = runner_prepare_file(db, f)) < 0)
			return rc;
		/* Of a phased version, the part this run runs. */
		to = f->stmts.n;
		if (!down && f->phased && ms[i]->part == PART_EXPAND)
			to = f->contract;
		else if (!down && f->phased && ms[i]->part == PART_CONTRACT)
			from = f->contract;
		lint_file_part(run, f, db->ops->dialect, ms[i]->version, down,
		    from, to);
	}
	return 0;
}
