#!/usr/bin/env bash
# CREATE UNIQUE INDEX CONCURRENTLY on duplicate data: exit 1, `failed`,
# resume after the data is fixed without re-running completed statements,
# no INVALID index left; completed statements changed in the file: exit 3.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 base "CREATE TABLE books (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit (note text);" "DROP TABLE audit;
DROP TABLE books;"
write_pair 2 uq "INSERT INTO audit VALUES ('ran statement 1');
INSERT INTO books VALUES (1, 'a'), (2, 'a');
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS books_name_uq ON books (name);
CREATE INDEX CONCURRENTLY books_id_name ON books (id, name);
ALTER TABLE books ALTER COLUMN name TYPE varchar(100);" "ALTER TABLE books ALTER COLUMN name TYPE text;
DROP INDEX CONCURRENTLY books_id_name;
DROP INDEX CONCURRENTLY books_name_uq;
DELETE FROM books;
DELETE FROM audit;"

run --json up --dry-run
expect_eq "segments" "$(jqv '.plan[1].segments | map("\(.transactional):\(.statements)") | join(",")')" "true:2,false:1,false:1,true:1"

run up
expect_rc 1; expect_err "sql/2_uq.sql:3:1: ERROR 23505"
run --json status
expect_eq "failed" "$(jqv '.migrations[1].state')" failed
expect_eq "completed" "$(jqv '.migrations[1].statements_completed')" 2
expect_eq "INVALID index left by the failed build" "$(sqlq "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" 1
run up --dry-run
expect_rc 0; expect_out "resume at statement 3"

# Still duplicated: fails again, and still only one INVALID index.
run up
expect_rc 1
expect_eq "one INVALID index" "$(sqlq "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" 1

sqlq "UPDATE books SET name = 'b' WHERE id = 2"
run up
expect_rc 0; expect_err "resuming version 2 at statement 3"
expect_eq "no INVALID index" "$(sqlq "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" 0
expect_eq "unique index valid" "$(sqlq "SELECT indisvalid FROM pg_index WHERE indexrelid = 'books_name_uq'::regclass")" t
expect_eq "statement 1 ran once" "$(sqlq "SELECT count(*) FROM audit")" 1
expect_eq "books rows not doubled" "$(sqlq "SELECT count(*) FROM books")" 2
run --json log --version 2 --limit 0
expect_eq "dropped invalid index fact" "$(jqv '[.entries[] | select(.facts.dropped_invalid_index)] | length')" 1
expect_eq "index size fact" "$(jqv '[.entries[] | select(.kind == "create_index_concurrently" and .outcome == "ok")][0].facts.index_size_bytes > 0')" true
expect_eq "rewrite fact" "$(jqv '[.entries[] | select(.kind == "alter_column_type")][0].facts | has("table_rewritten")')" true
expect_eq "error sqlstate logged" "$(jqv '[.entries[] | select(.outcome == "error")][0].sqlstate')" 23505

# Roll back (concurrent drops run outside transactions) and fail again to
# test the "completed statements changed" refusal.
run rollback
expect_rc 0
sqlq "UPDATE books SET name = 'a'" >/dev/null 2>&1 || true
run up
expect_rc 1
write sql/2_uq.sql "INSERT INTO audit VALUES ('CHANGED statement 1');
INSERT INTO books VALUES (1, 'a'), (2, 'a');
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS books_name_uq ON books (name);"
run up
expect_rc 3; expect_err "changed in the file"
run validate
expect_rc 3
run repair
expect_rc 0; expect_out "cleared failed run"
run --json status
expect_eq "pending after repair" "$(jqv '.migrations[1].state')" pending
