/*
 * test_columns.c - the column printer: widths from the widest cell, right
 * alignment, the last column unpadded, rows ended early, lines under a row.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/util/columns.h"

Test(columns, pads_to_the_widest_and_leaves_the_last_as_is)
{
	static const struct column cols[] = {
		{ "V", false },
		{ "NAME", false },
		{ "MS", true },
		{ "NOTE", false },
	};
	struct columns c;
	struct buf     out = BUF_INIT;

	columns_init(&c, cols, 4);
	columns_add(&c, "1", C_NONE);
	columns_add(&c, "create_games", C_NONE);
	columns_add(&c, "12", C_NONE);
	columns_add(&c, "yes  (and more)", C_NONE);
	columns_under(&c, "  under the first row");
	columns_add(&c, "100", C_NONE);
	columns_add(&c, "x", C_NONE);
	columns_end_row(&c);
	columns_add(&c, "R", C_NONE);
	columns_add(&c, "view", C_NONE);
	columns_add(&c, "1234", C_NONE);
	columns_add(&c, "", C_NONE);
	columns_write(&c, &out);
	cr_assert_str_eq(out.ptr,
	    "V    NAME            MS  NOTE\n"
	    "1    create_games    12  yes  (and more)\n"
	    "  under the first row\n"
	    "100  x\n"
	    "R    view          1234\n");
	columns_free(&c);
	buf_free(&out);
}

Test(columns, no_rows_writes_the_heading)
{
	static const struct column cols[] = { { "A", false }, { "B", true } };
	struct columns             c;
	struct buf                 out = BUF_INIT;

	columns_init(&c, cols, 2);
	columns_write(&c, &out);
	cr_assert_str_eq(out.ptr, "A  B\n");
	columns_free(&c);
	buf_free(&out);
}
