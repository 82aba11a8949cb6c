/*
 * schema.c - the schema snapshot (db/snapshot.h) of a SQLite database.
 */
#include "sqlite.h"

#include "../snapshot.h"

/*
 * The schema, for --check-rollbacks: structure from the pragmas, and the
 * text SQLite keeps for what the pragmas do not show (CHECK constraints,
 * partial-index predicates, views, triggers), normalised by the core.
 */
#define SQLITE_USER_TABLES \
	"s.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND s.name NOT IN ('strata_history', 'strata_log', 'strata_meta')"

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
    "  AND s.tbl_name NOT IN ('strata_history', 'strata_log', 'strata_meta')"
    " UNION ALL SELECT 'index ' || s.name, 'automatic index on ' ||"
    "  s.tbl_name || '(' || (SELECT group_concat(i.name, ',') FROM"
    "  pragma_index_info(s.name) i) || ')', 0 FROM sqlite_schema s"
    " WHERE s.type = 'index' AND s.sql IS NULL"
    "  AND s.tbl_name NOT IN ('strata_history', 'strata_log', 'strata_meta')"
    " UNION ALL SELECT s.type || ' ' || s.name, s.sql, 1 FROM sqlite_schema s"
    " WHERE s.type IN ('view', 'trigger')"
    "  AND s.tbl_name NOT IN ('strata_history', 'strata_log', 'strata_meta')";

int
sqlite_snapshot(struct db *db, struct snapshot *snap)
{
	return db_query(db, sqlite_snapshot_sql, 0, NULL, snapshot_row, snap);
}
