#!/usr/bin/env bash
# --dry-run shows the plan and changes nothing.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id INTEGER);
CREATE INDEX a_id ON a (id);" "DROP TABLE a;"
write_pair 2 vac "-- strata:no-transaction
CREATE TABLE v (id INTEGER);
INSERT INTO v VALUES (1);" "DROP TABLE v;"

run --json up --dry-run
expect_rc 0; expect_json
expect_eq "plan versions" "$(jqv '[.plan[].version] | join(",")')" "1,2"
expect_eq "direction" "$(jqv '.plan[0].direction')" up
expect_eq "file" "$(jqv '.plan[0].file')" sql/1_a.sql
expect_eq "one transaction of 2" "$(jqv '.plan[0].segments | map("\(.transactional):\(.statements)") | join(",")')" "true:2"
expect_eq "no-transaction file" "$(jqv '.plan[1].segments | map("\(.transactional):\(.statements)") | join(",")')" "false:1,false:1"
expect_eq "nothing created" "$(table_exists a)" 0
expect_eq "strata tables not created" "$(table_exists strata_history)" 0

run up --dry-run
expect_rc 0; expect_out "would apply 2 versions"
run up
expect_rc 0
expect_eq "v has its row" "$(sqlq 'SELECT count(*) FROM v')" 1

run --json rollback --dry-run --to 0
expect_rc 0; expect_json
expect_eq "rollback plan order" "$(jqv '[.plan[].version] | join(",")')" "2,1"
expect_eq "rollback direction" "$(jqv '.plan[0].direction')" down
expect_eq "rollback file" "$(jqv '.plan[0].file')" rollback/2_vac.sql
run current
expect_eq "still applied" "$OUT" 2
run --json log --limit 0
expect_eq "dry-run logged nothing down" "$(jqv '[.entries[] | select(.direction == "down")] | length')" 0
