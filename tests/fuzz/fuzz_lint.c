/*
 * fuzz_lint.c - the lint rules over whatever parse trees PostgreSQL's
 * parser (or SQLite's splitter) makes of any text. The first byte picks
 * the dialect, and whether the file is a rollback.
 */
#include "fuzz.h"

#include "../../src/lint/lint.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_options o = { 150000, -1, false, false, NULL, true };
	struct lint_run     run;
	struct sqlfile      f;
	enum dialect        d;

	if (size == 0)
		return 0;
	if (fuzz_split_input(&f, &d, data, size)) {
		lint_init(&run, &o);
		lint_file(&run, &f, d, 1, (data[0] & 2) != 0);
		lint_sort(&run);
		lint_free(&run);
	}
	err_clear();
	sqlfile_free(&f);
	return 0;
}
