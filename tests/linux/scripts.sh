#!/usr/bin/env bash
# The busybox script suite: every tests/linux/scripts/NAME.sh runs under
# busybox sh on the host and on Atoll (one boot for all of them), with
# busybox's applets first on PATH; each script's output and exit status
# must be the same on both. The host run is the expectation.
#
#   tests/linux/scripts.sh [NAME...]     (default: every script)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

BUSYBOX=${BUSYBOX:-/bin/busybox}
if [ ! -x "$BUSYBOX" ]; then
	echo "FAIL scripts_busybox_present: $BUSYBOX is missing (apt-get install busybox-static)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/suite" "$tmp/applets"
if [ $# -gt 0 ]; then
	for name in "$@"; do cp "tests/linux/scripts/$name.sh" "$tmp/suite/"; done
else
	cp tests/linux/scripts/*.sh "$tmp/suite/"
fi
"$BUSYBOX" --install -s "$tmp/applets"

# Each script, between "=== NAME" and "=== status N" lines. Its output
# goes through a pipe, as on the host: on Atoll the console is a terminal.
driver='for f in "$SUITE"/*.sh; do n=${f##*/}; echo "=== ${n%.sh}"; { sh "$f" </dev/null 2>&1; echo "=== status $?"; } | cat; done'
(cd "$tmp" && env -i PATH="$tmp/applets" HOME=/ SUITE="$tmp/suite" "$BUSYBOX" sh -c "$driver") \
	>"$tmp/host" 2>&1
tools/atoll run --no-build --timeout 240 --add "$tmp/suite:/suite" -- \
	sh -c "SUITE=/suite; $driver" >"$tmp/atoll" 2>&1
status=$?

# section NAME FILE: the lines of script NAME, without \r and log lines.
section() {
	tr -d '\r' <"$2" | awk -v begin="=== $1" '
		$0 == begin { on = 1; next }
		on && /^=== / { print; exit }
		on && !/^(proc|linux|uart16550|monitor|kernel|atoll|qemu-run): / { print }'
}

failed=0
for f in "$tmp"/suite/*.sh; do
	name=$(basename "$f" .sh)
	section "$name" "$tmp/host" >"$tmp/want"
	section "$name" "$tmp/atoll" >"$tmp/got"
	if [ ! -s "$tmp/got" ]; then
		echo "FAIL scripts_$name: no output on Atoll (tools/atoll status $status)"
		tr -d '\r' <"$tmp/atoll" | tail -n 6 | sed 's/^/  | /'
		failed=1
	elif cmp -s "$tmp/want" "$tmp/got"; then
		echo "PASS scripts_$name"
	else
		echo "FAIL scripts_$name: the output differs from the host's (< host, > Atoll)"
		diff "$tmp/want" "$tmp/got" | head -n 12 | sed 's/^/  | /'
		failed=1
	fi
done
exit $failed
