/*
 * json.c - the JSON writer.
 *
 * Strings are escaped per RFC 8259: quote, backslash and control characters;
 * bytes that are not valid UTF-8 become U+FFFD so the output always parses.
 */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t       len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
json_escape(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t               i = 0, len;

	buf_addch(b, '"');
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			i++;
			continue;
		case '\\':
			buf_adds(b, "\\\\");
			i++;
			continue;
		case '\n':
			buf_adds(b, "\\n");
			i++;
			continue;
		case '\r':
			buf_adds(b, "\\r");
			i++;
			continue;
		case '\t':
			buf_adds(b, "\\t");
			i++;
			continue;
		case '\b':
			buf_adds(b, "\\b");
			i++;
			continue;
		case '\f':
			buf_adds(b, "\\f");
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_addf(b, "\\u%04x", c);
			i++;
			continue;
		}
		len = utf8_seq_len(s + i, n - i);
		if (len == 0) {
			buf_adds(b, "\\ufffd");
			i++;
			continue;
		}
		buf_add(b, s + i, len);
		i += len;
	}
	buf_addch(b, '"');
}

static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		buf_addch(j->out, ',');
	j->need_comma[j->depth] = true;
}

static void
json_open(struct json *j, int c)
{
	json_sep(j);
	buf_addch(j->out, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void
json_close(struct json *j, int c)
{
	buf_addch(j->out, c);
	if (j->depth > 0)
		j->depth--;
}

void
json_object_begin(struct json *j)
{
	json_open(j, '{');
}
void
json_object_end(struct json *j)
{
	json_close(j, '}');
}
void
json_array_begin(struct json *j)
{
	json_open(j, '[');
}
void
json_array_end(struct json *j)
{
	json_close(j, ']');
}

void
json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escape(j->out, key, strlen(key));
	buf_addch(j->out, ':');
	j->after_key = true;
}

void
json_string_n(struct json *j, const char *s, size_t n)
{
	json_sep(j);
	json_escape(j->out, s, n);
}

void
json_string(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_string_n(j, s, strlen(s));
}

void
json_int(struct json *j, int64_t v)
{
	json_sep(j);
	buf_addf(j->out, "%lld", (long long)v);
}

void
json_double(struct json *j, double v)
{
	json_sep(j);
	if (!isfinite(v))
		buf_adds(j->out, "null");
	else
		buf_addf(j->out, "%.3f", v);
}

void
json_bool(struct json *j, bool v)
{
	json_sep(j);
	buf_adds(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_sep(j);
	buf_adds(j->out, "null");
}

void
json_raw(struct json *j, const char *value)
{
	json_sep(j);
	buf_adds(j->out, value);
}
