/*
 * test_segments.c - the segments a run of a version goes through: from
 * its resume point, without what a stopped --jobs batch finished, with
 * batches only where the database can run them side by side.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/resume.h"
#include "../../src/core/runner.h"
#include "../../src/db/db.h"
#include "../../src/sql/sql.h"
#include "../../src/util/error.h"

#define FILE_TEXT \
	"CREATE TABLE t (a int, b int, c int);\n" \
	"INSERT INTO t VALUES (1, 2, 3);\n" \
	"CREATE INDEX CONCURRENTLY t_a ON t (a);\n" \
	"CREATE INDEX CONCURRENTLY t_b ON t (b);\n" \
	"CREATE INDEX CONCURRENTLY t_c ON t (c);\n" \
	"ANALYZE t;\n"

/* The driver tables say what a database can do; nothing is opened. */
static struct db pg = { .ops = &db_pg_ops };
static struct db lite = { .ops = &db_sqlite_ops };

static struct migration
migration_of(const char *text, bool no_tx)
{
	struct migration m;

	memset(&m, 0, sizeof(m));
	m.version = 7;
	m.name = "t";
	m.up.path = strdup("sql/7_t.sql");
	buf_adds(&m.up.text, text);
	m.up.no_tx = no_tx;
	cr_assert_eq(sql_split(&m.up, DIALECT_POSTGRES, 150004), 0);
	cr_assert_eq(m.up.stmts.n, 6);
	return m;
}

Test(segments, a_fresh_run_groups_by_transaction_and_batch)
{
	struct migration    m = migration_of(FILE_TEXT, false);
	struct segment_list segs;

	runner_segments(&pg, &m, false, 4, &segs);
	cr_assert_eq(segs.n, 3);
	cr_assert(segs.v[0].tx && segs.v[0].first == 0 && segs.v[0].count == 2);
	cr_assert(
	    segs.v[1].parallel && segs.v[1].first == 2 && segs.v[1].count == 3);
	cr_assert(segs.v[2].tx && segs.v[2].first == 5);
	segment_list_free(&segs);

	/* Without --jobs, or on SQLite, each concurrent build runs alone. */
	runner_segments(&pg, &m, false, 1, &segs);
	cr_assert_eq(segs.n, 5);
	segment_list_free(&segs);
	runner_segments(&lite, &m, false, 4, &segs);
	cr_assert_eq(segs.n, 5);
	cr_assert(!segs.v[1].parallel && !segs.v[1].tx);
	segment_list_free(&segs);
	sqlfile_free(&m.up);
}

Test(segments, a_stopped_run_resumes_without_what_it_finished)
{
	struct migration    m = migration_of(FILE_TEXT, false);
	struct history_row  row;
	struct segment_list segs;

	/* Two done, then a batch that finished t_b (statement 4) only. */
	memset(&row, 0, sizeof(row));
	row.version = 7;
	row.state = "failed";
	row.completed = 2;
	row.completed_extra = "4";
	m.row = &row;
	cr_assert_eq(runner_resume_at(&m, false), 2);
	runner_segments(&pg, &m, false, 4, &segs);
	cr_assert_eq(segs.n, 3);
	cr_assert(
	    segs.v[0].parallel && segs.v[0].first == 2 && segs.v[0].count == 1);
	cr_assert(
	    segs.v[1].parallel && segs.v[1].first == 4 && segs.v[1].count == 1);
	cr_assert(segs.v[2].tx && segs.v[2].first == 5);
	segment_list_free(&segs);
	sqlfile_free(&m.up);
}

Test(segments, no_transaction_files_run_statement_by_statement)
{
	struct migration    m = migration_of(FILE_TEXT, true);
	struct segment_list segs;
	size_t              i;

	runner_segments(&pg, &m, false, 1, &segs);
	cr_assert_eq(segs.n, 6);
	for (i = 0; i < segs.n; i++)
		cr_assert(!segs.v[i].tx && segs.v[i].count == 1);
	segment_list_free(&segs);
	sqlfile_free(&m.up);
}

/* What a stopped run completed must be what the file still says. */
Test(segments, resume_refuses_changed_completed_statements)
{
	struct migration   m = migration_of(FILE_TEXT, false);
	struct history_row row;
	char               sum[CHECKSUM_HEX];
	bool               done[6] = { true, true, false, false, false, false };

	stmt_done_checksum(&m.up, done, sum);
	memset(&row, 0, sizeof(row));
	row.version = 7;
	row.state = "failed";
	row.completed = 2;
	row.completed_checksum = sum;
	m.row = &row;
	cr_assert_eq(runner_check_resume(&m, false), 0);
	sqlfile_free(&m.up);

	m = migration_of("CREATE TABLE t (a int, b int, c bigint);\n"
			 "INSERT INTO t VALUES (1, 2, 3);\n"
			 "CREATE INDEX CONCURRENTLY t_a ON t (a);\n"
			 "CREATE INDEX CONCURRENTLY t_b ON t (b);\n"
			 "CREATE INDEX CONCURRENTLY t_c ON t (c);\n"
			 "ANALYZE t;\n",
	    false);
	m.row = &row;
	cr_assert_eq(runner_check_resume(&m, false), -EXIT_INVALID);
	cr_assert_eq(err_last()->code, EXIT_INVALID);
	err_clear();
	sqlfile_free(&m.up);
}

/*
 * -- strata:commit on a line of its own ends the transaction there; not
 * inside a statement's body, nor after a statement on its line.
 */
Test(segments, a_commit_line_ends_the_transaction)
{
	struct migration m = migration_of(
	    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
	    "-- strata:commit\n"
	    "ALTER TABLE t VALIDATE CONSTRAINT c;\n"
	    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n"
	    "-- strata:commit\n"
	    "SELECT 1 $$;\n"
	    "SELECT 1; -- strata:commit\n"
	    "SELECT 2;\n"
	    "  -- strata:commit  \n"
	    "/* a comment */\n"
	    "SELECT 3;\n",
	    false);
	struct segment_list segs;

	runner_segments(&pg, &m, false, 1, &segs);
	cr_assert_eq(segs.n, 3);
	cr_assert(segs.v[0].tx && segs.v[0].first == 0 && segs.v[0].count == 1);
	cr_assert(segs.v[1].tx && segs.v[1].first == 1 && segs.v[1].count == 4);
	cr_assert(segs.v[2].tx && segs.v[2].first == 5 && segs.v[2].count == 1);
	segment_list_free(&segs);
	sqlfile_free(&m.up);
}
