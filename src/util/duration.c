/*
 * duration.c - parse DURATION arguments.
 *
 * Accepts a non-negative decimal number followed by ms, s, m or h, or by
 * nothing (seconds). Anything else, and values past a week, are refused so
 * a typo never turns into "wait forever".
 */
#include "duration.h"

#include <ctype.h>
#include <string.h>

#define DURATION_MAX_MS (7LL * 24 * 3600 * 1000)

int
duration_parse(const char *s, int64_t *ms)
{
	double      whole = 0, frac = 0, scale = 1, mult;
	int         digits = 0;
	const char *p = s;

	if (s == NULL)
		return -1;
	while (isdigit((unsigned char)*p)) {
		whole = whole * 10 + (*p - '0');
		digits++;
		p++;
		if (whole > 1e12)
			return -1;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			scale /= 10;
			frac += (*p - '0') * scale;
			digits++;
			p++;
		}
	}
	if (digits == 0)
		return -1;
	if (*p == '\0' || strcmp(p, "s") == 0)
		mult = 1000;
	else if (strcmp(p, "ms") == 0)
		mult = 1;
	else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
		mult = 60000;
	else if (strcmp(p, "h") == 0)
		mult = 3600000;
	else
		return -1;
	whole = (whole + frac) * mult;
	if (whole > (double)DURATION_MAX_MS)
		return -1;
	*ms = (int64_t)(whole + 0.5);
	return 0;
}
