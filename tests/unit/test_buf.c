/*
 * test_buf.c - growable arrays keep what was added; strings pad and
 * format as asked.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/util/buf.h"

Test(buf, array_grow_keeps_elements_and_doubles)
{
	int64_t *a = NULL;
	size_t   n, alloc = 0, grew = 0, last = 0;

	for (n = 0; n < 10000; n++) {
		ARRAY_GROW(a, n + 1, alloc);
		cr_assert_geq(alloc, n + 1);
		if (alloc != last) {
			grew++;
			last = alloc;
		}
		a[n] = (int64_t)n * 7;
	}
	for (n = 0; n < 10000; n++)
		cr_assert_eq(a[n], (int64_t)n * 7, "element %zu", n);
	/* Doubling from 16: 16 .. 16384 is 11 sizes, not 10000. */
	cr_assert_eq(grew, 11);
	free(a);
}

Test(buf, array_grow_jumps_to_a_large_need)
{
	char  *a = NULL;
	size_t alloc = 0;

	ARRAY_GROW(a, 1000, alloc);
	cr_assert_eq(alloc, 1024);
	a[999] = 'x';
	/* Room already there: no change. */
	ARRAY_GROW(a, 1000, alloc);
	cr_assert_eq(alloc, 1024);
	cr_assert_eq(a[999], 'x');
	free(a);
}

Test(buf, pads_on_either_side)
{
	struct buf b = BUF_INIT;

	buf_addpad(&b, "ab", 5, false);
	buf_addch(&b, '|');
	buf_addpad(&b, "ab", 5, true);
	buf_addch(&b, '|');
	buf_addpad(&b, "toolong", 3, false);
	cr_assert_str_eq(b.ptr, "ab   |   ab|toolong");
	buf_free(&b);
}

Test(buf, formats_integers)
{
	char s[24];

	cr_assert_eq(fmt_int(s, 0), 1);
	cr_assert_str_eq(s, "0");
	cr_assert_eq(fmt_int(s, 1234567890123LL), 13);
	cr_assert_str_eq(s, "1234567890123");
	fmt_int(s, -42);
	cr_assert_str_eq(s, "-42");
	fmt_int(s, LLONG_MIN);
	cr_assert_str_eq(s, "-9223372036854775808");
	fmt_int(s, LLONG_MAX);
	cr_assert_str_eq(s, "9223372036854775807");
}
