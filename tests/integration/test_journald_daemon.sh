#!/bin/sh
# The real daemon with --output journald: replayed records and a real
# violation become journal entries of a real systemd-journald, read back
# with journalctl.  The script runs itself again in a private mount
# namespace (tmpfs over journald's sockets and journal directories); the
# journald it starts dies with it.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"

if [ -z "${TEST_JOURNALD_INNER:-}" ]; then
	journald=""
	for j in /lib/systemd/systemd-journald \
	    /usr/lib/systemd/systemd-journald; do
		[ -x "$j" ] && journald=$j
	done
	if [ -z "$journald" ] || ! command -v journalctl >/dev/null; then
		echo "test_journald_daemon: SKIP: systemd-journald and" \
		    "journalctl are not installed (package systemd)" >&2
		exit 77
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "test_journald_daemon: SKIP: needs root (a private mount" \
		    "namespace for journald's sockets and files)" >&2
		exit 77
	fi
	TEST_JOURNALD_INNER=$journald exec unshare --mount \
	    --propagation private sh "$0" "$@"
	echo "test_journald_daemon: FAIL: unshare --mount" >&2
	exit 1
fi

journald=$TEST_JOURNALD_INNER
bin="$top_builddir/seccompmon"
violator="$top_builddir/tests/integration/violator"
data="$top_srcdir/tests/data/replay"
sock=/run/systemd/journal/socket
jdir=/run/log/journal
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

tmp=$(mktemp -d) || exit 99
jpid=""
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null
	[ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null && wait "$jpid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# This mount namespace only: journald's sockets, and both places it may
# keep the journal.
for d in /run/systemd /run/log /var/log/journal; do
	mkdir -p "$d" && mount -t tmpfs -o mode=0755 tmpfs "$d" ||
		{ echo "FAIL: tmpfs over $d" >&2; exit 1; }
done
mkdir -p "$jdir"

# journald in a network namespace of its own (off the host's audit group),
# with the datagram queue systemd as PID 1 sets; killed if this shell dies.
unshare --net setpriv --pdeathsig KILL sh -c \
    'echo 512 >/proc/sys/net/unix/max_dgram_qlen && exec "$0"' \
    "$journald" >"$tmp/journald.log" 2>&1 &
jpid=$!
i=0
until [ -S "$sock" ]; do
	i=$((i + 1))
	if [ $i -gt 200 ]; then
		echo "FAIL: journald did not create $sock" >&2
		cat "$tmp/journald.log" >&2
		exit 1
	fi
	sleep 0.1
done

# journal MATCH...: the entries' MESSAGE lines.
journal() {
	journalctl --directory="$jdir" --all --no-pager --output=cat "$@" \
	    2>/dev/null
}
# wait_for N MATCH...: until journalctl has N entries (10 s).
wait_for() {
	n=$1
	shift
	i=0
	while [ "$(journal "$@" | wc -l)" -lt "$n" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	return 0
}

# 1. Replay into the journal (and, beside it, stdout): every event as the
# entry's MESSAGE, in order, the sandbox loaded and nothing denied.
"$bin" --replay "$data/audit.log" --host-name replayhost --require-sandbox \
    --output "journald:$sock" --output stdout >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || no "replay: exit status $rc, expected 0"
head -n 6 "$tmp/out" | cmp -s - "$data/expected.jsonl" ||
	no "replay: stdout differs"
# Six events and, for the malformed record, one events-lost event.
wait_for 7 SYSLOG_IDENTIFIER=seccompmon ||
	no "replay: not 7 entries in the journal"
journal SYSLOG_IDENTIFIER=seccompmon | head -n 6 >"$tmp/journal"
if ! cmp -s "$tmp/journal" "$data/expected.jsonl"; then
	no "replay: journal MESSAGEs differ from $data/expected.jsonl"
	diff "$data/expected.jsonl" "$tmp/journal" >&2
fi
grep 'output journald.* failed' "$tmp/err" &&
	no "replay: the journald output reported a failure"
# The key fields select.
[ "$(journal SECCOMP_ACTION=kill_process | wc -l)" -eq 1 ] ||
	no "replay: SECCOMP_ACTION=kill_process does not select 1 entry"
journal SECCOMP_ACTION=kill_process | grep -q '"action":"kill_process"' ||
	no "replay: SECCOMP_ACTION=kill_process selects another event"
[ "$(journal SECCOMP_ACTION=log | wc -l)" -eq 2 ] ||
	no "replay: SECCOMP_ACTION=log does not select 2 entries"
values=$(journalctl --directory="$jdir" --field=SECCOMP_ACTION 2>/dev/null |
    sort | tr '\n' ' ')
[ "$values" = "errno events-lost kill_process kill_thread log unknown " ] ||
	no "replay: SECCOMP_ACTION values are '$values'"

# 2. A real violation, read from the kernel (multicast, beside the other
# live tests, one at a time): a process whose name holds a newline and a
# byte that is not UTF-8, killed by its filter.  The name reaches the
# journal byte for byte (journalctl prints it as an array of bytes).
if [ "$(uname -m)" != x86_64 ]; then
	echo "test_journald_daemon: the live case needs x86_64 (violator)"
	exit $fail
fi
lock=/tmp/seccompmon-live-tests.lock
[ -e "$lock" ] || : >>"$lock"
exec 9<"$lock"
flock 9
"$bin" --socket multicast --require-sandbox --output journald \
    >"$tmp/out2" 2>"$tmp/err2" &
dpid=$!
i=0
until grep -q 'listening for SECCOMP records' "$tmp/err2"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$dpid" 2>/dev/null; then
		no "live: the daemon did not start"
		cat "$tmp/err2" >&2
		exit 1
	fi
	sleep 0.1
done
"$violator" kill_process --name 6E65770A6CFF6E65 2>/dev/null &
vpid=$!
wait "$vpid" 2>/dev/null
wait_for 1 SECCOMP_PID="$vpid" || no "live: no entry for pid $vpid"
kill -TERM "$dpid"
wait "$dpid"
rc=$?
dpid=""
flock -u 9
[ $rc -eq 0 ] || no "live: exit status $rc, expected 0"
[ -s "$tmp/out2" ] && no "live: events on stdout with only journald asked"
grep 'broke its own seccomp policy\|output journald.* failed' "$tmp/err2" &&
	no "live: the daemon broke its sandbox or the output failed"
journalctl --directory="$jdir" --all --output=json SECCOMP_PID="$vpid" \
    >"$tmp/entry" 2>/dev/null
for f in '"SECCOMP_ACTION":"kill_process"' '"SECCOMP_SYSCALL":"getpgid"' \
    '"SECCOMP_ARCH":"x86_64"' '"PRIORITY":"3"' \
    '"SYSLOG_IDENTIFIER":"seccompmon"' \
    "\"SECCOMP_EXE\":\"$(cd "$(dirname "$violator")" && pwd -P)/violator\"" \
    '"SECCOMP_COMM":\[110,101,119,10,108,255,110,101\]'; do
	grep -q "$f" "$tmp/entry" || no "live: the entry lacks $f"
done
journal SECCOMP_PID="$vpid" | grep -q "\"pid\":$vpid" ||
	no "live: MESSAGE is not the violator's event"

[ $fail -eq 0 ] && echo "test_journald_daemon: replay and live events" \
    "stored by journald as expected"
exit $fail
