#!/bin/sh
# The daemon under valgrind's memcheck for a representative set: replay to
# every output type (stdout, file with rotation, syslog and journald to
# stand-in sockets, all four at once), configuration and usage errors and
# the policy subcommands, and test_live (unicast and multicast, violations
# of every action, registration races, SIGINT) with each of its daemons run
# under valgrind (SECCOMPMON_TEST_WRAPPER).  Any memcheck error fails, and
# so does any definite leak, at every exit (0, usage 2, configuration 78)
# but a runtime error (1): that comes from fatal(), which exits at once by
# design (daemon/log.h), leaving to the kernel memory that only a dead
# local still pointed to; those leaks are shown, not counted.  Nothing is suppressed: the one valgrind gap met,
# capget's second struct (valgrind marks only the first written), is met by
# zeroing both first (policy/privs.c capget2()).
#
# valgrind 3.19 does not implement seccomp(2) (it answers ENOSYS), so under
# valgrind the daemon's filter never loads: it says so and runs without it
# (a required filter exits 78 instead).  The filtered paths are covered by
# the sanitizer build (./configure --enable-sanitizers), where the daemon
# runs under its filter; valgrind cannot run that build.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"
recv="$top_builddir/tests/integration/dgram-recv"
data="$top_srcdir/tests/data/replay"

skip() { echo "test_valgrind: SKIP: $*" >&2; exit 77; }
if [ "${SM_SANITIZERS:-no}" != no ]; then
	skip "a sanitizer build (--enable-sanitizers): valgrind cannot run" \
	    "ASan binaries, and ASan checks this build instead"
fi
command -v valgrind >/dev/null || skip "valgrind is not installed" \
    "(package valgrind)"

tmp=$(mktemp -d) || exit 99
chmod 0711 "$tmp"
rpids=""
cleanup() {
	for p in $rpids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
mkdir "$tmp/vg" "$tmp/exits"
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

# Memory errors make valgrind exit 97 (the daemon never does).  Every
# report, leaks included, goes to a log of its own, read at the end against
# the daemon's exit status, which is left in $tmp/exits/PID.exit.
vg="valgrind -q --error-exitcode=97 --leak-check=full
--show-leak-kinds=definite --errors-for-leak-kinds=none
--log-file=$tmp/vg/%p.log"
vg=$(echo $vg)

# run NAME STATUS ARGS...: the daemon under valgrind, stdin from $input
# (/dev/null unless set); stdout and stderr in $tmp/NAME.out and .err; its
# exit status must be STATUS.
input=/dev/null
run() {
	name=$1 want=$2
	shift 2
	$vg "$bin" "$@" <"$input" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	wait $pid
	rc=$?
	echo $rc >"$tmp/exits/$pid.exit"
	if [ $rc -ne "$want" ]; then
		no "$name: exit status $rc, expected $want"
		sed "s/^/  $name: /" "$tmp/$name.err" >&2
	fi
}

# The replay log makes 6 events, then one events-lost event for its
# malformed record.
events=7

# receiver NAME: dgram-recv on $tmp/NAME for $events datagrams, in the
# background; its report goes to $tmp/NAME.got.
receiver() {
	"$recv" "$tmp/$1" $events 30000 >"$tmp/$1.got" 2>&1 &
	rpids="$rpids $!"
	i=0
	while [ ! -S "$tmp/$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$tmp/$1" ] || no "dgram-recv did not bind $tmp/$1"
}

# received NAME PID: the receiver got the $events events.
received() {
	wait "$2"
	grep -q "^$events datagrams" "$tmp/$1.got" ||
		no "$1: $(cat "$tmp/$1.got"), expected $events datagrams"
}

# 1. Replay to stdout, from a file and from stdin, with event.original.
run replay 0 --replay "$data/audit.log" --host-name replayhost
"$check" "$tmp/replay.out" $events || no "replay: not $events JSON lines"
head -n 6 "$tmp/replay.out" | cmp -s - "$data/expected.jsonl" ||
	no "replay: events differ from $data/expected.jsonl"
grep -q 'NO seccomp filter' "$tmp/replay.err" ||
	no "replay: the missing filter under valgrind was not reported"
input=$data/audit.log
run replay_stdin 0 --replay - --host-name replayhost
input=/dev/null
head -n 6 "$tmp/replay_stdin.out" | cmp -s - "$data/expected.jsonl" ||
	no "replay from stdin: events differ"
run original 0 --replay "$data/audit.log" --original
"$check" "$tmp/original.out" $events ||
	no "--original: not $events JSON lines"

# 2. A file output rotated every 4k, keeping 20: all 60 events and the
# events-lost one, in files.
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$data/audit.log"; done >"$tmp/ten.log"
cat >"$tmp/file.json" <<EOF
{ "outputs": [ { "type": "file", "path": "$tmp/events.json",
  "rotate_size": "4k", "keep": 20 } ] }
EOF
run file 0 --config "$tmp/file.json" --replay "$tmp/ten.log"
cat "$tmp"/events.json* >"$tmp/file.all" 2>/dev/null
"$check" "$tmp/file.all" 61 || no "file output: not 61 JSON lines in all files"
[ -f "$tmp/events.json.1" ] || no "file output: never rotated"

# 3. syslog and journald, each to a socket of its own.
receiver log
r=$!
run syslog 0 --replay "$data/audit.log" --output "syslog:$tmp/log"
received log $r
receiver journal
r=$!
run journald 0 --replay "$data/audit.log" --output "journald:$tmp/journal"
received journal $r

# 4. All four at once, syslog as RFC 5424 with CEE.
cat >"$tmp/all.json" <<EOF
{ "outputs": [ { "type": "stdout" },
  { "type": "file", "path": "$tmp/all-events.json" },
  { "type": "syslog", "socket": "$tmp/log", "format": "rfc5424",
    "cee": true, "facility": "local3" },
  { "type": "journald", "socket": "$tmp/journal" } ],
  "host_name": "valgrind-host" }
EOF
receiver log
r1=$!
receiver journal
r2=$!
run all 0 --config "$tmp/all.json" --replay "$data/audit.log"
received log $r1
received journal $r2
"$check" "$tmp/all.out" $events ||
	no "all outputs: stdout is not $events JSON lines"
"$check" "$tmp/all-events.json" $events ||
	no "all outputs: the file is not $events JSON lines"

# 5. Configuration and usage errors, and the policy subcommands.
printf '{ "audit": { "socket": "unicast",\n' >"$tmp/truncated.json"
printf '{ "outptus": [] }\n' >"$tmp/unknown.json"
cat >"$tmp/required.json" <<EOF
{ "seccomp": { "required": true, "default_action": "errno",
  "syscalls": [ { "action": "allow", "names": [ "no_such_call" ] } ] } }
EOF
cat >"$tmp/optional.json" <<EOF
{ "seccomp": { "default_action": "errno",
  "syscalls": [ { "action": "allow", "names": [ "no_such_call" ] } ] } }
EOF
run truncated 78 --check-config --config "$tmp/truncated.json"
run unknown 78 --config "$tmp/unknown.json" --replay "$data/audit.log"
grep -q 'outptus' "$tmp/unknown.err" || no "unknown key not named"
run required 78 --config "$tmp/required.json" --replay "$data/audit.log"
run optional 0 --config "$tmp/optional.json" --replay "$data/audit.log"
run require_sandbox 78 --require-sandbox --replay "$data/audit.log"
run usage 2 --socket sideways
run missing 1 --replay "$tmp/no-such-file"
run show 0 policy show --config "$top_srcdir/tests/data/conf/full.json"
run check_bad 1 policy check --config "$tmp/optional.json"
run check_good 0 --check-config --config "$top_srcdir/etc/seccompmon.json"

# 6. The live tests, every daemon under valgrind.
SECCOMPMON_TEST_WRAPPER=$vg SECCOMPMON_TEST_EXITS=$tmp/exits \
    "$top_builddir/tests/integration/test_live" >"$tmp/live.out" \
    2>"$tmp/live.err"
live=$?
if [ $live -eq 77 ]; then
	echo "test_valgrind: test_live skipped:" >&2
	grep SKIP "$tmp/live.err" >&2
elif [ $live -ne 0 ]; then
	no "test_live under valgrind: exit status $live"
	cat "$tmp/live.out" "$tmp/live.err" >&2
fi

# 7. Every valgrind report, from every daemon: errors (exit 97) always,
# definite leaks unless the daemon exited 1.
n=0 exempt=0
for f in "$tmp"/vg/*.log; do
	n=$((n + 1))
	pid=${f##*/}
	pid=${pid%.log}
	st=$(cat "$tmp/exits/$pid.exit" 2>/dev/null || echo unknown)
	grep -q '^==[0-9]*== ' "$f" || continue
	case $st in
	1)
		exempt=$((exempt + 1))
		echo "test_valgrind: daemon pid $pid exited $st; its leaks" \
		    "are not counted:"
		cat "$f"
		;;
	*)
		no "valgrind: daemon pid $pid (exit status $st):"
		cat "$f" >&2
		;;
	esac
done
echo "test_valgrind: $n daemons ran under memcheck; the leaks of $exempt" \
    "that exited 1 (fatal) were not counted"
if [ $fail -eq 0 ] && [ $live -eq 77 ]; then
	exit 77
fi
exit $fail
