/*
 * pg_locks.c - what every PostgreSQL rule asks of a table it locks: does
 * traffic use it already (it existed before this run), and is the wait
 * for its lock bounded by a lock timeout.
 */
#include "pg_locks.h"

#include <string.h>

bool
lint_pg_existing(const struct lint_stmt *ls, const char *table)
{
	return table != NULL && !lint_table_is_new(ls->run, table);
}

/* --- locks held and the run's lock timeout --------------------------------- */

/*
 * A statement that takes a lock blocking traffic on an existing table:
 * remember ACCESS EXCLUSIVE for exclusive-lock-held, and say once per file
 * when no lock timeout bounds the wait behind it.
 */
void
lint_pg_took_lock(struct lint_stmt *ls, const char *table, const char *lock)
{
	if (!lint_pg_existing(ls, table) || lock == NULL)
		return;
	if (!ls->timeout_set && !ls->lock_warned) {
		lint_report(ls, R_REQUIRE_LOCK_TIMEOUT, 0, table, lock,
		    strcmp(lock, AE) == 0 ? RW : "writes",
		    "keep a lock timeout (strata's default is 2s; SET "
		    "lock_timeout = '2s'; in the file, or --lock-timeout 2s): a "
		    "statement waiting for its lock makes every later query on "
		    "the table wait behind it",
		    "%s on existing table \"%s\" waits for its lock with no lock "
		    "timeout, and queues all traffic on the table behind it",
		    lock, table);
		ls->lock_warned = true;
	}
	if (strcmp(lock, AE) == 0 && ls->in_tx)
		ls->exclusive_held = true;
}
