#!/usr/bin/env bash
# The 16550 driver under its test root task (tests/kernel/uarttest): boots
# QEMU with the console on a pipe, types the input the test asks for
# ("uarttest: send input N"), then checks what came out: the test's own
# PASS/FAIL lines, the driver's start line, and the 10 KiB (and the stalled
# 9.6 KiB) of text byte for byte. One PASS/FAIL line per check.
# BUILD=DIR takes the binaries from DIR; KEEP_TMP=DIR keeps the console log.
set -uo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
KERNEL=${ATOLL_KERNEL:-$BUILD/atoll.elf}
TIMEOUT=${UART_TIMEOUT:-90}

for f in "$KERNEL" "$BUILD/uarttest.elf" "$BUILD/uart16550.elf"; do
	if [ ! -f "$f" ]; then
		echo "FAIL uart: $f is missing (make all)"
		exit 1
	fi
done

tmp=$(mktemp -d)
qemu_pid=
cleanup() {
	[ -n "${KEEP_TMP:-}" ] && cp -r "$tmp" "$KEEP_TMP"
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ALPHABET=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
ALPHABET2=$ALPHABET$ALPHABET

# The texts the test generates too (uarttest/main.c).
input1() {
	for i in $(seq 0 31); do
		printf 'input %02d: the quick brown fox jumps over the lazy dog\n' "$i"
	done
}
ALNUM=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ
INPUT2="fifo:$ALNUM$ALNUM$ALNUM$ALNUM"
INPUT3='notify'
expected_output() {
	for i in $(seq 0 159); do
		printf 'out %04d %s\n' "$i" "${ALPHABET2:$((i % 64)):54}"
	done
}
expected_stall() {
	for i in $(seq 0 199); do
		printf 'stall %04d %s\n' "$i" "${ALPHABET2:$((i % 64)):36}"
	done
}

mkfifo "$tmp/in"
tools/qemu-run --timeout "$TIMEOUT" "$KERNEL" "$BUILD/uarttest.elf" "$BUILD/uart16550.elf" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
qemu_pid=$!
exec 3>"$tmp/in"

# Wait for a line of the test, as long as QEMU runs.
wait_for() {
	while ! tr -d '\r' <"$tmp/out" | grep -qxF "$1"; do
		kill -0 "$qemu_pid" 2>/dev/null || return 1
		sleep 0.1
	done
}

failed=0
fail() {
	failed=1
	echo "FAIL $1: $2"
}

for n in 1 2 3; do
	wait_for "uarttest: send input $n" || break
	case $n in
	1) input1 >&3 ;;
	2) printf '%s\n' "$INPUT2" >&3 ;;
	3) printf '%s\n' "$INPUT3" >&3 ;;
	esac
done
wait "$qemu_pid"
status=$?
qemu_pid=
exec 3>&-

out=$tmp/clean
tr -d '\r' <"$tmp/out" >"$out"

# The test's own results.
grep -E '^(PASS|FAIL) ' "$out"

if grep -qxF 'uart16550: /dev/uart0 ready, IRQ 4' "$out"; then
	echo "PASS driver_logs_ready_line"
else
	fail driver_logs_ready_line "no 'uart16550: /dev/uart0 ready, IRQ 4' line"
fi

# section BEGIN END: the lines between two marker lines.
section() {
	sed -n "/^$1\$/,/^$2\$/p" "$out" | sed '1d;$d'
}

if section 'uarttest: output begin' 'uarttest: output end' | cmp -s - <(expected_output); then
	echo "PASS output_10k_byte_for_byte"
else
	fail output_10k_byte_for_byte "the 10 KiB of text did not arrive intact"
	diff <(expected_output) <(section 'uarttest: output begin' 'uarttest: output end') |
		head -n 6 | sed 's/^/  | /'
fi

if section 'uarttest: stall begin' 'uarttest: stall end' | cmp -s - <(expected_stall); then
	echo "PASS stalled_output_byte_for_byte"
else
	fail stalled_output_byte_for_byte "the text written during the stall did not arrive intact"
	diff <(expected_stall) <(section 'uarttest: stall begin' 'uarttest: stall end') |
		head -n 6 | sed 's/^/  | /'
fi

if [ "$status" = 0 ] && grep -qx 'uarttest: done, 0 failed' "$out"; then
	echo "PASS uarttest_finished"
else
	case $status in
	124) why="timed out after $TIMEOUT s" ;;
	126) why="kernel panic" ;;
	127) why="reset or triple fault" ;;
	*) why="exit status $status" ;;
	esac
	fail uarttest_finished "$why"
	grep -vE '^(out|stall) [0-9]{4} ' "$out" | tail -n 12 | sed 's/^/  | /'
	sed 's/^/  | /' "$tmp/err" | tail -n 4
fi
exit $failed
