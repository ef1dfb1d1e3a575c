#!/usr/bin/env bash
# The runner itself: tools/mkboot's archives (byte for byte reproducible,
# every entry and field as cpio newc wants it, bad input refused with a clear
# message) and tools/atoll's preparation of a boot (manifest rewriting, the
# binaries it packs, its errors, how it reports each way a boot ends).
# Boots use build/bootcheck.elf as the root task, so they need no proc and no
# monitor. One PASS/FAIL line per check.
set -uo pipefail
cd "$(dirname "$0")/../.."

KERNEL=build/atoll.elf
BOOTCHECK=build/bootcheck.elf
for f in "$KERNEL" "$BOOTCHECK"; do
	if [ ! -f "$f" ]; then
		echo "FAIL runner: $f is missing (make all)"
		exit 1
	fi
done
if ! command -v cpio >/dev/null; then
	echo "FAIL runner: cpio is not installed (tools/deps build)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
pass() { echo "PASS $1"; }
# fail NAME WHY [FILE]: FILE's last lines are shown under the FAIL line.
fail() {
	failed=1
	echo "FAIL $1: $2"
	if [ $# -ge 3 ] && [ -f "$3" ]; then
		tr -d '\r' <"$3" | tail -n 8 | sed 's/^/  | /'
	fi
}

# A tree to pack: nested directories, an empty one, an executable, symlinks.
tree=$tmp/tree
mkdir -p "$tree/sub/deeper" "$tree/empty" "$tmp/boot-bin"
echo hello >"$tree/a.txt"
printf '#!/bin/sh\necho run\n' >"$tree/sub/run"
chmod 755 "$tree/sub/run"
printf 'odd size' >"$tree/sub/deeper/data" # 8 bytes; names of every length mod 4 below
printf 'x' >"$tree/sub/deeper/b"
printf 'xy' >"$tree/sub/deeper/bb"
printf 'xyz' >"$tree/sub/deeper/bbb"
ln -s ../a.txt "$tree/sub/link"
ln -s /etc "$tree/outside" # stored as a link, never followed
printf 'service monitor\n    binary /boot/monitor\n' >"$tmp/manifest"
printf 'fake monitor\n' >"$tmp/boot-bin/monitor"
chmod 755 "$tmp/boot-bin/monitor"
monitor_file=/boot/monitor=$tmp/boot-bin/monitor

mkboot() { tools/mkboot "$@"; }

# --- tools/mkboot --------------------------------------------------------------

if mkboot -o "$tmp/one.cpio" --manifest "$tmp/manifest" --file "$monitor_file" \
	--add "$tree" --add "$tree:/x/y" 2>"$tmp/err" &&
	mkboot -o "$tmp/two.cpio" --manifest "$tmp/manifest" --file "$monitor_file" \
		--add "$tree" --add "$tree:/x/y" 2>>"$tmp/err" &&
	cmp -s "$tmp/one.cpio" "$tmp/two.cpio"; then
	pass mkboot_same_inputs_same_bytes
else
	fail mkboot_same_inputs_same_bytes "two builds of the same inputs differ" "$tmp/err"
fi

# Other option order, other mtimes and spellings of the same paths: the same archive.
touch -d '2001-02-03 04:05:06' "$tree/a.txt" "$tree/sub" "$tmp/manifest"
if mkboot -o "$tmp/three.cpio" --manifest "$tmp/manifest" --add "$tree/:x//y/" --add "$tree" \
	--file boot/./monitor="$tmp/boot-bin/monitor" 2>"$tmp/err" &&
	cmp -s "$tmp/one.cpio" "$tmp/three.cpio"; then
	pass mkboot_ignores_option_order_and_mtimes
else
	fail mkboot_ignores_option_order_and_mtimes "other order or mtimes, other bytes" "$tmp/err"
fi

expected_list="boot
boot/manifest
boot/monitor
tree
tree/a.txt
tree/empty
tree/outside
tree/sub
tree/sub/deeper
tree/sub/deeper/b
tree/sub/deeper/bb
tree/sub/deeper/bbb
tree/sub/deeper/data
tree/sub/link
tree/sub/run
x
x/y
x/y/a.txt
x/y/empty
x/y/outside
x/y/sub
x/y/sub/deeper
x/y/sub/deeper/b
x/y/sub/deeper/bb
x/y/sub/deeper/bbb
x/y/sub/deeper/data
x/y/sub/link
x/y/sub/run"
if list=$(cpio --quiet -it <"$tmp/one.cpio" 2>"$tmp/err") && [ "$list" = "$expected_list" ] &&
	[ ! -s "$tmp/err" ]; then
	pass mkboot_lists_parents_nested_dirs_and_links
else
	diff <(echo "$expected_list") <(echo "${list:-}") >"$tmp/diff"
	cat "$tmp/err" >>"$tmp/diff"
	fail mkboot_lists_parents_nested_dirs_and_links "cpio -t: other entries (< expected)" "$tmp/diff"
fi

# GNU cpio unpacks it to the same tree, links as links.
out=$tmp/unpacked
mkdir "$out"
if (cd "$out" && cpio --quiet -idm <"$tmp/one.cpio") 2>"$tmp/err" &&
	diff -r --no-dereference "$tree" "$out/tree" >"$tmp/diff" 2>&1 &&
	diff -r --no-dereference "$tree" "$out/x/y" >>"$tmp/diff" 2>&1 &&
	[ "$(readlink "$out/tree/outside")" = /etc ] &&
	[ -x "$out/tree/sub/run" ] && [ ! -x "$out/tree/a.txt" ] &&
	cmp -s "$out/boot/manifest" "$tmp/manifest"; then
	pass mkboot_unpacks_to_the_same_tree
else
	cat "$tmp/err" >>"$tmp/diff"
	fail mkboot_unpacks_to_the_same_tree "cpio -idm gives a different tree" "$tmp/diff"
fi

# Every header field, read by a reader of our own rather than GNU cpio's; each
# entry's type, mode and data are checked against the host file it came from.
if python3 - "$tmp/one.cpio" "$tree" "$tmp/boot-bin" >"$tmp/fields" 2>&1 <<'EOF'; then
import os
import stat
import sys

archive, tree, boot_bin = sys.argv[1:]
data = open(archive, "rb").read()
names = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
         "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"]
dirs = {"boot", "tree", "x", "x/y"}
problems = []


def source(name):
    """The host file an entry came from."""
    if name == "boot/monitor":
        return os.path.join(boot_bin, "monitor")
    for prefix in ("tree/", "x/y/"):
        if name.startswith(prefix):
            return os.path.join(tree, name[len(prefix):])
    raise KeyError(name)


def expected_mode(name):
    if name in dirs:
        return 0o040755
    if name == "boot/manifest":
        return 0o100644
    st = os.lstat(source(name))
    if stat.S_ISLNK(st.st_mode):
        return 0o120777
    if stat.S_ISDIR(st.st_mode):
        return 0o040755
    return 0o100755 if st.st_mode & 0o111 else 0o100644


off, count = 0, 0
while True:
    if data[off:off + 6] != b"070701":
        problems.append(f"no 070701 magic at offset {off}")
        break
    f = dict(zip(names, (int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i in range(13))))
    name_end = off + 110 + f["namesize"]
    name = data[off + 110:name_end - 1].decode()
    pad = -(110 + f["namesize"]) % 4
    body_start = name_end + pad
    body_end = body_start + f["filesize"]
    body = data[body_start:body_end]
    dpad = -f["filesize"] % 4
    if data[name_end - 1] != 0 or data[name_end:body_start] != b"\0" * pad:
        problems.append(f"{name}: name not NUL-terminated and zero-padded to 4")
    if data[body_end:body_end + dpad] != b"\0" * dpad:
        problems.append(f"{name}: data not zero-padded to 4")
    off = body_end + dpad
    for k in ("uid", "gid", "mtime", "devmajor", "devminor", "rdevmajor", "rdevminor", "check"):
        if f[k]:
            problems.append(f"{name}: {k} is {f[k]}, not 0")
    if name == "TRAILER!!!":
        if f["mode"] or f["filesize"] or f["ino"]:
            problems.append("the trailer has a mode, a size or an inode")
        break
    count += 1
    if f["ino"] != count:
        problems.append(f"{name}: inode {f['ino']}, expected {count} (numbered in order)")
    mode = expected_mode(name)
    if f["mode"] != mode:
        problems.append(f"{name}: mode {f['mode']:o}, expected {mode:o}")
    if stat.S_ISDIR(mode) and (f["filesize"] or f["nlink"] != 2):
        problems.append(f"{name}: a directory with data or nlink {f['nlink']}")
    if stat.S_ISLNK(mode) and body != os.fsencode(os.readlink(source(name))):
        problems.append(f"{name}: link data {body!r} is not the link's target")
    if stat.S_ISREG(mode) and name != "boot/manifest":
        with open(source(name), "rb") as host:
            if body != host.read():
                problems.append(f"{name}: data differs from the host file")
if off != len(data):
    problems.append(f"{len(data) - off} bytes after the trailer")
if count != 28:
    problems.append(f"{count} entries, expected 28")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
	pass mkboot_header_fields_modes_and_padding
else
	fail mkboot_header_fields_modes_and_padding "$(head -n 1 "$tmp/fields")" "$tmp/fields"
fi

# expect_refusal NAME PATTERN MKBOOT_ARGS...: mkboot must exit 1, write no
# archive and say PATTERN (an extended regex) on stderr.
expect_refusal() {
	local name=$1 pattern=$2
	shift 2
	rm -f "$tmp/refused.cpio"
	tools/mkboot -o "$tmp/refused.cpio" --manifest "$tmp/manifest" "$@" >"$tmp/err" 2>&1
	local status=$?
	if [ $status -ne 1 ]; then
		fail "$name" "exit status $status, expected 1" "$tmp/err"
	elif [ -e "$tmp/refused.cpio" ]; then
		fail "$name" "an archive was written anyway" "$tmp/err"
	elif ! grep -Eq "^mkboot: .*$pattern" "$tmp/err"; then
		fail "$name" "no message matching '$pattern'" "$tmp/err"
	else
		pass "$name"
	fi
}

expect_refusal mkboot_refuses_the_same_file_twice "/boot/monitor is given twice" \
	--file /boot/monitor="$tmp/manifest" --file boot//monitor="$tmp/manifest"
expect_refusal mkboot_refuses_a_tree_overlapping_a_file "/x/a.txt is given twice" \
	--file /x/a.txt="$tmp/manifest" --add "$tree:/x"
expect_refusal mkboot_refuses_a_file_where_a_tree_puts_a_dir "/tree/sub would be a directory" \
	--file /tree/sub="$tmp/manifest" --add "$tree"
expect_refusal mkboot_refuses_dotdot_in_a_file_path "'\.\.' is not allowed" \
	--file /boot/../etc/x="$tmp/manifest"
expect_refusal mkboot_refuses_dotdot_in_a_guest_dir "'\.\.' is not allowed" \
	--add "$tree:/a/../../b"
expect_refusal mkboot_refuses_a_missing_add_dir "no such directory: $tmp/nonexistent" \
	--add "$tmp/nonexistent"
expect_refusal mkboot_refuses_a_file_as_add_dir "not a directory: $tmp/manifest" \
	--add "$tmp/manifest"
expect_refusal mkboot_refuses_a_missing_file "cannot read $tmp/nonexistent" \
	--file /boot/x="$tmp/nonexistent"
expect_refusal mkboot_refuses_file_without_host_path "expected ARCHIVE_PATH=HOST_PATH" \
	--file /boot/x
mkdir "$tmp/fifo-tree" && mkfifo "$tmp/fifo-tree/fifo"
expect_refusal mkboot_refuses_a_fifo "cannot store this kind of file" --add "$tmp/fifo-tree"

# The --manifest file wins over a boot/manifest inside a tree, with a warning.
mkdir -p "$tmp/sysroot/boot"
echo "stale manifest" >"$tmp/sysroot/boot/manifest"
if mkboot -o "$tmp/m.cpio" --manifest "$tmp/manifest" --add "$tmp/sysroot:/" 2>"$tmp/err" &&
	grep -q "^mkboot: warning: --manifest .* replaces /boot/manifest" "$tmp/err" &&
	mkdir "$tmp/m" && (cd "$tmp/m" && cpio --quiet -id <"$tmp/m.cpio") 2>>"$tmp/err" &&
	cmp -s "$tmp/m/boot/manifest" "$tmp/manifest"; then
	pass mkboot_manifest_option_replaces_a_trees_manifest
else
	fail mkboot_manifest_option_replaces_a_trees_manifest "stale one kept or no warning" "$tmp/err"
fi

# --- tools/atoll: everything up to the boot ------------------------------------

# atoll_dry NAME [ARGS...]: tools/atoll run --dry-run; status in $status.
atoll_dry() {
	tools/atoll run --no-build --dry-run "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

atoll_dry --manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" --add "$tree:/data" \
	-- echo 'a "quoted" word' 'back\slash'
want='service monitor
    binary /boot/monitor
    args -c "echo \"a \\\"quoted\\\" word\" \"back\\\\slash\""
    restart never'
if [ $status -ne 0 ]; then
	fail atoll_command_becomes_monitor_args "exit status $status" "$tmp/err"
elif [ "$(cat build/run/manifest)" != "$want" ]; then
	cp build/run/manifest "$tmp/got"
	fail atoll_command_becomes_monitor_args "build/run/manifest is not as expected" "$tmp/got"
else
	pass atoll_command_becomes_monitor_args
fi
if [ $status -eq 0 ] &&
	cpio --quiet -it <build/run/boot.cpio 2>>"$tmp/err" | grep -qx data/sub/deeper/data &&
	grep -q "build/atoll.elf build/proc.elf build/run/boot.cpio$" "$tmp/out"; then
	pass atoll_packs_add_trees_and_boots_proc
else
	fail atoll_packs_add_trees_and_boots_proc "tree not in the archive, or odd command" "$tmp/out"
fi

# Debian's busybox is the root file system by default: /bin/busybox with its
# applet links; --no-busybox leaves it out, a --busybox that is missing is
# an error, and an --add tree's own file wins over a link.
if [ -x /bin/busybox ]; then
	mkdir -p "$tmp/own" && printf 'mine\n' >"$tmp/own/ls"
	atoll_dry --manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" --add "$tmp/own:/bin"
	listing=$(cpio --quiet -itv <build/run/boot.cpio 2>>"$tmp/err")
	if [ $status -eq 0 ] && grep -q ' bin/busybox$' <<<"$listing" &&
		grep -q ' usr/bin/awk -> /bin/busybox$' <<<"$listing" &&
		grep -q '^-.* bin/ls$' <<<"$listing"; then
		pass atoll_stores_busybox_and_its_applet_links
	else
		fail atoll_stores_busybox_and_its_applet_links "status $status" "$tmp/err"
	fi
fi
atoll_dry --manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" --no-busybox
if [ $status -eq 0 ] && ! cpio --quiet -it <build/run/boot.cpio | grep -q '^bin/'; then
	pass atoll_no_busybox_leaves_it_out
else
	fail atoll_no_busybox_leaves_it_out "status $status" "$tmp/err"
fi
atoll_dry --manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" --busybox "$tmp/none"
if [ $status -eq 123 ] && grep -q "no such file" "$tmp/err"; then
	pass atoll_missing_busybox_is_an_error
else
	fail atoll_missing_busybox_is_an_error "status $status" "$tmp/err"
fi

# Existing args and restart lines are replaced (the only ones left); other
# services are untouched.
cat >"$tmp/manifest2" <<'EOF'
# two services
service kernelcopy
    binary /boot/atoll
    priority 200
    restart always

service monitor
    binary /boot/monitor
    args -i
    restart always
    priority 100
    args --other
EOF
atoll_dry --manifest "$tmp/manifest2" --add "$tmp/boot-bin:/boot" -- ps
want='# two services
service kernelcopy
    binary /boot/atoll
    priority 200
    restart always

service monitor
    binary /boot/monitor
    args -c "ps"
    restart never
    priority 100'
if [ $status -eq 0 ] && [ "$(cat build/run/manifest)" = "$want" ]; then
	pass atoll_command_replaces_args_and_restart
else
	cp build/run/manifest "$tmp/got" 2>/dev/null
	cat "$tmp/err" >>"$tmp/got"
	fail atoll_command_replaces_args_and_restart "status $status or unexpected manifest" "$tmp/got"
fi

# /boot/NAME comes from build/NAME.elf (here the kernel, the one ELF always built).
mkdir -p "$tmp/a"
if [ $status -eq 0 ] &&
	cpio --quiet -i --to-stdout boot/atoll <build/run/boot.cpio >"$tmp/a/atoll" 2>>"$tmp/err" &&
	cmp -s "$tmp/a/atoll" build/atoll.elf; then
	pass atoll_takes_boot_binaries_from_build
else
	fail atoll_takes_boot_binaries_from_build "/boot/atoll is not build/atoll.elf" "$tmp/err"
fi

# CRLF line ends, tabs between words, a quoted binary path: read as proc reads them.
printf 'service monitor\r\n\tbinary\t"/boot/monitor"\r\n\trestart always\r\n' >"$tmp/crlf"
atoll_dry --manifest "$tmp/crlf" --add "$tmp/boot-bin:/boot" -- ps
want=$(printf 'service monitor\n\tbinary\t"/boot/monitor"\n\trestart never\n\targs -c "ps"')
if [ $status -eq 0 ] && [ "$(cat build/run/manifest)" = "$want" ]; then
	pass atoll_reads_crlf_tabs_and_quoted_binary
else
	cp build/run/manifest "$tmp/got" 2>/dev/null
	cat "$tmp/err" >>"$tmp/got"
	fail atoll_reads_crlf_tabs_and_quoted_binary "status $status or unexpected manifest" "$tmp/got"
fi

# Without a command the manifest is packed as it is.
atoll_dry --manifest "$tmp/manifest2" --add "$tmp/boot-bin:/boot"
if [ $status -eq 0 ] && cmp -s build/run/manifest "$tmp/manifest2" &&
	grep -q -- "--timeout 0 " "$tmp/out"; then
	pass atoll_interactive_keeps_manifest_and_has_no_timeout
else
	fail atoll_interactive_keeps_manifest_and_has_no_timeout "manifest changed or timeout set" "$tmp/out"
fi

# expect_atoll_error NAME PATTERN ARGS...: exit 123 and "atoll: ...PATTERN" on stderr.
expect_atoll_error() {
	local name=$1 pattern=$2
	shift 2
	atoll_dry "$@"
	if [ $status -ne 123 ]; then
		fail "$name" "exit status $status, expected 123" "$tmp/err"
	elif ! grep -Eq "^atoll: .*$pattern" "$tmp/err"; then
		fail "$name" "no message matching '$pattern'" "$tmp/err"
	else
		pass "$name"
	fi
}

expect_atoll_error atoll_reports_a_missing_manifest "no manifest: $tmp/nonexistent does not" \
	--manifest "$tmp/nonexistent"
expect_atoll_error atoll_reports_a_missing_add_dir "no such directory: $tmp/nonexistent" \
	--manifest "$tmp/manifest" --add "$tmp/nonexistent"
printf 'service x\n    binary /boot/no-such-service\n' >"$tmp/nobinary"
expect_atoll_error atoll_reports_a_missing_service_binary "build/no-such-service\.elf does not" \
	--manifest "$tmp/nobinary"
printf 'service uart0\n    binary /boot/monitor\n' >"$tmp/nomonitor"
expect_atoll_error atoll_reports_a_manifest_without_monitor "has no 'service monitor'" \
	--manifest "$tmp/nomonitor" --add "$tmp/boot-bin:/boot" -- ps
expect_atoll_error atoll_refuses_a_newline_in_the_command "control character" \
	--manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" -- "$(printf 'a\nb')"
expect_atoll_error atoll_refuses_a_command_too_long_for_args "too long for the manifest" \
	--manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" -- "$(printf 'x%.0s' {1..600})"
expect_atoll_error atoll_passes_mkboot_refusals_on "could not build the boot archive" \
	--manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" --add "$tmp/boot-bin:/boot"

# --- tools/atoll: how a boot ends -----------------------------------------------
# bootcheck as the root task: it prints a line and powers off with status 0.

# atoll_boot ARGS...: a real boot with bootcheck as root task; status in $status.
atoll_boot() {
	tools/atoll run --no-build --manifest "$tmp/manifest" --add "$tmp/boot-bin:/boot" \
		--root-task "$BOOTCHECK" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

atoll_boot --timeout 30 -- ps
if [ $status -eq 0 ] && grep -q "^root task: started" "$tmp/out" && [ ! -s "$tmp/err" ]; then
	pass atoll_boot_exits_0_when_the_guest_does
else
	cat "$tmp/err" >>"$tmp/out"
	fail atoll_boot_exits_0_when_the_guest_does "status $status, or no root task line" "$tmp/out"
fi

head -c 100 "$BOOTCHECK" >"$tmp/truncated.elf"
atoll_boot --timeout 30 --root-task "$tmp/truncated.elf" -- ps
if [ $status -eq 125 ] && grep -q "^atoll: the kernel refused to boot" "$tmp/err"; then
	pass atoll_boot_reports_a_refused_boot
else
	fail atoll_boot_reports_a_refused_boot "status $status, expected 125 and a message" "$tmp/err"
fi

# -S: QEMU starts with the CPU stopped, so the guest never finishes.
atoll_boot --timeout 2 --qemu-arg -S -- ps
if [ $status -eq 124 ] && grep -q "^atoll: timed out after 2 s" "$tmp/err"; then
	pass atoll_boot_reports_a_timeout
else
	fail atoll_boot_reports_a_timeout "status $status, expected 124 and a message" "$tmp/err"
fi

atoll_boot --timeout 30 --qemu-arg=-no-such-option -- ps
if [ $status -eq 123 ] && grep -q "^atoll: QEMU could not be started" "$tmp/err"; then
	pass atoll_boot_reports_qemu_failing
else
	fail atoll_boot_reports_qemu_failing "status $status, expected 123 and a message" "$tmp/err"
fi

exit $failed
