/*
 * batch.c - -- strata:batch directives: parsed, attached to the statement
 * that follows, and that statement's shape read from its tokens (the
 * dialect's own scanner: PostgreSQL's, or the SQLite splitter's).
 */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/duration.h"
#include "../util/error.h"
#include "pg_parse.h"
#include "sqlite_split.h"

#define DIRECTIVE "-- strata:batch"

static int
directive_error(const struct sqlfile *f, int line, const char *why,
    const char *what)
{
	err_set(EXIT_USAGE, "-- strata:batch: %s%s%s", why, what ? " " : "",
	    what ? what : "");
	err_set_location(f->path, line, 1);
	return -EXIT_USAGE;
}

/* "[N] [pause=DURATION] [repeat]", in any order, each at most once. */
static int
parse_args(const struct sqlfile *f, const char *s, size_t len,
    struct batch_spec *b)
{
	char  *args = xstrndup(s, len), *save = NULL, *w;
	bool   sized = false;
	int    rc = 0;
	size_t i;

	for (i = 0; args[i]; i++)
		if (args[i] == '\t' || args[i] == '\r')
			args[i] = ' ';
	for (w = strtok_r(args, " ", &save); w && rc == 0;
	     w = strtok_r(NULL, " ", &save)) {
		char   *end;
		int64_t n;

		if (strcmp(w, "repeat") == 0 && !b->repeat)
			b->repeat = true;
		else if (strncmp(w, "pause=", 6) == 0 && b->pause_ms < 0) {
			if (duration_parse(w + 6, &n) < 0)
				rc = directive_error(f, b->line,
				    "pause takes a duration (500ms, 5s), not",
				    w + 6);
			else
				b->pause_ms = n;
		} else if (w[0] >= '0' && w[0] <= '9' && !sized) {
			n = strtoll(w, &end, 10);
			if (*end != '\0' || n < 1 || n > BATCH_MAX_SIZE)
				rc = directive_error(f, b->line,
				    "the batch size is 1 to 10000000 rows, "
				    "not",
				    w);
			b->size = n;
			sized = true;
		} else
			rc = directive_error(f, b->line,
			    "takes [N] [pause=DURATION] [repeat], "
			    "each once; not",
			    w);
	}
	free(args);
	return rc;
}

static bool
word_is(const char *text, const struct sql_token *t, const char *w)
{
	return t->type == TOKEN_WORD && t->len == strlen(w) &&
	    strncasecmp(text + t->off, w, t->len) == 0;
}

static bool
punct_is(const char *text, const struct sql_token *t, char c)
{
	return t->type == TOKEN_PUNCT && t->len == 1 && text[t->off] == c;
}

static bool
is_name(const struct sql_token *t)
{
	return t->type == TOKEN_WORD || t->type == TOKEN_QUOTED;
}

/* Words after the target that are not its alias. */
static bool
clause_word(const char *text, const struct sql_token *t)
{
	static const char *const words[] = { "SET", "USING", "WHERE",
		"RETURNING", "INDEXED", "NOT", "FROM", "ORDER", "LIMIT", NULL };
	size_t                   i;

	for (i = 0; words[i]; i++)
		if (word_is(text, t, words[i]))
			return true;
	return false;
}

/*
 * The target table, its alias, and where a key range goes: after WHERE's
 * condition, or as a WHERE of its own, before any RETURNING. NULL when
 * the shape is fine, else why it cannot be batched.
 */
static const char *
read_shape(const char *text, const struct sql_token *tok, size_t n,
    struct batch_spec *b)
{
	size_t i, depth = 0, name, alias = n, last = n, where = n;
	bool   update;

	for (i = 0; i < n; i++) {
		if (punct_is(text, &tok[i], '('))
			depth++;
		else if (punct_is(text, &tok[i], ')') && depth > 0)
			depth--;
		else if (depth == 0 &&
		    (word_is(text, &tok[i], "UPDATE") ||
			word_is(text, &tok[i], "DELETE")))
			break;
	}
	if (i == n)
		return "it precedes neither an UPDATE nor a DELETE (add "
		       "'repeat' to run other statements until they change "
		       "no rows)";
	update = word_is(text, &tok[i], "UPDATE");
	i++;
	if (update && i + 1 < n && word_is(text, &tok[i], "OR"))
		i += 2;
	else if (!update && i < n && word_is(text, &tok[i], "FROM"))
		i++;
	if (i < n && word_is(text, &tok[i], "ONLY"))
		i++;
	if (i >= n || !is_name(&tok[i]))
		return "its statement names no table it changes";
	name = i++;
	while (
	    i + 1 < n && punct_is(text, &tok[i], '.') && is_name(&tok[i + 1]))
		i += 2;
	b->table = xstrndup(text + tok[name].off,
	    tok[i - 1].off + tok[i - 1].len - tok[name].off);
	if (i < n && punct_is(text, &tok[i], '*'))
		i++;
	if (i + 1 < n && word_is(text, &tok[i], "AS") && is_name(&tok[i + 1]))
		alias = i + 1, i += 2;
	else if (i < n && is_name(&tok[i]) && !clause_word(text, &tok[i]))
		alias = i++;
	b->qualifier = alias < n
	    ? xstrndup(text + tok[alias].off, tok[alias].len)
	    : xstrdup(b->table);
	last = i - 1; /* the target, or its alias */
	for (depth = 0; i < n; i++) {
		if (punct_is(text, &tok[i], ';'))
			break;
		last = i;
		if (punct_is(text, &tok[i], '(')) {
			depth++;
			continue;
		}
		if (punct_is(text, &tok[i], ')') && depth > 0) {
			depth--;
			continue;
		}
		if (depth == 0 && word_is(text, &tok[i], "RETURNING")) {
			last = i - 1;
			break;
		}
		if (depth == 0 && where == n && word_is(text, &tok[i], "WHERE"))
			where = i;
		if (depth == 0 &&
		    (word_is(text, &tok[i], "ORDER") ||
			word_is(text, &tok[i], "LIMIT")))
			return "a batched statement cannot have an ORDER BY or "
			       "LIMIT of its own (use 'repeat' for a statement "
			       "that limits itself)";
	}
	if (where < n && where + 2 < n &&
	    word_is(text, &tok[where + 1], "CURRENT") &&
	    word_is(text, &tok[where + 2], "OF"))
		return "WHERE CURRENT OF cannot be batched";
	if (where < n && last == where)
		return "its WHERE has no condition";
	b->where_end = where < n ? tok[where].off + tok[where].len : 0;
	b->cond_end = tok[last].off + tok[last].len;
	return NULL;
}

/* The statement the directive at `off` belongs to, or why none. */
static const char *
owner_of(const struct sqlfile *f, size_t off, size_t *index)
{
	size_t i;

	for (i = 0; i < f->stmts.n; i++) {
		const struct stmt *s = &f->stmts.v[i];

		if (s->off > off) {
			*index = i;
			return NULL;
		}
		if (off < s->off + s->len)
			return "it is inside a statement; put it on a line of "
			       "its own before the statement";
	}
	return "no statement follows it";
}

static int
attach(struct sqlfile *f, enum dialect d, size_t off, size_t len, int line)
{
	struct batch_spec *b = xcalloc(1, sizeof(*b));
	struct stmt       *s;
	struct sql_token  *tok = NULL;
	const char        *why;
	size_t             index = 0, n;
	int                rc;

	b->size = BATCH_DEFAULT_SIZE;
	b->pause_ms = -1;
	b->line = line;
	if ((rc = parse_args(f, f->text.ptr + off, len, b)) < 0)
		goto fail;
	if ((why = owner_of(f, off, &index)) != NULL) {
		rc = directive_error(f, line, why, NULL);
		goto fail;
	}
	s = &f->stmts.v[index];
	if (s->batch != NULL) {
		rc = directive_error(f, line,
		    "a second batch directive for one statement", NULL);
		goto fail;
	}
	if (b->repeat) {
		if (s->kind != KIND_UPDATE && s->kind != KIND_DELETE &&
		    s->kind != KIND_INSERT) {
			rc = directive_error(f, line,
			    "'repeat' runs an INSERT, UPDATE or DELETE; the "
			    "statement after it is",
			    stmt_kind_name(s->kind));
			goto fail;
		}
	} else {
		n = d == DIALECT_POSTGRES ? pg_tokens(f->text.ptr, s, &tok)
					  : sqlite_tokens(f->text.ptr, s, &tok);
		if ((why = read_shape(f->text.ptr, tok, n, b)) != NULL) {
			free(tok);
			rc = directive_error(f, line, why, NULL);
			goto fail;
		}
		free(tok);
	}
	s->batch = b;
	s->nontx = true;
	return 0;
fail:
	batch_spec_free(b);
	return rc;
}

int
sql_batch_directives(struct sqlfile *f, enum dialect d)
{
	const char *t = f->text.ptr;
	size_t      i = f->body, dlen = strlen(DIRECTIVE);
	int         line = 1, rc;

	/* Most files have none: look for the text before reading lines. */
	if (strstr(t + f->body, DIRECTIVE) == NULL)
		return 0;
	while (i < f->text.len) {
		size_t s = i, e;

		while (i < f->text.len && t[i] != '\n')
			i++;
		e = i;
		while (s < e && (t[s] == ' ' || t[s] == '\t'))
			s++;
		if (e - s >= dlen && memcmp(t + s, DIRECTIVE, dlen) == 0 &&
		    (e - s == dlen || t[s + dlen] == ' ' ||
			t[s + dlen] == '\t' || t[s + dlen] == '\r') &&
		    (rc = attach(f, d, s + dlen, e - s - dlen, line)) < 0)
			return rc;
		i++;
		line++;
	}
	return 0;
}

char *
batch_statement(const char *text, const struct stmt *s, const char *cond)
{
	const struct batch_spec *b = s->batch;
	struct buf               out = BUF_INIT;
	size_t                   end = s->off + s->len;

	if (b->where_end > 0) {
		buf_add(&out, text + s->off, b->where_end - s->off);
		buf_adds(&out, " (");
		buf_add(&out, text + b->where_end, b->cond_end - b->where_end);
		buf_addf(&out, ") AND %s", cond);
	} else {
		buf_add(&out, text + s->off, b->cond_end - s->off);
		buf_addf(&out, " WHERE %s", cond);
	}
	buf_add(&out, text + b->cond_end, end - b->cond_end);
	return buf_detach(&out);
}
