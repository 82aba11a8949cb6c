/*
 * fix_columns.c - a column renamed, or its type changed, by expand and
 * contract, and the rollback file's undo of it to match.
 *
 * Expand: a new column beside the old one (for a type change under a
 * temporary name, the new type; for a rename, the new name), a trigger
 * keeping it equal to the old one (a rename: both ways), the rows there
 * copied in batches, the old column's plain indexes built on it
 * CONCURRENTLY under temporary names, its NOT NULL prepared as a
 * validated CHECK. Contract, in one short transaction: the trigger and the
 * old column dropped, the new one renamed into place (a type change),
 * NOT NULL set, the indexes given their old names. What the column
 * carries comes from the database's catalog; without one, or with a
 * constraint, a view or an expression index on it, it is not fixed.
 *
 * The rollback's own statement (the RENAME back, the TYPE back) becomes a
 * phased undo: its contract part puts the expanded state back, its expand
 * part removes what the expand made, each step safe to run when the
 * contract did not.
 */
#include "fix_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "../util/hash.h"

/* The names of one column move, the same for the forward and the undo. */
struct move {
	char       *rel;    /* the table as written */
	const char *col;    /* the old column */
	const char *final;  /* the column at the end: col, or the new name */
	char       *tmpcol; /* the new column while expanded */
	char       *fn;     /* the sync function and its trigger */
	char       *chk;    /* the NOT NULL check while expanded */
	const char *type;   /* the new column's type */
	const char *old_type;
	bool        rename;
	const struct lint_column *d;
};

/* Names made from the version, table and column: the undo makes them too. */
static char *
move_name(int64_t version, const char *table, const char *col, const char *what)
{
	char seed[512], out[64];

	snprintf(seed, sizeof(seed), "%lld/%s/%s", (long long)version, table,
	    col);
	snprintf(out, sizeof(out), "strata_%s_%08x", what,
	    (unsigned)(fnv1a(FNV1A_INIT, seed) & 0xffffffffu));
	return xstrdup(out);
}

static void
move_free(struct move *m)
{
	free(m->rel);
	free(m->tmpcol);
	free(m->fn);
	free(m->chk);
}

/* The value of the new column from the old one's `side` (NEW.x, x). */
static void
to_new(struct buf *b, const struct move *m, const char *side)
{
	buf_adds(b, side);
	fx_ident(b, m->col);
	if (!m->rename)
		buf_addf(b, "::%s", m->type);
}

static void
sync_trigger(struct buf *b, const struct move *m)
{
	struct buf nc = BUF_INIT, nt = BUF_INIT, oc = BUF_INIT, ot = BUF_INIT;

	buf_adds(&nc, "NEW.");
	fx_ident(&nc, m->col);
	buf_adds(&nt, "NEW.");
	fx_ident(&nt, m->tmpcol);
	buf_adds(&oc, "OLD.");
	fx_ident(&oc, m->col);
	buf_adds(&ot, "OLD.");
	fx_ident(&ot, m->tmpcol);
	buf_addf(b,
	    "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS "
	    "$strata$\nBEGIN\n",
	    m->fn);
	if (m->rename)
		buf_addf(b,
		    "    IF TG_OP = 'INSERT' THEN\n"
		    "        IF %s IS NULL THEN\n"
		    "            %s := %s;\n"
		    "        ELSIF %s IS NULL THEN\n"
		    "            %s := %s;\n"
		    "        END IF;\n"
		    "    ELSIF %s IS DISTINCT FROM %s\n"
		    "        AND %s IS NOT DISTINCT FROM %s THEN\n"
		    "        %s := %s;\n"
		    "    ELSIF %s IS DISTINCT FROM %s THEN\n"
		    "        %s := %s;\n"
		    "    END IF;\n",
		    nt.ptr, nt.ptr, nc.ptr, nc.ptr, nc.ptr, nt.ptr, nc.ptr,
		    oc.ptr, nt.ptr, ot.ptr, nt.ptr, nc.ptr, nt.ptr, ot.ptr,
		    nc.ptr, nt.ptr);
	else {
		buf_addf(b, "    %s := ", nt.ptr);
		to_new(b, m, "NEW.");
		buf_adds(b, ";\n");
	}
	buf_addf(b,
	    "    RETURN NEW;\nEND\n$strata$;\nCREATE TRIGGER %s BEFORE "
	    "INSERT OR UPDATE ON %s\n    FOR EACH ROW EXECUTE FUNCTION "
	    "%s();\n",
	    m->fn, m->rel, m->fn);
	buf_free(&nc);
	buf_free(&nt);
	buf_free(&oc);
	buf_free(&ot);
}

/*
 * The plain indexes on the column, one at a time: "name|unique|method|
 * col,col"; k counts from 0. Returns false past the last.
 */
static bool
index_at(const struct move *m, size_t k, char **name, bool *unique,
    char **method, char **cols)
{
	const char *p = m->d->indexes;
	size_t      i;
	char       *one, *f[4], *save = NULL;

	for (i = 0; p && i < k; i++)
		p = (p = strchr(p, ';')) ? p + 1 : NULL;
	if (p == NULL || *p == '\0')
		return false;
	one = xstrndup(p, strcspn(p, ";"));
	f[0] = strtok_r(one, "|", &save);
	for (i = 1; i < 4; i++)
		f[i] = strtok_r(NULL, "|", &save);
	if (f[3] == NULL) {
		free(one);
		return false;
	}
	*name = xstrdup(f[0]);
	*unique = strcmp(f[1], "true") == 0 || strcmp(f[1], "t") == 0;
	*method = xstrdup(f[2]);
	*cols = xstrdup(f[3]);
	free(one);
	return true;
}

/* CREATE INDEX CONCURRENTLY of index k, on `col` renamed `as`. */
static void
index_on(struct buf *b, const struct move *m, size_t k, const char *as,
    bool temp)
{
	char *name, *method, *cols, *c, *save = NULL, tmp[80];
	bool  unique, first = true;

	if (!index_at(m, k, &name, &unique, &method, &cols))
		return;
	snprintf(tmp, sizeof(tmp), "%s_i%zu", m->fn, k);
	buf_addf(b, "CREATE %sINDEX CONCURRENTLY ", unique ? "UNIQUE " : "");
	fx_ident(b, temp ? tmp : name);
	buf_addf(b, " ON %s USING %s (", m->rel, method);
	for (c = strtok_r(cols, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		buf_adds(b, first ? "" : ", ");
		fx_ident(b, strcmp(c, m->col) == 0 ? as : c);
		first = false;
	}
	buf_adds(b, ");\n");
	free(name);
	free(method);
	free(cols);
}

/* ALTER INDEX of index k from its old name to the temporary (or back). */
static void
index_rename(struct buf *b, const struct move *m, size_t k, bool to_temp)
{
	char *name, *method, *cols, tmp[80];
	bool  unique;

	if (!index_at(m, k, &name, &unique, &method, &cols))
		return;
	snprintf(tmp, sizeof(tmp), "%s_i%zu", m->fn, k);
	buf_adds(b, "ALTER INDEX ");
	fx_ident(b, to_temp ? name : tmp);
	buf_adds(b, " RENAME TO ");
	fx_ident(b, to_temp ? tmp : name);
	buf_adds(b, ";\n");
	free(name);
	free(method);
	free(cols);
}

static size_t
index_count(const struct move *m)
{
	char  *name, *method, *cols;
	bool   unique;
	size_t k = 0;

	while (index_at(m, k, &name, &unique, &method, &cols)) {
		free(name);
		free(method);
		free(cols);
		k++;
	}
	return k;
}

/* "ALTER TABLE rel <what><col><rest>;" and a newline. */
static void
col_stmt(struct buf *b, const struct move *m, const char *what, const char *col,
    const char *rest)
{
	buf_addf(b, "ALTER TABLE %s %s", m->rel, what);
	fx_ident(b, col);
	buf_addf(b, "%s;\n", rest);
}

/* The same, its rest formatted from an argument. */
static void
col_stmt_arg(struct buf *b, const struct move *m, const char *what,
    const char *col, const char *rest_fmt, const char *arg)
{
	struct buf rest = BUF_INIT;

	buf_addf(&rest, rest_fmt, arg);
	col_stmt(b, m, what, col, buf_cstr(&rest));
	buf_free(&rest);
}

/* The rows there copied into `to` from `from`, in batches. */
static void
backfill(struct buf *b, const struct move *m, const char *to, const char *value)
{
	buf_addf(b, "-- strata:batch\nUPDATE %s SET ", m->rel);
	fx_ident(b, to);
	buf_addf(b, " = %s WHERE ", value);
	fx_ident(b, to);
	buf_addf(b, " IS DISTINCT FROM %s;\n", value);
}

/*
 * After a copy of every row: the dead rows cleared now, so autovacuum is
 * not at work on the table when the next DDL comes (it gives way only
 * after deadlock_timeout, and traffic queues behind the DDL meanwhile).
 */
static void
vacuum(struct buf *b, const char *rel)
{
	buf_addf(b, "VACUUM (ANALYZE) %s;\n", rel);
}

static void
expand(struct buf *b, const struct move *m)
{
	struct buf v = BUF_INIT;
	size_t     k, n = index_count(m);

	col_stmt_arg(b, m, "ADD COLUMN ", m->tmpcol, " %s", m->type);
	buf_adds(b, "-- strata:commit\n");
	if (m->rename && m->d->default_expr)
		col_stmt_arg(b, m, "ALTER COLUMN ", m->tmpcol,
		    " SET DEFAULT %s", m->d->default_expr);
	sync_trigger(b, m);
	buf_adds(b, "-- strata:commit\n");
	to_new(&v, m, "");
	backfill(b, m, m->tmpcol, buf_cstr(&v));
	vacuum(b, m->rel);
	for (k = 0; k < n; k++)
		index_on(b, m, k, m->tmpcol, true);
	if (m->d->notnull)
		fx_not_null_check(b, m->rel, m->chk, m->tmpcol);
	buf_free(&v);
}

static void
contract(struct buf *b, const struct move *m)
{
	size_t k, n = index_count(m);

	buf_addf(b, "DROP TRIGGER %s ON %s;\n", m->fn, m->rel);
	col_stmt(b, m, "DROP COLUMN ", m->col, "");
	if (!m->rename) {
		buf_addf(b, "ALTER TABLE %s RENAME COLUMN ", m->rel);
		fx_ident(b, m->tmpcol);
		buf_adds(b, " TO ");
		fx_ident(b, m->col);
		buf_adds(b, ";\n");
		if (m->d->default_expr)
			col_stmt_arg(b, m, "ALTER COLUMN ", m->col,
			    " SET DEFAULT %s", m->d->default_expr);
	}
	if (m->d->notnull) {
		col_stmt(b, m, "ALTER COLUMN ", m->final, " SET NOT NULL");
		buf_addf(b, "ALTER TABLE %s DROP CONSTRAINT %s;\n", m->rel,
		    m->chk);
	}
	for (k = 0; k < n; k++)
		index_rename(b, m, k, false);
	buf_addf(b, "-- strata:commit\nDROP FUNCTION %s();\n", m->fn);
}

static void
undo_expand(struct buf *b, const struct move *m)
{
	size_t k, n = index_count(m);
	char   tmp[80];

	buf_addf(b,
	    "DROP TRIGGER IF EXISTS %s ON %s;\n-- strata:commit\n"
	    "DROP FUNCTION IF EXISTS %s();\n",
	    m->fn, m->rel, m->fn);
	for (k = 0; k < n; k++) {
		snprintf(tmp, sizeof(tmp), "%s_i%zu", m->fn, k);
		buf_addf(b, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n", tmp);
	}
	buf_addf(b, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;\n", m->rel,
	    m->chk);
	col_stmt(b, m, "DROP COLUMN IF EXISTS ", m->tmpcol, "");
}

/* Back from the contract to the expanded state, exactly. */
static void
undo_contract(struct buf *b, const struct move *m, const struct fx *x)
{
	struct buf v = BUF_INIT;
	size_t     k, n = index_count(m);
	char      *tmp;

	if (!m->rename) {
		buf_addf(b, "ALTER TABLE %s RENAME COLUMN ", m->rel);
		fx_ident(b, m->col);
		buf_adds(b, " TO ");
		fx_ident(b, m->tmpcol);
		buf_adds(b, ";\n");
		if (m->d->default_expr)
			col_stmt(b, m, "ALTER COLUMN ", m->tmpcol,
			    " DROP DEFAULT");
	}
	for (k = 0; k < n; k++)
		index_rename(b, m, k, true);
	if (m->d->notnull) {
		fx_not_null_check(b, m->rel, m->chk, m->tmpcol);
		buf_adds(b, "-- strata:commit\n");
		col_stmt(b, m, "ALTER COLUMN ", m->tmpcol, " DROP NOT NULL");
	}
	col_stmt_arg(b, m, "ADD COLUMN ", m->col, " %s", m->old_type);
	fx_ident(&v, m->tmpcol);
	if (!m->rename)
		buf_addf(&v, "::%s", m->old_type);
	backfill(b, m, m->col, buf_cstr(&v));
	if (m->d->default_expr)
		col_stmt_arg(b, m, "ALTER COLUMN ", m->col, " SET DEFAULT %s",
		    m->d->default_expr);
	if (m->d->notnull) {
		tmp = move_name(x->c->version, m->rel, m->col, "nn");
		fx_not_null_steps(x, b, m->rel, tmp, m->col, NULL);
		buf_adds(b, "\n");
		free(tmp);
	}
	for (k = 0; k < n; k++)
		index_on(b, m, k, m->col, false);
	sync_trigger(b, m);
	buf_free(&v);
}

/* Fill the move for table (RangeVar) rv's column col; why when it can't. */
static bool
move_init(struct fx *x, struct move *m, const PgQuery__RangeVar *rv,
    const char *col, const char **why)
{
	char                    *table = pg_range_name(rv);
	struct lint_partitioned *p;

	memset(m, 0, sizeof(*m));
	m->col = col;
	m->d = table ? lint_describe(x->c->run, table, col) : NULL;
	p = table ? lint_partitioned_find(x->c->run, table) : NULL;
	free(table);
	if (m->d == NULL || !m->d->described || m->d->catalog_type == NULL) {
		*why = "strata copies the column's indexes, default and NOT "
		       "NULL from the database's catalog: run lint --fix with "
		       "--db, or write the expand and contract by hand";
		return false;
	}
	if (m->d->pinned) {
		*why = m->d->pinned;
		return false;
	}
	if (p != NULL) {
		*why = "a partitioned table's column: PostgreSQL cannot add "
		       "the trigger and move the column partition by "
		       "partition for it; write the change by hand";
		return false;
	}
	if (!fx_key_before(x, rv)) {
		*why = "the copy of the rows walks the table by its primary "
		       "key, and it has none";
		return false;
	}
	m->rel = fx_name_at(x, rv->location);
	m->fn = move_name(x->c->version, rv->relname, col, "sync");
	m->chk = move_name(x->c->version, rv->relname, col, "nn");
	m->old_type = m->d->catalog_type;
	return m->rel != NULL;
}

static void
note(const struct fix_ctx *c, enum fix_note_kind kind, const char *table,
    const char *col, const char *to)
{
	struct fix_notes *n = c->notes;
	struct fix_note  *o;

	ARRAY_GROW(n->v, n->n + 1, n->alloc);
	o = &n->v[n->n++];
	o->kind = kind;
	o->version = c->version;
	o->table = xstrdup(table);
	o->column = xstrdup(col);
	o->to = xstrdup(to);
}

char *
fx_fix_retype(struct fx *x, const char **why)
{
	const PgQuery__AlterTableStmt *a;
	const PgQuery__AlterTableCmd  *cmd = fx_only_cmd(x, &a);
	const PgQuery__ColumnDef      *d;
	struct move                    m;
	size_t                         k;
	char                          *type;

	if (x->c->down) {
		*why = "a type change in a rollback file is left as written: "
		       "strata writes the phased undo of its own fixes only";
		return NULL;
	}
	if (cmd == NULL ||
	    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType ||
	    cmd->def == NULL ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
		*why = "the type change is one action of several: give it an "
		       "ALTER TABLE of its own";
		return NULL;
	}
	d = cmd->def->column_def;
	if (d->raw_default != NULL) {
		*why = "a type change with USING has no expression for the "
		       "way back, which the rollback needs: write it by hand";
		return NULL;
	}
	if (x->c->f->phased && x->c->index >= x->c->f->contract) {
		*why = "it is in a contract part already: write its expand "
		       "part by hand";
		return NULL;
	}
	if (!move_init(x, &m, a->relation, cmd->name, why))
		return NULL;
	/* The type as written: from TYPE to the end of the statement. */
	k = fx_find_word(x, 0, "TYPE");
	if (k >= x->ntok) {
		move_free(&m);
		return NULL;
	}
	type = xstrndup(x->text + x->tok[k + 1].off,
	    x->s->off + x->body - x->tok[k + 1].off);
	m.type = type;
	m.final = cmd->name;
	m.tmpcol = move_name(x->c->version, a->relation->relname, cmd->name,
	    "new");
	fx_header(x,
	    "expand: a new column of the new type kept equal by a "
	    "trigger and filled in batches; contract (strata "
	    "complete): the old column dropped and the new one "
	    "renamed into its place, in one short transaction");
	expand(&x->out, &m);
	buf_truncate(&x->out, x->out.len - 1); /* the file's newline follows */
	fx_header_to(x->c->contract, x->c->finding->rule,
	    "the contract of the type change above");
	contract(x->c->contract, &m);
	note(x->c, NOTE_RETYPE, a->relation->relname, cmd->name, type);
	free(type);
	move_free(&m);
	return buf_detach(&x->out);
}

char *
fx_fix_rename(struct fx *x, const char **why)
{
	const PgQuery__RenameStmt *r;
	struct move                m;

	if (x->node->node_case != PG_QUERY__NODE__NODE_RENAME_STMT ||
	    x->node->rename_stmt->rename_type !=
		PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN)
		return NULL;
	r = x->node->rename_stmt;
	if (x->c->f->phased && x->c->index >= x->c->f->contract)
		return NULL;
	if (!move_init(x, &m, r->relation, r->subname, why))
		return NULL;
	m.rename = true;
	m.type = m.d->catalog_type;
	m.final = r->newname;
	m.tmpcol = xstrdup(r->newname);
	fx_header(x,
	    "expand: the new column kept equal to the old one both "
	    "ways by a trigger, and filled in batches; contract "
	    "(strata complete): the old column dropped");
	expand(&x->out, &m);
	buf_truncate(&x->out, x->out.len - 1);
	fx_header_to(x->c->contract, x->c->finding->rule,
	    "the contract of the rename above");
	contract(x->c->contract, &m);
	note(x->c, NOTE_RENAME, r->relation->relname, r->subname, r->newname);
	move_free(&m);
	return buf_detach(&x->out);
}

const struct fix_note *
fix_undo_note(const struct fix_notes *notes, int64_t version,
    const struct sqlfile *f, size_t i)
{
	struct pg_tree        *t = pg_tree_parse(f->text.ptr, &f->stmts.v[i]);
	const PgQuery__Node   *n = pg_tree_stmt(t);
	const struct fix_note *found = NULL;
	size_t                 k;

	for (k = 0; n && !found && k < notes->n; k++) {
		const struct fix_note *o = &notes->v[k];

		if (o->version != version || o->kind == NOTE_MOVED)
			continue;
		if (o->kind == NOTE_RENAME &&
		    n->node_case == PG_QUERY__NODE__NODE_RENAME_STMT &&
		    n->rename_stmt->rename_type ==
			PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
		    n->rename_stmt->relation &&
		    strcmp(n->rename_stmt->relation->relname, o->table) == 0 &&
		    strcmp(n->rename_stmt->subname, o->to) == 0 &&
		    strcmp(n->rename_stmt->newname, o->column) == 0)
			found = o;
		if (o->kind == NOTE_RETYPE &&
		    n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT &&
		    n->alter_table_stmt->relation &&
		    strcmp(n->alter_table_stmt->relation->relname, o->table) ==
			0 &&
		    n->alter_table_stmt->n_cmds == 1 &&
		    n->alter_table_stmt->cmds[0]->alter_table_cmd->subtype ==
			PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType &&
		    strcmp(n->alter_table_stmt->cmds[0]->alter_table_cmd->name,
			o->column) == 0)
			found = o;
	}
	pg_tree_free(t);
	return found;
}

char *
fix_undo(const struct fix_ctx *c)
{
	struct fx                x;
	struct move              m;
	const PgQuery__RangeVar *rv;
	const char              *why = NULL;
	char                    *out = NULL;

	if (!fx_open(&x, c))
		return NULL;
	rv = x.node->node_case == PG_QUERY__NODE__NODE_RENAME_STMT
	    ? x.node->rename_stmt->relation
	    : x.node->alter_table_stmt->relation;
	if (move_init(&x, &m, rv, c->undo->column, &why)) {
		m.rename = c->undo->kind == NOTE_RENAME;
		m.final = m.rename ? c->undo->to : c->undo->column;
		m.tmpcol = m.rename ? xstrdup(c->undo->to)
				    : move_name(c->version, rv->relname,
					  c->undo->column, "new");
		m.type = m.rename ? m.d->catalog_type : c->undo->to;
		buf_addf(&x.out,
		    "-- lint --fix: the undo of the %s's expand "
		    "part; its contract part is undone below\n",
		    m.rename ? "rename" : "type change");
		undo_expand(&x.out, &m);
		buf_truncate(&x.out, x.out.len - 1);
		buf_addf(c->contract,
		    "-- lint --fix: the undo of the %s's "
		    "contract part\n",
		    m.rename ? "rename" : "type change");
		undo_contract(c->contract, &m, &x);
		out = buf_detach(&x.out);
		move_free(&m);
	}
	fx_close(&x);
	return out;
}
