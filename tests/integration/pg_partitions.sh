#!/usr/bin/env bash
# CREATE INDEX CONCURRENTLY on a partitioned table: built partition by
# partition and attached, ending as PostgreSQL's own CREATE INDEX on the
# parent would (pg_dump of the two identical); an equivalent index found
# is attached, not rebuilt; a failure part-way resumes without rebuilding
# what is done; DROP INDEX CONCURRENTLY of it runs as a plain drop.
. "$(dirname "$0")/lib.sh" "$@"

# make_events DB: 12 monthly partitions, March sub-partitioned by kind,
# a default partition, and rows in all of them.
make_events() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL, payload text)
    PARTITION BY RANGE (at);
DO $$
BEGIN
	FOR m IN 1..12 LOOP
		IF m = 3 THEN
			EXECUTE format('CREATE TABLE events_2026_%s PARTITION OF events FOR VALUES FROM (%L) TO (%L) PARTITION BY LIST (kind)',
			    lpad(m::text, 2, '0'), make_date(2026, m, 1), make_date(2026, m, 1) + interval '1 month');
			CREATE TABLE events_2026_03_a PARTITION OF events_2026_03 FOR VALUES IN ('a');
			CREATE TABLE events_2026_03_rest PARTITION OF events_2026_03 DEFAULT;
		ELSE
			EXECUTE format('CREATE TABLE events_2026_%s PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
			    lpad(m::text, 2, '0'), make_date(2026, m, 1), make_date(2026, m, 1) + interval '1 month');
		END IF;
	END LOOP;
END $$;
CREATE TABLE events_other PARTITION OF events DEFAULT;
INSERT INTO events SELECT g, date '2026-01-01' + (g % 400), CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END, 'p' || g
    FROM generate_series(1, 300000) g;
SQL
}
make_events "$DB" || fail "cannot make the table"

# The same table in a second database, indexed by PostgreSQL itself.
REF=${PGDBNAME}_ref
createdb -h "$PGSOCK" -U postgres "$REF" || fail "cannot create $REF"
REFDB="postgresql:///$REF?host=$PGSOCK&user=postgres"
# The test's own exit status goes on to cleanup, which reports it.
trap 'rc=$?; dropdb -h "$PGSOCK" -U postgres --force --if-exists "$REF" 2>/dev/null; (exit $rc); cleanup' EXIT
make_events "$REFDB" || fail "cannot make the reference table"

idx1="CREATE INDEX CONCURRENTLY events_kind_at ON events USING btree (kind, at DESC) INCLUDE (payload) WHERE id > 10;"
idx2="CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Events ID\" ON public.events (id, at, kind);"
idx3="CREATE INDEX CONCURRENTLY ON events (lower(payload));"
write_pair 1 idx "$idx1
$idx2
$idx3" "DROP INDEX CONCURRENTLY events_kind_at;
DROP INDEX CONCURRENTLY public.\"Events ID\";
DROP INDEX CONCURRENTLY events_lower_idx;"

# The dry run shows the partitions each build will go through.
run up --dry-run
expect_rc 0
expect_out "line 1, partition by partition (14): events_2026_01, events_2026_02, events_2026_04"
run --json up --dry-run
expect_eq "partitions in the JSON plan" "$(jqv '.plan[0].segments[0].partitions | length')" 14
# A partition made after the dry run is built by up all the same.
sqlq "CREATE TABLE events_2028_01 PARTITION OF events FOR VALUES FROM ('2028-01-01') TO ('2028-02-01')"
psql -X -q -d "$REFDB" -c "CREATE TABLE events_2028_01 PARTITION OF events FOR VALUES FROM ('2028-01-01') TO ('2028-02-01')" ||
	fail "reference: new partition"
run up
expect_rc 0 "$ERR"
for q in "${idx1/ CONCURRENTLY/}" "${idx2/ CONCURRENTLY/}" "${idx3/ CONCURRENTLY/}"; do
	psql -X -q -v ON_ERROR_STOP=1 -d "$REFDB" -c "$q" || fail "reference: $q"
done
dump() { pg_dump -h "$PGSOCK" -U postgres --schema-only -T 'strata_*' "$1" | grep -Ev '^(--|\\(un)?restrict )' | sed '/^$/d'; }
dump "$PGDBNAME" >"$T/ours.sql"
dump "$REF" >"$T/ref.sql"
diff -u "$T/ref.sql" "$T/ours.sql" >"$T/diff" || fail "the schema differs from PostgreSQL's own CREATE INDEX:
$(head -40 "$T/diff")"
ok
expect_eq "all valid" "$(sqlq "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname LIKE 'events%' AND NOT i.indisvalid")" 0

# The schema snapshot shows the bounds and which index is attached where,
# down through the sub-partitioned month.
run schema
expect_out "table events_2026_01 inherits: events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')"
expect_out "index events_2026_03_a_kind_at_payload_idx attached to: events_2026_03_kind_at_payload_idx"
expect_out "index events_2026_03_kind_at_payload_idx attached to: events_kind_at"

# The log: one row per partition built, one for the statement.
run --json log --version 1 --limit 0
expect_eq "the statement's rows" "$(jqv '[.entries[] | select(.kind == "create_index_partitioned")] | length')" 3
expect_eq "its facts" "$(jqv '[.entries[] | select(.kind == "create_index_partitioned")][0].facts | [.partitions, (.index_bytes > 0)] | tostring')" '[15,true]'
expect_eq "a row per partition and statement" "$(jqv '[.entries[] | select(.kind == "create_index_concurrently")] | length')" 45
expect_eq "a partition's facts" "$(jqv '[.entries[] | select(.kind == "create_index_concurrently")][0].facts | has("partition") and has("index_bytes")')" true

# Rollback: DROP INDEX CONCURRENTLY of a partitioned index is a plain drop.
run rollback
expect_rc 0 "$ERR"
expect_eq "indexes gone" "$(sqlq "SELECT count(*) FROM pg_class WHERE relkind IN ('i', 'I') AND relname LIKE 'events%'")" 0
run --json log --version 1 --limit 3
expect_eq "said not concurrently" "$(jqv '[.entries[] | select(.direction == "down") | .facts.concurrently] | unique | tostring')" '[false]'

# --check-rollbacks: built, dropped, the schema as before, built again.
run up --check-rollbacks
expect_rc 0 "$ERR"
expect_eq "built again" "$(sqlq "SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind_at'::regclass")" t
run rollback
expect_rc 0

# --jobs 3: partitions built three at a time; the same end.
run up --jobs 3
expect_rc 0 "$ERR"
dump "$PGDBNAME" >"$T/ours.sql"
diff -u "$T/ref.sql" "$T/ours.sql" >"$T/diff" || fail "with --jobs 3 the schema differs:
$(head -40 "$T/diff")"
ok
run --json log --version 1 --limit 0
expect_eq "a row for each partition built" "$(jqv '[.entries[] | select(.direction == "up" and .kind == "create_index_concurrently" and (.facts.partition != null))] | length >= 45')" true
run rollback
expect_rc 0

# An equivalent index a partition has already is attached, not rebuilt.
sqlq "CREATE INDEX events_2026_05_mine ON events_2026_05 (kind, at DESC) INCLUDE (payload) WHERE id > 10"
mine=$(sqlq "SELECT 'events_2026_05_mine'::regclass::oid")
write_pair 1 idx "$idx1" "DROP INDEX CONCURRENTLY events_kind_at;"
run up
expect_rc 0 "$ERR"
expect_eq "attached, same index" "$(sqlq "SELECT inhrelid FROM pg_inherits WHERE inhparent = 'events_kind_at'::regclass AND inhrelid = $mine")" "$mine"
run rollback
expect_rc 0

# A unique index that fails on one partition: failed, then resumed
# without rebuilding the partitions that were done.
sqlq "INSERT INTO events VALUES (999999, '2026-07-15', 'b', 'one'), (999999, '2026-07-15', 'b', 'dup')"
write_pair 1 idx "CREATE UNIQUE INDEX CONCURRENTLY events_id_at ON events (id, at, kind);" "DROP INDEX CONCURRENTLY events_id_at;"
run up
expect_rc 1 "a duplicate in one partition"
expect_err "23505"
expect_eq "failed" "$(sqlq "SELECT state FROM strata_history WHERE version = 1")" failed
before=$(sqlq "SELECT string_agg(i.indexrelid::text, ',' ORDER BY i.indexrelid) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid WHERE h.inhparent = 'events_id_at'::regclass")
[ -n "$before" ] || fail "no partition was done before the failure"
ok
sqlq "DELETE FROM events_2026_07 WHERE payload = 'dup'" >/dev/null
run up
expect_rc 0 "$ERR"
expect_eq "valid at last" "$(sqlq "SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_id_at'::regclass")" t
after=$(sqlq "SELECT string_agg(i.indexrelid::text, ',' ORDER BY i.indexrelid) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid WHERE h.inhparent = 'events_id_at'::regclass")
for oid in ${before//,/ }; do
	case ",$after," in *",$oid,"*) ;; *) fail "finished partition index $oid was rebuilt: before $before, after $after" ;; esac
done
ok
expect_eq "no INVALID leftovers" "$(sqlq "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname LIKE 'events%' AND NOT i.indisvalid")" 0

# With --jobs, beside a build on a plain table.
run rollback
expect_rc 0
sqlq "CREATE TABLE plain (id int); INSERT INTO plain SELECT generate_series(1, 1000)"
write_pair 1 idx "CREATE INDEX CONCURRENTLY plain_id ON plain (id);
CREATE INDEX CONCURRENTLY events_at ON events (at);" "DROP INDEX CONCURRENTLY events_at;
DROP INDEX CONCURRENTLY plain_id;"
run up --jobs 2
expect_rc 0 "$ERR"
expect_eq "both valid" "$(sqlq "SELECT count(*) FROM pg_index WHERE indexrelid IN ('plain_id'::regclass, 'events_at'::regclass) AND indisvalid")" 2
run --json log --version 1 --limit 20
expect_eq "the partitioned one's row" "$(jqv '[.entries[] | select(.kind == "create_index_partitioned")][0].facts.partitions')" 15
expect_eq "the plain one's size" "$(jqv '[.entries[] | select(.kind == "create_index_concurrently" and (.facts | has("partition") | not))][0].facts.index_size_bytes > 0')" true

# kill -9 at seeded random moments during the partition-by-partition
# build, twenty times; then up finishes it, and the result is PostgreSQL's
# own index again.
run rollback
expect_rc 0
sqlq "DROP TABLE plain"
psql -X -q -d "$REFDB" -c "DROP INDEX events_kind_at, \"Events ID\", events_lower_idx" || fail "reference: drop"
write_pair 1 idx "$idx1" "DROP INDEX CONCURRENTLY events_kind_at;"
psql -X -q -d "$REFDB" -c "${idx1/ CONCURRENTLY/}" || fail "reference: $idx1"
RANDOM=26
kills=0 tries=0
# Twenty runs killed mid-way (a run that ends first does not count).
while [ "$kills" -lt 20 ] && [ "$tries" -lt 80 ]; do
	tries=$((tries + 1))
	# A run that got to the end is undone, so that the next has work.
	if [ "$(sqlq "SELECT count(*) FROM strata_history WHERE state = 'applied'")" = 1 ]; then
		"$STRATA" rollback >"$T/kill.out" 2>&1 || fail "rollback between kills: $(cat "$T/kill.out")"
	fi
	"$STRATA" up --jobs $((RANDOM % 3 + 1)) >"$T/kill.out" 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 300)))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	# The server ends the killed session's work; wait for it to go.
	for _ in $(seq 50); do
		[ "$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'strata' AND datname = current_database() AND pid <> pg_backend_pid()")" = 0 ] && break
		sleep 0.1
	done
done
[ "$kills" -ge 20 ] || fail "only $kills of $tries runs were killed mid-way: the test proves little"
ok
run up
expect_rc 0 "$ERR"
dump "$PGDBNAME" >"$T/ours.sql"
dump "$REF" >"$T/ref.sql"
diff -u "$T/ref.sql" "$T/ours.sql" >"$T/diff" || fail "after $kills kills the schema differs from PostgreSQL's own:
$(head -40 "$T/diff")"
ok
expect_eq "no INVALID leftovers after the kills" "$(sqlq "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname LIKE 'events%' AND NOT i.indisvalid")" 0

# Lint knows the partitioned table from the catalog: its key, its default
# partition; each rule with its hazard and its safe twin.
sqlq "CREATE TABLE standalone (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL, payload text);
INSERT INTO standalone SELECT g, '2029-01-05', 'a', 'x' FROM generate_series(1, 100) g"
write sql/2_hazards.sql "CREATE INDEX events_payload ON events (payload);
CREATE UNIQUE INDEX CONCURRENTLY events_id ON events (id);
ALTER TABLE events ATTACH PARTITION standalone FOR VALUES FROM ('2029-01-01') TO ('2029-02-01');"
write rollback/2_hazards.sql "SELECT 1;"
run --json lint sql/2_hazards.sql
rule_at() { jqv "[.findings[] | select(.line == $1) | .rule] | sort | join(\",\")"; }
expect_eq "plain build on the parent" "$(rule_at 1)" "require-concurrent-index-creation"
expect_eq "its help" "$(jqv '.findings[] | select(.line == 1) | .help | test("partition by partition")')" true
expect_eq "unique without the key" "$(rule_at 2)" "partitioned-unique-key"
expect_eq "attach: a scan of the table and of the default partition" "$(rule_at 3)" \
    "attach-partition-scan,default-partition-scan"
write sql/2_hazards.sql "CREATE INDEX CONCURRENTLY events_payload ON events (payload);
CREATE UNIQUE INDEX CONCURRENTLY events_id ON events (id, at, kind);"
write sql/3_check.sql "ALTER TABLE standalone ADD CONSTRAINT standalone_bound CHECK (at >= '2029-01-01' AND at < '2029-02-01') NOT VALID;"
write rollback/3_check.sql "ALTER TABLE standalone DROP CONSTRAINT standalone_bound;"
write sql/4_validate.sql "ALTER TABLE standalone VALIDATE CONSTRAINT standalone_bound;"
write rollback/4_validate.sql "SELECT 1;"
write sql/5_attach.sql "ALTER TABLE events DETACH PARTITION events_other;
ALTER TABLE events ATTACH PARTITION standalone FOR VALUES FROM ('2029-01-01') TO ('2029-02-01');"
write rollback/5_attach.sql "SELECT 1;"
run --json lint
expect_eq "the safe forms" "$(jqv '[.findings[] | select(.rule | test("partition|concurrent-index-creation"))] | map(.file + ":" + .rule) | join(",")')" \
    "sql/5_attach.sql:require-concurrent-partition-detach"

# An unnamed index that stops part-way: the next up finds the parent's
# index it made by its definition, and does not make a second.
run rollback --to 0
expect_rc 0
rm -f sql/[2-5]_* rollback/[2-5]_*
sqlq "INSERT INTO events VALUES (888888, '2026-08-15', 'b', 'one'), (888888, '2026-08-15', 'b', 'dup')"
write_pair 1 idx "CREATE UNIQUE INDEX CONCURRENTLY ON events (id, at, kind);" "DROP INDEX CONCURRENTLY events_id_at_kind_idx;"
run up
expect_rc 1 "a duplicate in one partition"
sqlq "DELETE FROM events WHERE id = 888888 AND payload = 'dup'"
run up
expect_rc 0 "$ERR"
expect_eq "one parent index of that definition, valid" \
    "$(sqlq "SELECT count(*) || ' ' || bool_and(indisvalid) FROM pg_index WHERE indrelid = 'events'::regclass AND indisunique AND NOT indisprimary")" "1 true"
expect_eq "named as PostgreSQL names it" "$(sqlq "SELECT count(*) FROM pg_class WHERE relname = 'events_id_at_kind_idx'")" 1
