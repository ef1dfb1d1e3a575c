#!/usr/bin/env bash
# Boots the kernel with bad or unusual boot input and checks that it refuses
# cleanly: a line "Atoll cannot boot: <reason>" and the boot-error exit
# (debug-exit 0x7d, tools/qemu-run status 125), never a panic, a triple fault
# or a hang. One PASS/FAIL line per case.
set -uo pipefail
cd "$(dirname "$0")/../.."

KERNEL=${ATOLL_KERNEL:-build/atoll.elf}
TIMEOUT=${BOOT_TIMEOUT:-20}
BOOT_ERROR=125 # tools/qemu-run's status for debug-exit 0x7d

# The valid root task and boot archive, once the build makes them. Until then
# the "valid setup" cases boot with a module the kernel must refuse.
ROOT_TASK=
for f in build/user/proc/proc.elf build/user/proc.elf build/proc.elf; do
	[ -f "$f" ] && ROOT_TASK=$f && break
done
BOOT_ARCHIVE=
for f in build/boot.cpio build/user/boot.cpio; do
	[ -f "$f" ] && BOOT_ARCHIVE=$f && break
done
# The first line the root task prints (tighten when it exists).
ROOT_TASK_HELLO='^(proc|root task)[: ]'

if [ ! -f "$KERNEL" ]; then
	echo "FAIL boot_inputs: $KERNEL is missing (make kernel)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 100 "$KERNEL" >"$tmp/truncated.elf"
valid_setup=("${ROOT_TASK:-Makefile}")
[ -n "$BOOT_ARCHIVE" ] && valid_setup+=("$BOOT_ARCHIVE")
[ -n "$ROOT_TASK" ] || echo "  (no root task is built yet: the RAM-size cases boot a non-ELF module)"

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

# The kernel may refuse this machine with a reason, or start the root task;
# it must never panic, reset or hang without saying anything.
expect_refusal_or_root_task() {
	local name=$1 status line
	status=$(cat "$tmp/$name.status")
	line=$(refusal "$name")
	if [ "$status" = "$BOOT_ERROR" ] && [ -n "$line" ]; then
		echo "PASS $name"
		echo "  $line"
	elif tr -d '\r' <"$tmp/$name.out" | grep -qE "$ROOT_TASK_HELLO" &&
		[ "$status" != 123 ] && [ "$status" != 126 ] && [ "$status" != 127 ]; then
		echo "PASS $name"
	else
		fail "$name" "neither a refusal with a reason nor the root task; $(describe_status "$status")"
	fi
}

boot boot_without_modules 256M
boot boot_truncated_elf_root_task 256M "$tmp/truncated.elf"
boot boot_non_elf_root_task 256M Makefile
boot boot_with_32mib_ram 32M "${valid_setup[@]}"
boot boot_with_8gib_ram 8G "${valid_setup[@]}"
wait

expect_refusal boot_without_modules
expect_refusal boot_truncated_elf_root_task
expect_refusal boot_non_elf_root_task
expect_refusal_or_root_task boot_with_32mib_ram
expect_refusal_or_root_task boot_with_8gib_ram
exit $failed
