#!/usr/bin/env bash
# A session holds ACCESS EXCLUSIVE on a table for a few seconds:
# --lock-timeout 300ms --retries 20 gets through; --retries 0 fails naming
# the blocker's pid; each retry is a log row. Without --lock-timeout the
# wait is bounded at 2s; --lock-timeout 0 waits as long as it takes.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 t "CREATE TABLE busy (id int);" "DROP TABLE busy;"
run up
expect_rc 0
write_pair 2 alter "ALTER TABLE busy ADD COLUMN note text;" "ALTER TABLE busy DROP COLUMN note;"

hold() { hold_lock busy "ACCESS EXCLUSIVE" "$1"; }

hold 4
pid=$(grep -o '[0-9]\+' "$T/holder.pid" | head -1)
run up --lock-timeout 300ms --retries 0
expect_rc 1; expect_err "55P03"; expect_err "pid $pid"; expect_err "test-holder"
wait $HOLDER

# The default: a statement gives up its place in the lock queue after 2s.
hold 6
start=$(date +%s%N)
run up --retries 0
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 1; expect_err "55P03"
[ "$ms" -ge 1900 ] && [ "$ms" -lt 5000 ] || fail "default lock timeout: gave up after $ms ms, not about 2000"
ok
run --json log --version 2 --limit 1
expect_eq "the timeout in the log" "$(jqv '.entries[0].sqlstate')" 55P03
wait $HOLDER

# --lock-timeout 0 waits for the holder without limit.
hold 3
run up --lock-timeout 0 --retries 0
expect_rc 0
wait $HOLDER
run rollback
expect_rc 0

hold 2
run --json up --lock-timeout 300ms --retries 20
expect_rc 0
wait $HOLDER
run --json log --version 2 --limit 0
expect_eq "retried rows" "$(jqv '[.entries[] | select(.outcome == "retried")] | length > 0')" true
expect_eq "retried sqlstate" "$(jqv '[.entries[] | select(.outcome == "retried")][0].sqlstate')" 55P03
expect_eq "final ok row counts its retries" "$(jqv '[.entries[] | select(.outcome == "ok")][0].facts.lock_retries > 0')" true

# A CONCURRENTLY build is exempt from the short lock timeout.
write_pair 3 idx "CREATE INDEX CONCURRENTLY busy_id ON busy (id);" "DROP INDEX CONCURRENTLY busy_id;"
run up --lock-timeout 1ms --retries 0
expect_rc 0
expect_eq "index built" "$(sqlq "SELECT indisvalid FROM pg_index WHERE indexrelid = 'busy_id'::regclass")" t

# --statement-timeout stops a long statement.
write_pair 4 sleepy "SELECT pg_sleep(5);" "SELECT 1;"
run up --statement-timeout 300ms --retries 0
expect_rc 1; expect_err "57014"
