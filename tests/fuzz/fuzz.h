/*
 * fuzz.h - what the libFuzzer harnesses share: the input as a migration
 * file's text. Each harness is one LLVMFuzzerTestOneInput over one piece
 * of strata that reads outside input; a crash, a leak or undefined
 * behaviour is a finding (ASan and UBSan are on).
 */
#ifndef STRATA_FUZZ_H
#define STRATA_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sql/sql.h"
#include "../../src/sql/sqlfile.h"
#include "../../src/util/error.h"
#include "../../src/util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a file's text, read as sqlfile_load reads a file. */
static inline void
fuzz_file(struct sqlfile *f, const uint8_t *data, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup("fuzz.sql");
	buf_add(&f->text, (const char *)data, size);
	buf_addch(&f->text, '\0');
	f->text.len--;
	sqlfile_read_text(f); /* BOM, checksum, directives */
}

/* The input as a C string, cut at its first NUL. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Warnings of the code under test would flood the fuzzer's output. */
static inline void
fuzz_quiet(void)
{
	static int done;

	if (!done)
		log_setup(LOG_QUIET, false);
	done = 1;
}

/*
 * The input as a file split in the dialect its first byte picks; false
 * when it is empty, not text, or does not split. f is set up either way
 * (but for an empty input) and the caller frees it.
 */
static inline bool
fuzz_split_input(struct sqlfile *f, enum dialect *d, const uint8_t *data,
    size_t size)
{
	if (size == 0)
		return false;
	fuzz_quiet();
	*d = data[0] & 1 ? DIALECT_SQLITE : DIALECT_POSTGRES;
	fuzz_file(f, data + 1, size - 1);
	return sqlfile_check_text(f) == 0 && sql_split(f, *d, 150000) == 0;
}

#endif
