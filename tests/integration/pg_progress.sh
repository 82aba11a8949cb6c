# pg_progress.sh - a live progress line for a long statement, on a
# terminal only: CREATE INDEX shows its phase and percent from
# pg_stat_progress_create_index; the last phase lands in the log.
. "$(dirname "$0")/lib.sh" "$@"

# An index whose expression sleeps 1 ms a row: a build of some seconds.
write_pair 1 slow_table "CREATE TABLE p (id integer);
INSERT INTO p SELECT generate_series(1, 2500);
CREATE FUNCTION slow_id(integer) RETURNS integer IMMUTABLE LANGUAGE plpgsql
AS \$\$ BEGIN PERFORM pg_sleep(0.001); RETURN \$1; END \$\$;" \
"DROP TABLE p; DROP FUNCTION slow_id(integer);"
write_pair 2 slow_index "CREATE INDEX CONCURRENTLY p_slow ON p (slow_id(id));" \
"DROP INDEX CONCURRENTLY p_slow;"
write_pair 3 slow_select "SELECT pg_sleep(1.6);" "SELECT 1;"

# Under a pseudo-terminal (script), stderr is a TTY.
script -qec "$STRATA up" "$T/tty" >/dev/null 2>&1
tty_rc=$?
expect_eq "exit under a terminal" "$tty_rc" 0
grep -q 'create_index_concurrently p_slow: building index' "$T/tty" ||
	fail "no index progress line in: $(tr '\r' '\n' <"$T/tty" | tail -20)"
ok
grep -Eq 'p_slow: building index[^%]* [0-9]+%' "$T/tty" ||
	fail "no percent in: $(tr '\r' '\n' <"$T/tty" | grep p_slow | tail -5)"
ok
grep -Eq '[0-9]+\.[0-9]s  select' "$T/tty" ||
	fail "no elapsed-time line for the SELECT: $(tr '\r' '\n' <"$T/tty" | tail -10)"
ok

run --json log --version 2
expect_rc 0
expect_eq "phase in the log" "$(jqv '.entries[0].facts.last_phase')" "building index: scanning table"

# Not a terminal: no progress at all.
run rollback --to 0
expect_rc 0 "$ERR"
run up
expect_rc 0 "$ERR"
case $ERR in *building*|*$'\r'*) fail "progress on a non-terminal: $ERR" ;; *) ok ;; esac

# A terminal, but --json or -q: none either.
run rollback --steps 2
expect_rc 0 "$ERR"
script -qec "$STRATA --json up" "$T/tty2" >/dev/null 2>&1
expect_eq "exit of --json up under a terminal" "$?" 0
grep -q 'building index' "$T/tty2" && fail "progress with --json"
ok
run rollback --steps 2
expect_rc 0 "$ERR"
script -qec "$STRATA -q up" "$T/tty3" >/dev/null 2>&1
expect_eq "exit of -q up under a terminal" "$?" 0
grep -q 'building index' "$T/tty3" && fail "progress with -q"
ok
expect_eq "all three applied" "$(sqlq "SELECT count(*) FROM strata_history WHERE state = 'applied'")" 3

# A partitioned table's index: the line names the partition, k of n.
write_pair 4 parted "CREATE TABLE pp (id integer NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE pp_1 PARTITION OF pp FOR VALUES FROM (0) TO (2000);
CREATE TABLE pp_2 PARTITION OF pp FOR VALUES FROM (2000) TO (4000);
INSERT INTO pp SELECT generate_series(0, 3999);" "DROP TABLE pp;"
write_pair 5 parted_index "CREATE INDEX CONCURRENTLY pp_slow ON pp (slow_id(id));" \
"DROP INDEX CONCURRENTLY pp_slow;"
script -qec "$STRATA up" "$T/tty2" >/dev/null 2>&1
expect_eq "exit under a terminal" "$?" 0
grep -Eq '2/2 pp_2: building index' "$T/tty2" ||
	fail "no partition progress line in: $(tr '\r' '\n' <"$T/tty2" | grep pp_ | tail -5)"
ok
