/*
 * test_json.c - string escaping and document shape; reading a member back.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "../../src/util/json.h"
#include "../../src/util/json_read.h"

struct esc_case {
	char   in[16]; /* arrays: Criterion re-executes */
	size_t len;
	char   out[40];
};

ParameterizedTestParameters(json, escapes_strings)
{
	static struct esc_case cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "a\"b", 3, "\"a\\\"b\"" },
		{ "back\\slash", 10, "\"back\\\\slash\"" },
		{ "line\nfeed\ttab", 13, "\"line\\nfeed\\ttab\"" },
		{ "\x01\x1f", 2, "\"\\u0001\\u001f\"" },
		{ "nul\0byte", 8, "\"nul\\u0000byte\"" },
		{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
		{ "bad\xff", 4, "\"bad\\ufffd\"" },
		{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"" },
	};

	return cr_make_param_array(struct esc_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct esc_case *c, json, escapes_strings)
{
	struct buf b = BUF_INIT;

	json_escape(&b, c->in, c->len);
	cr_assert_str_eq(b.ptr, c->out);
	buf_free(&b);
}

Test(json, writer_places_commas_and_nulls)
{
	struct buf  b = BUF_INIT;
	struct json j;

	json_init(&j, &b);
	json_object_begin(&j);
	json_key(&j, "a");
	json_int(&j, 1);
	json_key(&j, "b");
	json_array_begin(&j);
	json_bool(&j, true);
	json_null(&j);
	json_string(&j, NULL);
	json_array_end(&j);
	json_key(&j, "c");
	json_object_begin(&j);
	json_object_end(&j);
	json_object_end(&j);
	cr_assert_str_eq(b.ptr, "{\"a\":1,\"b\":[true,null,null],\"c\":{}}");
	buf_free(&b);
}

Test(json_read, finds_top_level_members_only)
{
	const char *facts =
	    "{\"note\":\"\\\"lock_retries\\\": 9\",\"nested\":{\"phase\":"
	    "\"expand\",\"lock_retries\":7},\"list\":[{\"a\":\"]}\"}],"
	    "\"lock_retries\" : 2, \"table_rewritten\":true,\"phase\":"
	    "\"contract\",\"neg\":-4}";

	cr_assert_eq(json_member_int(facts, "lock_retries", -1), 2);
	cr_assert(json_member_true(facts, "table_rewritten"));
	cr_assert(json_member_is(facts, "phase", "contract"));
	cr_assert_not(json_member_is(facts, "phase", "expand"));
	cr_assert_eq(json_member_int(facts, "neg", 0), -4);
	cr_assert_eq(json_member_int(facts, "absent", 5), 5);
	/* A string is not a number; "lock" is not "lock_retries". */
	cr_assert_eq(json_member_int(facts, "note", 5), 5);
	cr_assert_eq(json_member_int(facts, "lock", 5), 5);
}

Test(json_read, malformed_or_not_an_object_finds_nothing)
{
	const char *v;
	size_t      len;

	cr_assert_not(json_member(NULL, "a", &v, &len));
	cr_assert_not(json_member("[1]", "a", &v, &len));
	cr_assert_not(json_member("{\"a\":\"unclosed}", "a", &v, &len));
	cr_assert_not(json_member("{\"a\" 1}", "a", &v, &len));
	cr_assert_not(json_member("{\"b\":{\"a\":1}", "a", &v, &len));
	cr_assert(json_member("{ \"a\" : [1, 2] }", "a", &v, &len));
	cr_assert_eq(len, 6);
	cr_assert(strncmp(v, "[1, 2]", len) == 0);
	cr_assert_not(json_member_true("{\"a\":trueish}", "a"));
}
