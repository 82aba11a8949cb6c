/*
 * sql.c - pick the dialect's splitter.
 */
#include "sql.h"

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
		f->split_done = true;
	return rc;
}
