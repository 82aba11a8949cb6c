/*
 * jobs_batch.c - up --jobs: consecutive CONCURRENTLY index statements on
 * different tables run side by side, each on a connection of its own,
 * and what completed recorded exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"
#include "run_state.h"

/*
 * Run a --jobs batch: concurrent index statements side by side, each on a
 * connection of its own. What completed is recorded exactly, in one short
 * transaction with the log rows, even when one of them failed; then the
 * first failure (in file order) is the run's error.
 */
int
run_batch(struct run_state *rs, struct part *p, int64_t started_us)
{
	size_t             n = p->seg.count, i, failed = n, ok = 0;
	struct par_job    *jobs = xcalloc(n, sizeof(*jobs));
	struct stmt_facts *facts = xcalloc(n, sizeof(*facts));
	int                rc = 0;

	for (i = 0; i < n; i++) {
		const struct stmt *s = &p->f->stmts.v[p->seg.first + i];

		jobs[i].sql = p->f->text.ptr + s->off;
		jobs[i].len = s->len;
		jobs[i].s = s;
		exec_result_clear(&jobs[i].res);
		db_facts_before(rs->db, s, &facts[i]);
		if ((rc = db_before_stmt(rs->db, s, &facts[i])) < 0)
			goto out;
	}
	log_verbose("version %lld statements %zu-%zu: in parallel over up "
		    "to %d connections",
	    (long long)p->m->version, p->seg.first + 1, p->seg.first + n,
	    rs->opts->jobs);
	db_exec_parallel(rs->db, jobs, n, rs->opts->jobs);
	for (i = 0; i < n; i++) {
		struct par_job   *j = &jobs[i];
		struct log_entry *e;

		if (j->state == JOB_NOT_RUN || j->state == JOB_WAITING)
			continue;
		parts_to_log(rs, p, p->seg.first + i, &j->res, &facts[i]);
		e = log_batch_add(&rs->log);
		fill_entry(e, p, p->seg.first + i, j->duration_ms);
		memcpy(e->at, j->at, sizeof(e->at));
		e->rows = j->res.rows;
		if (j->res.partitions > 0)
			e->kind = KIND_CREATE_INDEX_PARTITIONED;
		if (j->state == JOB_OK) {
			p->done[p->seg.first + i] = true;
			ok++;
			if (j->res.partitions == 0)
				db_facts_after(rs->db, j->s, &facts[i]);
			facts_to_entry(e, &facts[i], j->res.phase, 0);
			continue;
		}
		e->outcome = "error";
		entry_failed(e, &j->res);
		if (failed == n)
			failed = i;
		else
			report_also_failed(rs->report, p->f->path, j->s->line,
			    p->m->version, p->seg.first + i + 1, e->error);
	}
	if (ok > 0) {
		if ((rc = db_begin(rs->db)) < 0) {
			err_set_version(p->m->version);
			flush_failed_log(rs, rs->log.n, false);
			goto out;
		}
		if ((rc = commit_unit(rs, p, 1, false, rs->log.n, started_us)) <
		    0)
			goto out;
	}
	if (failed < n) {
		rc = statement_error(p, p->seg.first + failed,
		    &jobs[failed].res);
		flush_failed_log(rs, rs->log.n, false);
	}
out:
	for (i = 0; i < n; i++) {
		exec_result_clear(&jobs[i].res);
		facts_free(&facts[i].facts);
	}
	free(jobs);
	free(facts);
	return rc;
}
