#!/usr/bin/env bash
# Repeatable migrations (sql/R_<name>.sql): run after the versions, in
# name order, again whenever their content changes (not for CRLF or a
# BOM), each in one transaction with its record; a failing one leaves
# what ran before it; rollback leaves them alone; racing runners run each
# once; every place they show.
. "$(dirname "$0")/lib.sh" "$@"

# ran records every run of a repeatable, in order: the side effect that
# proves it ran (or did not).
write_pair 1 base "CREATE TABLE ran (id $(pick "INTEGER PRIMARY KEY" "serial PRIMARY KEY"), what TEXT);
CREATE TABLE scores (id INTEGER PRIMARY KEY, points INTEGER, team TEXT);" "DROP TABLE scores;
DROP TABLE ran;"
write sql/R_b_report.sql "DROP VIEW IF EXISTS team_points;
CREATE VIEW team_points AS SELECT team, sum(points) AS points FROM scores GROUP BY team;
INSERT INTO ran (what) VALUES ('b');"
write sql/R_a_top.sql "DROP VIEW IF EXISTS top_scores;
CREATE VIEW top_scores AS SELECT id, points FROM scores WHERE points > 10;
INSERT INTO ran (what) VALUES ('a');"
runs() { sqlq "SELECT count(*) FROM ran WHERE what = '$1'"; }
agg() { pick "group_concat(what, ',')" "string_agg(what, ',')"; }

run up --dry-run
expect_rc 0
expect_out "then 2 repeatables"
run --json up --dry-run
expect_eq "dry-run lists them" "$(jqv '[.repeatables[] | "\(.repeatable):\(.state)"] | join(",")')" "a_top:pending,b_report:pending"
run --json up
expect_rc 0 "$ERR"
expect_json
expect_eq "versions first" "$(jqv '[.applied[].version] | join(",")')" 1
expect_eq "then the repeatables, by name" "$(jqv '[.repeatables[].repeatable] | join(",")')" "a_top,b_report"
expect_eq "in name order" "$(sqlq "SELECT $(agg) FROM (SELECT what FROM ran ORDER BY id) x")" "a,b"
expect_eq "the view exists" "$(sqlq "SELECT count(*) FROM top_scores")" 0

# Unchanged: not run again. Status shows them.
run up
expect_rc 0
expect_eq "a once" "$(runs a)" 1
run status
expect_out "R        a_top"
run --json status
expect_eq "status JSON" "$(jqv '[.repeatables[] | "\(.repeatable):\(.state)"] | join(",")')" "a_top:applied,b_report:applied"
expect_eq "checksum shown" "$(jqv '.repeatables[0].checksum == .repeatables[0].recorded_checksum')" true

# CRLF and a BOM are not changes; an edit is.
sed -i 's/$/\r/' sql/R_a_top.sql
printf '\xef\xbb\xbf' | cat - sql/R_b_report.sql >"$T/bom" && mv "$T/bom" sql/R_b_report.sql
run --json status
expect_eq "CRLF and BOM unchanged" "$(jqv '[.repeatables[].state] | unique | join(",")')" applied
run up
expect_eq "not run for CRLF" "$(runs a)" 1
write sql/R_a_top.sql "DROP VIEW IF EXISTS top_scores;
CREATE VIEW top_scores AS SELECT id, points FROM scores WHERE points > 20;
INSERT INTO ran (what) VALUES ('a');"
run --json status
expect_eq "changed" "$(jqv '.repeatables[0].state')" changed
run up
expect_rc 0 "$ERR"
expect_out "applied R a_top"
expect_eq "run again when edited" "$(runs a)" 2
expect_eq "the other not" "$(runs b)" 1

# The log: no version, the name in the text.
run --json log --limit 1
expect_eq "log version null" "$(jqv '.entries[0].version')" null
expect_eq "log text names it" "$(jqv '.entries[0].text | startswith("R a_top: ")')" true
run report --html "$T/report.html"
expect_rc 0 "$ERR"
grep -q '>R a_top create_view<' "$T/report.html" || fail "the report does not name the repeatable"
ok

# A failing repeatable: exit 1 at file:line, it stays changed, the
# versions and repeatables before it stay.
write_pair 2 more "ALTER TABLE scores ADD COLUMN bonus INTEGER;" "ALTER TABLE scores DROP COLUMN bonus;"
write sql/R_a_top.sql "DROP VIEW IF EXISTS top_scores;
CREATE VIEW top_scores AS SELECT id, points FROM scores WHERE points > 5;
INSERT INTO ran (what) VALUES ('a');"
write sql/R_b_report.sql "DROP VIEW IF EXISTS team_points;
INSERT INTO nowhere VALUES (1);"
run up
expect_rc 1 "a failing repeatable"
expect_err "sql/R_b_report.sql:2:1"
expect_eq "version 2 applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" applied
expect_eq "a ran" "$(runs a)" 3
run --json status
expect_eq "b stays changed" "$(jqv '.repeatables[1].state')" changed
expect_eq "its view is still there (rolled back)" "$(sqlq "SELECT count(*) FROM team_points")" 0
write sql/R_b_report.sql "-- put right
DROP VIEW IF EXISTS team_points;
CREATE VIEW team_points AS SELECT team, sum(points) AS points FROM scores GROUP BY team;
INSERT INTO ran (what) VALUES ('b');"

# up --to short of the last version leaves them for later.
run rollback
expect_rc 0 "$ERR"
run up --to 1
expect_rc 0 "$ERR"
expect_eq "b not run by --to 1" "$(runs b)" 1
run up
expect_rc 0 "$ERR"
expect_eq "b run by the full up" "$(runs b)" 2

# Rollback leaves them alone.
run rollback
expect_rc 0 "$ERR"
run --json status
expect_eq "still applied" "$(jqv '[.repeatables[].state] | unique | join(",")')" applied
expect_eq "none ran for the rollback" "$(sqlq "SELECT count(*) FROM ran")" 5
# ... and a rollback that removes what a repeatable's view uses fails the
# next up at that repeatable, naming it.
write sql/R_a_top.sql "DROP VIEW IF EXISTS top_scores;
CREATE VIEW top_scores AS SELECT id, points, bonus FROM scores;
INSERT INTO ran (what) VALUES ('a2');"
run up --to 1
expect_rc 0
run up --lint off
expect_rc 0 "$ERR"
# The database refuses the rollback: the view uses the column.
run rollback --lint off
expect_rc 1
expect_err "top_scores"
expect_eq "2 still applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" applied

# A repeatable must fit one transaction; it has no rollback file.
write sql/R_c_bad.sql "-- strata:no-transaction
SELECT 1;"
run validate
expect_rc 2
expect_err "R_c_bad.sql"
expect_err "one transaction"
rm sql/R_c_bad.sql
write rollback/R_x.sql "SELECT 1;"
run validate
expect_rc 2
expect_err "rollback/R_x.sql"
rm rollback/R_x.sql
run validate
expect_rc 0 "$ERR"
expect_out "2 repeatables"

# new --repeatable
run new --repeatable team_totals
expect_rc 0 "$ERR"
expect_out "created sql/R_team_totals.sql"
[ -f sql/R_team_totals.sql ] && [ ! -e rollback/R_team_totals.sql ] || fail "new --repeatable"
ok
run --json status
expect_eq "new one pending" "$(jqv '.repeatables[] | select(.repeatable == "team_totals") | .state')" pending
rm sql/R_team_totals.sql

# Lint reads them as forward files.
write sql/R_d_idx.sql "CREATE INDEX scores_points ON scores (points);"
run lint sql/R_d_idx.sql
if [ "$KIND" = postgres ]; then
	expect_rc 3
	expect_out "require-concurrent-index-creation"
fi
rm sql/R_d_idx.sql

# Two racing runners run each changed repeatable once.
write sql/R_a_top.sql "DROP VIEW IF EXISTS top_scores;
CREATE VIEW top_scores AS SELECT id, points FROM scores;
INSERT INTO ran (what) VALUES ('race');"
"$STRATA" up --lint off >"$T/r1" 2>&1 &
p1=$!
"$STRATA" up --lint off >"$T/r2" 2>&1 &
p2=$!
wait $p1 || fail "racer 1: $(cat "$T/r1")"
wait $p2 || fail "racer 2: $(cat "$T/r2")"
ok
expect_eq "once" "$(runs race)" 1

if [ "$KIND" = postgres ]; then
	# Dependents named: a view's columns changed while another uses it.
	write sql/R_e_base.sql "CREATE OR REPLACE VIEW base_v AS SELECT id, points FROM scores;"
	write sql/R_f_top.sql "CREATE OR REPLACE VIEW top_v AS SELECT id FROM base_v;"
	run up --lint off
	expect_rc 0 "$ERR"
	write sql/R_e_base.sql "CREATE OR REPLACE VIEW base_v AS SELECT id FROM scores;"
	run up --lint off
	expect_rc 1
	expect_err "42P16"
	expect_err "top_v"
	expect_err "never drops them"
	expect_eq "top_v kept" "$(sqlq "SELECT count(*) FROM pg_views WHERE viewname = 'top_v'")" 1
	rm sql/R_e_base.sql sql/R_f_top.sql
fi

# Many databases: each runs its repeatables.
if [ "$KIND" = sqlite ]; then
	second="sqlite:$T/second.db"
else
	createdb -h "$PGSOCK" -U postgres "${PGDBNAME}_b" || fail "second database"
	second="postgresql:///${PGDBNAME}_b?host=$PGSOCK&user=postgres"
	trap 'rc=$?; dropdb -h "$PGSOCK" -U postgres --force --if-exists "${PGDBNAME}_b" 2>/dev/null; (exit $rc); cleanup' EXIT
fi
run --json --db "$DB" --db "$second" up --lint off
expect_rc 0 "$ERR"
expect_eq "the second ran them" "$(jqv '[.targets[1].result.repeatables[].repeatable] | join(",")')" "a_top,b_report"
