/*
 * test_lint.c - each lint rule from parse trees: the hazardous statement
 * is reported, its safe counterpart (or the same on a new table) is not.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/lint/lint.h"
#include "../../src/sql/sql.h"
#include "../../src/util/error.h"

/* Lint `text` as one forward file; the findings stay in *run. */
static void
lint_text(struct lint_run *run, const struct lint_options *o, const char *text,
    enum dialect d, bool down)
{
	struct sqlfile f;

	/* The findings point at the path: it outlives the file. */
	static char path[32];

	snprintf(path, sizeof(path), "%s",
	    down ? "rollback/5_t.sql" : "sql/5_t.sql");
	memset(&f, 0, sizeof(f));
	f.path = path;
	buf_adds(&f.text, text);
	cr_assert_eq(sql_split(&f, d, o->pg_version), 0, "split: %s", text);
	lint_init(run, o);
	lint_file(run, &f, d, 5, down);
	f.path = NULL;
	sqlfile_free(&f);
}

static bool
has(const struct lint_run *run, const char *rule)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (strcmp(run->v[i].rule, rule) == 0)
			return true;
	return false;
}

/* Arrays, not pointers: Criterion copies parameters into each test. */
struct rule_case {
	char rule[48];
	char sql[320];
	int  pg_version;
	bool sqlite;
	bool reported;
};

#define SET_TIMEOUT "SET lock_timeout = '2s';\n"

static const struct rule_case cases[] = {
	{ "require-concurrent-index-creation", "CREATE INDEX i ON t (a);",
	    150000, false, true },
	{ "require-concurrent-index-creation",
	    "CREATE INDEX CONCURRENTLY i ON t (a);", 150000, false, false },
	{ "require-concurrent-index-creation",
	    "CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);", 150000, false,
	    false },
	{ "require-concurrent-index-deletion", "DROP INDEX i;", 150000, false,
	    true },
	{ "require-concurrent-index-deletion", "DROP INDEX CONCURRENTLY i;",
	    150000, false, false },
	{ "require-concurrent-index-deletion",
	    "CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\nDROP INDEX i;",
	    150000, false, false },
	{ "require-concurrent-reindex", "REINDEX INDEX i;", 150000, false,
	    true },
	{ "require-concurrent-reindex", "REINDEX INDEX CONCURRENTLY i;", 150000,
	    false, false },
	{ "require-concurrent-reindex", "REINDEX TABLE s;", 150000, false,
	    true },
	{ "require-concurrent-reindex",
	    "CREATE TABLE s (a int);\nREINDEX TABLE s;", 150000, false, false },
	{ "require-concurrent-reindex",
	    "CREATE TABLE s (a int);\nCREATE INDEX si ON s (a);\nREINDEX INDEX "
	    "si;",
	    150000, false, false },
	{ "require-concurrent-refresh", "REFRESH MATERIALIZED VIEW mv;", 150000,
	    false, true },
	{ "require-concurrent-refresh",
	    "REFRESH MATERIALIZED VIEW CONCURRENTLY mv;", 150000, false,
	    false },
	{ "require-concurrent-partition-detach",
	    "ALTER TABLE p DETACH PARTITION p1;", 150000, false, true },
	{ "require-concurrent-partition-detach",
	    "ALTER TABLE p DETACH PARTITION p1;", 130000, false, false },
	{ "require-concurrent-partition-detach",
	    "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", 150000, false,
	    false },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();",
	    150000, false, true },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c int DEFAULT 0;", 150000, false, false },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c int DEFAULT 0;", 100000, false, true },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();", 150000,
	    false, false },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c text DEFAULT 'x'::text;", 150000, false,
	    false },
	/* Operators and stable calls are evaluated once: no rewrite. */
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c text DEFAULT 'x' || now()::text;",
	    150000, false, false },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c text DEFAULT upper(current_user) || "
	    "to_char(current_date, 'YYYY');",
	    150000, false, false },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c float DEFAULT random() * 2;", 150000,
	    false, true },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();",
	    150000, false, true },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c int DEFAULT nextval('s');", 150000,
	    false, true },
	/* A function nobody has said anything of: volatile, as by default. */
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c int DEFAULT my_fn();", 150000, false,
	    true },
	{ "adding-field-with-default",
	    "CREATE FUNCTION my_fn() RETURNS int LANGUAGE sql STABLE AS "
	    "'SELECT 1';\nALTER TABLE t ADD COLUMN c int DEFAULT my_fn();",
	    150000, false, false },
	{ "adding-field-with-default",
	    "CREATE FUNCTION my_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
	    "ALTER TABLE t ADD COLUMN c int DEFAULT my_fn();",
	    150000, false, true },
	{ "adding-field-with-default",
	    "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a * 2) STORED;",
	    150000, false, true },
	{ "adding-serial-column", "ALTER TABLE t ADD COLUMN id bigserial;",
	    150000, false, true },
	{ "adding-serial-column",
	    "ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;",
	    150000, false, true },
	{ "adding-serial-column", "ALTER TABLE t ADD COLUMN id bigint;", 150000,
	    false, false },
	{ "adding-required-field", "ALTER TABLE t ADD COLUMN c int NOT NULL;",
	    150000, false, true },
	{ "adding-required-field",
	    "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;", 150000, false,
	    false },
	{ "adding-not-nullable-field",
	    "ALTER TABLE t ALTER COLUMN c SET NOT NULL;", 150000, false, true },
	{ "adding-not-nullable-field",
	    "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID;",
	    150000, false, false },
	{ "adding-primary-key", "ALTER TABLE t ADD PRIMARY KEY (id);", 150000,
	    false, true },
	{ "adding-primary-key",
	    "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_idx;",
	    150000, false, false },
	{ "disallowed-unique-constraint", "ALTER TABLE t ADD UNIQUE (a);",
	    150000, false, true },
	{ "disallowed-unique-constraint",
	    "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u_idx;", 150000,
	    false, false },
	{ "adding-foreign-key-constraint",
	    "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id);",
	    150000, false, true },
	{ "adding-foreign-key-constraint",
	    "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) "
	    "NOT VALID;",
	    150000, false, false },
	{ "adding-foreign-key-constraint",
	    "ALTER TABLE t ADD COLUMN u_id bigint REFERENCES u (id);", 150000,
	    false, true },
	{ "constraint-missing-not-valid",
	    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", 150000, false,
	    true },
	{ "constraint-missing-not-valid",
	    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;", 150000,
	    false, false },
	{ "constraint-missing-not-valid",
	    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
	    "ALTER TABLE t VALIDATE CONSTRAINT c;",
	    150000, false, true },
	/* -- strata:commit between them: two transactions, one file. */
	{ "constraint-missing-not-valid",
	    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
	    "-- strata:commit\n"
	    "ALTER TABLE t VALIDATE CONSTRAINT c;",
	    150000, false, false },
	{ "exclusive-lock-held",
	    "ALTER TABLE t ADD COLUMN c int;\n-- strata:commit\nSELECT 1;",
	    150000, false, false },
	{ "adding-exclusion-constraint",
	    "ALTER TABLE t ADD EXCLUDE USING gist (r WITH &&);", 150000, false,
	    true },
	{ "rewriting-table", "VACUUM FULL t;", 150000, false, true },
	{ "rewriting-table", "VACUUM t;", 150000, false, false },
	{ "rewriting-table", "CLUSTER t USING t_idx;", 150000, false, true },
	{ "rewriting-table", "ALTER TABLE t SET LOGGED;", 150000, false, true },
	{ "rewriting-table", "ALTER TABLE t SET TABLESPACE fast;", 150000,
	    false, true },
	{ "unbatched-data-change", "UPDATE t SET a = 1;", 150000, false, true },
	{ "unbatched-data-change", "UPDATE t SET a = 1 WHERE id < 100;", 150000,
	    false, false },
	{ "unbatched-data-change", "DELETE FROM t;", 150000, false, true },
	{ "exclusive-lock-held", "ALTER TABLE t ADD COLUMN c int;\nSELECT 1;",
	    150000, false, true },
	{ "exclusive-lock-held", "SELECT 1;\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, false },
	{ "require-lock-timeout", "ALTER TABLE t ADD COLUMN c int;", 150000,
	    false, true },
	{ "require-lock-timeout", SET_TIMEOUT "ALTER TABLE t ADD COLUMN c int;",
	    150000, false, false },
	{ "require-lock-timeout", "CREATE INDEX CONCURRENTLY i ON t (a);",
	    150000, false, false },
	{ "require-lock-timeout",
	    SET_TIMEOUT
	    "SET lock_timeout TO 0;\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, true },
	{ "require-lock-timeout",
	    "SET lock_timeout = '0s';\nALTER TABLE t ADD COLUMN c int;", 150000,
	    false, true },
	{ "require-lock-timeout",
	    "SET lock_timeout = '10s';\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, false },
	/* Read from the tree: a number, LOCAL, RESET and DEFAULT too. */
	{ "require-lock-timeout",
	    "SET LOCAL lock_timeout = 5000;\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, false },
	{ "require-lock-timeout",
	    SET_TIMEOUT "RESET lock_timeout;\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, true },
	{ "require-lock-timeout",
	    SET_TIMEOUT
	    "SET lock_timeout TO DEFAULT;\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, true },
	{ "require-lock-timeout",
	    "SET statement_timeout = '10s';\nALTER TABLE t ADD COLUMN c int;",
	    150000, false, true },
	{ "lock-table", "LOCK TABLE t IN ACCESS EXCLUSIVE MODE;", 150000, false,
	    true },
	{ "ban-drop-column", "ALTER TABLE t DROP COLUMN c;", 150000, false,
	    true },
	{ "renaming-column", "ALTER TABLE t RENAME COLUMN a TO b;", 150000,
	    false, true },
	{ "renaming-table", "ALTER TABLE t RENAME TO u;", 150000, false, true },
	{ "ban-drop-table", "DROP TABLE t;", 150000, false, true },
	{ "ban-drop-table", "CREATE TABLE t (a int);\nDROP TABLE t;", 150000,
	    false, false },
	{ "ban-drop-table",
	    "CREATE TABLE t_new (a int);\nDROP TABLE t;\n"
	    "ALTER TABLE t_new RENAME TO t;",
	    150000, false, false },
	{ "require-concurrent-index-creation",
	    "CREATE INDEX i ON ONLY parted (a);", 150000, false, false },
	{ "ban-drop-database", "DROP SCHEMA s CASCADE;", 150000, false, true },
	{ "ban-drop-database", "DROP DATABASE d;", 150000, false, true },
	{ "ban-truncate-cascade", "TRUNCATE t CASCADE;", 150000, false, true },
	{ "ban-truncate-cascade", "TRUNCATE t;", 150000, false, false },
	{ "identifier-too-long",
	    "CREATE TABLE a_table_name_that_goes_on_and_on_well_past_what_"
	    "postgresql_keeps_of_it (a int);",
	    150000, false, true },
	{ "identifier-too-long",
	    "CREATE TABLE a_table_name_that_is_long_but_not_too_long (a int);",
	    150000, false, false },
	{ "prefer-bigint-key", "CREATE TABLE t (id int PRIMARY KEY);", 150000,
	    false, true },
	{ "prefer-bigint-key", "CREATE TABLE t (id bigint PRIMARY KEY);",
	    150000, false, false },
	{ "prefer-bigint-key", "CREATE TABLE t (id int, PRIMARY KEY (id));",
	    150000, false, true },
	{ "prefer-timestamptz", "CREATE TABLE t (at timestamp);", 150000, false,
	    true },
	{ "prefer-timestamptz", "CREATE TABLE t (at timestamptz);", 150000,
	    false, false },
	{ "prefer-text-field", "CREATE TABLE t (n varchar(20));", 150000, false,
	    true },
	{ "prefer-text-field", "CREATE TABLE t (n text);", 150000, false,
	    false },
	{ "prefer-identity", "CREATE TABLE t (id bigserial);", 150000, false,
	    true },
	{ "prefer-jsonb", "CREATE TABLE t (d json);", 150000, false, true },
	{ "prefer-jsonb", "CREATE TABLE t (d jsonb);", 150000, false, false },
	/* SQLite. */
	{ "adding-required-field",
	    "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL;", 0, true, true },
	{ "adding-required-field",
	    "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 0;", 0, true,
	    false },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c TEXT DEFAULT (datetime('now'));", 0,
	    true, true },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'x';", 0, true, false },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c TEXT DEFAULT CURRENT_TIMESTAMP;", 0,
	    true, true },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c TEXT DEFAULT current_date;", 0, true,
	    true },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c TEXT DEFAULT CURRENT_TIME;", 0, true,
	    true },
	{ "sqlite-non-constant-default",
	    "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT -1;", 0, true, false },
	{ "ban-drop-column", "ALTER TABLE t DROP COLUMN c;", 0, true, true },
	{ "renaming-column", "ALTER TABLE t RENAME COLUMN a TO b;", 0, true,
	    true },
	{ "renaming-table", "ALTER TABLE t RENAME TO u;", 0, true, true },
	{ "ban-drop-table", "DROP TABLE t;", 0, true, true },
	{ "ban-drop-table", "CREATE TABLE t (a);\nDROP TABLE t;", 0, true,
	    false },
	{ "ban-drop-table",
	    "CREATE TABLE t_new (a);\nDROP TABLE t;\n"
	    "ALTER TABLE t_new RENAME TO t;",
	    0, true, false },
	{ "sqlite-pragma-in-transaction", "PRAGMA foreign_keys = OFF;", 0, true,
	    true },
	{ "sqlite-pragma-in-transaction",
	    "-- strata:no-transaction\nPRAGMA foreign_keys = OFF;", 0, true,
	    false },
};

ParameterizedTestParameters(lint, each_rule)
{
	return cr_make_param_array(struct rule_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct rule_case *c, lint, each_rule)
{
	struct lint_options o = { c->pg_version, 0, false, false, NULL, false };
	struct lint_run     run;
	struct sqlfile      f;

	memset(&f, 0, sizeof(f));
	f.path = strdup("sql/5_t.sql");
	buf_adds(&f.text, c->sql);
	/* What the loader would have found: the directive. */
	f.no_tx = strstr(c->sql, "-- strata:no-transaction") != NULL;
	cr_assert_eq(sql_split(&f,
			 c->sqlite ? DIALECT_SQLITE : DIALECT_POSTGRES,
			 c->pg_version),
	    0, "split: %s", c->sql);
	lint_init(&run, &o);
	lint_file(&run, &f, c->sqlite ? DIALECT_SQLITE : DIALECT_POSTGRES, 5,
	    false);
	cr_assert_eq(has(&run, c->rule), c->reported, "%s %s for: %s", c->rule,
	    c->reported ? "not reported" : "reported", c->sql);
	lint_free(&run);
	sqlfile_free(&f);
}

/* Type changes are judged against what the earlier files declared. */
Test(lint, type_changes_judged_from_the_files)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;
	struct sqlfile      a, b;
	const char *const   safe[] = {
		  "ALTER TABLE t ALTER COLUMN p TYPE numeric(5,2);",
		  "ALTER TABLE t ALTER COLUMN v TYPE varchar(80);",
		  "ALTER TABLE t ALTER COLUMN v TYPE text;",
		  "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz(6);",
		  "ALTER TABLE t ALTER COLUMN n TYPE inet;",
	};
	const char *const unsafe[] = {
		"ALTER TABLE t ALTER COLUMN p TYPE numeric(5,3);",
		"ALTER TABLE t ALTER COLUMN v TYPE varchar(10);",
		"ALTER TABLE t ALTER COLUMN p TYPE int;",
		"ALTER TABLE t ALTER COLUMN ts TYPE timestamptz(1);",
		"ALTER TABLE t ALTER COLUMN q TYPE bigint;",
	};
	size_t i;

	for (i = 0; i < 10; i++) {
		const char *sql = i < 5 ? safe[i] : unsafe[i - 5];

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.path = strdup("sql/1_t.sql");
		buf_adds(&a.text,
		    "CREATE TABLE t (p numeric(3,2), v varchar(40), "
		    "ts timestamptz(3), n cidr);");
		b.path = strdup("sql/2_t.sql");
		buf_adds(&b.text, sql);
		cr_assert_eq(sql_split(&a, DIALECT_POSTGRES, 150000), 0);
		cr_assert_eq(sql_split(&b, DIALECT_POSTGRES, 150000), 0);
		lint_init(&run, &o);
		lint_file(&run, &a, DIALECT_POSTGRES, 1, false);
		lint_file(&run, &b, DIALECT_POSTGRES, 2, false);
		cr_assert_eq(has(&run, "changing-column-type"), i >= 5, "%s",
		    sql);
		lint_free(&run);
		sqlfile_free(&a);
		sqlfile_free(&b);
	}
}

/* A validated CHECK (c IS NOT NULL) from an earlier file makes it cheap. */
Test(lint, not_null_through_a_validated_check)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;
	struct sqlfile      a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.path = strdup("sql/1_t.sql");
	a.no_tx = true;
	buf_adds(&a.text,
	    "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT "
	    "NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c_nn;");
	b.path = strdup("sql/2_t.sql");
	buf_adds(&b.text, "ALTER TABLE t ALTER COLUMN c SET NOT NULL;");
	cr_assert_eq(sql_split(&a, DIALECT_POSTGRES, 150000), 0);
	cr_assert_eq(sql_split(&b, DIALECT_POSTGRES, 150000), 0);
	lint_init(&run, &o);
	lint_file(&run, &a, DIALECT_POSTGRES, 1, false);
	lint_file(&run, &b, DIALECT_POSTGRES, 2, false);
	cr_assert(!has(&run, "adding-not-nullable-field"));
	cr_assert(!has(&run, "constraint-missing-not-valid"));
	lint_free(&run);
	/* Before PostgreSQL 12 SET NOT NULL scans anyway. */
	o.pg_version = 110000;
	lint_init(&run, &o);
	lint_file(&run, &a, DIALECT_POSTGRES, 1, false);
	lint_file(&run, &b, DIALECT_POSTGRES, 2, false);
	cr_assert(has(&run, "adding-not-nullable-field"));
	lint_free(&run);
	sqlfile_free(&a);
	sqlfile_free(&b);
}

/*
 * The recipe of adding-not-nullable-field's help, one step a file: the
 * check added NOT VALID in one, validated in the next, SET NOT NULL in the
 * third. What the earlier files taught carries to the later ones.
 */
Test(lint, not_null_check_carries_across_files)
{
	struct lint_options o = { 150000, 0, false, false, NULL, true };
	static const char  *texts[] = {
		 "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT "
		  "VALID;",
		 "ALTER TABLE t VALIDATE CONSTRAINT c_nn;",
		 "ALTER TABLE t ALTER COLUMN c SET NOT NULL;",
		 "ALTER TABLE t ADD CONSTRAINT d_nn CHECK (d IS NOT NULL);",
		 "ALTER TABLE t ALTER COLUMN d SET NOT NULL;",
	};
	struct sqlfile  f[5];
	struct lint_run run;
	size_t          i;

	lint_init(&run, &o);
	for (i = 0; i < 5; i++) {
		char path[32];

		memset(&f[i], 0, sizeof(f[i]));
		snprintf(path, sizeof(path), "sql/%zu_t.sql", i + 1);
		f[i].path = strdup(path);
		buf_adds(&f[i].text, texts[i]);
		cr_assert_eq(sql_split(&f[i], DIALECT_POSTGRES, 150000), 0);
		lint_file(&run, &f[i], DIALECT_POSTGRES, (int64_t)i + 1, false);
	}
	cr_assert(!has(&run, "adding-not-nullable-field"));
	/* Validated in a transaction of its own: nothing held through it. */
	for (i = 0; i < run.n; i++)
		cr_assert(strcmp(run.v[i].rule,
			      "constraint-missing-not-valid") != 0 ||
			run.v[i].statement == 1,
		    "%s at %s", run.v[i].rule, run.v[i].file);
	lint_free(&run);
	for (i = 0; i < 5; i++)
		sqlfile_free(&f[i]);
}

/* Lint texts[] as the files of one pending run, in order. */
static void
lint_files(struct lint_run *run, const char *const *texts, size_t n)
{
	/* The findings point at the paths: they outlive the files. */
	static char paths[8][32];
	size_t      i;

	cr_assert_leq(n, 8);
	for (i = 0; i < n; i++) {
		struct sqlfile f;

		memset(&f, 0, sizeof(f));
		snprintf(paths[i], sizeof(paths[i]), "sql/%zu_t.sql", i + 1);
		f.path = paths[i];
		buf_adds(&f.text, texts[i]);
		cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 150000), 0);
		lint_file(run, &f, DIALECT_POSTGRES, (int64_t)i + 1, false);
		/* The findings keep pointing at the path. */
		f.path = NULL;
		sqlfile_free(&f);
	}
}

static const struct finding *
finding_of(const struct lint_run *run, const char *rule)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (strcmp(run->v[i].rule, rule) == 0)
			return &run->v[i];
	return NULL;
}

/* Renames are followed through the run: indexes, tables, columns. */
Test(lint, renames_are_followed)
{
	struct lint_options      o = { 150000, 0, false, false, NULL, true };
	struct lint_run          run;
	const struct finding    *f;
	static const char *const index[] = {
		"CREATE TABLE q (a int);\nCREATE INDEX q_a ON q (a);",
		"ALTER INDEX q_a RENAME TO q_b;",
		"DROP INDEX q_b;",
	};
	static const char *const column[] = {
		"ALTER TABLE users RENAME COLUMN icon TO avatar;",
		"ALTER TABLE users ALTER COLUMN avatar TYPE varchar(10);",
	};
	static const char *const table[] = {
		"ALTER TABLE big RENAME TO big2;",
		"UPDATE big2 SET x = 1;",
	};

	lint_init(&run, &o);
	lint_files(&run, index, 3);
	cr_assert(!has(&run, "require-concurrent-index-deletion"));
	lint_free(&run);

	/* With a database: the column's type goes with its new name. */
	lint_init(&run, &o);
	lint_catalog_table(&run, "public.users", 10);
	lint_column_set(&run, "public.users", "icon", "text");
	lint_files(&run, column, 2);
	f = finding_of(&run, "changing-column-type");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "from text to character varying(10)"),
	    "%s", f->message);
	lint_free(&run);

	/* An existing table renamed is still existing, with its rows. */
	lint_init(&run, &o);
	lint_catalog_table(&run, "public.big", 500000);
	lint_files(&run, table, 2);
	f = finding_of(&run, "unbatched-data-change");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, SEV_ERROR);
	lint_free(&run);
}

/*
 * A data change is judged by what it touches: an equality on a unique key
 * touches one row at most, however big the table.
 */
Test(lint, data_change_by_a_unique_key_touches_one_row)
{
	struct lint_options      o = { 150000, 0, false, false, NULL, true };
	struct lint_run          run;
	static const char *const one[] = {
		"DELETE FROM orders WHERE id = 5;",
		"UPDATE orders SET s = 1 WHERE 7 = code AND s = 0;",
		"UPDATE orders SET s = 1 WHERE id = $1;",
	};
	static const char *const many[] = {
		"DELETE FROM orders WHERE s = 5;",
		"DELETE FROM orders WHERE id = 5 OR s = 1;",
		"DELETE FROM orders WHERE id > 5;",
	};
	size_t i;

	for (i = 0; i < 3; i++) {
		lint_init(&run, &o);
		lint_catalog_table(&run, "public.orders", 1000000);
		lint_unique_key(&run, "public.orders", "id");
		lint_unique_key(&run, "public.orders", "code");
		lint_files(&run, &one[i], 1);
		cr_assert(!has(&run, "unbatched-data-change"), "%s", one[i]);
		lint_free(&run);
		lint_init(&run, &o);
		lint_catalog_table(&run, "public.orders", 1000000);
		lint_unique_key(&run, "public.orders", "id");
		lint_files(&run, &many[i], 1);
		cr_assert(has(&run, "unbatched-data-change"), "%s", many[i]);
		lint_free(&run);
	}
	/* A key the files declare counts too. */
	lint_init(&run, &o);
	lint_catalog_table(&run, "public.t2", 1000000);
	{
		static const char *const files[] = {
			"CREATE UNIQUE INDEX t2_k ON t2 (k);",
			"DELETE FROM t2 WHERE k = 'a';",
		};

		lint_files(&run, files, 2);
	}
	cr_assert(!has(&run, "unbatched-data-change"));
	lint_free(&run);
}

/* Lint texts as one run on a database with a partitioned events(at). */
static void
lint_partitioned_run(struct lint_run *run, const char *const *texts, size_t n,
    bool with_default)
{
	static const struct lint_options o = { 150000, 0, false, false, NULL,
		true };
	struct lint_partitioned         *p;

	lint_init(run, &o);
	lint_catalog_table(run, "public.events", 1000000);
	lint_catalog_table(run, "public.events_other", 1000);
	lint_catalog_table(run, "public.ev_new", 50000);
	p = lint_partitioned_set(run, "public.events", "at");
	if (with_default)
		p->default_part = strdup("public.events_other");
	lint_files(run, texts, n);
}

Test(lint, partitioned_tables)
{
	struct lint_run          run;
	const struct finding    *f;
	static const char *const attach[] = {
		"ALTER TABLE events ATTACH PARTITION ev_new FOR VALUES FROM "
		"('2026-01-01') TO ('2026-02-01');",
	};
	static const char *const attach_checked[] = {
		"ALTER TABLE ev_new ADD CONSTRAINT b CHECK (at >= '2026-01-01' "
		"AND at < '2026-02-01') NOT VALID;",
		"ALTER TABLE ev_new VALIDATE CONSTRAINT b;",
		"ALTER TABLE events ATTACH PARTITION ev_new FOR VALUES FROM "
		"('2026-01-01') TO ('2026-02-01');",
	};
	static const char *const new_part[] = {
		"CREATE TABLE events_2026_05 PARTITION OF events FOR VALUES FROM "
		"('2026-05-01') TO ('2026-06-01');",
	};
	static const char *const unique_bad[] = {
		"CREATE UNIQUE INDEX CONCURRENTLY u ON events (id);",
	};
	static const char *const unique_ok[] = {
		"CREATE UNIQUE INDEX CONCURRENTLY u ON events (id, at);",
	};
	static const char *const plain[] = {
		"CREATE INDEX e_kind ON events (kind);",
	};

	lint_partitioned_run(&run, attach, 1, false);
	cr_assert(has(&run, "attach-partition-scan"));
	cr_assert(!has(&run, "default-partition-scan"));
	lint_free(&run);
	lint_partitioned_run(&run, attach_checked, 3, false);
	cr_assert(!has(&run, "attach-partition-scan"));
	lint_free(&run);
	lint_partitioned_run(&run, attach, 1, true);
	cr_assert(has(&run, "default-partition-scan"));
	lint_free(&run);

	lint_partitioned_run(&run, new_part, 1, true);
	cr_assert(has(&run, "default-partition-scan"));
	lint_free(&run);
	lint_partitioned_run(&run, new_part, 1, false);
	cr_assert(!has(&run, "default-partition-scan"));
	lint_free(&run);

	lint_partitioned_run(&run, unique_bad, 1, false);
	cr_assert(has(&run, "partitioned-unique-key"));
	lint_free(&run);
	lint_partitioned_run(&run, unique_ok, 1, false);
	cr_assert(!has(&run, "partitioned-unique-key"));
	lint_free(&run);

	/* The plain build's help is right for a partitioned table. */
	lint_partitioned_run(&run, plain, 1, false);
	f = finding_of(&run, "require-concurrent-index-creation");
	cr_assert_not_null(f);
	cr_assert(strstr(f->help, "partition by partition"), "%s", f->help);
	lint_free(&run);
}

/* Without a database, the files say which tables are partitioned. */
Test(lint, partitioned_tables_from_the_files)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;

	lint_text(&run, &o,
	    "CREATE TABLE t (id int PRIMARY KEY, at date) PARTITION BY RANGE "
	    "(at);",
	    DIALECT_POSTGRES, false);
	cr_assert(has(&run, "partitioned-unique-key"));
	lint_free(&run);
	lint_text(&run, &o,
	    "CREATE TABLE t (id int, at date, PRIMARY KEY (id, at)) PARTITION "
	    "BY RANGE (at);",
	    DIALECT_POSTGRES, false);
	cr_assert(!has(&run, "partitioned-unique-key"));
	lint_free(&run);
	lint_text(&run, &o,
	    "CREATE TABLE t (id int, at date) PARTITION BY RANGE (at);\n"
	    "CREATE TABLE t_other PARTITION OF t DEFAULT;\n"
	    "CREATE TABLE t_1 PARTITION OF t FOR VALUES FROM ('2026-01-01') TO "
	    "('2026-02-01');",
	    DIALECT_POSTGRES, false);
	/* The default partition is new: nothing to scan yet. */
	cr_assert(!has(&run, "default-partition-scan"));
	lint_free(&run);
}

Test(lint, ignores_and_unused_ones)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;

	lint_text(&run, &o,
	    "-- strata:lint-ignore ban-drop-column,require-lock-timeout gone\n"
	    "ALTER TABLE t DROP COLUMN c;\n"
	    "DROP INDEX i; -- strata:lint-ignore require-concurrent-index-deletion\n"
	    "-- strata:lint-ignore lock-table\n"
	    "SELECT 1;\n",
	    DIALECT_POSTGRES, false);
	cr_assert(!has(&run, "ban-drop-column"));
	cr_assert(!has(&run, "require-concurrent-index-deletion"));
	cr_assert(has(&run, "unused-ignore"));
	cr_assert_eq(run.v[run.n - 1].line, 4);
	lint_free(&run);

	lint_text(&run, &o,
	    "-- strata:lint-ignore-file ban-drop-column,require-lock-timeout,"
	    "exclusive-lock-held\n"
	    "ALTER TABLE t DROP COLUMN c;\nALTER TABLE t DROP COLUMN d;\n",
	    DIALECT_POSTGRES, false);
	cr_assert_eq(run.n, 0);
	lint_free(&run);
}

/* An ignore of rules that cannot judge the dialect is not unused there. */
Test(lint, ignores_of_another_dialects_rules)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;

	lint_text(&run, &o,
	    "-- strata:lint-ignore-file require-lock-timeout,exclusive-lock-held\n"
	    "DROP TABLE a;\nDROP TABLE b;\n",
	    DIALECT_SQLITE, true);
	cr_assert_eq(run.n, 0);
	lint_free(&run);
	lint_text(&run, &o,
	    "-- strata:lint-ignore-file ban-drop-table\nSELECT 1;\n",
	    DIALECT_SQLITE, false);
	cr_assert(has(&run, "unused-ignore"));
	lint_free(&run);
}

/* Compatibility rules judge forward files only; locking rules both. */
Test(lint, rollbacks_may_drop_what_their_version_made)
{
	struct lint_options o = { 150000, 0, false, false, NULL, false };
	struct lint_run     run;

	lint_text(&run, &o, "DROP TABLE t;\nDROP INDEX i;\n", DIALECT_POSTGRES,
	    true);
	cr_assert(!has(&run, "ban-drop-table"));
	cr_assert(has(&run, "require-concurrent-index-deletion"));
	cr_assert(run.v[0].down);
	lint_free(&run);
}

/* A run's default lock timeout (2s on PostgreSQL) bounds the wait. */
Test(lint, the_default_lock_timeout_counts)
{
	struct lint_options o = { 150000, -1, false, false, NULL, false };
	struct lint_run     run;

	lint_text(&run, &o, "ALTER TABLE t ADD COLUMN c int;", DIALECT_POSTGRES,
	    false);
	cr_assert(!has(&run, "require-lock-timeout"));
	lint_free(&run);
	o.lock_timeout_ms = 0;
	lint_text(&run, &o, "ALTER TABLE t ADD COLUMN c int;", DIALECT_POSTGRES,
	    false);
	cr_assert(has(&run, "require-lock-timeout"));
	lint_free(&run);
}

/* Findings point at the clause: the column of a multi-action ALTER. */
Test(lint, findings_point_at_the_clause)
{
	struct lint_options o = { 150000, 5000, false, false, NULL, false };
	struct lint_run     run;
	size_t              i;

	lint_text(&run, &o,
	    "-- lead comment\n"
	    "ALTER TABLE t ADD COLUMN a int,\n"
	    "  ADD COLUMN b int NOT NULL;\n",
	    DIALECT_POSTGRES, false);
	for (i = 0; i < run.n; i++)
		if (strcmp(run.v[i].rule, "adding-required-field") == 0)
			break;
	cr_assert_lt(i, run.n);
	cr_assert_eq(run.v[i].line, 3);
	cr_assert_eq(run.v[i].column, 14);
	cr_assert_str_eq(run.v[i].lock, "ACCESS EXCLUSIVE");
	cr_assert_str_eq(run.v[i].blocks, "reads and writes");
	cr_assert_str_eq(run.v[i].table, "t");
	cr_assert_eq(run.v[i].statement, 1);
	lint_free(&run);
}

/* Every rule the code can report has its line in the table, in order. */
Test(lint, every_rule_is_in_the_table)
{
	int i;

	for (i = 0; i < R__COUNT; i++) {
		cr_assert_not_null(lint_rules[i].name, "rule %d has no name",
		    i);
		cr_assert_eq(lint_rule_find(lint_rules[i].name),
		    &lint_rules[i]);
	}
	cr_assert_null(lint_rules[R__COUNT].name);
}
