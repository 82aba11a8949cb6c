/*
 * test_targets.c - the --targets file: its lines, comments, schemas, and
 * the mistakes it refuses with their line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/fleet/targets.h"
#include "../../src/util/error.h"

/* Read text as a targets file; returns targets_read's code. */
static int
read_text(struct target_list *l, const char *text)
{
	char  path[] = "/tmp/strata-targets-XXXXXX";
	int   fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	cr_assert(f != NULL);
	fputs(text, f);
	fclose(f);
	rc = targets_read(l, path);
	unlink(path);
	return rc;
}

Test(targets, lines_comments_and_schemas)
{
	struct target_list l = { 0 };

	cr_assert_eq(read_text(&l,
			 "# the fleet\n"
			 "\n"
			 "postgresql://u:pw@h/app   schema=acme  # a tenant\n"
			 "\tsqlite:/srv/a#1.db\r\n"
			 "postgresql://u:pw@h/app\n"),
	    0, "%s", err_last()->message);
	cr_assert_eq(l.n, 3);
	cr_assert(l.from_file);
	cr_expect_str_eq(l.v[0].url, "postgresql://u:pw@h/app");
	cr_expect_str_eq(l.v[0].schema, "acme");
	cr_expect_str_eq(l.v[0].label, "[postgresql://u:****@h/app acme]");
	cr_expect_str_eq(l.v[1].url, "sqlite:/srv/a#1.db", "a # inside a URL");
	cr_expect_null(l.v[1].schema);
	cr_expect_null(l.v[2].schema, "same URL, no schema: another target");
	cr_expect_str_eq(l.v[2].masked, "postgresql://u:****@h/app");
	targets_free(&l);
}

Test(targets, refusals_name_the_line)
{
	struct target_list l = { 0 };

	cr_assert_lt(read_text(&l, "sqlite:a.db\nsqlite:b.db region=eu\n"), 0);
	cr_expect_eq(err_last()->code, EXIT_USAGE);
	cr_expect_eq(err_last()->line, 2);
	cr_expect_eq(err_last()->column, 13);
	cr_expect(strstr(err_last()->message, "'region=eu'") != NULL);
	targets_free(&l);

	cr_assert_lt(read_text(&l,
			 "sqlite:a.db schema=x\n\nsqlite:a.db schema=x\n"),
	    0);
	cr_expect_eq(err_last()->line, 3);
	cr_expect(strstr(err_last()->message, "named twice") != NULL);
	targets_free(&l);

	cr_assert_lt(read_text(&l, "sqlite:a.db schema=x schema=y\n"), 0);
	cr_assert_lt(read_text(&l, "sqlite:a.db schema=\n"), 0);
	targets_free(&l);
	err_clear();
}

Test(targets, missing_file)
{
	struct target_list l = { 0 };

	cr_assert_lt(targets_read(&l, "/nonexistent/targets"), 0);
	cr_expect_eq(err_last()->code, EXIT_USAGE);
	cr_expect(strstr(err_last()->message, "/nonexistent/targets") != NULL);
	err_clear();
}
