/*
 * history.c - read and write strata's own tables.
 */
#include "history.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/db.h"
#include "tables.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"

/* Log rows per INSERT unless the driver says (db.h). */
#define LOG_ROWS_PER_INSERT 400

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int64_t
to_i64(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

/* "SELECT a, b, ..." over the columns, the timestamp one as ISO-8601. */
static void
select_list(struct buf *sql, const struct db *db,
    const struct table_column *cols, size_t n, size_t timestamp)
{
	size_t i;

	buf_adds(sql, "SELECT ");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(sql, ", ");
		if (cols[i].since > db->tables_layout)
			buf_adds(sql,
			    "NULL"); /* not in this database's layout */
		else if (i == timestamp)
			buf_addf(sql, db->ts_format, cols[i].name);
		else
			buf_adds(sql, cols[i].name);
	}
}

/*
 * strata's own SQL is built for every row it writes, so it is built with
 * plain appends rather than a printf per piece.
 */

/* "a, b, ..." over the columns from `from` on. */
static void
column_list(struct buf *sql, const struct table_column *cols, size_t from,
    size_t n)
{
	size_t i;

	for (i = from; i < n; i++) {
		if (i > from)
			buf_adds(sql, ", ");
		buf_adds(sql, cols[i].name);
	}
}

/* sep, then "$n". */
static void
add_param(struct buf *b, const char *sep, size_t n)
{
	char   digits[24];
	size_t len = fmt_int(digits, (long long)n);

	buf_adds(b, sep);
	buf_addch(b, '$');
	buf_add(b, digits, len);
}

/* The row's text columns. */
static const int text_cols[] = {
	HC_NAME,
	HC_CHECKSUM,
	HC_ROLLBACK_CHECKSUM,
	HC_STATE,
	HC_COMPLETED_CHECKSUM,
	HC_APPLIED_AT,
	HC_APPLIED_BY,
	HC_COMPLETED_EXTRA,
	HC_ROLLBACK_EXTRA,
	HC_BATCH_LAST,
	HC_BATCH_MAX,
};
#define NTEXT (sizeof(text_cols) / sizeof(text_cols[0]))

static int
history_row_cb(void *arg, int ncols, char **v)
{
	struct history     *h = arg;
	struct history_row *r;
	const char         *c[NTEXT];
	char               *s[NTEXT], *block, *p;
	size_t              len[NTEXT], total = 0, i;

	if (ncols < HC__COUNT)
		return 1;
	/* One allocation holds every string of the row. */
	for (i = 0; i < NTEXT; i++) {
		c[i] = v[text_cols[i]];
		if (text_cols[i] == HC_STATE && c[i] == NULL)
			c[i] = "applied";
		len[i] = c[i] ? strlen(c[i]) + 1 : 0;
		total += len[i];
	}
	p = block = xmalloc(total);
	for (i = 0; i < NTEXT; i++) {
		s[i] = c[i] ? memcpy(p, c[i], len[i]) : NULL;
		p += len[i];
	}
	ARRAY_GROW(h->v, h->n + 1, h->alloc);
	r = &h->v[h->n++];
	r->strings = block;
	r->version = to_i64(v[HC_VERSION]);
	r->name = s[0];
	r->checksum = s[1];
	r->rollback_checksum = s[2];
	r->state = s[3];
	r->completed = to_i64(v[HC_COMPLETED]);
	r->completed_checksum = s[4];
	r->rollback_completed = to_i64(v[HC_ROLLBACK_COMPLETED]);
	r->applied_at = s[5];
	r->duration_ms = to_i64(v[HC_DURATION]);
	r->applied_by = s[6];
	r->completed_extra = s[7];
	r->rollback_extra = s[8];
	r->batch_last = s[9];
	r->batch_max = s[10];
	r->batch_statement = to_i64(v[HC_BATCH_STATEMENT]);
	r->batch_rows = to_i64(v[HC_BATCH_ROWS]);
	r->batch_rounds = to_i64(v[HC_BATCH_ROUNDS]);
	return 0;
}

static int
repeat_row_cb(void *arg, int ncols, char **v)
{
	struct history    *h = arg;
	struct repeat_row *r;

	if (ncols < RC__COUNT || v[RC_NAME] == NULL)
		return 0;
	ARRAY_GROW(h->rv, h->rn + 1, h->ralloc);
	r = &h->rv[h->rn++];
	r->name = xstrdup(v[RC_NAME]);
	r->checksum = v[RC_CHECKSUM] ? xstrdup(v[RC_CHECKSUM]) : NULL;
	r->applied_at = v[RC_APPLIED_AT] ? xstrdup(v[RC_APPLIED_AT]) : NULL;
	r->duration_ms = to_i64(v[RC_DURATION]);
	return 0;
}

int
history_load(struct db *db, struct history *h)
{
	struct buf sql = BUF_INIT;
	int        rc;

	memset(h, 0, sizeof(*h));
	select_list(&sql, db, history_columns, HC__COUNT, HC_APPLIED_AT);
	buf_addf(&sql, " FROM %s ORDER BY version",
	    table_sql(db, TABLE_HISTORY));
	rc = db_query(db, sql.ptr, 0, NULL, history_row_cb, h);
	/* Layouts before 5 have no repeatables. */
	if (rc == 0 && db->tables_layout >= 5) {
		buf_reset(&sql);
		select_list(&sql, db, repeat_columns, RC__COUNT, RC_APPLIED_AT);
		buf_addf(&sql, " FROM %s ORDER BY name",
		    table_sql(db, TABLE_REPEATABLE));
		rc = db_query(db, sql.ptr, 0, NULL, repeat_row_cb, h);
	}
	buf_free(&sql);
	return rc;
}

const struct repeat_row *
history_repeat(const struct history *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->rn; i++)
		if (strcmp(h->rv[i].name, name) == 0)
			return &h->rv[i];
	return NULL;
}

void
history_free(struct history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->v[i].strings);
	free(h->v);
	for (i = 0; i < h->rn; i++) {
		free(h->rv[i].name);
		free(h->rv[i].checksum);
		free(h->rv[i].applied_at);
	}
	free(h->rv);
	memset(h, 0, sizeof(*h));
}

const struct history_row *
history_find(const struct history *h, int64_t version)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (h->v[mid].version == version)
			return &h->v[mid];
		if (h->v[mid].version < version)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t
history_extra_list(const char *s, size_t **out)
{
	size_t n = 0, alloc = 0;
	char  *end;

	*out = NULL;
	while (s != NULL && *s) {
		unsigned long long v = strtoull(s, &end, 10);

		if (end == s) {
			s++;
			continue;
		}
		s = end;
		if (v == 0)
			continue;
		ARRAY_GROW(*out, n + 1, alloc);
		(*out)[n++] = (size_t)v;
	}
	return n;
}

/* INSERT INTO t (columns from `from` on) VALUES ($1, ...) */
static void
insert_into(struct buf *sql, const char *table, const struct table_column *cols,
    size_t from, size_t n)
{
	size_t i;

	buf_adds(sql, "INSERT INTO ");
	buf_adds(sql, table);
	buf_adds(sql, " (");
	column_list(sql, cols, from, n);
	buf_adds(sql, ") VALUES ");
	for (i = from; i < n; i++)
		add_param(sql, i > from ? ", " : "(", i - from + 1);
	buf_addch(sql, ')');
}

void
history_put(struct db_writes *w, const struct db *db,
    const struct history_row *r, bool replace)
{
	char        version[24], completed[24], rb_completed[24], duration[24];
	char        batch[3][24];
	const char *params[HC__COUNT];
	bool        backfill = r->batch_statement > 0;
	struct buf  sql = BUF_INIT;
	size_t      i;

	snprintf(version, sizeof(version), "%lld", (long long)r->version);
	snprintf(completed, sizeof(completed), "%lld", (long long)r->completed);
	snprintf(rb_completed, sizeof(rb_completed), "%lld",
	    (long long)r->rollback_completed);
	snprintf(duration, sizeof(duration), "%lld", (long long)r->duration_ms);
	params[HC_VERSION] = version;
	params[HC_NAME] = r->name;
	params[HC_CHECKSUM] = r->checksum;
	params[HC_ROLLBACK_CHECKSUM] = r->rollback_checksum;
	params[HC_STATE] = r->state;
	params[HC_COMPLETED] = completed;
	params[HC_COMPLETED_CHECKSUM] = r->completed_checksum;
	params[HC_ROLLBACK_COMPLETED] = rb_completed;
	params[HC_APPLIED_AT] = r->applied_at;
	params[HC_DURATION] = duration;
	params[HC_APPLIED_BY] = r->applied_by;
	params[HC_COMPLETED_EXTRA] = r->completed_extra;
	params[HC_ROLLBACK_EXTRA] = r->rollback_extra;
	snprintf(batch[0], 24, "%lld", (long long)r->batch_statement);
	snprintf(batch[1], 24, "%lld", (long long)r->batch_rows);
	snprintf(batch[2], 24, "%lld", (long long)r->batch_rounds);
	params[HC_BATCH_STATEMENT] = backfill ? batch[0] : NULL;
	params[HC_BATCH_ROWS] = backfill ? batch[1] : NULL;
	params[HC_BATCH_ROUNDS] = backfill ? batch[2] : NULL;
	params[HC_BATCH_LAST] = backfill ? r->batch_last : NULL;
	params[HC_BATCH_MAX] = backfill ? r->batch_max : NULL;
	insert_into(&sql, table_sql(db, TABLE_HISTORY), history_columns, 0,
	    HC__COUNT);
	if (replace) {
		buf_adds(&sql, " ON CONFLICT (version) DO UPDATE SET ");
		for (i = HC_VERSION + 1; i < HC__COUNT; i++) {
			if (i > HC_VERSION + 1)
				buf_adds(&sql, ", ");
			buf_adds(&sql, history_columns[i].name);
			buf_adds(&sql, " = excluded.");
			buf_adds(&sql, history_columns[i].name);
		}
	}
	db_writes_add(w, buf_detach(&sql), HC__COUNT, params);
}

void
history_delete(struct db_writes *w, const struct db *db, int64_t version)
{
	char        v[24];
	const char *params[1] = { v };
	struct buf  sql = BUF_INIT;

	snprintf(v, sizeof(v), "%lld", (long long)version);
	buf_addf(&sql, "DELETE FROM %s WHERE version = $1",
	    table_sql(db, TABLE_HISTORY));
	db_writes_add(w, buf_detach(&sql), 1, params);
}

void
repeat_put(struct db_writes *w, const struct db *db, const char *name,
    const char *checksum, int64_t duration_ms)
{
	char        at[32], duration[24];
	const char *params[RC__COUNT];
	struct buf  sql = BUF_INIT;
	size_t      i;

	time_iso_now(at);
	snprintf(duration, sizeof(duration), "%lld", (long long)duration_ms);
	params[RC_NAME] = name;
	params[RC_CHECKSUM] = checksum;
	params[RC_APPLIED_AT] = at;
	params[RC_DURATION] = duration;
	params[RC_APPLIED_BY] = history_applied_by();
	insert_into(&sql, table_sql(db, TABLE_REPEATABLE), repeat_columns, 0,
	    RC__COUNT);
	buf_adds(&sql, " ON CONFLICT (name) DO UPDATE SET ");
	for (i = RC_NAME + 1; i < RC__COUNT; i++)
		buf_addf(&sql, "%s%s = excluded.%s",
		    i > RC_NAME + 1 ? ", " : "", repeat_columns[i].name,
		    repeat_columns[i].name);
	db_writes_add(w, buf_detach(&sql), RC__COUNT, params);
}

struct log_entry *
log_batch_add(struct log_batch *b)
{
	struct log_entry *e;

	ARRAY_GROW(b->v, b->n + 1, b->alloc);
	e = &b->v[b->n++];
	memset(e, 0, sizeof(*e));
	e->rows = -1;
	e->outcome = "ok";
	return e;
}

void
log_batch_clear(struct log_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].text);
		free(b->v[i].error);
		facts_free(&b->v[i].facts);
	}
	b->n = 0;
}

/* The columns strata writes: all but the id. */
#define LOG_COLS (LC__COUNT - 1)

/* Entries [from, from+n) as one multi-row INSERT. */
static void
log_write_chunk(struct db_writes *w, const struct db *db,
    const struct log_batch *b, size_t from, size_t n)
{
	char(*nums)[4][32] = xcalloc(n, sizeof(*nums));
	char       **facts = xcalloc(n, sizeof(*facts));
	const char **params = xcalloc(n * LOG_COLS, sizeof(*params));
	struct buf   sql = BUF_INIT;
	size_t       i;
	int          k;

	buf_adds(&sql, "INSERT INTO ");
	buf_adds(&sql, table_sql(db, TABLE_LOG));
	buf_adds(&sql, " (");
	column_list(&sql, log_columns, LC_AT, LC__COUNT);
	buf_adds(&sql, ") VALUES ");
	for (i = 0; i < n; i++) {
		const struct log_entry *e = &b->v[from + i];
		const char            **p = params + i * LOG_COLS;

		snprintf(nums[i][0], 32, "%lld", (long long)e->version);
		snprintf(nums[i][1], 32, "%d", e->statement);
		snprintf(nums[i][2], 32, "%.3f", e->duration_ms);
		snprintf(nums[i][3], 32, "%lld", (long long)e->rows);
		facts[i] = facts_json_with(&e->facts, e->phase ? "phase" : NULL,
		    e->phase);
		p[LC_AT - 1] = e->at;
		p[LC_VERSION - 1] = e->version ? nums[i][0] : NULL;
		p[LC_DIRECTION - 1] = e->direction;
		p[LC_STATEMENT - 1] = e->statement ? nums[i][1] : NULL;
		p[LC_KIND - 1] = stmt_kind_name(e->kind);
		p[LC_TEXT - 1] = e->text ? e->text : "";
		p[LC_DURATION - 1] = nums[i][2];
		p[LC_ROWS - 1] = e->rows >= 0 ? nums[i][3] : NULL;
		p[LC_OUTCOME - 1] = e->outcome;
		p[LC_SQLSTATE - 1] = e->sqlstate[0] ? e->sqlstate : NULL;
		p[LC_ERROR - 1] = e->error;
		p[LC_FACTS - 1] = facts[i];
		for (k = 0; k < LOG_COLS; k++)
			add_param(&sql,
			    k       ? ", "
				: i ? ", ("
				    : "(",
			    i * LOG_COLS + (size_t)k + 1);
		buf_addch(&sql, ')');
	}
	db_writes_add(w, buf_detach(&sql), (int)(n * LOG_COLS), params);
	for (i = 0; i < n; i++)
		free(facts[i]);
	free(facts);
	free(params);
	free(nums);
}

int
log_batch_send(struct db *db, struct db_writes *w, const struct log_batch *b,
    bool commit)
{
	size_t per = db->log_rows_per_insert ? db->log_rows_per_insert
					     : LOG_ROWS_PER_INSERT;
	size_t i;
	int    rc;

	for (i = 0; i < b->n; i += per) {
		size_t n = b->n - i;

		if (n > per)
			n = per;
		log_write_chunk(w, db, b, i, n);
		/* A few at a time: a huge batch is never all copied at once. */
		if (w->n >= 4 && i + n < b->n &&
		    (rc = db_send(db, w, false)) < 0)
			return rc;
	}
	return db_send(db, w, commit);
}

static int
log_row_cb(void *arg, int ncols, char **v)
{
	struct log_rows *rows = arg;
	struct log_row  *r;
	int              i;

	ARRAY_GROW(rows->v, rows->n + 1, rows->alloc);
	r = &rows->v[rows->n++];
	for (i = 0; i < LC__COUNT; i++)
		r->v[i] = i < ncols ? dup_or_null(v[i]) : NULL;
	return 0;
}

int
log_load(struct db *db, int64_t version, int64_t limit, struct log_rows *out)
{
	char        v[24], l[24];
	const char *params[2];
	struct buf  sql = BUF_INIT;
	int         n = 0, rc;

	memset(out, 0, sizeof(*out));
	select_list(&sql, db, log_columns, LC__COUNT, LC_AT);
	buf_addf(&sql, " FROM %s", table_sql(db, TABLE_LOG));
	if (version > 0) {
		snprintf(v, sizeof(v), "%lld", (long long)version);
		params[n++] = v;
		buf_adds(&sql, " WHERE version = $1");
	}
	buf_adds(&sql, " ORDER BY id DESC");
	if (limit > 0) {
		snprintf(l, sizeof(l), "%lld", (long long)limit);
		params[n++] = l;
		buf_addf(&sql, " LIMIT $%d", n);
	}
	rc = db_query(db, sql.ptr, n, params, log_row_cb, out);
	buf_free(&sql);
	return rc;
}

void
log_rows_free(struct log_rows *rows)
{
	size_t i;
	int    k;

	for (i = 0; i < rows->n; i++)
		for (k = 0; k < LC__COUNT; k++)
			free(rows->v[i].v[k]);
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

const char *
history_applied_by(void)
{
	static char    who[256];
	char           host[128] = "";
	const char    *user = NULL;
	struct passwd *pw;

	if (who[0])
		return who;
	if ((pw = getpwuid(geteuid())) != NULL)
		user = pw->pw_name;
	if (user == NULL)
		user = getenv("USER");
	if (user == NULL)
		user = "unknown";
	if (gethostname(host, sizeof(host) - 1) != 0)
		strcpy(host, "localhost");
	snprintf(who, sizeof(who), "%s@%s", user, host);
	return who;
}

struct last_row {
	int64_t statement;
	bool    error;
	bool    seen;
};

static int
last_row_cb(void *arg, int ncols, char **v)
{
	struct last_row *l = arg;

	if (ncols >= 2 && !l->seen) {
		l->statement = v[0] ? strtoll(v[0], NULL, 10) : 0;
		l->error = v[1] && strcmp(v[1], "error") == 0;
		l->seen = true;
	}
	return 0;
}

int
log_failed_at(struct db *db, int64_t version, bool down, size_t statement,
    bool *failed)
{
	struct last_row l = { 0, false, false };
	struct buf      sql = BUF_INIT;
	char            v[24];
	const char     *params[2] = { v, down ? "down" : "up" };
	int             rc;

	snprintf(v, sizeof(v), "%lld", (long long)version);
	buf_addf(&sql,
	    "SELECT statement, outcome FROM %s WHERE version = $1 AND "
	    "direction = $2 ORDER BY id DESC LIMIT 1",
	    table_sql(db, TABLE_LOG));
	rc = db_query(db, sql.ptr, 2, params, last_row_cb, &l);
	buf_free(&sql);
	*failed = l.seen && l.error && l.statement == (int64_t)statement;
	return rc;
}
