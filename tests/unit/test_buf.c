/*
 * test_buf.c - growable arrays: amortised growth keeps what was added.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/util/buf.h"

Test(buf, array_grow_keeps_elements_and_doubles)
{
	int64_t *a = NULL;
	size_t n, alloc = 0, grew = 0, last = 0;

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
	char *a = NULL;
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
