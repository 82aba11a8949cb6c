#!/usr/bin/env bash
# Expand and contract under load on PostgreSQL: while a type change is
# expanded, an old application writing the old column and a new one
# writing the new column run at once with zero errors and every row's two
# columns agreeing (a sync trigger keeps them equal, a batched backfill
# fills the old rows); after `complete` the old column is gone and the new
# application goes on with zero errors. Then kill -9 during `complete`,
# and two racing `complete` runs.
. "$(dirname "$0")/lib.sh" postgres

command -v pgbench >/dev/null || fail "pgbench is needed (package postgresql-15)"
ROWS=20000

write_pair 1 accounts "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, balance integer);
INSERT INTO accounts (balance) SELECT g % 1000 FROM generate_series(1, $ROWS) g;" "DROP TABLE accounts;"
run up
expect_rc 0 "$ERR"

# integer -> bigint, phased: the new column, a trigger that copies
# whichever side a writer set, the old rows in batches; then the old
# column goes.
write_pair 2 balance_bigint "ALTER TABLE accounts ADD COLUMN balance_big bigint;
CREATE FUNCTION accounts_balance_sync() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.balance_big IS NULL THEN
			NEW.balance_big := NEW.balance;
		ELSIF NEW.balance IS NULL THEN
			NEW.balance := NEW.balance_big;
		END IF;
	ELSIF NEW.balance IS DISTINCT FROM OLD.balance
	    AND NEW.balance_big IS NOT DISTINCT FROM OLD.balance_big THEN
		NEW.balance_big := NEW.balance;
	ELSIF NEW.balance_big IS DISTINCT FROM OLD.balance_big THEN
		NEW.balance := NEW.balance_big;
	END IF;
	RETURN NEW;
END
\$\$;
CREATE TRIGGER accounts_balance_sync BEFORE INSERT OR UPDATE ON accounts
	FOR EACH ROW EXECUTE FUNCTION accounts_balance_sync();
-- strata:batch 2000
UPDATE accounts SET balance_big = balance WHERE balance_big IS NULL;
-- strata:contract
DROP TRIGGER accounts_balance_sync ON accounts;
DROP FUNCTION accounts_balance_sync();
ALTER TABLE accounts DROP COLUMN balance;" "DROP TRIGGER IF EXISTS accounts_balance_sync ON accounts;
DROP FUNCTION IF EXISTS accounts_balance_sync();
ALTER TABLE accounts DROP COLUMN balance_big;
-- strata:contract
ALTER TABLE accounts ADD COLUMN balance integer;
UPDATE accounts SET balance = balance_big;"

# The old application: writes `balance` only.
cat >"$T/old.sql" <<'SQL'
\set id random(1, 20000)
UPDATE accounts SET balance = balance + 1 WHERE id = :id;
INSERT INTO accounts (balance) VALUES (7);
SQL
# ... and, while expanded, checks that the row it wrote agrees (a
# disagreement divides by zero: an error).
cat >"$T/old_check.sql" <<'SQL'
\set id random(1, 20000)
UPDATE accounts SET balance = balance + 1 WHERE id = :id;
SELECT 1 / (balance_big = balance)::int FROM accounts WHERE id = :id;
INSERT INTO accounts (balance) VALUES (7) RETURNING 1 / (balance_big = balance)::int;
SQL
# The new application: writes `balance_big` only.
cat >"$T/new.sql" <<'SQL'
\set id random(1, 20000)
UPDATE accounts SET balance_big = balance_big + 2 WHERE id = :id;
INSERT INTO accounts (balance_big) VALUES (9);
SQL

# bench NAME SCRIPT SECONDS: pgbench in the background, its pid in $NAME.
bench() {
	pgbench -n -c 2 -T "$3" -f "$2" -d "$DB" >"$T/$1.log" 2>&1 &
	eval "$1=\$!"
}
# bench_ok NAME: it ran transactions, none failed, none aborted.
bench_ok() {
	local log=$T/$1.log n
	wait "${!1}" || fail "$1 failed: $(tail -5 "$log")"
	grep -q "Run was aborted" "$log" && fail "$1 aborted: $(cat "$log")"
	grep -q "^number of failed transactions: 0 " "$log" || fail "$1: $(cat "$log")"
	n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
	[ "${n:-0}" -gt 0 ] || fail "$1 ran no transaction: $(cat "$log")"
	ok
}

# up: the expand part while the old application writes.
bench old_during_up "$T/old.sql" 4
sleep 0.5
run up --lint error
expect_rc 0 "$ERR"
expect_out "expanded 2 balance_bigint"
bench_ok old_during_up
expect_eq "every row filled" "$(sqlq "SELECT count(*) FROM accounts WHERE balance_big IS DISTINCT FROM balance")" 0

# Expanded: old and new applications at once, each write checked.
bench old_app "$T/old_check.sql" 3
bench new_app "$T/new.sql" 3
bench_ok old_app
bench_ok new_app
expect_eq "columns agree" "$(sqlq "SELECT count(*) FROM accounts WHERE balance_big IS DISTINCT FROM balance")" 0

# complete while the new application writes; it goes on after.
bench new_during "$T/new.sql" 4
sleep 0.5
run complete --lint error
expect_rc 0 "$ERR"
bench_ok new_during
expect_eq "old column gone" "$(sqlq "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'balance'")" 0
bench new_after "$T/new.sql" 1
bench_ok new_after

# Rollback, both steps, gives the old column back, filled.
run rollback
expect_rc 0 "$ERR"
expect_eq "balance back" "$(sqlq "SELECT count(*) FROM accounts WHERE balance IS NULL")" 0
expect_eq "balance_big gone" "$(sqlq "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'balance_big'")" 0

# kill -9 during complete, then complete again: each part of the
# contract once.
write_pair 3 audit "CREATE TABLE audit (n int);
-- strata:contract
INSERT INTO audit VALUES (1);
-- strata:commit
SELECT pg_sleep(3);
INSERT INTO audit VALUES (2);" "DROP TABLE audit;"
write_pair 4 raced "CREATE TABLE raced (n int);
-- strata:contract
SELECT pg_sleep(1);
INSERT INTO raced VALUES (1);" "DROP TABLE raced;"
run up --to 4 --lint off
expect_rc 0 "$ERR"
expect_eq "three in flight" "$(sqlq "SELECT count(*) FROM strata_history WHERE state = 'expanded'")" 3
"$STRATA" complete --to 3 >"$T/k.out" 2>"$T/k.err" &
victim=$!
for _ in $(seq 50); do
	[ "$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND application_name = 'strata'")" = 1 ] && break
	sleep 0.1
done
kill -9 "$victim"
wait "$victim" 2>/dev/null
expect_eq "killed after the commit point" "$(sqlq "SELECT state || ':' || statements_completed FROM strata_history WHERE version = 3")" "failed:2"
run complete --to 3
expect_rc 0 "$ERR"
expect_eq "each contract statement once" "$(sqlq "SELECT string_agg(n::text, ',' ORDER BY n) FROM audit")" "1,2"
expect_eq "3 applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 3")" applied

# Two racing complete runs: one completes 4, the other waits, then finds
# nothing to do.
"$STRATA" complete >"$T/r1.out" 2>"$T/r1.err" &
r1=$!
"$STRATA" complete >"$T/r2.out" 2>"$T/r2.err" &
r2=$!
wait $r1 || fail "first racer: $(cat "$T/r1.err")"
wait $r2 || fail "second racer: $(cat "$T/r2.err")"
ok
expect_eq "contract once" "$(sqlq "SELECT count(*) FROM raced")" 1
expect_eq "completed once" "$(cat "$T/r1.out" "$T/r2.out" | grep -c "completed 4 raced")" 1
