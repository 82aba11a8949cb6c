/*
 * json_read.c - one member of a JSON object, found by walking the object's
 * members, skipping strings (with their escapes) and nested values whole.
 */
#include "json_read.h"

#include <stdlib.h>
#include <string.h>

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Past the string that starts at p (at its quote), or NULL if unclosed. */
static const char *
skip_string(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Past the value that starts at p, or NULL when it is malformed. */
static const char *
skip_value(const char *p)
{
	int depth = 0;

	p = skip_space(p);
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		const char *start = p;

		while (*p && !strchr(",}] \t\n\r", *p))
			p++;
		return p > start ? p : NULL;
	}
	for (; *p; p++) {
		if (*p == '"') {
			if ((p = skip_string(p)) == NULL)
				return NULL;
			p--;
		} else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

bool
json_member(const char *text, const char *key, const char **value, size_t *len)
{
	const char *p, *k, *end;
	size_t      klen = strlen(key);

	if (text == NULL || *(p = skip_space(text)) != '{')
		return false;
	p = skip_space(p + 1);
	while (*p == '"') {
		bool match;

		k = p + 1;
		if ((p = skip_string(p)) == NULL)
			return false;
		/* The name as written, between its quotes. */
		match = (size_t)(p - 1 - k) == klen &&
		    strncmp(k, key, klen) == 0;
		p = skip_space(p);
		if (*p != ':')
			return false;
		p = skip_space(p + 1);
		if ((end = skip_value(p)) == NULL)
			return false;
		if (match) {
			*value = p;
			*len = (size_t)(end - p);
			return true;
		}
		p = skip_space(end);
		if (*p != ',')
			return false;
		p = skip_space(p + 1);
	}
	return false;
}

int64_t
json_member_int(const char *text, const char *key, int64_t dflt)
{
	const char *v;
	size_t      len;
	char       *end;
	long long   n;

	if (!json_member(text, key, &v, &len))
		return dflt;
	n = strtoll(v, &end, 10);
	return end == v + len ? (int64_t)n : dflt;
}

bool
json_member_true(const char *text, const char *key)
{
	const char *v;
	size_t      len;

	return json_member(text, key, &v, &len) && len == 4 &&
	    strncmp(v, "true", 4) == 0;
}

bool
json_member_is(const char *text, const char *key, const char *want)
{
	const char *v;
	size_t      len, n = strlen(want);

	return json_member(text, key, &v, &len) && len == n + 2 &&
	    v[0] == '"' && strncmp(v + 1, want, n) == 0;
}
