#!/usr/bin/env bash
# cmake --install puts the binary, the man page and both completions
# under the prefix; DESTDIR stages it elsewhere.
. "$(dirname "$0")/lib.sh" sqlite
BUILD=$(dirname "$STRATA")

DESTDIR="$T/stage" cmake --install "$BUILD" --prefix /opt/strata >"$T/install.log" 2>&1 ||
	fail "cmake --install: $(cat "$T/install.log")"
root=$T/stage/opt/strata
for f in bin/strata share/man/man1/strata.1 \
	share/bash-completion/completions/strata share/zsh/site-functions/_strata; do
	[ -f "$root/$f" ] || fail "not installed: $f ($(cat "$T/install.log"))"
done
ok
expect_eq "the installed binary runs" "$("$root/bin/strata" --version | cut -d' ' -f1)" strata
MANPATH=$root/share/man man -w strata >/dev/null 2>&1 || fail "man does not find the installed page"
ok
cmake --install "$BUILD" --prefix "$T/direct" >/dev/null 2>&1 || fail "install with a prefix alone"
[ -x "$T/direct/bin/strata" ] || fail "--prefix not respected"
ok
