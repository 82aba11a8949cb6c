#!/usr/bin/env bash
# A password is never printed: not in output, errors, --json, or the tables.
. "$(dirname "$0")/lib.sh" "$@"

secret=Sup3rSecretPw
pwdb="postgresql://postgres:$secret@/$PGDBNAME?host=$PGSOCK"
write_pair 1 a "CREATE TABLE a (id int);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (id int);
INSERT INTO nosuch VALUES (1);" "DROP TABLE b;"

check() {
	case "$OUT$ERR" in *"$secret"*) fail "password printed by: $1" ;; esac
	ok
}
run --db "$pwdb" up; check "up (failing)"
run --db "$pwdb" --json up; check "up --json"
run --db "$pwdb" --json status; check "status --json"
expect_eq "masked" "$(jqv .database)" "postgresql://postgres:****@/$PGDBNAME?host=$PGSOCK"
run --db "$pwdb" -v status; check "status -v"
run --db "$pwdb" log; check "log"
run --db "host=$PGSOCK dbname=$PGDBNAME user=postgres password=$secret" --json status; check "key=value status"
expect_eq "keyword masked" "$(jqv .database)" "host=$PGSOCK dbname=$PGDBNAME user=postgres password=****"
run --db "postgresql://postgres:$secret@/nosuchdb?host=$PGSOCK" status
expect_rc 5; check "connection failure"
run --db "postgresql://postgres:$secret@/x?host=/nonexistent" --json status
expect_rc 5; check "connection failure json"
run --db "mysql://u:$secret@h/db" status
expect_rc 2; check "unknown scheme"
dump=$(sqlq "SELECT concat_ws(' ', h.*) FROM strata_history h; SELECT concat_ws(' ', l.*) FROM strata_log l")
case $dump in *"$secret"*) fail "password stored in a table" ;; esac
ok

# A password with an unencoded '@': refused before connecting, saying how
# to encode it, with nothing of the password printed (libpq named its
# tail as a host).
run --db "postgresql://postgres:Sup3r@Secret@127.0.0.1/$PGDBNAME" status
expect_rc 2
expect_err "percent-encode an '@' in the user name or password as %40"
case "$OUT$ERR" in *Sup3r*|*Secret*) fail "part of the password printed: $ERR" ;; esac
ok
run --db "postgresql://postgres:Sup3r@Secret@127.0.0.1/$PGDBNAME" --json up
expect_rc 2
expect_json
case "$OUT$ERR" in *Sup3r*|*Secret*) fail "part of the password printed in JSON" ;; esac
ok
# Encoded, it is an ordinary password (the test server trusts any).
run --db "postgresql://postgres:Sup3r%40Secret@/$PGDBNAME?host=$PGSOCK" status
expect_rc 0
