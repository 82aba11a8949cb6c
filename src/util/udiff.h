/*
 * udiff.h - a unified diff of two texts (lint --fix --diff).
 */
#ifndef STRATA_UDIFF_H
#define STRATA_UDIFF_H

#include <stddef.h>

#include "buf.h"

/* Add to out the diff from a to b, as `diff -u` (nothing when equal). */
void udiff(struct buf *out, const char *name_a, const char *a, size_t alen,
    const char *name_b, const char *b, size_t blen);

#endif
