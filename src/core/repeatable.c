/*
 * repeatable.c - repeatable migrations (sql/R_<name>.sql): run after the
 * versions whenever their content changed, each in one transaction with
 * its record, in name order.
 *
 * A repeatable is run as a version would be (the same statements, retries
 * and log), as a migration of version 0 that records itself in
 * strata_repeatable instead of the history. It must fit one transaction:
 * what needs several (CONCURRENTLY, -- strata:no-transaction, commit or
 * contract lines, backfills) belongs in a version.
 */
#include "repeatable.h"

#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "runner.h"

static int
refuse(const struct sqlfile *f, const struct stmt *s, const char *what)
{
	err_set(EXIT_USAGE,
	    "repeatable '%s' has %s: a repeatable runs in one transaction; "
	    "this belongs in a version",
	    f->path, what);
	err_set_location(f->path, s ? s->line : 0, s ? s->column : 0);
	return -EXIT_USAGE;
}

int
repeatables_prepare(const struct db *db, struct plan *p)
{
	size_t i, k;
	int    rc;

	for (i = 0; i < p->rn; i++) {
		struct sqlfile *f = &p->rv[i].sql;

		if ((rc = runner_prepare_file(db, f)) < 0) {
			err_keep();
			continue;
		}
		if (f->no_tx) {
			refuse(f, NULL, "'-- strata:no-transaction'");
			err_keep();
			continue;
		}
		for (k = 0; k < f->stmts.n; k++) {
			const struct stmt *s = &f->stmts.v[k];
			const char *what = s->nontx ? stmt_kind_name(s->kind)
			    : s->batch              ? "'-- strata:batch'"
			    : s->commit_before && f->phased && k == f->contract
			    ? "'-- strata:contract'"
			    : s->commit_before ? "'-- strata:commit'"
					       : NULL;

			if (what != NULL) {
				refuse(f, s, what);
				err_keep();
				break;
			}
		}
	}
	return 0;
}

struct dependents {
	struct buf names;
};

static int
dependent_cb(void *arg, int ncols, char **v)
{
	struct dependents *d = arg;

	if (ncols > 0 && v[0] != NULL)
		buf_addf(&d->names, "%s%s", d->names.len ? ", " : "", v[0]);
	return 0;
}

/*
 * A replacement PostgreSQL refused because of what depends on it: name
 * the views that do, so the user recreates them with it.
 */
static void
name_dependents(struct db *db, const struct sqlfile *f)
{
	const char       *st = err_last()->sqlstate, *params[1];
	struct dependents d = { BUF_INIT };
	struct error      saved;
	struct buf        hint = BUF_INIT;
	size_t            i;

	if (db->ops->dialect != DIALECT_POSTGRES ||
	    (strcmp(st, "2BP01") != 0 && strcmp(st, "42P16") != 0))
		return;
	err_save(&saved);
	for (i = 0; i < f->stmts.n; i++) {
		if (f->stmts.v[i].relation == NULL)
			continue;
		params[0] = f->stmts.v[i].relation;
		if (db_query(db,
			"SELECT DISTINCT v.oid::regclass::text FROM pg_depend d "
			"JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON "
			"v.oid = r.ev_class WHERE d.refobjid = to_regclass($1) "
			"AND v.oid <> to_regclass($1) ORDER BY 1",
			1, params, dependent_cb, &d) < 0)
			err_clear();
	}
	err_restore(&saved);
	if (d.names.len > 0) {
		char *detail = err_last()->detail ? xstrdup(err_last()->detail)
						  : NULL;

		buf_addf(&hint,
		    "these depend on what '%s' replaces: %s; drop and create "
		    "them in the same file, around the replacement (strata "
		    "never drops them by itself)",
		    f->path, buf_cstr(&d.names));
		err_set_detail(detail, buf_cstr(&hint));
		free(detail);
	}
	buf_free(&d.names);
	buf_free(&hint);
}

int
repeatables_run(struct db *db, struct plan *p, const struct run_opts *o,
    struct report *report)
{
	size_t i;
	int    rc = 0;

	for (i = 0; i < p->rn && rc == 0; i++) {
		struct repeatable *r = &p->rv[i];
		struct migration   m, *mp = &m;

		if (r->state == REP_APPLIED)
			continue;
		memset(&m, 0, sizeof(m));
		m.name = r->name;
		m.up_file = r->file;
		m.up = r->sql; /* lent: r keeps it */
		m.state = STATE_PENDING;
		m.repeatable = true;
		if ((rc = runner_up(db, &mp, 1, o, report)) < 0)
			name_dependents(db, &r->sql);
		else
			r->state = REP_APPLIED;
	}
	return rc;
}
