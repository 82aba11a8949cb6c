#!/usr/bin/env bash
# lint --fix on a corpus of realistic hazardous migrations
# (tests/fix_corpus): the fixed files are exactly the ones checked in under
# expected/, a second --fix changes nothing, and --diff prints a unified
# diff that patch(1) turns the originals into those same files. From the
# files alone; pg_fix.sh applies them to PostgreSQL.
. "$(dirname "$0")/lib.sh" sqlite
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
CORPUS=$SRC/tests/fix_corpus
unset STRATA_DB
rm -rf sql rollback
cp -r "$CORPUS/sql" "$CORPUS/rollback" .
[ "$(ls sql | wc -l)" -ge 30 ] || fail "the corpus has fewer than 30 migrations"
ok

run lint --fix --diff
expect_rc 3 "a finding is left to a person"
diff -r "$CORPUS/sql" sql >/dev/null && diff -r "$CORPUS/rollback" rollback >/dev/null ||
	fail "--diff changed a file"
ok
mkdir -p "$T/patched"
cp -r sql rollback "$T/patched/"
(cd "$T/patched" && patch -s -p1 <"$T/out") || fail "patch refused the diff"
diff -r "$CORPUS/expected/sql" "$T/patched/sql" >"$T/d" &&
	diff -r "$CORPUS/expected/rollback" "$T/patched/rollback" >>"$T/d" ||
	fail "the patched files differ from expected/: $(head -20 "$T/d")"
ok

run lint --fix
expect_rc 3
expect_err "fixed sql/002_orders_customer_index.sql (1 statement)"
for d in sql rollback; do
	diff -r "$CORPUS/expected/$d" "$d" >"$T/d" || fail "$d differs from expected/: $(head -30 "$T/d")"
done
ok
mkdir -p "$T/once"
cp -r sql rollback "$T/once/"
run lint --fix
expect_rc 3
case $ERR in *"fixed "*) fail "a second --fix changed files: $ERR" ;; esac
diff -r "$T/once/sql" sql >/dev/null && diff -r "$T/once/rollback" rollback >/dev/null || fail "a second --fix changed files"
ok

# Named files only; a rollback file by its folder.
mkdir -p one/sql one/rollback
cp "$CORPUS/sql/002_orders_customer_index.sql" one/sql/
cp "$CORPUS/rollback/002_orders_customer_index.sql" one/rollback/
cp "$CORPUS/sql/001_base.sql" one/sql/
run -m one/sql -r one/rollback lint --fix one/sql/001_base.sql one/sql/002_orders_customer_index.sql one/rollback/002_orders_customer_index.sql
expect_rc 0 "$ERR"
cmp -s one/sql/002_orders_customer_index.sql "$CORPUS/expected/sql/002_orders_customer_index.sql" || fail "named forward file not fixed"
cmp -s one/rollback/002_orders_customer_index.sql "$CORPUS/expected/rollback/002_orders_customer_index.sql" || fail "named rollback file not fixed"
ok

# A forward file named alone brings its rollback file: a moved drop's
# undo moves into the rollback's contract part with it.
mkdir -p two/sql two/rollback
cp "$CORPUS/sql/001_base.sql" "$CORPUS/sql/021_orders_status_index_and_note.sql" two/sql/
cp "$CORPUS/rollback/021_orders_status_index_and_note.sql" two/rollback/
run -m two/sql -r two/rollback lint --fix two/sql/001_base.sql two/sql/021_orders_status_index_and_note.sql
expect_rc 0 "$ERR"
cmp -s two/rollback/021_orders_status_index_and_note.sql "$CORPUS/expected/rollback/021_orders_status_index_and_note.sql" ||
	fail "the rollback of a named forward file was not fixed: $(cat two/rollback/021_orders_status_index_and_note.sql)"
ok

# --diff needs --fix.
run lint --diff
expect_rc 2
expect_err "give --fix too"
