#!/usr/bin/env bash
# strata schema: the snapshot --check-rollbacks compares, as stable sorted
# text; up/rollback --schema-file rewrite it after a successful run only.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 items "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x');
CREATE INDEX items_name ON items (name);
CREATE VIEW item_names AS SELECT id, name FROM items;" "DROP VIEW item_names;
DROP TABLE items;"
write_pair 2 more "ALTER TABLE items ADD COLUMN price numeric(5,2);" "$(pick "ALTER TABLE items DROP COLUMN price;" "ALTER TABLE items DROP COLUMN price;")"

run up --to 1 --schema-file "$T/schema.txt"
expect_rc 0
[ -f "$T/schema.txt" ] || fail "no schema file"
ok
run schema
expect_rc 0
expect_eq "the file is what strata schema prints" "$(cat "$T/schema.txt")" "$OUT"
expect_out "column items.name: $(pick TEXT text)"
expect_out "column items.name not null: true"
expect_out "index items_name: "
expect_out "view item_names"
grep -q "strata_history\|strata_log" "$T/schema.txt" && fail "strata's own tables in the schema"
ok
# Sorted, one object a line (a block's lines are indented).
grep -v '^ ' "$T/schema.txt" | tail -n +2 | sed 's/: .*//; s/:$//' | LC_ALL=C sort -c || fail "not sorted by key"
ok
cp "$T/schema.txt" "$T/before.txt"

# A failing run leaves the file alone.
write_pair 3 bad "CREATE TABLE nope (id int);
INSERT INTO nowhere VALUES (1);" "DROP TABLE nope;"
run up --schema-file "$T/schema.txt"
expect_rc 1
cmp -s "$T/schema.txt" "$T/before.txt" || fail "a failed run rewrote the schema file"
ok
rm sql/3_bad.sql rollback/3_bad.sql
sqlq "DELETE FROM strata_history WHERE version = 3" >/dev/null 2>&1 || true
run up --schema-file "$T/schema.txt"
expect_rc 0
diff "$T/before.txt" "$T/schema.txt" >"$T/diff.txt"
grep -q "^> column items.price: " "$T/diff.txt" || fail "the diff shows no new column: $(cat "$T/diff.txt")"
ok
run rollback --schema-file "$T/schema.txt"
expect_rc 0
expect_eq "back to the first schema" "$(diff "$T/before.txt" "$T/schema.txt" && echo same)" same

run --json schema
expect_rc 0
expect_json
expect_eq "objects" "$(jqv '[.objects[] | select(.key == "index items_name")] | length')" 1
run --db "sqlite:$T/a.db" --db "sqlite:$T/b.db" up --schema-file "$T/x.txt"
expect_rc 2 "one schema file for several targets"
[ ! -e "$T/a.db" ] || fail "the refused run touched a target"
ok
