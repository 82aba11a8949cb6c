/*
 * test_duration.c - DURATION arguments.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../../src/util/duration.h"

struct dur_case {
	char      text[16]; /* arrays: Criterion re-executes */
	int       rc;
	long long ms;
};

ParameterizedTestParameters(duration, parses)
{
	static struct dur_case cases[] = {
		{ "500ms", 0, 500 },
		{ "5s", 0, 5000 },
		{ "2m", 0, 120000 },
		{ "1h", 0, 3600000 },
		{ "60", 0, 60000 },
		{ "0", 0, 0 },
		{ "1.5s", 0, 1500 },
		{ "0.25", 0, 250 },
		{ "", -1, 0 },
		{ "s", -1, 0 },
		{ "5x", -1, 0 },
		{ "-1s", -1, 0 },
		{ "5 s", -1, 0 },
		{ "1e3", -1, 0 },
		{ "999999999h", -1, 0 },
	};

	return cr_make_param_array(struct dur_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct dur_case *c, duration, parses)
{
	int64_t ms = -7;
	int     rc = duration_parse(c->text, &ms);

	cr_assert_eq(rc, c->rc, "'%s'", c->text);
	if (rc == 0)
		cr_assert_eq(ms, c->ms, "'%s' gave %lld", c->text,
		    (long long)ms);
}
