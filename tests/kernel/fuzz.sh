#!/usr/bin/env bash
# The in-guest system-call fuzzer (tests/kernel/fuzz): boots build/fuzz.elf as
# the root task, which makes 1,000,000 random system calls from unprivileged
# child processes and then checks the kernel. Prints the guest's PASS/FAIL
# lines and its "fuzz:" summary; a timeout, kernel panic or reset is
# "FAIL fuzz_boot: <reason>" with the last 20 lines of output.
#
# FUZZ_ARGS passes options to the fuzzer, e.g. FUZZ_ARGS="seed=0x1234 calls=200000";
# see tests/kernel/fuzz/main.c. FUZZ_TIMEOUT is the boot's limit in seconds.
set -uo pipefail
cd "$(dirname "$0")/../.."

KERNEL=${ATOLL_KERNEL:-build/atoll.elf}
FUZZ=build/fuzz.elf
TIMEOUT=${FUZZ_TIMEOUT:-300}
ARGS=${FUZZ_ARGS:-}

for f in "$KERNEL" "$FUZZ"; do
	if [ ! -f "$f" ]; then
		echo "FAIL fuzz_boot: $f is missing (make kernel user)"
		exit 1
	fi
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
tools/qemu-run --timeout "$TIMEOUT" "$KERNEL" "$FUZZ${ARGS:+ $ARGS}" </dev/null >"$out" 2>&1
status=$?
elapsed=$(($(date +%s) - start))

# Serial output ends its lines with CR LF.
tr -d '\r' <"$out" | grep -a -E '^fuzz: '
results=$(tr -d '\r' <"$out" | grep -a -E '^(PASS|FAIL) ')

why=
case $status in
0 | 1) ;;
124) why="timed out after $TIMEOUT s" ;;
126) why="kernel panic" ;;
127) why="the guest reset (triple fault?) or powered off" ;;
125) why="the kernel refused to boot" ;;
123) why="QEMU could not run" ;;
*) why="unexpected exit status $status" ;;
esac
if [ -z "$why" ] && grep -a -q 'KERNEL PANIC' "$out"; then
	why="kernel panic"
fi
if [ -z "$why" ] && [ -z "$results" ]; then
	why="no PASS or FAIL line (exit status $status)"
fi

[ -n "$results" ] && echo "$results"
if [ -n "$why" ]; then
	echo "FAIL fuzz_boot: $why after ${elapsed}s; last 20 lines:"
	tr -d '\r' <"$out" | tail -n 20 | sed 's/^/    /'
	exit 1
fi
echo "fuzz.sh: guest ran ${elapsed}s"
[ "$status" -eq 0 ] && ! grep -q '^FAIL' <<<"$results"
