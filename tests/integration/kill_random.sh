#!/usr/bin/env bash
# kill -9 at random moments of up and rollback, over a mixed series (a
# transactional version, one run outside transactions with a CONCURRENTLY
# index on PostgreSQL, one whose statement fails now and then), at least
# 100 kills: after each kill the next run carries on, and at the end one
# up finishes with every version applied exactly once (side effects
# counted), the history matching the schema and no lock left.
# STRATA_KILL_SEED repeats a run; STRATA_KILL_KILLS (100) and
# STRATA_KILL_SECONDS (120) bound it.
. "$(dirname "$0")/lib.sh" "$@"

seed=${STRATA_KILL_SEED:-$(($(date +%s) % 100000))}
want=${STRATA_KILL_KILLS:-100}
budget=${STRATA_KILL_SECONDS:-120}
echo "kill_random/$KIND: seed $seed (STRATA_KILL_SEED=$seed repeats it)"
RANDOM=$seed

. "$(dirname "$0")/fault_series.sh"
write_fault_series

start=$(date +%s)
kills=0
round=0
while [ "$kills" -lt "$want" ] && [ $(($(date +%s) - start)) -lt "$budget" ]; do
	round=$((round + 1))
	# Now and then version 3's statement fails.
	sqlq "UPDATE gate SET ok = $((RANDOM % 4 == 0 ? 0 : 1))"
	case $((RANDOM % 3)) in
	0) args=(rollback --to 0) ;;
	1) args=(rollback) ;;
	*) args=(up) ;;
	esac
	"$STRATA" --lock-wait 30s "${args[@]}" >"$T/k.out" 2>"$T/k.err" &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 90)))"
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null
	rc=$?
	# A run that ended by itself ended with one of SPEC's codes.
	[ $rc -le 5 ] || [ $rc -eq 137 ] || fail "round $round: ${args[*]} exited $rc: $(cat "$T/k.err")"
	run status
	[ "$RC" -le 3 ] || fail "round $round (seed $seed): status after the kill exited $RC"
done
echo "kill_random/$KIND: $round rounds, $kills kills, $(($(date +%s) - start)) s"
[ "$kills" -ge "$want" ] || fail "only $kills kills in ${budget}s (seed $seed)"
ok

check_fault_invariants "seed $seed"
run rollback --to 0
expect_rc 0 "and all of it rolls back"
expect_eq "no side effect left" "$(sqlq "SELECT count(*) FROM effects")" 0
