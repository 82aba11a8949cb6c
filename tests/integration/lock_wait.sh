#!/usr/bin/env bash
# Past --lock-wait: exit 4, naming the holder; the holder finishes.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 slow "$(pick "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 25000000) SELECT count(*) FROM c;" "SELECT pg_sleep(3);")" "SELECT 1;"
"$STRATA" up >"$T/a.out" 2>"$T/a.err" &
pa=$!
sleep 0.3
run --lock-wait 300ms up
expect_rc 4 "lock not obtained"
expect_err "pid"
run --json --lock-wait 200ms rollback
expect_rc 4; expect_json
expect_eq "json exit code" "$(jqv .error.exit_code)" 4
run --lock-wait 1x up
expect_rc 2 "bad duration"
wait $pa || fail "the holder failed"
ok
run current
expect_eq "holder applied" "$OUT" 1
