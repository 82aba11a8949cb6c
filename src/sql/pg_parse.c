/*
 * pg_parse.c - PostgreSQL statements, found by PostgreSQL's own grammar
 * and classified from their trees (pg_classify.c).
 *
 * The only file that includes <pg_query.h>. pg_query_split_with_parser()
 * gives each statement's byte range (dollar quotes, E'' strings, nested
 * comments and BEGIN ATOMIC bodies as the server sees them); the scanner
 * finds the first real token past leading comments; each statement's parse
 * tree says what it is and whether it must run outside a transaction.
 */
#include "pg_parse.h"

#include <ctype.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/log.h"
#include "pg_classify.h"

struct pg_tree {
	PgQuery__ParseResult *result;
};

/* The parser's grammar is PostgreSQL 15's. */
#define PG_PARSER_VERSION_NUM 150000
/* Bytes of a large file given to the parser at once (parse_pieces). */
#define PARSE_PIECE (1 << 20)

static struct pg_tree *
parse_tree(const char *text)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	PgQuery__ParseResult      *tree;
	struct pg_tree            *t = NULL;

	if (r.error == NULL &&
	    (tree = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
		 (const uint8_t *)r.parse_tree.data)) != NULL) {
		t = xcalloc(1, sizeof(*t));
		t->result = tree;
	}
	pg_query_free_protobuf_parse_result(r);
	return t;
}

/*
 * Classify one statement from its tree. The tree is not kept: a file's
 * trees take many times its size, and only lint walks them, one statement
 * at a time (pg_tree_parse).
 */
static void
parse_one(struct stmt *st, const char *text)
{
	struct pg_tree *t = parse_tree(text);

	if (t == NULL)
		return;
	st->parsed = true;
	if (t->result->n_stmts > 0 && t->result->stmts[0]->stmt)
		pg_classify(st, t->result->stmts[0]->stmt);
	pg_tree_free(t);
}

struct pg_tree *
pg_tree_parse(const char *text, const struct stmt *st)
{
	struct buf      one = BUF_INIT;
	struct pg_tree *t;

	if (!st->parsed)
		return NULL;
	buf_add(&one, text + st->off, st->len);
	t = parse_tree(buf_cstr(&one));
	buf_free(&one);
	return t;
}

size_t
pg_long_identifiers(const char *text, size_t len, size_t limit, size_t *offsets,
    size_t max)
{
	PgQueryScanResult    r;
	PgQuery__ScanResult *scan;
	struct buf           one = BUF_INIT;
	size_t               i, n = 0;

	/* Nothing can be too long without a run of that many name bytes. */
	for (i = 0, n = 0; i < len && n <= limit; i++)
		n = (isalnum((unsigned char)text[i]) || text[i] == '_' ||
			text[i] == '$' || text[i] == '"' ||
			(unsigned char)text[i] >= 0x80)
		    ? n + 1
		    : 0;
	if (n <= limit)
		return 0;
	n = 0;
	buf_add(&one, text, len);
	r = pg_query_scan(buf_cstr(&one));
	if (r.error == NULL &&
	    (scan = pg_query__scan_result__unpack(NULL, r.pbuf.len,
		 (const uint8_t *)r.pbuf.data)) != NULL) {
		for (i = 0; i < scan->n_tokens && n < max; i++) {
			const PgQuery__ScanToken *t = scan->tokens[i];
			size_t width = (size_t)(t->end - t->start);

			if (t->token != PG_QUERY__TOKEN__IDENT)
				continue;
			/* A quoted identifier's quotes are not its name. */
			if (width >= 2 && text[t->start] == '"')
				width -= 2;
			if (width > limit)
				offsets[n++] = (size_t)t->start;
		}
		pg_query__scan_result__free_unpacked(scan, NULL);
	}
	pg_query_free_scan_result(r);
	buf_free(&one);
	return n;
}

size_t
pg_tokens(const char *text, const struct stmt *st, struct sql_token **out)
{
	PgQueryScanResult    r;
	PgQuery__ScanResult *scan;
	struct buf           one = BUF_INIT;
	size_t               i, n = 0, alloc = 0;

	*out = NULL;
	buf_add(&one, text + st->off, st->len);
	r = pg_query_scan(buf_cstr(&one));
	if (r.error == NULL &&
	    (scan = pg_query__scan_result__unpack(NULL, r.pbuf.len,
		 (const uint8_t *)r.pbuf.data)) != NULL) {
		for (i = 0; i < scan->n_tokens; i++) {
			const PgQuery__ScanToken *t = scan->tokens[i];
			struct sql_token         *o;

			if (t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
			    t->token == PG_QUERY__TOKEN__C_COMMENT)
				continue;
			ARRAY_GROW(*out, n + 1, alloc);
			o = &(*out)[n++];
			o->off = st->off + (size_t)t->start;
			o->len = (size_t)(t->end - t->start);
			if (t->token == PG_QUERY__TOKEN__IDENT)
				o->type = one.ptr[t->start] == '"'
				    ? TOKEN_QUOTED
				    : TOKEN_WORD;
			else if (t->keyword_kind !=
			    PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
				o->type = TOKEN_WORD;
			else if (t->token == PG_QUERY__TOKEN__SCONST ||
			    t->token == PG_QUERY__TOKEN__USCONST)
				o->type = TOKEN_STRING;
			else
				o->type = TOKEN_PUNCT;
		}
		pg_query__scan_result__free_unpacked(scan, NULL);
	}
	pg_query_free_scan_result(r);
	buf_free(&one);
	return n;
}

bool
pg_ident_plain(const char *name)
{
	PgQueryScanResult    r;
	PgQuery__ScanResult *scan;
	size_t               i;
	bool plain = name[0] != '\0' && !isdigit((unsigned char)name[0]);

	for (i = 0; plain && name[i]; i++)
		plain = (name[i] >= 'a' && name[i] <= 'z') ||
		    isdigit((unsigned char)name[i]) || name[i] == '_';
	if (!plain)
		return false;
	/* A keyword of any kind is quoted: never wrong, and simplest. */
	r = pg_query_scan(name);
	if (r.error == NULL &&
	    (scan = pg_query__scan_result__unpack(NULL, r.pbuf.len,
		 (const uint8_t *)r.pbuf.data)) != NULL) {
		plain = scan->n_tokens == 1 &&
		    scan->tokens[0]->keyword_kind ==
			PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
		pg_query__scan_result__free_unpacked(scan, NULL);
	} else
		plain = false;
	pg_query_free_scan_result(r);
	return plain;
}

const PgQuery__Node *
pg_tree_stmt(const struct pg_tree *t)
{
	if (t == NULL || t->result->n_stmts == 0)
		return NULL;
	return t->result->stmts[0]->stmt;
}

void
pg_tree_free(struct pg_tree *t)
{
	if (t == NULL)
		return;
	pg_query__parse_result__free_unpacked(t->result, NULL);
	free(t);
}

static long first_token(const char *text);

/* COPY ... FROM STDIN / TO STDOUT: data only a streaming client has. */
static int
copy_refused(const struct sqlfile *f, int line, int col, bool from)
{
	err_set(EXIT_USAGE,
	    "COPY ... %s needs a client that streams the data (psql); "
	    "strata does not run it: use INSERT, or COPY from a file on the "
	    "server",
	    from ? "FROM STDIN" : "TO STDOUT");
	err_set_location(f->path, line, col);
	return -EXIT_USAGE;
}

/* The offset of the start of the line holding off. */
static size_t
line_start(const char *text, size_t from, size_t off)
{
	while (off > from && text[off - 1] != '\n')
		off--;
	return off;
}

/*
 * When a file does not parse, is it a COPY ... FROM STDIN followed by its
 * data lines? The file up to the line the parser stopped at is parsed again
 * (shorter each time it still fails) and its last statement looked at, so
 * that the COPY is blamed, not the data or the \. after it.
 */
static int
copy_with_data(const struct sqlfile *f, size_t err_off)
{
	struct buf prefix = BUF_INIT;
	size_t     end = line_start(f->text.ptr, f->body, err_off);
	int        tries, rc = 0;

	for (tries = 0; tries < 16 && end > f->body && rc == 0; tries++) {
		PgQuerySplitResult r;
		struct stmt        st;

		buf_reset(&prefix);
		buf_add(&prefix, f->text.ptr + f->body, end - f->body);
		r = pg_query_split_with_parser(buf_cstr(&prefix));
		if (r.error != NULL) {
			size_t at = r.error->cursorpos > 0
			    ? text_advance_chars(f->text.ptr, f->text.len,
				  f->body, (size_t)r.error->cursorpos - 1)
			    : f->body;
			size_t next = line_start(f->text.ptr, f->body, at);

			pg_query_free_split_result(r);
			if (next >= end)
				break;
			end = next;
			continue;
		}
		memset(&st, 0, sizeof(st));
		if (r.n_stmts > 0) {
			size_t loc =
			    (size_t)r.stmts[r.n_stmts - 1]->stmt_location;
			long first;

			first = first_token(prefix.ptr + loc);
			parse_one(&st,
			    prefix.ptr + loc + (first > 0 ? first : 0));
			if (st.client_copy) {
				int line, col;

				text_position(f->text.ptr, f->body,
				    f->body + loc +
					(size_t)(first > 0 ? first : 0),
				    &line, &col);
				rc = copy_refused(f, line, col,
				    st.client_copy == 'i');
			}
			free(st.relation);
			free(st.index);
		}
		pg_query_free_split_result(r);
		break;
	}
	buf_free(&prefix);
	return rc;
}

/*
 * Offset of the first token that is not a comment in text, or -1 when there
 * is none. Asks the scanner only when a comment may lead.
 */
static long
first_token(const char *text)
{
	PgQueryScanResult    r;
	PgQuery__ScanResult *scan;
	long                 at = -1;
	size_t               i = 0;

	while (isspace((unsigned char)text[i]))
		i++;
	if (text[i] == '\0')
		return -1;
	if (!(text[i] == '-' && text[i + 1] == '-') &&
	    !(text[i] == '/' && text[i + 1] == '*'))
		return (long)i;
	r = pg_query_scan(text);
	if (r.error == NULL &&
	    (scan = pg_query__scan_result__unpack(NULL, r.pbuf.len,
		 (const uint8_t *)r.pbuf.data)) != NULL) {
		for (i = 0; i < scan->n_tokens; i++) {
			PgQuery__Token t = scan->tokens[i]->token;

			if (t != PG_QUERY__TOKEN__SQL_COMMENT &&
			    t != PG_QUERY__TOKEN__C_COMMENT) {
				at = scan->tokens[i]->start;
				break;
			}
		}
		pg_query__scan_result__free_unpacked(scan, NULL);
	} else
		at = (long)i; /* let the parser or server report it */
	pg_query_free_scan_result(r);
	return at;
}

/* The first line that starts with a backslash: a psql meta-command. */
static int
meta_command_line(const struct sqlfile *f, size_t *at)
{
	const char *s = f->text.ptr;
	size_t      i = f->body;
	int         line = 1;

	while (i < f->text.len) {
		size_t k = i;

		while (k < f->text.len && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (s[k] == '\\') {
			*at = k;
			return line;
		}
		while (i < f->text.len && s[i] != '\n')
			i++;
		i++;
		line++;
	}
	return 0;
}

static int
syntax_error(struct sqlfile *f, const PgQueryError *e)
{
	const char *text = f->text.ptr + f->body;
	size_t      off = f->body;
	size_t      at;
	int         line, col, rc;

	if (e->cursorpos > 0)
		off = text_advance_chars(f->text.ptr, f->text.len, f->body,
		    (size_t)e->cursorpos - 1);
	if ((rc = copy_with_data(f, off)) < 0)
		return rc;
	off = f->body;
	if ((line = meta_command_line(f, &at)) > 0) {
		size_t end = at;

		while (end < f->text.len && f->text.ptr[end] != '\n' &&
		    f->text.ptr[end] != ' ')
			end++;
		text_position(f->text.ptr, f->body, at, &line, &col);
		err_set(EXIT_USAGE,
		    "psql meta-command '%.*s' at line %d is "
		    "not SQL; strata runs SQL only",
		    (int)(end - at), f->text.ptr + at, line);
		err_set_location(f->path, line, col);
		return -EXIT_USAGE;
	}
	if (e->cursorpos > 0)
		off = text_advance_chars(f->text.ptr, f->text.len, f->body,
		    (size_t)e->cursorpos - 1);
	(void)text;
	text_position(f->text.ptr, f->body, off, &line, &col);
	err_set(EXIT_USAGE, "%s", e->message ? e->message : "syntax error");
	err_set_sqlstate("42601");
	err_set_location(f->path, line, col);
	return -EXIT_USAGE;
}

/*
 * Push the statements the splitter found in text[0, textlen), which starts
 * at `at` in the file, onto f->stmts, each classified.
 */
static int
push_stmts(struct sqlfile *f, struct text_cursor *cur, const char *text,
    size_t textlen, size_t at, const PgQuerySplitResult *r)
{
	struct buf one = BUF_INIT;
	int        i, rc = 0;

	for (i = 0; i < r->n_stmts; i++) {
		size_t       loc = (size_t)r->stmts[i]->stmt_location;
		size_t       len = r->stmts[i]->stmt_len
			  ? (size_t)r->stmts[i]->stmt_len
			  : textlen - loc;
		struct stmt *st;
		long         first;

		buf_reset(&one);
		buf_add(&one, text + loc, len);
		if ((first = first_token(one.ptr)) < 0)
			continue; /* only comments */
		st = stmt_list_push(&f->stmts);
		st->off = at + loc + (size_t)first;
		st->len = len - (size_t)first;
		/* Take the terminating ';' along, as written. */
		if (st->off + st->len < f->text.len &&
		    f->text.ptr[st->off + st->len] == ';')
			st->len++;
		text_cursor_to(cur, f->text.ptr, st->off, &st->line,
		    &st->column);
		parse_one(st, one.ptr + first);
		if (st->client_copy) {
			rc = copy_refused(f, st->line, st->column,
			    st->client_copy == 'i');
			break;
		}
	}
	buf_free(&one);
	return rc;
}

/* The whole file to the parser at once; its errors reported. */
static int
parse_whole(struct sqlfile *f, int server_version)
{
	const char        *text = f->text.ptr + f->body;
	struct text_cursor cur;
	PgQuerySplitResult r;
	int                rc;

	r = pg_query_split_with_parser(text);
	if (r.error != NULL) {
		if (server_version <= PG_PARSER_VERSION_NUM + 9999 ||
		    meta_command_line(f, &(size_t){ 0 }) > 0) {
			rc = syntax_error(f, r.error);
			pg_query_free_split_result(r);
			return rc;
		}
		log_warn(
		    "'%s': the parser (PostgreSQL %d grammar) rejects it: "
		    "%s; splitting with the scanner and letting the server "
		    "judge",
		    f->path, PG_PARSER_VERSION_NUM / 10000, r.error->message);
		pg_query_free_split_result(r);
		r = pg_query_split_with_scanner(text);
		if (r.error != NULL) {
			rc = syntax_error(f, r.error);
			pg_query_free_split_result(r);
			return rc;
		}
	}
	text_cursor_init(&cur, f->body);
	rc = push_stmts(f, &cur, text, f->text.len - f->body, f->body, &r);
	pg_query_free_split_result(r);
	return rc;
}

/*
 * Where a piece of text[from, ...) may end: after the last statement the
 * scanner sees whole in the next `want` bytes (the statement the window
 * cuts is left for the next piece); 0 when there is none. The window ends
 * at a line's end, and where the scanner stops at a quote the cut opened,
 * before that line.
 */
static size_t
piece_end(const char *text, size_t textlen, size_t from, size_t want)
{
	struct buf win = BUF_INIT;
	size_t     stop = from + want, end = 0;
	int        tries;

	if (textlen - from <= want)
		return textlen;
	for (tries = 0; tries < 4 && end == 0; tries++) {
		PgQuerySplitResult s;

		while (stop > from && text[stop - 1] != '\n')
			stop--;
		if (stop == from)
			break;
		buf_reset(&win);
		buf_add(&win, text + from, stop - from);
		s = pg_query_split_with_scanner(buf_cstr(&win));
		if (s.error == NULL && s.n_stmts >= 2) {
			const PgQuerySplitStmt *x = s.stmts[s.n_stmts - 2];

			end = from + (size_t)x->stmt_location +
			    (size_t)x->stmt_len;
			if (text[end] == ';')
				end++;
		} else if (s.error != NULL && s.error->cursorpos > 1)
			stop = from +
			    text_advance_chars(win.ptr, win.len, 0,
				(size_t)s.error->cursorpos - 1);
		else
			stop = from;
		pg_query_free_split_result(s);
	}
	buf_free(&win);
	return end;
}

/*
 * A large file goes to the parser a piece at a time: the parser builds the
 * tree of all the text it is given before it returns, about twenty times
 * the text's size, and the scanner keeps a copy of its input. A piece cut
 * inside a statement the scanner cannot see whole (a BEGIN ATOMIC body)
 * fails at its end and is tried again longer. Returns 1 when the file is
 * to be parsed whole after all (it has an error to report).
 */
static int
parse_pieces(struct sqlfile *f)
{
	const char        *text = f->text.ptr + f->body;
	size_t             textlen = f->text.len - f->body;
	size_t             from = 0, want = PARSE_PIECE, end;
	struct buf         piece = BUF_INIT;
	struct text_cursor cur;
	int                rc = 0;

	text_cursor_init(&cur, f->body);
	while (from < textlen && rc == 0) {
		PgQuerySplitResult r;

		if ((end = piece_end(text, textlen, from, want)) == 0) {
			want *= 2;
			continue;
		}
		buf_reset(&piece);
		buf_add(&piece, text + from, end - from);
		r = pg_query_split_with_parser(buf_cstr(&piece));
		if (r.error != NULL) {
			bool cut = end < textlen && r.error->message &&
			    strstr(r.error->message, "end of input");

			pg_query_free_split_result(r);
			if (!cut)
				rc = 1;
			want *= 2;
			continue;
		}
		rc = push_stmts(f, &cur, piece.ptr, piece.len, f->body + from,
		    &r);
		pg_query_free_split_result(r);
		from = end;
		want = PARSE_PIECE;
	}
	buf_free(&piece);
	if (rc == 1)
		stmt_list_free(&f->stmts);
	return rc;
}

int
pg_parse(struct sqlfile *f, int server_version)
{
	int rc;

	if (f->text.len - f->body > PARSE_PIECE && (rc = parse_pieces(f)) != 1)
		return rc;
	return parse_whole(f, server_version);
}
