/*
 * test_json.c - string escaping and document shape.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "../../src/util/json.h"

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
