#!/usr/bin/env bash
# The Linux ABI suite: every tests/linux/src/NAME.c is built with
# `musl-gcc -static`, run on this host and on Atoll (`linux /bin/NAME` in
# the monitor), and the two runs must print the same lines between
# "=== NAME" and "=== end" and exit with the same status. The host run is the
# expectation. One line per program: "PASS linux_NAME" or "FAIL linux_NAME: why".
#
#   tests/linux/run.sh [NAME...]     (default: every program)
#
# LINUX_TEST_TIMEOUT (default 20) limits one boot in seconds; the whole suite
# stops booting after LINUX_TEST_BUDGET (default 50) seconds, and the
# programs not yet run then fail as "not run". LINUX_TEST_ATOLL replaces
# tools/atoll (to test this script with a stand-in).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SRC=tests/linux/src
BIN=build/tests/linux/bin
CFLAGS=(-static -O2 -Wall -Wextra -Werror)
BOOT_TIMEOUT=${LINUX_TEST_TIMEOUT:-20}
BUDGET=${LINUX_TEST_BUDGET:-50}
HOST_TIMEOUT=10
ATOLL=${LINUX_TEST_ATOLL:-tools/atoll}
# Lines from these sources share the console with the program's output and
# may land between its markers; test programs never print "WORD: " with
# one of these words first.
LOG_SOURCES='proc|linux|uart16550|monitor|kernel|atoll|qemu-run'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "FAIL linux_$1: $2"
	failed=1
}

# clean FILE: its text without \r and terminal escapes (SeaBIOS's "ESC c"
# would reset the terminal).
clean() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[ -\/]*[@-~]//g; s/\x1b[^[]//g'
}

# show FILE [N]: its last N lines (8), indented, as the context of a FAIL line.
show() {
	clean "$1" | tail -n "${2:-8}" | sed 's/^/  | /'
}

# extract NAME FILE: the lines between "=== NAME" and "=== end", without
# log lines. Status 0 with both markers, 2 without the end marker, 1
# without the begin marker.
extract() {
	clean "$2" |
		awk -v begin="=== $1" -v logs="^($LOG_SOURCES): " '
			!on && $0 == begin { on = 1; next }
			on && $0 == "=== end" { found = 1; exit }
			on && $0 !~ logs { print }
			END { exit found ? 0 : (on ? 2 : 1) }'
}

# status_text STATUS: what an exit status of tools/atoll means.
status_text() {
	case $1 in
	123) echo "status 123: atoll could not build or start the system" ;;
	124) echo "status 124: timed out" ;;
	125) echo "status 125: the kernel refused to boot" ;;
	126) echo "status 126: kernel panic" ;;
	127) echo "status 127: the guest reset or powered off without a status" ;;
	*) echo "status $1" ;;
	esac
}

# first_difference WANT GOT: "line N: wanted 'A', got 'B'" for the first
# line where the files differ.
first_difference() {
	awk '
		NR == FNR { want[FNR] = $0; nwant = FNR; next }
		{ got[FNR] = $0; ngot = FNR }
		END {
			n = nwant > ngot ? nwant : ngot
			for (i = 1; i <= n; i++) {
				w = i <= nwant ? "'\''" want[i] "'\''" : "nothing"
				g = i <= ngot ? "'\''" got[i] "'\''" : "nothing"
				if (w != g) {
					printf "line %d: wanted %s, got %s\n", i, w, g
					exit
				}
			}
		}' "$1" "$2"
}

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for src in "$SRC"/*.c; do
		[ -e "$src" ] && names+=("$(basename "$src" .c)")
	done
fi

if ! command -v musl-gcc >/dev/null 2>&1; then
	for name in "${names[@]}"; do
		fail "$name" "musl-gcc is not installed (tools/deps test installs musl-tools)"
	done
	exit 1
fi

# Build. Only the programs built now go into the boot archive.
rm -rf "$BIN"
mkdir -p "$BIN"
built=()
for name in "${names[@]}"; do
	if [ ! -f "$SRC/$name.c" ]; then
		fail "$name" "no such program: $SRC/$name.c"
	elif ! musl-gcc "${CFLAGS[@]}" -o "$BIN/$name" "$SRC/$name.c" >"$tmp/$name.build" 2>&1; then
		fail "$name" "musl-gcc failed"
		show "$tmp/$name.build" 12
	else
		built+=("$name")
	fi
done

# Run on the host: standard error joins standard output, as both go to the
# console on Atoll.
ready=()
for name in "${built[@]}"; do
	(cd "$tmp" && timeout "$HOST_TIMEOUT" "$OLDPWD/$BIN/$name" </dev/null >"$name.host" 2>&1)
	echo $? >"$tmp/$name.host.status"
	if ! extract "$name" "$tmp/$name.host" >"$tmp/$name.want"; then
		fail "$name" "the host run is not '=== $name' ... '=== end' (status $(cat "$tmp/$name.host.status")): fix the test"
		show "$tmp/$name.host"
	else
		ready+=("$name")
	fi
done

# Run on Atoll, one boot per program, one boot at a time.
start=$SECONDS
for name in "${ready[@]}"; do
	left=$((BUDGET - (SECONDS - start)))
	if [ "$left" -lt 5 ]; then
		fail "$name" "not run: the suite's ${BUDGET} s budget is spent (earlier boots timed out?)"
		continue
	fi
	timeout=$((left < BOOT_TIMEOUT ? left : BOOT_TIMEOUT))
	"$ATOLL" run --no-build --timeout "$timeout" --add "$BIN:/bin" -- linux "/bin/$name" \
		>"$tmp/$name.atoll" 2>&1
	status=$?
	want_status=$(cat "$tmp/$name.host.status")

	extract "$name" "$tmp/$name.atoll" >"$tmp/$name.got"
	markers=$?
	if [ "$markers" -eq 1 ]; then
		fail "$name" "no '=== $name' line on the console ($(status_text "$status"))"
		show "$tmp/$name.atoll"
		continue
	fi
	if ! cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
		why=$(first_difference "$tmp/$name.want" "$tmp/$name.got")
		[ "$markers" -eq 2 ] && why="$why (no '=== end': $(status_text "$status"))"
		fail "$name" "$why"
		diff -u --label host --label atoll "$tmp/$name.want" "$tmp/$name.got" |
			head -n 20 | sed 's/^/  | /'
		continue
	fi
	if [ "$markers" -eq 2 ]; then
		fail "$name" "no '=== end' line on the console ($(status_text "$status"))"
		show "$tmp/$name.atoll" 4
		continue
	fi
	if [ "$status" != "$want_status" ]; then
		fail "$name" "exit $(status_text "$status") on Atoll, status $want_status on the host"
		show "$tmp/$name.atoll" 4
		continue
	fi
	echo "PASS linux_$name"
done
exit $failed
