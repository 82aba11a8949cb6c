/*
 * test_dl_load.c - a library loaded on first use fills its pointer table,
 * and a missing library or function is exit 5 naming what to install.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "../../src/core/error.h"
#include "../../src/db/dl_load.h"

struct libm_api {
	double	(*cos)(double);
	double	(*sqrt)(double);
};

static const struct dl_symbol libm_symbols[] = {
	{ "cos", offsetof(struct libm_api, cos) },
	{ "sqrt", offsetof(struct libm_api, sqrt) },
};

Test(dl_load, fills_the_table_once)
{
	struct libm_api api;
	struct dl_library lib = { "libm.so.6", "libc6", "glibc",
	    libm_symbols, 2, &api, false };

	memset(&api, 0, sizeof(api));
	cr_assert_eq(dl_load(&lib), 0);
	cr_assert(lib.loaded);
	cr_assert_float_eq(api.sqrt(2.25), 1.5, 1e-12);
	cr_assert_float_eq(api.cos(0.0), 1.0, 1e-12);
	/* Loaded: a second call leaves the table alone. */
	api.sqrt = NULL;
	cr_assert_eq(dl_load(&lib), 0);
	cr_assert_null(api.sqrt);
}

Test(dl_load, a_missing_library_names_the_package)
{
	struct libm_api api;
	struct dl_library lib = { "libstrata-none.so.9", "libstrata-none9",
	    "anything", libm_symbols, 2, &api, false };

	cr_assert_eq(dl_load(&lib), -EXIT_DB);
	cr_assert_not(lib.loaded);
	cr_assert_eq(err_last()->code, EXIT_DB);
	cr_assert_not_null(strstr(err_last()->message,
	    "PostgreSQL needs libstrata-none.so.9, which could not be loaded"));
	cr_assert_not_null(strstr(err_last()->message,
	    "apt-get install libstrata-none9"));
	err_clear();
}

Test(dl_load, a_missing_function_names_it)
{
	static const struct dl_symbol wrong[] = {
		{ "cos", offsetof(struct libm_api, cos) },
		{ "strata_no_such_function", offsetof(struct libm_api, sqrt) },
	};
	struct libm_api api;
	struct dl_library lib = { "libm.so.6", "libc6", "glibc 2.36",
	    wrong, 2, &api, false };

	cr_assert_eq(dl_load(&lib), -EXIT_DB);
	cr_assert_not(lib.loaded);
	cr_assert_not_null(strstr(err_last()->message,
	    "libm.so.6 lacks strata_no_such_function (strata needs glibc "
	    "2.36)"));
	err_clear();
}
