#!/usr/bin/env bash
# The source keeps its layers (HACKING.md): a file includes only its own
# folder and the layers below it, and the files of one folder include one
# another without a circle. (CMake's one library per layer makes a call up
# the layers fail the link; this catches an include that calls nothing.)
. "$(dirname "$0")/lib.sh" sqlite
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
cd "$SRC/src"

# The layer a folder belongs to, and which layers it may include.
layer() {
	case $1 in
	.) echo main ;;
	db/*) echo db ;;
	*) echo "$1" ;;
	esac
}
allowed() {
	case $1 in
	main) echo "main fleet cmd core lint db sql util" ;;
	fleet) echo "fleet cmd core lint db sql util" ;;
	cmd) echo "cmd core lint db sql util" ;;
	core) echo "core db sql util" ;;
	lint) echo "lint sql util" ;;
	db) echo "db sql util" ;;
	sql) echo "sql util" ;;
	util) echo "util" ;;
	esac
}

# Every include as "FILE TARGET", both relative to src/.
find . -name '*.[ch]' | sed 's|^\./||' | sort | while read -r f; do
	grep -o '^#include "[^"]*"' "$f" | sed 's/^#include "//; s/"$//' |
		while read -r inc; do
			printf '%s %s\n' "$f" "$(realpath -m --relative-to=. "$(dirname "$f")/$inc")"
		done
done >"$T/edges"
[ -s "$T/edges" ] || fail "no includes found under $SRC/src"
ok

: >"$T/up"
while read -r f t; do
	from=$(layer "$(dirname "$f")") to=$(layer "$(dirname "$t")")
	case " $(allowed "$from") " in
	*" $to "*) ;;
	*) echo "$f includes $t: $from may not include $to" >>"$T/up" ;;
	esac
	[ -e "$t" ] || echo "$f includes $t, which does not exist" >>"$T/up"
done <"$T/edges"
[ ! -s "$T/up" ] || fail "includes against the layers:
$(cat "$T/up")"
ok

# A circle among the files of one folder: a .c and its .h count as one
# file, so foo.c including foo.h is no edge.
awk '{
	split($1, a, "/"); split($2, b, "/")
	fd = $1; sub(/\/[^\/]*$/, "", fd); if (fd == $1) fd = "."
	td = $2; sub(/\/[^\/]*$/, "", td); if (td == $2) td = "."
	if (fd != td) next
	f = $1; t = $2; sub(/\.[ch]$/, "", f); sub(/\.[ch]$/, "", t)
	if (f != t) print f, t
}' "$T/edges" | sort -u >"$T/local"
# tsort reports a cycle on stderr.
if ! tsort "$T/local" >/dev/null 2>"$T/cycle" || [ -s "$T/cycle" ]; then
	fail "a circle of includes within a folder:
$(cat "$T/cycle")"
fi
ok

