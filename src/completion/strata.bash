# bash completion for strata: commands, their options, lint rule names
# after --exclude, and the migrations folder's versions after --to.
# Installed as share/bash-completion/completions/strata.

# The versions of the files in folder $1, once each, in order.
_strata_versions() {
	local f
	for f in "$1"/*.sql; do
		[ -e "$f" ] || continue
		f=${f##*/}
		f=${f%%_*}
		case $f in '' | *[!0-9]*) ;; *) echo "$f" ;; esac
	done | sort -nu
}

_strata() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]} cmd="" mig=sql i w
	local globals="--db --migrations --rollbacks --schema --json --quiet
		--verbose --lock-wait --targets --parallel --canary --keep-going
		--help --version"
	local commands="status current up rollback complete validate log new
		baseline repair lint schema report"

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-m | --migrations) mig=${COMP_WORDS[i + 1]}; ((i++)) ;;
		--migrations=*) mig=${w#*=} ;;
		-d | --db | -r | --rollbacks | --schema | --lock-wait | --targets | \
			--parallel | --canary | --to | --steps | --limit | --exclude | \
			--format | --dialect | --lint | --jobs | -j | --retries | \
			--lock-timeout | --statement-timeout | --max-replica-lag | \
			--batch-pause | --schema-file | --pg-version | --html) ((i++)) ;;
		--version) [ "$cmd" = log ] && ((i++)) ;;
		-*) ;;
		*) [ -z "$cmd" ] && cmd=$w ;;
		esac
	done
	case $prev in
	--to)
		COMPREPLY=($(compgen -W "$( [ "$cmd" = rollback ] && echo 0; _strata_versions "$mig")" -- "$cur"))
		return ;;
	--version)
		if [ "$cmd" = log ]; then
			COMPREPLY=($(compgen -W "$(_strata_versions "$mig")" -- "$cur"))
			return
		fi ;;
	--exclude)
		# A comma-separated list: complete its last name.
		local head="" rules
		case $cur in *,*) head=${cur%,*}, ;; esac
		rules=$("$bin" lint --list-rules 2>/dev/null | awk 'NR > 1 { print $1 }')
		COMPREPLY=($(compgen -P "$head" -W "$rules" -- "${cur##*,}"))
		return ;;
	--lint) COMPREPLY=($(compgen -W "warn error off" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")); return ;;
	--dialect) COMPREPLY=($(compgen -W "postgres sqlite" -- "$cur")); return ;;
	-m | --migrations | -r | --rollbacks) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--targets | --schema-file | --html) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-d | --db | --schema | --lock-wait | --parallel | --canary | --steps | \
		--limit | --jobs | -j | --retries | --lock-timeout | \
		--statement-timeout | --max-replica-lag | --batch-pause | --pg-version)
		return ;;
	esac
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
		return
	fi
	if [ "$cmd" = lint ] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -f -X '!*.sql' -- "$cur") $(compgen -d -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$("$bin" "$cmd" --help 2>/dev/null | sed -n 1p |
		grep -o -- '--[a-z][a-z-]*' | sort -u) $globals" -- "$cur"))
}
complete -F _strata strata
