#!/usr/bin/env bash
# A folder of realistic migrations (tests/lint_corpus) and the findings it
# must produce, checked as a whole: a finding more, or one fewer, fails.
. "$(dirname "$0")/lib.sh" "$@"
unset STRATA_DB

corpus=${STRATA_SRC:?}/tests/lint_corpus
run --json -m "$corpus/sql" -r "$corpus/rollback" lint
expect_rc 3
expect_json
jq -r '.findings[] | "\(.file | sub(".*lint_corpus/"; "")):\(.line):\(.column) \(.severity) \(.rule)"' \
    "$T/out" >"$T/got"
grep -v '^#' "$corpus/expected.txt" >"$T/want"
diff -u "$T/want" "$T/got" >"$T/diff" || fail "findings differ from expected.txt:
$(cat "$T/diff")"
ok
expect_eq "every file read" "$(jqv .files)" 24
