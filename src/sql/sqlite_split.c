/*
 * sqlite_split.c - SQLite statements: tokens, statement ends, kinds.
 *
 * SQLite's grammar is small at the level a splitter needs: words, quoted
 * identifiers ("", ``, []), strings (''), comments, punctuation. A ';'
 * ends a statement except inside a trigger body, which ends at "END ;"
 * after a ';' (the rule sqlite3_complete() follows). A statement is
 * classified by its tokens; sqlite_tokens() gives them again to whoever
 * reads it later (the linter), rather than every statement of a 100 MB
 * file holding its own. No connection is needed, and <sqlite3.h> stays
 * the driver's alone.
 */
#include "sqlite_split.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/error.h"

/* A token as the splitter sees it; spaces and comments are one kind. */
enum lex {
	LEX_SPACE,
	LEX_SEMI,
	LEX_TOKEN,     /* anything kept: see enum sql_token_type */
	LEX_BAD_QUOTE, /* runs to the end of the text */
	LEX_BAD_COMMENT,
};

static bool
word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Scan the token at i; set its end and, for kept ones, its type. */
static enum lex
lex(const char *s, size_t n, size_t i, size_t *end, enum sql_token_type *type)
{
	unsigned char c = (unsigned char)s[i];
	char          close;

	if (isspace(c)) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		*end = i;
		return LEX_SPACE;
	}
	if (c == '-' && i + 1 < n && s[i + 1] == '-') {
		while (i < n && s[i] != '\n')
			i++;
		*end = i;
		return LEX_SPACE;
	}
	if (c == '/' && i + 1 < n && s[i + 1] == '*') {
		for (i += 2; i + 1 < n; i++)
			if (s[i] == '*' && s[i + 1] == '/') {
				*end = i + 2;
				return LEX_SPACE;
			}
		*end = n;
		return LEX_BAD_COMMENT;
	}
	if (c == ';') {
		*end = i + 1;
		return LEX_SEMI;
	}
	if (c == '\'' || c == '"' || c == '`' || c == '[') {
		close = c == '[' ? ']' : (char)c;
		*type = c == '\'' ? TOKEN_STRING : TOKEN_QUOTED;
		for (i++; i < n; i++) {
			if (s[i] != close)
				continue;
			/* A doubled quote stands for itself ([] has no escape). */
			if (close != ']' && i + 1 < n && s[i + 1] == close) {
				i++;
				continue;
			}
			*end = i + 1;
			return LEX_TOKEN;
		}
		*end = n;
		return LEX_BAD_QUOTE;
	}
	if (word_char(c)) {
		while (i < n && word_char((unsigned char)s[i]))
			i++;
		*end = i;
		*type = TOKEN_WORD;
		return LEX_TOKEN;
	}
	*end = i + 1;
	*type = TOKEN_PUNCT;
	return LEX_TOKEN;
}

/*
 * Where a statement stands on the way to its end. A trigger's body holds
 * ';'s of its own: after CREATE [TEMP] TRIGGER only "; END ;" ends it.
 */
enum state {
	ST_START, /* nothing yet, or just past the end of a statement */
	ST_NORMAL,
	ST_EXPLAIN,
	ST_CREATE,
	ST_TRIGGER,
	ST_SEMI, /* in a trigger, after a ';' */
	ST_END,  /* in a trigger, after "; END" */
};

static bool
token_is(const char *s, const struct sql_token *t, const char *word)
{
	return t->type == TOKEN_WORD && t->len == strlen(word) &&
	    strncasecmp(s + t->off, word, t->len) == 0;
}

static enum state
step(enum state st, const char *s, const struct sql_token *t, bool semi)
{
	if (semi)
		return st == ST_TRIGGER || st == ST_SEMI ? ST_SEMI : ST_START;
	switch (st) {
	case ST_START:
		if (token_is(s, t, "EXPLAIN"))
			return ST_EXPLAIN;
		return token_is(s, t, "CREATE") ? ST_CREATE : ST_NORMAL;
	case ST_EXPLAIN:
		return token_is(s, t, "CREATE") ? ST_CREATE : ST_NORMAL;
	case ST_CREATE:
		if (token_is(s, t, "TEMP") || token_is(s, t, "TEMPORARY"))
			return ST_CREATE;
		return token_is(s, t, "TRIGGER") ? ST_TRIGGER : ST_NORMAL;
	case ST_SEMI: return token_is(s, t, "END") ? ST_END : ST_TRIGGER;
	case ST_END:
	case ST_TRIGGER: return ST_TRIGGER;
	case ST_NORMAL: break;
	}
	return ST_NORMAL;
}

/* A statement's tokens while it is read. */
struct tokens {
	const struct sql_token *v;
	size_t                  n;
};

/* The name at tokens[*i] ("schema"."name" gives name), unquoted. */
static char *
name_at(const char *s, const struct tokens *st, size_t *i)
{
	const struct sql_token *t;
	struct buf              b = BUF_INIT;
	size_t                  k;

	for (;;) {
		if (*i >= st->n)
			return NULL;
		t = &st->v[(*i)++];
		if (t->type != TOKEN_WORD && t->type != TOKEN_QUOTED)
			return NULL;
		if (*i + 1 < st->n && st->v[*i].type == TOKEN_PUNCT &&
		    s[st->v[*i].off] == '.') {
			(*i)++;
			continue;
		}
		break;
	}
	if (t->type == TOKEN_WORD)
		return xstrndup(s + t->off, t->len);
	/* Drop the quotes; a doubled quote inside stands for one. */
	for (k = 1; k + 1 < t->len; k++) {
		buf_addch(&b, s[t->off + k]);
		if (s[t->off] != '[' && s[t->off + k] == s[t->off] &&
		    k + 2 < t->len)
			k++;
	}
	if (b.len == 0)
		buf_adds(&b, "");
	return buf_detach(&b);
}

static bool
word_at(const char *s, const struct tokens *st, size_t i, const char *word)
{
	return i < st->n && token_is(s, &st->v[i], word);
}

static void
classify(struct stmt *out, const char *s, const struct tokens *st)
{
	size_t i = 1;

	if (word_at(s, st, 0, "BEGIN") || word_at(s, st, 0, "COMMIT") ||
	    word_at(s, st, 0, "END") ||
	    (word_at(s, st, 0, "ROLLBACK") && !word_at(s, st, 1, "TO") &&
		!(word_at(s, st, 1, "TRANSACTION") &&
		    word_at(s, st, 2, "TO")))) {
		out->kind = KIND_TRANSACTION;
		return;
	}
	if (word_at(s, st, 0, "VACUUM")) {
		out->kind = KIND_VACUUM;
		out->nontx = true;
	} else if (word_at(s, st, 0, "ANALYZE"))
		out->kind = KIND_ANALYZE;
	else if (word_at(s, st, 0, "REINDEX"))
		out->kind = KIND_REINDEX;
	else if (word_at(s, st, 0, "INSERT") || word_at(s, st, 0, "REPLACE"))
		out->kind = KIND_INSERT;
	else if (word_at(s, st, 0, "UPDATE"))
		out->kind = KIND_UPDATE;
	else if (word_at(s, st, 0, "DELETE"))
		out->kind = KIND_DELETE;
	else if (word_at(s, st, 0, "SELECT") || word_at(s, st, 0, "WITH") ||
	    word_at(s, st, 0, "VALUES"))
		out->kind = KIND_SELECT;
	else if (word_at(s, st, 0, "PRAGMA"))
		out->kind = KIND_PRAGMA;
	else if (word_at(s, st, 0, "ALTER")) {
		out->kind = KIND_ALTER_TABLE;
		if (word_at(s, st, 1, "TABLE")) {
			i = 2;
			out->relation = name_at(s, st, &i);
			if (word_at(s, st, i, "RENAME"))
				out->kind = KIND_RENAME;
		}
	} else if (word_at(s, st, 0, "DROP")) {
		if (word_at(s, st, 1, "INDEX"))
			out->kind = KIND_DROP_INDEX;
		else if (word_at(s, st, 1, "TABLE"))
			out->kind = KIND_DROP_TABLE;
		else if (word_at(s, st, 1, "VIEW"))
			out->kind = KIND_DROP_VIEW;
		else if (word_at(s, st, 1, "TRIGGER"))
			out->kind = KIND_DROP_TRIGGER;
		else
			out->kind = KIND_DROP_OTHER;
	} else if (word_at(s, st, 0, "CREATE")) {
		if (word_at(s, st, i, "TEMP") ||
		    word_at(s, st, i, "TEMPORARY") ||
		    word_at(s, st, i, "UNIQUE") || word_at(s, st, i, "VIRTUAL"))
			i++;
		if (word_at(s, st, i, "TABLE"))
			out->kind = KIND_CREATE_TABLE;
		else if (word_at(s, st, i, "VIEW"))
			out->kind = KIND_CREATE_VIEW;
		else if (word_at(s, st, i, "TRIGGER"))
			out->kind = KIND_CREATE_TRIGGER;
		else if (word_at(s, st, i, "INDEX")) {
			out->kind = KIND_CREATE_INDEX;
			i++;
			if (word_at(s, st, i, "IF") &&
			    word_at(s, st, i + 1, "NOT") &&
			    word_at(s, st, i + 2, "EXISTS")) {
				out->if_not_exists = true;
				i += 3;
			}
			out->index = name_at(s, st, &i);
			if (word_at(s, st, i, "ON")) {
				i++;
				out->relation = name_at(s, st, &i);
			}
		}
	}
}

static int
split_error(struct sqlfile *f, size_t off, const char *what)
{
	int line, col;

	text_position(f->text.ptr, f->body, off, &line, &col);
	err_set(EXIT_USAGE, "%s", what);
	err_set_location(f->path, line, col);
	return -EXIT_USAGE;
}

/* Close the statement [start, end), classified by its tokens. */
static int
add_stmt(struct sqlfile *f, struct text_cursor *cur, size_t start, size_t end,
    const struct sql_token *tokens, size_t ntokens)
{
	struct stmt  *st;
	struct tokens t = { tokens, ntokens };

	/* psql's COPY with data lines: never SQLite's, and refused whole. */
	if (token_is(f->text.ptr, &tokens[0], "COPY"))
		return split_error(f, start,
		    "COPY is not SQLite SQL (its data needs a client that "
		    "streams it, such as psql): use INSERT");
	st = stmt_list_push(&f->stmts);
	st->off = start;
	st->len = end - start;
	text_cursor_to(cur, f->text.ptr, start, &st->line, &st->column);
	classify(st, f->text.ptr, &t);
	return 0;
}

size_t
sqlite_tokens(const char *text, const struct stmt *st, struct sql_token **out)
{
	size_t              i = st->off, end, n = 0, alloc = 0;
	size_t              stop = st->off + st->len;
	enum sql_token_type type = TOKEN_PUNCT;

	*out = NULL;
	while (i < stop) {
		enum lex l = lex(text, stop, i, &end, &type);

		if (l == LEX_TOKEN) {
			ARRAY_GROW(*out, n + 1, alloc);
			(*out)[n].off = i;
			(*out)[n].len = end - i;
			(*out)[n].type = type;
			n++;
		}
		i = end;
	}
	return n;
}

int
sqlite_split(struct sqlfile *f)
{
	const char *s = f->text.ptr;
	size_t      n = f->text.len, i = f->body, end, start = 0, ntok = 0,
	       alloc = 0;
	struct sql_token   *tok = NULL;
	enum state          st = ST_START;
	struct text_cursor  cur;
	enum sql_token_type type = TOKEN_PUNCT;
	int                 rc = 0;

	text_cursor_init(&cur, f->body);
	while (i < n) {
		enum lex l = lex(s, n, i, &end, &type);

		if (l == LEX_BAD_COMMENT) {
			rc = split_error(f, i, "unterminated /* comment");
			goto out;
		}
		if (l == LEX_BAD_QUOTE) {
			rc = split_error(f, ntok ? start : i,
			    "statement never "
			    "ends: an unterminated quote, or a trigger body "
			    "without END");
			goto out;
		}
		if (l == LEX_SPACE) {
			i = end;
			continue;
		}
		if (l == LEX_SEMI) {
			st = step(st, s, NULL, true);
			if (st == ST_START) {
				/* A lone ';' is no statement. */
				if (ntok > 0 &&
				    (rc = add_stmt(f, &cur, start, end, tok,
					 ntok)) < 0)
					goto out;
				ntok = 0;
			}
			i = end;
			continue;
		}
		if (ntok == 0)
			start = i;
		ARRAY_GROW(tok, ntok + 1, alloc);
		tok[ntok].off = i;
		tok[ntok].len = end - i;
		tok[ntok].type = type;
		st = step(st, s, &tok[ntok], false);
		ntok++;
		i = end;
	}
	if (ntok > 0) {
		/* Text after the last ';' ends there, unless a trigger is open. */
		if (st == ST_TRIGGER || st == ST_SEMI) {
			rc = split_error(f, start,
			    "statement never ends: an "
			    "unterminated quote, or a trigger body without END");
			goto out;
		}
		end = tok[ntok - 1].off + tok[ntok - 1].len;
		rc = add_stmt(f, &cur, start, end, tok, ntok);
	}
out:
	free(tok);
	return rc;
}
