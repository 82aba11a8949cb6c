/*
 * plan.c - join files with history, give each version a state, and refuse
 * a run early.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "../util/log.h"
#include "../util/error.h"
#include "sumcache.h"

const char *
state_name(enum mig_state s)
{
	switch (s) {
	case STATE_PENDING: return "pending";
	case STATE_APPLIED: return "applied";
	case STATE_FAILED: return "failed";
	case STATE_DRIFTED: return "drifted";
	case STATE_MISSING: return "missing";
	case STATE_OUT_OF_ORDER: return "out-of-order";
	case STATE_EXPANDED: return "expanded";
	case STATE__COUNT: break;
	}
	return "unknown";
}

bool
row_is_applied(const struct history_row *r)
{
	return r != NULL && strcmp(r->state, "applied") == 0;
}

bool
row_is_expanded(const struct history_row *r)
{
	return r != NULL && strcmp(r->state, "expanded") == 0;
}

bool
row_is_current(const struct history_row *r)
{
	return row_is_applied(r) || row_is_expanded(r);
}

bool
row_rollback_started(const struct history_row *r)
{
	return r != NULL && !row_is_current(r) &&
	    (r->rollback_completed > 0 || r->rollback_extra != NULL);
}

/* The array is sized for every file and row: no version moves. */
static struct migration *
plan_add(struct plan *p, int64_t version)
{
	struct migration *m = &p->v[p->n++];

	m->version = version;
	return m;
}

static int
cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return x->version < y->version ? -1 : x->version > y->version;
}

const char *
rep_state_name(enum rep_state s)
{
	switch (s) {
	case REP_APPLIED: return "applied";
	case REP_CHANGED: return "changed";
	case REP_PENDING: return "pending";
	}
	return "unknown";
}

/*
 * The repeatables of this dialect, each read whole (they are small, and
 * a changed one is told by its checksum), joined with what last ran.
 */
static int
plan_repeatables(struct plan *p, const struct scan *s, enum dialect dialect,
    const struct history *h)
{
	size_t i;
	int    rc;

	if (s->repeatable.n > 0)
		p->rv = xcalloc(s->repeatable.n, sizeof(*p->rv));
	for (i = 0; i < s->repeatable.n; i++) {
		const struct mig_file *f;
		struct repeatable     *r;

		if (i > 0 &&
		    strcmp(s->repeatable.v[i].name,
			s->repeatable.v[i - 1].name) == 0)
			continue;
		f = scan_pick_repeatable(&s->repeatable,
		    s->repeatable.v[i].name, dialect);
		if (f == NULL)
			continue;
		r = &p->rv[p->rn++];
		r->name = f->name;
		r->file = f;
		if ((rc = sqlfile_load(&r->sql, f->path, EXIT_USAGE)) < 0)
			return rc;
		r->row = history_repeat(h, f->name);
		r->state = r->row == NULL ? REP_PENDING
		    : r->row->checksum &&
			strcmp(r->row->checksum, r->sql.checksum) == 0
		    ? REP_APPLIED
		    : REP_CHANGED;
	}
	return 0;
}

int
plan_build(struct plan *p, const struct scan *s, enum dialect dialect,
    const struct history *h, struct sumcache *up, struct sumcache *down)
{
	size_t nfiles, i;
	int    rc;

	memset(p, 0, sizeof(*p));
	if (s->forward.n + h->n > 0)
		p->v = xcalloc(s->forward.n + h->n, sizeof(*p->v));
	/* Versions known to this dialect's files. */
	for (i = 0; i < s->forward.n; i++) {
		const struct mig_file *f;
		struct migration      *m;

		if (i > 0 &&
		    s->forward.v[i].version == s->forward.v[i - 1].version)
			continue;
		f = scan_pick(&s->forward, s->forward.v[i].version, dialect);
		if (f == NULL)
			continue; /* only another dialect's file */
		m = plan_add(p, f->version);
		m->up_file = f;
		m->name = f->name;
	}
	/* Join the history (both lists are sorted by version). */
	nfiles = p->n;
	for (i = 0; i < h->n; i++) {
		struct migration *m = NULL;
		size_t            lo = 0, hi = nfiles;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (p->v[mid].version < h->v[i].version)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nfiles && p->v[lo].version == h->v[i].version)
			m = &p->v[lo];
		if (m == NULL) {
			m = plan_add(p, h->v[i].version);
			m->name = h->v[i].name;
		}
		m->row = &h->v[i];
	}
	/* Out of order only when a row without a file came after one. */
	for (i = 1; i < p->n; i++)
		if (p->v[i - 1].version > p->v[i].version) {
			qsort(p->v, p->n, sizeof(*p->v), cmp_migration);
			break;
		}

	for (i = 0; i < h->n; i++) {
		if (row_is_current(&h->v[i]) && h->v[i].version > p->current)
			p->current = h->v[i].version;
		if (h->v[i].version > p->highest_recorded)
			p->highest_recorded = h->v[i].version;
	}

	for (i = 0; i < p->n; i++) {
		struct migration *m = &p->v[i];

		m->down_file = scan_pick(&s->rollback, m->version, dialect);
		/* A version never run is read in full: `up` will run it. */
		if (m->up_file &&
		    (rc = sumcache_load(m->row ? up : NULL, &m->up, m->up_file,
			 EXIT_USAGE)) < 0)
			return rc;
		if (m->down_file &&
		    (rc = sumcache_load(down, &m->down, m->down_file,
			 EXIT_USAGE)) < 0)
			return rc;
		if (m->row == NULL)
			m->state = m->version < p->current ? STATE_OUT_OF_ORDER
							   : STATE_PENDING;
		else if (!row_is_current(m->row))
			m->state = STATE_FAILED;
		else if (m->up_file == NULL)
			m->state = STATE_MISSING;
		else if (m->row->checksum == NULL ||
		    strcmp(m->row->checksum, m->up.checksum) != 0)
			m->state = STATE_DRIFTED;
		else if (row_is_expanded(m->row))
			m->state = STATE_EXPANDED;
		else
			m->state = STATE_APPLIED;
		if (m->row && m->down_file && m->row->rollback_checksum &&
		    strcmp(m->row->rollback_checksum, m->down.checksum) != 0)
			m->rollback_drift = true;
	}
	return plan_repeatables(p, s, dialect, h);
}

void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		sqlfile_free(&p->v[i].up);
		sqlfile_free(&p->v[i].down);
	}
	for (i = 0; i < p->rn; i++)
		sqlfile_free(&p->rv[i].sql);
	free(p->rv);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Keep each problem (err_keep): the caller reports them all. */
static void
problem(const struct migration *m, const char *file, const char *what)
{
	err_set(EXIT_INVALID, "version %lld (%s) %s", (long long)m->version,
	    file, what);
	err_set_version(m->version);
	err_set_location(file, 0, 0);
	err_keep();
}

static void
check(const struct plan *p, bool out_of_order, int64_t to, bool pairs)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct migration *m = &p->v[i];
		const char *file = m->up_file ? m->up_file->path : m->name;

		switch (m->state) {
		case STATE_DRIFTED:
			problem(m, file,
			    "was changed after it was "
			    "applied; restore it, or run 'strata repair' to "
			    "accept the change");
			break;
		case STATE_MISSING:
			problem(m, m->name,
			    "is applied but its file is "
			    "gone; restore it, or run 'strata repair' to forget "
			    "it");
			break;
		case STATE_OUT_OF_ORDER:
			if (!out_of_order && (to == 0 || m->version <= to))
				problem(m, file,
				    "is pending but lower "
				    "than the current version; use "
				    "'--out-of-order' to apply it");
			break;
		default: break;
		}
		if (pairs && m->up_file && m->down_file == NULL)
			problem(m, file,
			    "has no rollback file; add one, "
			    "or one holding '-- strata:irreversible'");
		if (m->rollback_drift && m->down_file)
			log_warn("rollback file '%s' changed after version "
				 "%lld was applied",
			    m->down_file->path, (long long)m->version);
	}
}

void
plan_check_up(const struct plan *p, bool out_of_order, int64_t to)
{
	check(p, out_of_order, to, false);
}

void
plan_check_all(const struct plan *p)
{
	check(p, false, 0, true);
}
