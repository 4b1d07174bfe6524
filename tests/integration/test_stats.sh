#!/bin/sh
# The stats event through the real daemon: a multicast daemon with
# "stats": {"interval": 1} writes a stats event about every second and a
# last one at exit, back to back, whose intervals add up to its totals and
# count the violation made meanwhile; SIGUSR1 logs the same line on stderr
# (one line, valid JSON after "stats: "); {"enabled": false} writes none,
# and a replay writes none, whatever the interval.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"
violator="$top_builddir/tests/integration/violator"
lockfile=/tmp/seccompmon-live-tests.lock

if [ "$(id -u)" -ne 0 ]; then
	echo "test_stats: SKIP: needs root (the audit multicast group)" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

# The live tests' lock: one live daemon at a time on this host.
exec 9<>"$lockfile" || exit 99
flock 9 || exit 99

# wait_for FILE TEXT SECONDS: until FILE holds TEXT.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# field NAME LINE: the number after "NAME": in LINE (the first one).
field() { printf '%s\n' "$2" | sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p"; }
# interval/total counters: "interval":{"received":N and "total":{...
ival() { printf '%s\n' "$2" | sed -n "s/.*\"interval\":{[^}]*\"$1\":\\([0-9]*\\).*/\\1/p"; }
tval() { printf '%s\n' "$2" | sed -n "s/.*\"total\":{[^}]*\"$1\":\\([0-9]*\\).*/\\1/p"; }
tstr() { printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# 1. Live, every second, SIGUSR1, and the last one at exit.
echo '{"stats": {"interval": 1}}' >"$tmp/s1.json"
"$bin" --socket multicast --config "$tmp/s1.json" --host-name st \
    >"$tmp/out" 2>"$tmp/err" &
dpid=$!
wait_for "$tmp/err" "listening for SECCOMP records" 10 ||
	no "the daemon did not start: $(cat "$tmp/err")"
"$violator" log >/dev/null 2>&1 || no "the violator did not run"
wait_for "$tmp/out" '"action":"stats"' 5 || no "no stats event within 5 s"
sleep 1.5
kill -USR1 "$dpid"
wait_for "$tmp/err" '>stats: {' 5 || no "SIGUSR1 logged no stats line"
kill -TERM "$dpid"
wait "$dpid"
rc=$?
dpid=""
[ $rc -eq 0 ] || no "exit status $rc, expected 0; $(cat "$tmp/err")"
n=$(wc -l <"$tmp/out")
"$check" "$tmp/out" "$n" || no "output is not $n JSON lines"
grep '"action":"stats"' "$tmp/out" >"$tmp/stats"
ns=$(wc -l <"$tmp/stats")
[ "$ns" -ge 3 ] || no "$ns stats events in about 3 s, expected at least 3"
grep -q '"event":{"kind":"metric","action":"stats","module":"seccompmon","dataset":"seccompmon.stats"' \
    "$tmp/stats" || no "stats events are not categorized as metrics"
# Back to back, the intervals summing to the totals of the last one.
prev_end="" sum=0 last=""
while IFS= read -r line; do
	start=$(tstr start "$line")
	[ -z "$prev_end" ] || [ "$start" = "$prev_end" ] ||
		no "a stats event starts at $start, the one before ended at $prev_end"
	prev_end=$(tstr end "$line")
	sum=$((sum + $(ival received "$line")))
	last=$line
done <"$tmp/stats"
total=$(tval received "$last")
[ "$sum" -eq "$total" ] ||
	no "intervals sum to $sum records received, the last total is $total"
[ "$total" -ge 1 ] || no "the violation is not counted: $last"
[ "$(tval received "$last")" -eq $(($(tval emitted "$last") + \
    $(tval summarized "$last") + $(tval malformed "$last") + \
    $(tval nomem "$last"))) ] || no "the totals do not add up: $last"
# The last one is the last line: written at exit, after everything.
[ "$(tail -n 1 "$tmp/out")" = "$last" ] ||
	no "the last line is not the final stats event"
# Its output count: every line before it.
[ "$(field written "${last#*\"total\":}")" -eq $((n - 1)) ] ||
	no "stdout wrote $((n - 1)) lines before the last stats event," \
	    "it says $(field written "${last#*\"total\":}")"
# SIGUSR1: one line, "stats: " and the event's JSON.
grep '>stats: {' "$tmp/err" | sed 's/^<6>stats: //' >"$tmp/usr1"
[ "$(wc -l <"$tmp/usr1")" -eq 1 ] || no "SIGUSR1: not exactly one stats line"
"$check" "$tmp/usr1" 1 || no "SIGUSR1's stats line is not JSON"
grep -q '"action":"stats".*"interval":{"received":' "$tmp/usr1" ||
	no "SIGUSR1's line is not the stats event"

# 2. {"enabled": false} and interval 0: none, not even at exit.
for conf in '{"stats": {"enabled": false}}' '{"stats": {"interval": 0}}'; do
	echo "$conf" >"$tmp/s0.json"
	"$bin" --socket multicast --config "$tmp/s0.json" \
	    >"$tmp/out2" 2>"$tmp/err2" &
	dpid=$!
	wait_for "$tmp/err2" "listening for SECCOMP records" 10 ||
		no "$conf: the daemon did not start"
	sleep 1.5
	kill -TERM "$dpid"
	wait "$dpid"
	dpid=""
	! grep -q '"action":"stats"' "$tmp/out2" ||
		no "$conf: stats events written"
done

# 3. A replay writes none (its output is the same every run), SIGUSR1
# still logs the line.
"$bin" --config "$tmp/s1.json" --replay "$top_srcdir/tests/data/replay/audit.log" \
    --host-name replayhost >"$tmp/out3" 2>/dev/null
! grep -q '"action":"stats"' "$tmp/out3" || no "replay: stats events written"

exit $fail
