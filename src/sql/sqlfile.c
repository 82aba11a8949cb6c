/*
 * sqlfile.c - migration files as text: loading, directives, positions.
 */
#include "sqlfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/fs.h"

/* A directive is a line that holds only the directive comment. */
static bool
has_directive(const char *text, size_t len, const char *directive)
{
	return sqlfile_directive_in(text, 0, len, directive);
}

bool
sqlfile_directive_in(const char *text, size_t from, size_t len,
    const char *directive)
{
	size_t dlen = strlen(directive), i = from;

	while (i < len) {
		size_t s = i, e;

		while (i < len && text[i] != '\n')
			i++;
		e = i;
		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		while (e > s &&
		    (text[e - 1] == ' ' || text[e - 1] == '\t' ||
			text[e - 1] == '\r'))
			e--;
		if (e - s == dlen && memcmp(text + s, directive, dlen) == 0)
			return true;
		i++;
	}
	return false;
}

int
sqlfile_load(struct sqlfile *f, const char *path, int code)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	if ((rc = fs_read(&f->text, path, code)) < 0)
		return rc;
	sqlfile_read_text(f);
	return 0;
}

void
sqlfile_read_text(struct sqlfile *f)
{
	const unsigned char *t;

	if (f->text.ptr == NULL)
		buf_adds(&f->text, "");
	t = (const unsigned char *)f->text.ptr;
	if (f->text.len >= 3 && t[0] == 0xef && t[1] == 0xbb && t[2] == 0xbf)
		f->body = 3;
	checksum_text(f->text.ptr, f->text.len, f->checksum);
	f->no_tx = has_directive(f->text.ptr, f->text.len,
	    "-- strata:no-transaction");
	f->irreversible = has_directive(f->text.ptr, f->text.len,
	    "-- strata:irreversible");
}

int
sqlfile_need_text(struct sqlfile *f, int code)
{
	struct sqlfile now;
	int            rc;

	if (f->text.ptr != NULL)
		return 0;
	if ((rc = sqlfile_load(&now, f->path, code)) < 0)
		return rc;
	/* The plan trusted the cache; what runs must be what it checked. */
	if (strcmp(now.checksum, f->checksum) != 0) {
		sqlfile_free(&now);
		err_set(code,
		    "'%s' changed while strata was reading it; run "
		    "again",
		    f->path);
		err_set_location(f->path, 0, 0);
		return -code;
	}
	f->text = now.text;
	f->body = now.body;
	now.text.ptr = NULL;
	sqlfile_free(&now);
	return 0;
}

char *
sqlfile_template(const char *name, bool down)
{
	struct buf b = BUF_INIT;

	if (down)
		buf_addf(&b,
		    "-- Undo %s here, exactly. If it cannot be undone, "
		    "replace this\n-- text with the directive "
		    "'strata:irreversible' after two dashes.\n",
		    name);
	else
		buf_addf(&b,
		    "-- %s: write the change here.\n"
		    "-- Add '-- strata:no-transaction' on a line of its own "
		    "to run statements\n-- one by one outside a "
		    "transaction.\n",
		    name);
	return buf_detach(&b);
}

bool
sqlfile_is_template(const struct sqlfile *f, bool down)
{
	const char *base = strrchr(f->path, '/');
	const char *name, *end;
	char       *n, *want;
	bool        same;

	base = base ? base + 1 : f->path;
	name = strchr(base, '_');
	end = strrchr(base, '.');
	if (name == NULL || end == NULL || end <= name)
		return false;
	n = xstrndup(name + 1, (size_t)(end - name - 1));
	want = sqlfile_template(n, down);
	same = f->text.len - f->body == strlen(want) &&
	    memcmp(f->text.ptr + f->body, want, strlen(want)) == 0;
	free(n);
	free(want);
	return same;
}

void
sqlfile_free(struct sqlfile *f)
{
	free(f->path);
	buf_free(&f->text);
	stmt_list_free(&f->stmts);
	memset(f, 0, sizeof(*f));
}

int
sqlfile_check_text(const struct sqlfile *f)
{
	const unsigned char *s = (const unsigned char *)f->text.ptr;
	size_t               i = f->body, n = f->text.len;
	int                  line, col;

	while (i < n) {
		unsigned char c = s[i];
		size_t        len = 1, k;

		if (c == 0) {
			text_position(f->text.ptr, f->body, i, &line, &col);
			err_set(EXIT_USAGE,
			    "'%s' holds a NUL byte at line %d: "
			    "not a SQL text file",
			    f->path, line);
			err_set_location(f->path, line, col);
			return -EXIT_USAGE;
		}
		if (c >= 0x80) {
			if ((c & 0xe0) == 0xc0 && c >= 0xc2)
				len = 2;
			else if ((c & 0xf0) == 0xe0)
				len = 3;
			else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
				len = 4;
			else
				len = 0;
			for (k = 1; len && k < len; k++)
				if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
					len = 0;
			if (len == 0) {
				text_position(f->text.ptr, f->body, i, &line,
				    &col);
				err_set(EXIT_USAGE,
				    "'%s' is not valid UTF-8 at "
				    "line %d",
				    f->path, line);
				err_set_location(f->path, line, col);
				return -EXIT_USAGE;
			}
		}
		i += len;
	}
	return 0;
}

void
text_position(const char *text, size_t from, size_t off, int *line, int *column)
{
	size_t i;
	int    l = 1, c = 1;

	for (i = from; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80)
			c++;
	}
	*line = l;
	*column = c;
}

void
text_cursor_init(struct text_cursor *c, size_t from)
{
	c->off = from;
	c->line = 1;
	c->column = 1;
}

void
text_cursor_to(struct text_cursor *c, const char *text, size_t off, int *line,
    int *column)
{
	for (; c->off < off; c->off++) {
		unsigned char ch = (unsigned char)text[c->off];

		if (ch == '\n') {
			c->line++;
			c->column = 1;
		} else if ((ch & 0xc0) != 0x80)
			c->column++;
	}
	*line = c->line;
	*column = c->column;
}

size_t
text_advance_chars(const char *text, size_t len, size_t off, size_t chars)
{
	while (off < len && chars > 0) {
		off++;
		while (off < len && ((unsigned char)text[off] & 0xc0) == 0x80)
			off++;
		chars--;
	}
	return off;
}

char *
stmt_first_line(const char *text, const struct stmt *s, size_t max)
{
	const char *p = text + s->off;
	size_t      n = 0;

	while (n < s->len && p[n] != '\n' && p[n] != '\r')
		n++;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n > max) {
		n = max;
		/* Do not cut a UTF-8 sequence in two. */
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	return xstrndup(p, n);
}

void
stmt_done_checksum(const struct sqlfile *f, const bool *done,
    char out[CHECKSUM_HEX])
{
	struct checksum *c = checksum_new();
	bool             gap = false;
	char             num[24];
	size_t           i;

	for (i = 0; i < f->stmts.n; i++) {
		if (!done[i]) {
			gap = true;
			continue;
		}
		if (gap) {
			snprintf(num, sizeof(num), "@%zu\n", i + 1);
			checksum_update(c, num, strlen(num));
		}
		checksum_update(c, f->text.ptr + f->stmts.v[i].off,
		    f->stmts.v[i].len);
		checksum_update(c, "\n", 1);
	}
	checksum_final(c, out);
}
