/*
 * json_read.h - reading one member of a JSON object that strata wrote
 * (json_read.c): the log's facts, read back by report --html.
 *
 * Only the object's own members are looked at: a key's name inside a
 * string, or in a nested object, is not that key.
 */
#ifndef STRATA_JSON_READ_H
#define STRATA_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The value of the top-level member `key` of the object in `text`: where
 * it starts and its length. False when text is not an object, is
 * malformed before the member, or has no such member.
 */
bool
json_member(const char *text, const char *key, const char **value, size_t *len);
/* The member as an integer, or dflt when it is absent or not one. */
int64_t json_member_int(const char *text, const char *key, int64_t dflt);
/* Is the member the literal true? */
bool json_member_true(const char *text, const char *key);
/* Is the member the string `want` (written without escapes)? */
bool json_member_is(const char *text, const char *key, const char *want);

#endif
