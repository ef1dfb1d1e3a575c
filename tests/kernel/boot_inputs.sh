#!/usr/bin/env bash
# Boots the kernel with bad or unusual boot input. Bad input must be refused
# cleanly: a line "Atoll cannot boot: <reason>" and the boot-error exit
# (debug-exit 0x7d, tools/qemu-run status 125), never a panic, a triple fault
# or a hang. Unusual machines (32 MiB, 8 GiB) must run the root task.
# One PASS/FAIL line per case.
set -uo pipefail
cd "$(dirname "$0")/../.."

KERNEL=${ATOLL_KERNEL:-build/atoll.elf}
TIMEOUT=${BOOT_TIMEOUT:-20}
BOOT_ERROR=125 # tools/qemu-run's status for debug-exit 0x7d

# A minimal valid root task: prints "root task: started, N KiB ..." and exits 0.
ROOT_TASK=build/bootcheck.elf
ROOT_TASK_HELLO='^root task: started, [0-9]+ KiB'

for f in "$KERNEL" "$ROOT_TASK"; do
	if [ ! -f "$f" ]; then
		echo "FAIL boot_inputs: $f is missing (make all)"
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 100 "$KERNEL" >"$tmp/truncated.elf"

# boot NAME MEM [MODULE...]: boots in the background; output in $tmp/NAME.
boot() {
	local name=$1 mem=$2
	shift 2
	(
		tools/qemu-run --timeout "$TIMEOUT" --mem "$mem" "$KERNEL" "$@" \
			</dev/null >"$tmp/$name.out" 2>&1
		echo $? >"$tmp/$name.status"
	) &
}

describe_status() {
	case $1 in
	0) echo "exit 0" ;;
	123) echo "QEMU failed" ;;
	124) echo "timed out after $TIMEOUT s" ;;
	125) echo "boot error (0x7d)" ;;
	126) echo "kernel panic (0x7e)" ;;
	127) echo "reset or triple fault" ;;
	*) echo "guest exit $1" ;;
	esac
}

failed=0
fail() {
	local name=$1 why=$2
	failed=1
	echo "FAIL $name: $why"
	tr -d '\r' <"$tmp/$name.out" | tail -n 8 | sed 's/^/  | /'
}

# The refusal line with a non-empty reason, or nothing.
refusal() {
	tr -d '\r' <"$tmp/$1.out" | grep -m1 -E '^Atoll cannot boot: *[^ ]'
}

# The kernel must refuse this input: "Atoll cannot boot: ..." and status 125.
expect_refusal() {
	local name=$1 status line
	status=$(cat "$tmp/$name.status")
	line=$(refusal "$name")
	if [ "$status" = "$BOOT_ERROR" ] && [ -n "$line" ]; then
		echo "PASS $name"
		echo "  $line"
	elif [ -z "$line" ]; then
		fail "$name" "no 'Atoll cannot boot: <reason>' line; $(describe_status "$status")"
	else
		fail "$name" "expected exit 125 (0x7d) after the refusal; $(describe_status "$status")"
	fi
}

# The kernel must start the root task on this machine, which then exits 0.
expect_root_task() {
	local name=$1 status
	status=$(cat "$tmp/$name.status")
	if [ "$status" = 0 ] && tr -d '\r' <"$tmp/$name.out" | grep -qE "$ROOT_TASK_HELLO"; then
		echo "PASS $name"
	else
		fail "$name" "the root task did not start and finish; $(describe_status "$status")"
	fi
}

boot boot_without_modules 256M
boot boot_truncated_elf_root_task 256M "$tmp/truncated.elf"
boot boot_non_elf_root_task 256M Makefile
boot boot_with_32mib_ram 32M "$ROOT_TASK"
boot boot_with_8gib_ram 8G "$ROOT_TASK"
wait

expect_refusal boot_without_modules
expect_refusal boot_truncated_elf_root_task
expect_refusal boot_non_elf_root_task
expect_root_task boot_with_32mib_ram
expect_root_task boot_with_8gib_ram
exit $failed
