/*
 * duration.h - DURATION arguments: 500ms, 5s, 2m, 1h, or bare seconds.
 */
#ifndef STRATA_DURATION_H
#define STRATA_DURATION_H

#include <stdint.h>

/* Parse into milliseconds; returns 0, or -1 for malformed input. */
int duration_parse(const char *, int64_t *ms);

#endif
