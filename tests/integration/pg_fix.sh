#!/usr/bin/env bash
# lint --fix makes the same change safely: the fix corpus (tests/fix_corpus,
# a hazard or two a version) fixed, then applied and completed on one
# database and the original files on another, both with rows in the
# tables, leave the same pg_dump --schema-only, and so do their rollbacks,
# from either state. Lint of the fixed files finds only what --fix leaves
# (each saying why), a second --fix changes nothing, --diff writes nothing,
# and files of versions that ran are refused. Then, on a big table with a
# writer, each typical hazard's original against its fix: the writer's
# longest wait.
. "$(dirname "$0")/lib.sh" postgres
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
command -v pgbench >/dev/null || fail "pgbench is needed (package postgresql-15)"

mkdir -p orig fixed
cp -r "$SRC/tests/fix_corpus/sql" "$SRC/tests/fix_corpus/rollback" orig/
cp -r "$SRC/tests/fix_corpus/sql" "$SRC/tests/fix_corpus/rollback" fixed/

# From the files alone (the database, empty, would make every table new).
unset STRATA_DB
# --diff shows the change and writes nothing.
"$STRATA" -m fixed/sql -r fixed/rollback lint --fix --diff >"$T/diff" 2>"$T/diff.err"
diff -r orig/sql fixed/sql >/dev/null || fail "--diff changed the files"
grep -q '^+CREATE INDEX CONCURRENTLY orders_customer_id ON orders (customer_id);$' "$T/diff" ||
	fail "the diff lacks the fixed index: $(head -20 "$T/diff")"
ok

run -m fixed/sql -r fixed/rollback lint --fix
expect_rc 3 "findings are left to a person"
run -m fixed/sql -r fixed/rollback --json lint --fix
expect_eq "only what --fix leaves" "$(jqv '[.findings[] | select(.severity == "error") | "\(.file):\(.rule)"] | unique | join(" ")')" \
	"fixed/rollback/033_order_items_qty_bigint.sql:changing-column-type fixed/sql/030_drop_two_indexes.sql:require-concurrent-index-deletion fixed/sql/033_order_items_qty_bigint.sql:changing-column-type fixed/sql/034_customers_sales_region.sql:renaming-column"
expect_eq "each says why" "$(jqv '[.findings[] | select(.severity == "error") | .help | test("lint --fix leaves it: ")] | all')" true
cp -r fixed "$T/once"
run -m fixed/sql -r fixed/rollback lint --fix
diff -r "$T/once" fixed >/dev/null || fail "a second --fix changed: $(diff -r "$T/once" fixed | head)"
ok
# Untouched statements and comments stay byte for byte.
for f in orig/sql/*.sql orig/rollback/*.sql; do
	while IFS= read -r line; do
		case $line in '' | *INDEX* | *CONSTRAINT* | *ALTER* | *UPDATE* | *DELETE* | *REINDEX* | *DROP* | *FOR\ VALUES* | *FOREIGN* | *REFERENCES*) continue ;; esac
		grep -qxF -- "$line" "fixed/${f#orig/}" || fail "'$line' of $f is gone from the fixed file"
	done <"$f"
done
ok
export STRATA_DB=$DB

# Two databases with rows, the original and the fixed series on each.
createdb -h "$PGSOCK" -U postgres "${PGDBNAME}_b" || fail "second database"
trap 'rc=$?; dropdb -h "$PGSOCK" -U postgres --force --if-exists "${PGDBNAME}_b" 2>/dev/null; (exit $rc); cleanup' EXIT
DBB="postgresql:///${PGDBNAME}_b?host=$PGSOCK&user=postgres"
FILL="INSERT INTO customers (email, region) SELECT 'c' || g || '@x', 'eu' FROM generate_series(1, 1000) g;
INSERT INTO orders (customer_id, total, status, note, placed_at) SELECT g % 1000 + 1, g, 's', 'n', now() FROM generate_series(1, 5000) g;
INSERT INTO payments (order_id, amount, paid_at) SELECT g, g, now() FROM generate_series(1, 5000) g;
INSERT INTO events SELECT g, 'k', now() FROM generate_series(1, 3000) g;
INSERT INTO sessions (token, user_agent, started_at) SELECT 't' || g, 'ua' || g, now() FROM generate_series(1, 3000) g;
INSERT INTO metrics_2026_01 VALUES ('2026-01-05', 'eu', 1);
INSERT INTO metrics_2026_02 VALUES ('2026-02-05', 'eu', 1);
INSERT INTO metrics_2026_03 VALUES ('2026-03-05', 'eu', 1);
INSERT INTO regional_eu VALUES ('eu', 1);"
for u in "$DB" "$DBB"; do
	run -m orig/sql -r orig/rollback --db "$u" up --to 1
	expect_rc 0 "$ERR"
	psql -X -q -v ON_ERROR_STOP=1 -d "$u" -c "$FILL" || fail "fill"
done
# A column moved to a new one goes last in its table (PostgreSQL cannot
# put it back in its place, allowed): a table's columns compare sorted.
dump() {
	pg_dump -s -d "$1" -T 'strata_*' | grep -v '^\\\(un\)\{0,1\}restrict' |
		perl -ne 'if (/^CREATE TABLE .*\($/) { print; $in = 1; @c = (); next }
			if ($in && /^\);?$/) { print sort @c; print; $in = 0; next }
			if ($in) { s/,$//; push @c, $_; next } print'
}
# DETACH ... CONCURRENTLY leaves a CHECK of the bound on the detached
# table (PostgreSQL's own doing, allowed): dropped from the fixed side.
drop_detach_checks() {
	psql -X -A -t -d "$DBB" -c "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I;', conrelid::regclass, conname)
		FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%\_check'
		AND pg_get_constraintdef(oid) ~ '^CHECK \(\(\(.* IS NOT NULL\) AND'
		AND conrelid::regclass::text ~ '^(metrics_2026_0[123]|regional_eu)$'" |
		psql -X -q -d "$DBB" >/dev/null
}
sqlq_b() { psql -X -A -t -q -d "$DBB" -c "$1"; }
same_schema() {
	drop_detach_checks
	dump "$DB" >"$T/a.sql"
	dump "$DBB" >"$T/b.sql"
	diff -u "$T/a.sql" "$T/b.sql" >"$T/schema.diff" || fail "$1: $(head -40 "$T/schema.diff")"
	ok
}
# The fixed side completed: both schemas the same; both rolled back to 1:
# the same again.
complete_and_compare() {
	run -m fixed/sql -r fixed/rollback --db "$DBB" complete --lint off
	expect_rc 0 "$ERR"
	same_schema "$1"
	run -m orig/sql -r orig/rollback --db "$DB" rollback --to 1 --lint off
	expect_rc 0 "$ERR"
	run -m fixed/sql -r fixed/rollback --db "$DBB" rollback --to 1 --lint off
	expect_rc 0 "$ERR"
	same_schema "$1, then rolled back"
}
run -m orig/sql -r orig/rollback --db "$DB" up --lint off
expect_rc 0 "$ERR"
run -m fixed/sql -r fixed/rollback --db "$DBB" up --lint off
expect_rc 0 "$ERR"
run -m fixed/sql -r fixed/rollback --db "$DBB" --json status
expect_eq "moved drops wait as expanded" "$(jqv '[.migrations[] | select(.state == "expanded") | .version] | join(",")')" "16,17,21"
complete_and_compare "applied"
# From expanded: the fixed rollbacks undo only the expand part.
run -m fixed/sql -r fixed/rollback --db "$DBB" up --lint off
expect_rc 0 "$ERR"
run -m fixed/sql -r fixed/rollback --db "$DBB" rollback --to 1 --lint off
expect_rc 0 "$ERR"
same_schema "rolled back from expanded"

# A file of a version that ran is not changed.
run -m fixed/sql -r fixed/rollback --db "$DBB" up --to 2 --lint off
cp orig/sql/002_orders_customer_index.sql fixed/sql/
run -m fixed/sql -r fixed/rollback --db "$DBB" lint --fix fixed/sql/002_orders_customer_index.sql
expect_rc 2
expect_err "version 2, which is drifted"
cmp -s orig/sql/002_orders_customer_index.sql fixed/sql/002_orders_customer_index.sql || fail "a file that ran was changed"
ok

# The writer's longest wait, original against fixed, one hazard a version
# on a table of 1,000,000 rows.
ROWS=1000000
rm -rf orig fixed
mkdir -p orig/sql orig/rollback
write orig/sql/1_big.sql "CREATE TABLE big (id bigint PRIMARY KEY, ref bigint, a int, b int, c text);
CREATE TABLE refs (id bigint PRIMARY KEY);
INSERT INTO refs SELECT g FROM generate_series(1, 1000) g;
INSERT INTO big SELECT g, g % 1000 + 1, g, g % 7, 'x' FROM generate_series(1, $ROWS) g;"
write orig/rollback/1_big.sql "DROP TABLE big; DROP TABLE refs;"
write orig/sql/2_index.sql "CREATE INDEX big_a ON big (a);"
write orig/rollback/2_index.sql "DROP INDEX big_a;"
write orig/sql/3_fk.sql "ALTER TABLE big ADD CONSTRAINT big_ref_fk FOREIGN KEY (ref) REFERENCES refs (id);"
write orig/rollback/3_fk.sql "ALTER TABLE big DROP CONSTRAINT big_ref_fk;"
write orig/sql/4_not_null.sql "ALTER TABLE big ALTER COLUMN a SET NOT NULL;"
write orig/rollback/4_not_null.sql "ALTER TABLE big ALTER COLUMN a DROP NOT NULL;"
write orig/sql/5_unique.sql "ALTER TABLE big ADD CONSTRAINT big_a_key UNIQUE (a);"
write orig/rollback/5_unique.sql "ALTER TABLE big DROP CONSTRAINT big_a_key;"
write orig/sql/6_default.sql "ALTER TABLE big ADD COLUMN token uuid DEFAULT gen_random_uuid();"
write orig/rollback/6_default.sql "ALTER TABLE big DROP COLUMN token;"
cp -r orig fixed
env -u STRATA_DB "$STRATA" -m fixed/sql -r fixed/rollback lint --fix >/dev/null 2>&1
printf '\\set id random(1, %d)\nUPDATE big SET b = b + 1 WHERE id = :id;\n' "$ROWS" >"$T/writer.sql"
# longest DB FOLDER V: the writer's longest wait (ms) while V is applied.
longest() {
	local t0 t1 w
	rm -f "$T"/wlog*
	# -T ends it on SIGALRM, which also writes out its log.
	(cd "$T" && exec pgbench -n -f writer.sql -T 600 -c 1 -l --log-prefix=wlog "$1" >"$T/pgbench.out" 2>&1) &
	w=$!
	sleep 0.5
	t0=$(date +%s%N)
	"$STRATA" -q -m "$2/sql" -r "$2/rollback" --db "$1" up --complete --to "$3" --lint off >/dev/null 2>"$T/up.err" ||
		fail "up $2 $3: $(cat "$T/up.err")"
	t1=$(date +%s%N)
	kill -ALRM $w 2>/dev/null
	wait $w 2>/dev/null
	cat "$T"/wlog.[0-9]* | awk -v a="$t0" -v b="$t1" '{
		end = ($5 * 1000000 + $6) * 1000; start = end - $3 * 1000
		if (end >= a && start <= b && $3 / 1000 > m) m = $3 / 1000 } END { printf "%d", m }'
}
for d in "$PGDBNAME" "${PGDBNAME}_b"; do
	dropdb -h "$PGSOCK" -U postgres --force "$d"
	createdb -h "$PGSOCK" -U postgres "$d"
done
for u in "$DB" "$DBB"; do
	"$STRATA" -q -m orig/sql -r orig/rollback --db "$u" up --to 1 >/dev/null || fail "big table"
	psql -X -q -d "$u" -c "VACUUM ANALYZE big" >/dev/null
done
for v in 2 3 4 5 6; do
	o=$(longest "$DB" orig $v)
	f=$(longest "$DBB" fixed $v)
	echo "version $v: writer's longest wait $o ms as written, $f ms fixed" >&2
	[ "$f" -lt 1000 ] || fail "version $v fixed: the writer waited $f ms"
	[ "$f" -lt "$o" ] || fail "version $v: fixed $f ms is not below the original's $o ms"
	ok
done
same_schema "the big table's hazards"

# A rename and a type change, fixed with the database's catalog (the
# column's index, default and NOT NULL carried over), then applied,
# completed, rolled back from either state, and --check-rollbacks' steps.
rm -rf orig fixed
mkdir -p orig/sql orig/rollback
write orig/sql/1_players.sql "CREATE TABLE players (id bigint PRIMARY KEY, score integer NOT NULL DEFAULT 0, nick text);
CREATE INDEX players_score ON players (score);
INSERT INTO players SELECT g, g % 100, 'n' || g FROM generate_series(1, 5000) g;"
write orig/rollback/1_players.sql "DROP TABLE players;"
write orig/sql/2_widen.sql "ALTER TABLE players ALTER COLUMN score TYPE bigint;"
write orig/rollback/2_widen.sql "ALTER TABLE players ALTER COLUMN score TYPE integer;"
write orig/sql/3_rename.sql "ALTER TABLE players RENAME COLUMN nick TO handle;"
write orig/rollback/3_rename.sql "ALTER TABLE players RENAME COLUMN handle TO nick;"
for d in "$PGDBNAME" "${PGDBNAME}_b"; do
	dropdb -h "$PGSOCK" -U postgres --force "$d"
	createdb -h "$PGSOCK" -U postgres "$d"
done
cp -r orig fixed
for u in "$DB" "$DBB"; do
	run -m orig/sql -r orig/rollback --db "$u" up --to 1
	expect_rc 0 "$ERR"
done
run -m fixed/sql -r fixed/rollback --db "$DBB" lint --fix
expect_rc 0 "$ERR"
grep -q "strata:contract" fixed/sql/2_widen.sql && grep -q "strata:contract" fixed/rollback/3_rename.sql ||
	fail "the type change and the rename are not phased: $(cat fixed/sql/2_widen.sql)"
ok
run -m orig/sql -r orig/rollback --db "$DB" up --lint off
expect_rc 0 "$ERR"
run -m fixed/sql -r fixed/rollback --db "$DBB" up --lint off
expect_rc 0 "$ERR"
# Expanded: old writers of score and nick, new writers of handle.
psql -X -q -v ON_ERROR_STOP=1 -d "$DBB" -c "INSERT INTO players (id, score, nick) VALUES (10001, 7, 'old')" \
	-c "INSERT INTO players (id, handle) VALUES (10002, 'new')" -c "UPDATE players SET handle = 'moved' WHERE id = 1" ||
	fail "writes while expanded"
expect_eq "both names agree" "$(sqlq_b "SELECT count(*) FROM players WHERE nick IS DISTINCT FROM handle")" 0
psql -X -q -d "$DBB" -c "DELETE FROM players WHERE id > 10000" -c "UPDATE players SET handle = 'n1' WHERE id = 1"
complete_and_compare "renamed and retyped"
run -m fixed/sql -r fixed/rollback --db "$DBB" up --check-rollbacks --lint off
expect_rc 0 "$ERR"
expect_out "checked 3 rename"
