#!/usr/bin/env bash
# Supervision: the serial driver is killed while output flows through it;
# proc restarts it, the writer reconnects through the namespace, and every
# line written after the restart reaches the console.
set -uo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/manifest" <<'MANIFEST'
service uart0
    binary /boot/uart16550
    priority 200
    ioports 0x3f8-0x3ff
    irq 4
    prefix /dev/uart0
    restart always

service flood
    binary /boot/flood
    restart never
MANIFEST
tools/atoll run --no-build --timeout 60 --manifest "$tmp/manifest" >"$tmp/out" 2>&1
status=$?
tr -d '\r' <"$tmp/out" >"$tmp/log"

failed=0
check() { # NAME CONDITION-STATUS WHY
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; failed=1; fi
}
grep -q '^proc: service uart0 (pid 1) was killed with status -9; restarting' "$tmp/log"
check supervision_logs_why_the_driver_died $? "no log line for the death and restart"
grep -q '^proc: started uart0 (pid [0-9]*)' "$tmp/log"
check supervision_restarts_the_driver $? "the driver was not started again"
missing=0
for n in $(seq 201 400); do
	grep -qx "flood line $n" "$tmp/log" || missing=$((missing + 1))
done
check supervision_console_works_after_restart "$missing" "$missing of 200 lines after the restart are missing"
check supervision_writer_reconnected "$status" "flood exited with $status"
[ "$failed" = 0 ] || tail -n 15 "$tmp/log" | sed 's/^/  | /'
exit $failed
