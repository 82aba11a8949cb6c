#!/usr/bin/env bash
# strata report --html: one self-contained page of the log, loaded by a
# real browser (headless Chromium) with no console error; its screenshot
# is kept in the build tree's artefacts/.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 items "CREATE TABLE items (id int PRIMARY KEY, name text);
CREATE INDEX items_name ON items (name);
INSERT INTO items SELECT i, 'n' || i FROM $(pick "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT i FROM n)" "generate_series(1, 5000) g(i)");" "DROP TABLE items;"
write_pair 2 price "ALTER TABLE items ADD COLUMN price $(pick "REAL" "numeric(5,2)");
-- strata:batch 1000
UPDATE items SET price = 1 WHERE price IS NULL;" "ALTER TABLE items DROP COLUMN price;"
write_pair 3 broken "CREATE TABLE broken (id int);
INSERT INTO nowhere VALUES ('<script>alert(1)</script>');" "DROP TABLE broken;"
run up
expect_rc 1
sed -i 's/nowhere/broken/; s/<script>alert(1)<\/script>/1/' sql/3_broken.sql
run up
expect_rc 0
run rollback --to 1
expect_rc 0

run report --html "$T/report.html"
expect_rc 0 "$ERR"
expect_out "wrote $T/report.html"
html=$(cat "$T/report.html")
for want in '<section id="runs">' '<section id="indexes">' '<section id="rewrites">' \
	'<section id="slowest">' '<section id="versions">' 'CREATE INDEX items_name' \
	'batch_update' 'class="data'; do
	case $html in *"$want"*) ok ;; *) fail "the page lacks $want" ;; esac
done
case $html in *'failed"'* | *'failed '*) ok ;; *) fail "the failed statement is not marked" ;; esac
case $html in *'<script'*) fail "a script on the page (or the log's text unescaped)" ;; *) ok ;; esac
case $html in *'&lt;script&gt;'*) ok ;; *) fail "the failing statement's text is not on the page, escaped" ;; esac
grep -Eq '(src|href)="(https?:)?//' "$T/report.html" && fail "the page loads something from the network"
ok
# The bars carry their labels on the page, and each run its versions:
# a screenshot or a print reads without hovering.
case $html in *'>v1 create_table</span>'*) ok ;; *) fail "the bars carry no labels" ;; esac
case $html in *'<div class="vs"><span>v1: 3 statements, '*) ok ;; *) fail "no version chips under the bars" ;; esac
expect_eq "three runs (up that failed, up, down)" "$(grep -o '<h3>Run [0-9]*' "$T/report.html" | wc -l)" 3
run --json report --html "$T/r2.html"
expect_eq "rows in the document" "$(jqv '.rows > 10')" true
run report
expect_rc 2 "--html is needed"

# In a real browser: it loads, draws, and logs no error.
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
[ -x "$CHROMIUM" ] || fail "no chromium (apt-get install chromium)"
art=$(dirname "$STRATA")/artefacts
mkdir -p "$art"
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$T/chromium" --window-size=1280,1600 \
	--screenshot="$art/report-$KIND.png" --enable-logging=stderr --v=0 \
	"file://$T/report.html" >"$T/chromium.log" 2>&1 || fail "chromium: $(tail -5 "$T/chromium.log")"
[ -s "$art/report-$KIND.png" ] || fail "no screenshot"
ok
if grep -E 'CONSOLE|Uncaught|Failed to load resource' "$T/chromium.log"; then
	fail "the page logged errors in the browser"
fi
ok
