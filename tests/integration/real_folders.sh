#!/usr/bin/env bash
# What real folders hold: long versions (14 and 18 digits), versions of
# two widths, statements the log should name, an unterminated quote.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 20261202120000 first "CREATE TABLE a (x int);" "DROP TABLE a;"
write_pair 923456789012345678 second "$(pick "CREATE VIEW v AS SELECT x FROM a;
DROP VIEW v;
PRAGMA user_version = 7;
ALTER TABLE a RENAME TO a2;
ALTER TABLE a2 RENAME TO a;" "CREATE MATERIALIZED VIEW mv AS SELECT x FROM a;
CREATE SEQUENCE s;
ALTER SEQUENCE s RESTART;
CREATE TYPE mood AS ENUM ('ok');
ALTER TABLE a RENAME COLUMN x TO y;
DROP MATERIALIZED VIEW mv;")" "SELECT 1;"
run up
expect_rc 0
run log
expect_rc 0
# Every row's columns start where the header's do.
header=$(sed -n 1p "$T/out")
col=$(awk -v h="$header" 'BEGIN { print index(h, "DIR") }')
for line in $(seq 2 "$(wc -l <"$T/out")"); do
	row=$(sed -n "${line}p" "$T/out")
	case ${row:$((col - 1)):2} in up) ;; *) fail "log row $line: DIR not under its header: '$row'" ;; esac
done
ok
kinds=$(sqlq "SELECT kind FROM strata_log WHERE version = 923456789012345678 ORDER BY statement" | tr '\n' ' ')
expect_eq "statement kinds" "$kinds" "$(pick "create_view drop_view pragma rename rename " "create_materialized_view create_sequence alter_sequence create_type rename drop_materialized_view ")"

# Versions of 8 and 14 digits whose numeric order is not their name order.
mkdir -p "$T/mixed/sql" "$T/mixed/rollback"
for v in 20201010 20191010120000; do
	write "$T/mixed/sql/${v}_x.sql" "SELECT 1;"
	write "$T/mixed/rollback/${v}_x.sql" "SELECT 1;"
done
run -m "$T/mixed/sql" -r "$T/mixed/rollback" status
expect_rc 0
expect_err "warning: versions of 8 and 14 digits: '$T/mixed/sql/20201010_x.sql' runs before '$T/mixed/sql/20191010120000_x.sql'"
# Short sequence numbers (9 before 10) are nobody's surprise.
run status
case $ERR in *"versions of"*) fail "a warning for a consistent folder: $ERR" ;; *) ok ;; esac

# An unterminated quote names its place once.
write_pair 999999999999999999 bad "CREATE TABLE c (x int);
INSERT INTO c VALUES ('unterminated);" "DROP TABLE c;"
run up
expect_rc 2
n=$(grep -o "sql/999999999999999999_bad.sql:2:" "$T/err" | wc -l)
expect_eq "location given once" "$n" 1
