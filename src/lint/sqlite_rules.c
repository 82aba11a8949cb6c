/*
 * sqlite_rules.c - the SQLite rules, over each statement's tokens.
 *
 * SQLite has no lock levels to speak of (a write takes the database's one
 * write lock); what hurts there is what fails on existing rows or breaks
 * the application running the old schema, and what SQLite silently does
 * not do inside a transaction.
 */
#include "lint.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sql/sqlite_split.h"
#include "../util/buf.h"

struct toks {
	const char       *text;
	struct sql_token *v;
	size_t            n;
};

static bool
is(const struct toks *t, size_t i, const char *word)
{
	return i < t->n && t->v[i].type == TOKEN_WORD &&
	    t->v[i].len == strlen(word) &&
	    strncasecmp(t->text + t->v[i].off, word, t->v[i].len) == 0;
}

/* The name at token i (the last part of a.b), unquoted, in a new string. */
static char *
name_at(const struct toks *t, size_t *i)
{
	const struct sql_token *k;
	struct buf              b = BUF_INIT;
	size_t                  j;

	while (*i + 2 < t->n && t->v[*i + 1].type == TOKEN_PUNCT &&
	    t->text[t->v[*i + 1].off] == '.')
		*i += 2;
	if (*i >= t->n)
		return NULL;
	k = &t->v[(*i)++];
	if (k->type == TOKEN_WORD)
		return xstrndup(t->text + k->off, k->len);
	if (k->type != TOKEN_QUOTED || k->len < 2)
		return NULL;
	for (j = 1; j + 1 < k->len; j++)
		buf_addch(&b, t->text[k->off + j]);
	if (b.len == 0)
		buf_adds(&b, "");
	return buf_detach(&b);
}

static size_t
offset_of(const struct lint_stmt *ls, const struct toks *t, size_t i)
{
	return i < t->n ? t->v[i].off - ls->s->off : 0;
}

/* Is the expression from token i on a constant (a literal, signed)? */
static bool
constant_at(const struct toks *t, size_t i)
{
	if (i < t->n && t->v[i].type == TOKEN_PUNCT &&
	    (t->text[t->v[i].off] == '-' || t->text[t->v[i].off] == '+'))
		i++;
	if (i >= t->n)
		return false;
	if (t->v[i].type == TOKEN_STRING)
		return true;
	if (t->v[i].type == TOKEN_WORD)
		return (t->text[t->v[i].off] >= '0' &&
			   t->text[t->v[i].off] <= '9') ||
		    is(t, i, "NULL") || is(t, i, "TRUE") || is(t, i, "FALSE");
	/* CURRENT_TIMESTAMP and its kin are not: ADD COLUMN refuses them. */
	return false;
}

static void
add_column(struct lint_stmt *ls, const struct toks *t, const char *table,
    size_t i)
{
	size_t at, k;
	bool   not_null = false, dflt = false, dflt_constant = true;
	char  *col;

	if (is(t, i, "COLUMN"))
		i++;
	/* At the column's name, as on PostgreSQL. */
	at = offset_of(ls, t, i);
	col = name_at(t, &i);
	for (k = i; k < t->n; k++) {
		if (is(t, k, "NOT") && is(t, k + 1, "NULL"))
			not_null = true;
		if (is(t, k, "DEFAULT")) {
			dflt = true;
			/* DEFAULT (expr) and DEFAULT f(x) are not constants. */
			if (k + 1 < t->n && t->v[k + 1].type == TOKEN_PUNCT &&
			    t->text[t->v[k + 1].off] == '(')
				dflt_constant = false;
			else if (!constant_at(t, k + 1))
				dflt_constant = false;
		}
	}
	if (not_null && !dflt)
		lint_report(ls, R_ADDING_REQUIRED_FIELD, at, table, NULL, NULL,
		    "give the column a DEFAULT, or leave it nullable",
		    "ADD COLUMN \"%s\" NOT NULL without a default fails on "
		    "existing table \"%s\" (SQLite refuses it outright)",
		    col ? col : "?", table);
	if (dflt && !dflt_constant)
		lint_report(ls, R_SQLITE_NON_CONSTANT_DEFAULT, at, table, NULL,
		    NULL,
		    "add the column with a constant default (or none), then "
		    "UPDATE it",
		    "ADD COLUMN \"%s\" with a non-constant default: SQLite "
		    "refuses it (\"Cannot add a column with non-constant "
		    "default\")",
		    col ? col : "?");
	free(col);
}

static void
alter_table(struct lint_stmt *ls, const struct toks *t)
{
	size_t i = 2;
	char  *table = name_at(t, &i);
	bool   fresh = table == NULL || lint_table_is_new(ls->run, table);

	if (table == NULL)
		return;
	if (is(t, i, "ADD") && !fresh)
		add_column(ls, t, table, i + 1);
	else if (is(t, i, "DROP") && !fresh && !ls->down) {
		size_t k = i + 1;
		char  *col;

		if (is(t, k, "COLUMN"))
			k++;
		col = name_at(t, &k);
		lint_report(ls, R_BAN_DROP_COLUMN, offset_of(ls, t, i), table,
		    NULL, NULL,
		    "stop reading the column in the application and deploy "
		    "that first; drop it in a later migration",
		    "DROP COLUMN \"%s\" breaks the application still reading it",
		    col ? col : "?")
		    ->col_name = col;
	} else if (is(t, i, "RENAME") && !fresh && !ls->down) {
		if (is(t, i + 1, "TO"))
			lint_report(ls, R_RENAMING_TABLE, offset_of(ls, t, i),
			    table, NULL, NULL,
			    "create the new table, move the application, then "
			    "drop the old one later",
			    "RENAME TO breaks the application still using \"%s\"",
			    table);
		else
			lint_report(ls, R_RENAMING_COLUMN, offset_of(ls, t, i),
			    table, NULL, NULL,
			    "add the new column, write both, move the readers, "
			    "then drop the old one later",
			    "RENAME COLUMN breaks the application still using the "
			    "old name");
	}
	free(table);
}

static void
create(struct lint_stmt *ls, const struct toks *t)
{
	size_t i = 1;
	char  *table;

	if (is(t, i, "TEMP") || is(t, i, "TEMPORARY"))
		i++;
	if (!is(t, i, "TABLE"))
		return;
	i++;
	if (is(t, i, "IF") && is(t, i + 1, "NOT") && is(t, i + 2, "EXISTS"))
		i += 3;
	table = name_at(t, &i);
	lint_table_created(ls->run, table);
	free(table);
}

/* Is a table renamed to `name` later in the file (a rebuilt table)? */
static bool
swapped_later(const struct lint_stmt *ls, const char *name)
{
	size_t i, k;
	bool   found = false;

	for (i = ls->index + 1; i < ls->file->stmts.n && !found; i++) {
		struct toks later;
		char       *to;

		later.text = ls->file->text.ptr;
		later.n = sqlite_tokens(later.text, &ls->file->stmts.v[i],
		    &later.v);
		k = 2;
		if (is(&later, 0, "ALTER") && is(&later, 1, "TABLE")) {
			free(name_at(&later, &k));
			if (is(&later, k, "RENAME") &&
			    is(&later, k + 1, "TO")) {
				k += 2;
				to = name_at(&later, &k);
				found = to && strcasecmp(to, name) == 0;
				free(to);
			}
		}
		free(later.v);
	}
	return found;
}

static void
drop(struct lint_stmt *ls, const struct toks *t)
{
	size_t i = 2;
	char  *table;

	if (!is(t, 1, "TABLE"))
		return;
	if (is(t, i, "IF") && is(t, i + 1, "EXISTS"))
		i += 2;
	table = name_at(t, &i);
	if (table && !lint_table_is_new(ls->run, table) && !ls->down &&
	    !swapped_later(ls, table))
		lint_report(ls, R_BAN_DROP_TABLE, 0, table, NULL, NULL,
		    "stop using the table in the application and deploy that "
		    "first; drop it in a later migration",
		    "DROP TABLE \"%s\" breaks the application still reading it",
		    table);
	lint_table_dropped(ls->run, table);
	free(table);
}

static void
pragma(struct lint_stmt *ls, const struct toks *t)
{
	size_t i = 1;
	char  *name = name_at(t, &i);

	if (name && ls->in_tx &&
	    (strcasecmp(name, "foreign_keys") == 0 ||
		strcasecmp(name, "legacy_alter_table") == 0 ||
		strcasecmp(name, "journal_mode") == 0))
		lint_report(ls, R_SQLITE_PRAGMA_IN_TRANSACTION, 0, NULL, NULL,
		    NULL,
		    "put it in a '-- strata:no-transaction' file, before the "
		    "statements it is for",
		    "PRAGMA %s does nothing inside a transaction, and strata "
		    "runs this file in one",
		    name);
	free(name);
}

void
lint_sqlite_stmt(struct lint_stmt *ls)
{
	struct toks t;

	t.text = ls->file->text.ptr;
	t.n = sqlite_tokens(t.text, ls->s, &t.v);
	if (is(&t, 0, "ALTER") && is(&t, 1, "TABLE"))
		alter_table(ls, &t);
	else if (is(&t, 0, "CREATE"))
		create(ls, &t);
	else if (is(&t, 0, "DROP"))
		drop(ls, &t);
	else if (is(&t, 0, "PRAGMA"))
		pragma(ls, &t);
	free(t.v);
}
