#!/usr/bin/env bash
# strata.1 stays true: it renders without warnings, and every option,
# command and environment variable strata knows is in it, and the other
# way round.
. "$(dirname "$0")/lib.sh" sqlite
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}
MAN=$SRC/src/man/strata.1

groff -man -ww -z "$MAN" 2>"$T/groff.err" || fail "groff: $(cat "$T/groff.err")"
[ ! -s "$T/groff.err" ] || fail "groff warns: $(cat "$T/groff.err")"
ok

# What --help says: global options, commands, each command's options.
"$STRATA" --help >"$T/help"
commands=$(sed -n '/^commands:/,/^$/p' "$T/help" | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "no commands in --help"
for c in $commands; do
	"$STRATA" "$c" --help >>"$T/help" || fail "$c --help"
done
grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u >"$T/help.opts"
sed 's/\\-/-/g' "$MAN" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/man.opts"
missing=$(comm -23 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')
[ -z "$missing" ] || fail "options --help prints that strata.1 lacks: $missing"
ok
extra=$(comm -13 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')
[ -z "$extra" ] || fail "options in strata.1 that --help does not print: $extra"
ok
for s in $(grep -o -- ' -[a-z],' "$T/help" | tr -d ' ,' | sort -u); do
	grep -q -- "\\\\$s\"* " "$MAN" || grep -q -- "BR \\\\$s " "$MAN" || fail "short option $s not in strata.1"
done
ok
for c in $commands; do
	grep -q "^\.B $c\$\|^\.B $c \|^\.BI $c " "$MAN" || fail "command $c has no entry in strata.1"
done
ok

# Every environment variable the sources read, and every exit code.
for v in $(grep -rho 'getenv("[A-Z_]*")' "$SRC/src" | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	case $v in HOME | USER) continue ;; esac
	grep -q "$v" "$MAN" || fail "\$$v is read but not in strata.1"
done
ok
for code in 0 1 2 3 4 5; do
	sed -n '/^\.SH EXIT STATUS/,/^\.SH ENVIRONMENT/p' "$MAN" | grep -q "^\.B $code\$" || fail "exit code $code not in strata.1"
done
ok
# Every directive the splitter knows.
for d in no-transaction irreversible batch lint-ignore commit contract; do
	grep -q "strata:$(echo $d | sed 's/-/\\\\-/g')" "$MAN" || fail "directive strata:$d not in strata.1"
done
ok
