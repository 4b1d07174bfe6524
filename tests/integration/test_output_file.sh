#!/bin/sh
# The real daemon with a file output, fed replayed records (the same
# outputs as live ones): rotation through path.1 ... path.N with every
# event present once and in order, each file within rotate_size; SIGHUP
# after an external mv (logrotate) or rm opens path anew and loses nothing;
# --output file:PATH replaces the configured outputs; as "user" nobody, the
# files made after shedding still get the configured group.  The built-in
# seccomp list runs with kill_process as its default action, so a call the
# file output makes outside the list kills the daemon.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_output_file: SKIP: needs root (shedding to a user," \
	    "a group kept after it)" >&2
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
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

# records FIRST LAST: SECCOMP records with serials FIRST..LAST, of varying
# length (the exe path is padded by up to 300 bytes).
records() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (i = 0; i < 300; i++)
			x = x "x"
		for (i = a; i <= b; i++)
			printf "type=SECCOMP msg=audit(1700000000.%03d:%d): " \
			    "auid=1000 uid=1000 gid=1000 ses=3 pid=%d " \
			    "comm=\"w%d\" exe=\"/usr/bin/w%s\" sig=0 " \
			    "arch=c000003e syscall=110 compat=0 " \
			    "ip=0x7f0000001000 code=0x7ffc0000\n", i % 1000, i,
			    1000 + i, i, substr(x, 1, (i * 7919) % 301)
	}'
}

# seqs FILE...: event.sequence of each line, in order.
seqs() { cat "$@" | sed -n 's/.*"sequence":\([0-9]*\).*/\1/p'; }

# The files of a rotated run, oldest first: path.K ... path.1 path.
chain() {
	k=1
	while [ -e "$1.$k" ]; do k=$((k + 1)); done
	while [ $k -gt 1 ]; do k=$((k - 1)); echo "$1.$k"; done
	echo "$1"
}

# conf FILE OUTPUT-OBJECT [EXTRA]: a configuration with one file output.
conf() {
	cat >"$1" <<EOF
{ "outputs": [ $2 ], ${3:-}
  "seccomp": { "required": true, "default_action": "kill_process" } }
EOF
}

# wait_for TEST...: up to 10 s for a condition.
wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

lines_in() { [ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

# 1. Rotation: 2000 events through files of at most 8k.
mkdir "$tmp/rot"
p="$tmp/rot/events.json"
conf "$tmp/rot.json" "{\"type\": \"file\", \"path\": \"$p\",
    \"rotate_size\": \"8k\", \"keep\": 1000, \"mode\": \"0640\"}"
records 1 2000 >"$tmp/recs"
"$bin" --config "$tmp/rot.json" --replay "$tmp/recs" --host-name h \
    2>"$tmp/err1"
rc=$?
[ $rc -eq 0 ] || { no "rotation: exit status $rc"; cat "$tmp/err1" >&2; }
files=$(chain "$p")
n=$(echo "$files" | wc -l)
[ "$n" -gt 50 ] || no "rotation: only $n files"
for f in $files; do
	"$check" "$f" >/dev/null || no "rotation: $f is not JSON lines"
	s=$(stat -c %s "$f")
	[ "$s" -le 8192 ] || no "rotation: $f has $s bytes, beyond 8k"
	[ "$(stat -c %a "$f")" = 640 ] || no "rotation: $f mode not 0640"
done
# shellcheck disable=SC2086
seqs $files >"$tmp/got1"
seq 1 2000 >"$tmp/want1"
cmp -s "$tmp/got1" "$tmp/want1" ||
	no "rotation: the events are not 1..2000 once each, in order"
grep -q "output file:$p: events=2000 events_lost=0 .*failures=0" \
    "$tmp/err1" || no "rotation: counters line missing or wrong"

# 2. logrotate style: mv, SIGHUP, and the new path takes the rest.
mkdir "$tmp/hup"
p="$tmp/hup/events.json"
conf "$tmp/hup.json" "{\"type\": \"file\", \"path\": \"$p\",
    \"mode\": \"0640\"}"
mkfifo "$tmp/fifo"
"$bin" --config "$tmp/hup.json" --replay "$tmp/fifo" --host-name h \
    2>"$tmp/err2" &
dpid=$!
exec 3<>"$tmp/fifo"	# O_RDWR: no wait for the reader
records 1 500 >&3
wait_for lines_in "$p" 500 || no "SIGHUP: the first 500 events did not arrive"
mv "$p" "$p.x"
kill -HUP "$dpid"
wait_for test -e "$p" || no "SIGHUP: $p was not created again"
records 501 1000 >&3
exec 3>&-
wait "$dpid"
rc=$?
dpid=""
[ $rc -eq 0 ] || { no "SIGHUP: exit status $rc"; cat "$tmp/err2" >&2; }
seqs "$p.x" >"$tmp/got2x"
seq 1 500 >"$tmp/want2x"
cmp -s "$tmp/got2x" "$tmp/want2x" || no "SIGHUP: the moved file is not 1..500"
seqs "$p" >"$tmp/got2"
seq 501 1000 >"$tmp/want2"
cmp -s "$tmp/got2" "$tmp/want2" || no "SIGHUP: the new file is not 501..1000"
[ "$(stat -c %a "$p" 2>/dev/null)" = 640 ] || no "SIGHUP: new file mode"
grep -q "events=1000 events_lost=0 .*failures=0" "$tmp/err2" ||
	no "SIGHUP: counters line missing or wrong"

# 2b. The file deleted (rm), then SIGHUP: a new file takes the rest.  What
# was written into the deleted file before the SIGHUP is gone with it, by
# the operator's hand; nothing written after it is lost.
mkdir "$tmp/rm"
p="$tmp/rm/events.json"
conf "$tmp/rm.json" "{\"type\": \"file\", \"path\": \"$p\"}"
mkfifo "$tmp/fifo2b"
"$bin" --config "$tmp/rm.json" --replay "$tmp/fifo2b" --host-name h \
    2>"$tmp/err2b" &
dpid=$!
exec 3<>"$tmp/fifo2b"
records 1 300 >&3
wait_for lines_in "$p" 300 || no "rm: the first 300 events did not arrive"
rm -f "$p"
kill -HUP "$dpid"
wait_for test -e "$p" || no "rm, SIGHUP: $p was not created again"
records 301 600 >&3
exec 3>&-
wait "$dpid"
rc=$?
dpid=""
[ $rc -eq 0 ] || { no "rm, SIGHUP: exit status $rc"; cat "$tmp/err2b" >&2; }
"$check" "$p" 300 >/dev/null || no "rm, SIGHUP: $p is not 300 JSON lines"
seqs "$p" >"$tmp/got2b"
seq 301 600 >"$tmp/want2b"
cmp -s "$tmp/got2b" "$tmp/want2b" ||
	no "rm, SIGHUP: the new file is not 301..600"
grep -q "events=600 events_lost=0 .*failures=0" "$tmp/err2b" ||
	no "rm, SIGHUP: counters line missing or wrong"

# 3. --output file:PATH replaces the configured outputs.
records 1 10 >"$tmp/recs3"
"$bin" --config "$tmp/rot.json" --output "file:$tmp/cli.json" \
    --replay "$tmp/recs3" --host-name h 2>"$tmp/err3"
rc=$?
[ $rc -eq 0 ] || { no "--output: exit status $rc"; cat "$tmp/err3" >&2; }
"$check" "$tmp/cli.json" 10 >/dev/null || no "--output: not 10 JSON lines"
[ "$(seqs "$tmp/rot/events.json" | tail -n 1)" = 2000 ] ||
	no "--output: the configured output was written too"

# 4. As user nobody, which is not in group adm: the files made after
# shedding (rotation) still get it, because the daemon keeps the group.
if getent group adm >/dev/null && getent passwd nobody >/dev/null; then
	mkdir "$tmp/grp"
	chown nobody "$tmp/grp"
	p="$tmp/grp/events.json"
	conf "$tmp/grp.json" "{\"type\": \"file\", \"path\": \"$p\",
	    \"rotate_size\": \"4k\", \"keep\": 100, \"mode\": \"0640\",
	    \"group\": \"adm\"}" '"user": "nobody",'
	records 1 100 >"$tmp/recs4"
	"$bin" --config "$tmp/grp.json" --replay "$tmp/recs4" --host-name h \
	    2>"$tmp/err4"
	rc=$?
	[ $rc -eq 0 ] || { no "group: exit status $rc"; cat "$tmp/err4" >&2; }
	files=$(chain "$p")
	[ "$(echo "$files" | wc -l)" -gt 3 ] || no "group: no rotation"
	for f in $files; do
		[ "$(stat -c %G "$f")" = adm ] || no "group: $f is not group adm"
	done
	[ "$(stat -c %U "$p")" = nobody ] || no "group: $p not made by nobody"
	# shellcheck disable=SC2086
	[ "$(seqs $files | wc -l)" -eq 100 ] || no "group: events lost"
	grep -q "events=100 events_lost=0 .*failures=0" "$tmp/err4" ||
		{ no "group: failures reported"; cat "$tmp/err4" >&2; }
else
	no "group: needs group adm and user nobody (Debian has both)"
fi

[ $fail -eq 0 ] && echo "test_output_file: rotation, reopen, --output and the group as expected"
exit $fail
