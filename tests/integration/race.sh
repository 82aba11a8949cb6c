#!/usr/bin/env bash
# Two runners started together: each version applied exactly once, both
# exit 0, the loser waited and found nothing (or less) to do.
. "$(dirname "$0")/lib.sh" "$@"

for v in 1 2 3 4 5 6; do
	write_pair $v "t$v" "CREATE TABLE t$v (id INTEGER);
INSERT INTO t$v VALUES ($v);" "DROP TABLE t$v;"
done
# Let the first runner hold the lock for a while.
write_pair 7 slow "$(pick "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c;" "SELECT pg_sleep(1);")" "SELECT 1;"

"$STRATA" up >"$T/a.out" 2>"$T/a.err" &
pa=$!
"$STRATA" up >"$T/b.out" 2>"$T/b.err" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
[ $ra -eq 0 ] || { cat "$T/a.err" >&2; fail "runner A exited $ra"; }
ok
[ $rb -eq 0 ] || { cat "$T/b.err" >&2; fail "runner B exited $rb"; }
ok
expect_eq "each version once" "$(sqlq 'SELECT count(*) FROM strata_history')" 7
expect_eq "no duplicate inserts" "$(sqlq 'SELECT count(*) FROM t3')" 1
applied=$(grep -c '^applied' "$T/a.out" "$T/b.out" | awk -F: '{s += $2} END {print s}')
expect_eq "applied lines across both runners" "$applied" 7
grep -q "waiting for the migration lock" "$T/a.err" "$T/b.err" || fail "the loser did not say it waited"
ok
