/*
 * lint.c - a lint run: files in order, what they teach, the findings, and
 * the directives that silence them.
 *
 * `-- strata:lint-ignore RULE[,RULE...] [reason]` on its own line right
 * before a statement, or at the end of its first line, silences those
 * rules for that statement; `-- strata:lint-ignore-file RULE,...` for the
 * whole file. An ignore that silenced nothing is itself a finding.
 */
#include "lint.h"

#include <ctype.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sql/pg_parse.h"
#include "../util/buf.h"

void
lint_init(struct lint_run *r, const struct lint_options *opt)
{
	memset(r, 0, sizeof(*r));
	r->opt = opt;
}

void
lint_finding_free(struct finding *f)
{
	free(f->message);
	free(f->help);
	free(f->table);
	free(f->col_name);
}

void
lint_free(struct lint_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		lint_finding_free(&r->v[i]);
	free(r->v);
	lint_state_free(&r->state);
	lint_expanded_free(r);
	for (i = 0; i < r->n_trace; i++) {
		struct lint_trace *t = &r->trace[i];
		size_t             k;

		for (k = 0; k < t->n_locks; k++) {
			free(t->locks[k].table);
			free(t->locks[k].mode);
		}
		free(t->locks);
		for (k = 0; k < t->n_rewrote; k++)
			free(t->rewrote[k]);
		free(t->rewrote);
	}
	free(r->trace);
	memset(r, 0, sizeof(*r));
}

struct finding *
lint_report(struct lint_stmt *ls, enum lint_rule rule, size_t offset,
    const char *table, const char *lock, const char *blocks, const char *help,
    const char *fmt, ...)
{
	struct lint_run *r = ls->run;
	struct finding  *f;
	struct buf       msg = BUF_INIT;
	va_list          ap;
	size_t           at = ls->s->off + offset;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ARRAY_GROW(r->v, r->n + 1, r->alloc);
	f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	f->id = rule;
	f->rule = lint_rules[rule].name;
	f->severity = lint_rules[rule].severity;
	f->file = ls->file->path;
	if (at > ls->s->off + ls->s->len)
		at = ls->s->off;
	text_position(ls->file->text.ptr, ls->file->body, at, &f->line,
	    &f->column);
	f->version = ls->version;
	f->down = ls->down;
	f->statement = (int)ls->index + 1;
	f->message = buf_detach(&msg);
	f->help = help ? xstrdup(help) : NULL;
	f->table = table ? xstrdup(table) : NULL;
	f->lock = lock;
	f->blocks = blocks;
	return f;
}

/* --- directives ------------------------------------------------------------ */

#define IGNORE "-- strata:lint-ignore"
#define IGNORE_FILE "-- strata:lint-ignore-file"

/* One ignore comment: where it is, which rules, and whether it was used. */
struct ignore {
	size_t off;     /* of the comment, in the file */
	size_t applies; /* statement index it covers; SIZE_MAX: the file */
	char   rules[256];
	bool   used;
};

struct ignores {
	struct ignore *v;
	size_t         n;
	size_t         alloc;
};

/* Is `rule` in the comma-separated list? */
static bool
in_list(const char *list, const char *rule)
{
	size_t n = strlen(rule);

	while (*list) {
		const char *end = list + strcspn(list, ",");

		if ((size_t)(end - list) == n && strncmp(list, rule, n) == 0)
			return true;
		list = *end ? end + 1 : end;
	}
	return false;
}

/* The rule list after a directive at p: up to white space or the end. */
static void
rule_list(const char *p, const char *end, char *out, size_t outsz)
{
	size_t k = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	/* "RULE: reason" as well as "RULE reason". */
	while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != ':' &&
	    k + 1 < outsz)
		out[k++] = *p++;
	out[k] = '\0';
}

/* The first statement starting at or after `off`, or the count. */
static size_t
stmt_at_or_after(const struct sqlfile *f, size_t off)
{
	size_t i;

	for (i = 0; i < f->stmts.n; i++)
		if (f->stmts.v[i].off >= off)
			return i;
	return f->stmts.n;
}

/* The statement whose first line holds `off`, or SIZE_MAX. */
static size_t
stmt_first_line_at(const struct sqlfile *f, size_t line_start)
{
	size_t i;

	for (i = 0; i < f->stmts.n; i++) {
		size_t s = f->stmts.v[i].off;

		while (s > 0 && f->text.ptr[s - 1] != '\n')
			s--;
		if (s == line_start)
			return i;
	}
	return SIZE_MAX;
}

static void
find_ignores(const struct sqlfile *f, struct ignores *out)
{
	const char *t = f->text.ptr;
	size_t      i = f->body, n = f->text.len;

	while (i < n) {
		size_t      start = i, end, k;
		const char *hit;

		while (i < n && t[i] != '\n')
			i++;
		end = i++;
		hit = NULL;
		for (k = start; k + strlen(IGNORE) <= end; k++)
			if (strncmp(t + k, IGNORE, strlen(IGNORE)) == 0) {
				hit = t + k;
				break;
			}
		if (hit == NULL)
			continue;
		ARRAY_GROW(out->v, out->n + 1, out->alloc);
		struct ignore *g = &out->v[out->n++];

		memset(g, 0, sizeof(*g));
		g->off = (size_t)(hit - t);
		if (strncmp(hit, IGNORE_FILE, strlen(IGNORE_FILE)) == 0) {
			rule_list(hit + strlen(IGNORE_FILE), t + end, g->rules,
			    sizeof(g->rules));
			g->applies = SIZE_MAX;
			continue;
		}
		rule_list(hit + strlen(IGNORE), t + end, g->rules,
		    sizeof(g->rules));
		/* Alone on its line: the next statement; else this line's. */
		for (k = start; k < g->off && (t[k] == ' ' || t[k] == '\t');
		     k++)
			;
		if (k == g->off)
			g->applies = stmt_at_or_after(f, end);
		else {
			g->applies = stmt_first_line_at(f, start);
			if (g->applies == SIZE_MAX)
				g->applies = f->stmts.n; /* covers nothing */
		}
	}
}

/*
 * Does any rule of the list judge this dialect? An ignore of rules that
 * cannot apply (a generic file's PostgreSQL-only ignore, linted as
 * SQLite) silences nothing there, and says nothing of it.
 */
static bool
applies_to(const char *list, enum dialect d)
{
	char                         copy[256], *save = NULL, *tok;
	const struct lint_rule_info *info;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((info = lint_rule_find(tok)) == NULL)
			return true; /* a misspelt rule: say so */
		if (d == DIALECT_SQLITE ? info->sqlite : info->postgres)
			return true;
	}
	return false;
}

bool
lint_excluded(const struct lint_options *o, const char *rule)
{
	size_t i;

	for (i = 0; o->exclude && o->exclude[i]; i++)
		if (strcmp(o->exclude[i], rule) == 0)
			return true;
	return false;
}

/* Drop findings [from, n) of statement `index` that an ignore covers. */
static void
apply_ignores(struct lint_run *r, size_t from, struct ignores *ig)
{
	size_t i = from, k;

	while (i < r->n) {
		struct finding *f = &r->v[i];
		bool            drop = lint_excluded(r->opt, f->rule);

		for (k = 0; !drop && k < ig->n; k++) {
			struct ignore *g = &ig->v[k];

			if ((g->applies == SIZE_MAX ||
				g->applies == (size_t)f->statement - 1) &&
			    in_list(g->rules, f->rule)) {
				g->used = true;
				drop = true;
			}
		}
		if (!drop) {
			i++;
			continue;
		}
		lint_finding_free(f);
		r->v[i] = r->v[--r->n];
	}
}

/* --- a file ---------------------------------------------------------------- */

/*
 * A SET of lock_timeout, read from its tree: 1 when it bounds the wait, 0
 * when it lifts the bound (0, '0s', DEFAULT, RESET: the server's own, no
 * limit), -1 when the statement is no such SET.
 */
static int
sets_lock_timeout(const struct pg_tree *t)
{
	const PgQuery__Node            *n = pg_tree_stmt(t);
	const PgQuery__VariableSetStmt *v;
	const PgQuery__AConst          *c;

	if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_VARIABLE_SET_STMT)
		return -1;
	v = n->variable_set_stmt;
	if (v->name == NULL || strcmp(v->name, "lock_timeout") != 0)
		return -1;
	if (v->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE ||
	    v->n_args != 1)
		return 0;
	if (v->args[0]->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return 1;
	c = v->args[0]->a_const;
	if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return c->ival->ival != 0;
	if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL && c->sval->sval)
		/* '0', '0s', '0ms': no limit. */
		return !(c->sval->sval[0] == '0' &&
		    !isdigit((unsigned char)c->sval->sval[1]) &&
		    c->sval->sval[1] != '.');
	return 1;
}

/* Why an ignore silenced nothing: a misspelt rule is named as such. */
static char *
unused_message(const char *list)
{
	char       copy[256], *save = NULL, *tok;
	struct buf b = BUF_INIT;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (lint_rule_find(tok) == NULL) {
			buf_addf(&b,
			    "'%s' is not a lint rule; did you mean '%s'? "
			    "('strata lint --list-rules' lists them)",
			    tok, lint_rule_nearest(tok));
			return buf_detach(&b);
		}
	return xstrdup("this ignore comment silenced nothing: remove it, or "
		       "name the rule the statement breaks");
}

/*
 * A transaction ended (the file's, or at -- strata:commit): a NOT VALID
 * check stays known to what follows (validated there, it makes SET NOT
 * NULL quiet), but was not added in the transaction now open.
 */
static void
transaction_over(struct lint_run *r)
{
	size_t i;

	for (i = 0; i < r->state.n_pending; i++)
		r->state.pending_checks[i].in_tx = false;
}

void
lint_file(struct lint_run *r, const struct sqlfile *f, enum dialect dialect,
    int64_t version, bool down)
{
	lint_file_part(r, f, dialect, version, down, 0, f->stmts.n);
}

void
lint_file_part(struct lint_run *r, const struct sqlfile *f,
    enum dialect dialect, int64_t version, bool down, size_t first, size_t end)
{
	struct ignores   ig = { NULL, 0, 0 };
	struct lint_stmt ls;
	size_t           i, from = r->n;
	int              set;

	r->files++;
	r->statements += end - first;
	/* Without a database only the same file's tables are new (SPEC §6). */
	for (i = 0; !r->opt->carry_new && i < r->state.n_new; i++)
		free(r->state.new_tables[i]);
	if (!r->opt->carry_new)
		r->state.n_new = 0;
	find_ignores(f, &ig);
	memset(&ls, 0, sizeof(ls));
	ls.run = r;
	ls.file = f;
	ls.version = version;
	ls.down = down;
	/* -1 is the run's default, which bounds the wait on PostgreSQL. */
	ls.timeout_set = r->opt->lock_timeout_ms != 0;
	for (i = first; i < end && i < f->stmts.n; i++) {
		const struct stmt *s = &f->stmts.v[i];

		ls.s = s;
		ls.index = i;
		ls.in_tx = !f->no_tx && !s->nontx;
		/* -- strata:commit: the transaction before is over. */
		if (s->commit_before) {
			ls.exclusive_held = ls.exclusive_warned = false;
			transaction_over(r);
		}
		if (!ls.in_tx)
			ls.exclusive_held = ls.exclusive_warned = false;
		if (dialect == DIALECT_POSTGRES) {
			struct pg_tree *t = pg_tree_parse(f->text.ptr, s);

			ls.tree = t;
			lint_pg_stmt(&ls);
			ls.tree = NULL;
			if ((set = sets_lock_timeout(t)) >= 0)
				ls.timeout_set = set == 1;
			pg_tree_free(t);
		} else
			lint_sqlite_stmt(&ls);
	}
	lint_phase_findings(r, from, f, down);
	apply_ignores(r, from, &ig);
	for (i = 0; i < ig.n; i++) {
		if (ig.v[i].used ||
		    lint_excluded(r->opt, lint_rules[R_UNUSED_IGNORE].name) ||
		    !applies_to(ig.v[i].rules, dialect))
			continue;
		/* Of a part: only what that part could have used. */
		if (ig.v[i].applies == SIZE_MAX
			? first > 0 || end < f->stmts.n
			: ig.v[i].applies < first || ig.v[i].applies >= end)
			continue;
		ARRAY_GROW(r->v, r->n + 1, r->alloc);
		struct finding *u = &r->v[r->n++];

		memset(u, 0, sizeof(*u));
		u->id = R_UNUSED_IGNORE;
		u->rule = lint_rules[R_UNUSED_IGNORE].name;
		u->severity = SEV_WARNING;
		u->file = f->path;
		text_position(f->text.ptr, f->body, ig.v[i].off, &u->line,
		    &u->column);
		u->version = version;
		u->down = down;
		u->statement = ig.v[i].applies < f->stmts.n
		    ? (int)ig.v[i].applies + 1
		    : 0;
		u->message = unused_message(ig.v[i].rules);
	}
	free(ig.v);
	transaction_over(r);
	/* Its expand part is what later contract parts must leave be. */
	if (!down && first == 0)
		lint_note_expanded(r, f, version);
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int                   c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

void
lint_sort(struct lint_run *r)
{
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), cmp_finding);
}

bool
lint_is_error(const struct lint_run *r, const struct finding *f)
{
	return f->severity == SEV_ERROR || r->opt->strict;
}

size_t
lint_count(const struct lint_run *r, enum severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].severity == sev)
			n++;
	return n;
}
