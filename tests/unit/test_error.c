/*
 * test_error.c - each thread has its own error record, and err_save /
 * err_restore carry one from a helper thread to the main one.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "../../src/util/error.h"

static void *
fail_here(void *arg)
{
	struct error *out = arg;

	err_set(EXIT_USAGE, "from the helper");
	err_set_location("sql/1_a.sql", 0, 0);
	err_save(out);
	return NULL;
}

Test(error, a_thread_error_is_carried_over)
{
	struct error saved;
	pthread_t    t;

	memset(&saved, 0, sizeof(saved));
	err_set(EXIT_DB, "from main");
	cr_assert_eq(pthread_create(&t, NULL, fail_here, &saved), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	/* The helper's err_set left this thread's record alone. */
	cr_assert_eq(err_last()->code, EXIT_DB);
	cr_assert_str_eq(err_last()->message, "from main");
	cr_assert_eq(saved.code, EXIT_USAGE);
	err_restore(&saved);
	cr_assert_eq(err_last()->code, EXIT_USAGE);
	cr_assert_str_eq(err_last()->message, "from the helper");
	cr_assert_str_eq(err_last()->file, "sql/1_a.sql");
	cr_assert_null(saved.message);
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
