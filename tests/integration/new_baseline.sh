#!/usr/bin/env bash
# new numbers files from the folders; baseline records without running.
. "$(dirname "$0")/lib.sh" "$@"

rmdir sql rollback
run new create_games
expect_rc 0; expect_out "sql/1_create_games.sql"; expect_out "rollback/1_create_games.sql"
[ -f sql/1_create_games.sql ] && [ -f rollback/1_create_games.sql ] || fail "files not created"
ok
run up
expect_rc 2 "a pair as new wrote it"
expect_err "'sql/1_create_games.sql' and 'rollback/1_create_games.sql' are still as 'strata new' wrote them"
run --json status
expect_eq "nothing recorded" "$(jqv '.migrations[0].state')" pending
run validate
expect_rc 2 "validate names it too"
expect_err "sql/1_create_games.sql"
# Written on one side only, the pair is no longer untouched: it runs.
echo "CREATE TABLE games (id INTEGER);" >>sql/1_create_games.sql
run up
expect_rc 0 "the change written, the rollback still the template"
run rollback
expect_rc 0
expect_err "warning: 'rollback/1_create_games.sql' holds no SQL statements"

rm sql/1_create_games.sql rollback/1_create_games.sql
write_pair 0041 first "CREATE TABLE first (id INTEGER);" "DROP TABLE first;"
run --json new add-index
expect_rc 0; expect_json
expect_eq "zero-padded to the width" "$(jqv .file)" sql/0042_add-index.sql
expect_eq "version" "$(jqv .version)" 42
run new 'bad name'
expect_rc 2
run new add-index
expect_rc 0; expect_out "0043_add-index"

# An existing schema: baseline 41 records it, running nothing.
rm sql/0042_* sql/0043_* rollback/0042_* rollback/0043_*
write_pair 0050 second "CREATE TABLE second (id INTEGER);" "DROP TABLE second;"
run --json baseline 41
expect_rc 0; expect_json
expect_eq "baselined" "$(jqv '[.baselined[].version] | join(",")')" 41
expect_eq "current" "$(jqv .current)" 41
expect_eq "first not created" "$(table_exists first)" 0
run baseline 41
expect_rc 0; expect_out "nothing to baseline"
run up
expect_rc 0; expect_out "applied 50 second"
run --json log --limit 0
expect_eq "baseline row" "$(jqv '[.entries[] | select(.kind == "baseline")] | length')" 1
run baseline abc
expect_rc 2
