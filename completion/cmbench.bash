# bash completion for cmbench(1) — installed as
# share/bash-completion/completions/cmbench (loaded on first use of cmbench).
#
# Commands, workloads, models, --param keys and their choices, profiles and
# counters come from `cmbench list --names` of the very binary being
# completed, at completion time: they never go stale. Options come from that
# command's own --help.

# _cmbench_words KIND: the names of one kind from `cmbench list --names`.
_cmbench_words()
{
	awk -F '\t' -v kind="$1" '$1 == kind { print $2 }' <<<"$_cmbench_names"
}

# _cmbench_comma WORDS...: complete the last item of a comma list.
_cmbench_comma()
{
	local head= last=$cur
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		last=${cur##*,}
	fi
	local w
	COMPREPLY=()
	for w in $(compgen -W "$*" -- "$last"); do
		COMPREPLY+=("$head$w")
	done
	((${#COMPREPLY[@]} == 1)) && compopt -o nospace 2>/dev/null # may go on with ",NEXT"
}

# --param [SCOPE:]KEY=VALUE: keys (and workload/model scopes), then the
# key's choices or its default.
_cmbench_param()
{
	local scope= rest=$cur
	if [[ $cur == *:* ]]; then
		scope=${cur%%:*}
		rest=${cur#*:}
	fi
	local prefix=${scope:+$scope:}
	COMPREPLY=()
	if [[ $rest == *=* ]]; then
		local key=${rest%%=*} val=${rest#*=} v
		local values
		values=$(awk -F '\t' -v key="$key" -v scope="$scope" \
			'$1 == "param" && $3 == key && (scope == "" || $2 == scope) { print $4 }' \
			<<<"$_cmbench_names" | tr '|' '\n' | sort -u)
		for v in $(compgen -W "$values" -- "$val"); do
			COMPREPLY+=("$prefix$key=$v")
		done
	else
		local keys owners
		keys=$(awk -F '\t' -v scope="$scope" \
			'$1 == "param" && (scope == "" || $2 == scope) { print $3 }' \
			<<<"$_cmbench_names" | sort -u)
		local k
		for k in $(compgen -W "$keys" -- "$rest"); do
			COMPREPLY+=("$prefix$k=")
		done
		if [[ -z $scope ]]; then
			owners=$(awk -F '\t' '$1 == "param" { print $2 }' <<<"$_cmbench_names" | sort -u)
			for k in $(compgen -W "$owners" -- "$rest"); do
				COMPREPLY+=("$k:")
			done
		fi
		compopt -o nospace 2>/dev/null
	fi
}

_cmbench()
{
	local cur prev words cword
	# ':' and '=' stay inside the word (gil:switch=5ms is one argument)
	_init_completion -n :=, || return
	local bin=${words[0]}
	local _cmbench_names
	_cmbench_names=$("$bin" list --names 2>/dev/null) || _cmbench_names=

	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$(_cmbench_words command) --help --version" -- "$cur"))
	else
		local cmd=${words[1]}
		case $prev in
		-w | --workload) _cmbench_comma $(_cmbench_words workload) ;;
		-m | --model) _cmbench_comma $(_cmbench_words model) ;;
		--pin) _cmbench_comma none compact scatter cores single ;;
		--counters) _cmbench_comma all none $(_cmbench_words counter) ;;
		--format)
			if [[ $cmd == compare ]]; then
				COMPREPLY=($(compgen -W "table markdown json csv" -- "$cur"))
			else
				_cmbench_comma png svg
			fi
			;;
		-f) COMPREPLY=($(compgen -W "table markdown json csv" -- "$cur")) ;;
		--profile) COMPREPLY=($(compgen -W "$(_cmbench_words profile)" -- "$cur")) ;;
		--param) _cmbench_param ;;
		--cache-dir) _filedir -d ;;
		-o | --output)
			if [[ $cmd == run ]]; then _filedir json; else _filedir -d; fi
			;;
		--resume) _filedir json ;;
		--csv) _filedir csv ;;
		--topology) _filedir xml ;;
		-n | --workers | --reps | --warmup | --timeout | --min-time | --tasks-per-worker | \
			--size | -t | --threshold | --alpha) ;; # a number: nothing to offer
		*)
			if [[ $cur == -* ]]; then
				local opts
				opts=$("$bin" "$cmd" --help 2>/dev/null |
					grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,' | sort -u)
				COMPREPLY=($(compgen -W "$opts" -- "$cur"))
			else
				case $cmd in
				compare | plot | report) _filedir json ;;
				esac
			fi
			;;
		esac
	fi
	# readline replaces only the text after the last ':' or '=' (COMP_WORDBREAKS):
	# hand it the completions without what it keeps
	if [[ $cur == *[:=]* && $COMP_WORDBREAKS == *[:=]* ]]; then
		local keep=${cur%"${cur##*[:=]}"} i
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$keep"}
		done
	fi
} && complete -F _cmbench cmbench
