#!/bin/sh
# The real daemon under its Landlock ruleset (daemon/landlock.c), fed
# replayed records through a FIFO: the start-up line names Landlock and the
# output directory; a file output rotates as without it (every event once,
# in order); the output directory replaced (mv, mkdir) and SIGHUP: the new
# directory is another inode, beyond the ruleset, so the reopen fails with
# EACCES in the writer thread and the events go on into the old file; with
# "landlock": {"enabled": false} the same SIGHUP opens the new one, so the
# denial was Landlock's.  And "policy show" lists the rules, as comments
# that --check-config accepts.  The seccomp list runs with kill_process.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_landlock: SKIP: needs root, as the daemon" >&2
	exit 77
fi

tmp=$(mktemp -d) || exit 99
chmod 0711 "$tmp"
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
[ -x "$check" ] || { echo "test_landlock: $check is not built" >&2; exit 99; }
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

"$bin" policy show >"$tmp/show0" 2>&1 || { cat "$tmp/show0" >&2; exit 99; }
if grep -q '^// landlock: this kernel has none' "$tmp/show0"; then
	echo "test_landlock: SKIP: $(sed -n 's|^// landlock: ||p' \
	    "$tmp/show0" | head -n 1)" >&2
	exit 77
fi

# records FIRST LAST: SECCOMP records with serials FIRST..LAST.
records() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (i = a; i <= b; i++)
			printf "type=SECCOMP msg=audit(1700000000.%03d:%d): " \
			    "auid=1000 uid=1000 gid=1000 ses=3 pid=%d " \
			    "comm=\"w%d\" exe=\"/usr/bin/w%d\" sig=0 " \
			    "arch=c000003e syscall=110 compat=0 " \
			    "ip=0x7f0000001000 code=0x7ffc0000\n", i % 1000, i,
			    1000 + i, i, i
	}'
}
seqs() { cat "$@" | sed -n 's/.*"sequence":\([0-9]*\).*/\1/p'; }
# The files of a rotated run, oldest first: path.K ... path.1 path.
chain() {
	k=1
	while [ -e "$1.$k" ]; do k=$((k + 1)); done
	while [ $k -gt 1 ]; do k=$((k - 1)); echo "$1.$k"; done
	[ -e "$1" ] && echo "$1"
}
wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}
# events_in DIR N: DIR's chain holds N lines.
events_in() { [ "$(seqs $(chain "$1/events.json") | wc -l)" -ge "$2" ]; }

# conf NAME DIR [EXTRA]: one file output in DIR, rotated at 16k.
conf() {
	cat >"$tmp/$1.json" <<EOF
{ "outputs": [ { "type": "file", "path": "$2/events.json",
    "rotate_size": "16k", "keep": 1000 } ],
  "storm": { "enabled": false }, ${3:-}
  "seccomp": { "required": true, "default_action": "kill_process" } }
EOF
}

# 1. policy show: the rules, as comments --check-config takes.
mkdir "$tmp/show"
conf show "$tmp/show"
"$bin" policy show --config "$tmp/show.json" >"$tmp/show.out" 2>&1 ||
	no "policy show failed"
for want in "//     /proc: READ_FILE READ_DIR -- process context" \
    "//     /etc: READ_FILE -- the user database /etc/passwd; the group database /etc/group" \
    "//     $tmp/show: WRITE_FILE REMOVE_FILE MAKE_REG TRUNCATE -- file output $tmp/show/events.json" \
    "//   TCP bind and connect: denied"; do
	grep -qF -- "$want" "$tmp/show.out" ||
		no "policy show: no line \"$want\""
done
"$bin" --check-config --config "$tmp/show.out" >/dev/null 2>"$tmp/check.err" ||
	{ no "--check-config refuses policy show's output"; cat "$tmp/check.err" >&2; }

# run NAME DIR [EXTRA]: the daemon on $tmp/NAME.fifo in the background,
# fed records 1..300; then DIR is replaced and SIGHUP sent, and records
# 301..600 follow.  Stops the daemon; its stderr in $tmp/NAME.err.
run() {
	name=$1 dir=$2
	mkdir "$dir"
	conf "$name" "$dir" "${3:-}"
	mkfifo "$tmp/$name.fifo"
	"$bin" --config "$tmp/$name.json" --replay "$tmp/$name.fifo" \
	    --host-name h 2>"$tmp/$name.err" &
	dpid=$!
	exec 3<>"$tmp/$name.fifo"	# O_RDWR: no wait for the reader
	records 1 300 >&3
	wait_for events_in "$dir" 300 ||
		no "$name: the first 300 events did not arrive"
	grep -q '^NoNewPrivs:	1$' "/proc/$dpid/status" ||
		no "$name: NoNewPrivs is not 1"
	mv "$dir" "$dir.old"
	mkdir "$dir"
	kill -HUP "$dpid"
	wait_for grep -q "SIGHUP: reopening" "$tmp/$name.err" ||
		no "$name: SIGHUP not taken"
	records 301 600 >&3
	exec 3>&-
	wait "$dpid"
	rc=$?
	dpid=""
	[ $rc -eq 0 ] || { no "$name: exit status $rc"; cat "$tmp/$name.err" >&2; }
}

# 2. Under Landlock: rotation works, the new directory is out of reach.
d="$tmp/ll"
run ll "$d"
grep -q "sandbox: built-in .* policy loaded .*; Landlock ABI [0-9]*: /proc (read, list), /etc (read), $d (write, remove, create, truncate), nothing else" \
    "$tmp/ll.err" || { no "ll: the start-up line does not name Landlock and $d"; cat "$tmp/ll.err" >&2; }
files=$(chain "$d.old/events.json")
[ "$(echo "$files" | wc -l)" -gt 5 ] || no "ll: no rotation"
for f in $files; do
	"$check" "$f" >/dev/null || no "ll: $f is not JSON lines"
done
# shellcheck disable=SC2086
seqs $files >"$tmp/got"
seq 1 600 >"$tmp/want"
cmp -s "$tmp/got" "$tmp/want" ||
	no "ll: the events are not 1..600 once each, in order, in the old directory"
grep -q "reopening output file:$d/events.json: Permission denied" \
    "$tmp/ll.err" || no "ll: the reopen in the new directory was not denied"
[ -z "$(ls -A "$d")" ] || no "ll: a file was made in the new directory: $(ls "$d")"

# 3. Landlock disabled: the same SIGHUP opens the file in the new directory.
d="$tmp/free"
run free "$d" '"landlock": { "enabled": false },'
grep -q "sandbox: built-in .*; NO Landlock (disabled by landlock.enabled)" \
    "$tmp/free.err" || no "free: the start-up line does not say NO Landlock"
grep -q "Permission denied" "$tmp/free.err" &&
	no "free: a denial without Landlock: $(grep 'Permission denied' "$tmp/free.err")"
# shellcheck disable=SC2046
[ "$(seqs $(chain "$d/events.json") | tail -n 1)" = 600 ] ||
	no "free: the last events are not in the new directory"

[ $fail -eq 0 ] && echo "test_landlock: rules shown, rotation under Landlock, a replaced directory denied"
exit $fail
