#!/usr/bin/env bash
# Shell completion, bash and zsh: commands, a command's options, lint rule
# names after --exclude, the folder's versions after --to.
. "$(dirname "$0")/lib.sh" sqlite
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}

write_pair 0007 first "SELECT 1;" "SELECT 1;"
write_pair 0012 second "SELECT 1;" "SELECT 1;"
mkdir other
write other/0099_x.sql "SELECT 1;"

# bash: complete WORDS... (the last one is being typed).
bash_complete() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_strata
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$SRC/src/completion/strata.bash" "$STRATA" "$@"
}
has() { printf '%s\n' "$1" | grep -qx -- "$2" || fail "$3: '$2' not offered (got: $(echo $1))"; }

# zsh: the same, with compadd and friends standing in for the completion
# system's.
zsh_complete() {
	zsh -f -c '
		compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -rl -- "$@"; }
		compset() { :; }
		_files() { :; }
		src=$1; shift
		words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
		. $src' _ "$SRC/src/completion/_strata" "$STRATA" "$@" | sort
}
# Every command --help lists, in both shells.
commands=$("$STRATA" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
got=$(bash_complete "")
zgot=$(zsh_complete "")
for c in $commands; do
	has "$got" "$c" "bash: commands"
	has "$zgot" "$c" "zsh: commands"
done
has "$got" --targets "global options"
got=$(bash_complete up --ch)
has "$got" --check-rollbacks "up's options"
got=$(bash_complete up --to "")
expect_eq "versions after --to" "$(echo $got)" "0007 0012"
got=$(bash_complete rollback --to "")
has "$got" 0 "rollback --to 0"
got=$(bash_complete -m other up --to "")
expect_eq "versions of -m's folder" "$(echo $got)" "0099"
got=$(bash_complete lint --exclude ban-drop-c)
expect_eq "a rule after --exclude" "$got" ban-drop-column
got=$(bash_complete lint --exclude "")
has "$got" require-lock-timeout "every rule after --exclude"
case " $(echo $got) " in *" RULE "*) fail "--list-rules' heading offered as a rule" ;; esac
ok
got=$(bash_complete lint --exclude ban-drop-column,renaming-t)
expect_eq "the last of a list" "$got" ban-drop-column,renaming-table
got=$(bash_complete up --lint "")
expect_eq "--lint's values" "$(echo $got)" "error off warn"

command -v zsh >/dev/null || fail "no zsh (apt-get install zsh)"
got=$(zsh_complete "")
has "$got" rollback "zsh: commands"
has "$got" report "zsh: commands"
got=$(zsh_complete up --to "")
expect_eq "zsh: versions after --to" "$(echo $got)" "0007 0012"
got=$(zsh_complete lint --exclude "")
has "$got" require-lock-timeout "zsh: rules after --exclude"
case " $(echo $got) " in *" RULE "*) fail "zsh: --list-rules' heading offered as a rule" ;; esac
ok
got=$(zsh_complete rollback "")
has "$got" --steps "zsh: rollback's options"
