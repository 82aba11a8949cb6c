#!/usr/bin/env bash
# Expand and contract: a file split by -- strata:contract runs its expand
# part at `up` (the version is then expanded, later versions go on), its
# contract part at `complete`; rollback undoes the contract first, only
# when it ran; checksums cover both parts; every place a state shows says
# expanded.
. "$(dirname "$0")/lib.sh" "$@"

# group_concat on SQLite, string_agg on PostgreSQL.
agg() { pick "group_concat($1, '$2')" "string_agg($1, '$2')"; }

# events records what ran, in order, so each part's running is counted.
write_pair 1 base "CREATE TABLE events (id $(pick "INTEGER PRIMARY KEY" "serial PRIMARY KEY"), what TEXT);
CREATE TABLE scores (id INTEGER PRIMARY KEY, points INTEGER);
INSERT INTO scores (id, points) VALUES (1, 10), (2, 20);" "DROP TABLE scores;
DROP TABLE events;"
write_pair 2 widen "ALTER TABLE scores ADD COLUMN points_big $(pick INTEGER bigint);
UPDATE scores SET points_big = points;
INSERT INTO events (what) VALUES ('expand 2');
-- strata:contract
ALTER TABLE scores DROP COLUMN points;
INSERT INTO events (what) VALUES ('contract 2');" "INSERT INTO events (what) VALUES ('undo expand 2');
ALTER TABLE scores DROP COLUMN points_big;
-- strata:contract
ALTER TABLE scores ADD COLUMN points INTEGER;
UPDATE scores SET points = points_big;
INSERT INTO events (what) VALUES ('undo contract 2');"
write_pair 3 plain "CREATE TABLE teams (id INTEGER PRIMARY KEY);" "DROP TABLE teams;"

run up --lint off
expect_rc 0 "$ERR"
expect_out "expanded 2 widen"
expect_out "applied 3 plain"
expect_eq "2 expanded" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" expanded
expect_eq "its expand part counted" "$(sqlq "SELECT statements_completed FROM strata_history WHERE version = 2")" 3
expect_eq "the contract part waits" "$(sqlq "SELECT count(*) FROM events WHERE what = 'contract 2'")" 0
expect_eq "later versions go on" "$(table_exists teams)" 1
run status
expect_rc 0
expect_out "expanded"
expect_out "1 expanded"
run --json status
expect_json
expect_eq "JSON state" "$(jqv '.migrations[1].state')" expanded
expect_eq "current counts expanded" "$(jqv '.current')" 3
run current
expect_eq "current" "$OUT" 3
run status --exit-code
expect_rc 0 "expanded is not a problem to alert on"
run validate
expect_rc 0 "$ERR"
run up
expect_rc 0
expect_out "nothing to apply"

# The log says which part each statement was in.
run --json log --version 2
expect_eq "phase in the log" "$(jqv '[.entries[] | .facts.phase] | unique | join(",")')" expand

# A second phased version in flight at once.
write_pair 4 rename "ALTER TABLE teams ADD COLUMN title TEXT;
INSERT INTO events (what) VALUES ('expand 4');
-- strata:contract
INSERT INTO events (what) VALUES ('contract 4');
-- strata:commit
INSERT INTO events (what) VALUES ('contract 4b');" "ALTER TABLE teams DROP COLUMN title;"
run up --lint off
expect_rc 0 "$ERR"
run --json status
expect_eq "two in flight" "$(jqv '[.migrations[] | select(.state == "expanded") | .version] | join(",")')" "2,4"

# Drift in either part of an expanded version refuses the run.
cp sql/2_widen.sql "$T/keep"
sed -i 's/expand 2/expand two/' sql/2_widen.sql
run complete
expect_rc 3 "drift in the expand part"
expect_err "sql/2_widen.sql"
cp "$T/keep" sql/2_widen.sql
sed -i 's/contract 2/contract two/' sql/2_widen.sql
run up
expect_rc 3 "drift in the contract part"
run status
expect_out "drifted"
cp "$T/keep" sql/2_widen.sql

# complete: its plan, then the contract parts in version order.
run --json complete --dry-run
expect_rc 0 "$ERR"
expect_eq "plan" "$(jqv '[.plan[] | "\(.version):\(.phase)"] | join(",")')" "2:contract,4:contract"
expect_eq "the contract's segment" "$(jqv '.plan[0].segments[0].first_statement')" 4
expect_eq "no resume said" "$(jqv '.plan[0].resume_at_statement')" null
run complete --dry-run
expect_out "would complete 2 versions"
expect_out "contract 2 widen"
run --json complete --to 2 --lint off
expect_rc 0 "$ERR"
expect_json
expect_eq "completed" "$(jqv '[.completed[] | .version] | join(",")')" 2
expect_eq "statements: the file's" "$(jqv '.completed[0].statements')" 5
expect_eq "2 applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" applied
expect_eq "4 still expanded" "$(sqlq "SELECT state FROM strata_history WHERE version = 4")" expanded
expect_eq "contract ran once" "$(sqlq "SELECT count(*) FROM events WHERE what = 'contract 2'")" 1
expect_eq "expand not again" "$(sqlq "SELECT count(*) FROM events WHERE what = 'expand 2'")" 1
run --json log --version 2 --limit 2
expect_eq "contract rows" "$(jqv '[.entries[] | .facts.phase] | unique | join(",")')" contract
# The report draws the two parts apart.
run report --html "$T/report.html"
expect_rc 0 "$ERR"
grep -q '>v2 expand: 3 statements' "$T/report.html" || fail "no expand chip in the report"
grep -q '>v2 contract: 2 statements' "$T/report.html" || fail "no contract chip in the report"
grep -q '>v2 contract alter_table<' "$T/report.html" || fail "no contract bar in the report"
ok

# Rollback of an expanded version: only the undo of the expand.
run rollback --lint off
expect_rc 0 "$ERR"
expect_eq "4 rolled back" "$(sqlq "SELECT count(*) FROM strata_history WHERE version = 4")" 0
# Rollback of a completed one: the undo of the contract, then the expand's.
sqlq "DELETE FROM events" >/dev/null
run rollback --lint off --steps 2
expect_rc 0 "$ERR"
expect_eq "2 rolled back" "$(sqlq "SELECT count(*) FROM strata_history WHERE version = 2")" 0
expect_eq "undo order" "$(sqlq "SELECT $(agg what ';') FROM (SELECT what FROM events ORDER BY id) x")" "undo contract 2;undo expand 2"
expect_eq "points back" "$(sqlq "SELECT sum(points) FROM scores")" 30

# A failure in the contract part: failed there, up leaves it to complete,
# complete resumes after the fix.
run up --lint off
expect_rc 0 "$ERR"
sed -i 's/^INSERT INTO events (what) VALUES (.contract 4b.);/INSERT INTO nowhere VALUES (1);/' sql/4_rename.sql
run repair
expect_rc 0 "$ERR"
run complete --lint off
expect_rc 1 "a failing contract statement"
expect_err "sql/4_rename.sql:6:1"
expect_eq "failed in its contract" "$(sqlq "SELECT state || ':' || statements_completed FROM strata_history WHERE version = 4")" "failed:3"
run up --lint off
expect_rc 0 "$ERR"
expect_out "nothing to apply"
sed -i 's/^INSERT INTO nowhere VALUES (1);/INSERT INTO events (what) VALUES (\x27contract 4b\x27);/' sql/4_rename.sql
run complete --lint off
expect_rc 0 "$ERR"
expect_eq "4 applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 4")" applied
expect_eq "the contract's first part once" "$(sqlq "SELECT count(*) FROM events WHERE what = 'contract 4'")" 1
run complete
expect_rc 0
expect_out "nothing to complete"

# up --complete: both parts in one go (and what is expanded completes).
run rollback --to 1 --lint off
expect_rc 0 "$ERR"
run up --to 2 --lint off
expect_rc 0 "$ERR"
run up --complete --lint off
expect_rc 0 "$ERR"
expect_eq "all applied" "$(sqlq "SELECT $(agg state ',') FROM (SELECT state FROM strata_history ORDER BY version) x")" "applied,applied,applied,applied"

# A rollback file without the marker runs whole in either state.
write_pair 5 whole "CREATE TABLE w1 (id INTEGER);
-- strata:contract
CREATE TABLE w2 (id INTEGER);" "DROP TABLE IF EXISTS w2;
DROP TABLE w1;"
run up --lint off
expect_rc 0 "$ERR"
run rollback --lint off
expect_rc 0 "$ERR"
expect_eq "w1 gone" "$(table_exists w1)" 0

# --check-rollbacks checks every step of a phased version.
run rollback --to 0 --lint off
expect_rc 0 "$ERR"
run up --check-rollbacks --lint off
expect_rc 0 "$ERR"
expect_out "checked 2 widen"
expect_eq "phased ones left expanded" "$(sqlq "SELECT $(agg state ',') FROM (SELECT state FROM strata_history ORDER BY version) x")" "applied,expanded,applied,expanded,expanded"
run rollback --to 0 --lint off
expect_rc 0 "$ERR"
# An undo of the contract that does not put the column back is caught.
sed -i 's/^ALTER TABLE scores ADD COLUMN points INTEGER;/ALTER TABLE scores ADD COLUMN pts INTEGER;/; s/^UPDATE scores SET points = points_big;/UPDATE scores SET pts = points_big;/' rollback/2_widen.sql
run up --check-rollbacks --complete --lint off
expect_rc 3 "a wrong undo of the contract"
expect_err "version 2"
expect_err "the undo of the contract part"

# A file holds one contract line; a second is exit 2 naming it.
rm -f sql/[2-9]_* rollback/[2-9]_*
write_pair 6 twice "CREATE TABLE t1 (id INTEGER);
-- strata:contract
CREATE TABLE t2 (id INTEGER);
-- strata:contract
CREATE TABLE t3 (id INTEGER);" "SELECT 1;"
run validate
expect_rc 2
expect_err "sql/6_twice.sql"
expect_err "more than one"
rm sql/6_twice.sql rollback/6_twice.sql

# --single-transaction runs expand parts in the one transaction.
write_pair 7 single "CREATE TABLE s1 (id INTEGER);
-- strata:contract
DROP TABLE s1;" "DROP TABLE IF EXISTS s1;"
run repair
run up --single-transaction --lint off
expect_rc 0 "$ERR"
expect_eq "7 expanded" "$(sqlq "SELECT state FROM strata_history WHERE version = 7")" expanded
run complete --lint off
expect_rc 0 "$ERR"
expect_eq "s1 dropped" "$(table_exists s1)" 0

# Many databases: complete runs on each target (new ones, own folder).
mkdir -p fleet/sql fleet/rollback
write fleet/sql/1_f.sql "CREATE TABLE f (id INTEGER, a INTEGER);
-- strata:contract
ALTER TABLE f DROP COLUMN a;"
write fleet/rollback/1_f.sql "DROP TABLE f;"
if [ "$KIND" = sqlite ]; then
	one="sqlite:$T/one.db" two="sqlite:$T/two.db"
else
	for d in one two three four; do
		createdb -h "$PGSOCK" -U postgres "${PGDBNAME}_$d" || fail "database $d"
	done
	one="postgresql:///${PGDBNAME}_one?host=$PGSOCK&user=postgres"
	two="postgresql:///${PGDBNAME}_two?host=$PGSOCK&user=postgres"
	trap 'rc=$?; for d in one two three four; do dropdb -h "$PGSOCK" -U postgres --force --if-exists "${PGDBNAME}_$d" 2>/dev/null; done; (exit $rc); cleanup' EXIT
fi
run -m fleet/sql -r fleet/rollback --db "$one" --db "$two" up --lint off
expect_rc 0 "$ERR"
run --json -m fleet/sql -r fleet/rollback --db "$one" --db "$two" complete --lint off --parallel 2
expect_rc 0 "$ERR"
expect_eq "both completed" "$(jqv '[.targets[] | .result.completed[] | .version] | join(",")')" "1,1"
run -m fleet/sql -r fleet/rollback --db "$one" --db "$two" complete
expect_rc 0
expect_out "COMPLETED"

# repair of an expanded version's changed file: its expand part as it is
# now counts as done, and complete runs the contract part as it is now.
mkdir -p rp/sql rp/rollback
write rp/sql/1_r.sql "CREATE TABLE r1 (id INTEGER);
-- strata:contract
CREATE TABLE r3 (id INTEGER);"
write rp/rollback/1_r.sql "DROP TABLE IF EXISTS r3; DROP TABLE IF EXISTS r2; DROP TABLE r1;"
rdb=$(pick "sqlite:$T/rp.db" "postgresql:///${PGDBNAME:-}_three?host=${PGSOCK:-}&user=postgres")
run -m rp/sql -r rp/rollback --db "$rdb" up --lint off
expect_rc 0 "$ERR"
write rp/sql/1_r.sql "CREATE TABLE r1 (id INTEGER);
CREATE TABLE r2 (id INTEGER);
-- strata:contract
CREATE TABLE r3 (id INTEGER);"
run -m rp/sql -r rp/rollback --db "$rdb" complete --lint off
expect_rc 3 "drift of the expand part"
run -m rp/sql -r rp/rollback --db "$rdb" repair
expect_rc 0 "$ERR"
run -m rp/sql -r rp/rollback --db "$rdb" --json status
expect_eq "still expanded" "$(jqv '.migrations[0].state')" expanded
run -m rp/sql -r rp/rollback --db "$rdb" complete --lint off
expect_rc 0 "$ERR"
run -m rp/sql -r rp/rollback --db "$rdb" --json status
expect_eq "applied" "$(jqv '.migrations[0].state')" applied

# With a database: lint knows which versions are expanded.
mkdir -p cb/sql cb/rollback
cdb=$(pick "sqlite:$T/cb.db" "postgresql:///${PGDBNAME:-}_four?host=${PGSOCK:-}&user=postgres")
write cb/sql/1_t.sql "CREATE TABLE cbt (id INTEGER PRIMARY KEY, a INTEGER);"
write cb/rollback/1_t.sql "DROP TABLE cbt;"
write cb/sql/2_copy.sql "ALTER TABLE cbt ADD COLUMN b INTEGER;
-- strata:commit
UPDATE cbt SET b = a WHERE id = 1;
-- strata:contract
SELECT 1;"
write cb/rollback/2_copy.sql "ALTER TABLE cbt DROP COLUMN b;"
run -m cb/sql -r cb/rollback --db "$cdb" up --lint off
expect_rc 0 "$ERR"
write cb/sql/3_drop.sql "SELECT 2;
-- strata:contract
ALTER TABLE cbt DROP COLUMN a;"
write cb/rollback/3_drop.sql "ALTER TABLE cbt ADD COLUMN a INTEGER;"
run -m cb/sql -r cb/rollback --db "$cdb" --json lint
expect_rc 3 "$OUT"
expect_eq "2 is expanded in the database" "$(jqv '[.findings[] | select(.severity == "error") | .rule] | join(",")')" contract-breaks-expanded
# up runs 3's expand part only; complete completes 2 before 3.
run -m cb/sql -r cb/rollback --db "$cdb" up --lint error
expect_rc 0 "$ERR"
run -m cb/sql -r cb/rollback --db "$cdb" complete --lint error
expect_rc 0 "$ERR"
