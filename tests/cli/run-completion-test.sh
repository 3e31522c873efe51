#!/bin/bash
# The bash completion (contrib/bash-completion/kvmmmu-graph) offers every
# option that src/cli/params.c parses and none that it does not, and
# --help names every long option.
#
#   tests/cli/run-completion-test.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
comp=$srcdir/contrib/bash-completion/kvmmmu-graph

pass() { echo "PASS: cli/$1"; }
fail() { echo "FAIL: cli/$1${2:+ ($2)}"; }

# long options of params.c's table, and the short ones of its getopt string
parsed=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",.*/--\1/p' "$srcdir/src/cli/params.c" | sort)
short=$(sed -n 's/.*getopt_long(argc, argv, "+\([^"]*\)".*/\1/p' "$srcdir/src/cli/params.c" |
	tr -d ':' | sed 's/./-& /g')
# what the completion offers after "-"
offered=$(bash -c '
	source "$1" || exit 1
	COMP_WORDS=(kvmmmu-graph -); COMP_CWORD=1
	_kvmmmu_graph
	printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" | sort)

if [ -z "$parsed" ] || [ -z "$offered" ]; then
	fail completion_options "no options found (params.c: $(echo "$parsed" | wc -w), completion: $(echo "$offered" | wc -w))"
else
	missing=$(comm -23 <(echo "$parsed") <(echo "$offered") | tr '\n' ' ')
	stale=$(comm -13 <(echo "$parsed") <(printf '%s\n' "$offered" | grep -- '^--.' ) | tr '\n' ' ')
	nshort=
	for o in $short; do
		printf '%s\n' "$offered" | grep -qx -- "$o" || nshort="$nshort $o"
	done
	if [ -z "$missing" ] && [ -z "$stale" ] && [ -z "$nshort" ]; then
		pass completion_options
	else
		fail completion_options "not offered: $missing$nshort; unknown to params.c: $stale"
	fi
fi

# values of the options that take keywords
got=$(bash -c '
	source "$1"
	COMP_WORDS=(kvmmmu-graph --input d --strategy ""); COMP_CWORD=4
	_kvmmmu_graph; echo "${COMPREPLY[*]}"
	COMP_WORDS=(kvmmmu-graph --folded-by ""); COMP_CWORD=2
	_kvmmmu_graph; echo "${COMPREPLY[*]}"
	COMP_WORDS=(kvmmmu-graph --vendor i); COMP_CWORD=2
	_kvmmmu_graph; echo "${COMPREPLY[*]}"
	COMP_WORDS=(kvmmmu-graph c); COMP_CWORD=1
	_kvmmmu_graph; echo "${COMPREPLY[*]}"' _ "$comp")
want='global instance events-only
type vcpu
intel
check'
if [ "$got" = "$want" ]; then pass completion_values
else fail completion_values "$(echo "$got" | tr '\n' '|')"; fi

help=$("$builddir/kvmmmu-graph" --help 2>&1)
undocumented=
for o in $parsed; do
	grep -q -- "$o" <<<"$help" || undocumented="$undocumented $o"
done
if [ -z "$undocumented" ]; then pass help_names_every_option
else fail help_names_every_option "not in --help:$undocumented"; fi
