/*
 * run_opts.h - how a run goes, as the command line set it: the runner's
 * callers fill it in, and the pieces of the runner read it.
 */
#ifndef STRATA_RUN_OPTS_H
#define STRATA_RUN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

struct run_opts {
	bool    single_tx;
	int     retries;
	int     jobs;
	bool    replica_lag; /* --max-replica-lag given */
	int64_t max_replica_lag_ms;
	int64_t batch_pause_ms; /* --batch-pause */
};

#endif
