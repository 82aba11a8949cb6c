# fault_series.sh - the series the fault tests break (sourced after
# lib.sh): a transactional version, one run outside transactions with a
# CONCURRENTLY index on PostgreSQL, and one whose statement fails while
# the table gate says 0. Every version leaves one row in effects, which
# its rollback deletes, so a version applied twice shows.

write_fault_series() {
	local slow
	# Work that takes a moment, so that faults land inside statements.
	slow=$(pick "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) FROM n;" \
		"SELECT pg_sleep(0.05);")
	sqlq "CREATE TABLE effects (v int, at text)"
	sqlq "CREATE TABLE gate (ok int)"
	sqlq "INSERT INTO gate VALUES (1)"
	write_pair 1 tx "CREATE TABLE t1 (id int PRIMARY KEY, note text);
$slow
INSERT INTO effects VALUES (1, 'up');
$slow" "DROP TABLE t1;
DELETE FROM effects WHERE v = 1;"
	write_pair 2 alone "-- strata:no-transaction
CREATE TABLE t2 (id int, k int);
INSERT INTO t2 SELECT i, i % 7 FROM $(pick "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT i FROM n)" "generate_series(1, 20000) g(i)");
$slow
$(pick "CREATE INDEX t2_k ON t2 (k);" "CREATE INDEX CONCURRENTLY t2_k ON t2 (k);")
INSERT INTO effects VALUES (2, 'up');
$slow" "-- strata:no-transaction
$(pick "DROP INDEX IF EXISTS t2_k;" "DROP INDEX CONCURRENTLY IF EXISTS t2_k;")
DROP TABLE IF EXISTS t2;
DELETE FROM effects WHERE v = 2;"
	write_pair 3 gated "CREATE TABLE t3 (id int);
$slow
$(pick "SELECT CASE WHEN (SELECT ok FROM gate) = 1 THEN 1 ELSE abs(-9223372036854775807 - 1) END;" "SELECT 1 / (SELECT ok FROM gate);")
INSERT INTO effects VALUES (3, 'up');" "DROP TABLE t3;
DELETE FROM effects WHERE v = 3;"
}

# check_fault_invariants WHAT: after the faults, one up finishes with
# every version applied once and the schema to match.
check_fault_invariants() {
	local v
	sqlq "UPDATE gate SET ok = 1"
	# A rollback stopped part-way is finished first, as up asks: strata
	# cannot know how to redo what a rollback undid.
	run --json status
	for v in $(jqv '.migrations[] | select(.state == "failed" and .failed_direction == "down") | .version'); do
		run --lock-wait 30s rollback --to $((v - 1))
		expect_rc 0 "finishing the rollback of $v ($1)"
	done
	run --lock-wait 30s up
	expect_rc 0 "the next up finishes ($1)"
	expect_eq "each version applied once ($1)" \
		"$(sqlq "SELECT v || ':' || count(*) FROM effects GROUP BY v ORDER BY v" | tr '\n' ' ')" "1:1 2:1 3:1 "
	expect_eq "history" "$(sqlq "SELECT version || state FROM strata_history ORDER BY version" | tr '\n' ' ')" \
		"1applied 2applied 3applied "
	expect_eq "the schema" "$(sqlq "$(pick "SELECT name FROM sqlite_master WHERE name IN ('t1', 't2', 't3', 't2_k') ORDER BY name" \
		"SELECT relname FROM pg_class WHERE relname IN ('t1', 't2', 't3', 't2_k') ORDER BY relname")" | tr '\n' ' ')" "t1 t2 t2_k t3 "
	if [ "$KIND" = postgres ]; then
		expect_eq "the index is valid" "$(sqlq "SELECT indisvalid FROM pg_index WHERE indexrelid = 't2_k'::regclass")" t
		expect_eq "no lock left" "$(sqlq "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database() AND l.pid <> pg_backend_pid()")" 0
	else
		flock -n "$DBFILE.strata-lock" true || fail "the migration lock is still held"
		ok
	fi
}
