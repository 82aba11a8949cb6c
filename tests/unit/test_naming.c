/*
 * test_naming.c - file names, versions, dialect choice and pairing.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "../../src/util/error.h"
#include "../../src/core/migration.h"

struct name_case {
	char         file[64]; /* arrays: Criterion re-executes */
	int          result;   /* 0 ok, 1 ignored, -1 misnamed */
	long long    version;
	char         name[32];
	enum dialect dialect;
};

ParameterizedTestParameters(naming, parses_file_names)
{
	static struct name_case cases[] = {
		{ "200_performance_indexes.sql", 0, 200, "performance_indexes",
		    DIALECT_ANY },
		{ "200_performance_indexes.postgres.sql", 0, 200,
		    "performance_indexes", DIALECT_POSTGRES },
		{ "7_x.sqlite.sql", 0, 7, "x", DIALECT_SQLITE },
		{ "0042_add-index.sql", 0, 42, "add-index", DIALECT_ANY },
		{ "123456789012345678_max.sql", 0, 123456789012345678LL, "max",
		    DIALECT_ANY },
		{ "README.md", 1, 0, "", DIALECT_ANY },
		{ "1_x.sql.bak", 1, 0, "", DIALECT_ANY },
		{ "0_zero.sql", -1, 0, "", DIALECT_ANY },
		{ "1234567890123456789_big.sql", -1, 0, "", DIALECT_ANY },
		{ "abc.sql", -1, 0, "", DIALECT_ANY },
		{ "1-x.sql", -1, 0, "", DIALECT_ANY },
		{ "1_.sql", -1, 0, "", DIALECT_ANY },
		{ "1_x.mysql.sql", -1, 0, "", DIALECT_ANY },
		{ "1_white space.sql", -1, 0, "", DIALECT_ANY },
		{ "1_.postgres.sql", -1, 0, "", DIALECT_ANY },
	};

	return cr_make_param_array(struct name_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct name_case *c, naming, parses_file_names)
{
	struct mig_file f;
	const char     *why = NULL;
	int             r = mig_parse_name(NULL, c->file, &f, &why);

	cr_assert_eq(r, c->result, "%s: got %d", c->file, r);
	if (r == 0) {
		cr_assert_eq(f.version, c->version, "%s", c->file);
		cr_assert_str_eq(f.name, c->name);
		cr_assert_eq(f.dialect, c->dialect);
		mig_file_free(&f);
	}
	if (r < 0)
		cr_assert_not_null(why);
}

static struct mig_files
files_of(const char **names)
{
	struct mig_files fs = { NULL, 0 };
	const char      *why;
	size_t           n = 0;

	while (names[n])
		n++;
	fs.v = calloc(n, sizeof(*fs.v));
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(mig_parse_name(NULL, names[i], &fs.v[fs.n], &why),
		    0);
		fs.n++;
	}
	return fs;
}

static void
files_free(struct mig_files *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		mig_file_free(&fs->v[i]);
	free(fs->v);
}

Test(naming, dialect_variant_wins_over_generic_file)
{
	const char *names[] = { "1_a.sql", "1_a.postgres.sql", "2_b.sqlite.sql",
		NULL };
	struct mig_files fs = files_of(names);

	cr_assert_eq(mig_files_finish(&fs), 0);
	cr_assert_str_eq(scan_pick(&fs, 1, DIALECT_POSTGRES)->filename,
	    "1_a.postgres.sql");
	cr_assert_str_eq(scan_pick(&fs, 1, DIALECT_SQLITE)->filename,
	    "1_a.sql");
	cr_assert_null(scan_pick(&fs, 2, DIALECT_POSTGRES));
	cr_assert_str_eq(scan_pick(&fs, 2, DIALECT_SQLITE)->filename,
	    "2_b.sqlite.sql");
	files_free(&fs);
}

Test(naming, versions_order_as_numbers)
{
	const char *names[] = { "10_c.sql", "9_b.sql", "0001_a.sql", NULL };
	struct mig_files fs = files_of(names);

	cr_assert_eq(mig_files_finish(&fs), 0);
	cr_assert_eq(fs.v[0].version, 1);
	cr_assert_eq(fs.v[1].version, 9);
	cr_assert_eq(fs.v[2].version, 10);
	files_free(&fs);
}

Test(naming, same_version_twice_is_an_error)
{
	const char      *names[] = { "01_a.sql", "1_b.sql", NULL };
	struct mig_files fs = files_of(names);

	cr_assert_eq(mig_files_finish(&fs), -EXIT_USAGE);
	cr_assert(strstr(err_last()->message, "both version 1") != NULL);
	files_free(&fs);
	err_clear();
}

Test(naming, rollback_pairs_by_version_prefix)
{
	const char *names[] = { "200_rollback_performance_indexes.sql", NULL };
	struct mig_files fs = files_of(names);

	cr_assert_eq(mig_files_finish(&fs), 0);
	cr_assert_not_null(scan_pick(&fs, 200, DIALECT_POSTGRES));
	cr_assert_null(scan_pick(&fs, 20, DIALECT_POSTGRES));
	files_free(&fs);
}

Test(naming, path_filename_and_name_share_one_block)
{
	struct mig_file f;
	const char     *why = NULL;

	cr_assert_eq(mig_parse_name("db/sql", "12_add_x.postgres.sql", &f,
			 &why),
	    0);
	cr_assert_str_eq(f.path, "db/sql/12_add_x.postgres.sql");
	cr_assert_str_eq(f.filename, "12_add_x.postgres.sql");
	cr_assert_eq(f.filename, f.path + strlen("db/sql/"));
	cr_assert_str_eq(f.name, "add_x");
	cr_assert_eq(f.version, 12);
	cr_assert_eq(f.width, 2);
	mig_file_free(&f);
	cr_assert_null(f.path);
}
