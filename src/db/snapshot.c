/*
 * snapshot.c - schema snapshots and their first difference.
 *
 * The driver reads its catalogs (db.h, snapshot slot) and adds one row per
 * object attribute; this file sorts them, normalises SQL text where the
 * database keeps it as written (SQLite), and compares two snapshots.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "../util/error.h"
#include "snapshot.h"

static bool
is_punct(int c)
{
	return c != 0 && strchr("(),;=<>+-*/|.:!%", c) != NULL;
}

void
sql_normalise(const char *sql, bool body_only, struct buf *out)
{
	const char *p = sql;
	bool        space = false;
	int         last = 0;

	if (body_only) {
		const char *open = strchr(sql, '(');

		/* Quoted names never hold '(' in the series; a header does. */
		if (open != NULL)
			p = open;
	}
	while (*p != '\0') {
		char close = 0;

		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			space = true;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			p = end ? end + 2 : p + strlen(p);
			space = true;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			space = true;
			p++;
			continue;
		}
		if (space && last != 0 && !is_punct(last) && !is_punct(*p))
			buf_addch(out, ' ');
		space = false;
		if (*p == '\'') {
			/* A string literal, kept exactly ('' included). */
			const char *start = p++;

			while (*p != '\0' && !(*p == '\'' && p[1] != '\''))
				p += *p == '\'' ? 2 : 1;
			if (*p == '\'')
				p++;
			buf_add(out, start, (size_t)(p - start));
			last = '\'';
			continue;
		}
		if (*p == '"' || *p == '`' || *p == '[')
			close = *p == '[' ? ']' : *p;
		if (close != 0) {
			/* A quoted identifier: the name, folded. */
			for (p++; *p != '\0' && *p != close; p++)
				buf_addch(out, tolower((unsigned char)*p));
			if (*p == close)
				p++;
			last = 'a';
			continue;
		}
		buf_addch(out, tolower((unsigned char)*p));
		last = *p++;
	}
	/* The statement's own terminator is not part of the schema. */
	while (out->len > 0 && out->ptr[out->len - 1] == ';')
		out->ptr[--out->len] = '\0';
}

void
snapshot_add(struct snapshot *s, const char *key, const char *value,
    enum snap_norm norm)
{
	struct snap_item *it;

	if (key == NULL)
		return;
	ARRAY_GROW(s->v, s->n + 1, s->alloc);
	it = &s->v[s->n++];
	it->key = xstrdup(key);
	if (value == NULL)
		it->value = xstrdup("NULL");
	else if (norm == SNAP_AS_IS)
		it->value = xstrdup(value);
	else {
		struct buf b = BUF_INIT;

		sql_normalise(value, norm == SNAP_SQL_BODY, &b);
		it->value = buf_detach(&b);
	}
}

int
snapshot_row(void *arg, int ncols, char **v)
{
	snapshot_add(arg, v[0], v[1],
	    ncols > 2 && v[2] ? (enum snap_norm)atoi(v[2]) : SNAP_AS_IS);
	return 0;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct snap_item *x = a, *y = b;
	int                     c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->value, y->value);
}

void
snapshot_sort(struct snapshot *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), item_cmp);
}

int
snapshot_take(struct db *db, struct snapshot *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if (db->ops->snapshot == NULL)
		return err_set(EXIT_USAGE,
		    "the %s driver cannot read its "
		    "schema",
		    db->ops->name);
	if ((rc = db->ops->snapshot(db, s)) < 0) {
		snapshot_free(s);
		return rc;
	}
	snapshot_sort(s);
	return 0;
}

void
snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].value);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

bool
snapshot_diff(const struct snapshot *expected, const struct snapshot *now,
    struct buf *out)
{
	size_t i = 0, j = 0;

	while (i < expected->n || j < now->n) {
		const struct snap_item *e = i < expected->n ? &expected->v[i]
							    : NULL;
		const struct snap_item *n = j < now->n ? &now->v[j] : NULL;
		int c = e == NULL ? 1 : n == NULL ? -1 : strcmp(e->key, n->key);

		if (c == 0 && strcmp(e->value, n->value) == 0) {
			i++;
			j++;
			continue;
		}
		if (c == 0)
			buf_addf(out, "%s: %s != %s", n->key, n->value,
			    e->value);
		else if (c < 0)
			buf_addf(out, "%s: missing (was: %s)", e->key,
			    e->value);
		else
			buf_addf(out, "%s: should not exist (is: %s)", n->key,
			    n->value);
		return true;
	}
	return false;
}
