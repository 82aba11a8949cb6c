/*
 * dialect.h - which SQL a file is written in: what sql.h and the pieces
 * below it (batch.h) agree on.
 */
#ifndef STRATA_DIALECT_H
#define STRATA_DIALECT_H

enum dialect {
	DIALECT_ANY = 0, /* a generic file */
	DIALECT_POSTGRES,
	DIALECT_SQLITE,
};

#endif
