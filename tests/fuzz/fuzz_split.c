/*
 * fuzz_split.c - both statement splitters, and the directives (no-
 * transaction, irreversible, batch) found on the way, over any text.
 * The first byte picks the dialect.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sqlfile f;
	enum dialect   d;
	size_t         i;

	if (size == 0)
		return 0;
	/* What a run reads of each statement. */
	if (fuzz_split_input(&f, &d, data, size))
		for (i = 0; i < f.stmts.n; i++)
			free(stmt_first_line(f.text.ptr, &f.stmts.v[i], 60));
	err_clear();
	sqlfile_free(&f);
	return 0;
}
