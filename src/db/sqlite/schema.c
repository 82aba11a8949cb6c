/*
 * schema.c - the schema snapshot (db/snapshot.h) of a SQLite database, and
 * what lint asks of its catalog (sql/catalog.h).
 */
#include "sqlite.h"

#include <stdlib.h>
#include <string.h>

#include "../snapshot.h"
#include "../../sql/catalog.h"
#include "../../util/buf.h"

/*
 * The schema, for --check-rollbacks: structure from the pragmas, and the
 * text SQLite keeps for what the pragmas do not show (CHECK constraints,
 * partial-index predicates, views, triggers), normalised by the core.
 */
#define SQLITE_USER_TABLES \
	"s.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND s.name NOT IN (SELECT value FROM json_each($1))"

static const char sqlite_snapshot_sql[] =
    "SELECT 'table ' || s.name, s.sql, 2 FROM sqlite_schema s"
    " WHERE " SQLITE_USER_TABLES
    " UNION ALL SELECT 'table ' || s.name || ' options',"
    "  CASE t.wr WHEN 0 THEN '' ELSE 'WITHOUT ROWID ' END ||"
    "  CASE t.strict WHEN 0 THEN '' ELSE 'STRICT' END, 0"
    " FROM sqlite_schema s JOIN pragma_table_list t"
    "  ON t.name = s.name AND t.schema = 'main' WHERE " SQLITE_USER_TABLES
    " UNION ALL SELECT 'column ' || s.name || '.' || c.name, c.type, 0"
    " FROM sqlite_schema s, pragma_table_xinfo(s.name) c"
    " WHERE " SQLITE_USER_TABLES
    " UNION ALL SELECT 'column ' || s.name || '.' || c.name || ' position',"
    "  c.cid, 0 FROM sqlite_schema s, pragma_table_xinfo(s.name) c"
    " WHERE " SQLITE_USER_TABLES
    " UNION ALL SELECT 'column ' || s.name || '.' || c.name || ' not null',"
    "  CASE c.\"notnull\" WHEN 0 THEN 'false' ELSE 'true' END, 0"
    " FROM sqlite_schema s, pragma_table_xinfo(s.name) c"
    " WHERE " SQLITE_USER_TABLES
    " UNION ALL SELECT 'column ' || s.name || '.' || c.name || ' default',"
    "  c.dflt_value, 1 FROM sqlite_schema s, pragma_table_xinfo(s.name) c"
    " WHERE " SQLITE_USER_TABLES " AND c.dflt_value IS NOT NULL"
    " UNION ALL SELECT 'column ' || s.name || '.' || c.name ||"
    "  ' primary key', c.pk, 0"
    " FROM sqlite_schema s, pragma_table_xinfo(s.name) c"
    " WHERE " SQLITE_USER_TABLES " AND c.pk > 0"
    " UNION ALL SELECT 'foreign key ' || s.name || '(' ||"
    "  group_concat(f.\"from\", ',') || ')', 'REFERENCES ' || f.\"table\" ||"
    "  '(' || group_concat(coalesce(f.\"to\", ''), ',') || ') ON UPDATE ' ||"
    "  f.on_update || ' ON DELETE ' || f.on_delete || ' MATCH ' || f.match, 0"
    " FROM sqlite_schema s, pragma_foreign_key_list(s.name) f"
    " WHERE " SQLITE_USER_TABLES " GROUP BY s.name, f.id"
    " UNION ALL SELECT 'index ' || s.name, s.sql, 1 FROM sqlite_schema s"
    " WHERE s.type = 'index' AND s.sql IS NOT NULL"
    "  AND s.tbl_name NOT IN (SELECT value FROM json_each($1))"
    " UNION ALL SELECT 'index ' || s.name, 'automatic index on ' ||"
    "  s.tbl_name || '(' || (SELECT group_concat(i.name, ',') FROM"
    "  pragma_index_info(s.name) i) || ')', 0 FROM sqlite_schema s"
    " WHERE s.type = 'index' AND s.sql IS NULL"
    "  AND s.tbl_name NOT IN (SELECT value FROM json_each($1))"
    " UNION ALL SELECT s.type || ' ' || s.name, s.sql, 1 FROM sqlite_schema s"
    " WHERE s.type IN ('view', 'trigger')"
    "  AND s.tbl_name NOT IN (SELECT value FROM json_each($1))";

/* The names as a JSON array, for json_each: strata's need no escapes. */
int
sqlite_snapshot(struct db *db, const char *const *own, struct snapshot *snap)
{
	struct buf names = BUF_INIT;
	size_t     i;
	int        rc;

	buf_addch(&names, '[');
	for (i = 0; own[i] != NULL; i++)
		buf_addf(&names, "%s\"%s\"", i ? "," : "", own[i]);
	buf_addch(&names, ']');
	rc = db_query(db, sqlite_snapshot_sql, 1,
	    (const char *const[]){ names.ptr }, snapshot_row, snap);
	buf_free(&names);
	return rc;
}

/* One name of "schema.table" as written: unquoted, in a new string. */
static const char *
unquote_part(const char *s, char **out)
{
	struct buf b = BUF_INIT;
	char close = *s == '"' ? '"' : *s == '`' ? '`' : *s == '[' ? ']' : 0;

	if (close == 0) {
		while (*s && *s != '.')
			buf_addch(&b, *s++);
	} else {
		for (s++; *s; s++) {
			if (*s == close && s[1] == close && close != ']')
				s++;
			else if (*s == close) {
				s++;
				break;
			}
			buf_addch(&b, *s);
		}
	}
	*out = buf_detach(&b);
	return s;
}

struct table_found {
	char *schema;
	bool  without_rowid;
	bool  is_table;
};

static int
table_found_cb(void *arg, int ncols, char **v)
{
	struct table_found *t = arg;

	if (ncols < 3 || t->schema != NULL)
		return 0;
	t->schema = xstrdup(v[0] ? v[0] : "main");
	t->is_table = v[1] && strcmp(v[1], "table") == 0;
	t->without_rowid = v[2] && strcmp(v[2], "1") == 0;
	return 0;
}

static int
name_cb(void *arg, int ncols, char **v)
{
	if (ncols > 0 && v[0] != NULL)
		table_key_add(arg, NULL, v[0]);
	return 0;
}

/* Keeps the last row's first value, copied. */
static int
last_value_cb(void *arg, int ncols, char **v)
{
	char **out = arg;

	if (ncols > 0 && v[0] != NULL) {
		free(*out);
		*out = xstrdup(v[0]);
	}
	return 0;
}

int
sqlite_table_key(struct db *db, const char *table, struct table_key *k)
{
	struct table_found t = { NULL, false, false };
	char              *schema = NULL, *name = NULL, *count = NULL;
	const char        *rest, *params[2];
	char              *rowid = NULL;
	struct buf         sql = BUF_INIT;
	int                rc;

	memset(k, 0, sizeof(*k));
	k->estimate = -1;
	rest = unquote_part(table, &name);
	if (*rest == '.') {
		schema = name;
		unquote_part(rest + 1, &name);
	}
	params[0] = name;
	params[1] = schema;
	if ((rc = db_query(db,
		 "SELECT schema, type, wr FROM pragma_table_list "
		 "WHERE name = $1 COLLATE NOCASE AND ($2 IS NULL OR schema = "
		 "$2 COLLATE NOCASE) ORDER BY schema = 'temp' DESC, "
		 "schema = 'main' DESC",
		 2, params, table_found_cb, &t)) < 0 ||
	    t.schema == NULL)
		goto done;
	k->exists = true;
	params[1] = t.schema;
	if (!t.is_table)
		;
	else if (t.without_rowid)
		rc = db_query(db,
		    "SELECT name FROM pragma_table_info($1, $2) WHERE pk > 0 "
		    "ORDER BY pk",
		    2, params, name_cb, k);
	/* A column named like the rowid hides it: take the first name free. */
	else if ((rc = db_query(db,
		      "SELECT w FROM (SELECT 'oid' AS w, 3 AS o UNION ALL "
		      "SELECT '_rowid_', 2 UNION ALL SELECT 'rowid', 1) WHERE "
		      "w NOT IN (SELECT lower(name) FROM pragma_table_info($1, "
		      "$2)) ORDER BY o DESC",
		      2, params, last_value_cb, &rowid)) == 0 &&
	    rowid != NULL)
		table_key_add(k, rowid, rowid);
	if (rc < 0)
		goto done;
	buf_addf(&sql, "SELECT count(*) FROM %s", table);
	if ((rc = db_query(db, sql.ptr, 0, NULL, last_value_cb, &count)) == 0 &&
	    count != NULL)
		k->estimate = strtoll(count, NULL, 10);
done:
	free(t.schema);
	free(rowid);
	free(count);
	free(schema);
	free(name);
	buf_free(&sql);
	return rc;
}

static int
table_cb(void *arg, int ncols, char **v)
{
	const struct catalog_sink *s = arg;

	if (ncols >= 1 && v[0] != NULL)
		s->table(s->arg, v[0], -1);
	return 0;
}

/*
 * The tables by name. Their sizes stay unknown: no SQLite rule judges a
 * table by its rows, and counting them would scan every table.
 */
int
sqlite_catalog(struct db *db, const struct catalog_sink *sink)
{
	return db_query(db,
	    "SELECT 'main.' || name FROM sqlite_master WHERE type = 'table' "
	    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
	    0, NULL, table_cb, (void *)sink);
}
