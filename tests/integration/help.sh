#!/usr/bin/env bash
# strata COMMAND --help for every command: its synopsis, a sentence on
# what it does, and a line for every option; the options its synopsis,
# its option lines and its entry in strata.1 name are the same.
. "$(dirname "$0")/lib.sh" sqlite
MAN=${STRATA_SRC:?set STRATA_SRC to the source tree}/src/man/strata.1

"$STRATA" --help >"$T/help"
commands=$(sed -n '/^commands:/,/^$/p' "$T/help" | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "no commands in --help"
# The man page's COMMANDS section, one entry a command.
sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g' >"$T/man"
opts() { grep -o -- '--[a-z][a-z-]*' | sort -u; }
# Global options an entry may mention (--json) are not the command's.
sed -n '/^global options:/,/^$/p' "$T/help" | opts >"$T/globals"
own() { opts | comm -23 - "$T/globals"; }
for c in $commands; do
	"$STRATA" "$c" --help >"$T/c" || fail "$c --help"
	head -1 "$T/c" | grep -q "^usage: strata \[global options\] $c" || fail "$c --help: no synopsis"
	summary=$(grep -F "$c" "$T/help" | awk -v c="$c" '$1 == c { $1 = ""; sub(/^ /, ""); print; exit }')
	grep -qF -- "$summary" "$T/c" || fail "$c --help lacks its sentence: $summary"
	head -1 "$T/c" | own >"$T/synopsis"
	sed -n '/^options:/,/^$/p' "$T/c" | own >"$T/lines"
	diff "$T/synopsis" "$T/lines" >"$T/d" || fail "$c: synopsis and option lines differ: $(cat "$T/d")"
	# Its entry: from its own .B line to the next command's.
	awk -v c="$c" -v all="$commands" '
		BEGIN { n = split(all, cs, " |\n"); for (i = 1; i <= n; i++) if (cs[i] != "") is[cs[i]] = 1 }
		/^\.BI? / { w = $2; if (w in is) { on = (w == c) } }
		on { print }' "$T/man" | own >"$T/entry"
	diff "$T/lines" "$T/entry" >"$T/d" || fail "$c: --help and strata.1 differ (< help, > man): $(cat "$T/d")"
	ok
done
