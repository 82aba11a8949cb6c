#!/usr/bin/env bash
# up (and rollback) lint what they will run through the same path as
# lint --db: over the same folders and database, both find the same.
. "$(dirname "$0")/lib.sh" "$@"

# same WHAT [GLOBAL OPTIONS...]: up --dry-run's findings on the forward
# files are exactly lint's.
same() {
	local what=$1
	shift
	run "$@" up --dry-run --lint warn --lock-timeout 0
	expect_rc 0 "up --dry-run on $what: $ERR"
	grep -E ':[0-9]+:[0-9]+: (error|warning)\[' <<<"$ERR" | grep -v 'rollback/' | sort >"$T/up.txt"
	run "$@" lint --lock-timeout 0
	[ "$RC" -eq 0 ] || [ "$RC" -eq 3 ] || fail "lint on $what: exit $RC: $ERR"
	grep -E ':[0-9]+:[0-9]+: (error|warning)\[' <<<"$OUT" | grep -v 'rollback/' | sort >"$T/lint.txt"
	diff -u "$T/lint.txt" "$T/up.txt" >"$T/diff" || fail "up and lint differ on $what:
$(cat "$T/diff")"
	ok
}

# A fresh database: a table dropped IF EXISTS and made again, one renamed
# and then dropped by later versions, are new to it: nothing to report.
write_pair 1 a "DROP TABLE IF EXISTS zz;
CREATE TABLE zz (id int);
CREATE TABLE big (id int);" "DROP TABLE zz; DROP TABLE big;"
write_pair 2 r "ALTER TABLE big RENAME TO u;" "ALTER TABLE u RENAME TO big;"
write_pair 3 d "DROP TABLE u;
CREATE INDEX zi ON zz (id);" "CREATE TABLE u (id int); DROP INDEX zi;"
same "a fresh database"
expect_eq "nothing reported" "$(cat "$T/up.txt")" ""

# With version 1 applied, its tables exist: the rename and the index are
# hazards, to both alike.
run up --to 1
expect_rc 0
same "version 1 applied"
case $(cat "$T/up.txt") in *"[renaming-table]"*) ok ;; *) fail "the rename of an existing table is not reported" ;; esac
run rollback
expect_rc 0

# The lint corpus and this repository's series, on a fresh database.
rm -rf sql rollback
mkdir sql rollback
corpus=${STRATA_SRC:?}/tests/lint_corpus
same "the lint corpus" -m "$corpus/sql" -r "$corpus/rollback"
# On PostgreSQL the prefer-* rules judge the new tables; SQLite has none.
if [ "$KIND" = postgres ]; then
	[ -s "$T/up.txt" ] || fail "the corpus gave no findings to compare"
	ok
fi
same "the example series" -m "$STRATA_SRC/sql" -r "$STRATA_SRC/rollback"
