#!/usr/bin/env bash
# A changed applied file blocks up (3) until repair; BOM and CRLF do not
# count as changes; a changed rollback file only warns.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id INTEGER);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (id INTEGER);" "DROP TABLE b;"
run up
expect_rc 0

# Same text with a BOM and CRLF line ends: same checksum.
printf '\xef\xbb\xbfCREATE TABLE a (id INTEGER);\r\n' >sql/1_a.sql
run --json status
expect_eq "BOM+CRLF is not drift" "$(jqv '.migrations[0].state')" applied

write sql/1_a.sql "CREATE TABLE a (id INTEGER, extra INTEGER);"
write_pair 3 c "CREATE TABLE c (id INTEGER);" "DROP TABLE c;"
run --json status
expect_rc 0 "status without --exit-code"
expect_eq "drifted" "$(jqv '.migrations[0].state')" drifted
cp "$T/out" "$T/plain.json"
run --json status --exit-code
expect_rc 3 "status --exit-code with a drifted version"
# The output is the same as without --exit-code (but for the timestamps).
expect_eq "same output" "$(jq -S 'del(.migrations[].applied_at)' "$T/out")" "$(jq -S 'del(.migrations[].applied_at)' "$T/plain.json")"
expect_eq "checksum differs" "$(jqv '.migrations[0].checksum != .migrations[0].recorded_checksum')" true

run up
expect_rc 3 "drift blocks up"
expect_err "sql/1_a.sql"
expect_err "repair"
expect_eq "3 not applied" "$(table_exists c)" 0

run validate
expect_rc 3

run --json up
expect_json; expect_eq "json exit_code" "$(jqv .error.exit_code)" 3
expect_eq "json version" "$(jqv .error.version)" 1

run repair --dry-run
expect_rc 0; expect_out "would: 1 a: re-recorded checksum"
run up
expect_rc 3 "dry-run repaired nothing"

run --json repair
expect_rc 0; expect_json
expect_eq "repaired" "$(jqv '.repaired[0].action')" "re-recorded checksum"
run up
expect_rc 0; expect_out "applied 3 c"

# A changed rollback file warns but does not block.
write rollback/2_b.sql "DROP TABLE IF EXISTS b;"
run status
expect_rc 0; expect_out "rollback file changed"
run validate
expect_rc 0; expect_err "rollback file 'rollback/2_b.sql' changed"

# A file gone: missing, blocks up; repair forgets it.
rm sql/3_c.sql
run --json status
expect_eq "missing" "$(jqv '.migrations[2].state')" missing
expect_eq "missing checksum null" "$(jqv '.migrations[2].checksum')" null
run status --exit-code
expect_rc 3 "status --exit-code with a missing version"
expect_out "missing"
run up
expect_rc 3
run repair
expect_rc 0; expect_out "forgot version"
run up
expect_rc 0
run --json log --limit 0
expect_eq "repair rows in log" "$(jqv '[.entries[] | select(.kind == "repair")] | length')" 3

# --exit-code on a healthy history, and with a pending version only: 0.
run status --exit-code
expect_rc 0 "nothing wrong"
write_pair 9 later "CREATE TABLE later_t (id INTEGER);" "DROP TABLE later_t;"
run status --exit-code
expect_rc 0 "pending is not wrong"
# Out of order: 5 pending below the applied 9.
run up
expect_rc 0
write_pair 5 early "CREATE TABLE early_t (id INTEGER);" "DROP TABLE early_t;"
run status --exit-code
expect_rc 3 "out-of-order"
