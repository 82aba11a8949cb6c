/*
 * json.h - a small JSON writer with correct string escaping.
 *
 * Writes one compact document into a buf; commas are placed by the writer.
 * Reading back what it wrote (the log's facts) is json_read.h's.
 */
#ifndef STRATA_JSON_H
#define STRATA_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct buf *out;
	int         depth;
	bool        need_comma[JSON_MAX_DEPTH];
	bool        after_key;
};

void json_init(struct json *, struct buf *);
void json_escape(struct buf *, const char *, size_t);
void json_object_begin(struct json *);
void json_object_end(struct json *);
void json_array_begin(struct json *);
void json_array_end(struct json *);
void json_key(struct json *, const char *);
void json_string(struct json *, const char *); /* NULL writes null */
void json_string_n(struct json *, const char *, size_t);
void json_int(struct json *, int64_t);
void json_double(struct json *, double);
void json_bool(struct json *, bool);
void json_null(struct json *);
void json_raw(struct json *, const char *); /* a ready JSON value */

#endif
