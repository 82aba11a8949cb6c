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
 * -- strata:commit on a line of its own between two statements: the
 * transaction ends there (segments_build). Lines inside a statement (a
 * function's body) and the rest of a statement's last line do not count.
 */
static void
commit_directives(struct sqlfile *f)
{
	size_t i;

	for (i = 1; i < f->stmts.n; i++) {
		const struct stmt *prev = &f->stmts.v[i - 1];
		size_t             from = prev->off + prev->len;
		const char        *nl = memchr(f->text.ptr + from, '\n',
			   f->stmts.v[i].off - from);

		if (nl != NULL)
			f->stmts.v[i].commit_before =
			    sqlfile_directive_in(f->text.ptr,
				(size_t)(nl - f->text.ptr) + 1,
				f->stmts.v[i].off, "-- strata:commit");
	}
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
	if (rc == 0)
		commit_directives(f);
	if (rc == 0)
		f->split_done = true;
	return rc;
}
