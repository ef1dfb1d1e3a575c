#!/usr/bin/env bash
# Hostile processes: tests/linux/hostile/hostile.c passes garbage to every
# Linux system-call number 0..450 (random and wild pointers, huge lengths,
# bad descriptors) from children of its own. The Linux personality and
# every other service must come through it: no service dies or restarts,
# the program accounts for every child, and the shell that started it
# still runs pipelines afterwards. Atoll only: the host is not the place
# to call reboot or kill with garbage.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

if ! command -v musl-gcc >/dev/null 2>&1; then
	echo "FAIL hostile_syscalls: musl-gcc is not installed (tools/deps test installs musl-tools)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
if ! musl-gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/bin/hostile" \
	tests/linux/hostile/hostile.c 2>"$tmp/cc"; then
	echo "FAIL hostile_syscalls: it does not build"
	sed 's/^/  | /' "$tmp/cc"
	exit 1
fi

tools/atoll run --no-build --timeout 300 --add "$tmp/bin:/x" -- \
	sh -c '/x/hostile; echo "hostile status $?"; echo "shell: $(echo still works | cat)"' \
	>"$tmp/out" 2>&1
status=$?
tr -d '\r' <"$tmp/out" >"$tmp/clean"

failed=0
# expect NAME PATTERN WHY: a line of the console must match PATTERN.
expect() {
	if grep -qE "$2" "$tmp/clean"; then
		echo "PASS $1"
	else
		echo "FAIL $1: $3"
		tail -n 12 "$tmp/clean" | sed 's/^/  | /'
		failed=1
	fi
}
expect hostile_syscalls_all_answered '^hostile: [0-9]+ calls, ' "the program did not finish"
expect hostile_syscalls_children_accounted '^hostile status 0$' "a child was lost, or the program died"
expect hostile_shell_works_afterwards '^shell: still works$' "the shell did not run its pipeline afterwards"
if grep -qE '^proc: service .* (exited|was killed)' "$tmp/clean"; then
	echo "FAIL hostile_no_service_died: $(grep -E '^proc: service' "$tmp/clean" | head -n 1)"
	failed=1
else
	echo "PASS hostile_no_service_died"
fi
if [ $status -ne 0 ]; then
	echo "FAIL hostile_run_status: tools/atoll exited with $status"
	failed=1
fi
exit $failed
