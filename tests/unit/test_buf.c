/*
 * test_buf.c - growable arrays keep what was added; the heap can be
 * mapped ahead of use.
 */
#include <sys/mman.h>
#include <sys/resource.h>

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

/* Minor page faults of this process so far. */
static long
faults(void)
{
	struct rusage ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_minflt;
}

/* Allocate and write n blocks of 4 kB; the faults that took. */
static long
touch_blocks(char **v, size_t n)
{
	long before = faults();
	size_t i;

	for (i = 0; i < n; i++) {
		v[i] = xmalloc(4096);
		memset(v[i], (int)i, 4096);
	}
	return faults() - before;
}

/*
 * After heap_warm, new allocations land on pages already mapped. Without
 * it, the same allocations fault page by page: the control shows the
 * count means something. Under AddressSanitizer malloc is its own (and
 * keeps freed memory aside), and a kernel before 5.14 cannot populate:
 * there the blocks must still be whole.
 */
Test(buf, heap_warm_maps_the_next_allocations)
{
	char *cold[64], *warm[64];
	long cold_faults, warm_faults;
	bool can_populate = true;
	size_t i, j;

	heap_setup();
	cold_faults = touch_blocks(cold, 64);
	heap_warm(512 * 1024);
	warm_faults = touch_blocks(warm, 64);
	for (i = 0; i < 64; i++)
		for (j = 0; j < 4096; j += 512)
			cr_assert_eq((unsigned char)warm[i][j], (unsigned char)i);
#ifdef MADV_POPULATE_WRITE
	{
		char *probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		cr_assert_neq(probe, MAP_FAILED);
		can_populate = madvise(probe, 4096, MADV_POPULATE_WRITE) == 0;
		munmap(probe, 4096);
	}
#else
	can_populate = false;
#endif
#if !defined(__SANITIZE_ADDRESS__)
	if (can_populate) {
		cr_assert_geq(cold_faults, 48, "cold: %ld faults", cold_faults);
		cr_assert_leq(warm_faults, 4, "warm: %ld faults", warm_faults);
	}
#endif
	(void)cold_faults;
	(void)warm_faults;
	(void)can_populate;
	for (i = 0; i < 64; i++) {
		free(cold[i]);
		free(warm[i]);
	}
}
