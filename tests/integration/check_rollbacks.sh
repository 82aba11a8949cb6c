# check_rollbacks.sh - up --check-rollbacks catches a rollback that does
# not undo its migration, names the first difference, and exits 3.
. "$(dirname "$0")/lib.sh" "$@"
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
cp -r "$SRC/sql" "$SRC/rollback" .
d=$(pick sqlite postgres)

# A rollback of 200 that forgets one index.
grep -v 'raw_odds_unprocessed' "$SRC/rollback/200_raw_odds_indexes.$d.sql" \
    >"rollback/200_raw_odds_indexes.$d.sql"
run up --check-rollbacks
expect_rc 3 "$ERR"
expect_err "version 200: index raw_odds_unprocessed: should not exist"
run --json status
expect_eq "200 left rolled back" "$(jqv '.migrations[] | select(.version == 200) | .state')" pending
expect_eq "199 and below applied" "$(jqv '[.migrations[] | select(.state == "applied") | .version] | join(",")')" "1,2,3"
# What the rollback left behind is the operator's to clean up; then the
# same finding again, as JSON.
sqlq "DROP INDEX raw_odds_unprocessed"
run --json up --check-rollbacks
expect_rc 3
expect_eq "JSON exit code" "$(jqv .error.exit_code)" 3
expect_eq "JSON version" "$(jqv .error.version)" 200
case $(jqv .error.message) in
*"index raw_odds_unprocessed"*) ok ;;
*) fail "JSON message: $(jqv .error.message)" ;;
esac
cp "$SRC/rollback/200_raw_odds_indexes.$d.sql" rollback/
sqlq "DROP INDEX raw_odds_unprocessed"

# A rollback of the precision fix that forgets one table: the column's
# type is the first difference.
sed '/^ALTER TABLE staging_totals$/,+1d' \
    "$SRC/rollback/220_staging_score_precision.postgres.sql" \
    >rollback/220_staging_score_precision.postgres.sql
if [ "$KIND" = sqlite ]; then
	# The SQLite rollback rebuilds each table; drop the staging_totals part.
	awk '/^-- staging_totals$/ { skip = 1 } !skip' \
	    "$SRC/rollback/220_staging_score_precision.sqlite.sql" \
	    >rollback/220_staging_score_precision.sqlite.sql
fi
run up --check-rollbacks
expect_rc 3 "$ERR"
expect_err "$(pick \
    'version 220: column staging_totals.data_quality_score: NUMERIC(5,2) != NUMERIC(3,2)' \
    'version 220: column staging_totals.data_quality_score: numeric(5,2) != numeric(3,2)')"

# A difference the pragmas and catalogs only show in a definition: a
# partial index re-created with another predicate.
cp "$SRC/rollback/220_staging_score_precision.$d.sql" rollback/
if [ "$KIND" = sqlite ]; then
	awk '/^-- staging_totals$/ { keep = 1 } keep' \
	    "rollback/220_staging_score_precision.sqlite.sql" | sqlite3 "$DBFILE"
else
	sqlq "ALTER TABLE staging_totals ALTER COLUMN data_quality_score TYPE numeric(3,2)"
fi
cat >sql/540_book_index.sql <<'SQL'
CREATE INDEX sportsbooks_active ON sportsbooks (name) WHERE region <> 'intl';
SQL
cat >rollback/540_book_index.sql <<'SQL'
DROP INDEX sportsbooks_active;
CREATE INDEX sportsbooks_active ON sportsbooks (name) WHERE region <> 'us';
SQL
run up --check-rollbacks
expect_rc 3 "$ERR"
expect_err "version 540: index sportsbooks_active: "
expect_err " != "

# A rollback that forgets nothing passes, and so does everything else.
echo 'DROP INDEX sportsbooks_active;' >rollback/540_book_index.sql
sqlq "DROP INDEX sportsbooks_active"
run up --check-rollbacks
expect_rc 0 "$ERR"
expect_out "checked 540 book_index"

# A version without a rollback file cannot be checked: like a rollback
# asked for without its file, exit 2, before anything runs.
echo 'CREATE TABLE lonely (id integer);' >sql/541_lonely.sql
run up --check-rollbacks
expect_rc 2
expect_err "541"
expect_err "no rollback file"
expect_eq "nothing of 541 ran" "$(sqlq "SELECT count(*) FROM strata_history WHERE version = 541")" 0
rm sql/541_lonely.sql

# A rollback that re-adds a dropped column at the end: a difference of
# position only, which ignore-column-order accepts.
write_pair 549 notes "CREATE TABLE notes (id int, body text, extra text);" "DROP TABLE notes;"
write_pair 550 drop_body "-- strata:lint-ignore ban-drop-column: the test's own table
ALTER TABLE notes DROP COLUMN body;" \
	"ALTER TABLE notes ADD COLUMN body text;"
run up --check-rollbacks
expect_rc 3 "$ERR"
expect_err "column notes.body position"
run up --check-rollbacks=ignore-column-order
expect_rc 0 "$ERR"
expect_out "checked 550 drop_body"
run up --check-rollbacks=columns
expect_rc 2 "an unknown mode"
expect_err "'ignore-column-order'"

# A view restored differently: the lines that differ.
write_pair 555 view "CREATE VIEW note_ids AS SELECT id, extra FROM notes WHERE id > 0;" "DROP VIEW note_ids;"
write_pair 560 view_again "DROP VIEW note_ids;
CREATE VIEW note_ids AS SELECT id, extra FROM notes WHERE id > 5;" "DROP VIEW note_ids;
CREATE VIEW note_ids AS SELECT id, extra FROM notes WHERE id > 1;"
run up --check-rollbacks
expect_rc 3 "$ERR"
if [ "$KIND" = postgres ]; then
	expect_err "version 560: view note_ids differs (- before the version, + after its rollback):"
	expect_err "  -   WHERE notes.id > 0;"
	expect_err "  +   WHERE notes.id > 1;"
else
	expect_err "version 560: view note_ids: "
	expect_err " != "
fi
case $ERR in *"more difference"*) fail "one difference counted as more: $ERR" ;; *) ok ;; esac
# Several differences: the first, and how many more.
write_pair 560 view_again "DROP VIEW note_ids;
CREATE VIEW note_ids AS SELECT id, extra FROM notes WHERE id > 5;
CREATE TABLE scratch_a (id int);
CREATE TABLE scratch_b (id int);" "DROP VIEW note_ids;
CREATE VIEW note_ids AS SELECT id, extra FROM notes WHERE id > 0;"
run up --check-rollbacks
expect_rc 3 "$ERR"
expect_err "version 560: column scratch_a.id: should not exist"
expect_err "more differences)"

# A rollback that fails while it is checked: the error says so, and that
# the version stays applied (SQLite cannot drop a column an index uses).
rm -f sql/560_* rollback/560_*
write_pair 570 idx_col "CREATE TABLE ic (a int, b int);
CREATE INDEX ic_b ON ic (b);" "$(pick "ALTER TABLE ic DROP COLUMN b;" "SELECT * FROM ic_missing;")
DROP TABLE ic;"
run up --check-rollbacks
expect_rc 1 "$ERR"
expect_err "checking the rollback of version 570 (idx_col), which stays applied"
expect_eq "570 applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 570")" applied
