/*
 * resume.c - where a stopped run of a version picks up again, and the
 * segments a run (or a dry run) of it goes through from there.
 *
 * A version that failed part-way keeps in its history row how many of its
 * statements completed, the numbers of those a stopped --jobs batch
 * finished past them, and a checksum of the completed statements' text,
 * so that a changed file is refused rather than resumed.
 */
#include "resume.h"

#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/error.h"
#include "run_state.h"
#include "history.h"
#include "../util/log.h"

size_t
runner_resume_at(const struct migration *m, bool down)
{
	if (m->row == NULL || row_is_applied(m->row))
		return 0;
	if (down)
		return (size_t)m->row->rollback_completed;
	return row_rollback_started(m->row) ? 0 : (size_t)m->row->completed;
}

/*
 * Which statements of the file a run has completed: the resume point's
 * prefix and the numbers past it that a stopped --jobs batch finished.
 * Returns false when the history names statements the file does not have.
 */
bool
done_load(const struct migration *m, bool down, bool **out)
{
	const struct sqlfile *f = down ? &m->down : &m->up;
	size_t  n = f->stmts.n, from = runner_resume_at(m, down), i, k, nextra;
	size_t *extra = NULL;
	bool    ok = from <= n;

	*out = xcalloc(n + 1, sizeof(**out));
	for (i = 0; i < from && i < n; i++)
		(*out)[i] = true;
	if (m->row != NULL && !row_is_applied(m->row) &&
	    down == row_rollback_started(m->row)) {
		nextra = history_extra_list(down ? m->row->rollback_extra
						 : m->row->completed_extra,
		    &extra);
		for (k = 0; k < nextra; k++) {
			if (extra[k] > n)
				ok = false;
			else
				(*out)[extra[k] - 1] = true;
		}
		free(extra);
	}
	return ok;
}

/* The first statement not done, and the list of done ones after it. */
size_t
done_split(const bool *done, size_t n, char **extra)
{
	struct buf b = BUF_INIT;
	size_t     prefix = 0, i;

	while (prefix < n && done[prefix])
		prefix++;
	for (i = prefix; i < n; i++)
		if (done[i])
			buf_addf(&b, "%s%zu", b.len ? "," : "", i + 1);
	*extra = b.len ? buf_detach(&b) : NULL;
	buf_free(&b);
	return prefix;
}

/*
 * Did the contract part of the version run, so that a rollback undoes it
 * first? Not for an expanded version; for a rollback that stopped
 * part-way, not when it had begun on the undo of the expand without any
 * of the undo of the contract (which runs first) done.
 */
static bool
contract_ran(const struct migration *m, const bool *done)
{
	const struct sqlfile *f = &m->down;
	size_t                i;
	bool                  expand_done = false;

	if (row_is_expanded(m->row))
		return false;
	if (!row_rollback_started(m->row))
		return true;
	for (i = f->contract; i < f->stmts.n; i++)
		if (done[i])
			return true;
	for (i = 0; i < f->contract; i++)
		expand_done = expand_done || done[i];
	return !expand_done;
}

size_t
run_ranges(const struct migration *m, bool down, const bool *done,
    struct stmt_range r[2])
{
	const struct sqlfile *f = down ? &m->down : &m->up;
	size_t                n = f->stmts.n, c = f->contract;

	r[0] = (struct stmt_range){ 0, n };
	if (!f->phased)
		return 1;
	if (down) {
		/* The undo of the contract first, then that of the expand. */
		if (m->part == PART_CONTRACT) {
			r[0].from = c;
			return 1;
		}
		if (!contract_ran(m, done)) {
			r[0].to = c;
			return 1;
		}
		r[0] = (struct stmt_range){ c, n };
		r[1] = (struct stmt_range){ 0, c };
		return 2;
	}
	if (m->part == PART_EXPAND)
		r[0].to = c;
	else if (m->part == PART_CONTRACT)
		r[0].from = c;
	return 1;
}

void
segments_of(const struct db *db, const struct migration *m, bool down, int jobs,
    const bool *done, struct segment_list *segs)
{
	const struct sqlfile *f = down ? &m->down : &m->up;
	struct stmt_range     r[2];
	size_t                n = run_ranges(m, down, done, r), i;

	segs->v = NULL;
	segs->n = 0;
	for (i = 0; i < n; i++)
		segments_add(segs, &f->stmts, r[i].from, r[i].to, f->no_tx,
		    done, jobs > 1 && db_can_parallel(db));
	if (segs->v == NULL)
		segs->v = xcalloc(1, sizeof(*segs->v));
}

void
runner_segments(const struct db *db, const struct migration *m, bool down,
    int jobs, struct segment_list *segs)
{
	bool *done;

	done_load(m, down, &done);
	segments_of(db, m, down, jobs, done, segs);
	free(done);
}

/* With the error set: which version and file it is about; exit 3. */
static int
refused(const struct migration *m, const struct sqlfile *f)
{
	err_set_version(m->version);
	err_set_location(f->path, 0, 0);
	return -EXIT_INVALID;
}

int
runner_check_resume(const struct migration *m, bool down)
{
	const struct sqlfile *f = down ? &m->down : &m->up;
	const char           *extra;
	char                  sum[CHECKSUM_HEX];
	size_t                done = runner_resume_at(m, down);
	bool                 *set;
	int                   rc = 0;

	/* An expanded version's whole file was checked as for drift. */
	if (m->row == NULL || row_is_current(m->row) ||
	    down != row_rollback_started(m->row))
		return 0;
	extra = down ? m->row->rollback_extra : m->row->completed_extra;
	if (done == 0 && extra == NULL && m->row->batch_statement == 0)
		return 0;
	if (!done_load(m, down, &set)) {
		err_set(EXIT_INVALID,
		    "version %lld (%s) completed statements "
		    "up to %zu (and %s) but the file now has %zu; restore the "
		    "file or clear the failed run with 'strata repair'",
		    (long long)m->version, f->path, done,
		    extra ? extra : "none", f->stmts.n);
		rc = refused(m, f);
		goto out;
	}
	/* A backfill under way: its statement must be unchanged too. */
	if (m->row->batch_statement > 0) {
		size_t k = (size_t)m->row->batch_statement;

		if (k > f->stmts.n || f->stmts.v[k - 1].batch == NULL) {
			err_set(EXIT_INVALID,
			    "version %lld (%s) stopped part-way through the "
			    "backfill at statement %zu, which is no longer a "
			    "-- strata:batch statement there; restore the "
			    "file, or clean up by hand and run 'strata repair'",
			    (long long)m->version, f->path, k);
			rc = refused(m, f);
			goto out;
		}
		set[k - 1] = true;
	}
	stmt_done_checksum(f, set, sum);
	if (m->row->completed_checksum == NULL ||
	    strcmp(sum, m->row->completed_checksum) != 0) {
		err_set(EXIT_INVALID,
		    "version %lld (%s) failed after %zu "
		    "statements, and those statements changed in the file "
		    "since; strata cannot resume it safely (restore them, or "
		    "clean up by hand and run 'strata repair')",
		    (long long)m->version, f->path, done);
		rc = refused(m, f);
	}
out:
	free(set);
	return rc;
}

/*
 * A no-transaction file that ends inside a transaction of its own: what
 * ran since its BEGIN is rolled back (strata's records of it too), so the
 * next run resumes at that BEGIN.
 */
int
unclosed_transaction(const struct migration *m, const struct sqlfile *f)
{
	const struct stmt *open = NULL;
	size_t             i;
	int                rc;

	for (i = 0; i < f->stmts.n; i++)
		if (f->stmts.v[i].kind == KIND_TRANSACTION)
			open = &f->stmts.v[i];
	rc = err_set(EXIT_FAILED,
	    "'%s' ends inside a transaction it began, and what ran in it was "
	    "rolled back: close it with COMMIT",
	    f->path);
	err_set_version(m->version);
	if (open != NULL)
		err_set_location(f->path, open->line, open->column);
	return rc;
}

/*
 * Resuming at a CREATE INDEX CONCURRENTLY that the log does not say
 * failed, whose index is there and valid: the build finished, and the run
 * was stopped (killed, the server lost) before recording it. It is
 * recorded as done, not built again (which would fail: it exists).
 */
const struct stmt *
built_before_stop(struct run_state *rs, const struct migration *m, bool down)
{
	const struct sqlfile *f = down ? &m->down : &m->up;
	size_t                at = runner_resume_at(m, down);
	const struct stmt    *s;
	bool                  failed = true, built = false;

	if (m->row == NULL || row_is_current(m->row) ||
	    row_rollback_started(m->row) != down || at >= f->stmts.n)
		return NULL;
	s = &f->stmts.v[at];
	if (s->kind != KIND_CREATE_INDEX_CONCURRENTLY)
		return NULL;
	if (log_failed_at(rs->db, m->version, down, at + 1, &failed) < 0 ||
	    failed || db_index_built(rs->db, s, &built) < 0 || !built) {
		err_clear();
		return NULL;
	}
	db_notice(rs->db,
	    "index '%s' of %s was built before the last run stopped; "
	    "recording it as done",
	    s->index, f->path);
	return s;
}
