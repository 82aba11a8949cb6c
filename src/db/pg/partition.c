/*
 * partition.c - CREATE [UNIQUE] INDEX CONCURRENTLY on a partitioned table,
 * which PostgreSQL refuses, done as a DBA does it by hand: the index made
 * ON ONLY the parent (catalog only, invalid until complete), an index
 * built concurrently on each leaf partition and attached, and a
 * sub-partitioned partition given its own ON ONLY index, attached the same
 * way. When the last one is attached, PostgreSQL marks the parent's index
 * valid: the same index its own CREATE INDEX on the parent makes.
 *
 * Every step first looks at what is there, so a run stopped part-way (a
 * failure, kill -9) is finished by running the statement again: an
 * attached partition is done, an equivalent valid index is attached and
 * not built again, an INVALID leftover is dropped and built again. This
 * file holds the tree and the parent's index; partition_leaf.c each
 * partition's part.
 */
#include "partition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sql/pg_parse.h"
#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

struct tree {
	struct part_table *v;
	size_t             n;
	size_t             alloc;
	size_t             leaves;
};

static int
tree_cb(void *arg, int ncols, char **v)
{
	struct tree       *t = arg;
	struct part_table *p;

	if (ncols < 4 || v[0] == NULL)
		return 0;
	ARRAY_GROW(t->v, t->n + 1, t->alloc);
	p = &t->v[t->n++];
	memset(p, 0, sizeof(*p));
	p->oid = xstrdup(v[0]);
	p->parent = v[1] ? xstrdup(v[1]) : NULL;
	p->name = xstrdup(v[2]);
	p->partitioned = v[3] && v[3][0] == 'p';
	if (!p->partitioned)
		t->leaves++;
	return 0;
}

static void
tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].oid);
		free(t->v[i].parent);
		free(t->v[i].name);
		free(t->v[i].index);
		free(t->v[i].index_name);
	}
	free(t->v);
}

/* The parent first, then every partition below it, level by level. */
static int
tree_load(struct db_pg *d, const char *parent, struct tree *t)
{
	const char *params[1] = { parent };

	return pgc_query(d->conn,
	    "WITH RECURSIVE p(oid, parent, depth) AS (SELECT $1::oid, NULL::oid, "
	    "0 UNION ALL SELECT h.inhrelid, h.inhparent, p.depth + 1 FROM "
	    "pg_inherits h JOIN p ON h.inhparent = p.oid) SELECT p.oid, "
	    "p.parent, p.oid::regclass::text, c.relkind FROM p JOIN pg_class c "
	    "ON c.oid = p.oid ORDER BY p.depth, c.relname",
	    1, params, tree_cb, t);
}

static struct part_table *
tree_find(struct tree *t, const char *oid)
{
	size_t i;

	for (i = 0; oid && i < t->n; i++)
		if (strcmp(t->v[i].oid, oid) == 0)
			return &t->v[i];
	return NULL;
}

/*
 * The statement made ON ONLY its table, not CONCURRENTLY: the same words
 * otherwise, so that the index is the one written.
 */
static char *
on_only_text(const char *sql, size_t len, const struct stmt *s)
{
	struct sql_token *tok;
	struct buf        b = BUF_INIT;
	size_t            n, i, at = 0;
	bool              seen_on = false;

	n = pg_tokens(sql - s->off, s, &tok);
	for (i = 0; i < n; i++) {
		size_t      off = tok[i].off - s->off;
		const char *w = sql + off;

		if (tok[i].len == 12 &&
		    strncasecmp(w, "CONCURRENTLY", 12) == 0) {
			buf_add(&b, sql + at, off - at);
			at = off + tok[i].len;
			continue;
		}
		if (!seen_on && tok[i].len == 2 &&
		    strncasecmp(w, "ON", 2) == 0) {
			seen_on = true;
			buf_add(&b, sql + at, off + 2 - at);
			at = off + 2;
			if (i + 1 < n &&
			    !(tok[i + 1].len == 4 &&
				strncasecmp(sql + tok[i + 1].off - s->off,
				    "ONLY", 4) == 0))
				buf_adds(&b, " ONLY");
		}
	}
	buf_add(&b, sql + at, len - at);
	free(tok);
	return buf_detach(&b);
}

/*
 * The parent's index: found (a run stopped part-way made it), or made ON
 * ONLY now. An unnamed index is named by PostgreSQL, as it names it in a
 * plain CREATE INDEX; on a second run it is found by its definition.
 */
/* The parent's index called `name` ("oid valid"), or NULL. */
static int
named_index(struct db_pg *d, const char *name, const char *parent, char **out)
{
	const char *dot = strrchr(name, '.');
	const char *params[2] = { dot ? dot + 1 : name, parent };

	/* In its table's schema, as CREATE INDEX puts it. */
	return part_value(d,
	    "SELECT i.indexrelid::text || ' ' || i.indisvalid FROM pg_index i "
	    "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND "
	    "c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = "
	    "$2::oid) AND i.indrelid = $2::oid AND c.relkind = 'I'",
	    2, params, out);
}

/*
 * The definition an unnamed index would have, and the name PostgreSQL
 * gives it, from a creation undone: "name<TAB>definition".
 */
static int
probe_unnamed(struct db_pg *d, const char *text, const char *parent, char **out,
    struct exec_result *res)
{
	int rc = 0;

	if (pgc_run(d->conn, "BEGIN") < 0 || pg_set_lock_timeout(d, NULL) < 0 ||
	    pgc_run(d->conn, text) < 0 ||
	    part_value(d,
		"SELECT c.relname || chr(9) || " TAIL(
		    "i.indexrelid") " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
				    "WHERE i.indrelid = $1::oid ORDER BY c.oid DESC LIMIT 1",
		1, &parent, out) < 0 ||
	    *out == NULL)
		rc = part_step_failed(res);
	pgc_rollback(d->conn);
	d->lock_timeout_set = -2;
	return rc;
}

/*
 * The parent's index: found (a run stopped part-way made it), or made ON
 * ONLY now. An unnamed index is named by PostgreSQL, as it names it in a
 * plain CREATE INDEX; on a second run it is found by its definition.
 */
static int
parent_index(struct db_pg *d, const char *sql, size_t len, const struct stmt *s,
    const char *parent, char **index, bool *done, struct exec_result *res)
{
	char *text = on_only_text(sql, len, s), *found = NULL, *probe = NULL;
	const char *name = s->index;
	int         rc = 0;

	*index = NULL;
	*done = false;
	if (name != NULL) {
		if (named_index(d, name, parent, &found) < 0)
			rc = part_step_failed(res);
	} else if ((rc = probe_unnamed(d, text, parent, &probe, res)) == 0) {
		const char *params[2] = { strchr(probe, '\t') + 1, parent };

		/* One a stopped run made: invalid, of that definition. */
		if (part_value(d,
			"SELECT i.indexrelid::text || ' ' || i.indisvalid FROM "
			"pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
			"WHERE i.indrelid = $2::oid AND c.relkind = 'I' AND "
			"NOT i.indisvalid AND " TAIL("i.indexrelid") " = $1",
			2, params, &found) < 0)
			rc = part_step_failed(res);
		*strchr(probe, '\t') = '\0';
		name = probe;
	}
	if (rc == 0 && found == NULL &&
	    (rc = part_locked_step(d, text, res)) == 0 &&
	    named_index(d, name, parent, &found) < 0)
		rc = part_step_failed(res);
	if (rc == 0 && found == NULL) {
		/* IF NOT EXISTS found the name taken by something else. */
		res->message = xstrdup(
		    "the index was not made on the parent "
		    "(its name is taken by another relation?)");
		rc = -1;
	}
	if (rc == 0) {
		char *space = strchr(found, ' ');

		*done = space && space[1] == 't';
		if (space)
			*space = '\0';
		*index = found;
		found = NULL;
	}
	free(found);
	free(probe);
	free(text);
	return rc;
}

/* The oid of a relation of this kind named as in a statement, or NULL. */
static char *
relation_oid(struct db_pg *d, const char *qualified, const char *relkind)
{
	char       *schema, *name, *got = NULL;
	const char *params[3];

	if (qualified == NULL || pgc_server_version(d->conn) < 110000)
		return NULL;
	pg_split_qualified(qualified, &schema, &name);
	params[0] = name;
	params[1] = schema;
	params[2] = relkind;
	if (pgc_query(d->conn,
		"SELECT c.oid::text FROM pg_class c JOIN pg_namespace n ON "
		"n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind = "
		"$3::\"char\" AND (CASE WHEN $2::text IS NULL THEN "
		"pg_table_is_visible(c.oid) ELSE n.nspname = $2 END)",
		3, params, pg_first_value_cb, &got) < 0)
		err_clear();
	free(schema);
	free(name);
	return got;
}

bool
pg_is_partitioned(struct db_pg *d, const char *relation, char **oid)
{
	*oid = relation_oid(d, relation, "p");
	return *oid != NULL;
}

int
pg_partitioned_index(struct db_pg *d, const char *sql, size_t len,
    const struct stmt *s, const char *parent, struct exec_result *res)
{
	struct tree    t = { NULL, 0, 0, 0 };
	struct build   b = { s, NULL, NULL, 0, 0 };
	struct queued *q = NULL;
	char          *index = NULL, *total = NULL, *row = NULL, *tab;
	size_t         i, nq = 0;
	bool           done;
	int            rc;

	if ((rc = parent_index(d, sql, len, s, parent, &index, &done, res)) <
		0 ||
	    done)
		goto out;
	/* Its name, uniqueness and definition, read once for every part. */
	if (part_value(d,
		"SELECT CASE WHEN indisunique THEN 'UNIQUE ' ELSE '' END || "
		"chr(9) || indexrelid::regclass::text || chr(9) || " TAIL(
		    "indexrelid") " FROM pg_index WHERE indexrelid = $1::oid",
		1, (const char *const *)&index, &row) < 0 ||
	    row == NULL || (tab = strchr(row, '\t')) == NULL ||
	    strchr(tab + 1, '\t') == NULL || tree_load(d, parent, &t) < 0 ||
	    t.n == 0) {
		rc = part_step_failed(res);
		goto out;
	}
	*tab = '\0';
	b.unique = row;
	t.v[0].index = xstrdup(index);
	t.v[0].index_name = xstrndup(tab + 1, strcspn(tab + 1, "\t"));
	b.tail = strchr(tab + 1, '\t') + 1;
	b.leaves = t.leaves;
	q = xcalloc(t.n, sizeof(*q));
	/* What is there is taken as it is; what is missing, built after. */
	for (i = 1; i < t.n && rc == 0; i++) {
		struct part_table *p = &t.v[i];
		struct part_table *up = tree_find(&t, p->parent);

		if (up == NULL || up->index == NULL)
			continue;
		if (p->partitioned) {
			rc = part_branch(d, &b, p, up, res);
			continue;
		}
		if ((rc = part_leaf_before(d, &b, p, up, res)) == 1) {
			q[nq].t = p;
			q[nq].up = up;
			q[nq++].slot = -1;
			rc = 0;
		} else if (rc == 0)
			b.done++;
	}
	if (rc == 0)
		rc = part_build(d, &b, q, nq, res);
	if (rc == 0 &&
	    part_value(d,
		"SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i "
		"WHERE i.indexrelid IN (SELECT inhrelid FROM pg_inherits "
		"WHERE inhparent = $1::oid)",
		1, (const char *const *)&index, &total) < 0)
		err_clear();
	res->partitions = (int64_t)t.leaves;
	res->index_bytes = total ? strtoll(total, NULL, 10) : -1;
out:
	free(q);
	free(total);
	free(row);
	free(index);
	tree_free(&t);
	return rc;
}
size_t
pg_partitions(struct db *db, const struct stmt *s, char ***names)
{
	struct db_pg *d = (struct db_pg *)db;
	struct tree   t = { NULL, 0, 0, 0 };
	char         *parent = NULL;
	size_t        i, n = 0;

	*names = NULL;
	if (s->kind != KIND_CREATE_INDEX_CONCURRENTLY ||
	    !pg_is_partitioned(d, s->relation, &parent))
		return 0;
	if (tree_load(d, parent, &t) < 0)
		err_clear();
	*names = xcalloc(t.leaves + 1, sizeof(**names));
	for (i = 1; i < t.n; i++)
		if (!t.v[i].partitioned)
			(*names)[n++] = xstrdup(t.v[i].name);
	tree_free(&t);
	free(parent);
	return n;
}

/*
 * DROP INDEX CONCURRENTLY of a partitioned index, which PostgreSQL
 * refuses: a plain DROP INDEX, which only changes the catalog, under the
 * run's lock timeout.
 */
bool
pg_is_partitioned_index(struct db_pg *d, const struct stmt *s)
{
	char *oid;
	bool  yes;

	if (s->kind != KIND_DROP_INDEX_CONCURRENTLY)
		return false;
	oid = relation_oid(d, s->index, "I");
	yes = oid != NULL;
	free(oid);
	return yes;
}

char *
pg_without_concurrently(const char *sql, size_t len, const struct stmt *s)
{
	struct sql_token *tok;
	struct buf        b = BUF_INIT;
	size_t            n, i, at = 0;

	n = pg_tokens(sql - s->off, s, &tok);
	for (i = 0; i < n; i++) {
		size_t off = tok[i].off - s->off;

		if (tok[i].len == 12 &&
		    strncasecmp(sql + off, "CONCURRENTLY", 12) == 0) {
			buf_add(&b, sql + at, off - at);
			at = off + tok[i].len;
		}
	}
	buf_add(&b, sql + at, len - at);
	free(tok);
	return buf_detach(&b);
}
