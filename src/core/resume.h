/*
 * resume.h - a stopped run (resume.c): where a version's run resumes, which
 * statements it completed, and the segments a run from there executes.
 */
#ifndef STRATA_RESUME_H
#define STRATA_RESUME_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

struct db;

/* Where a version's forward (or rollback) run starts: resume point. */
size_t runner_resume_at(const struct migration *, bool down);

/*
 * The segments a run of the version would execute, from its resume point,
 * leaving out statements a stopped --jobs batch already completed, with
 * batches for --jobs when the database can run them. A dry run shows these.
 */
void runner_segments(const struct db *, const struct migration *, bool down,
    int jobs, struct segment_list *);

/*
 * Check that the statements a stopped run (down: a stopped rollback)
 * completed are unchanged in the file it would resume (exit 3 if not).
 */
int runner_check_resume(const struct migration *, bool down);

/*
 * Which statements of the file a run has completed: the resume point's
 * prefix and the numbers past it that a stopped --jobs batch finished, in
 * a new array. False when the history names statements the file lacks.
 */
bool done_load(const struct migration *, bool down, bool **out);
/* The first statement not done, and the list of done ones after it. */
size_t done_split(const bool *done, size_t n, char **extra);
/* A run of statements [from, to) of a file. */
struct stmt_range {
	size_t from;
	size_t to;
};

/*
 * The statements a run of the version goes through, in order, as one or
 * two ranges (returns how many): the whole file; of a phased forward file
 * the part m->part names; of a phased rollback file the undo of the
 * contract and then of the expand, or, when the contract did not run, the
 * undo of the expand alone. Done ones are left out later.
 */
size_t run_ranges(const struct migration *, bool down, const bool *done,
    struct stmt_range r[2]);
/* The segments of a run from the resume point, leaving out done ones. */
void segments_of(const struct db *, const struct migration *, bool down,
    int jobs, const bool *done, struct segment_list *);

#endif
