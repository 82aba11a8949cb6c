#!/usr/bin/env bash
# Bad input gets a clear error and a defined exit code, never a crash or a
# half-recorded state.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 good "CREATE TABLE good (id INTEGER);" "DROP TABLE good;"
run up
expect_rc 0

# each: name, content (printf format), expected code, expected stderr text
check_bad() {
	local name=$1 content=$2 code=$3 text=$4
	printf "$content" >"sql/2_$name.sql"
	write "rollback/2_$name.sql" "SELECT 1;"
	run up
	expect_rc "$code" "$name"
	expect_err "$text"
	expect_eq "$name: nothing recorded" "$(sqlq 'SELECT count(*) FROM strata_history')" 1
	run validate
	[ "$RC" -ne 0 ] || fail "validate accepted $name"
	ok
	rm -f "sql/2_$name.sql" "rollback/2_$name.sql"
}

# Statement-less files run, as 0 statements, with a warning each (SPEC §5).
for kind in empty comments; do
	if [ $kind = empty ]; then : >sql/2_$kind.sql; else printf -- '-- only a comment\n/* and a block */\n' >sql/2_$kind.sql; fi
	: >rollback/2_$kind.sql
	run validate
	expect_rc 0 "validate: a $kind file"
	expect_err "warning: 2 files hold no SQL statements; each runs as 0 statements: 'sql/2_$kind.sql', 'rollback/2_$kind.sql'"
	run --json up
	expect_rc 0 "a $kind file runs"
	expect_eq "$kind: 0 statements" "$(jqv '.applied[0].statements')" 0
	expect_eq "$kind: recorded" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" applied
	run rollback
	expect_rc 0 "its $kind rollback runs"
	expect_eq "$kind: rolled back" "$(sqlq 'SELECT count(*) FROM strata_history')" 1
	rm -f "sql/2_$kind.sql" "rollback/2_$kind.sql"
done
# Hundreds of them (real folders have): one warning with the count and the
# first few names; -v names them all.
for v in $(seq 10 29); do
	: >"sql/${v}_blank.sql"
	: >"rollback/${v}_blank.sql"
done
run validate
expect_rc 0
expect_eq "one warning line" "$(grep -c 'hold no SQL statements' <<<"$ERR")" 1
expect_err "40 files hold no SQL statements"
expect_err "'sql/10_blank.sql', 'rollback/10_blank.sql', 'sql/11_blank.sql' and 37 more (-v names them all)"
run -v validate
expect_err "'rollback/29_blank.sql'"
run up
expect_rc 0
expect_eq "one warning line from up" "$(grep -c 'hold no SQL statements' <<<"$ERR")" 1
run rollback --to 1
expect_rc 0
expect_eq "one warning line from rollback" "$(grep -c 'hold no SQL statements' <<<"$ERR")" 1
rm -f sql/*_blank.sql rollback/*_blank.sql

check_bad binary 'CREATE TABLE x (id INTEGER);\n\000\001\002\003' 2 "NUL byte"
check_bad latin1 'CREATE TABLE x (name TEXT DEFAULT '"'"'caf\351'"'"');\n' 2 "not valid UTF-8"
check_bad quote "CREATE TABLE x (id INTEGER);\nINSERT INTO x VALUES ('unterminated);\n" 2 "sql/2_quote.sql:2:"
check_bad txctl 'BEGIN;\nCREATE TABLE x (id INTEGER);\nCOMMIT;\n' 2 "transaction control"
check_bad meta '\\set ON_ERROR_STOP on\nCREATE TABLE x (id INTEGER);\n' 2 "meta-command"

# An upper-case extension: not a migration, and said so, not left out
# without a word.
write sql/7_upper.SQL "CREATE TABLE upper_t (id int);"
run validate
expect_rc 0
expect_err "'sql/7_upper.SQL' is left out: only names ending in lower-case '.sql' are migrations"
run up
expect_err "7_upper.SQL"
expect_eq "not run" "$(table_exists upper_t)" 0
rm sql/7_upper.SQL

# Misnamed and duplicate files: exit 2 naming the file.
write sql/3-bad-name.sql "SELECT 1;"
run status
expect_rc 2; expect_err "sql/3-bad-name.sql"
run --json status
expect_rc 2; expect_json
expect_eq "misnamed file in the JSON error" "$(jqv .error.file)" \
    "sql/3-bad-name.sql"
# The folders are scanned while the database opens; when both fail, the
# database's error is the one reported, as when one came after the other.
run --db "sqlite:$T/no/such/dir/x.db" up
expect_rc 5; expect_err "cannot open"
rm sql/3-bad-name.sql
write sql/0_zero.sql "SELECT 1;"
run up
expect_rc 2; expect_err "sql/0_zero.sql"
rm sql/0_zero.sql
write sql/1234567890123456789_big.sql "SELECT 1;"
run up
expect_rc 2; expect_err "18 digits"
rm sql/1234567890123456789_big.sql
write sql/01_again.sql "SELECT 1;"
run up
expect_rc 2; expect_err "both version 1"
rm sql/01_again.sql
write sql/5_x.mysql.sql "SELECT 1;"
run up
expect_rc 2; expect_err "dialect"
rm sql/5_x.mysql.sql
write sql/README.txt "not a migration"
run up
expect_rc 0 "non-.sql files are ignored"

# Bad flags and folders.
run up --bogus
expect_rc 2; expect_err "unknown option"
run frobnicate
expect_rc 2
run -m nosuchdir status
expect_rc 2; expect_err "nosuchdir"
run rollback --steps 1 --to 0
expect_rc 2
run up --to abc
expect_rc 2
run --db "mysql://x" status
expect_rc 2
run --json up --bogus
expect_rc 2; expect_json
expect_eq "usage exit code in json" "$(jqv .error.exit_code)" 2

# Missing and irreversible rollbacks.
write sql/6_norb.sql "CREATE TABLE norb (id INTEGER);"
run up
expect_rc 0; expect_err "no rollback file"
run validate
expect_rc 3; expect_err "no rollback file"
run --json status
expect_eq "has_rollback false" "$(jqv '.migrations[-1].has_rollback')" false
run rollback
expect_rc 2; expect_err "has no rollback file"
write rollback/6_norb.sql "-- strata:irreversible"
run rollback
expect_rc 2; expect_err "irreversible"
run current
expect_eq "still 6" "$OUT" 6
