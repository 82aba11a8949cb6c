#!/usr/bin/env bash
# A -- strata:no-transaction file with its own BEGIN ... COMMIT runs as
# written, on both databases: strata's records of the statements inside
# commit or roll back with them, a failure inside is exit 1 at file:line,
# and the next run resumes at that BEGIN.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 seed "-- strata:no-transaction
CREATE TABLE a (x int);
BEGIN;
INSERT INTO a VALUES (1);
INSERT INTO a VALUES (2);
COMMIT;
CREATE TABLE b (y int);" "DROP TABLE b;
DROP TABLE a;"
run up
expect_rc 0 "its own transaction"
expect_eq "rows" "$(sqlq "SELECT count(*) FROM a")" 2
expect_eq "history" "$(sqlq "SELECT state || ' ' || statements_completed FROM strata_history")" "applied 6"
case $ERR in *"transaction in progress"*) fail "strata's records broke into the file's transaction: $ERR" ;; *) ok ;; esac

# A failure inside it: exit 1 at the statement, and nothing of it kept.
write_pair 2 load "-- strata:no-transaction
INSERT INTO a VALUES (10);
BEGIN;
INSERT INTO a VALUES (20);
INSERT INTO nowhere VALUES (1);
COMMIT;
INSERT INTO a VALUES (30);" "DELETE FROM a WHERE x >= 10;"
run up
expect_rc 1 "a failed statement inside the file's transaction"
expect_err "sql/2_load.sql:5:"
expect_eq "what the transaction did is gone" "$(sqlq "SELECT group_concat(x) FROM (SELECT x FROM a WHERE x >= 10 ORDER BY x)" 2>/dev/null || sqlq "SELECT string_agg(x::text, ',' ORDER BY x) FROM a WHERE x >= 10")" 10
expect_eq "recorded up to its BEGIN" "$(sqlq "SELECT state || ' ' || statements_completed FROM strata_history WHERE version = 2")" "failed 1"
expect_eq "the failure is logged" "$(sqlq "SELECT count(*) FROM strata_log WHERE version = 2 AND outcome = 'error'")" 1
sed -i 's/INSERT INTO nowhere VALUES (1);/INSERT INTO a VALUES (25);/' sql/2_load.sql
run up
expect_rc 0 "resumed at the BEGIN"
expect_eq "every row once" "$(sqlq "SELECT count(*) || ':' || sum(x) FROM a WHERE x >= 10")" "4:85"

# A file that ends inside its transaction: refused, and rolled back.
write_pair 3 open "-- strata:no-transaction
INSERT INTO a VALUES (100);
BEGIN;
INSERT INTO a VALUES (200);" "DELETE FROM a WHERE x >= 100;"
run up
expect_rc 1 "a transaction left open"
expect_err "sql/3_open.sql:3:1: error: 'sql/3_open.sql' ends inside a transaction it began"
expect_eq "its work rolled back" "$(sqlq "SELECT count(*) FROM a WHERE x = 200")" 0
expect_eq "recorded up to its BEGIN" "$(sqlq "SELECT state || ' ' || statements_completed FROM strata_history WHERE version = 3")" "failed 1"
run rollback --to 0
expect_rc 3 "a failed version blocks the rollback"

# A DO block that commits inside runs as written (outside a transaction).
if [ "$KIND" = postgres ]; then
	sqlq "DELETE FROM strata_history WHERE version = 3"
	rm sql/3_open.sql rollback/3_open.sql
	write_pair 4 do_commit "-- strata:no-transaction
CREATE TABLE d (x int);
DO \$\$ BEGIN INSERT INTO d VALUES (1); COMMIT; INSERT INTO d VALUES (2); END \$\$;" "DROP TABLE d;"
	run up
	expect_rc 0 "a DO block with COMMIT"
	expect_eq "both halves" "$(sqlq "SELECT count(*) FROM d")" 2
fi
