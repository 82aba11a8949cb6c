/*
 * phases.c - lint and expand/contract: the backward-compatibility (fwd)
 * findings of a contract part are its point and are dropped, those of an
 * expand part or an unphased file say where the statement belongs, and a
 * contract part that removes what a still-expanded earlier version uses
 * is contract-breaks-expanded.
 *
 * What an expand part uses is read loosely: every name in its text,
 * function bodies included (a sync trigger's NEW.points). A name that only
 * appears in a comment counts too; that errs on the side of saying so.
 */
#include "lint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/error.h"

/* Names an expand part may hold before the rest are not kept. */
#define EXPANDED_WORDS_MAX 100000

struct lint_expanded {
	int64_t version;
	char   *path;
	char  **words; /* sorted, lowercase unless quoted */
	size_t  n;
	size_t  alloc;
};

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in text[0, len): bare words lowercased, quoted ones as they are. */
static void
add_words(struct lint_expanded *e, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && e->n < EXPANDED_WORDS_MAX) {
		size_t start, k;
		char  *w;

		if (text[i] == '"') {
			start = ++i;
			while (i < len && text[i] != '"')
				i++;
			w = xstrndup(text + start, i - start);
			i++;
		} else if (isalpha((unsigned char)text[i]) || text[i] == '_') {
			start = i;
			while (i < len &&
			    (isalnum((unsigned char)text[i]) ||
				text[i] == '_' || text[i] == '$'))
				i++;
			w = xstrndup(text + start, i - start);
			for (k = 0; w[k]; k++)
				w[k] = (char)tolower((unsigned char)w[k]);
		} else {
			i++;
			continue;
		}
		ARRAY_GROW(e->words, e->n + 1, e->alloc);
		e->words[e->n++] = w;
	}
}

void
lint_note_expanded(struct lint_run *r, const struct sqlfile *f, int64_t version)
{
	struct lint_expanded *e;
	size_t                i, k;

	if (!f->phased || f->contract == 0)
		return;
	ARRAY_GROW(r->expanded, r->n_expanded + 1, r->alloc_expanded);
	e = &r->expanded[r->n_expanded++];
	memset(e, 0, sizeof(*e));
	e->version = version;
	e->path = xstrdup(f->path);
	for (i = 0; i < f->contract; i++)
		add_words(e, f->text.ptr + f->stmts.v[i].off,
		    f->stmts.v[i].len);
	if (e->n == 0)
		return;
	qsort(e->words, e->n, sizeof(*e->words), cmp_word);
	for (i = 1, k = 1; i < e->n; i++) {
		if (strcmp(e->words[i], e->words[k - 1]) == 0)
			free(e->words[i]);
		else
			e->words[k++] = e->words[i];
	}
	e->n = k;
}

void
lint_expanded_free(struct lint_run *r)
{
	size_t i, k;

	for (i = 0; i < r->n_expanded; i++) {
		for (k = 0; k < r->expanded[i].n; k++)
			free(r->expanded[i].words[k]);
		free(r->expanded[i].words);
		free(r->expanded[i].path);
	}
	free(r->expanded);
	r->expanded = NULL;
	r->n_expanded = r->alloc_expanded = 0;
}

static bool
uses(const struct lint_expanded *e, const char *word)
{
	return word != NULL && e->n > 0 &&
	    bsearch(&word, e->words, e->n, sizeof(*e->words), cmp_word) != NULL;
}

/* The table's name without its schema. */
static const char *
bare(const char *table)
{
	const char *dot = table ? strrchr(table, '.') : NULL;

	return dot ? dot + 1 : table;
}

/* Does a removal the finding reports take what an earlier expand uses? */
static const struct lint_expanded *
broken_by(const struct lint_run *r, const struct finding *x)
{
	bool column = x->id == R_BAN_DROP_COLUMN || x->id == R_RENAMING_COLUMN;
	size_t i;

	if (!column && x->id != R_BAN_DROP_TABLE && x->id != R_RENAMING_TABLE)
		return NULL;
	for (i = 0; i < r->n_expanded; i++) {
		const struct lint_expanded *e = &r->expanded[i];

		if (e->version < x->version && uses(e, bare(x->table)) &&
		    (!column || x->col_name == NULL || uses(e, x->col_name)))
			return e;
	}
	return NULL;
}

static void
make_breaks_expanded(struct finding *x, const struct lint_expanded *e)
{
	struct buf  msg = BUF_INIT, help = BUF_INIT;
	const char *cut = strstr(x->message, " breaks ");

	/* "DROP COLUMN "x"" of the fwd rule's message, then why it hurts. */
	buf_add(&msg, x->message,
	    cut ? (size_t)(cut - x->message) : strlen(x->message));
	buf_addf(&msg,
	    " in a contract part removes what the expand part of version "
	    "%lld (%s) uses, and version %lld is still expanded",
	    (long long)e->version, e->path, (long long)e->version);
	buf_addf(&help,
	    "complete version %lld first ('strata complete --to %lld'), or "
	    "make its contract part remove what uses this before this one "
	    "runs",
	    (long long)e->version, (long long)e->version);
	free(x->message);
	free(x->help);
	x->message = buf_detach(&msg);
	x->help = buf_detach(&help);
	x->id = R_CONTRACT_BREAKS_EXPANDED;
	x->rule = lint_rules[x->id].name;
	x->severity = lint_rules[x->id].severity;
}

/* A fwd error outside a contract part: where it could go instead. */
static void
point_at_contract(struct finding *x)
{
	struct buf help = BUF_INIT;

	buf_addf(&help,
	    "%s%sor, in one file: put it after a '-- strata:contract' line; "
	    "'strata up' then runs what is before the line and 'strata "
	    "complete' the rest, once the application no longer uses what "
	    "it removes",
	    x->help ? x->help : "", x->help ? "; " : "");
	free(x->help);
	x->help = buf_detach(&help);
}

void
lint_phase_findings(struct lint_run *r, size_t from, const struct sqlfile *f,
    bool down)
{
	size_t i, k = from;

	for (i = from; i < r->n; i++) {
		struct finding              *x = &r->v[i];
		const struct lint_rule_info *info = lint_rule_find(x->rule);
		const struct lint_expanded  *e;
		bool contract = f->phased && x->statement > 0 &&
		    (size_t)x->statement > f->contract;

		if (info == NULL || !info->fwd || down) {
			r->v[k++] = *x;
			continue;
		}
		if (!contract) {
			if (info->severity == SEV_ERROR)
				point_at_contract(x);
			r->v[k++] = *x;
		} else if ((e = broken_by(r, x)) != NULL) {
			make_breaks_expanded(x, e);
			r->v[k++] = *x;
		} else
			lint_finding_free(x);
	}
	r->n = k;
}
