/*
 * hash.h - FNV-1a, 64 bits: the one hash strata uses where it needs a
 * number from a name (lock keys, lookup tables, temporary names).
 */
#ifndef STRATA_HASH_H
#define STRATA_HASH_H

#include <stdint.h>

#define FNV1A_INIT 1469598103934665603ULL

/* h carried over the bytes of s; start from FNV1A_INIT. */
static inline uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

#endif
