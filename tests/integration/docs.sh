#!/usr/bin/env bash
# The documentation holds together: README.md stays a front door (about
# 250 lines), and every link between README.md, HACKING.md, docs/ and
# tools/README.md reaches a file that exists and, with an anchor, a
# heading in it.
. "$(dirname "$0")/lib.sh" sqlite
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}

n=$(wc -l <"$SRC/README.md")
[ "$n" -le 300 ] || fail "README.md has $n lines: the manual belongs in docs/"
ok
# anchor TEXT: a heading's anchor as GitHub makes it.
anchors() {
	awk '/^```/ { f = !f } !f && /^#+ / { sub(/^#+ /, ""); print }' "$1" |
		tr 'A-Z' 'a-z' | sed 's/[^a-z0-9_ -]//g; s/ /-/g'
}
for doc in "$SRC/README.md" "$SRC/HACKING.md" "$SRC"/docs/*.md "$SRC/tools/README.md"; do
	dir=$(dirname "$doc")
	grep -o '](\([^)]*\))' "$doc" | sed 's/^](//; s/)$//' | while IFS= read -r link; do
		case $link in http*://* | mailto:*) continue ;; esac
		file=${link%%#*}
		anchor=
		case $link in *'#'*) anchor=${link#*#} ;; esac
		target=$doc
		[ -n "$file" ] && target=$dir/$file
		[ -e "$target" ] || { echo "$doc: link to missing $file" >"$T/bad"; break; }
		if [ -n "$anchor" ] && [ -f "$target" ]; then
			anchors "$target" | grep -qx -- "$anchor" ||
				{ echo "$doc: no heading '#$anchor' in $target" >"$T/bad"; break; }
		fi
	done
	[ -s "$T/bad" ] && fail "$(cat "$T/bad")"
	ok
done
