/*
 * lint_trace.c - `strata lint --trace`: run what `up` would run inside one
 * transaction that is rolled back, and watch each statement: how long it
 * took, which relation locks it took (pg_locks), which tables it rewrote
 * (their relfilenode changed). Meant for a scratch or staging copy with
 * realistic data: the statements really run, on its rows.
 *
 * Everything runs in one transaction so that each migration sees the ones
 * before it; an ACCESS EXCLUSIVE lock counts as held from the statement
 * that took it to the end of its own migration, as in a real run, where
 * each migration commits on its own.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/runner.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "lint_trace.h"

#define LONG_LOCK_MS 1000.0

/* name -> value rows of a two-column query. */
struct pairs {
	char **a;
	char **b;
	size_t n;
	size_t alloc_a;
	size_t alloc_b;
};

static int
pairs_cb(void *arg, int ncols, char **v)
{
	struct pairs *p = arg;

	if (ncols < 2 || v[0] == NULL || v[1] == NULL)
		return 0;
	ARRAY_GROW(p->a, p->n + 1, p->alloc_a);
	ARRAY_GROW(p->b, p->n + 1, p->alloc_b);
	p->a[p->n] = xstrdup(v[0]);
	p->b[p->n] = xstrdup(v[1]);
	p->n++;
	return 0;
}

static void
pairs_free(struct pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->a[i]);
		free(p->b[i]);
	}
	free(p->a);
	free(p->b);
	memset(p, 0, sizeof(*p));
}

static const char *
pairs_get(const struct pairs *p, const char *a)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->a[i], a) == 0)
			return p->b[i];
	return NULL;
}

static bool
pairs_has(const struct pairs *p, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->a[i], a) == 0 && strcmp(p->b[i], b) == 0)
			return true;
	return false;
}

static struct lint_trace *
trace_add(struct lint_run *run, const struct migration *m, size_t i)
{
	struct lint_trace *t;

	ARRAY_GROW(run->trace, run->n_trace + 1, run->alloc_trace);
	t = &run->trace[run->n_trace++];
	memset(t, 0, sizeof(*t));
	t->file = m->up.path;
	t->version = m->version;
	t->statement = (int)i + 1;
	return t;
}

/* An ACCESS EXCLUSIVE lock taken in the migration being traced. */
struct held {
	char   *table;
	size_t  statement;
	int64_t since_us;
};

static void
long_locks(struct lint_run *run, struct migration *m, struct held *h, size_t n,
    int64_t end_us)
{
	struct lint_stmt ls;
	size_t           i;

	memset(&ls, 0, sizeof(ls));
	ls.run = run;
	ls.file = &m->up;
	ls.version = m->version;
	for (i = 0; i < n; i++) {
		double ms = (double)(end_us - h[i].since_us) / 1000.0;

		if (ms > LONG_LOCK_MS) {
			ls.s = &m->up.stmts.v[h[i].statement];
			ls.index = h[i].statement;
			lint_report(&ls, R_TRACED_LONG_LOCK, 0, h[i].table,
			    "ACCESS EXCLUSIVE", "reads and writes",
			    "make what runs under the lock shorter: split the "
			    "migration, or move the slow work out of its "
			    "transaction",
			    "traced: ACCESS EXCLUSIVE on existing table \"%s\" was "
			    "held for %.0f ms, from this statement to the end of "
			    "its migration",
			    h[i].table, ms);
		}
		free(h[i].table);
	}
}

/* Trace one statement; 0, or -1 when it failed (the transaction is over). */
static int
trace_stmt(struct db *db, struct lint_run *run, struct migration *m, size_t i,
    struct pairs *held_before, struct held **held, size_t *nheld,
    size_t *alloc_held)
{
	const struct stmt *s = &m->up.stmts.v[i];
	struct lint_trace *t = trace_add(run, m, i);
	struct pairs       before = { 0 }, after = { 0 }, now = { 0 };
	struct exec_result res;
	struct lint_stmt   ls;
	int64_t            t0;
	size_t             k;
	int                rc;

	memset(&res, 0, sizeof(res));
	exec_result_clear(&res);
	t->traced = true;
	if ((rc = db_table_files(db, pairs_cb, &before)) < 0)
		goto out;
	t0 = time_mono_us();
	if ((rc = db_exec(db, m->up.text.ptr + s->off, s->len, s, &res)) < 0) {
		log_warn("--trace stopped at %s:%d: %s", m->up.path, s->line,
		    res.message ? res.message : "the statement failed");
		t->duration_ms = (double)(time_mono_us() - t0) / 1000.0;
		goto out;
	}
	t->duration_ms = (double)(time_mono_us() - t0) / 1000.0;
	/* Waiting behind another session is not holding: apart. */
	t->lock_wait_ms = res.lock_wait_ms < t->duration_ms ? res.lock_wait_ms
							    : t->duration_ms;
	if ((rc = db_table_files(db, pairs_cb, &after)) < 0 ||
	    (rc = db_locks_held(db, pairs_cb, &now)) < 0)
		goto out;
	memset(&ls, 0, sizeof(ls));
	ls.run = run;
	ls.file = &m->up;
	ls.s = s;
	ls.index = i;
	ls.version = m->version;
	for (k = 0; k < now.n; k++) {
		if (pairs_has(held_before, now.a[k], now.b[k]))
			continue;
		t->locks = xrealloc(t->locks,
		    (t->n_locks + 1) * sizeof(*t->locks));
		t->locks[t->n_locks].table = xstrdup(now.a[k]);
		t->locks[t->n_locks].mode = xstrdup(now.b[k]);
		t->n_locks++;
		if (strcmp(now.b[k], "ACCESS EXCLUSIVE") == 0 &&
		    !lint_table_is_new(run, now.a[k])) {
			ARRAY_GROW(*held, *nheld + 1, *alloc_held);
			(*held)[*nheld].table = xstrdup(now.a[k]);
			(*held)[*nheld].statement = i;
			(*held)[*nheld].since_us = t0 +
			    (int64_t)(t->lock_wait_ms * 1000.0);
			(*nheld)++;
		}
	}
	for (k = 0; k < after.n; k++) {
		const char *was = pairs_get(&before, after.a[k]);

		if (was == NULL || strcmp(was, after.b[k]) == 0)
			continue;
		t->rewrote = xrealloc(t->rewrote,
		    (t->n_rewrote + 1) * sizeof(*t->rewrote));
		t->rewrote[t->n_rewrote++] = xstrdup(after.a[k]);
		if (!lint_table_is_new(run, after.a[k]))
			lint_report(&ls, R_TRACED_REWRITE, 0, after.a[k],
			    "ACCESS EXCLUSIVE", "reads and writes",
			    "see the statement's own finding for the safe form",
			    "traced: this statement rewrote existing table \"%s\" "
			    "(%.0f ms here, after %.0f ms waiting for its lock)",
			    after.a[k], t->duration_ms - t->lock_wait_ms,
			    t->lock_wait_ms);
	}
	pairs_free(held_before);
	*held_before = now;
	memset(&now, 0, sizeof(now));
out:
	exec_result_clear(&res);
	pairs_free(&before);
	pairs_free(&after);
	pairs_free(&now);
	return rc;
}

int
lint_trace_run(struct db *db, struct lint_run *run, struct plan *plan)
{
	struct pairs held_before = { 0 };
	size_t       i, k;
	int          rc;

	run->traced = true;
	if ((rc = db_begin(db)) < 0)
		return rc;
	for (i = 0; i < plan->n; i++) {
		struct migration *m = &plan->v[i];
		struct held      *held = NULL;
		size_t            nheld = 0, alloc = 0;
		int64_t           end;

		if (m->up_file == NULL ||
		    (m->state != STATE_PENDING &&
			m->state != STATE_OUT_OF_ORDER))
			continue;
		if ((rc = runner_prepare(db, m, false)) < 0)
			break;
		for (k = 0; k < m->up.stmts.n && rc == 0; k++) {
			if (m->up.no_tx || m->up.stmts.v[k].nontx) {
				trace_add(run, m, k)->traced = false;
				continue;
			}
			rc = trace_stmt(db, run, m, k, &held_before, &held,
			    &nheld, &alloc);
		}
		end = time_mono_us();
		long_locks(run, m, held, nheld, end);
		free(held);
		if (rc < 0)
			break;
	}
	pairs_free(&held_before);
	db_rollback(db);
	/* A statement that failed ends the trace, not the lint run. */
	if (rc < 0 && err_last()->code != EXIT_USAGE) {
		err_clear();
		rc = 0;
	}
	return rc;
}
