/*
 * test_snapshot.c - SQL text normalisation and the first difference
 * between two schema snapshots.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "../../src/db/snapshot.h"

struct norm_case {
	char in[160];
	bool body;
	char want[120];
};

static struct norm_case norm_cases[] = {
	{ "CREATE INDEX ix ON t (a, b)", false, "create index ix on t(a,b)" },
	{ "CREATE  INDEX \"ix\"\n  ON [t](a)  WHERE x = 'A  B';", false,
	    "create index ix on t(a)where x='A  B'" },
	{ "CREATE TABLE \"staging_totals\" (\n  a NUMERIC(5, 2) -- score\n)",
	    true, "(a numeric(5,2))" },
	{ "CREATE TABLE t_rebuilt(a /* c */ INT)", true, "(a int)" },
	{ "SELECT 'it''s' ,`x`", false, "select 'it''s',x" },
};

ParameterizedTestParameters(snapshot, normalise)
{
	return cr_make_param_array(struct norm_case, norm_cases,
	    sizeof(norm_cases) / sizeof(norm_cases[0]));
}

ParameterizedTest(struct norm_case *c, snapshot, normalise)
{
	struct buf b = BUF_INIT;

	sql_normalise(c->in, c->body, &b);
	cr_assert_str_eq(buf_cstr(&b), c->want, "normalising '%s'", c->in);
	buf_free(&b);
}

Test(snapshot, same_schema_from_different_spellings)
{
	struct snapshot a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct buf      d = BUF_INIT;

	snapshot_add(&a, "table t", "CREATE TABLE t (x INT)", SNAP_SQL_BODY);
	snapshot_add(&a, "column t.x", "INT", SNAP_AS_IS);
	snapshot_add(&b, "column t.x", "INT", SNAP_AS_IS);
	snapshot_add(&b, "table t", "CREATE TABLE \"t\"(\n  x int\n);",
	    SNAP_SQL_BODY);
	snapshot_sort(&a);
	snapshot_sort(&b);
	cr_assert_not(snapshot_diff(&a, &b, &d), "diff: %s", buf_cstr(&d));
	snapshot_free(&a);
	snapshot_free(&b);
	buf_free(&d);
}

Test(snapshot, first_difference_named)
{
	struct snapshot before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	struct buf      d = BUF_INIT;

	snapshot_add(&before, "column s.score", "numeric(3,2)", SNAP_AS_IS);
	snapshot_add(&before, "index a", "CREATE INDEX a", SNAP_AS_IS);
	snapshot_add(&after, "column s.score", "numeric(5,2)", SNAP_AS_IS);
	snapshot_add(&after, "index b", "CREATE INDEX b", SNAP_AS_IS);
	snapshot_sort(&before);
	snapshot_sort(&after);
	cr_assert(snapshot_diff(&before, &after, &d));
	cr_assert_str_eq(buf_cstr(&d),
	    "column s.score: numeric(5,2) != numeric(3,2)\n"
	    "(and 2 more differences)");

	/* With the column equal, the missing index comes first. */
	free(after.v[0].value);
	after.v[0].value = strdup("numeric(3,2)");
	buf_reset(&d);
	cr_assert(snapshot_diff(&before, &after, &d));
	cr_assert_str_eq(buf_cstr(&d),
	    "index a: missing (was: CREATE INDEX a)\n"
	    "(and 1 more difference)");

	/* And an extra one, once the missing one is back. */
	snapshot_add(&after, "index a", "CREATE INDEX a", SNAP_AS_IS);
	snapshot_sort(&after);
	buf_reset(&d);
	cr_assert(snapshot_diff(&before, &after, &d));
	cr_assert_str_eq(buf_cstr(&d),
	    "index b: should not exist (is: CREATE INDEX b)");
	snapshot_free(&before);
	snapshot_free(&after);
	buf_free(&d);
}

/* A view's or a function's definition: the lines that differ. */
Test(snapshot, multi_line_definitions_as_a_line_diff)
{
	struct snapshot before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	struct buf      d = BUF_INIT;

	snapshot_add(&before, "view v",
	    " SELECT a,\n    b,\n    c\n   FROM t\n  WHERE a > 0;", SNAP_AS_IS);
	snapshot_add(&after, "view v",
	    " SELECT a,\n    c\n   FROM t\n  WHERE a > 1;", SNAP_AS_IS);
	cr_assert(snapshot_diff(&before, &after, &d));
	cr_assert_str_eq(buf_cstr(&d),
	    "view v differs (- before the version, + after its rollback):\n"
	    "  -     b,\n"
	    "    ...\n"
	    "  -   WHERE a > 0;\n"
	    "  +   WHERE a > 1;");
	buf_free(&d);
	snapshot_free(&before);
	snapshot_free(&after);
}

/* ignore-column-order: positions, and the order of SQLite's table text. */
Test(snapshot, ignore_column_order)
{
	struct snapshot before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	struct buf      d = BUF_INIT;

	snapshot_add(&before, "table t", "(a int, b text, CHECK (a > 0))",
	    SNAP_AS_IS);
	snapshot_add(&before, "column t.a position", "0", SNAP_AS_IS);
	snapshot_add(&before, "column t.b position", "1", SNAP_AS_IS);
	snapshot_add(&after, "table t", "(b text, a int, CHECK (a > 0))",
	    SNAP_AS_IS);
	snapshot_add(&after, "column t.a position", "1", SNAP_AS_IS);
	snapshot_add(&after, "column t.b position", "0", SNAP_AS_IS);
	snapshot_sort(&before);
	snapshot_sort(&after);
	cr_assert(snapshot_diff(&before, &after, &d));
	snapshot_ignore_column_order(&before);
	snapshot_ignore_column_order(&after);
	buf_reset(&d);
	cr_assert_not(snapshot_diff(&before, &after, &d), "%s", buf_cstr(&d));
	/* A real difference still shows. */
	free(after.v[0].value);
	after.v[0].value = strdup("(a int, b text, CHECK (a > 1))");
	snapshot_ignore_column_order(&after);
	cr_assert(snapshot_diff(&before, &after, &d));
	buf_free(&d);
	snapshot_free(&before);
	snapshot_free(&after);
}
