#!/usr/bin/env bash
# The console as a Linux program's terminal: bytes given with
# `tools/atoll run --input` reach the program through the personality's
# line discipline. The boot's shell and busybox sh run commands typed at
# their prompt, cat reads
# edited lines up to ^D, tty/lines.c reads lines through C stdio (readv),
# and tty/rawread.c reads in raw mode (VMIN, VTIME),
# back in canonical mode, and asks the terminal's ioctls (its lines are
# what Linux prints on a pty given the same input after it set raw mode;
# only the window size differs: 24x80 here, 0x0 on a fresh pty). busybox
# sh's job control stops background jobs that read the terminal or write
# it with TOSTOP (SIGTTIN, SIGTTOU), and tty/jobctl.c makes a background
# group's calls with those signals blocked, ignored and caught.
set -uo pipefail
cd "$(dirname "$0")/../.."

BUSYBOX=${BUSYBOX:-/bin/busybox}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
failed=0
if [ ! -x "$BUSYBOX" ] || ! command -v musl-gcc >/dev/null; then
	echo "FAIL tty_tools: needs $BUSYBOX (busybox-static) and musl-gcc (musl-tools)"
	exit 1
fi
cp "$BUSYBOX" "$tmp/bin/busybox"
for prog in rawread lines jobctl; do
	if ! musl-gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/bin/$prog" "tests/system/tty/$prog.c"; then
		echo "FAIL tty_build: tests/system/tty/$prog.c does not build"
		exit 1
	fi
done

# run NAME INPUT [ATOLL-OPTION...] -- COMMAND...: boot with INPUT as the
# console's input; the console without \r and log lines in $tmp/NAME, the
# status in $status.
run() {
	local name=$1
	printf '%b' "$2" >"$tmp/$name.in"
	shift 2
	tools/atoll run --no-build --timeout 60 --input "$tmp/$name.in" --add "$tmp/bin:/bin" \
		"$@" >"$tmp/$name.raw" 2>&1
	status=$?
	tr -d '\r' <"$tmp/$name.raw" | grep -avE '^(proc|linux|uart16550): ' >"$tmp/$name"
}

check() { # NAME CONDITION-STATUS WHY
	if [ "$2" = 0 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: $3"
		tail -n 12 "$tmp/$4" | sed 's/^/  | /'
		failed=1
	fi
}

# compare NAME TEST: the run NAME ended with status 0 and printed the lines
# of $tmp/NAME.want, which the caller took into $tmp/NAME.got.
compare() {
	diff "$tmp/$1.want" "$tmp/$1.got" >"$tmp/$1.diff"
	local ok=$?
	[ "$status" = 0 ] || ok=1
	check "$2" $ok "status $status, or lines differ from Linux's" "$1.diff"
}

# busybox sh reads commands at its prompt.
run sh 'echo hi; exit 3\n' -- linux /bin/busybox sh
ok=1
[ "$status" = 3 ] && grep -qx 'hi' "$tmp/sh" && grep -q '# echo hi; exit 3$' "$tmp/sh" && ok=0
check tty_sh_runs_typed_commands $ok "status $status (wanted 3), or no 'hi' after the typed line" sh

# The default boot: the console starts in busybox's sh (no job control
# without process groups), and its exit brings the monitor's prompt back.
printf 'echo from the console\nexit\n' >"$tmp/boot.in"
tools/atoll run --no-build --timeout 15 --input "$tmp/boot.in" >"$tmp/boot.raw" 2>&1
status=$?
tr -d '\r' <"$tmp/boot.raw" >"$tmp/boot"
ok=1
[ "$status" = 124 ] && grep -qx 'from the console' "$tmp/boot" &&
	sed -n '/^from the console$/,$p' "$tmp/boot" | grep -q '^Atoll monitor' && ok=0
check tty_boot_shell_reads_the_console $ok "no shell output, or no monitor prompt after its exit (status $status)" boot

# cat: lines edited with DEL and ^U, then ^D at the start of a line ends it.
run cat 'line one\nabx\x7fc\njunk\x15good\n\x04' -- linux /bin/busybox cat
ok=1
[ "$status" = 0 ] && [ "$(grep -cx 'line one' "$tmp/cat")" = 2 ] &&
	grep -qx 'abc' "$tmp/cat" && grep -qx 'good' "$tmp/cat" && ok=0
check tty_cat_reads_edited_lines_until_eof $ok "status $status (wanted 0), or the lines are not there" cat
printf 'abx\b \bc' >"$tmp/erase_echo"
grep -qF "$(cat "$tmp/erase_echo")" "$tmp/cat.raw"
check tty_erase_is_echoed_as_backspace_space_backspace $? "no 'abx\\b \\bc' in the echo" cat

# 19 KB of input, more than the serial driver's ring and the terminal's
# buffer hold together: flow control keeps every byte until it is read.
big=$(for i in $(seq 1 300); do
	printf 'line %03d the quick brown fox jumps over the lazy dog 0123456789\\n' "$i"
done)
run big "$big\\x04" -- linux /bin/busybox wc -l
ok=1
[ "$status" = 0 ] && grep -qx '300' "$tmp/big" && ok=0
check tty_large_input_is_not_lost $ok "status $status (wanted 0), or wc -l did not count 300 lines" big

# ^C (VINTR) posts SIGINT to the foreground group: cat dies of it, after
# the input it had was flushed (status 128 + 2, which the monitor reports
# as its highest, 122); and ^\ SIGQUIT (128 + 3).
run intr 'abc\x03' -- linux /bin/busybox cat
ok=1
grep -q '^abc^Cmonitor: status 130 ' "$tmp/intr" && ok=0
check tty_ctrl_c_interrupts_the_foreground_group $ok "no 'abc^C' echo and status 130" intr
run quit 'x\x1c' -- linux /bin/busybox cat
grep -q 'monitor: status 131 ' "$tmp/quit"
check tty_ctrl_backslash_quits $? "not ended by SIGQUIT (status 131)" quit

# C stdio reads the terminal with readv; ^D after text ends the line
# without a newline, ^D alone then ends the file.
run lines 'alpha\nbeta\ngam\x04\x04' -- linux /bin/lines
ok=1
[ "$status" = 0 ] && grep -q 'got 1: \[alpha\]$' "$tmp/lines" && grep -qx 'got 2: \[beta\]' "$tmp/lines" &&
	grep -qx 'got 3: \[gam\]' "$tmp/lines" && grep -qx 'end of file after 3 lines' "$tmp/lines" && ok=0
check tty_stdio_reads_lines_with_readv $ok "status $status (wanted 0), or the lines are not there" lines

# Raw mode, VMIN and VTIME, and the terminal's ioctls.
run raw 'abcdefgh\nline two\n' -- linux /bin/rawread
cat >"$tmp/raw.want" <<'WANT'
tcgetattr: 0
default lflag ICANON ECHO ISIG: yes
default oflag OPOST ONLCR: yes
default VERASE DEL, VEOF ^D, VINTR ^C: yes
raw mode set: yes
raw read of 3, VMIN 3: 3 "abc"
raw read of 2, VMIN 3: 2 "de"
raw read of 3, VMIN 0: 3 "fgh"
FIONREAD: 0 10
poll with input waiting: 1 revents 0x1
canonical read of what was pending: 10 "\nline two\n"
poll, nothing waiting, 50 ms: 0 revents 0x0
raw read, VMIN 0 VTIME 2, no input: 0 ""
TIOCGWINSZ: 0 24x80
TIOCSWINSZ then TIOCGWINSZ: 50x132
tcgetpgrp is our pid: yes
tcsetpgrp to our pid: 0
tcsetpgrp to a group that does not exist: -1 No such process
tcflush TCIFLUSH: 0
tcflush 7: -1 Invalid argument
tcflow TCOON: 0
TCGETS to a bad pointer: -1 Bad address
TCGETS on a pipe: -1 Not a tty
isatty(0) 1 isatty(pipe) 0
rawread done
WANT
sed -n '/^tcgetattr: /,/^rawread done$/p' "$tmp/raw" >"$tmp/raw.got"
compare raw tty_raw_mode_vmin_vtime_and_ioctls

# Job control in busybox sh: a background job that reads the terminal
# stops (SIGTTIN), one that writes it stops only with TOSTOP (SIGTTOU), as
# does one that sets the terminal's modes; fg continues a stopped job,
# whose call is made again. With the signal ignored, a background read is
# EIO and a write goes out; a group without a parent in the session
# (orphaned) reads EIO. The lines are those busybox sh prints on a Linux
# pty given the same commands (python's pty module), where typed lines are
# also echoed and output may follow a prompt on its line. The input is
# typed at once, so it waits in the terminal while the shell reads it a
# byte at a time in raw mode; the last line is head's input, which the
# canonical read after fg takes as one line. The job whose write goes out
# sleeps first, so that it writes while the shell waits for it, not while
# the shell echoes the next typed line.
jobs_input='cat &
sleep 1
jobs
kill -9 %1
wait
stty tostop
echo hi &
sleep 1
jobs
kill -9 %1
wait
echo again &
sleep 1
fg
stty -tostop
echo bye &
wait
stty -echo &
sleep 1
kill -9 %1
wait
(trap "" TTIN; exec cat) &
wait
(cat <&3 &) 3<&0
sleep 1
stty tostop
(trap "" TTOU; sleep 1; exec echo ignored) &
wait
stty -tostop
head -n 1 &
sleep 1
fg; echo "fg status $?"; exit
line for head
'
run jobs "$jobs_input" -- linux /bin/busybox sh
cat >"$tmp/jobs.want" <<'WANT'
[1]+  Stopped (tty input)        cat
[1]+  Stopped (tty input)        cat
[1]+  Killed                     cat
[1]+  Stopped (tty output)       echo hi
[1]+  Stopped (tty output)       echo hi
[1]+  Killed                     echo hi
[1]+  Stopped (tty output)       echo again
echo again
again
bye
[1]+  Done                       echo bye
[1]+  Stopped (tty output)       stty -echo
[1]+  Killed                     stty -echo
cat: read error: Input/output error
[1]+  Done(1)                    (trap "" TTIN; exec cat)
cat: read error: Input/output error
ignored
[1]+  Done                       (trap "" TTOU; sleep 1; exec echo ignored)
[1]+  Stopped (tty input)        head -n 1
head -n 1
line for head
fg status 0
WANT
sed 's/\x1b\[6n//g; s/^~ # //' "$tmp/jobs" |
	grep -aE '^(\[1\]|cat: |bye$|ignored$|again$|hi$|line for head$|fg status|echo again$|head -n 1$)' \
		>"$tmp/jobs.got"
compare jobs tty_job_control_sigttin_sigttou

# A background group's reads, writes and mode changes with SIGTTIN and
# SIGTTOU blocked, ignored and caught, and an orphaned group's
# (tty/jobctl.c); the lines are those Linux prints on a pty.
run jobctl '' -- linux /bin/jobctl
cat >"$tmp/jobctl.want" <<'WANT'
read, SIGTTIN blocked: I/O error
read, SIGTTIN ignored: I/O error
read, SIGTTIN caught: Interrupted system call
  the handler ran: 1
TCGETS needs no foreground: 0
tcgetpgrp is the parent's group: yes
written
write, TOSTOP clear: 8
tcsetattr, SIGTTOU blocked: 0
tcsetattr, SIGTTOU caught: Interrupted system call
  the handler ran: 1
tcsetattr TOSTOP, SIGTTOU ignored: 0
ignored
write, TOSTOP, SIGTTOU ignored: 8
blocked
write, TOSTOP, SIGTTOU blocked: 8
tcsetattr back: 0
write, TOSTOP, SIGTTOU caught: Interrupted system call
  the handler ran: 1
the child ended: yes
orphaned: read: I/O error
orphaned: tcsetattr: I/O error
orphaned: tcsetpgrp: Not a tty
jobctl done
WANT
sed -n '/^read, SIGTTIN blocked/,/^jobctl done$/p' "$tmp/jobctl" >"$tmp/jobctl.got"
compare jobctl tty_background_group_blocked_ignored_caught_orphaned

# The serial driver restarts while a program waits for console input:
# the personality hears of the new driver from proc (NS_WATCH), connects
# and registers for input again, and the input typed afterwards arrives.
sed '/^service linux/,$d' user/boot/manifest >"$tmp/manifest"
sed -n '/^service linux/,$p' user/boot/manifest >>"$tmp/manifest"
cat >>"$tmp/manifest" <<'MANIFEST'

service uartkill
    binary /boot/uartkill
    args lines
    priority 1
    restart never
MANIFEST
run restart 'after the restart\n\x04' --manifest "$tmp/manifest" \
	--input-after 'uartkill: the serial driver restarted' -- linux /bin/lines
ok=1
[ "$status" = 0 ] && grep -q 'got 1: \[after the restart\]$' "$tmp/restart" &&
	grep -q '^uartkill: the serial driver restarted' "$tmp/restart" && ok=0
check tty_input_survives_a_serial_driver_restart $ok "status $status (wanted 0), or the line did not arrive" restart

exit $failed
