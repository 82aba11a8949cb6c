/*
 * fleet.h - one command over many databases (SPEC §8).
 *
 * Each target runs in a child process of its own, forked from this one
 * after the command's options are read: its own connections, its own
 * lock, the same code as a single-database run. The parent starts them
 * (--parallel, --canary, --keep-going), prefixes their lines, and ends
 * with one summary and one exit code. fleet.c runs the children;
 * fleet_lint.c keeps their lint findings to say each once; fleet_out.c
 * writes what the run tells at the end.
 */
#ifndef STRATA_FLEET_H
#define STRATA_FLEET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../util/buf.h"
#include "../cmd/cmd.h"
#include "targets.h"

struct fleet_opts {
	int  parallel; /* targets in flight at once, >= 1 */
	int  canary;   /* the first N alone, in order, before the rest */
	bool keep_going;
};

enum fleet_state {
	FLEET_WAITING,
	FLEET_RUNNING,
	FLEET_DONE, /* ended by itself: ok or failed, see exit_code */
	FLEET_INTERRUPTED,
	FLEET_SKIPPED,
};

/* What a child reports of its target when it ends (its last words). */
struct fleet_facts {
	int64_t current; /* -1: not known */
	int64_t applied; /* versions applied (rolled back); -1: no run */
	int64_t pending;
	char   *failed; /* versions in that state, "1,2", or NULL */
	char   *drifted;
	char   *missing;
	char   *out_of_order;
	char   *error; /* the message of a failure */
};

struct fleet_target {
	const struct target_spec *spec;
	enum fleet_state          state;
	pid_t                     pid;
	int                       fd[3]; /* stdout, stderr, facts; -1 closed */
	struct buf                part[3]; /* unended line; --json: document */
	int                       exit_code;
	int64_t                   start_us;
	int64_t                   duration_ms;
	struct fleet_facts        facts;
	struct buf                lint; /* a lint finding being read */
};

/* A lint finding (and its help), and the targets that reported it. */
struct fleet_finding {
	char  *text;
	bool  *on; /* by target, in the order the targets were given */
	size_t count;
};

struct fleet {
	const struct cmd_entry *cmd;
	bool                    json;
	struct fleet_target    *v;
	size_t                  n;
	struct {
		struct fleet_finding *v;
		size_t                n;
		size_t                alloc;
	} findings;
};

/* Run one target in this process, print its error; returns its exit code. */
typedef int (*fleet_one_fn)(struct ctx *, const struct cmd_entry *);

/* Run the command on every target; returns the run's exit code. */
int fleet_run(struct ctx *, const struct cmd_entry *,
    const struct target_list *, const struct fleet_opts *, fleet_one_fn);

/* fleet_lint.c: lint findings, once each with the targets that had them. */
bool fleet_is_finding(const char *line, size_t len);
/* Take a target's stderr line if it is (part of) a finding. */
bool fleet_finding_line(struct fleet *, struct fleet_target *, const char *line,
    size_t len);
void fleet_finding_flush(struct fleet *, struct fleet_target *);
void fleet_findings_print(const struct fleet *);
void fleet_findings_free(struct fleet *);

/* fleet_out.c: the end of the run. */
void fleet_facts_parse(struct fleet_facts *, const char *text);
void fleet_facts_free(struct fleet_facts *);
/* The summary table (status: the matrix), or the JSON document. */
void fleet_print(const struct fleet *);
int  fleet_exit_code(const struct fleet *, int signal);

#endif
