# series.sh - the repository's own migration series (sql/, rollback/) on a
# database filled by tools/gen-dataset: every rollback checked, the data
# kept through them, and the precision fix refusing to roll back over
# scores that no longer fit.
. "$(dirname "$0")/lib.sh" "$@"
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
cp -r "$SRC/sql" "$SRC/rollback" .

# Tables the data lives in, and a fingerprint of their rows.
TABLES="games sportsbooks raw_odds_snapshots odds_history staging_moneylines
staging_spreads staging_totals betting_splits model_predictions
arbitrage_opportunities"
counts() {
	local t out=""
	for t in $TABLES; do out+="$t=$(sqlq "SELECT count(*) FROM $t") "; done
	echo "$out"
}
score_type() {
	sqlq "$(pick \
	    "SELECT type FROM pragma_table_info('staging_totals') WHERE name = 'data_quality_score'" \
	    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'staging_totals'::regclass AND attname = 'data_quality_score'")"
}

# The core tables, checked on the empty database.
run --json up --check-rollbacks --to 3
expect_rc 0 "$ERR"
expect_eq "checked 1-3" "$(jqv '.rollbacks_checked | join(",")')" "1,2,3"

"$SRC/tools/gen-dataset" --db "$DB" --scale small 2>"$T/gen" || fail "gen-dataset: $(cat "$T/gen")"
grep -q 'rows/s' "$T/gen" || fail "gen-dataset reports no rate: $(cat "$T/gen")"
ok
before=$(counts)
[ "$(sqlq "SELECT count(*) FROM raw_odds_snapshots")" -ge 10000 ] || fail "too little data: $before"
ok

# Everything else, each version applied, rolled back, compared, re-applied
# (240, phased, step by step).
run --json up --check-rollbacks
expect_rc 0 "$ERR"
expected=$(pick "200,202,203,220,221,230" "200,201,202,203,210,211,220,221,230,240")
expect_eq "versions checked" "$(jqv '.rollbacks_checked | join(",")')" "$expected"
expect_eq "applied once each" "$(jqv '[.applied[].version] | join(",")')" "$expected"
expect_eq "current" "$(jqv .current)" "$(pick 230 240)"
expect_eq "then the repeatable" "$(jqv '[.repeatables[].repeatable] | join(",")')" open_arbitrage
expect_eq "its view" "$(sqlq "SELECT count(*) >= 0 FROM open_arbitrage" | sed 's/^t$/1/')" 1
expect_eq "rows kept through every rollback" "$(counts)" "$before"
expect_eq "score type" "$(score_type)" "$(pick 'NUMERIC(5,2)' 'numeric(5,2)')"
# 221 re-scored every staging row from its snapshot, in batches, once.
for t in staging_moneylines staging_spreads staging_totals; do
	expect_eq "$t re-scored" "$(sqlq "SELECT count(*) FROM $t WHERE data_quality_score_prev IS NULL OR data_quality_score NOT BETWEEN 0.40 AND 0.90")" 0
done
run --json log --version 221
# (newest first: the last apply's three, after its checked rollback's)
expect_eq "221 backfills" "$(jqv '[.entries[0:3][] | select(.direction == "up" and .kind == "batch_update")] | length')" 3
expect_eq "221 rows" "$(jqv '[.entries[0:3][] | .rows] | add')" \
	"$(sqlq "SELECT (SELECT count(*) FROM staging_moneylines) + (SELECT count(*) FROM staging_spreads) + (SELECT count(*) FROM staging_totals)")"

if [ "$KIND" = postgres ]; then
	# Partitioned, every month's rows in its partition, all indexes valid.
	expect_eq "partitions" "$(sqlq "SELECT count(*) FROM pg_inherits WHERE inhparent = 'odds_history'::regclass")" 13
	expect_eq "rows in the default partition" "$(sqlq "SELECT count(*) FROM odds_history_default")" 0
	expect_eq "invalid indexes" "$(sqlq "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" 0
	# The precision fix did not rewrite the tables; strata's log says so.
	run --json log --version 220
	expect_eq "220 rewrote nothing" "$(jqv '[.entries[] | select(.direction == "up" and .kind == "alter_column_type") | .facts.table_rewritten] | unique | join(",")')" "false"
fi

# Scores above 9.99 arrive (the feed the fix was for) ...
"$SRC/tools/gen-dataset" --db "$DB" --scale small 2>"$T/gen" || fail "gen-dataset: $(cat "$T/gen")"
over=$(sqlq "SELECT count(*) FROM staging_totals WHERE data_quality_score >= 10")
[ "$over" -gt 0 ] || fail "gen-dataset wrote no score above 9.99 after the fix"
ok
if [ "$KIND" = postgres ]; then
	# 240 is expanded: the loader above still wrote money_pct, and the
	# trigger kept handle_pct equal on every row.
	expect_eq "240 expanded" "$(sqlq "SELECT state FROM strata_history WHERE version = 240")" expanded
	expect_eq "handle_pct kept equal" "$(sqlq "SELECT count(*) FROM betting_splits WHERE handle_pct IS DISTINCT FROM money_pct")" 0
	run complete
	expect_rc 0 "$ERR"
	expect_eq "money_pct gone" "$(sqlq "SELECT count(*) FROM information_schema.columns WHERE table_name = 'betting_splits' AND column_name = 'money_pct'")" 0
	# The loader of after the rename writes handle_pct.
	"$SRC/tools/gen-dataset" --db "$DB" --scale small 2>"$T/gen" || fail "gen-dataset after 240: $(cat "$T/gen")"
	expect_eq "handle_pct filled" "$(sqlq "SELECT count(*) FROM betting_splits WHERE handle_pct IS NULL")" 0
	over=$(sqlq "SELECT count(*) FROM staging_totals WHERE data_quality_score >= 10")
fi
filled=$(counts)

# ... and rolling the fix back must fail cleanly, keeping all of them.
run rollback --to 200
expect_rc 1 "$ERR"
expect_err "10 or more"
expect_err "220_staging_score_precision"
run --json status
expect_eq "220 still applied" "$(jqv '.migrations[] | select(.version == 220) | .state')" applied
expect_eq "230 was rolled back" "$(jqv '.migrations[] | select(.version == 230) | .state')" pending
if [ "$KIND" = postgres ]; then
	expect_eq "240 was rolled back" "$(jqv '.migrations[] | select(.version == 240) | .state')" pending
	expect_eq "money_pct back" "$(sqlq "SELECT count(*) FROM betting_splits WHERE money_pct IS NULL")" 0
fi
expect_eq "221 was rolled back" "$(jqv '.migrations[] | select(.version == 221) | .state')" pending
expect_eq "score type after the refused rollback" "$(score_type)" "$(pick 'NUMERIC(5,2)' 'numeric(5,2)')"
expect_eq "rows after the refused rollback" "$(counts)" "$filled"
expect_eq "scores above 9.99 kept" "$(sqlq "SELECT count(*) FROM staging_totals WHERE data_quality_score >= 10")" "$over"

# Once those rows are dealt with, the same rollback goes through.
for t in staging_moneylines staging_spreads staging_totals; do
	sqlq "UPDATE $t SET data_quality_score = 9.99 WHERE data_quality_score >= 10"
done
run rollback --to 200
expect_rc 0 "$ERR"
expect_eq "score type after the rollback" "$(score_type)" "$(pick 'NUMERIC(3,2)' 'numeric(3,2)')"
expect_eq "rows after the rollback" "$(counts)" "$filled"
