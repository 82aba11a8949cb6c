/*
 * test_batch.c - -- strata:batch directives: which statement they attach
 * to, and the statement a batch runs, in both dialects.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sql/batch.h"
#include "../../src/sql/sql.h"
#include "../../src/util/error.h"
#include "unit.h"

/* The batch statement of file text's statement i, for `cond`. */
static char *
rewritten(enum dialect d, const char *text, size_t i, const char *cond)
{
	struct sqlfile f = file_of(text);
	char          *out;

	cr_assert_eq(sql_split(&f, d, 0), 0, "%s", err_last()->message);
	cr_assert(f.stmts.v[i].batch != NULL);
	out = batch_statement(f.text.ptr, &f.stmts.v[i], cond);
	sqlfile_free(&f);
	return out;
}

static void
expect_rewrite(const char *text, const char *cond, const char *want)
{
	enum dialect d[2] = { DIALECT_POSTGRES, DIALECT_SQLITE };
	int          k;

	for (k = 0; k < 2; k++) {
		char *got = rewritten(d[k], text, 0, cond);

		cr_expect_str_eq(got, want, "%s", dialect_name(d[k]));
		free(got);
	}
}

Test(batch, range_joins_the_statements_own_where)
{
	expect_rewrite("-- strata:batch 100\n"
		       "UPDATE t SET a = 1 WHERE a IS NULL OR b = 2;",
	    "K", "UPDATE t SET a = 1 WHERE ( a IS NULL OR b = 2) AND K;");
}

Test(batch, range_is_the_where_when_there_is_none)
{
	expect_rewrite("-- strata:batch\nDELETE FROM t;", "K",
	    "DELETE FROM t WHERE K;");
	expect_rewrite("-- strata:batch\nUPDATE t SET a = f(a, (b));", "K",
	    "UPDATE t SET a = f(a, (b)) WHERE K;");
}

Test(batch, range_goes_before_returning_and_after_comments)
{
	expect_rewrite("-- strata:batch\n"
		       "UPDATE t SET a = 1 WHERE b -- a note\n"
		       "RETURNING a;",
	    "K", "UPDATE t SET a = 1 WHERE ( b) AND K -- a note\nRETURNING a;");
}

Test(batch, subqueries_keep_their_where)
{
	expect_rewrite("-- strata:batch\n"
		       "UPDATE t SET a = (SELECT max(x) FROM u WHERE u.id = "
		       "t.id);",
	    "K",
	    "UPDATE t SET a = (SELECT max(x) FROM u WHERE u.id = t.id) "
	    "WHERE K;");
}

Test(batch, table_and_alias)
{
	struct sqlfile f = file_of("-- strata:batch 5 pause=20ms\n"
				   "UPDATE \"App\".scores AS s SET x = 1;\n"
				   "-- strata:batch\n"
				   "DELETE FROM main.t x WHERE x.a = 1;\n"
				   "-- strata:batch 3 repeat\n"
				   "INSERT INTO u SELECT 1 LIMIT 5;\n");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0, "%s",
	    err_last()->message);
	cr_assert_str_eq(f.stmts.v[0].batch->table, "\"App\".scores");
	cr_assert_str_eq(f.stmts.v[0].batch->qualifier, "s");
	cr_assert_eq(f.stmts.v[0].batch->size, 5);
	cr_assert_eq(f.stmts.v[0].batch->pause_ms, 20);
	cr_assert(f.stmts.v[0].nontx);
	cr_assert_str_eq(f.stmts.v[1].batch->table, "main.t");
	cr_assert_str_eq(f.stmts.v[1].batch->qualifier, "x");
	cr_assert_eq(f.stmts.v[1].batch->size, BATCH_DEFAULT_SIZE);
	cr_assert(f.stmts.v[2].batch->repeat);
	cr_assert_eq(f.stmts.v[2].batch->line, 5);
	sqlfile_free(&f);
}

Test(batch, postgres_with_clause_and_only)
{
	struct sqlfile f = file_of(
	    "-- strata:batch\n"
	    "WITH s AS (SELECT id FROM src WHERE ok) UPDATE ONLY t SET a = 1 "
	    "FROM s WHERE s.id = t.id;");

	cr_assert_eq(sql_split(&f, DIALECT_POSTGRES, 0), 0);
	cr_assert_str_eq(f.stmts.v[0].batch->table, "t");
	cr_assert_str_eq(f.stmts.v[0].batch->qualifier, "t");
	sqlfile_free(&f);
}

static int
refused(enum dialect d, const char *text, int *line)
{
	struct sqlfile f = file_of(text);
	int            rc = sql_split(&f, d, 0);

	*line = err_last()->line;
	cr_assert_eq(f.stmts.n, 0, "statements kept after a refusal");
	sqlfile_free(&f);
	return rc;
}

Test(batch, refusals_name_the_directive_line)
{
	const char *bad[] = {
		"SELECT 1;\n-- strata:batch x\nUPDATE t SET a = 1;",
		"SELECT 1;\n-- strata:batch\nCREATE TABLE u (a int);",
		"SELECT 1;\n-- strata:batch\n",
		"SELECT 1;\n-- strata:batch 0\nUPDATE t SET a = 1;",
		"SELECT 1;\n-- strata:batch pause=soon\nUPDATE t SET a = 1;",
		"SELECT 1;\n-- strata:batch 5 6\nUPDATE t SET a = 1;",
		"SELECT 1;\n-- strata:batch\nUPDATE t SET a = 1 WHERE CURRENT OF c;",
	};
	size_t i;
	int    line;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(refused(DIALECT_POSTGRES, bad[i], &line),
		    -EXIT_USAGE, "%s", bad[i]);
		cr_expect_eq(line, 2, "%s", bad[i]);
	}
	cr_expect_eq(refused(DIALECT_SQLITE,
			 "UPDATE t SET a =\n-- strata:batch\n1;", &line),
	    -EXIT_USAGE);
	cr_expect_eq(line, 2);
}

Test(batch, a_file_without_directives_is_untouched)
{
	struct sqlfile f = file_of("UPDATE t SET a = 1; -- strata:batchy\n");

	cr_assert_eq(sql_split(&f, DIALECT_SQLITE, 0), 0);
	cr_assert_null(f.stmts.v[0].batch);
	cr_assert_not(f.stmts.v[0].nontx);
	sqlfile_free(&f);
}
