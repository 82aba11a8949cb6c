/*
 * test_error.c - err_save / err_restore keep a record across calls that
 * set (and clear) one of their own.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/util/error.h"

/* A call that fails on its own account and keeps its record aside. */
static void
fail_here(struct error *out)
{
	err_set(EXIT_USAGE, "from the helper");
	err_set_location("sql/1_a.sql", 0, 0);
	err_save(out);
}

Test(error, a_saved_error_survives_a_later_one)
{
	struct error mine, helpers;

	memset(&helpers, 0, sizeof(helpers));
	err_set(EXIT_DB, "from main");
	err_save(&mine);
	fail_here(&helpers);
	/* The helper's record went aside: the slate is clean again. */
	cr_assert_eq(err_last()->code, 0);
	err_restore(&mine);
	cr_assert_eq(err_last()->code, EXIT_DB);
	cr_assert_str_eq(err_last()->message, "from main");
	cr_assert_eq(helpers.code, EXIT_USAGE);
	err_restore(&helpers);
	cr_assert_eq(err_last()->code, EXIT_USAGE);
	cr_assert_str_eq(err_last()->message, "from the helper");
	cr_assert_str_eq(err_last()->file, "sql/1_a.sql");
	cr_assert_null(helpers.message);
	err_clear();
}

Test(error, an_unwanted_saved_error_is_freed)
{
	struct error saved;

	err_set(EXIT_LOCK, "not wanted");
	err_save(&saved);
	cr_assert_eq(err_last()->code, 0);
	err_free(&saved);
	cr_assert_null(saved.message);
	cr_assert_eq(saved.code, 0);
}
