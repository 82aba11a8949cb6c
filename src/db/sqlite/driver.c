/*
 * driver.c - the SQLite driver: running statements and queries,
 * transactions, facts, and the driver's table of operations.
 *
 * A statement that still meets SQLITE_BUSY after the busy timeout is
 * reported retryable to the runner. Opening is in open.c, the migration
 * lock in lock.c, the schema snapshot in schema.c.
 */
#include "sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

int
sqlite_fail(struct db_sqlite *d, int code, const char *what)
{
	return err_set(code, "%s '%s': %s", what, d->path,
	    d->conn ? sqlite3_errmsg(d->conn) : "out of memory");
}

int
sqlite_run(struct db_sqlite *d, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(d->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(EXIT_DB, "sqlite '%s': %s", d->path,
		    msg ? msg : sqlite3_errmsg(d->conn));
		sqlite3_free(msg);
		return -EXIT_DB;
	}
	return 0;
}

/* --- running --------------------------------------------------------------- */

static bool
is_busy(int code)
{
	return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
}

static void
fill_error(struct db_sqlite *d, const char *sql, size_t len,
    struct exec_result *res)
{
	int code = sqlite3_extended_errcode(d->conn);
	int off = sqlite3_error_offset(d->conn);

	res->message = xstrdup(sqlite3_errmsg(d->conn));
	res->retryable = is_busy(code);
	res->lost = (code & 0xff) == SQLITE_IOERR ||
	    (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_FULL ||
	    (code & 0xff) == SQLITE_NOTADB;
	if (off >= 0 && (size_t)off < len) {
		int k, chars = 0;

		for (k = 0; k < off; k++)
			if (((unsigned char)sql[k] & 0xc0) != 0x80)
				chars++;
		res->position = chars + 1;
	}
	if (res->retryable)
		res->blockers = xstrdup("another connection holds the "
					"database's write lock");
}

/*
 * SQLite calls this every few thousand VM steps: past a second, show how
 * long the statement has run, when anyone is looking (db_progress_wanted).
 */
static int
progress_tick(void *arg)
{
	struct db_sqlite  *d = arg;
	int64_t            now = time_mono_us();
	const struct stmt *s = d->running;

	if (now < d->next_progress_us)
		return 0;
	d->next_progress_us = now + 500 * 1000;
	db_progress(&d->base, 0, "  %6.1fs  %s %s",
	    (double)(now - d->started_us) / 1e6,
	    s ? stmt_kind_name(s->kind) : "statement",
	    s && s->index          ? s->index
		: s && s->relation ? s->relation
				   : "");
	return 0;
}

static int
sqlite_exec(struct db *db, const char *sql, size_t len, const struct stmt *s,
    struct exec_result *res)
{
	struct db_sqlite *d = (struct db_sqlite *)db;
	sqlite3_stmt     *st = NULL;
	const char       *tail = NULL;
	int               rc;
	bool              watching;

	res->rows = -1;
	if (len > INT32_MAX) {
		res->message = xstrdup("statement longer than 2 GB");
		return -1;
	}
	if (sqlite3_prepare_v2(d->conn, sql, (int)len, &st, &tail) !=
	    SQLITE_OK) {
		fill_error(d, sql, len, res);
		return -1;
	}
	if (st == NULL)
		return 0; /* only comments */
	if ((watching = db_progress_wanted(db))) {
		d->running = s;
		d->started_us = time_mono_us();
		d->next_progress_us = d->started_us + 1000 * 1000;
		sqlite3_progress_handler(d->conn, 20000, progress_tick, d);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (watching) {
		sqlite3_progress_handler(d->conn, 0, NULL, NULL);
		db_progress_done(db, 0);
	}
	if (rc != SQLITE_DONE) {
		fill_error(d, sql, len, res);
		sqlite3_finalize(st);
		return -1;
	}
	if (s &&
	    (s->kind == KIND_INSERT || s->kind == KIND_UPDATE ||
		s->kind == KIND_DELETE))
		res->rows = sqlite3_changes64(d->conn);
	sqlite3_finalize(st);
	return 0;
}

/*
 * strata's own SQL numbers its parameters $1..$n (the form both databases
 * read). SQLite keeps "$1" (and "?1") in a name list searched linearly per
 * parameter, which goes quadratic on a multi-row log insert with thousands
 * of them. When the numbers appear exactly in order 1..n, as they do in all
 * of strata's SQL, plain "?" means the same and binds directly.
 */
static char *
anonymous_params(const char *sql)
{
	struct buf  out = BUF_INIT;
	const char *p = sql, *dollar;
	long        expect = 1;

	buf_grow(&out, strlen(sql));
	while ((dollar = strchr(p, '$')) != NULL) {
		char *end;
		long  k;

		buf_add(&out, p, (size_t)(dollar - p));
		p = dollar + 1;
		if (*p < '0' || *p > '9') {
			buf_addch(&out, '$');
			continue;
		}
		if ((k = strtol(p, &end, 10)) != expect++) {
			/* Out of order: "?N" binds at index N. */
			char *q, *numbered = xstrdup(sql);

			for (q = numbered; (q = strchr(q, '$')); q++)
				if (q[1] >= '0' && q[1] <= '9')
					*q = '?';
			buf_free(&out);
			return numbered;
		}
		buf_addch(&out, '?');
		p = end;
	}
	buf_adds(&out, p);
	return buf_detach(&out);
}

/* The kept statement for sql, prepared now if need be; NULL on error. */
static sqlite3_stmt *
kept_statement(struct db_sqlite *d, const char *sql)
{
	size_t        i, n = sizeof(d->kept) / sizeof(d->kept[0]);
	sqlite3_stmt *st = NULL;
	char         *text;
	int           rc;

	for (i = 0; i < n; i++)
		if (d->kept[i].sql && strcmp(d->kept[i].sql, sql) == 0)
			return d->kept[i].st;
	text = anonymous_params(sql);
	rc = sqlite3_prepare_v3(d->conn, text, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		sqlite_fail(d, EXIT_DB, "sqlite");
		return NULL;
	}
	i = d->kept_next++ % n;
	sqlite3_finalize(d->kept[i].st);
	free(d->kept[i].sql);
	d->kept[i].sql = xstrdup(sql);
	d->kept[i].st = st;
	return st;
}

static int
sqlite_query(struct db *db, const char *sql, int nparams,
    const char *const *params, db_row_fn fn, void *arg)
{
	struct db_sqlite *d = (struct db_sqlite *)db;
	sqlite3_stmt     *st;
	char             *stack[16], **vals = stack;
	int               rc, i, ncols;

	if ((st = kept_statement(d, sql)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) > nparams)
		return err_set(EXIT_DB, "internal: %d parameters for %d",
		    sqlite3_bind_parameter_count(st), nparams);
	for (i = 0; i < nparams; i++) {
		if (params[i] == NULL)
			sqlite3_bind_null(st, i + 1);
		else
			sqlite3_bind_text(st, i + 1, params[i], -1,
			    SQLITE_STATIC);
	}
	ncols = sqlite3_column_count(st);
	if (ncols > 16)
		vals = xcalloc((size_t)ncols, sizeof(*vals));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++)
			vals[i] = (char *)sqlite3_column_text(st, i);
		if (fn && fn(arg, ncols, vals) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (vals != stack)
		free(vals);
	rc = rc == SQLITE_DONE ? 0 : sqlite_fail(d, EXIT_DB, "sqlite");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int
sqlite_begin(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	if (!sqlite3_get_autocommit(d->conn)) {
		d->joined = true;
		return 0;
	}
	return sqlite_run(d, "BEGIN");
}

static int
sqlite_commit(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	if (d->joined) {
		d->joined = false;
		return 0;
	}
	return sqlite_run(d, "COMMIT");
}

static bool
sqlite_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(((struct db_sqlite *)db)->conn);
}

static int
sqlite_rollback(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	d->joined = false;
	if (!sqlite3_get_autocommit(d->conn))
		sqlite3_exec(d->conn, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

/*
 * Is there a table of this name? A look in the schema SQLite has parsed
 * already answers yes; no, or a failed look, is asked of sqlite_master.
 */
static int
count_cb(void *arg, int ncols, char **v)
{
	*(int *)arg = ncols > 0 && v[0] ? atoi(v[0]) : 0;
	return 0;
}

static int
sqlite_relation_exists(struct db *db, const char *name, bool *exist)
{
	struct db_sqlite *d = (struct db_sqlite *)db;
	const char       *params[1] = { name };
	int               n = 0, rc;

	if (sqlite3_table_column_metadata(d->conn, "main", name, NULL, NULL,
		NULL, NULL, NULL, NULL) == SQLITE_OK) {
		*exist = true;
		return 0;
	}
	rc = sqlite_query(db,
	    "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = $1",
	    1, params, count_cb, &n);
	*exist = n > 0;
	return rc;
}

static int
sqlite_run_own(struct db *db, const char *sql)
{
	return sqlite_run((struct db_sqlite *)db, sql);
}

/* --- facts ----------------------------------------------------------------- */

/*
 * Bytes of the database in use: pages in the file less free pages. The
 * growth across a CREATE INDEX is the index it built, read from the header
 * instead of walking every b-tree (dbstat), which can take longer than
 * building a small index.
 */
static int64_t
pragma_int(struct db_sqlite *d, const char *sql)
{
	sqlite3_stmt *st;
	int64_t       v = -1;

	if (sqlite3_prepare_v2(d->conn, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
used_bytes(struct db_sqlite *d)
{
	int64_t pages = pragma_int(d, "PRAGMA page_count");
	int64_t free_pages = pragma_int(d, "PRAGMA freelist_count");

	/* Fixed once the database has pages: WAL mode cannot change it. */
	if (d->page_size <= 0)
		d->page_size = pragma_int(d, "PRAGMA page_size");
	if (pages < 0 || free_pages < 0 || d->page_size < 0)
		return -1;
	return (pages - free_pages) * d->page_size;
}

static void
sqlite_facts_before(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	if (s->kind == KIND_CREATE_INDEX)
		f->size_before = used_bytes((struct db_sqlite *)db);
}

static void
sqlite_facts_after(struct db *db, const struct stmt *s, struct stmt_facts *f)
{
	int64_t after;

	if (s->kind != KIND_CREATE_INDEX || f->size_before < 0)
		return;
	after = used_bytes((struct db_sqlite *)db);
	if (after >= f->size_before)
		facts_int(&f->facts, "index_size_bytes",
		    after - f->size_before);
}

const struct db_ops db_sqlite_ops = {
	.version = 1,
	.name = "sqlite",
	.dialect = DIALECT_SQLITE,
	.accepts = sqlite_accepts,
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.query = sqlite_query,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.in_transaction = sqlite_in_transaction,
	.lock = sqlite_lock,
	.unlock = sqlite_unlock,
	.run = sqlite_run_own,
	.relation_exists = sqlite_relation_exists,
	.table_key = sqlite_table_key,
	.literal_fn = "quote",
	.facts_before = sqlite_facts_before,
	.facts_after = sqlite_facts_after,
	.snapshot = sqlite_snapshot,
	.catalog = sqlite_catalog,
};
