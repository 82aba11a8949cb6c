#!/usr/bin/env bash
# strata lint from the command line: what it reads, its formats, its exit
# codes, the directives and exclusions, and both dialects.
. "$(dirname "$0")/lib.sh" "$@"
# Without a database: the files alone (lint_db.sh has the database).
unset STRATA_DB

write_pair 1 base "CREATE TABLE games (id bigint PRIMARY KEY, name text, score numeric(3,2));
CREATE INDEX games_name ON games (name);" "DROP TABLE games;"
write_pair 2 widen "SET lock_timeout = '2s';
ALTER TABLE games ALTER COLUMN score TYPE numeric(5,2);" "SET lock_timeout = '2s';
-- strata:lint-ignore changing-column-type lowering it back rewrites: accepted
ALTER TABLE games ALTER COLUMN score TYPE numeric(3,2);"
write_pair 3 index "CREATE INDEX games_score ON games (score);" "DROP INDEX games_score;"

# Every forward and rollback file, without a database.
run lint
expect_rc 3 "a plain CREATE INDEX on an existing table is an error"
expect_out "sql/3_index.sql:1:1: error[require-concurrent-index-creation]"
expect_out "help: CREATE INDEX CONCURRENTLY"
expect_out "rollback/3_index.sql:1:1: error[require-concurrent-index-deletion]"
case $OUT in *changing-column-type*) fail "a raised numeric precision was reported" ;; esac
ok
expect_out "6 files, 9 statements"

run --json lint
expect_rc 3
expect_json
expect_eq "files" "$(jqv .files)" 6
expect_eq "statements" "$(jqv .statements)" 9
expect_eq "errors" "$(jqv .errors)" "$(jqv '[.findings[] | select(.severity == "error")] | length')"
expect_eq "finding fields" "$(jqv '.findings[] | select(.rule == "require-concurrent-index-creation") | [.file, .line, .column, .version, .direction, .statement, .table, .lock, .blocks] | join("|")')" \
    "sql/3_index.sql|1|1|3|up|1|games|SHARE|writes"
expect_eq "rollback direction" "$(jqv '.findings[] | select(.rule == "require-concurrent-index-deletion") | .direction')" down

# The named files only; the rollback folder makes a file a rollback.
run lint sql/1_base.sql sql/2_widen.sql
expect_rc 0 "$OUT"
run lint rollback/2_widen.sql
expect_rc 0 "the ignored lowering: $OUT"
run --json lint --lock-timeout 0 --exclude require-concurrent-index-creation sql/3_index.sql
expect_rc 0
expect_eq "excluded" "$(jqv '.findings | length')" 1
expect_eq "only the lock-timeout warning left" "$(jqv '.findings[0].rule')" require-lock-timeout
STRATA_LINT_EXCLUDE=require-concurrent-index-creation,require-lock-timeout run --json lint --lock-timeout 0 sql/3_index.sql
expect_rc 0
expect_eq "excluded by the environment" "$(jqv '.findings | length')" 0
run --json lint --lock-timeout 0 --strict --exclude require-concurrent-index-creation sql/3_index.sql
expect_rc 3 "--strict makes the warning count"
expect_eq "and counts it as an error" "$(jqv '[.errors, .warnings, .findings[0].severity] | join(",")')" "1,0,error"
run lint --exclude no-such-rule
expect_rc 2
expect_err "'no-such-rule' is not a lint rule"

# An unused ignore is a warning pointing at the comment.
write sql/4_quiet.sql "-- strata:lint-ignore ban-drop-table
SELECT 1;"
write rollback/4_quiet.sql "SELECT 1;"
run --json lint sql/4_quiet.sql
expect_rc 0
expect_eq "unused-ignore" "$(jqv '[.findings[0].rule, .findings[0].line, .findings[0].column] | join(",")')" "unused-ignore,1,1"

# SARIF 2.1.0 and GitHub annotations.
run lint --format sarif sql/3_index.sql
expect_rc 3
expect_json
expect_eq "sarif version" "$(jqv .version)" 2.1.0
expect_eq "tool" "$(jqv '.runs[0].tool.driver.name')" strata
expect_eq "rule listed with help" "$(jqv '.runs[0].tool.driver.rules[] | select(.id == "require-concurrent-index-creation") | .help.text | length > 0')" true
expect_eq "result" "$(jqv '.runs[0].results[0] | [.ruleId, .level, .locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .locations[0].physicalLocation.region.startColumn] | join("|")')" \
    "require-concurrent-index-creation|error|sql/3_index.sql|1|1"
run lint --lock-timeout 0 --format github sql/3_index.sql
expect_rc 3
expect_out "::error file=sql/3_index.sql,line=1,col=1,title=require-concurrent-index-creation::"
expect_out "::warning file=sql/3_index.sql,line=1,col=1,title=require-lock-timeout::"

# --pg-version: a constant default rewrites before PostgreSQL 11.
write sql/5_flag.sql "SET lock_timeout = '2s';
ALTER TABLE games ADD COLUMN flag boolean NOT NULL DEFAULT false;"
run lint sql/5_flag.sql
expect_rc 0 "$OUT"
run lint --pg-version 10 sql/5_flag.sql
expect_rc 3
expect_out "adding-field-with-default"
run lint --pg-version 15.4 --lock-timeout 2s sql/5_flag.sql
expect_rc 0
run lint --pg-version banana
expect_rc 2

# A file that does not parse: exit 2 with file:line:col, like up.
write sql/6_bad.sql "SELECT 1;
SELEC 2;"
run lint sql/6_bad.sql
expect_rc 2
expect_err "sql/6_bad.sql:2:1:"
run --json lint sql/6_bad.sql
expect_rc 2
expect_json
expect_eq "error document" "$(jqv '.error.line')" 2
rm sql/6_bad.sql

# SQLite: its own rules, from its tokens; PostgreSQL's are not applied.
write sql/7_t.sqlite.sql "ALTER TABLE games ADD COLUMN n INTEGER NOT NULL;
CREATE INDEX games_n ON games (n);
PRAGMA foreign_keys = OFF;"
run --json lint sql/7_t.sqlite.sql
expect_rc 3
expect_eq "sqlite rules" "$(jqv '[.findings[].rule] | sort | join(",")')" "adding-required-field,sqlite-pragma-in-transaction"
write sql/8_g.sql "ALTER TABLE games RENAME COLUMN name TO title;"
run --json lint --dialect sqlite sql/8_g.sql
expect_rc 3
expect_eq "generic file read as SQLite" "$(jqv '[.findings[].rule] | join(",")')" "renaming-column"

# lint runs nothing and touches no database.
[ ! -e "$DBFILE" ] || fail "lint created a database"
ok

# The repository's own series lints clean: every finding fixed, or
# ignored in the file with its reason.
run -m "${STRATA_SRC:?}/sql" -r "$STRATA_SRC/rollback" lint
expect_rc 0 "$OUT"
expect_out "0 errors, 0 warnings"

# Ignore comments: "RULE: reason" as the man page writes it; a misspelt
# rule is named, with the nearest real one.
write sql/9_i.sql "-- strata:lint-ignore renaming-column: the old name is unused
ALTER TABLE games RENAME COLUMN name TO title;"
run --json lint sql/9_i.sql
expect_rc 0 "$OUT"
expect_eq "the colon form ignores" "$(jqv '.findings | length')" 0
write sql/9_i.sql "-- strata:lint-ignore renaming-colum the old name is unused
ALTER TABLE games RENAME COLUMN name TO title;"
run --json lint sql/9_i.sql
expect_eq "a misspelt ignore" "$(jqv '[.findings[].rule] | sort | join(",")')" "renaming-column,unused-ignore"
expect_eq "names the nearest rule" "$(jqv '.findings[] | select(.rule == "unused-ignore") | .message | test("not a lint rule; did you mean .renaming-column.")')" true
run lint --exclude ban-drop-tabel sql/9_i.sql
expect_rc 2
expect_err "'ban-drop-tabel' is not a lint rule; did you mean 'ban-drop-table'?"
STRATA_LINT_EXCLUDE=adding-requird-field run lint sql/9_i.sql
expect_rc 2
expect_err "did you mean 'adding-required-field'?"
rm sql/9_i.sql

# --list-rules, as text and as JSON.
run lint --list-rules
expect_rc 0
expect_out "require-lock-timeout"
run --json lint --list-rules
expect_rc 0
expect_json
expect_eq "every rule" "$(jqv '.rules | length')" "$(grep -c . <<<"$(echo "$OUT" | jq -r '.rules[].name')")"
expect_eq "a rule's fields" "$(jqv '.rules[] | select(.name == "ban-drop-table") | [.severity, (.dialects | join("+"))] | join(" ")')" "error postgres+sqlite"

# The CONCURRENTLY advice needs no directive: strata moves the statement
# out of the transaction by itself.
run --json lint sql/3_index.sql
expect_eq "help without the directive" "$(jqv '.findings[] | select(.rule == "require-concurrent-index-creation") | .help | test("no-transaction")')" false

# SQLite refuses ADD COLUMN with CURRENT_TIMESTAMP (and its kin) on a
# table with rows: lint says so, as up would find.
sqlite3 "$T/rows.db" "CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1);"
for d in CURRENT_TIMESTAMP CURRENT_DATE CURRENT_TIME; do
	write sql/10_c.sqlite.sql "ALTER TABLE t ADD COLUMN c TEXT DEFAULT $d;"
	run --json lint sql/10_c.sqlite.sql
	expect_eq "$d" "$(jqv '[.findings[].rule] | join(",")')" sqlite-non-constant-default
	sqlite3 "$T/rows.db" "ALTER TABLE t ADD COLUMN c TEXT DEFAULT $d;" 2>/dev/null &&
		fail "SQLite took DEFAULT $d after all"
	ok
done
rm sql/10_c.sqlite.sql

# Expand and contract: the compatibility rules are quiet in a contract
# part and point at the contract line elsewhere; a contract part that
# drops what an earlier expanded version's trigger uses is reported.
write sql/30_base.sql "CREATE TABLE scores (id bigint PRIMARY KEY, points integer);"
write sql/31_drop.sql "ALTER TABLE scores DROP COLUMN points;"
run --json lint sql/30_base.sql sql/31_drop.sql
expect_eq "unphased drop" "$(jqv '[.findings[].rule] | join(",")')" ban-drop-column
expect_eq "its help points at the line" "$(jqv '.findings[0].help | test("-- strata:contract")')" true
write sql/31_drop.sql "ALTER TABLE scores ADD COLUMN note text;
-- strata:contract
ALTER TABLE scores DROP COLUMN points;"
run --json lint sql/30_base.sql sql/31_drop.sql
expect_rc 0 "$OUT"
expect_eq "quiet in the contract part" "$(jqv '.findings | length')" 0
write sql/31_drop.sql "ALTER TABLE scores ADD COLUMN points_big bigint;
-- strata:commit
CREATE FUNCTION scores_sync() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN NEW.points_big := NEW.points; RETURN NEW; END \$\$;
CREATE TRIGGER scores_sync BEFORE INSERT OR UPDATE ON scores
    FOR EACH ROW EXECUTE FUNCTION scores_sync();
-- strata:contract
DROP TRIGGER scores_sync ON scores;"
write sql/32_later.sql "SELECT 1;
-- strata:contract
ALTER TABLE scores DROP COLUMN points;"
run --json lint sql/30_base.sql sql/31_drop.sql sql/32_later.sql
expect_rc 3 "$OUT"
expect_eq "contract-breaks-expanded" "$(jqv '[.findings[].rule] | join(",")')" contract-breaks-expanded
expect_eq "at the drop" "$(jqv '.findings[0] | "\(.file):\(.line)"')" "sql/32_later.sql:3"
expect_eq "names the version" "$(jqv '.findings[0].message | test("version 31 ")')" true
# An expand part that does not name the column: nothing.
write sql/32_later.sql "SELECT 1;
-- strata:contract
ALTER TABLE scores DROP COLUMN note;"
run --json lint sql/30_base.sql sql/31_drop.sql sql/32_later.sql
expect_eq "unrelated drop" "$(jqv '.findings | length')" 0
rm sql/30_base.sql sql/31_drop.sql sql/32_later.sql
