/*
 * fix_rules.c - the safe form of one statement, for the finding on it.
 *
 * Each fix is made from the statement's own text where it can be (a
 * CONCURRENTLY put after INDEX, a NOT VALID at the end), so the names,
 * quoting and layout the author wrote stay; what is added names objects
 * as PostgreSQL would have named them. A temporary constraint gets a name
 * made from a hash of its table, column and version, which nothing else
 * has. What cannot be fixed mechanically says why.
 */
#include "fix.h"

#include <ctype.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/pg_parse.h"
#include "../util/error.h"

#define NAME_MAX_BYTES 63

struct fx {
	const struct fix_ctx *c;
	const char           *text; /* the file's */
	const struct stmt    *s;
	size_t                body; /* statement bytes before a final ';' */
	struct pg_tree       *tree;
	const PgQuery__Node  *node;
	struct sql_token     *tok;
	size_t                ntok;
	struct buf            out;
};

/* The statement's text at offset `at` (relative to it) to `end`. */
static void
add_span(struct fx *x, size_t at, size_t end)
{
	if (end > at)
		buf_add(&x->out, x->text + x->s->off + at, end - at);
}

static bool
word_is(const struct fx *x, size_t k, const char *w)
{
	const struct sql_token *t = &x->tok[k];

	return t->type == TOKEN_WORD && t->len == strlen(w) &&
	    strncasecmp(x->text + t->off, w, t->len) == 0;
}

/* The first token from k on that is the word w, or ntok. */
static size_t
find_word(const struct fx *x, size_t k, const char *w)
{
	for (; k < x->ntok; k++)
		if (word_is(x, k, w))
			return k;
	return x->ntok;
}

/* The token at `loc` (relative to the statement), or ntok. */
static size_t
token_at(const struct fx *x, int loc)
{
	size_t k;

	for (k = 0; loc >= 0 && k < x->ntok; k++)
		if (x->tok[k].off == x->s->off + (size_t)loc)
			return k;
	return x->ntok;
}

static size_t
rel_off(const struct fx *x, size_t k)
{
	return x->tok[k].off - x->s->off;
}

/* A name as written at `loc`: "a", a.b, "A"."b". */
static char *
name_at(const struct fx *x, int loc)
{
	size_t k = token_at(x, loc), end;

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
static void
ident(struct buf *b, const char *name)
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
static char *
object_name(const char *name1, const char *name2, const char *label)
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
static const char *
str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING
	    ? n->string->sval
	    : NULL;
}

/* Column names of a list (IndexElem or String nodes), joined by sep. */
static void
names_of(struct buf *b, PgQuery__Node **v, size_t n, const char *sep,
    bool quote)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = str_of(v[i]);

		if (name == NULL &&
		    v[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
			name = v[i]->index_elem->name;
		if (i > 0)
			buf_adds(b, sep);
		if (quote)
			ident(b, name ? name : "?");
		else
			buf_adds(b, name ? name : "");
	}
}

/* A name for a temporary constraint no other object has. */
static char *
temp_name(const struct fx *x, const char *table, const char *what)
{
	char     out[NAME_MAX_BYTES + 1];
	uint32_t h = 2166136261u;
	char     seed[512];
	size_t   i;

	snprintf(seed, sizeof(seed), "%s/%s/%lld/%zu", table, what,
	    (long long)x->c->version, x->c->index);
	for (i = 0; seed[i]; i++)
		h = (h ^ (unsigned char)seed[i]) * 16777619u;
	snprintf(out, sizeof(out), "strata_tmp_%s_%08x", what, h);
	return xstrdup(out);
}

static void
header(struct fx *x, const char *what)
{
	buf_addf(&x->out, "-- lint --fix, %s: %s\n", x->c->finding->rule, what);
}

/* The statement with word token k followed by " CONCURRENTLY". */
static void
concurrently_after(struct fx *x, size_t k)
{
	size_t at = rel_off(x, k) + x->tok[k].len;

	add_span(x, 0, at);
	buf_adds(&x->out, " CONCURRENTLY");
	add_span(x, at, x->s->len);
}

/* The four steps that make col NOT NULL without a scan under a lock. */
static void
not_null_steps(struct fx *x, const char *rel, const char *table,
    const char *col, const char *then)
{
	char *tmp = temp_name(x, table, col);

	buf_addf(&x->out, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (", rel, tmp);
	ident(&x->out, col);
	buf_addf(&x->out,
	    " IS NOT NULL) NOT VALID;\n-- strata:commit\n"
	    "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n-- strata:commit\n",
	    rel, tmp);
	if (then != NULL)
		buf_addf(&x->out, "%s\n", then);
	else {
		buf_addf(&x->out, "ALTER TABLE %s ALTER COLUMN ", rel);
		ident(&x->out, col);
		buf_adds(&x->out, " SET NOT NULL;\n");
	}
	buf_addf(&x->out,
	    "-- strata:commit\nALTER TABLE %s DROP CONSTRAINT %s;", rel, tmp);
	free(tmp);
}

/* --- generic walk of a tree (protobuf-c's descriptors) --------------------- */

static void
walk(const ProtobufCMessage *m, void (*fn)(const ProtobufCMessage *, void *),
    void                    *arg)
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
				walk(v[k], fn, arg);
		} else
			walk(*(ProtobufCMessage *const *)(base + f->offset), fn,
			    arg);
	}
}

struct columns {
	const char *v[8];
	size_t      n;
	bool        more;
};

static void
column_ref(const ProtobufCMessage *m, void *arg)
{
	struct columns           *c = arg;
	const PgQuery__ColumnRef *r;
	const char               *name;
	size_t                    i;

	if (m->descriptor != &pg_query__column_ref__descriptor)
		return;
	r = (const PgQuery__ColumnRef *)m;
	if (r->n_fields == 0 ||
	    (name = str_of(r->fields[r->n_fields - 1])) == NULL)
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], name) == 0)
			return;
	if (c->n < 8)
		c->v[c->n++] = name;
	else
		c->more = true;
}

/* --- the fixes ------------------------------------------------------------- */

static const PgQuery__AlterTableCmd *
only_cmd(const struct fx *x, const PgQuery__AlterTableStmt **stmt)
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

static char *
fix_concurrent(struct fx *x, const char **why)
{
	const char *rule = x->c->finding->rule;
	size_t      k;

	if (strcmp(rule, "require-concurrent-index-creation") == 0) {
		const PgQuery__IndexStmt *i;

		if (x->node->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
			return NULL;
		i = x->node->index_stmt;
		if (i->relation && !i->relation->inh) {
			*why =
			    "CREATE INDEX ... ON ONLY cannot be built "
			    "CONCURRENTLY: write it on the table itself, and "
			    "strata builds it partition by partition";
			return NULL;
		}
		k = find_word(x, 0, "INDEX");
		header(x,
		    "built CONCURRENTLY (strata runs it outside a "
		    "transaction)");
	} else if (strcmp(rule, "require-concurrent-index-deletion") == 0) {
		const PgQuery__DropStmt *d;

		if (x->node->node_case != PG_QUERY__NODE__NODE_DROP_STMT)
			return NULL;
		d = x->node->drop_stmt;
		if (d->n_objects != 1 ||
		    d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
			*why = "DROP INDEX CONCURRENTLY takes one index and no "
			       "CASCADE: write one statement for each index";
			return NULL;
		}
		k = find_word(x, 0, "INDEX");
		header(x, "dropped CONCURRENTLY (outside a transaction)");
	} else if (strcmp(rule, "require-concurrent-reindex") == 0) {
		if (x->c->run->opt->pg_version < 120000) {
			*why = "REINDEX CONCURRENTLY needs PostgreSQL 12";
			return NULL;
		}
		k = find_word(x, 0, "INDEX");
		if (k >= x->ntok)
			k = find_word(x, 0, "TABLE");
		if (k >= x->ntok)
			k = find_word(x, 0, "SCHEMA");
		header(x, "rebuilt CONCURRENTLY (outside a transaction)");
	} else {
		const PgQuery__AlterTableStmt *a;
		const PgQuery__AlterTableCmd  *cmd = only_cmd(x, &a);
		struct lint_partitioned       *p;
		char                          *table;

		if (cmd == NULL ||
		    cmd->subtype !=
			PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition) {
			*why = "the DETACH is one action of several: give it "
			       "an ALTER TABLE of its own";
			return NULL;
		}
		table = pg_range_name(a->relation);
		p = table ? lint_partitioned_find(x->c->run, table) : NULL;
		free(table);
		if (p != NULL && p->default_part != NULL) {
			*why = "PostgreSQL cannot detach CONCURRENTLY from a "
			       "table with a default partition";
			return NULL;
		}
		header(x, "detached CONCURRENTLY (outside a transaction)");
		add_span(x, 0, x->body);
		buf_adds(&x->out, " CONCURRENTLY");
		add_span(x, x->body, x->s->len);
		return buf_detach(&x->out);
	}
	if (k >= x->ntok)
		return NULL;
	concurrently_after(x, k);
	return buf_detach(&x->out);
}

static size_t clause_end(const struct fx *, const PgQuery__ColumnDef *, int);

/*
 * End the ADD written so far with NOT VALID, and validate the constraint
 * in a transaction of its own; takes rel and name, returns the text.
 */
static char *
validate_after(struct fx *x, char *rel, char *name)
{
	buf_addf(&x->out,
	    " NOT VALID;\n-- strata:commit\nALTER TABLE %s "
	    "VALIDATE CONSTRAINT ",
	    rel);
	ident(&x->out, name);
	buf_adds(&x->out, ";");
	free(rel);
	free(name);
	return buf_detach(&x->out);
}

/*
 * ADD COLUMN ... REFERENCES: the column added bare, then its foreign key
 * added NOT VALID and validated, named as PostgreSQL names it.
 */
static char *
fix_column_fk(struct fx *x, const PgQuery__AlterTableStmt *a,
    const PgQuery__AlterTableCmd *cmd, const char **why)
{
	const PgQuery__ColumnDef  *d;
	const PgQuery__Constraint *fk = NULL;
	size_t                     i, from, end, k;
	char                      *rel, *name;

	if (cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return NULL;
	d = cmd->def->column_def;
	for (i = 0; i < d->n_constraints; i++)
		if (d->constraints[i]->constraint->contype ==
		    PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
			fk = d->constraints[i]->constraint;
	if (fk == NULL)
		return NULL;
	if (d->n_constraints > 1) {
		*why = "the column has other constraints besides its "
		       "REFERENCES: add it bare, then each constraint";
		return NULL;
	}
	from = (size_t)fk->location;
	end = clause_end(x, d, fk->location);
	k = token_at(x, fk->location);
	if (k < x->ntok && word_is(x, k, "CONSTRAINT")) {
		k = find_word(x, k, "REFERENCES");
		if (k >= x->ntok)
			return NULL;
	}
	rel = name_at(x, a->relation->location);
	name = fk->conname && fk->conname[0]
	    ? xstrdup(fk->conname)
	    : object_name(a->relation->relname, d->colname, "fkey");
	header(x,
	    "the column added bare, then its foreign key added NOT "
	    "VALID and validated in its own transaction");
	while (
	    from > 0 && isspace((unsigned char)x->text[x->s->off + from - 1]))
		from--;
	add_span(x, 0, from);
	add_span(x, end, x->body);
	buf_addf(&x->out, ";\n-- strata:commit\nALTER TABLE %s ADD CONSTRAINT ",
	    rel);
	ident(&x->out, name);
	buf_adds(&x->out, " FOREIGN KEY (");
	ident(&x->out, d->colname);
	buf_adds(&x->out, ") ");
	buf_add(&x->out, x->text + x->tok[k].off,
	    x->s->off + end - x->tok[k].off);
	return validate_after(x, rel, name);
}

/* ADD CONSTRAINT ... FOREIGN KEY / CHECK: NOT VALID, commit, VALIDATE. */
static char *
fix_not_valid(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = only_cmd(x, &a);
	const PgQuery__Constraint     *c;
	char                          *rel, *name, *table;
	struct buf                     cols = BUF_INIT;

	if (cmd && cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn)
		return fix_column_fk(x, a, cmd, why);
	if (cmd &&
	    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint) {
		/* VALIDATE in the transaction of its NOT VALID ADD. */
		buf_adds(&x->out, "-- strata:commit\n");
		header(x, "validated in a transaction of its own");
		add_span(x, 0, x->s->len);
		return buf_detach(&x->out);
	}
	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
		*why = "the constraint is added with other actions (or with "
		       "its column): give it an ALTER TABLE ... ADD "
		       "CONSTRAINT of its own";
		return NULL;
	}
	c = cmd->def->constraint;
	if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
	    c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
		return NULL;
	table = pg_range_name(a->relation);
	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && table &&
	    lint_partitioned_find(x->c->run, table) != NULL) {
		free(table);
		*why = "PostgreSQL cannot add a NOT VALID foreign key to a "
		       "partitioned table";
		return NULL;
	}
	free(table);
	if (c->conname && c->conname[0])
		name = xstrdup(c->conname);
	else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
		names_of(&cols, c->fk_attrs, c->n_fk_attrs, "_", false);
		name = object_name(a->relation->relname, buf_cstr(&cols),
		    "fkey");
	} else {
		struct columns used = { { NULL }, 0, false };

		walk((const ProtobufCMessage *)c->raw_expr, column_ref, &used);
		name = object_name(a->relation->relname,
		    used.n == 1 && !used.more ? used.v[0] : NULL, "check");
	}
	buf_free(&cols);
	rel = name_at(x, a->relation->location);
	header(x,
	    "added NOT VALID, then validated in its own transaction "
	    "(no lock held while it scans)");
	add_span(x, 0, x->body);
	return validate_after(x, rel, name);
}

static char *
fix_set_not_null(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = only_cmd(x, &a);
	char                          *rel, *table, *stmt;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull) {
		*why = "SET NOT NULL is one action of several: give it an "
		       "ALTER TABLE of its own";
		return NULL;
	}
	if (x->c->run->opt->pg_version < 120000) {
		*why = "PostgreSQL before 12 scans for SET NOT NULL even with "
		       "a validated CHECK";
		return NULL;
	}
	rel = name_at(x, a->relation->location);
	table = pg_range_name(a->relation);
	stmt = xstrndup(x->text + x->s->off, x->s->len);
	header(x,
	    "a CHECK (col IS NOT NULL) validated first, so SET NOT "
	    "NULL does not scan under its lock");
	not_null_steps(x, rel, table ? table : "", cmd->name, stmt);
	free(stmt);
	free(rel);
	free(table);
	return buf_detach(&x->out);
}

/* ADD PRIMARY KEY / UNIQUE: the index built CONCURRENTLY, then USING INDEX. */
static char *
fix_key(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = only_cmd(x, &a);
	const PgQuery__Constraint     *c;
	char                          *rel, *table, *name;
	struct buf                     cols = BUF_INIT;
	bool                           pk;
	size_t                         i;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
		*why = "the key is added with other actions: give it an ALTER "
		       "TABLE ... ADD CONSTRAINT of its own";
		return NULL;
	}
	c = cmd->def->constraint;
	pk = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
	if (c->n_options > 0 || (c->indexspace && c->indexspace[0]) ||
	    c->nulls_not_distinct || c->n_keys == 0) {
		*why = "the key has index options (WITH, USING INDEX "
		       "TABLESPACE, NULLS NOT DISTINCT) strata does not carry "
		       "over: build the index CONCURRENTLY by hand, then ADD "
		       "CONSTRAINT ... USING INDEX";
		return NULL;
	}
	table = pg_range_name(a->relation);
	if (table && lint_partitioned_find(x->c->run, table) != NULL) {
		free(table);
		*why = "PostgreSQL refuses USING INDEX on a partitioned table";
		return NULL;
	}
	if (c->conname && c->conname[0])
		name = xstrdup(c->conname);
	else if (pk)
		name = object_name(a->relation->relname, NULL, "pkey");
	else {
		names_of(&cols, c->keys, c->n_keys, "_", false);
		name = object_name(a->relation->relname, buf_cstr(&cols),
		    "key");
		buf_reset(&cols);
	}
	rel = name_at(x, a->relation->location);
	header(x,
	    pk ? "its columns made NOT NULL without a scan under a "
		 "lock, its index built CONCURRENTLY, then the key "
		 "added USING INDEX"
	       : "its index built CONCURRENTLY, then the constraint "
		 "added USING INDEX");
	for (i = 0; pk && i < c->n_keys; i++) {
		not_null_steps(x, rel, table ? table : "", str_of(c->keys[i]),
		    NULL);
		buf_adds(&x->out, "\n");
	}
	buf_adds(&x->out, "CREATE UNIQUE INDEX CONCURRENTLY ");
	ident(&x->out, name);
	buf_addf(&x->out, " ON %s (", rel);
	names_of(&x->out, c->keys, c->n_keys, ", ", true);
	buf_adds(&x->out, ")");
	if (c->n_including > 0) {
		buf_adds(&x->out, " INCLUDE (");
		names_of(&x->out, c->including, c->n_including, ", ", true);
		buf_adds(&x->out, ")");
	}
	buf_addf(&x->out, ";\nALTER TABLE %s ADD CONSTRAINT ", rel);
	ident(&x->out, name);
	buf_addf(&x->out, " %s USING INDEX ", pk ? "PRIMARY KEY" : "UNIQUE");
	ident(&x->out, name);
	if (c->deferrable)
		buf_adds(&x->out, " DEFERRABLE");
	if (c->initdeferred)
		buf_adds(&x->out, " INITIALLY DEFERRED");
	buf_adds(&x->out, ";");
	buf_free(&cols);
	free(name);
	free(rel);
	free(table);
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
static bool
key_before(const struct fx *x, const PgQuery__RangeVar *rv)
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
static size_t
clause_end(const struct fx *x, const PgQuery__ColumnDef *d, int loc)
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

/* ADD COLUMN with a volatile default: added bare, then filled in batches. */
static char *
fix_volatile_default(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = only_cmd(x, &a);
	const PgQuery__ColumnDef      *d;
	size_t                         i, cut[2][2] = { { 0, 0 }, { 0, 0 } };
	size_t                         ncut = 0, at = 0, k;
	bool                           notnull = false;
	char                          *rel, *table, *expr = NULL;

	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
		*why = "the column is added with other actions: give it an "
		       "ALTER TABLE ... ADD COLUMN of its own";
		return NULL;
	}
	d = cmd->def->column_def;
	for (i = 0; i < d->n_constraints; i++) {
		const PgQuery__Constraint *c = d->constraints[i]->constraint;

		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT ||
		    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) {
			if (ncut == 2)
				return NULL;
			cut[ncut][0] = (size_t)c->location;
			cut[ncut][1] = clause_end(x, d, c->location);
			if (c->contype ==
			    PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT) {
				k = token_at(x, c->location);
				if (k + 1 >= x->ntok)
					return NULL;
				expr = xstrndup(x->text + x->tok[k + 1].off,
				    x->s->off + cut[ncut][1] -
					x->tok[k + 1].off);
			} else
				notnull = true;
			ncut++;
		} else {
			*why = "the column has constraints besides DEFAULT and "
			       "NOT NULL (or is GENERATED): add it bare, then "
			       "add them one by one";
			free(expr);
			return NULL;
		}
	}
	if (expr == NULL)
		return NULL;
	if (!key_before(x, a->relation)) {
		*why = "the rows there are filled by a backfill, which walks "
		       "the table by its primary key, and strata knows of none "
		       "before this file: add one first";
		free(expr);
		return NULL;
	}
	if (ncut == 2 && cut[0][0] > cut[1][0]) {
		size_t t0 = cut[0][0], t1 = cut[0][1];

		cut[0][0] = cut[1][0], cut[0][1] = cut[1][1];
		cut[1][0] = t0, cut[1][1] = t1;
	}
	rel = name_at(x, a->relation->location);
	table = pg_range_name(a->relation);
	header(x,
	    "the column added without its default (no rewrite), the "
	    "default set, and the rows there filled in batches");
	for (i = 0; i < ncut; i++) {
		size_t from = cut[i][0];

		while (from > at &&
		    isspace((unsigned char)x->text[x->s->off + from - 1]))
			from--;
		add_span(x, at, from);
		at = cut[i][1];
	}
	add_span(x, at, x->body);
	buf_addf(&x->out, ";\n-- strata:commit\nALTER TABLE %s ALTER COLUMN ",
	    rel);
	ident(&x->out, d->colname);
	buf_addf(&x->out, " SET DEFAULT %s;\n-- strata:batch\nUPDATE %s SET ",
	    expr, rel);
	ident(&x->out, d->colname);
	buf_adds(&x->out, " = DEFAULT WHERE ");
	ident(&x->out, d->colname);
	buf_adds(&x->out, " IS NULL;");
	if (notnull) {
		buf_adds(&x->out, "\n");
		not_null_steps(x, rel, table ? table : "", d->colname, NULL);
	}
	free(expr);
	free(rel);
	free(table);
	return buf_detach(&x->out);
}

static char *
fix_batch(struct fx *x, const char **why)
{
	const PgQuery__Node *with = NULL, *returning = NULL;

	if (x->node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
		with = x->node->update_stmt->with_clause ? x->node : NULL;
		returning = x->node->update_stmt->n_returning_list ? x->node
								   : NULL;
	} else if (x->node->node_case == PG_QUERY__NODE__NODE_DELETE_STMT) {
		with = x->node->delete_stmt->with_clause ? x->node : NULL;
		returning = x->node->delete_stmt->n_returning_list ? x->node
								   : NULL;
	} else
		return NULL;
	if (with || returning) {
		*why = "a statement with WITH or RETURNING cannot run in "
		       "batches: write the change as a plain UPDATE or DELETE "
		       "under -- strata:batch";
		return NULL;
	}
	if (!key_before(x,
		x->node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT
		    ? x->node->update_stmt->relation
		    : x->node->delete_stmt->relation)) {
		*why = "a backfill walks the table by its primary key (or a "
		       "unique index on NOT NULL columns), and strata knows "
		       "of none before this file: add one first";
		return NULL;
	}
	header(x,
	    "run in batches of 10,000 rows by the table's key, each "
	    "its own transaction");
	buf_adds(&x->out, "-- strata:batch\n");
	add_span(x, 0, x->s->len);
	return buf_detach(&x->out);
}

/* The text of a bound's datum at loc, to the next ',' or ')' outside (). */
static char *
datum_text(const struct fx *x, int loc)
{
	size_t k = token_at(x, loc), end, depth = 0;

	if (k >= x->ntok)
		return NULL;
	for (end = k; end < x->ntok; end++) {
		char ch = x->tok[end].type == TOKEN_PUNCT
		    ? x->text[x->tok[end].off]
		    : 0;

		if (ch == '(')
			depth++;
		else if (ch == ')' && depth-- == 0)
			break;
		else if (ch == ',' && depth == 0)
			break;
	}
	if (end == k)
		return NULL;
	return xstrndup(x->text + x->tok[k].off,
	    x->tok[end - 1].off + x->tok[end - 1].len - x->tok[k].off);
}

/* A range bound side: "" for MINVALUE/MAXVALUE, else the datum's text. */
static char *
range_side(const struct fx *x, PgQuery__Node **v, size_t n)
{
	const PgQuery__PartitionRangeDatum *d;
	const char                         *word;

	if (n != 1)
		return NULL;
	/* As the grammar leaves them: a constant, or MINVALUE / MAXVALUE. */
	if (v[0]->node_case == PG_QUERY__NODE__NODE_A_CONST)
		return v[0]->a_const->isnull
		    ? NULL
		    : datum_text(x, v[0]->a_const->location);
	if (v[0]->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
	    v[0]->column_ref->n_fields == 1 &&
	    (word = str_of(v[0]->column_ref->fields[0])) != NULL &&
	    (strcmp(word, "minvalue") == 0 || strcmp(word, "maxvalue") == 0))
		return xstrdup("");
	if (v[0]->node_case != PG_QUERY__NODE__NODE_PARTITION_RANGE_DATUM)
		return NULL;
	d = v[0]->partition_range_datum;
	if (d->kind !=
	    PG_QUERY__PARTITION_RANGE_DATUM_KIND__PARTITION_RANGE_DATUM_VALUE)
		return xstrdup("");
	return d->value ? datum_text(x, d->location) : NULL;
}

/* ATTACH PARTITION: a validated CHECK of the bound first, dropped after. */
static char *
fix_attach(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt     *a;
	const PgQuery__AlterTableCmd      *cmd = only_cmd(x, &a);
	const PgQuery__PartitionCmd       *pc;
	const PgQuery__PartitionBoundSpec *b;
	struct lint_partitioned           *p;
	struct buf                         check = BUF_INIT, key = BUF_INIT;
	char  *parent, *child, *childname, *tmp, *lo = NULL, *hi = NULL;
	size_t i;

	if (cmd == NULL || cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD)
		return NULL;
	pc = cmd->def->partition_cmd;
	b = pc->bound;
	parent = pg_range_name(a->relation);
	p = parent ? lint_partitioned_find(x->c->run, parent) : NULL;
	free(parent);
	if (p == NULL || p->keys[0] == '\0' || strchr(p->keys, ',') ||
	    b == NULL || b->is_default || b->strategy == NULL ||
	    (strcmp(b->strategy, "r") != 0 && strcmp(b->strategy, "l") != 0)) {
		*why = "strata writes the bound's CHECK for a range or list "
		       "partition of a table with one key column it knows; "
		       "add CHECK (bound) NOT VALID, VALIDATE, then ATTACH, by "
		       "hand";
		return NULL;
	}
	ident(&key, p->keys);
	buf_addf(&check, "%s IS NOT NULL", buf_cstr(&key));
	if (strcmp(b->strategy, "r") == 0) {
		lo = range_side(x, b->lowerdatums, b->n_lowerdatums);
		hi = range_side(x, b->upperdatums, b->n_upperdatums);
		if (lo == NULL || hi == NULL)
			goto unfixed;
		if (*lo)
			buf_addf(&check, " AND %s >= %s", buf_cstr(&key), lo);
		if (*hi)
			buf_addf(&check, " AND %s < %s", buf_cstr(&key), hi);
	} else {
		buf_addf(&check, " AND %s IN (", buf_cstr(&key));
		for (i = 0; i < b->n_listdatums; i++) {
			char *v = NULL;

			if (b->listdatums[i]->node_case ==
				PG_QUERY__NODE__NODE_A_CONST &&
			    !b->listdatums[i]->a_const->isnull)
				v = datum_text(x,
				    b->listdatums[i]->a_const->location);
			if (v == NULL)
				goto unfixed;
			buf_addf(&check, "%s%s", i ? ", " : "", v);
			free(v);
		}
		buf_adds(&check, ")");
	}
	child = name_at(x, pc->name->location);
	childname = pg_range_name(pc->name);
	tmp = temp_name(x, childname ? childname : "", "bound");
	header(x,
	    "a validated CHECK of the bound first, so ATTACH does not "
	    "scan the table under its lock");
	buf_addf(&x->out,
	    "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s) NOT VALID;\n"
	    "-- strata:commit\nALTER TABLE %s VALIDATE CONSTRAINT %s;\n"
	    "-- strata:commit\n",
	    child, tmp, buf_cstr(&check), child, tmp);
	add_span(x, 0, x->s->len);
	buf_addf(&x->out,
	    "\n-- strata:commit\nALTER TABLE %s DROP CONSTRAINT %s;", child,
	    tmp);
	free(child);
	free(childname);
	free(tmp);
	free(lo);
	free(hi);
	buf_free(&check);
	buf_free(&key);
	return buf_detach(&x->out);
unfixed:
	*why = "a bound strata cannot copy into a CHECK (an expression, "
	       "NULL): add CHECK (bound) NOT VALID, VALIDATE, then ATTACH, "
	       "by hand";
	free(lo);
	free(hi);
	buf_free(&check);
	buf_free(&key);
	return NULL;
}

/* DROP COLUMN / DROP TABLE: the statement as it is, for a contract part. */
static char *
fix_move(struct fx *x)
{
	header(x,
	    "moved into the contract part: it runs with 'strata "
	    "complete', once the application no longer uses it");
	add_span(x, 0, x->s->len);
	return buf_detach(&x->out);
}

static const struct {
	const char *rule;
	char *(*fn)(struct fx *, const char **);
} fixers[] = {
	{ "require-concurrent-index-creation", fix_concurrent },
	{ "require-concurrent-index-deletion", fix_concurrent },
	{ "require-concurrent-reindex", fix_concurrent },
	{ "require-concurrent-partition-detach", fix_concurrent },
	{ "adding-foreign-key-constraint", fix_not_valid },
	{ "constraint-missing-not-valid", fix_not_valid },
	{ "adding-not-nullable-field", fix_set_not_null },
	{ "adding-primary-key", fix_key },
	{ "disallowed-unique-constraint", fix_key },
	{ "adding-field-with-default", fix_volatile_default },
	{ "unbatched-data-change", fix_batch },
	{ "attach-partition-scan", fix_attach },
};

bool
fix_moves(const char *rule)
{
	return strcmp(rule, "ban-drop-column") == 0 ||
	    strcmp(rule, "ban-drop-table") == 0;
}

bool
fix_has(const char *rule)
{
	size_t i;

	for (i = 0; i < sizeof(fixers) / sizeof(fixers[0]); i++)
		if (strcmp(fixers[i].rule, rule) == 0)
			return true;
	return fix_moves(rule);
}

char *
fix_statement(const struct fix_ctx *c, const char **why)
{
	struct fx x;
	char     *out = NULL;
	size_t    i;

	*why = NULL;
	if (!fix_has(c->finding->rule))
		return NULL;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.text = c->f->text.ptr;
	x.s = &c->f->stmts.v[c->index];
	x.body = x.s->len;
	while (x.body > 0 &&
	    (x.text[x.s->off + x.body - 1] == ';' ||
		isspace((unsigned char)x.text[x.s->off + x.body - 1])))
		x.body--;
	/* A move keeps the statement as it is, in either dialect. */
	if (fix_moves(c->finding->rule))
		return fix_move(&x);
	if ((x.tree = pg_tree_parse(x.text, x.s)) == NULL ||
	    (x.node = pg_tree_stmt(x.tree)) == NULL) {
		pg_tree_free(x.tree);
		return NULL;
	}
	x.ntok = pg_tokens(x.text, x.s, &x.tok);
	for (i = 0; out == NULL && *why == NULL &&
	     i < sizeof(fixers) / sizeof(fixers[0]);
	     i++)
		if (strcmp(fixers[i].rule, c->finding->rule) == 0)
			out = fixers[i].fn(&x, why);
	if (out == NULL)
		buf_free(&x.out);
	free(x.tok);
	pg_tree_free(x.tree);
	return out;
}
