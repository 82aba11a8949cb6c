/*
 * facts.c - a statement's facts, written with the JSON writer.
 */
#include "facts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct fact *
slot(struct facts *f, const char *key)
{
	struct fact *x;
	size_t       i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0) {
			free(f->v[i].text);
			f->v[i].text = NULL;
			return &f->v[i];
		}
	ARRAY_GROW(f->v, f->n + 1, f->alloc);
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->key = key;
	return x;
}

void
facts_int(struct facts *f, const char *key, int64_t v)
{
	struct fact *x = slot(f, key);

	x->type = FACT_INT;
	x->i = v;
}

void
facts_bool(struct facts *f, const char *key, bool v)
{
	struct fact *x = slot(f, key);

	x->type = FACT_BOOL;
	x->b = v;
}

void
facts_text(struct facts *f, const char *key, const char *v)
{
	struct fact *x = slot(f, key);

	x->type = FACT_TEXT;
	x->text = xstrdup(v);
}

void
facts_strings(struct facts *f, const char *key, char *const *v, size_t n)
{
	struct buf   b = BUF_INIT;
	struct json  j;
	struct fact *x = slot(f, key);
	size_t       i;

	json_init(&j, &b);
	json_array_begin(&j);
	for (i = 0; i < n; i++)
		json_string(&j, v[i]);
	json_array_end(&j);
	x->type = FACT_JSON;
	x->text = buf_detach(&b);
}

void
facts_int_text(struct facts *f, const char *key, const char *v)
{
	char     *end;
	long long n;

	if (v == NULL || *v == '\0')
		return;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end == '\0' && errno == 0)
		facts_int(f, key, n);
}

void
facts_write(struct json *j, const struct facts *f)
{
	facts_write_with(j, f, NULL, NULL);
}

void
facts_write_with(struct json *j, const struct facts *f, const char *key,
    const char *text)
{
	size_t i;

	json_object_begin(j);
	if (key != NULL) {
		json_key(j, key);
		json_string(j, text);
	}
	for (i = 0; i < f->n; i++) {
		const struct fact *x = &f->v[i];

		json_key(j, x->key);
		switch (x->type) {
		case FACT_INT: json_int(j, x->i); break;
		case FACT_BOOL: json_bool(j, x->b); break;
		case FACT_TEXT: json_string(j, x->text); break;
		case FACT_JSON: json_raw(j, x->text); break;
		}
	}
	json_object_end(j);
}

char *
facts_json(const struct facts *f)
{
	return facts_json_with(f, NULL, NULL);
}

char *
facts_json_with(const struct facts *f, const char *key, const char *text)
{
	struct buf  b = BUF_INIT;
	struct json j;

	if (f->n == 0 && key == NULL)
		return NULL;
	json_init(&j, &b);
	facts_write_with(&j, f, key, text);
	return buf_detach(&b);
}

void
facts_clear(struct facts *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].text);
	f->n = 0;
}

void
facts_free(struct facts *f)
{
	facts_clear(f);
	free(f->v);
	memset(f, 0, sizeof(*f));
}
