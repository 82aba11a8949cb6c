#!/usr/bin/env bash
# up, status, current, rollback and up again; JSON shapes of each.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 create_games "CREATE TABLE games (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" "DROP TABLE games;"
write_pair 2 add_books "CREATE TABLE books (id INTEGER PRIMARY KEY);
CREATE INDEX books_id ON books (id);" "DROP INDEX books_id;
DROP TABLE books;"
write_pair 3 seed "INSERT INTO games (id, name) VALUES (1, 'a');
INSERT INTO games (id, name) VALUES (2, 'b');" "DELETE FROM games WHERE id IN (1, 2);"

run current
expect_rc 0; expect_eq "current before" "$OUT" 0

run up
expect_rc 0; expect_out "applied 1 create_games"; expect_out "applied 3 seed"
expect_eq "games rows" "$(sqlq 'SELECT count(*) FROM games')" 2

run current
expect_rc 0; expect_eq "current after up" "$OUT" 3

run --json status
expect_rc 0; expect_json
expect_eq "dialect" "$(jqv .dialect)" "$KIND"
expect_eq "current" "$(jqv .current)" 3
expect_eq "states" "$(jqv '[.migrations[].state] | join(",")')" "applied,applied,applied"
expect_eq "checksum matches record" "$(jqv '[.migrations[] | .checksum == .recorded_checksum] | all')" true
expect_eq "checksum is 64 hex" "$(jqv '.migrations[0].checksum | test("^[0-9a-f]{64}$")')" true
expect_eq "applied_at ISO with T and zone" "$(jqv '.migrations[0].applied_at | test("^[0-9-]{10}T[0-9:.]+(Z|[+-][0-9:]+)$")')" true
expect_eq "has_rollback" "$(jqv '.migrations[0].has_rollback')" true
expect_eq "duration_ms is a number" "$(jqv '.migrations[0].duration_ms | type')" number

run up
expect_rc 0 "nothing to do"; expect_out "nothing to apply"

# The size of a built index is a fact in the log (an empty one: one page).
run --json log --version 2
expect_eq "index size in the log" \
	"$(jqv '[.entries[] | select(.statement == 2)][0].facts.index_size_bytes > 0')" true

run --json rollback
expect_rc 0; expect_json
expect_eq "rolled back" "$(jqv '[.rolled_back[].version] | join(",")')" 3
expect_eq "current after rollback" "$(jqv .current)" 2
expect_eq "statements" "$(jqv '.rolled_back[0].statements')" 1
expect_eq "games rows after rollback" "$(sqlq 'SELECT count(*) FROM games')" 0

run rollback --to 0
expect_rc 0; expect_out "rolled back 2 add_books"; expect_out "rolled back 1 create_games"
expect_eq "games gone" "$(table_exists games)" 0

run --json up --to 2
expect_rc 0; expect_json
expect_eq "applied through 2" "$(jqv '[.applied[].version] | join(",")')" "1,2"
expect_eq "statements of 2" "$(jqv '.applied[1].statements')" 2
expect_eq "duration_ms" "$(jqv '.applied[0].duration_ms | type')" number

run rollback --steps 2
expect_rc 0
run current
expect_eq "current after --steps 2" "$OUT" 0

run up
expect_rc 0
run --json current
expect_json; expect_eq "json current" "$(jqv .current)" 3

# The log has both directions and a row per statement.
run --json log --limit 0
expect_rc 0; expect_json
expect_eq "log has down rows" "$(jqv '[.entries[] | select(.direction == "down")] | length > 0')" true
expect_eq "newest first" "$(jqv '.entries[0].id > .entries[1].id')" true
expect_eq "insert rows affected" "$(jqv '[.entries[] | select(.kind == "insert")][0].rows')" 1
expect_eq "at is ISO" "$(jqv '.entries[0].at | test("T.*(Z|[+-][0-9:]+)$")')" true
expect_eq "create_index kind" "$(jqv '[.entries[] | select(.kind == "create_index")] | length > 0')" true
run log --version 2 --limit 2
expect_rc 0; expect_out "create_index"
run --json log --version 1 --limit 1
expect_eq "log --version" "$(jqv '[.entries[].version] | unique | join(",")')" 1
expect_eq "log --limit" "$(jqv '.entries | length')" 1

# The duration up says is the one status shows afterwards, for every
# version (SQLite's COMMIT took all of a 19 ms run that status called 0).
run rollback --to 0
expect_rc 0
write_pair 4 slow "$(pick "CREATE TABLE slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i FROM n;" \
    "CREATE TABLE slow AS SELECT g AS i FROM generate_series(1, 200000) g;")" "DROP TABLE slow;"
run --json up
expect_rc 0
jq -c '[.applied[] | {version, duration_ms}]' "$T/out" >"$T/said"
run --json status
expect_eq "durations said and recorded" "$(jq -c '[.migrations[] | {version, duration_ms}]' "$T/out")" "$(cat "$T/said")"

# log of a version with no entries says so, not that the log is empty.
run log --version 99
expect_rc 0
expect_out "the optimization log has no entries for version 99"
