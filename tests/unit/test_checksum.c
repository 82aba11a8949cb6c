/*
 * test_checksum.c - SHA-256 with BOM and CRLF normalisation.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/util/checksum.h"

static void
sum(const char *s, size_t n, char out[CHECKSUM_HEX])
{
	checksum_text(s, n, out);
}

Test(checksum, empty_text_is_sha256_of_nothing)
{
	char out[CHECKSUM_HEX];

	sum("", 0, out);
	cr_assert_str_eq(out,
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

Test(checksum, known_value_is_lowercase_hex)
{
	char out[CHECKSUM_HEX];

	sum("abc", 3, out);
	cr_assert_str_eq(out,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

Test(checksum, leading_bom_is_ignored)
{
	char a[CHECKSUM_HEX], b[CHECKSUM_HEX];

	sum("SELECT 1;\n", 10, a);
	sum("\xef\xbb\xbfSELECT 1;\n", 13, b);
	cr_assert_str_eq(a, b);
}

Test(checksum, crlf_reads_as_lf)
{
	char a[CHECKSUM_HEX], b[CHECKSUM_HEX];

	sum("a\nb\n", 4, a);
	sum("a\r\nb\r\n", 6, b);
	cr_assert_str_eq(a, b);
}

Test(checksum, lone_cr_is_kept)
{
	char a[CHECKSUM_HEX], b[CHECKSUM_HEX];

	sum("a\rb", 3, a);
	sum("ab", 2, b);
	cr_assert_str_neq(a, b);
}

Test(checksum, crlf_split_across_updates_still_folds)
{
	char             a[CHECKSUM_HEX], b[CHECKSUM_HEX];
	struct checksum *c = checksum_new();

	checksum_update(c, "a\r", 2);
	checksum_update(c, "\nb", 2);
	checksum_final(c, a);
	sum("a\nb", 3, b);
	cr_assert_str_eq(a, b);
}

Test(checksum, any_change_changes_it)
{
	char a[CHECKSUM_HEX], b[CHECKSUM_HEX];

	sum("CREATE TABLE a (id int);", 24, a);
	sum("CREATE TABLE a (id int) ;", 25, b);
	cr_assert_str_neq(a, b);
}
