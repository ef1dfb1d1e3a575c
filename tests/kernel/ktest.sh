#!/usr/bin/env bash
# Boots the kernel with the in-guest kernel test (build/ktest.elf) as the
# root task and passes its "PASS name" / "FAIL name: why" lines through.
# A boot that does not finish its table cleanly (kernel panic, triple fault,
# timeout, no closing line) adds "FAIL ktest_boot: <what happened>" with the
# end of the console output; a clean one adds "PASS ktest_boot".
# Exit status 0 only when every test passed.
# One test alone: tools/qemu-run build/atoll.elf "build/ktest.elf only=NAME"
set -uo pipefail
cd "$(dirname "$0")/../.."

KERNEL=${ATOLL_KERNEL:-build/atoll.elf}
KTEST=${ATOLL_KTEST:-build/ktest.elf}
TIMEOUT=${KTEST_TIMEOUT:-60}

for f in "$KERNEL" "$KTEST"; do
	if [ ! -f "$f" ]; then
		echo "FAIL ktest_boot: $f is missing (make all)"
		exit 1
	fi
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
tools/qemu-run --timeout "$TIMEOUT" "$KERNEL" "$KTEST" </dev/null >"$out" 2>&1
status=$?

# The console has CR LF line ends; only the test's result lines go to stdout.
tr -d '\r' <"$out" | grep -E '^(PASS|FAIL) '

describe() {
	case $1 in
	0 | 1) echo "guest exit $1" ;;
	123) echo "QEMU failed" ;;
	124) echo "timed out after $TIMEOUT s" ;;
	125) echo "the kernel refused to boot (0x7d)" ;;
	126) echo "kernel panic (0x7e)" ;;
	127) echo "reset or triple fault" ;;
	*) echo "guest exit $1" ;;
	esac
}

failed=0
tr -d '\r' <"$out" | grep -q '^FAIL ' && failed=1
why=
if tr -d '\r' <"$out" | grep -q 'KERNEL PANIC'; then
	why="kernel panic: $(tr -d '\r' <"$out" | grep -m1 -A1 'KERNEL PANIC' | tr '\n' ' ')"
elif ! tr -d '\r' <"$out" | grep -q '^ktest: done'; then
	why="the run ended before the last test ($(describe "$status"))"
elif [ "$status" != 0 ] && [ "$status" != 1 ]; then
	why="bad exit after the last test ($(describe "$status"))"
elif [ "$status" = 1 ] && [ "$failed" = 0 ]; then
	why="the guest reported failures but printed no FAIL line"
fi

if [ -n "$why" ]; then
	echo "FAIL ktest_boot: $why"
	echo "  last console lines:"
	tr -d '\r' <"$out" | tail -n 15 | sed 's/^/  | /'
	exit 1
fi
echo "PASS ktest_boot"
exit $failed
