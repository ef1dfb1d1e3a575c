#!/usr/bin/env bash
# proc's protocol, namespace, reclaim and fault handling, tested from inside:
# procprobe runs as the only boot service and reports PASS/FAIL lines, then
# halts the machine with its failure count.
set -uo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/manifest" <<'MANIFEST'
service procprobe
    binary /boot/procprobe
    args run
    ioports 0x3f8-0x3ff
    mmio 0xfed00000-0xfed00fff
    prefix /probe
    restart never
MANIFEST
tools/mkboot -o "$tmp/boot.cpio" --manifest "$tmp/manifest" \
	--file /boot/procprobe=build/procprobe.elf || {
	echo "FAIL proc_boot_archive: mkboot failed"
	exit 1
}
tools/qemu-run --timeout 120 build/atoll.elf build/proc.elf "$tmp/boot.cpio" >"$tmp/out" 2>&1
status=$?
tr -d '\r' <"$tmp/out" | grep -E '^(PASS|FAIL) '
if grep -q 'KERNEL PANIC' "$tmp/out" || ! grep -q '^procprobe: [0-9]* failed' "$tmp/out"; then
	echo "FAIL proc_run: procprobe did not finish (qemu-run status $status)"
	tail -n 20 "$tmp/out" | sed 's/^/  | /'
	exit 1
fi
exit $status
