/*
 * fuzz_names.c - migration file names: version, name, dialect suffix.
 */
#include "fuzz.h"

#include "../../src/core/migration.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char           *name = fuzz_string(data, size);
	struct mig_file f;
	const char     *why = NULL;

	if (mig_parse_name("sql", name, &f, &why) == 0)
		mig_file_free(&f);
	free(name);
	return 0;
}
