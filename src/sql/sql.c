/*
 * sql.c - pick the dialect's splitter.
 */
#include "sql.h"

#include <string.h>

#include "../util/error.h"
#include "batch.h"
#include "pg_parse.h"
#include "sqlite_split.h"

const char *
dialect_name(enum dialect d)
{
	switch (d) {
	case DIALECT_POSTGRES: return "postgres";
	case DIALECT_SQLITE: return "sqlite";
	case DIALECT_ANY: break;
	}
	return "any";
}

/*
 * Is `directive` a line of its own in the gap text[from, to) between two
 * statements? The rest of the earlier statement's last line does not
 * count (from is past the statement, so skip to its line's end first).
 */
static bool
gap_directive(const struct sqlfile *f, size_t from, size_t to, bool after_stmt,
    const char *directive)
{
	const char *nl;

	if (after_stmt) {
		if ((nl = memchr(f->text.ptr + from, '\n', to - from)) == NULL)
			return false;
		from = (size_t)(nl - f->text.ptr) + 1;
	}
	return sqlfile_directive_in(f->text.ptr, from, to, directive);
}

/*
 * -- strata:commit on a line of its own between two statements: the
 * transaction ends there (segments_build). -- strata:contract the same
 * way, anywhere between statements: the statements after it are the
 * contract part, and it ends a transaction too. Lines inside a statement
 * (a function's body) do not count.
 */
static int
commit_directives(struct sqlfile *f)
{
	size_t i, n = f->stmts.n, at = 0;
	int    line = 0, col;

	for (i = 0; i <= n; i++) {
		size_t from = i == 0
		    ? f->body
		    : f->stmts.v[i - 1].off + f->stmts.v[i - 1].len;
		size_t to = i < n ? f->stmts.v[i].off : f->text.len;

		if (from > to)
			continue;
		if (i > 0 && i < n)
			f->stmts.v[i].commit_before = gap_directive(f, from, to,
			    true, "-- strata:commit");
		if (!gap_directive(f, from, to, i > 0, CONTRACT_DIRECTIVE))
			continue;
		if (f->phased) {
			text_position(f->text.ptr, f->body, to, &line, &col);
			err_set(EXIT_USAGE,
			    "'%s' has more than one "
			    "'" CONTRACT_DIRECTIVE "' line; a file has one "
			    "expand part and one contract part",
			    f->path);
			err_set_location(f->path,
			    i < n ? f->stmts.v[i].line : line, 0);
			return -EXIT_USAGE;
		}
		f->phased = true;
		at = i;
		if (i < n)
			f->stmts.v[i].commit_before = true;
	}
	f->contract = f->phased ? at : n;
	return 0;
}

int
sql_split(struct sqlfile *f, enum dialect d, int server_version)
{
	int rc;

	if (f->split_done)
		return 0;
	switch (d) {
	case DIALECT_POSTGRES: rc = pg_parse(f, server_version); break;
	case DIALECT_SQLITE: rc = sqlite_split(f); break;
	default:
		return err_set(EXIT_USAGE, "internal: no dialect to split '%s'",
		    f->path);
	}
	if (rc == 0 && (rc = sql_batch_directives(f, d)) < 0)
		stmt_list_free(&f->stmts);
	if (rc == 0 && (rc = commit_directives(f)) < 0)
		stmt_list_free(&f->stmts);
	if (rc == 0)
		f->split_done = true;
	return rc;
}
