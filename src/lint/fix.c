/*
 * fix.c - lint --fix for one file: the statements with a fixable finding
 * replaced by their safe form, those that must wait for the application
 * moved after a '-- strata:contract' line, every other byte kept.
 */
#include "fix.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"

void
fix_notes_free(struct fix_notes *n)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		free(n->v[i].table);
		free(n->v[i].column);
		free(n->v[i].to);
	}
	free(n->v);
	memset(n, 0, sizeof(*n));
}

static void
note_add(struct fix_notes *n, int64_t version, const struct finding *x)
{
	struct fix_note *o;
	const char      *dot = x->table ? strrchr(x->table, '.') : NULL;

	if (x->table == NULL)
		return;
	ARRAY_GROW(n->v, n->n + 1, n->alloc);
	o = &n->v[n->n++];
	memset(o, 0, sizeof(*o));
	o->kind = NOTE_MOVED;
	o->version = version;
	o->table = xstrdup(dot ? dot + 1 : x->table);
	o->column = x->id == R_BAN_DROP_COLUMN && x->col_name
	    ? xstrdup(x->col_name)
	    : NULL;
}

/* Does text[0, len) hold `word` as a whole name (any case)? */
static bool
mentions(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++) {
		if (strncasecmp(text + i, word, n) != 0)
			continue;
		if ((i == 0 ||
			!(isalnum((unsigned char)text[i - 1]) ||
			    text[i - 1] == '_')) &&
		    (i + n == len ||
			!(isalnum((unsigned char)text[i + n]) ||
			    text[i + n] == '_')))
			return true;
	}
	return false;
}

/*
 * In a rollback file: does the statement bring back what a fix moved into
 * its version's contract part (it names the table, and the column)?
 */
static bool
undoes_moved(const struct fix_notes *notes, int64_t version, const char *text,
    size_t len)
{
	size_t i;

	for (i = 0; i < notes->n; i++) {
		const struct fix_note *o = &notes->v[i];

		if (o->kind == NOTE_MOVED && o->version == version &&
		    mentions(text, len, o->table) &&
		    (o->column == NULL || mentions(text, len, o->column)))
			return true;
	}
	return false;
}

/* The help of a finding strata cannot fix says why. */
static void
say_why(struct finding *x, const char *why)
{
	struct buf b = BUF_INIT;

	if (x->help != NULL && strstr(x->help, "lint --fix") != NULL)
		return;
	buf_addf(&b, "%s%s(lint --fix leaves it: %s)", x->help ? x->help : "",
	    x->help ? " " : "", why);
	free(x->help);
	x->help = buf_detach(&b);
}

/* Every fixable finding of statement i says why it stays. */
static void
say_all(struct lint_run *r, const struct sqlfile *f, size_t i, const char *why)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (strcmp(r->v[k].file, f->path) == 0 &&
		    r->v[k].statement == (int)i + 1 && fix_has(r->v[k].id))
			say_why(&r->v[k], why);
}

/*
 * Where the run of whole comment lines ending at line start `off` begins
 * (no earlier than `at`): they say what the statement below them is.
 */
static size_t
comments_above(const char *text, size_t at, size_t off)
{
	while (off > at) {
		size_t start = off - 1, k;

		while (start > at && text[start - 1] != '\n')
			start--;
		for (k = start; k < off && (text[k] == ' ' || text[k] == '\t');
		     k++)
			;
		if (k + 1 >= off || text[k] != '-' || text[k + 1] != '-')
			break;
		off = start;
	}
	return off;
}

/* Is text[off] the first thing on its line? */
static bool
line_start(const char *text, size_t from, size_t off)
{
	while (off > from && (text[off - 1] == ' ' || text[off - 1] == '\t'))
		off--;
	return off == from || text[off - 1] == '\n';
}

size_t
fix_file(struct lint_run *r, const struct sqlfile *f, enum dialect d,
    int64_t version, bool down, struct fix_notes *notes, struct buf *out)
{
	size_t           n = f->stmts.n, i, at = f->body, count = 0;
	struct finding **pick = xcalloc(n + 1, sizeof(*pick));
	struct buf       moved = BUF_INIT;
	const char      *text = f->text.ptr;

	buf_add(out, text, f->body);
	for (i = 0; i < r->n; i++) {
		struct finding *x = &r->v[i];

		if (strcmp(x->file, f->path) != 0 || x->statement < 1 ||
		    (size_t)x->statement > n || !fix_has(x->id))
			continue;
		if (pick[x->statement - 1] == NULL)
			pick[x->statement - 1] = x;
	}
	for (i = 0; i < n; i++) {
		const struct stmt     *s = &f->stmts.v[i];
		const char            *why = NULL;
		char                  *repl = NULL;
		bool                   move = false;
		const struct fix_note *undo = down && d == DIALECT_POSTGRES
		    ? fix_undo_note(notes, version, f, i)
		    : NULL;

		if (undo != NULL) {
			struct fix_ctx c = { r, f, i, down, version, NULL,
				&moved, notes, undo };

			repl = fix_undo(&c);
		} else if (pick[i] != NULL &&
		    (d == DIALECT_POSTGRES || fix_moves(pick[i]->id))) {
			struct fix_ctx c = { r, f, i, down, version, pick[i],
				&moved, notes, NULL };

			repl = fix_statement(&c, &why);
			if (repl == NULL && why != NULL)
				say_all(r, f, i, why);
			move = repl != NULL && fix_moves(pick[i]->id);
			if (move && !down)
				note_add(notes, version, pick[i]);
		}
		if (repl == NULL && down && notes->n > 0 &&
		    (!f->phased || i < f->contract) &&
		    undoes_moved(notes, version, text + s->off, s->len)) {
			repl = xstrndup(text + s->off, s->len);
			move = true;
		}
		if (repl == NULL)
			continue;
		if (move) {
			/* A statement on lines of its own leaves no blank. */
			size_t from = s->off, to = s->off + s->len;

			while (to < f->text.len &&
			    (text[to] == ' ' || text[to] == '\t' ||
				text[to] == '\r'))
				to++;
			if (line_start(text, f->body, s->off) &&
			    (to == f->text.len || text[to] == '\n')) {
				while (from > at && text[from - 1] != '\n')
					from--;
				if (to < f->text.len)
					to++;
				/* The comment lines just above go with it. */
				from = comments_above(text, at, from);
			} else
				to = s->off + s->len;
			buf_add(out, text + at, from - at);
			buf_add(&moved, text + from, s->off - from);
			buf_adds(&moved, repl);
			buf_addch(&moved, '\n');
			at = to;
		} else {
			buf_add(out, text + at, s->off - at);
			if (!line_start(text, f->body, s->off))
				buf_addch(out, '\n');
			buf_adds(out, repl);
			/*
			 * The fix's last lock ends with its transaction, not
			 * held on through the statements after it.
			 */
			if (i + 1 < n)
				buf_adds(out, "\n-- strata:commit");
			at = s->off + s->len;
		}
		free(repl);
		count++;
	}
	buf_add(out, text + at, f->text.len - at);
	if (moved.len > 0) {
		if (out->len > 0 && out->ptr[out->len - 1] != '\n')
			buf_addch(out, '\n');
		if (!f->phased)
			buf_adds(out, "-- strata:contract\n");
		buf_add(out, moved.ptr, moved.len);
	}
	buf_free(&moved);
	free(pick);
	return count;
}
