/*
 * checksum.h - SHA-256 of migration text, normalised.
 *
 * A leading UTF-8 BOM is dropped and CRLF is read as LF before hashing, so a
 * file checked out on Windows has the checksum it has on Linux. Output is
 * 64 lowercase hex digits.
 */
#ifndef STRATA_CHECKSUM_H
#define STRATA_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>

#define CHECKSUM_HEX 65 /* 64 digits and a NUL */

struct checksum;

struct checksum *checksum_new(void);
/* Add text; CRLF is folded to LF, also across calls. */
void checksum_update(struct checksum *, const char *, size_t);
/* Finish, write hex, and free the context. */
void checksum_final(struct checksum *, char out[CHECKSUM_HEX]);

/* Checksum of a whole file's bytes (drops a leading BOM). */
void checksum_text(const char *, size_t, char out[CHECKSUM_HEX]);

#endif
