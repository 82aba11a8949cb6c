/*
 * test_mask.c - a URL's password never survives masking, and nothing
 * else in it changes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/db/db.h"

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
struct mask_case {
	char url[96];
	char masked[96];
};

static const struct mask_case cases[] = {
	{ "postgres://app:s3cret@db.example:5432/prod",
	    "postgres://app:****@db.example:5432/prod" },
	{ "postgresql://app@db/prod", "postgresql://app@db/prod" },
	{ "postgresql://db/prod?sslmode=require&password=hunter2",
	    "postgresql://db/prod?sslmode=require&password=****" },
	{ "postgresql://db/prod?password=a&user=u",
	    "postgresql://db/prod?password=****&user=u" },
	{ "postgresql:///t?host=/tmp/sock&user=postgres",
	    "postgresql:///t?host=/tmp/sock&user=postgres" },
	{ "postgres://u:p%40ss@h/d", "postgres://u:****@h/d" },
	{ "host=db dbname=prod password=s3cret user=app",
	    "host=db dbname=prod password=**** user=app" },
	{ "host=db password = 'it\\'s a secret' dbname=x",
	    "host=db password = **** dbname=x" },
	{ "dbname=x passwordless=1", "dbname=x passwordless=1" },
	{ "sqlite:/srv/app.db", "sqlite:/srv/app.db" },
};

ParameterizedTestParameters(mask, hides_only_the_password)
{
	return cr_make_param_array(struct mask_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct mask_case *c, mask, hides_only_the_password)
{
	char *got = db_mask_url(c->url);

	cr_assert_str_eq(got, c->masked, "masking '%s'", c->url);
	cr_assert_null(strstr(got, "s3cret"));
	cr_assert_null(strstr(got, "hunter2"));
	free(got);
}
