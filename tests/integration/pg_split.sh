#!/usr/bin/env bash
# Splitting torture: quotes, E'' strings, dollar quotes with semicolons,
# nested comments, BEGIN ATOMIC bodies; syntax errors before anything runs.
. "$(dirname "$0")/lib.sh" "$@"

cat >sql/1_torture.sql <<'SQL'
/* a /* nested */ comment; with a semicolon */
CREATE TABLE t (id int, s text);
INSERT INTO t VALUES (1, 'it''s; fine');
INSERT INTO t VALUES (2, E'escaped \' quote; and \\ backslash');
INSERT INTO t VALUES (3, $$dollar; quoted$$);
INSERT INTO t VALUES (4, $tag$ nested $$ and ; inside $tag$);
CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
	-- a semicolon; in a comment
	RETURN i + 1;
END;
$body$;
CREATE FUNCTION two_rows() RETURNS int LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO t VALUES (5, 'atomic one');
	INSERT INTO t VALUES (6, 'atomic two');
	SELECT 1;
END;
CREATE TABLE "Quoted;Name" (";" int);
SELECT two_rows();
-- a trailing comment without a statement
SQL
write rollback/1_torture.sql "DROP TABLE \"Quoted;Name\";
DROP FUNCTION two_rows();
DROP FUNCTION add_one(int);
DROP TABLE t;"
run --json up --dry-run
expect_rc 0
expect_eq "statement count" "$(jqv '.plan[0].segments[0].statements')" 9
run up
expect_rc 0
expect_eq "rows" "$(sqlq 'SELECT count(*) FROM t')" 6
expect_eq "quote kept" "$(sqlq 'SELECT s FROM t WHERE id = 1')" "it's; fine"
expect_eq "E string" "$(sqlq 'SELECT s FROM t WHERE id = 2')" "escaped ' quote; and \\ backslash"
expect_eq "dollar tag" "$(sqlq 'SELECT s FROM t WHERE id = 4')" " nested \$\$ and ; inside "
expect_eq "function" "$(sqlq 'SELECT add_one(41)')" 42
run --json log --version 1 --limit 0
expect_eq "kinds" "$(jqv '[.entries[].kind] | reverse | join(",")')" "create_table,insert,insert,insert,insert,create_function,create_function,create_table,select"
expect_eq "first log line skips the comment" "$(jqv '[.entries[]][-1].text')" "CREATE TABLE t (id int, s text);"

# A syntax error deep in a file: file:line:col, nothing sent.
printf 'CREATE TABLE s1 (id int);\n\nCREATE TABLE s2 (id int);\nSELECT 1;\n  CREAT TABLE s3 (id int);\n' >sql/2_typo.sql
write rollback/2_typo.sql "SELECT 1;"
run up
expect_rc 2; expect_err "sql/2_typo.sql:5:3: ERROR 42601: syntax error at or near \"CREAT\""
expect_eq "nothing ran" "$(table_exists s1)" 0
run --json up
expect_eq "json line" "$(jqv .error.line)" 5
expect_eq "json column" "$(jqv .error.column)" 3
expect_eq "json sqlstate" "$(jqv .error.sqlstate)" 42601

# A server error position maps into the file (line 5, column of 'gmaes').
printf -- '-- header\nCREATE TABLE s1 (id int);\n\nSELECT id,\n       name FROM gmaes;\n' >sql/2_typo.sql
run up
expect_rc 1; expect_err "sql/2_typo.sql:5:18: ERROR 42P01: relation \"gmaes\" does not exist"

# The same error in a transaction's first statement, which BEGIN is sent
# in front of: the position still counts from the statement.
printf 'SELECT id,\n       name FROM gmaes;\n' >sql/2_typo.sql
run up
expect_rc 1; expect_err "sql/2_typo.sql:2:18: ERROR 42P01: relation \"gmaes\" does not exist"

# Transaction control in a normal file is refused; allowed with the
# no-transaction directive.
printf 'BEGIN;\nCREATE TABLE s1 (id int);\nCOMMIT;\n' >sql/2_typo.sql
run up
expect_rc 2; expect_err "sql/2_typo.sql:1:1"; expect_err "transaction control"
printf -- '-- strata:no-transaction\nBEGIN;\nCREATE TABLE s1 (id int);\nCOMMIT;\n' >sql/2_typo.sql
run up
expect_rc 0
expect_eq "manual transaction ran" "$(table_exists s1)" 1

# psql meta-commands name their line.
printf 'SELECT 1;\n\\i other.sql\n' >sql/3_meta.sql
write rollback/3_meta.sql "SELECT 1;"
run up
expect_rc 2; expect_err "meta-command"; expect_err "line 2"

# A plain CREATE INDEX has its size read in the same round trip: with a
# name that needs quoting, in a schema, after a comment that runs to the
# end of the text, and in a no-transaction file.
rm sql/3_meta.sql rollback/3_meta.sql
sqlq 'CREATE SCHEMA "Odd s"'
printf 'CREATE TABLE "Odd s".ix (id int);\nINSERT INTO "Odd s".ix SELECT generate_series(1, 5000);\nCREATE INDEX "Ix ""q""" ON "Odd s".ix (id) -- to the end' >sql/3_ix.sql
write rollback/3_ix.sql 'DROP TABLE "Odd s".ix;'
printf -- '-- strata:no-transaction\nCREATE INDEX ix_plain ON "Odd s".ix (id);\n' >sql/4_ix.sql
write rollback/4_ix.sql 'DROP INDEX "Odd s".ix_plain;'
run up
expect_rc 0
run --json log --version 3 --limit 0
expect_eq "quoted index size" "$(jqv '[.entries[] | select(.kind == "create_index")][0].facts.index_size_bytes')" \
    "$(sqlq "SELECT pg_relation_size('\"Odd s\".\"Ix \"\"q\"\"\"')")"
expect_eq "the rows before it counted" "$(jqv '[.entries[] | select(.kind == "insert")][0].rows')" 5000
run --json log --version 4 --limit 0
expect_eq "no-transaction index size" "$(jqv '[.entries[] | select(.kind == "create_index")][0].facts.index_size_bytes')" \
    "$(sqlq "SELECT pg_relation_size('\"Odd s\".ix_plain')")"
