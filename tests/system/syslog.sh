#!/usr/bin/env bash
# The system log through syslog(2): busybox dmesg prints the log proc keeps,
# dmesg -c clears it for later readers, and dmesg -s bounds what it reads.
set -uo pipefail
cd "$(dirname "$0")/../.."

out=$(tools/atoll run --no-build --timeout 60 -- sh -c \
	'dmesg | grep -c "proc: started linux"; dmesg -s 64 | wc -c; dmesg -c >/dev/null; echo "after clear: $(dmesg | wc -c)"' \
	2>&1 | tr -d '\r')
check() { # NAME PATTERN WHY
	if printf '%s\n' "$out" | grep -qE "$2"; then
		echo "PASS $1"
	else
		echo "FAIL $1: $3"
		printf '%s\n' "$out" | tail -n 6 | sed 's/^/  | /'
	fi
}
check syslog_dmesg_prints_the_log '^1$' "dmesg did not show proc's 'started linux' line"
check syslog_dmesg_size_bounds_the_read '^ *(6[0-4]|[1-5][0-9]|[1-9])$' "dmesg -s 64 printed more than 64 bytes"
check syslog_dmesg_clear_empties_it '^after clear: 0$' "dmesg printed text after dmesg -c"
