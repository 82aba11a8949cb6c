/*
 * fuzz_values.c - what the command line hands over as text: DURATIONs,
 * versions, counts, and database URLs to mask for printing.
 */
#include "fuzz.h"

#include "../../src/cmd/cmd.h"
#include "../../src/db/db.h"
#include "../../src/util/duration.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *s = fuzz_string(data, size);
	int64_t v;

	fuzz_quiet();
	(void)duration_parse(s, &v);
	(void)parse_version(s, &v);
	(void)parse_count(s, "--limit", &v);
	free(db_mask_url(s));
	err_clear();
	free(s);
	return 0;
}
