#!/usr/bin/env bash
# Debian's busybox-static, unmodified, on Atoll: each command's output and
# status must equal the same command's on the host (see docs/linux.md).
# Both runs start in a directory holding bin/busybox, so relative paths
# name the same file.
set -uo pipefail
cd "$(dirname "$0")/../.."

BUSYBOX=${BUSYBOX:-/bin/busybox}
if [ ! -x "$BUSYBOX" ]; then
	echo "FAIL busybox_present: $BUSYBOX is missing (apt-get install busybox-static)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cp "$BUSYBOX" "$tmp/bin/busybox"
# Scripts: #! names the interpreter (the host has Debian's busybox at
# /bin/busybox too), or one that does not exist.
printf '#!/bin/busybox sh\necho "$0 has $# arguments: $*"\nexit 5\n' >"$tmp/bin/script"
printf '#!/nowhere/sh\necho never\n' >"$tmp/bin/lost"
chmod +x "$tmp/bin/script" "$tmp/bin/lost"

failed=0
# check NAME ARGS...: busybox ARGS on the host and on Atoll.
check() {
	local name=$1
	shift
	local want got status want_status
	want=$(cd "$tmp" && bin/busybox "$@" 2>&1)
	want_status=$?
	tools/atoll run --no-build --no-busybox --timeout 30 --add "$tmp/bin:/bin" -- \
		linux /bin/busybox "$@" >"$tmp/out" 2>&1
	status=$?
	got=$(tr -d '\r' <"$tmp/out" |
		grep -vE '^(proc|linux|uart16550): |^(Atoll kernel|memory|cpu|acpi|madt|lapic|ioapic|timer|root task)[: ]')
	if [ "$got" = "$want" ] && [ "$status" = "$want_status" ]; then
		echo "PASS busybox_$name"
	else
		echo "FAIL busybox_$name: status $status (host $want_status)"
		diff <(echo "$want") <(echo "$got") | head -n 6 | sed 's/^/  | /'
		failed=1
	fi
}

check echo echo hello from busybox
check uname_sysname uname -s
check expr expr 6 '*' 7
check expr_failure expr 0 + 0
check seq seq 1 5
check printf printf '%s=%d\n' answer 42
check sh_arithmetic sh -c 'echo $((6*7)); x=abcdef; echo ${#x} ${x%def}'
check sh_exit_status sh -c 'exit 3'
check sha256sum_of_itself sha256sum bin/busybox
check wc_of_itself wc -c bin/busybox
# -1: on Atoll the output is the console, a terminal, where ls makes
# columns; on the host it is a pipe.
check ls_of_a_directory ls -1 bin
check cat_of_a_missing_file cat bin/nothing-here
check date_year date -u +%Y
check sh_fork_exec_wait sh -c 'bin/busybox echo a; echo b; bin/busybox sh -c "exit 7"; echo child $?'
check sh_exec_replaces_the_shell sh -c 'exec bin/busybox echo exec-last'
check sh_pipeline sh -c 'bin/busybox echo hello | bin/busybox wc -c'
check sh_command_substitution sh -c 'x=$(bin/busybox echo inner); echo "got $x"'
check sh_pipeline_three_stages sh -c 'bin/busybox seq 1 2000 | bin/busybox sort -rn | bin/busybox head -n 2'
check sh_while_read sh -c 'bin/busybox seq 1 3 | while read x; do echo "line $x"; done'
check sh_passes_empty_arguments sh -c 'bin/busybox printf "[%s]" "" x ""; echo; bin/busybox expr "" = ""; bin/busybox env -i EMPTY= bin/busybox env'
check sh_runs_a_script sh -c 'bin/script one "two words"; echo "status $?"'
check sh_script_without_its_interpreter sh -c 'bin/lost; echo "status $?"'
# Files in a fresh directory under /tmp (mktemp -d: a unique name on both,
# never printed), removed at the end. ls -1: on Atoll the output is the
# console, a terminal. These are scripts in bin/, next to
# busybox, as the monitor's command line is one line of at most 255 bytes.
script() {
	cat >"$tmp/bin/$1.sh"
}
script files_in_tmp <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
echo hi > x && cat x && mkdir sub && mv x sub/y && ls -1 sub && cat sub/y
echo more >> sub/y && cat sub/y && rm -r sub && ls -1a
cd / && rmdir $d && echo removed
EOF_SCRIPT
script text_tools <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
seq 1 20 > n && sort -rn n | head -3
printf 'b\na\nb\nc\n' > w && sort w | uniq -c
sed -n 2,3p n && sed -i s/1/one/ n && grep -c one n
awk '{ s += $1 } END { print s }' n && wc -l < n
cd / && rm -r $d
EOF_SCRIPT
script find_xargs <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
mkdir -p a/b/c && echo 1 > a/1 && echo 2 > a/b/2 && echo 3 > a/b/c/3
find a | sort && find a -type f | sort | xargs cat && find a -name 2
cd / && rm -r $d
EOF_SCRIPT
script tar_gzip <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
mkdir -p a/b && seq 1 500 > a/b/n && ln -s b/n a/l
tar cf t.tar a && tar tf t.tar | sort && gzip t.tar && ls -1
mkdir out && cd out && gunzip -c ../t.tar.gz | tar xf - && tail -1 a/l && readlink a/l
cd / && rm -r $d
EOF_SCRIPT
script cp_ln_chmod_stat <<'EOF_SCRIPT'
b=$PWD/bin/busybox
d=$(mktemp -d) && cd $d || exit 1
cp $b bb && cmp bb $b && echo same
echo text > f && ln f g && ln -s f s && readlink s && chmod 751 f
stat -c '%a %F %h %s' f g && stat -c %F s && ls -1
cd / && rm -r $d
EOF_SCRIPT
script touch_times <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
touch -d '2001-02-03 04:05:06' f && stat -c %Y f && date -u -r f
cd / && rm -r $d
EOF_SCRIPT
script scripts_in_tmp <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
printf '#!/bin/busybox sh\necho "from tmp: $*"\n' > s && chmod +x s && ./s one two
echo 'echo plain, run by the shell' > p && chmod +x p && ./p
cd / && rm -r $d
EOF_SCRIPT
script dev_files <<'EOF_SCRIPT'
echo x > /dev/null && head -c 5 /dev/zero | wc -c
head -c 16 /dev/urandom | wc -c && wc -c < /dev/null
EOF_SCRIPT
# cat and cp move bytes with sendfile: to the console (a pipe on the
# host), into a pipe that fills, to a file.
script cat_sendfile <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
echo small > s && cat s && seq 1 10000 > n && cat n | tail -1
cat n s n > nn && wc -c < nn && cp nn copy && cmp nn copy && echo same
cd / && rm -r $d
EOF_SCRIPT
# A named pipe: opens of its two ends meet, in either order.
script fifo <<'EOF_SCRIPT'
d=$(mktemp -d) && cd $d || exit 1
mkfifo f && test -p f && ls -l f | cut -c1
(echo hi > f &); cat f
seq 1 3 > f & while read x; do echo "got $x"; done < f; wait
cd / && rm -r $d
EOF_SCRIPT

check sh_files_in_tmp sh bin/files_in_tmp.sh
check sh_text_tools_on_files sh bin/text_tools.sh
check sh_find_xargs sh bin/find_xargs.sh
check sh_tar_gzip sh bin/tar_gzip.sh
check sh_cp_ln_chmod_stat sh bin/cp_ln_chmod_stat.sh
check sh_touch_sets_times sh bin/touch_times.sh
check sh_scripts_in_tmp sh bin/scripts_in_tmp.sh
check sh_dev_files sh bin/dev_files.sh
check sh_cat_sendfile sh bin/cat_sendfile.sh
missing=$(grep -E '(sendfile|copy_file_range) is not implemented' "$tmp/out")
if [ -n "$missing" ]; then
	echo "FAIL busybox_cat_has_sendfile: $missing"
	failed=1
else
	echo "PASS busybox_cat_has_sendfile"
fi
check sh_mkfifo sh bin/fifo.sh
check proc_version_and_self sh -c 'cut -c1-13 /proc/version; test -d /proc/self && echo self'
check sh_trap_signal sh -c 'trap "echo got" USR1; kill -USR1 $$; echo after'
check sh_trap_sigchld sh -c 'trap "echo chld" CHLD; bin/busybox true; echo done'
check sh_kill_9_self sh -c 'bin/busybox sh -c "kill -9 \$\$"; echo $?'
check sh_kill_term_self sh -c 'bin/busybox sh -c "kill \$\$; echo not reached"; echo $?'
# ash says "Terminated" when wait finds the job still running, not when it
# was reaped already: a matter of timing, so wait runs with standard
# error closed.
check sh_kill_background_job sh -c 'bin/busybox sh -c "while :; do :; done" & kill $!; wait $! 2>&-; echo $?'
check sleep sleep 1
check usleep usleep 100000
check sh_sleeps_between_commands sh -c 'echo before; sleep 0.2; bin/busybox sleep 0.1; echo after'
check timeout_of_a_quick_command timeout 5 bin/busybox true
check sh_waits_for_a_background_sleep sh -c 'bin/busybox sleep 1 & wait; echo "waited $?"'
check true true
check false false
exit $failed
