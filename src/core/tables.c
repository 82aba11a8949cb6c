/*
 * tables.c - strata's own tables: one description, the DDL made from it
 * for either dialect, and the layout's version.
 *
 * Layouts:
 *   1  strata_history and strata_log (every strata before layouts were
 *      numbered)
 *   2  the same, and strata_meta recording the layout's version
 *   3  strata_history keeps a backfill's progress (the batch_* columns)
 *   4  a version's state may be 'expanded' (its contract part not yet run)
 *   5  strata_repeatable: what each repeatable migration last ran
 * An upgrade runs the steps from the database's layout to this one in one
 * transaction, under the migration lock.
 */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/error.h"

const char *const tables_own[] = {
	[TABLE_HISTORY] = "strata_history",
	[TABLE_LOG] = "strata_log",
	[TABLE_META] = "strata_meta",
	[TABLE_REPEATABLE] = "strata_repeatable",
	[TABLE__COUNT] = "strata_log_id_seq", /* the log's id, on PostgreSQL */
	NULL,
};

const char *
table_sql(const struct db *db, enum strata_table t)
{
	/* Made once for the schema in use; a process has one at a time. */
	static char *names[TABLE__COUNT], *made_for;
	const char  *schema = db->schema_name ? db->schema_name : "";
	size_t       i;

	if (made_for == NULL || strcmp(made_for, schema) != 0) {
		for (i = 0; i < TABLE__COUNT; i++) {
			struct buf b = BUF_INIT;

			if (*schema)
				buf_addf(&b, "%s.", schema);
			buf_adds(&b, tables_own[i]);
			free(names[i]);
			names[i] = buf_detach(&b);
		}
		free(made_for);
		made_for = xstrdup(schema);
	}
	return names[t];
}

const struct table_column history_columns[HC__COUNT] = {
	[HC_VERSION] = { "version", COL_BIGINT, "PRIMARY KEY" },
	[HC_NAME] = { "name", COL_TEXT, "NOT NULL" },
	[HC_CHECKSUM] = { "checksum", COL_TEXT, "" },
	[HC_ROLLBACK_CHECKSUM] = { "rollback_checksum", COL_TEXT, "" },
	[HC_STATE] = { "state", COL_TEXT,
	    "NOT NULL CHECK (state IN "
	    "('applied', 'failed', 'expanded'))" },
	[HC_COMPLETED] = { "statements_completed", COL_INT,
	    "NOT NULL DEFAULT 0" },
	[HC_COMPLETED_CHECKSUM] = { "completed_checksum", COL_TEXT, "" },
	[HC_ROLLBACK_COMPLETED] = { "rollback_completed", COL_INT,
	    "NOT NULL DEFAULT 0" },
	[HC_APPLIED_AT] = { "applied_at", COL_TIMESTAMP, "NOT NULL" },
	[HC_DURATION] = { "duration_ms", COL_BIGINT, "NOT NULL DEFAULT 0" },
	[HC_APPLIED_BY] = { "applied_by", COL_TEXT, "" },
	[HC_COMPLETED_EXTRA] = { "completed_extra", COL_TEXT, "" },
	[HC_ROLLBACK_EXTRA] = { "rollback_completed_extra", COL_TEXT, "" },
	[HC_BATCH_STATEMENT] = { "batch_statement", COL_INT, "", 3 },
	[HC_BATCH_ROWS] = { "batch_rows", COL_BIGINT, "", 3 },
	[HC_BATCH_ROUNDS] = { "batch_rounds", COL_BIGINT, "", 3 },
	[HC_BATCH_LAST] = { "batch_last", COL_TEXT, "", 3 },
	[HC_BATCH_MAX] = { "batch_max", COL_TEXT, "", 3 },
};

const struct table_column log_columns[LC__COUNT] = {
	[LC_ID] = { "id", COL_SERIAL, "PRIMARY KEY" },
	[LC_AT] = { "at", COL_TIMESTAMP, "NOT NULL" },
	[LC_VERSION] = { "version", COL_BIGINT, "" },
	[LC_DIRECTION] = { "direction", COL_TEXT, "" },
	[LC_STATEMENT] = { "statement", COL_INT, "" },
	[LC_KIND] = { "kind", COL_TEXT, "NOT NULL" },
	[LC_TEXT] = { "text", COL_TEXT, "NOT NULL" },
	[LC_DURATION] = { "duration_ms", COL_REAL, "" },
	[LC_ROWS] = { "rows_affected", COL_BIGINT, "" },
	[LC_OUTCOME] = { "outcome", COL_TEXT, "NOT NULL" },
	[LC_SQLSTATE] = { "sqlstate", COL_TEXT, "" },
	[LC_ERROR] = { "error", COL_TEXT, "" },
	[LC_FACTS] = { "facts", COL_JSON, "" },
};

const struct table_column repeat_columns[RC__COUNT] = {
	[RC_NAME] = { "name", COL_TEXT, "PRIMARY KEY", 5 },
	[RC_CHECKSUM] = { "checksum", COL_TEXT, "NOT NULL", 5 },
	[RC_APPLIED_AT] = { "applied_at", COL_TIMESTAMP, "NOT NULL", 5 },
	[RC_DURATION] = { "duration_ms", COL_BIGINT, "NOT NULL DEFAULT 0", 5 },
	[RC_APPLIED_BY] = { "applied_by", COL_TEXT, "", 5 },
};

static const struct table_column meta_columns[] = {
	{ "name", COL_TEXT, "PRIMARY KEY", 0 },
	{ "value", COL_TEXT, "NOT NULL", 0 },
};

static const char *
type_name(enum dialect d, enum column_type t)
{
	bool pg = d == DIALECT_POSTGRES;

	switch (t) {
	case COL_BIGINT: return pg ? "bigint" : "INTEGER";
	case COL_INT: return pg ? "integer" : "INTEGER";
	case COL_TEXT: return pg ? "text" : "TEXT";
	case COL_TIMESTAMP: return pg ? "timestamptz" : "TEXT";
	case COL_REAL: return pg ? "double precision" : "REAL";
	case COL_JSON: return pg ? "jsonb" : "TEXT";
	case COL_SERIAL: return pg ? "bigserial" : "INTEGER";
	}
	return "text";
}

static void
create_table(struct buf *sql, const struct db *db, const char *table,
    const struct table_column *cols, size_t n)
{
	size_t i;

	buf_addf(sql, "CREATE TABLE IF NOT EXISTS %s (", table);
	for (i = 0; i < n; i++)
		buf_addf(sql, "%s%s %s%s%s", i ? ", " : "", cols[i].name,
		    type_name(db->ops->dialect, cols[i].type),
		    cols[i].constraint[0] ? " " : "", cols[i].constraint);
	buf_adds(sql, ");\n");
}

static void
record_version(struct buf *sql, const struct db *db)
{
	buf_addf(sql,
	    "INSERT INTO %s (name, value) VALUES ('tables_version', "
	    "'%d') ON CONFLICT (name) DO UPDATE SET value = excluded.value;\n",
	    table_sql(db, TABLE_META), TABLES_VERSION);
}

/* The DDL of a new database's tables, in the layout of this strata. */
static void
create_all(struct buf *sql, const struct db *db)
{
	create_table(sql, db, table_sql(db, TABLE_HISTORY), history_columns,
	    HC__COUNT);
	create_table(sql, db, table_sql(db, TABLE_LOG), log_columns, LC__COUNT);
	/* SQLite looks the log up by version rarely enough to go without. */
	if (db->ops->dialect == DIALECT_POSTGRES)
		buf_addf(sql,
		    "CREATE INDEX IF NOT EXISTS strata_log_version "
		    "ON %s (version);\n",
		    table_sql(db, TABLE_LOG));
	create_table(sql, db, table_sql(db, TABLE_META), meta_columns, 2);
	create_table(sql, db, table_sql(db, TABLE_REPEATABLE), repeat_columns,
	    RC__COUNT);
	record_version(sql, db);
}

/*
 * Layout 4 widened the state's CHECK. PostgreSQL replaces the constraint;
 * SQLite cannot alter one, so the table is made again and its rows copied.
 */
static void
widen_state(struct buf *sql, const struct db *db)
{
	const char *t = table_sql(db, TABLE_HISTORY);
	struct buf  cols = BUF_INIT;
	size_t      i;

	if (db->ops->dialect == DIALECT_POSTGRES) {
		buf_addf(sql,
		    "ALTER TABLE %s DROP CONSTRAINT IF EXISTS "
		    "strata_history_state_check, ADD CONSTRAINT "
		    "strata_history_state_check CHECK (state IN ('applied', "
		    "'failed', 'expanded'));\n",
		    t);
		return;
	}
	/* SQLite's table is never schema-qualified: t_layout3 is a name. */
	buf_addf(sql, "ALTER TABLE %s RENAME TO %s_layout3;\n", t, t);
	create_table(sql, db, t, history_columns, HC__COUNT);
	for (i = 0; i < HC__COUNT; i++)
		buf_addf(&cols, "%s%s", i ? ", " : "", history_columns[i].name);
	buf_addf(sql,
	    "INSERT INTO %s (%s) SELECT %s FROM %s_layout3;\n"
	    "DROP TABLE %s_layout3;\n",
	    t, buf_cstr(&cols), buf_cstr(&cols), t, t);
	buf_free(&cols);
}

/* From layout `from` to this one: the columns added since, the meta table. */
static void
upgrade_steps(struct buf *sql, const struct db *db, int from)
{
	size_t i;

	if (from < 2)
		create_table(sql, db, table_sql(db, TABLE_META), meta_columns,
		    2);
	for (i = 0; i < HC__COUNT; i++)
		if (history_columns[i].since > from)
			buf_addf(sql, "ALTER TABLE %s ADD COLUMN %s %s;\n",
			    table_sql(db, TABLE_HISTORY),
			    history_columns[i].name,
			    type_name(db->ops->dialect,
				history_columns[i].type));
	if (from < 4)
		widen_state(sql, db);
	if (from < 5)
		create_table(sql, db, table_sql(db, TABLE_REPEATABLE),
		    repeat_columns, RC__COUNT);
	record_version(sql, db);
}

static int
version_cb(void *arg, int ncols, char **v)
{
	int *version = arg;

	if (ncols > 0 && v[0] != NULL)
		*version = atoi(v[0]);
	return 0;
}

int
tables_look(struct db *db, bool *exist, int *version)
{
	bool history, logt, meta;
	int  rc;

	*exist = false;
	*version = 0;
	if ((rc = db_relation_exists(db, tables_own[TABLE_HISTORY], &history)) <
		0 ||
	    (rc = db_relation_exists(db, tables_own[TABLE_LOG], &logt)) < 0 ||
	    (rc = db_relation_exists(db, tables_own[TABLE_META], &meta)) < 0)
		return rc;
	if (!history || !logt)
		return 0;
	*exist = true;
	*version = 1;
	if (meta) {
		struct buf sql = BUF_INIT;

		buf_addf(&sql,
		    "SELECT value FROM %s WHERE name = "
		    "'tables_version'",
		    table_sql(db, TABLE_META));
		rc = db_query(db, sql.ptr, 0, NULL, version_cb, version);
		buf_free(&sql);
		if (rc < 0)
			return rc;
	}
	db->tables_layout = *version;
	if (*version > TABLES_VERSION)
		return err_set(EXIT_DB,
		    "strata's tables in %s are of layout "
		    "%d, newer than this strata (" STRATA_VERSION ") knows "
		    "(%d): run a newer strata",
		    db->url_masked, *version, TABLES_VERSION);
	return 0;
}

int
tables_ensure(struct db *db)
{
	struct buf sql = BUF_INIT;
	bool       exist;
	int        version, rc;

	if ((rc = tables_look(db, &exist, &version)) < 0 ||
	    (exist && version == TABLES_VERSION))
		return rc;
	if (!exist)
		create_all(&sql, db);
	else
		upgrade_steps(&sql, db, version);
	if ((rc = db_begin(db)) < 0)
		goto done;
	if ((rc = db_run(db, sql.ptr)) < 0 || (rc = db_commit(db)) < 0) {
		db_rollback(db);
		goto done;
	}
	db->tables_layout = TABLES_VERSION;
	if (exist)
		db_notice(db,
		    "upgraded strata's tables in %s from layout %d "
		    "to %d",
		    db->url_masked, version, TABLES_VERSION);
done:
	buf_free(&sql);
	return rc;
}
