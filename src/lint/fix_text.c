/*
 * fix_text.c - what the fixes write with: the statement's own tokens and
 * names, names made as PostgreSQL makes them, quoting, the steps several
 * fixes share (NOT NULL without a scan, NOT VALID then VALIDATE).
 */
#include "fix_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/hash.h"

#define NAME_MAX_BYTES 63

/* The statement's text at offset `at` (relative to it) to `end`. */
void
fx_span(struct fx *x, size_t at, size_t end)
{
	if (end > at)
		buf_add(&x->out, x->text + x->s->off + at, end - at);
}

bool
fx_word_is(const struct fx *x, size_t k, const char *w)
{
	const struct sql_token *t = &x->tok[k];

	return t->type == TOKEN_WORD && t->len == strlen(w) &&
	    strncasecmp(x->text + t->off, w, t->len) == 0;
}

/* The first token from k on that is the word w, or ntok. */
size_t
fx_find_word(const struct fx *x, size_t k, const char *w)
{
	for (; k < x->ntok; k++)
		if (fx_word_is(x, k, w))
			return k;
	return x->ntok;
}

/* The token at `loc` (relative to the statement), or ntok. */
size_t
fx_token_at(const struct fx *x, int loc)
{
	size_t k;

	for (k = 0; loc >= 0 && k < x->ntok; k++)
		if (x->tok[k].off == x->s->off + (size_t)loc)
			return k;
	return x->ntok;
}

size_t
fx_rel_off(const struct fx *x, size_t k)
{
	return x->tok[k].off - x->s->off;
}

/* A name as written at `loc`: "a", a.b, "A"."b". */
char *
fx_name_at(const struct fx *x, int loc)
{
	size_t k = fx_token_at(x, loc), end;

	if (k >= x->ntok)
		return NULL;
	end = k;
	while (end + 2 < x->ntok && x->tok[end + 1].type == TOKEN_PUNCT &&
	    x->text[x->tok[end + 1].off] == '.')
		end += 2;
	return xstrndup(x->text + x->tok[k].off,
	    x->tok[end].off + x->tok[end].len - x->tok[k].off);
}

/* A name, double-quoted when it must be. */
void
fx_ident(struct buf *b, const char *name)
{
	const char *p;

	if (pg_ident_plain(name)) {
		buf_adds(b, name);
		return;
	}
	buf_addch(b, '"');
	for (p = name; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

/*
 * PostgreSQL's makeObjectName: name1_name2_label, each of the two names
 * cut (the longer first) so the whole fits in 63 bytes.
 */
char *
fx_object_name(const char *name1, const char *name2, const char *label)
{
	size_t     n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t     over = strlen(label) + 1 + (name2 ? 1 : 0);
	struct buf b = BUF_INIT;

	while (n1 + n2 + over > NAME_MAX_BYTES) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	buf_add(&b, name1, n1);
	if (name2) {
		buf_addch(&b, '_');
		buf_add(&b, name2, n2);
	}
	buf_addf(&b, "_%s", label);
	return buf_detach(&b);
}

/* A String node's text, or NULL. */
const char *
fx_str(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING
	    ? n->string->sval
	    : NULL;
}

/* Column names of a list (IndexElem or String nodes), joined by sep. */
void
fx_names(struct buf *b, PgQuery__Node **v, size_t n, const char *sep,
    bool quote)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = fx_str(v[i]);

		if (name == NULL &&
		    v[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
			name = v[i]->index_elem->name;
		if (i > 0)
			buf_adds(b, sep);
		if (quote)
			fx_ident(b, name ? name : "?");
		else
			buf_adds(b, name ? name : "");
	}
}

/* A name for a temporary constraint no other object has. */
char *
fx_temp_name(const struct fx *x, const char *table, const char *what)
{
	char out[NAME_MAX_BYTES + 1];
	char seed[512];

	snprintf(seed, sizeof(seed), "%s/%s/%lld/%zu", table, what,
	    (long long)x->c->version, x->c->index);
	snprintf(out, sizeof(out), "strata_tmp_%s_%08x", what,
	    (unsigned)(fnv1a(FNV1A_INIT, seed) & 0xffffffffu));
	return xstrdup(out);
}

void
fx_header(struct fx *x, const char *what)
{
	fx_header_to(&x->out, x->c->finding->rule, what);
}

void
fx_header_to(struct buf *b, const char *rule, const char *what)
{
	buf_addf(b, "-- lint --fix, %s: %s\n", rule, what);
}

void
fx_begin(struct fx *x, const struct fix_ctx *c)
{
	memset(x, 0, sizeof(*x));
	x->c = c;
	x->text = c->f->text.ptr;
	x->s = &c->f->stmts.v[c->index];
	x->body = x->s->len;
	while (x->body > 0 &&
	    (x->text[x->s->off + x->body - 1] == ';' ||
		isspace((unsigned char)x->text[x->s->off + x->body - 1])))
		x->body--;
}

bool
fx_open(struct fx *x, const struct fix_ctx *c)
{
	fx_begin(x, c);
	if ((x->tree = pg_tree_parse(x->text, x->s)) == NULL ||
	    (x->node = pg_tree_stmt(x->tree)) == NULL) {
		pg_tree_free(x->tree);
		return false;
	}
	x->ntok = pg_tokens(x->text, x->s, &x->tok);
	return true;
}

void
fx_close(struct fx *x)
{
	buf_free(&x->out);
	free(x->tok);
	pg_tree_free(x->tree);
}

/* The statement with word token k followed by " CONCURRENTLY". */
void
fx_concurrently_after(struct fx *x, size_t k)
{
	size_t at = fx_rel_off(x, k) + x->tok[k].len;

	fx_span(x, 0, at);
	buf_adds(&x->out, " CONCURRENTLY");
	fx_span(x, at, x->s->len);
}

/* ADD CONSTRAINT name CHECK (check) NOT VALID, a commit line, its VALIDATE. */
void
fx_check_validated(struct buf *b, const char *rel, const char *name,
    const char *check)
{
	buf_addf(b,
	    "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s) NOT VALID;\n"
	    "-- strata:commit\nALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
	    rel, name, check, rel, name);
}

/* The same for the check "col IS NOT NULL". */
void
fx_not_null_check(struct buf *b, const char *rel, const char *name,
    const char *col)
{
	struct buf check = BUF_INIT;

	fx_ident(&check, col);
	buf_adds(&check, " IS NOT NULL");
	fx_check_validated(b, rel, name, buf_cstr(&check));
	buf_free(&check);
}

/* The four steps that make col NOT NULL without a scan under a lock. */
void
fx_not_null_steps(const struct fx *x, struct buf *b, const char *rel,
    const char *table, const char *col, const char *then)
{
	char *tmp = fx_temp_name(x, table, col);

	fx_not_null_check(b, rel, tmp, col);
	buf_adds(b, "-- strata:commit\n");
	if (then != NULL)
		buf_addf(b, "%s\n", then);
	else {
		buf_addf(b, "ALTER TABLE %s ALTER COLUMN ", rel);
		fx_ident(b, col);
		buf_adds(b, " SET NOT NULL;\n");
	}
	buf_addf(b, "-- strata:commit\nALTER TABLE %s DROP CONSTRAINT %s;", rel,
	    tmp);
	free(tmp);
}

/* --- generic walk of a tree (protobuf-c's descriptors) --------------------- */

void
fx_walk(const ProtobufCMessage *m, void (*fn)(const ProtobufCMessage *, void *),
    void                       *arg)
{
	const ProtobufCMessageDescriptor *d;
	unsigned                          i;
	size_t                            k;

	if (m == NULL)
		return;
	fn(m, arg);
	d = m->descriptor;
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char                     *base = (const char *)m;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(
			    const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *v = *(
			    ProtobufCMessage *const *const *)(base + f->offset);

			for (k = 0; k < n; k++)
				fx_walk(v[k], fn, arg);
		} else
			fx_walk(*(ProtobufCMessage *const *)(base + f->offset),
			    fn, arg);
	}
}

/*
 * End the ADD written so far with NOT VALID, and validate the constraint
 * in a transaction of its own; takes rel and name, returns the text.
 */
char *
fx_validate_after(struct fx *x, char *rel, char *name)
{
	buf_addf(&x->out,
	    " NOT VALID;\n-- strata:commit\nALTER TABLE %s "
	    "VALIDATE CONSTRAINT ",
	    rel);
	fx_ident(&x->out, name);
	buf_adds(&x->out, ";");
	free(rel);
	free(name);
	return buf_detach(&x->out);
}

/* Does the statement make a key (or a unique index) on the table? */
static bool
makes_key(const char *text, const struct stmt *s, const char *bare)
{
	struct pg_tree      *t = pg_tree_parse(text, s);
	const PgQuery__Node *n = pg_tree_stmt(t);
	bool                 key = false;
	size_t               i;

	if (n && n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT)
		key = n->index_stmt->unique && n->index_stmt->relation &&
		    strcmp(n->index_stmt->relation->relname, bare) == 0;
	else if (n && n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT &&
	    n->alter_table_stmt->relation &&
	    strcmp(n->alter_table_stmt->relation->relname, bare) == 0)
		for (i = 0; i < n->alter_table_stmt->n_cmds; i++) {
			const PgQuery__AlterTableCmd *c =
			    n->alter_table_stmt->cmds[i]->alter_table_cmd;

			if (c && c->def &&
			    c->def->node_case ==
				PG_QUERY__NODE__NODE_CONSTRAINT &&
			    (c->def->constraint->contype ==
				    PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
				c->def->constraint->contype ==
				    PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE))
				key = true;
		}
	pg_tree_free(t);
	return key;
}

/*
 * Has the table a key a backfill can walk before the file runs? strata
 * checks that before anything runs, so a key made earlier in the same
 * file does not count. Known keys: the catalog's, the files'.
 */
bool
fx_key_before(const struct fx *x, const PgQuery__RangeVar *rv)
{
	struct lint_state *st = &x->c->run->state;
	char              *table = pg_range_name(rv);
	const char        *bare = rv->relname;
	bool               key = false;
	size_t             i;

	for (i = 0; table && i < st->n_columns; i++) {
		const char *t = st->columns[i].table, *dot = strrchr(t, '.');

		if (st->columns[i].unique &&
		    (strcmp(t, table) == 0 ||
			strcmp(dot ? dot + 1 : t, bare) == 0))
			key = true;
	}
	free(table);
	for (i = 0; key && i < x->c->index; i++)
		if (makes_key(x->text, &x->c->f->stmts.v[i], bare))
			key = false;
	return key;
}

/*
 * Where a column constraint's clause ends: at the next constraint's
 * start, else at the end of the statement's body.
 */
size_t
fx_clause_end(const struct fx *x, const PgQuery__ColumnDef *d, int loc)
{
	size_t i, end = x->body;

	for (i = 0; i < d->n_constraints; i++) {
		int l = d->constraints[i]->constraint->location;

		if (l > loc && (size_t)l < end)
			end = (size_t)l;
	}
	while (end > 0 && isspace((unsigned char)x->text[x->s->off + end - 1]))
		end--;
	return end;
}

const PgQuery__AlterTableCmd *
fx_only_cmd(const struct fx *x, const PgQuery__AlterTableStmt **stmt)
{
	const PgQuery__AlterTableStmt *a;

	if (x->node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return NULL;
	a = x->node->alter_table_stmt;
	*stmt = a;
	if (a->n_cmds != 1 ||
	    a->cmds[0]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
		return NULL;
	return a->cmds[0]->alter_table_cmd;
}
