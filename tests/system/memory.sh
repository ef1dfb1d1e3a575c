#!/usr/bin/env bash
# Memory comes back: a shell that forks a thousand children, each writing
# to pages it shares with the shell copy-on-write while the shell writes to
# its own, ends with as much free memory as it started with (after a warm-up
# in which proc's own bookkeeping grows to what it needs).
set -uo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/add"
cat >"$tmp/add/forks.sh" <<'SCRIPT'
forks() {
	i=0
	while [ $i -lt $1 ]; do
		(v=$i; w="$v$v") &
		x="$i$i"
		wait
		i=$((i + 1))
	done
}
free_kb() { grep MemFree /proc/meminfo | tr -s ' ' | cut -d' ' -f2; }
forks 50
before=$(free_kb)
forks 1000
after=$(free_kb)
echo "free before $before after $after"
SCRIPT
tools/atoll run --no-build --timeout 120 --add "$tmp/add:/tmp" -- sh /tmp/forks.sh >"$tmp/out" 2>&1
status=$?
line=$(tr -d '\r' <"$tmp/out" | grep '^free before')
if [ "$status" -eq 0 ] && [ -n "$line" ] && [ "$(echo "$line" | awk '{print $3 == $5}')" = 1 ]; then
	echo "PASS memory_forks_give_their_memory_back"
else
	echo "FAIL memory_forks_give_their_memory_back: ${line:-no result} (status $status)"
	tail -n 8 "$tmp/out" | sed 's/^/  | /'
fi
