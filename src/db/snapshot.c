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
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
snapshot_take(struct db *db, const char *const *own, struct snapshot *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if (db->ops->snapshot == NULL)
		return err_set(EXIT_USAGE,
		    "the %s driver cannot read its "
		    "schema",
		    db->ops->name);
	if ((rc = db->ops->snapshot(db, own, s)) < 0) {
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

/* Split text into lines (pointers into a copy the caller frees). */
static size_t
split_lines(char *text, char ***out)
{
	size_t n = 1, i = 0;
	char  *p;

	for (p = text; *p; p++)
		n += *p == '\n';
	*out = xcalloc(n, sizeof(**out));
	(*out)[i++] = text;
	for (p = text; *p; p++)
		if (*p == '\n') {
			*p = '\0';
			(*out)[i++] = p + 1;
		}
	return n;
}

#define DIFF_MAX_LINES 2000

/*
 * The lines of two multi-line definitions (a view's, a function's) that
 * differ, '-' before the version and '+' after its rollback, from a
 * longest common subsequence; "..." between runs of changes.
 */
static bool
line_diff(struct buf *out, const char *before, const char *after)
{
	char   *a = xstrdup(before), *b = xstrdup(after), **x, **y;
	size_t  nx = split_lines(a, &x), ny = split_lines(b, &y), i, j;
	size_t *lcs;
	bool    gap = false, any = false;

	if (nx > DIFF_MAX_LINES || ny > DIFF_MAX_LINES) {
		free(a), free(b), free(x), free(y);
		return false;
	}
	/* lcs[i][j]: the longest common run of x[i..] and y[j..]. */
	lcs = xcalloc((nx + 1) * (ny + 1), sizeof(*lcs));
#define L(i, j) lcs[(i) * (ny + 1) + (j)]
	for (i = nx; i-- > 0;)
		for (j = ny; j-- > 0;)
			L(i, j) = strcmp(x[i], y[j]) == 0
			    ? L(i + 1, j + 1) + 1
			    : (L(i + 1, j) > L(i, j + 1) ? L(i + 1, j)
							 : L(i, j + 1));
	for (i = j = 0; i < nx || j < ny;) {
		if (i < nx && j < ny && strcmp(x[i], y[j]) == 0) {
			gap = any;
			i++, j++;
			continue;
		}
		if (gap)
			buf_adds(out, "\n    ...");
		gap = false;
		any = true;
		if (j >= ny || (i < nx && L(i + 1, j) >= L(i, j + 1)))
			buf_addf(out, "\n  - %s", x[i++]);
		else
			buf_addf(out, "\n  + %s", y[j++]);
	}
#undef L
	free(lcs);
	free(a), free(b), free(x), free(y);
	return true;
}

/* Describe one difference; e or n is NULL for a key on one side only. */
static void
describe(struct buf *out, const struct snap_item *e, const struct snap_item *n)
{
	if (e != NULL && n != NULL) {
		if (strchr(e->value, '\n') || strchr(n->value, '\n')) {
			struct buf lines = BUF_INIT;

			if (line_diff(&lines, e->value, n->value)) {
				buf_addf(out,
				    "%s differs (- before the version, + after "
				    "its rollback):%s",
				    n->key, buf_cstr(&lines));
				buf_free(&lines);
				return;
			}
			buf_free(&lines);
		}
		buf_addf(out, "%s: %s != %s", n->key, n->value, e->value);
	} else if (n == NULL)
		buf_addf(out, "%s: missing (was: %s)", e->key, e->value);
	else
		buf_addf(out, "%s: should not exist (is: %s)", n->key,
		    n->value);
}

bool
snapshot_diff(const struct snapshot *expected, const struct snapshot *now,
    struct buf *out)
{
	size_t i = 0, j = 0, more = 0;
	bool   found = false;

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
		if (!found)
			describe(out, c <= 0 ? e : NULL, c >= 0 ? n : NULL);
		else
			more++;
		found = true;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (more > 0)
		buf_addf(out, "\n(and %zu more difference%s)", more,
		    more == 1 ? "" : "s");
	return found;
}

static char *
trimmed(const char *p, size_t len)
{
	while (len > 0 && *p == ' ')
		p++, len--;
	while (len > 0 && p[len - 1] == ' ')
		len--;
	return xstrndup(p, len);
}

/* The items of a table body "(a, b, CHECK (...))" at its top level. */
static char *
sorted_body(const char *v)
{
	struct buf b = BUF_INIT;
	char     **items = NULL;
	size_t     n = 0, alloc = 0, i, start = 1, len = strlen(v);
	int        depth = 0;
	char       quote = 0;

	if (len < 2 || v[0] != '(' || v[len - 1] != ')')
		return NULL;
	for (i = 1; i < len - 1; i++) {
		char ch = v[i];

		if (quote) {
			if (ch == quote)
				quote = 0;
			continue;
		}
		if (ch == '\'' || ch == '"' || ch == '`')
			quote = ch;
		else if (ch == '(')
			depth++;
		else if (ch == ')')
			depth--;
		else if (ch == ',' && depth == 0) {
			ARRAY_GROW(items, n + 1, alloc);
			items[n++] = trimmed(v + start, i - start);
			start = i + 1;
		}
	}
	ARRAY_GROW(items, n + 1, alloc);
	items[n++] = trimmed(v + start, len - 1 - start);
	qsort(items, n, sizeof(*items), str_cmp);
	buf_addch(&b, '(');
	for (i = 0; i < n; i++) {
		buf_addf(&b, "%s%s", i ? "," : "", items[i]);
		free(items[i]);
	}
	buf_addch(&b, ')');
	free(items);
	return buf_detach(&b);
}

void
snapshot_ignore_column_order(struct snapshot *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++) {
		struct snap_item *it = &s->v[i];
		size_t            kl = strlen(it->key);
		char             *body;

		if (strncmp(it->key, "column ", 7) == 0 && kl > 9 &&
		    strcmp(it->key + kl - 9, " position") == 0) {
			free(it->key);
			free(it->value);
			continue;
		}
		/* SQLite keeps a table's text: compare its items as a set. */
		if (strncmp(it->key, "table ", 6) == 0 &&
		    strchr(it->key + 6, ' ') == NULL &&
		    (body = sorted_body(it->value)) != NULL) {
			free(it->value);
			it->value = body;
		}
		s->v[k++] = *it;
	}
	s->n = k;
	snapshot_sort(s);
}

void
snapshot_text(const struct snapshot *s, const char *dialect, struct buf *out)
{
	size_t i;

	buf_addf(out, "-- strata schema (%s): written by 'strata schema'\n",
	    dialect);
	for (i = 0; i < s->n; i++) {
		const char *v = s->v[i].value, *nl;

		if (strchr(v, '\n') == NULL) {
			buf_addf(out, "%s:%s%s\n", s->v[i].key, *v ? " " : "",
			    v);
			continue;
		}
		/* A definition of several lines: a block, indented. */
		buf_addf(out, "%s:\n", s->v[i].key);
		while (*v) {
			nl = strchr(v, '\n');
			if (nl == NULL)
				nl = v + strlen(v);
			buf_addf(out, "    %.*s\n", (int)(nl - v), v);
			v = *nl ? nl + 1 : nl;
		}
	}
}
