/*
 * test_split.c - statements found by each dialect's splitter, and kinds.
 */
#include <criterion/criterion.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/util/error.h"
#include "unit.h"
#include "../../src/db/db.h"
#include "../../src/sql/pg_parse.h"
#include "../../src/sql/sql.h"
#include "../../src/sql/sqlite_split.h"

/* Does statement i read exactly `want`? */
static bool
text_is(const struct sqlfile *f, size_t i, const char *want)
{
	return f->stmts.v[i].len == strlen(want) &&
	    memcmp(f->text.ptr + f->stmts.v[i].off, want, strlen(want)) == 0;
}

Test(split, sqlite_keeps_trigger_bodies_whole)
{
	struct sqlfile f = file_of(
	    "CREATE TABLE t (a);\n"
	    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
	    "  UPDATE t SET a = 1; DELETE FROM t WHERE a = 2;\n"
	    "END;\n"
	    "-- comment; with semicolon\n"
	    "INSERT INTO t VALUES ('x;y')");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(f.stmts.n, 3);
	cr_assert_eq(f.stmts.v[1].kind, KIND_CREATE_TRIGGER);
	cr_assert_eq(f.stmts.v[1].line, 2);
	cr_assert_eq(f.stmts.v[2].line, 6);
	cr_assert_eq(f.stmts.v[2].kind, KIND_INSERT);
	cr_assert(text_is(&f, 2, "INSERT INTO t VALUES ('x;y')"));
	sqlfile_free(&f);
}

/* CASE ... END inside a trigger body does not end it; only "; END ;" does. */
Test(split, sqlite_trigger_with_case_and_temp)
{
	struct sqlfile f = file_of(
	    "CREATE TEMP TRIGGER tr AFTER UPDATE ON t BEGIN\n"
	    "  UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 2 END;\n"
	    "  SELECT 1;\n"
	    "END;\n"
	    "EXPLAIN SELECT 1;;\n"
	    "SELECT 2 -- trailing\n");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(f.stmts.n, 3);
	cr_assert_eq(f.stmts.v[0].kind, KIND_CREATE_TRIGGER);
	cr_assert_eq(f.stmts.v[1].line, 5);
	cr_assert(text_is(&f, 2, "SELECT 2"));
	sqlfile_free(&f);
}

Test(split, sqlite_tokens_of_a_statement)
{
	struct sqlfile f = file_of("CREATE TABLE \"a \"\"b\" (x TEXT DEFAULT "
				   "'it''s' /* c; */, [y z] INT);");
	const enum sql_token_type want[] = {
		TOKEN_WORD, TOKEN_WORD, TOKEN_QUOTED, TOKEN_PUNCT, TOKEN_WORD,
		TOKEN_WORD, TOKEN_WORD, TOKEN_STRING, TOKEN_PUNCT, TOKEN_QUOTED,
		TOKEN_WORD, TOKEN_PUNCT, /* the ';' is no token */
	};
	struct sql_token *t;
	size_t            n, i;

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(f.stmts.n, 1);
	cr_assert_eq(f.stmts.v[0].kind, KIND_CREATE_TABLE);
	n = sqlite_tokens(f.text.ptr, &f.stmts.v[0], &t);
	cr_assert_eq(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		cr_assert_eq(t[i].type, want[i], "token %zu", i);
	cr_assert_eq(t[7].len, strlen("'it''s'"));
	cr_assert_eq(strncmp(f.text.ptr + t[9].off, "[y z]", 5), 0);
	free(t);
	sqlfile_free(&f);
}

Test(split, sqlite_unterminated_quote_is_a_usage_error)
{
	struct sqlfile f = file_of("SELECT 1;\nSELECT 'open;\n");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), -EXIT_USAGE);
	cr_assert_eq(err_last()->line, 2);
	sqlfile_free(&f);
	err_clear();
}

Test(split, sqlite_classifies_index_and_vacuum)
{
	struct sqlfile f = file_of(
	    "CREATE UNIQUE INDEX IF NOT EXISTS "
	    "\"main\".ix ON t (a);\nVACUUM;\nBEGIN;\nROLLBACK TO sp;\n");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(f.stmts.n, 4);
	cr_assert_eq(f.stmts.v[0].kind, KIND_CREATE_INDEX);
	cr_assert_str_eq(f.stmts.v[0].index, "ix");
	cr_assert_str_eq(f.stmts.v[0].relation, "t");
	cr_assert(f.stmts.v[0].if_not_exists);
	cr_assert(f.stmts.v[1].nontx);
	cr_assert_eq(f.stmts.v[2].kind, KIND_TRANSACTION);
	cr_assert_neq(f.stmts.v[3].kind, KIND_TRANSACTION);
	sqlfile_free(&f);
}

Test(split, postgres_finds_concurrent_statements)
{
	struct sqlfile f = file_of(
	    "/* lead /* nested */ */ CREATE INDEX CONCURRENTLY ix ON s.t (a);\n"
	    "DROP INDEX CONCURRENTLY s.ix;\n"
	    "REINDEX (CONCURRENTLY) INDEX s.ix;\n"
	    "REFRESH MATERIALIZED VIEW CONCURRENTLY mv;\n"
	    "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;\n"
	    "VACUUM ANALYZE t;\n"
	    "ANALYZE t;\n"
	    "ALTER TABLE t ALTER COLUMN a TYPE numeric(5,2);\n"
	    "CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (1) TO (2);\n"
	    "SELECT $$a;b$$;\n");
	const enum stmt_kind kinds[] = {
		KIND_CREATE_INDEX_CONCURRENTLY,
		KIND_DROP_INDEX_CONCURRENTLY,
		KIND_REINDEX_CONCURRENTLY,
		KIND_REFRESH_MATVIEW_CONCURRENTLY,
		KIND_DETACH_PARTITION_CONCURRENTLY,
		KIND_VACUUM,
		KIND_ANALYZE,
		KIND_ALTER_COLUMN_TYPE,
		KIND_PARTITION,
		KIND_SELECT,
	};
	const bool nontx[] = { 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 };

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), 0);
	cr_assert_eq(f.stmts.n, 10);
	for (size_t i = 0; i < 10; i++) {
		cr_assert_eq(f.stmts.v[i].kind, kinds[i], "statement %zu", i);
		cr_assert_eq(f.stmts.v[i].nontx, nontx[i], "statement %zu", i);
	}
	cr_assert_eq(f.stmts.v[0].column, 25);
	cr_assert_str_eq(f.stmts.v[0].index, "s.ix");
	cr_assert_str_eq(f.stmts.v[0].relation, "s.t");
	cr_assert(text_is(&f, 9, "SELECT $$a;b$$;"));
	sqlfile_free(&f);
}

/* A statement's parse tree is there again for whoever reads it next. */
Test(split, postgres_parses_each_tree_on_demand)
{
	struct sqlfile f = file_of(
	    "CREATE TABLE t (a int);\n"
	    "ALTER TABLE t ADD COLUMN b text NOT NULL;\n");
	struct pg_tree      *t;
	const PgQuery__Node *n;

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 150004), 0);
	cr_assert_eq(f.stmts.n, 2);
	t = pg_tree_parse(f.text.ptr, &f.stmts.v[0]);
	n = pg_tree_stmt(t);
	cr_assert_not_null(n);
	cr_assert_eq(n->node_case, PG_QUERY__NODE__NODE_CREATE_STMT);
	cr_assert_str_eq(n->create_stmt->relation->relname, "t");
	pg_tree_free(t);
	t = pg_tree_parse(f.text.ptr, &f.stmts.v[1]);
	n = pg_tree_stmt(t);
	cr_assert_eq(n->node_case, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT);
	cr_assert_eq(n->alter_table_stmt->n_cmds, 1);
	pg_tree_free(t);
	sqlfile_free(&f);
}

/*
 * The server's version is a parameter: a newer server than the grammar
 * gets the file split by the scanner (no tree) and judges it itself.
 */
Test(split, postgres_newer_server_judges_what_the_parser_rejects)
{
	struct sqlfile f = file_of("SELECT 1;\nFROBNICATE TABLE t;\n");

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 150004), -EXIT_USAGE);
	err_clear();
	sqlfile_free(&f);
	f = file_of("SELECT 1;\nFROBNICATE TABLE t;\n");
	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 170000), 0);
	cr_assert_eq(f.stmts.n, 2);
	cr_assert(!f.stmts.v[1].parsed);
	cr_assert_null(pg_tree_parse(f.text.ptr, &f.stmts.v[1]));
	sqlfile_free(&f);
}

Test(split, postgres_syntax_error_points_into_the_file)
{
	struct sqlfile f = file_of("SELECT 1;\n\n  SELEC 2;\n");

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), -EXIT_USAGE);
	cr_assert_eq(err_last()->line, 3);
	cr_assert_eq(err_last()->column, 3);
	cr_assert_str_eq(err_last()->sqlstate, "42601");
	sqlfile_free(&f);
	err_clear();
}

Test(split, postgres_meta_command_names_its_line)
{
	struct sqlfile f = file_of("SELECT 1;\n\\set x 1\n");

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), -EXIT_USAGE);
	cr_assert_eq(err_last()->line, 2);
	cr_assert(strstr(err_last()->message, "meta-command") != NULL);
	sqlfile_free(&f);
	err_clear();
}

/* --jobs batches: consecutive concurrent index statements, done ones out. */
Test(split, segments_batch_concurrent_index_statements)
{
	struct sqlfile      f = file_of("CREATE TABLE t (a int, b int);\n"
					     "CREATE INDEX CONCURRENTLY t_a ON t (a);\n"
					     "CREATE INDEX CONCURRENTLY t_b ON t (b);\n"
					     "DROP INDEX CONCURRENTLY old_ix;\n"
					     "VACUUM t;\n"
					     "REINDEX INDEX CONCURRENTLY t_a;\n");
	struct segment_list segs;
	bool done[6] = { true, false, true, false, false, false };

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), 0);
	cr_assert_eq(f.stmts.n, 6);
	segments_build(&segs, &f.stmts, 0, false, NULL, true);
	cr_assert_eq(segs.n, 4);
	cr_assert(segs.v[0].tx && !segs.v[0].parallel);
	cr_assert(
	    segs.v[1].parallel && segs.v[1].first == 1 && segs.v[1].count == 3);
	cr_assert(!segs.v[2].parallel && !segs.v[2].tx); /* VACUUM */
	cr_assert(segs.v[3].parallel && segs.v[3].count == 1);
	segment_list_free(&segs);

	/* Without --jobs each concurrent statement is a segment of its own. */
	segments_build(&segs, &f.stmts, 0, false, NULL, false);
	cr_assert_eq(segs.n, 6);
	segment_list_free(&segs);

	/* Statements already done are left out and split a batch. */
	segments_build(&segs, &f.stmts, 1, false, done, true);
	cr_assert_eq(segs.n, 4);
	cr_assert(segs.v[0].first == 1 && segs.v[0].count == 1);
	cr_assert(segs.v[1].first == 3 && segs.v[1].count == 1);
	segment_list_free(&segs);
	sqlfile_free(&f);
}

/* A prefix hashes as it did; a gap makes the numbers count. */
Test(split, done_checksum_prefix_and_gaps)
{
	struct sqlfile   f = file_of("SELECT 1; SELECT 2; SELECT 3;");
	bool             prefix[3] = { true, true, false };
	bool             gap[3] = { true, false, true };
	bool             other[3] = { false, true, true };
	char             a[CHECKSUM_HEX], b[CHECKSUM_HEX], c[CHECKSUM_HEX];
	struct checksum *k = checksum_new();
	char             want[CHECKSUM_HEX];

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	checksum_update(k, "SELECT 1;\nSELECT 2;\n", 20);
	checksum_final(k, want);
	stmt_done_checksum(&f, prefix, a);
	cr_assert_str_eq(a, want);
	stmt_done_checksum(&f, gap, b);
	stmt_done_checksum(&f, other, c);
	cr_assert_str_neq(a, b);
	cr_assert_str_neq(b, c);
	sqlfile_free(&f);
}

/* The log names what ran: the kinds real folders are full of. */
Test(split, kinds_of_everyday_statements)
{
	struct sqlfile f = file_of(
	    "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;\n"
	    "CREATE VIEW v AS SELECT 1 AS x;\n"
	    "DROP VIEW v;\n"
	    "DROP MATERIALIZED VIEW mv;\n"
	    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
	    "DROP FUNCTION f();\n"
	    "CREATE TYPE mood AS ENUM ('a');\n"
	    "ALTER TYPE mood ADD VALUE 'b';\n"
	    "CREATE SEQUENCE s;\n"
	    "ALTER SEQUENCE s RESTART;\n"
	    "ALTER TABLE t RENAME COLUMN x TO y;\n"
	    "COMMENT ON TABLE t IS 'x';\n"
	    "GRANT SELECT ON t TO PUBLIC;\n"
	    "SET lock_timeout = '1s';\n"
	    "DO $$ BEGIN END $$;\n"
	    "LOCK TABLE t IN SHARE MODE;\n"
	    "CREATE SCHEMA sc;\n"
	    "DROP SCHEMA sc;\n"
	    "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE "
	    "FUNCTION g();\n"
	    "DROP TRIGGER tr ON t;\n"
	    "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n");
	const char *const kinds[] = { "create_materialized_view", "create_view",
		"drop_view", "drop_materialized_view", "create_function",
		"drop_function", "create_type", "alter_type", "create_sequence",
		"alter_sequence", "rename", "comment", "grant", "set", "do",
		"lock", "create_schema", "drop_schema", "create_trigger",
		"drop_trigger", "create_extension" };
	size_t            n = sizeof(kinds) / sizeof(kinds[0]), i;

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), 0);
	cr_assert_eq(f.stmts.n, n);
	for (i = 0; i < n; i++)
		cr_expect_str_eq(stmt_kind_name(f.stmts.v[i].kind), kinds[i],
		    "statement %zu", i + 1);
	sqlfile_free(&f);

	f = file_of("PRAGMA foreign_keys = ON;\n"
		    "ALTER TABLE t RENAME TO u;\n"
		    "DROP VIEW v;\n"
		    "DROP TRIGGER tr;\n");
	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(f.stmts.n, 4);
	cr_expect_str_eq(stmt_kind_name(f.stmts.v[0].kind), "pragma");
	cr_expect_str_eq(stmt_kind_name(f.stmts.v[1].kind), "rename");
	cr_expect_str_eq(stmt_kind_name(f.stmts.v[2].kind), "drop_view");
	cr_expect_str_eq(stmt_kind_name(f.stmts.v[3].kind), "drop_trigger");
	sqlfile_free(&f);
}

/*
 * A large file is parsed a piece at a time. Whatever lies across a piece's
 * edge (a BEGIN ATOMIC body, a string of many lines with ';' in it) comes
 * out as it does from a small file, at the same lines.
 */
Test(split, postgres_large_file_in_pieces_splits_as_a_small_one)
{
	static const char *unit =
	    "INSERT INTO t VALUES (1, 'a;\nb;\nc');\n"
	    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC\n"
	    "  SELECT 1;\n  SELECT 2;\nEND;\n"
	    "-- a comment; between\n"
	    "COMMENT ON TABLE t IS $$x;\ny$$;\n";
	struct sqlfile f;
	struct buf     text = BUF_INIT;
	size_t         i, n = 0, line = 1;

	while (text.len < 3 * 1024 * 1024 + 100) {
		buf_adds(&text, unit);
		n++;
	}
	memset(&f, 0, sizeof(f));
	f.path = strdup("sql/1_big.sql");
	buf_add(&f.text, text.ptr, text.len);
	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 150004), 0);
	cr_assert_eq(f.stmts.n, 3 * n);
	for (i = 0; i < f.stmts.n; i++) {
		const struct stmt *s = &f.stmts.v[i];

		cr_assert(s->parsed, "statement %zu has no tree", i);
		cr_assert_eq(s->kind,
		    i % 3 == 0       ? KIND_INSERT
			: i % 3 == 1 ? KIND_CREATE_FUNCTION
				     : KIND_COMMENT,
		    "statement %zu", i);
		cr_assert_eq((size_t)s->line, line, "statement %zu line", i);
		line += i % 3 == 0 ? 3 : i % 3 == 1 ? 5 : 2;
	}
	sqlfile_free(&f);
	buf_free(&text);
}

/* COPY with the client's data is refused at the COPY, data lines or not. */
Test(split, postgres_refuses_copy_from_stdin_at_its_line)
{
	static const char *files[] = {
		"CREATE TABLE o (id int);\nCOPY o (id) FROM stdin;\n",
		"CREATE TABLE o (id int);\nCOPY o (id) FROM stdin;\n1\n2\n\\.\n"
		"SELECT 1;\n",
		"CREATE TABLE o (id int);\nCOPY o FROM STDIN WITH (FORMAT csv);\n"
		"a,b c\n\\.\n",
		"CREATE TABLE o (id int);\nCOPY (SELECT 1) TO STDOUT;\n",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct sqlfile f = file_of(files[i]);

		cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 150004),
		    -EXIT_USAGE, "%s", files[i]);
		cr_assert_eq(err_last()->line, 2, "%s", files[i]);
		cr_assert(strstr(err_last()->message, "COPY"));
		err_clear();
		sqlfile_free(&f);
	}
}

/*
 * -- strata:contract between statements splits the file in two parts and
 * ends a transaction there; inside a function body it is not a marker,
 * and before the first statement it makes an empty expand part.
 */
Test(split, contract_marker_parts)
{
	struct sqlfile f = file_of(
	    "CREATE TABLE t (a int);\n"
	    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n"
	    "-- strata:contract\n"
	    "SELECT 1 $$;\n"
	    "-- strata:contract\n"
	    "ALTER TABLE t DROP COLUMN a;\n"
	    "DROP FUNCTION f();\n");
	struct segment_list segs;

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), 0);
	cr_assert_eq(f.stmts.n, 4);
	cr_assert(f.phased);
	cr_assert_eq(f.contract, 2);
	cr_assert(f.stmts.v[2].commit_before);
	cr_assert(!f.stmts.v[1].commit_before);
	segments_build(&segs, &f.stmts, 0, false, NULL, false);
	cr_assert_eq(segs.n, 2);
	cr_assert_eq(segs.v[1].first, 2);
	segment_list_free(&segs);
	sqlfile_free(&f);

	f = file_of("-- strata:contract\nSELECT 1;\n");
	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert(f.phased);
	cr_assert_eq(f.contract, 0);
	sqlfile_free(&f);

	f = file_of("SELECT 1;\n-- strata:contract\nSELECT 2;\n"
		    "-- strata:contract\nSELECT 3;\n");
	cr_assert_lt(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_eq(err_last()->code, EXIT_USAGE);
	err_clear();
	sqlfile_free(&f);

	f = file_of("SELECT 1;\n");
	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert(!f.phased);
	cr_assert_eq(f.contract, 1);
	sqlfile_free(&f);
}
