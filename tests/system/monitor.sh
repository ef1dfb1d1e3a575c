#!/usr/bin/env bash
# The system as a user scripts it: `tools/atoll run -- COMMAND` boots the
# default manifest (serial driver, monitor, Linux personality, busybox in
# /bin), runs one monitor command and exits with its status.
set -uo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# run NAME EXPECTED_STATUS PATTERN COMMAND...: the output must match PATTERN.
run() {
	local name=$1 want=$2 pattern=$3
	shift 3
	tools/atoll run --no-build --timeout 60 -- "$@" >"$tmp/$name" 2>&1
	local status=$?
	if [ "$status" = "$want" ] && tr -d '\r' <"$tmp/$name" | grep -qE "$pattern"; then
		echo "PASS $name"
	else
		echo "FAIL $name: status $status (wanted $want), or no line matching /$pattern/"
		tr -d '\r' <"$tmp/$name" | tail -n 8 | sed 's/^/  | /'
		failed=1
	fi
}

run monitor_ps_lists_the_services 0 '^ +2 monitor +running' ps
run monitor_ns_shows_the_serial_driver 0 '/dev/uart0' ns
run monitor_mem_reports_memory 0 '[0-9]+ KiB' mem
run monitor_echo_goes_through_the_serial_driver 0 '^hello, atoll$' echo hello, atoll
run monitor_unknown_command_fails 120 "unknown command 'frobnicate'" frobnicate
run monitor_kill_of_missing_pid_fails 1 'NOT_FOUND' kill 999
run monitor_spawn_waits_for_exit_status 0 'child here' spawn -w /boot/monitor -c "echo child here"
run monitor_restart_brings_the_driver_back 0 'restarting uart0' restart uart0
if [ -x /bin/busybox ]; then
	# A word that is no monitor command runs the Linux program of that name
	# from /bin (busybox's applet links), as a shell would.
	run monitor_runs_a_linux_program_by_name 3 '^/bin/busybox$' \
		sh -c 'ls /bin/busybox; exit 3'
	run monitor_runs_a_linux_program_by_path 0 '^a b$' /bin/echo a b
fi
exit $failed
