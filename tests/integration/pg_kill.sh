#!/usr/bin/env bash
# kill -9 of a runner inside a long migration: nothing applied, no stale
# lock, and the server stops its statement within seconds.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 long "CREATE TABLE k (id int);
SELECT pg_sleep(60);" "DROP TABLE k;"
"$STRATA" up >"$T/a.out" 2>"$T/a.err" &
pa=$!
for _ in $(seq 100); do
	n=$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'strata' AND query LIKE '%pg_sleep(60)%'")
	[ "$n" = 1 ] && break
	sleep 0.1
done
[ "$n" = 1 ] || fail "runner never started its statement"
ok
kill -9 $pa
wait $pa 2>/dev/null
gone=no
for _ in $(seq 100); do
	n=$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'strata'")
	[ "$n" = 0 ] && { gone=yes; break; }
	sleep 0.1
done
expect_eq "server session ended within 10s" "$gone" yes
# This database's locks only: tests running beside this one hold their own.
expect_eq "no advisory lock left" "$(sqlq "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()")" 0
expect_eq "nothing applied" "$(table_exists k)" 0
write_pair 1 long "CREATE TABLE k (id int);" "DROP TABLE k;"
run --lock-wait 2s up
expect_rc 0
