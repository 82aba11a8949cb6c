/*
 * db.c - pick a driver by URL, mask passwords, the optional wrappers, and
 * a driver's events.
 */
#include "db.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"

static const struct db_ops *const drivers[] = {
	&db_pg_ops,
	&db_sqlite_ops,
	NULL,
};

const struct db_ops *
db_driver_for(const char *url)
{
	char  *masked;
	size_t i;

	for (i = 0; drivers[i] != NULL; i++)
		if (drivers[i]->accepts(url))
			return drivers[i];
	/* The URL may hold a password: name it masked. */
	masked = db_mask_url(url);
	err_set(EXIT_USAGE,
	    "cannot tell the database from '%s': expected "
	    "postgres://..., a libpq 'key=value' string, sqlite:PATH, or a "
	    "path ending in .db, .sqlite or .sqlite3",
	    masked);
	free(masked);
	return NULL;
}

/*
 * An '@' in a URL's user name or password must be percent-encoded: libpq
 * would take what follows it for the host, and name part of the password
 * in its error.
 */
static int
check_url_at(const char *url)
{
	const char *s = strstr(url, "://"), *end, *first;
	char       *masked;
	int         rc;

	if (s == NULL)
		return 0;
	s += 3;
	end = s + strcspn(s, "?");
	if ((first = memchr(s, '@', (size_t)(end - s))) == NULL ||
	    memchr(first + 1, '@', (size_t)(end - first - 1)) == NULL)
		return 0;
	masked = db_mask_url(url);
	rc = err_set(EXIT_USAGE,
	    "'%s' has more than one '@' before its host: percent-encode an "
	    "'@' in the user name or password as %%40 (user:pa%%40ss@host)",
	    masked);
	free(masked);
	return rc;
}

int
db_open(struct db **out, const char *url, const struct db_config *cfg)
{
	const struct db_ops *ops = db_driver_for(url);
	int                  rc;

	*out = NULL;
	if (ops == NULL)
		return -EXIT_USAGE;
	if (ops->dialect == DIALECT_POSTGRES && (rc = check_url_at(url)) < 0)
		return rc;
	if ((rc = ops->open(out, url, cfg)) < 0)
		return rc;
	(*out)->ops = ops;
	(*out)->events = cfg->events;
	if ((*out)->url_masked == NULL)
		(*out)->url_masked = db_mask_url(url);
	return 0;
}

void
db_base_free(struct db *db)
{
	free(db->url_masked);
	free(db->schema_name);
}

/* Events nobody listens to (a database opened with no events) are dropped. */
static bool
listened(const struct db *db)
{
	return db != NULL && db->events != NULL;
}

/* Format an event's text and hand it over: a notice, or slot's live line. */
static void
send_event(const struct db *db, int slot, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	buf_vaddf(&b, fmt, ap);
	if (slot < 0)
		db->events->notice(db->events->arg, buf_cstr(&b));
	else
		db->events->progress(db->events->arg, slot, buf_cstr(&b));
	buf_free(&b);
}

void
db_notice(const struct db *db, const char *fmt, ...)
{
	va_list ap;

	if (!listened(db))
		return;
	va_start(ap, fmt);
	send_event(db, -1, fmt, ap);
	va_end(ap);
}

void
db_progress(const struct db *db, int slot, const char *fmt, ...)
{
	va_list ap;

	if (!listened(db))
		return;
	va_start(ap, fmt);
	send_event(db, slot, fmt, ap);
	va_end(ap);
}

void
db_progress_done(const struct db *db, int slot)
{
	if (listened(db))
		db->events->progress(db->events->arg, slot, NULL);
}

bool
db_progress_wanted(const struct db *db)
{
	return listened(db) && db->events->progress_wanted(db->events->arg);
}

void
db_close(struct db *db)
{
	if (db != NULL)
		db->ops->close(db);
}

/*
 * Mask "password = VALUE" in a libpq key=value string; VALUE may be quoted
 * with single quotes and backslash escapes.
 */
static void
mask_keyword(struct buf *out, const char *p)
{
	while (*p) {
		bool        is_password = false;
		const char *q;

		while (*p == ' ' || *p == '\t')
			buf_addch(out, *p++);
		if (strncmp(p, "password", 8) == 0) {
			for (q = p + 8; *q == ' ' || *q == '\t'; q++)
				;
			is_password = *q == '=';
		}
		/* Copy the keyword and '=' as they are. */
		while (*p && *p != '=' && *p != ' ' && *p != '\t')
			buf_addch(out, *p++);
		while (*p == ' ' || *p == '\t')
			buf_addch(out, *p++);
		if (*p != '=')
			continue;
		buf_addch(out, *p++);
		while (*p == ' ' || *p == '\t')
			buf_addch(out, *p++);
		if (is_password)
			buf_adds(out, "****");
		if (*p == '\'') {
			if (!is_password)
				buf_addch(out, *p);
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1]) {
					if (!is_password)
						buf_addch(out, *p);
					p++;
				}
				if (!is_password)
					buf_addch(out, *p);
				p++;
			}
			if (*p) {
				if (!is_password)
					buf_addch(out, *p);
				p++;
			}
		} else {
			while (*p && *p != ' ' && *p != '\t') {
				if (!is_password)
					buf_addch(out, *p);
				p++;
			}
		}
	}
}

char *
db_mask_url(const char *url)
{
	struct buf  out = BUF_INIT;
	const char *scheme_end, *at, *colon, *slash, *q;

	scheme_end = strstr(url, "://");
	if (scheme_end == NULL) {
		if (strchr(url, '=') != NULL)
			mask_keyword(&out, url);
		else
			buf_adds(&out, url);
		return buf_detach(&out);
	}
	/* scheme://[user[:password]@]host... */
	slash = strchr(scheme_end + 3, '/');
	at = strrchr(scheme_end + 3, '@');
	if (at != NULL && slash != NULL && at > slash) {
		/* '@' after the path: only the query string can hold one. */
		const char *qm = strchr(scheme_end + 3, '?');

		if (qm == NULL || qm > slash || at < qm)
			at = NULL;
	}
	colon = NULL;
	if (at != NULL)
		for (q = scheme_end + 3; q < at; q++)
			if (*q == ':') {
				colon = q;
				break;
			}
	if (colon != NULL) {
		buf_add(&out, url, (size_t)(colon - url) + 1);
		buf_adds(&out, "****");
		buf_adds(&out, at);
	} else
		buf_adds(&out, url);
	/* A password can also ride in the query string. */
	{
		char *p = strstr(out.ptr, "password=");

		while (p != NULL) {
			char      *end = p + 9;
			struct buf fixed = BUF_INIT;
			size_t     at = (size_t)(p - out.ptr);

			if (p > out.ptr && p[-1] != '?' && p[-1] != '&') {
				p = strstr(p + 9, "password=");
				continue;
			}
			while (*end && *end != '&')
				end++;
			buf_add(&fixed, out.ptr, at);
			buf_adds(&fixed, "password=****");
			buf_adds(&fixed, end);
			buf_free(&out);
			out = fixed;
			/* Go on after the mask, in the new text. */
			p = strstr(out.ptr + at + 13, "password=");
		}
	}
	return buf_detach(&out);
}

void
exec_parts_free(struct exec_result *r)
{
	size_t i;

	for (i = 0; i < r->n_parts; i++) {
		free(r->parts[i].text);
		free(r->parts[i].partition);
	}
	free(r->parts);
	r->parts = NULL;
	r->n_parts = r->alloc_parts = 0;
}

void
exec_result_clear(struct exec_result *r)
{
	free(r->message);
	free(r->detail);
	free(r->hint);
	free(r->blockers);
	free(r->phase);
	exec_parts_free(r);
	memset(r, 0, sizeof(*r));
	r->rows = -1;
	r->index_bytes = -1;
}

void
db_writes_add(struct db_writes *w, char *sql, int nparams,
    const char *const *params)
{
	struct db_write *x;
	int              i;

	ARRAY_GROW(w->v, w->n + 1, w->alloc);
	x = &w->v[w->n++];
	x->sql = sql;
	x->nparams = nparams;
	x->params = xcalloc(nparams > 0 ? (size_t)nparams : 1,
	    sizeof(*x->params));
	for (i = 0; i < nparams; i++)
		x->params[i] = params[i] ? xstrdup(params[i]) : NULL;
}

void
db_writes_clear(struct db_writes *w)
{
	size_t i;
	int    k;

	for (i = 0; i < w->n; i++) {
		for (k = 0; k < w->v[i].nparams; k++)
			free(w->v[i].params[k]);
		free(w->v[i].params);
		free(w->v[i].sql);
	}
	w->n = 0;
}

void
db_writes_free(struct db_writes *w)
{
	db_writes_clear(w);
	free(w->v);
	w->v = NULL;
	w->alloc = 0;
}

int
db_send(struct db *db, struct db_writes *w, bool commit)
{
	size_t i;
	int    rc = 0;

	if (db->ops->send)
		rc = db->ops->send(db, w, commit);
	else {
		for (i = 0; i < w->n && rc == 0; i++)
			rc = db_query(db, w->v[i].sql, w->v[i].nparams,
			    (const char *const *)w->v[i].params, NULL, NULL);
		if (rc == 0 && commit)
			rc = db_commit(db);
	}
	db_writes_clear(w);
	return rc;
}

void
db_facts_before(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	f->relfilenode_before = -1;
	f->size_before = -1;
	if (db->ops->facts_before)
		db->ops->facts_before(db, s, f);
}

void
db_facts_after(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	if (db->ops->facts_after)
		db->ops->facts_after(db, s, f);
}

void
table_key_add(struct table_key *k, const char *col, const char *name)
{
	struct buf  q = BUF_INIT;
	const char *p;

	if (col == NULL) {
		buf_addch(&q, '"');
		for (p = name; *p; p++) {
			if (*p == '"')
				buf_addch(&q, '"');
			buf_addch(&q, *p);
		}
		buf_addch(&q, '"');
	} else
		buf_adds(&q, col);
	k->cols = xrealloc(k->cols, (k->n + 1) * sizeof(*k->cols));
	k->names = xrealloc(k->names, (k->n + 1) * sizeof(*k->names));
	k->cols[k->n] = buf_detach(&q);
	k->names[k->n++] = xstrdup(name);
}

void
table_key_free(struct table_key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->cols[i]);
		free(k->names[i]);
	}
	free(k->cols);
	free(k->names);
	memset(k, 0, sizeof(*k));
}

static int
cannot_trace(const struct db *db)
{
	return err_set(EXIT_USAGE, "the %s driver cannot trace", db->ops->name);
}

int
db_table_files(struct db *db, db_row_fn fn, void *arg)
{
	return db->ops->table_files ? db->ops->table_files(db, fn, arg)
				    : cannot_trace(db);
}

int
db_locks_held(struct db *db, db_row_fn fn, void *arg)
{
	return db->ops->locks_held ? db->ops->locks_held(db, fn, arg)
				   : cannot_trace(db);
}
