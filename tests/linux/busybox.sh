#!/usr/bin/env bash
# Debian's busybox-static, unmodified, on Atoll: each command's output and
# status must equal the same command's on the host (see docs/linux.md).
# Both runs start in a directory holding bin/busybox, so relative paths
# name the same file.
set -uo pipefail
cd "$(dirname "$0")/../.."

BUSYBOX=${BUSYBOX:-/bin/busybox}
if [ ! -x "$BUSYBOX" ]; then
	echo "FAIL busybox_present: $BUSYBOX is missing (apt-get install busybox-static)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cp "$BUSYBOX" "$tmp/bin/busybox"
# Scripts: #! names the interpreter (the host has Debian's busybox at
# /bin/busybox too), or one that does not exist.
printf '#!/bin/busybox sh\necho "$0 has $# arguments: $*"\nexit 5\n' >"$tmp/bin/script"
printf '#!/nowhere/sh\necho never\n' >"$tmp/bin/lost"
chmod +x "$tmp/bin/script" "$tmp/bin/lost"

failed=0
# check NAME ARGS...: busybox ARGS on the host and on Atoll.
check() {
	local name=$1
	shift
	local want got status want_status
	want=$(cd "$tmp" && bin/busybox "$@" 2>&1)
	want_status=$?
	tools/atoll run --no-build --no-busybox --timeout 30 --add "$tmp/bin:/bin" -- \
		linux /bin/busybox "$@" >"$tmp/out" 2>&1
	status=$?
	got=$(tr -d '\r' <"$tmp/out" |
		grep -vE '^(proc|linux|uart16550): |^(Atoll kernel|memory|cpu|acpi|madt|lapic|ioapic|timer|root task)[: ]')
	if [ "$got" = "$want" ] && [ "$status" = "$want_status" ]; then
		echo "PASS busybox_$name"
	else
		echo "FAIL busybox_$name: status $status (host $want_status)"
		diff <(echo "$want") <(echo "$got") | head -n 6 | sed 's/^/  | /'
		failed=1
	fi
}

check echo echo hello from busybox
check uname_sysname uname -s
check expr expr 6 '*' 7
check expr_failure expr 0 + 0
check seq seq 1 5
check printf printf '%s=%d\n' answer 42
check sh_arithmetic sh -c 'echo $((6*7)); x=abcdef; echo ${#x} ${x%def}'
check sh_exit_status sh -c 'exit 3'
check sha256sum_of_itself sha256sum bin/busybox
check wc_of_itself wc -c bin/busybox
check ls_of_a_directory ls bin
check cat_of_a_missing_file cat bin/nothing-here
check date_year date -u +%Y
check sh_fork_exec_wait sh -c 'bin/busybox echo a; echo b; bin/busybox sh -c "exit 7"; echo child $?'
check sh_exec_replaces_the_shell sh -c 'exec bin/busybox echo exec-last'
check sh_pipeline sh -c 'bin/busybox echo hello | bin/busybox wc -c'
check sh_command_substitution sh -c 'x=$(bin/busybox echo inner); echo "got $x"'
check sh_pipeline_three_stages sh -c 'bin/busybox seq 1 2000 | bin/busybox sort -rn | bin/busybox head -n 2'
check sh_while_read sh -c 'bin/busybox seq 1 3 | while read x; do echo "line $x"; done'
check sh_runs_a_script sh -c 'bin/script one "two words"; echo "status $?"'
check sh_script_without_its_interpreter sh -c 'bin/lost; echo "status $?"'
check true true
check false false
exit $failed
