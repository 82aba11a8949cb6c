/*
 * test_runner.c - the runner, the history and the resume point on a real
 * temporary SQLite file: what a run records, where a stopped one picks
 * up, the parts of a phased version, and a repeatable's record. Each
 * test writes its folder, opens it as `up` does, and reads back.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/core/repeatable.h"
#include "../../src/core/resume.h"
#include "../../src/core/runner.h"
#include "../../src/core/target.h"
#include "../../src/db/db.h"
#include "../../src/util/error.h"

static char                  dir[64], sqldir[96], rbdir[96], url[128];
static struct target         t;
static struct target_config  cfg;
static struct report         report;
static const struct run_opts opts = { .retries = 0, .jobs = 1 };

static void
write_file(const char *folder, const char *name, const char *text)
{
	char  path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/strata-runner-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sqldir, sizeof(sqldir), "%s/sql", dir);
	snprintf(rbdir, sizeof(rbdir), "%s/rollback", dir);
	snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	mkdir(sqldir, 0755);
	mkdir(rbdir, 0755);
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = url;
	cfg.mig_dir = sqldir;
	cfg.rb_dir = rbdir;
	cfg.lock_wait_ms = 5000;
	cfg.lock_timeout_ms = -1;
	cfg.statement_timeout_ms = -1;
	report_init(&report, true);
}

/* Close, and free what a process would leave to its exit. */
static void
drop_target(void)
{
	target_close(&t);
	plan_free(&t.plan);
	history_free(&t.hist);
	scan_free(&t.scan);
}

static void
teardown(void)
{
	char cmd[128];

	drop_target();
	report_free(&report);
	err_clear();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Open as a writing command does, the plan built from the files. */
static void
open_target(void)
{
	drop_target();
	memset(&t, 0, sizeof(t));
	cr_assert_eq(target_open(&t, &cfg, TARGET_LOCK | TARGET_PLAN), 0, "%s",
	    err_last()->message ? err_last()->message : "");
}

static struct migration *
version(int64_t v)
{
	size_t i;

	for (i = 0; i < t.plan.n; i++)
		if (t.plan.v[i].version == v)
			return &t.plan.v[i];
	cr_assert_fail("no version %lld", (long long)v);
	return NULL;
}

/* Run version v forward (`part` of it) as `up` does. */
static int
up(int64_t v, enum run_part part)
{
	struct migration *m = version(v);

	m->part = part;
	cr_assert_eq(runner_prepare(t.db, m, false), 0);
	return runner_up(t.db, &m, 1, &opts, &report);
}

TestSuite(runner, .init = setup, .fini = teardown);

Test(runner, a_version_is_recorded_with_its_count)
{
	write_file(sqldir, "1_a.sql",
	    "CREATE TABLE a (x int);\n"
	    "INSERT INTO a VALUES (1);\n");
	write_file(rbdir, "1_a.sql", "DROP TABLE a;\n");
	open_target();
	cr_assert_eq(version(1)->state, STATE_PENDING);
	cr_assert_eq(up(1, PART_ALL), 0);
	open_target();
	cr_assert_eq(version(1)->state, STATE_APPLIED);
	cr_assert_eq(version(1)->row->completed, 2);
	cr_assert_eq(t.plan.current, 1);
}

Test(runner, a_failure_after_a_commit_line_resumes_there)
{
	bool *done;

	write_file(sqldir, "1_a.sql",
	    "CREATE TABLE a (x int);\n"
	    "-- strata:commit\n"
	    "INSERT INTO nowhere VALUES (1);\n");
	write_file(rbdir, "1_a.sql", "DROP TABLE a;\n");
	open_target();
	cr_assert_lt(up(1, PART_ALL), 0);
	cr_assert_eq(err_last()->code, EXIT_FAILED);
	err_clear();
	open_target();
	cr_assert_eq(version(1)->state, STATE_FAILED);
	cr_assert_eq(runner_resume_at(version(1), false), 1);
	cr_assert_eq(runner_prepare(t.db, version(1), false), 0);
	cr_assert(done_load(version(1), false, &done));
	cr_assert(done[0]);
	cr_assert(!done[1]);
	free(done);
	/* Put right, the run goes on from the second statement. */
	write_file(sqldir, "1_a.sql",
	    "CREATE TABLE a (x int);\n"
	    "-- strata:commit\n"
	    "INSERT INTO a VALUES (1);\n");
	open_target();
	cr_assert_eq(runner_prepare(t.db, version(1), false), 0);
	cr_assert_eq(runner_check_resume(version(1), false), 0);
	cr_assert_eq(up(1, PART_ALL), 0);
	open_target();
	cr_assert_eq(version(1)->state, STATE_APPLIED);
	cr_assert_eq(version(1)->row->completed, 2);
}

Test(runner, a_phased_version_goes_expand_then_contract)
{
	struct stmt_range r[2];
	bool             *done;

	write_file(sqldir, "1_a.sql",
	    "CREATE TABLE a (x int);\n"
	    "ALTER TABLE a ADD COLUMN y int;\n"
	    "-- strata:contract\n"
	    "ALTER TABLE a DROP COLUMN x;\n");
	write_file(rbdir, "1_a.sql",
	    "DROP TABLE a;\n"
	    "-- strata:contract\n"
	    "ALTER TABLE a ADD COLUMN x int;\n");
	open_target();
	cr_assert_eq(up(1, PART_EXPAND), 0);
	open_target();
	cr_assert_eq(version(1)->state, STATE_EXPANDED);
	cr_assert_eq(version(1)->row->completed, 2);
	cr_assert_eq(t.plan.current, 1, "expanded counts as current");
	/* The rollback of an expanded version: only the undo of the expand. */
	cr_assert_eq(runner_prepare(t.db, version(1), true), 0);
	done_load(version(1), true, &done);
	cr_assert_eq(run_ranges(version(1), true, done, r), 1);
	cr_assert_eq(r[0].from, 0);
	cr_assert_eq(r[0].to, 1);
	free(done);
	cr_assert_eq(up(1, PART_CONTRACT), 0);
	open_target();
	cr_assert_eq(version(1)->state, STATE_APPLIED);
	/* Completed: the undo of the contract first, then of the expand. */
	cr_assert_eq(runner_prepare(t.db, version(1), true), 0);
	done_load(version(1), true, &done);
	cr_assert_eq(run_ranges(version(1), true, done, r), 2);
	cr_assert_eq(r[0].from, 1);
	cr_assert_eq(r[1].to, 1);
	free(done);
}

Test(runner, a_repeatable_records_what_ran)
{
	write_file(sqldir, "1_a.sql", "CREATE TABLE a (x int);\n");
	write_file(rbdir, "1_a.sql", "DROP TABLE a;\n");
	write_file(sqldir, "R_v.sql",
	    "DROP VIEW IF EXISTS v;\n"
	    "CREATE VIEW v AS SELECT x FROM a;\n");
	open_target();
	cr_assert_eq(up(1, PART_ALL), 0);
	cr_assert_eq(t.plan.rn, 1);
	cr_assert_eq(t.plan.rv[0].state, REP_PENDING);
	cr_assert_eq(repeatables_prepare(t.db, &t.plan), 0);
	cr_assert_eq(err_kept_end(), 0);
	cr_assert_eq(repeatables_run(t.db, &t.plan, &opts, &report), 0);
	open_target();
	cr_assert_eq(t.plan.rv[0].state, REP_APPLIED);
	cr_assert_str_eq(t.plan.rv[0].row->checksum, t.plan.rv[0].sql.checksum);
	/* An edit makes it changed; CRLF alone does not. */
	write_file(sqldir, "R_v.sql",
	    "DROP VIEW IF EXISTS v;\r\n"
	    "CREATE VIEW v AS SELECT x FROM a;\r\n");
	open_target();
	cr_assert_eq(t.plan.rv[0].state, REP_APPLIED);
	write_file(sqldir, "R_v.sql",
	    "DROP VIEW IF EXISTS v;\n"
	    "CREATE VIEW v AS SELECT x, 1 AS k FROM a;\n");
	open_target();
	cr_assert_eq(t.plan.rv[0].state, REP_CHANGED);
}
