/*
 * prepare.c - every file a run needs read, split, classified and checked
 * before its first statement: what is not SQL, transaction control
 * where it may not be, a file without statements, a pair still as
 * `strata new` wrote it.
 */
#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "../sql/sql.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/log.h"

static int
error_at(int code, const struct sqlfile *f, const struct stmt *s,
    const char *fmt, const char *what)
{
	err_set(code, fmt, what);
	err_set_location(f->path, s->line, s->column);
	return -code;
}

int
runner_prepare_file(const struct db *db, struct sqlfile *f)
{
	size_t i;
	int    rc;

	if (f->split_done)
		return 0;
	if ((rc = sqlfile_need_text(f, EXIT_USAGE)) < 0 ||
	    (rc = sqlfile_check_text(f)) < 0)
		return rc;
	if ((rc = sql_split(f, db->ops->dialect, db->server_version)) < 0)
		return rc;
	for (i = 0; i < f->stmts.n; i++) {
		const struct stmt *s = &f->stmts.v[i];
		char              *first;

		if (f->text.ptr[s->off] == '\\') {
			first = stmt_first_line(f->text.ptr, s, 60);
			rc = error_at(EXIT_USAGE, f, s,
			    "psql meta-command '%s' "
			    "is not SQL; strata runs SQL only",
			    first);
			free(first);
			return rc;
		}
		if (s->kind == KIND_TRANSACTION && !f->no_tx) {
			first = stmt_first_line(f->text.ptr, s, 60);
			rc = error_at(EXIT_USAGE, f, s,
			    "transaction control "
			    "'%s' is not allowed here: strata runs each "
			    "migration in its own transaction (mark the file "
			    "'-- strata:no-transaction' to manage transactions "
			    "yourself)",
			    first);
			free(first);
			return rc;
		}
	}
	return 0;
}

/* Files that hold no statement: said once, together (runner_empty_report). */
static struct {
	char **v;
	size_t n;
	size_t alloc;
} empty;

int
runner_prepare(const struct db *db, struct migration *m, bool down)
{
	struct sqlfile *f = down ? &m->down : &m->up;
	int             rc;

	if ((rc = runner_prepare_file(db, f)) < 0 || f->stmts.n > 0)
		return rc;
	/* Nothing written in either file yet: that run would be a mistake. */
	if (m->up_file != NULL && m->down_file != NULL) {
		if ((rc = sqlfile_need_text(&m->up, EXIT_USAGE)) < 0 ||
		    (rc = sqlfile_need_text(&m->down, EXIT_USAGE)) < 0)
			return rc;
		if (sqlfile_is_template(&m->up, false) &&
		    sqlfile_is_template(&m->down, true)) {
			rc = err_set(EXIT_USAGE,
			    "'%s' and '%s' are still as 'strata new' wrote "
			    "them: write the change and its undo",
			    m->up.path, m->down.path);
			err_set_version(m->version);
			err_set_location(f->path, 0, 0);
			return rc;
		}
	}
	if (!f->warned_empty) {
		ARRAY_GROW(empty.v, empty.n + 1, empty.alloc);
		empty.v[empty.n++] = xstrdup(f->path);
	}
	f->warned_empty = true;
	return 0;
}

/* How many statement-less files are named before "and N more". */
#define EMPTY_NAMED 3

void
runner_empty_report(void)
{
	struct buf b = BUF_INIT;
	size_t     i, named;

	if (empty.n == 1)
		log_warn("'%s' holds no SQL statements; it runs as 0 "
			 "statements",
		    empty.v[0]);
	else if (empty.n > 1) {
		named = log_get_level() >= LOG_VERBOSE || empty.n <= EMPTY_NAMED
		    ? empty.n
		    : EMPTY_NAMED;
		buf_addf(&b,
		    "%zu files hold no SQL statements; each runs as 0 "
		    "statements: ",
		    empty.n);
		for (i = 0; i < named; i++)
			buf_addf(&b, "%s'%s'", i ? ", " : "", empty.v[i]);
		if (named < empty.n)
			buf_addf(&b, " and %zu more (-v names them all)",
			    empty.n - named);
		log_warn("%s", b.ptr);
		buf_free(&b);
	}
	for (i = 0; i < empty.n; i++)
		free(empty.v[i]);
	free(empty.v);
	memset(&empty, 0, sizeof(empty));
}
