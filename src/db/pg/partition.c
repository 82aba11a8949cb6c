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
 * not built again, an INVALID leftover is dropped and built again.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sql/pg_parse.h"
#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define SAMPLE_EVERY_MS 500

/* An index's definition after its name and table: "USING btree (a)...". */
#define TAIL(oid) \
	"substring(pg_get_indexdef(" oid ") from position(' USING ' in " \
	"pg_get_indexdef(" oid ")) + 1)"

/* One table of the partition tree, parents before their partitions. */
struct part_table {
	char *oid;
	char *parent; /* its parent table's oid */
	char *name;   /* quoted, schema-qualified */
	bool  partitioned;
	char *index;      /* oid of its index in the tree, once known */
	char *index_name; /* and that index's name, as regclass prints it */
};

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

/* First value of a query on the main connection, or NULL. */
static int
value(struct db_pg *d, const char *sql, int n, const char *const *params,
    char **out)
{
	*out = NULL;
	return pgc_query(d->conn, sql, n, params, pg_first_value_cb, out);
}

/* A failure of strata's own step, as the statement's result. */
static int
step_failed(struct exec_result *res)
{
	const struct error *e = err_last();

	free(res->message);
	res->message = xstrdup(e->message ? e->message : "step failed");
	snprintf(res->sqlstate, sizeof(res->sqlstate), "%s", e->sqlstate);
	res->retryable = strcmp(e->sqlstate, "55P03") == 0 ||
	    strcmp(e->sqlstate, "40P01") == 0;
	err_clear();
	return -1;
}

/* Move what one step's result says into the statement's. */
static void
take_result(struct exec_result *res, struct exec_result *one)
{
	free(res->message);
	free(res->detail);
	free(res->hint);
	res->message = one->message;
	res->detail = one->detail;
	res->hint = one->hint;
	one->message = one->detail = one->hint = NULL;
	memcpy(res->sqlstate, one->sqlstate, sizeof(res->sqlstate));
	res->retryable = one->retryable;
	res->lost = one->lost;
	exec_result_clear(one);
}

/* Run one step as a statement is run: its error as the server says it. */
static int
run_step(struct db_pg *d, const char *sql, struct exec_result *res)
{
	struct exec_result one;
	int                rc;

	memset(&one, 0, sizeof(one));
	exec_result_clear(&one);
	if ((rc = pgc_send(d->conn, sql, &one)) == 0)
		rc = pgc_collect(d->conn, NULL, NULL, &one);
	if (rc < 0)
		take_result(res, &one);
	exec_result_clear(&one);
	return rc;
}

/* Run one of strata's steps that takes a lock: under the run's timeout. */
static int
locked_step(struct db_pg *d, const char *sql, struct exec_result *res)
{
	if (pg_set_lock_timeout(d, NULL) < 0)
		return step_failed(res);
	return run_step(d, sql, res);
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
static int
parent_index(struct db_pg *d, const char *sql, size_t len, const struct stmt *s,
    const char *parent, char **index, bool *done, struct exec_result *res)
{
	char *text = on_only_text(sql, len, s), *found = NULL, *probe = NULL;
	const char *params[2] = { s->index, parent };
	int         rc = 0;

	*index = NULL;
	*done = false;
	if (s->index != NULL) {
		/* Its name, in its table's schema (as CREATE INDEX puts it). */
		if (value(d,
			"SELECT i.indexrelid::text || ' ' || i.indisvalid FROM "
			"pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
			"WHERE c.relname = $1 AND c.relnamespace = (SELECT "
			"relnamespace FROM pg_class WHERE oid = $2::oid) AND "
			"i.indrelid = $2::oid AND c.relkind = 'I'",
			2, params, &found) < 0)
			rc = step_failed(res);
	} else {
		/* The definition it would have, from a creation undone. */
		if (pgc_run(d->conn, "BEGIN") < 0 ||
		    pg_set_lock_timeout(d, NULL) < 0 ||
		    pgc_run(d->conn, text) < 0 ||
		    value(d,
			"SELECT " TAIL(
			    "i.indexrelid") " FROM pg_index i JOIN "
					    "pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "
					    "$1::oid ORDER BY c.oid DESC LIMIT 1",
			1, &parent, &probe) < 0)
			rc = step_failed(res);
		pgc_rollback(d->conn);
		d->lock_timeout_set = -2;
		params[0] = probe;
		if (rc == 0 && probe != NULL &&
		    value(d,
			"SELECT i.indexrelid::text || ' ' || i.indisvalid FROM "
			"pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
			"WHERE i.indrelid = $2::oid AND c.relkind = 'I' AND "
			"NOT i.indisvalid AND " TAIL("i.indexrelid") " = $1",
			2, params, &found) < 0)
			rc = step_failed(res);
	}
	if (rc == 0 && found != NULL) {
		char *space = strchr(found, ' ');

		*done = space && space[1] == 't';
		if (space)
			*space = '\0';
		*index = found;
		found = NULL;
	} else if (rc == 0 && (rc = locked_step(d, text, res)) == 0) {
		/* The newest index on the parent: the one just made. */
		if (value(d,
			"SELECT i.indexrelid::text FROM pg_index i WHERE "
			"i.indrelid = $1::oid ORDER BY i.indexrelid DESC LIMIT 1",
			1, &parent, index) < 0)
			rc = step_failed(res);
	}
	free(found);
	free(probe);
	free(text);
	return rc;
}

/* What the build of one statement's index needs at every partition. */
struct build {
	const struct stmt *s;
	const char        *tail;   /* "USING btree (a) ...", its definition */
	const char        *unique; /* "UNIQUE " or "" */
	size_t             leaves, done;
};

/* An index of a partition that is, or may become, part of ours. */
struct candidate {
	char *oid;
	char *name; /* as regclass prints it */
	char *bytes;
	bool  valid;
	bool  attached; /* to the parent's index already */
};

struct candidates {
	struct candidate v[8];
	size_t           n;
};

static int
candidate_cb(void *arg, int ncols, char **v)
{
	struct candidates *c = arg;
	struct candidate  *x;

	if (ncols < 5 || v[0] == NULL || c->n == 8)
		return 0;
	x = &c->v[c->n++];
	x->oid = xstrdup(v[0]);
	x->name = xstrdup(v[1]);
	x->bytes = v[3] ? xstrdup(v[3]) : NULL;
	x->valid = v[2] && v[2][0] == 't';
	x->attached = v[4] && v[4][0] == 't';
	return 0;
}

static void
candidates_free(struct candidates *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].oid);
		free(c->v[i].name);
		free(c->v[i].bytes);
	}
	c->n = 0;
}

/*
 * The indexes of `table` attached to `parent_index`, or equivalent to it
 * and attached to nothing: the attached one first, then the valid ones.
 */
static int
candidates(struct db_pg *d, const struct build *b, const char *table,
    const char *parent_index, struct candidates *out)
{
	const char *params[4] = { table, parent_index, b->unique[0] ? "t" : "f",
		b->tail };

	out->n = 0;
	return pgc_query(d->conn,
	    "SELECT i.indexrelid::text, i.indexrelid::regclass::text, "
	    "i.indisvalid, pg_relation_size(i.indexrelid), "
	    "coalesce(h.inhparent = $2::oid, false) AS attached FROM pg_index "
	    "i LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid WHERE "
	    "i.indrelid = $1::oid AND (h.inhparent = $2::oid OR (h.inhrelid "
	    "IS NULL AND i.indisunique = $3::bool AND " TAIL(
		"i.indexrelid") " = $4)) ORDER BY attached DESC, i.indisvalid DESC, i.indexrelid",
	    4, params, candidate_cb, out);
}

static int
attach(struct db_pg *d, const char *parent_name, const char *name,
    struct exec_result *res)
{
	struct buf sql = BUF_INIT;
	int        rc;

	buf_addf(&sql, "ALTER INDEX %s ATTACH PARTITION %s", parent_name, name);
	rc = locked_step(d, sql.ptr, res);
	buf_free(&sql);
	return rc;
}

/* Add the part's row for the log: what ran on which partition. */
static void
part_done(struct exec_result *res, const char *text, const char *partition,
    double ms, const char *bytes)
{
	struct exec_part *p;

	ARRAY_GROW(res->parts, res->n_parts + 1, res->alloc_parts);
	p = &res->parts[res->n_parts++];
	p->text = xstrdup(text);
	p->partition = xstrdup(partition);
	p->duration_ms = ms;
	p->index_bytes = bytes ? strtoll(bytes, NULL, 10) : -1;
}

/*
 * Build the leaf's index concurrently (lock timeout off: its waits are
 * for old snapshots), its progress shown as "3/24 events_2026_03".
 */
static int
build_leaf(struct db_pg *d, const struct stmt *s, const char *sql,
    const char *leaf, size_t k, size_t leaves, struct exec_result *res)
{
	struct exec_result one;
	int64_t            start = time_mono_us(), next = start;
	int                pid = pgc_backend_pid(d->conn), rc;

	memset(&one, 0, sizeof(one));
	exec_result_clear(&one);
	if (pg_set_lock_timeout(d, s) < 0)
		return step_failed(res);
	if (pgc_send(d->conn, sql, &one) < 0) {
		res->message = one.message;
		return -1;
	}
	while (!pgc_wait(d->conn, SAMPLE_EVERY_MS)) {
		struct pg_progress rows;

		if (time_mono_us() < next)
			continue;
		rows.n = 0;
		pg_progress_sample(d, &pid, 1, &rows);
		db_progress(&d->base, 0, "  %6.1fs  %zu/%zu %s%s%s",
		    (double)(time_mono_us() - start) / 1e6, k, leaves, leaf,
		    rows.n && rows.phase[0] ? ": " : "",
		    rows.n && rows.phase[0] ? rows.phase[0] : "");
		pg_progress_free(&rows);
		next = time_mono_us() + SAMPLE_EVERY_MS * 1000;
	}
	db_progress_done(&d->base, 0);
	if ((rc = pgc_collect(d->conn, NULL, NULL, &one)) < 0)
		take_result(res, &one);
	exec_result_clear(&one);
	return rc;
}

/* The statement that builds a leaf's index. */
static char *
leaf_sql(const struct build *b, const struct part_table *t)
{
	struct buf sql = BUF_INIT;

	buf_addf(&sql, "CREATE %sINDEX CONCURRENTLY ON %s %s", b->unique,
	    t->name, b->tail);
	return buf_detach(&sql);
}

/*
 * A leaf before its build: 0 when it is done (attached already, or an
 * equivalent valid index attached now), 1 when it is to be built (INVALID
 * leftovers of a stopped build dropped), -1 on a failure.
 */
static int
leaf_before(struct db_pg *d, struct build *b, struct part_table *t,
    const struct part_table *up, struct exec_result *res)
{
	struct candidates c;
	struct buf        sql = BUF_INIT;
	int64_t           t0 = time_mono_us();
	size_t            i;
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		return step_failed(res);
	if (c.n > 0 && c.v[0].attached)
		rc = 0;
	else if (c.n > 0 && c.v[0].valid) {
		if ((rc = attach(d, up->index_name, c.v[0].name, res)) == 0)
			part_done(res, "attached an existing index", t->name,
			    (double)(time_mono_us() - t0) / 1000.0,
			    c.v[0].bytes);
	} else {
		for (i = 0; i < c.n && rc == 0; i++) {
			db_notice(&d->base,
			    "dropping the INVALID index a stopped build left on "
			    "%s",
			    t->name);
			buf_reset(&sql);
			buf_addf(&sql, "DROP INDEX CONCURRENTLY %s",
			    c.v[i].name);
			rc = pg_set_lock_timeout(d, b->s) < 0
			    ? step_failed(res)
			    : run_step(d, sql.ptr, res);
		}
		rc = rc < 0 ? rc : 1;
	}
	candidates_free(&c);
	buf_free(&sql);
	return rc;
}

/* A leaf's index built: found, attached, and its row for the log. */
static int
leaf_after(struct db_pg *d, struct build *b, const struct part_table *t,
    const struct part_table *up, int64_t t0, struct exec_result *res)
{
	struct candidates c;
	char             *sql = leaf_sql(b, t);
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		rc = step_failed(res);
	else if (c.n == 0 || !c.v[0].valid) {
		res->message = xstrdup("the partition's index was built but is "
				       "not there to attach");
		rc = -1;
	} else if ((rc = attach(d, up->index_name, c.v[0].name, res)) == 0)
		part_done(res, sql, t->name,
		    (double)(time_mono_us() - t0) / 1000.0, c.v[0].bytes);
	candidates_free(&c);
	free(sql);
	return rc;
}

/* A sub-partitioned partition: its own ON ONLY index, attached. */
static int
do_branch(struct db_pg *d, struct build *b, struct part_table *t,
    const struct part_table *up, struct exec_result *res)
{
	struct candidates c;
	struct buf        sql = BUF_INIT;
	int               rc = 0;

	if (candidates(d, b, t->oid, up->index, &c) < 0)
		return step_failed(res);
	if (c.n == 0) {
		buf_addf(&sql, "CREATE %sINDEX ON ONLY %s %s", b->unique,
		    t->name, b->tail);
		rc = locked_step(d, sql.ptr, res);
		buf_free(&sql);
		if (rc == 0 && candidates(d, b, t->oid, up->index, &c) < 0)
			rc = step_failed(res);
		if (rc == 0 && c.n == 0) {
			res->message = xstrdup("the partition's index was made "
					       "but is not there to attach");
			rc = -1;
		}
	}
	if (rc == 0) {
		t->index = xstrdup(c.v[0].oid);
		t->index_name = xstrdup(c.v[0].name);
		if (!c.v[0].attached)
			rc = attach(d, up->index_name, t->index_name, res);
	}
	candidates_free(&c);
	return rc;
}

bool
pg_is_partitioned(struct db_pg *d, const char *relation, char **oid)
{
	char       *schema, *name, *got = NULL;
	const char *params[2];
	bool        yes;

	*oid = NULL;
	if (relation == NULL || pgc_server_version(d->conn) < 110000)
		return false;
	pg_split_qualified(relation, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (pgc_query(d->conn,
		"SELECT c.oid::text FROM pg_class c JOIN pg_namespace n ON "
		"n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind = "
		"'p' AND (CASE WHEN $2::text IS NULL THEN "
		"pg_table_is_visible(c.oid) ELSE n.nspname = $2 END)",
		2, params, pg_first_value_cb, &got) < 0)
		err_clear();
	yes = got != NULL;
	*oid = got;
	free(schema);
	free(name);
	return yes;
}

/* A leaf to build, and where its build runs. */
struct queued {
	struct part_table       *t;
	const struct part_table *up;
	int                      slot; /* worker running it; -1 not started */
	int64_t                  t0;
	bool                     done;
};

/*
 * Build the queued leaves, up to `jobs` at a time, each on a worker
 * connection of its own (its lock timeout off, as for any concurrent
 * build); each is attached on the main connection as it ends. After a
 * failure no more start, and the running ones finish.
 */
static int
build_parallel(struct db_pg *d, struct build *b, struct queued *q, size_t n,
    int jobs, struct exec_result *res)
{
	size_t next = 0, running = 0, i;
	int    k, rc = 0;
	bool   busy[PG_MAX_JOBS] = { false };

	if (jobs > PG_MAX_JOBS)
		jobs = PG_MAX_JOBS;
	for (;;) {
		for (k = 0; k < jobs && next < n && rc == 0; k++) {
			struct pg_conn    *w;
			struct exec_result one;
			char              *sql;

			if (busy[k])
				continue;
			memset(&one, 0, sizeof(one));
			exec_result_clear(&one);
			if ((w = pg_worker(d, k, &one)) == NULL) {
				take_result(res, &one);
				rc = -1;
				break;
			}
			sql = leaf_sql(b, q[next].t);
			q[next].t0 = time_mono_us();
			if (pgc_send(w, sql, &one) < 0) {
				take_result(res, &one);
				rc = -1;
			} else {
				q[next].slot = k;
				busy[k] = true;
				running++;
				db_progress(&d->base, k, "  %zu/%zu %s",
				    ++b->done, b->leaves, q[next].t->name);
			}
			exec_result_clear(&one);
			free(sql);
			next++;
		}
		if (running == 0)
			break;
		for (i = 0; i < n; i++) {
			struct exec_result one;

			if (q[i].slot < 0 || q[i].done ||
			    !pgc_wait(d->workers[q[i].slot], 50))
				continue;
			memset(&one, 0, sizeof(one));
			exec_result_clear(&one);
			q[i].done = true;
			busy[q[i].slot] = false;
			running--;
			db_progress_done(&d->base, q[i].slot);
			if (pgc_collect(d->workers[q[i].slot], NULL, NULL,
				&one) < 0) {
				if (rc == 0)
					take_result(res, &one);
				rc = -1;
			} else if (rc == 0)
				rc = leaf_after(d, b, q[i].t, q[i].up, q[i].t0,
				    res);
			exec_result_clear(&one);
		}
	}
	return rc;
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
	if (value(d,
		"SELECT CASE WHEN indisunique THEN 'UNIQUE ' ELSE '' END || "
		"chr(9) || indexrelid::regclass::text || chr(9) || " TAIL(
		    "indexrelid") " FROM pg_index WHERE indexrelid = $1::oid",
		1, (const char *const *)&index, &row) < 0 ||
	    row == NULL || (tab = strchr(row, '\t')) == NULL ||
	    strchr(tab + 1, '\t') == NULL || tree_load(d, parent, &t) < 0 ||
	    t.n == 0) {
		rc = step_failed(res);
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
			rc = do_branch(d, &b, p, up, res);
			continue;
		}
		if ((rc = leaf_before(d, &b, p, up, res)) == 1) {
			q[nq].t = p;
			q[nq].up = up;
			q[nq++].slot = -1;
			rc = 0;
		} else if (rc == 0)
			b.done++;
	}
	if (rc == 0 && d->base.jobs > 1 && nq > 1)
		rc = build_parallel(d, &b, q, nq, d->base.jobs, res);
	else
		for (i = 0; rc == 0 && i < nq; i++) {
			char   *text = leaf_sql(&b, q[i].t);
			int64_t t0 = time_mono_us();

			rc = build_leaf(d, s, text, q[i].t->name, ++b.done,
			    b.leaves, res);
			free(text);
			if (rc == 0)
				rc = leaf_after(d, &b, q[i].t, q[i].up, t0,
				    res);
		}
	if (rc == 0 &&
	    value(d,
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
	char       *schema, *name, *got = NULL;
	const char *params[2];
	bool        yes;

	if (s->kind != KIND_DROP_INDEX_CONCURRENTLY || s->index == NULL ||
	    pgc_server_version(d->conn) < 110000)
		return false;
	pg_split_qualified(s->index, &schema, &name);
	params[0] = name;
	params[1] = schema;
	if (pgc_query(d->conn,
		"SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = "
		"c.relnamespace WHERE c.relname = $1 AND c.relkind = 'I' AND "
		"(CASE WHEN $2::text IS NULL THEN pg_table_is_visible(c.oid) "
		"ELSE n.nspname = $2 END)",
		2, params, pg_first_value_cb, &got) < 0)
		err_clear();
	yes = got != NULL;
	free(got);
	free(schema);
	free(name);
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
