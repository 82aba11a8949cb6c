/*
 * unit.h - what the unit tests share: a migration file made from text.
 */
#ifndef STRATA_TEST_UNIT_H
#define STRATA_TEST_UNIT_H

#include <stdlib.h>
#include <string.h>

#include "../../src/sql/sqlfile.h"

static inline struct sqlfile
file_of(const char *text)
{
	struct sqlfile f;

	memset(&f, 0, sizeof(f));
	f.path = strdup("t.sql");
	buf_adds(&f.text, text);
	return f;
}

#endif
