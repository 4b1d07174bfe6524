#!/bin/sh
# Replay of audit log lines in the formats auditd, the kernel log and syslog
# write (RAW, ENRICHED, node=, kernel "type=1326"), through the real binary:
# output equals the hand-written expected events, every line is JSON, and
# what could not become an event is counted and reported on stderr, and in
# the stream as one events-lost event at the end.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"
data="$top_srcdir/tests/data/replay"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

no() { echo "FAIL: $*" >&2; fail=1; }

# 1. From a file.
"$bin" --replay "$data/audit.log" --host-name replayhost >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || no "exit status $rc, expected 0"
"$check" "$tmp/out" 7 || no "output is not 7 JSON lines"
head -n 6 "$tmp/out" >"$tmp/out.events"
if ! cmp -s "$tmp/out.events" "$data/expected.jsonl"; then
	no "events differ from $data/expected.jsonl"
	diff "$data/expected.jsonl" "$tmp/out.events" >&2
fi
# The malformed record, in the stream: its time varies, its counts do not.
tail -n 1 "$tmp/out" | grep -q '"action":"events-lost".*"host":{"name":"replayhost"},"seccompmon":{"lost":{"count":1,"reasons":{"malformed":1}}}}$' ||
	no "no events-lost event for the malformed record"
grep -q 'seccomp_records=7 events=6 incomplete=1 malformed=1 other_records=4' "$tmp/err" ||
	no "counters line missing or wrong"
grep -q 'replay: lines=13 not_audit=1 too_long=0' "$tmp/err" ||
	no "replay counters missing or wrong"
grep -q 'line 9: not an audit record' "$tmp/err" || no "line 9 not reported"
grep -q 'dropped SECCOMP record (malformed audit(SEC.MSEC:SERIAL) header' "$tmp/err" ||
	no "malformed record not reported"

# 2. From stdin, fed through a pipe: the same events.
cat "$data/audit.log" | "$bin" --replay - --host-name replayhost >"$tmp/out2" 2>"$tmp/err2"
rc=$?
[ $rc -eq 0 ] || no "stdin: exit status $rc"
head -n 6 "$tmp/out2" | cmp -s - "$data/expected.jsonl" ||
	no "stdin: events differ"
tail -n 1 "$tmp/out2" | grep -q '"action":"events-lost"' ||
	no "stdin: no events-lost event"

# 3. --original adds event.original to every event; still valid JSON.
"$bin" --replay "$data/audit.log" --host-name replayhost --original >"$tmp/out3" 2>/dev/null
"$check" "$tmp/out3" 7 || no "--original: output is not 7 JSON lines"
[ "$(grep -c '"original":"audit(' "$tmp/out3")" -eq 6 ] ||
	no "--original: not every event has event.original"

# 4. A missing file is an error naming the file.
"$bin" --replay "$tmp/nonexistent" >/dev/null 2>"$tmp/err4"
rc=$?
[ $rc -eq 1 ] || no "missing file: exit status $rc, expected 1"
grep -q "nonexistent: No such file or directory" "$tmp/err4" ||
	no "missing file: error does not name the file"

# 5. A reader that goes away is an error, not a silent loss: the input
# arrives only after the reader (true) has exited, so the write gets EPIPE.
(sleep 0.5; cat "$data/audit.log") | "$bin" --replay - 2>"$tmp/err5" | true
grep -q 'output stdout failed, .*: Broken pipe' "$tmp/err5" &&
	grep -q 'no output can take events any more' "$tmp/err5" ||
	no "broken pipe not reported"
"$bin" --replay "$data/audit.log" >&- 2>"$tmp/err5b"
rc=$?
[ $rc -eq 1 ] || no "closed stdout: exit status $rc, expected 1"
grep -q 'stdout is closed' "$tmp/err5b" || no "closed stdout not reported"

# 6. Bad options exit 2 with a message.
"$bin" --socket sideways >/dev/null 2>"$tmp/err6"
rc=$?
[ $rc -eq 2 ] || no "bad --socket: exit status $rc, expected 2"
grep -q 'unknown mode "sideways"' "$tmp/err6" || no "bad --socket: no message"

# 7. Storm control: 10,000 identical records over 30 s of record time
# (three 10 s windows) become 10 events per window and one summary per
# window, and the counts add up exactly; the same every run.
awk 'BEGIN {
	for (i = 0; i < 10000; i++)
		printf "type=SECCOMP msg=audit(%d.%03d:%d): auid=1000 " \
		    "uid=1000 gid=1000 ses=3 pid=%d comm=\"w\" " \
		    "exe=\"/usr/bin/w\" sig=0 arch=c000003e syscall=110 " \
		    "compat=0 ip=0x7f0000001000 code=0x7ffc0000\n",
		    1700000000 + int(i * 3 / 1000), (i * 3) % 1000, i + 1,
		    2000 + i % 7
}' >"$tmp/storm.log"
"$bin" --replay "$tmp/storm.log" --host-name h >"$tmp/out7" 2>"$tmp/err7"
rc=$?
[ $rc -eq 0 ] || no "storm: exit status $rc"
"$check" "$tmp/out7" 33 || no "storm: output is not 33 JSON lines"
n=$(grep -c '"action":"violated-seccomp-policy"' "$tmp/out7")
[ "$n" -eq 30 ] || no "storm: $n individual events, expected 30"
n=$(grep -c '"action":"violations-summarized"' "$tmp/out7")
[ "$n" -eq 3 ] || no "storm: $n summaries, expected 3"
sum=$(sed -n 's/.*"summary":{"count":\([0-9]*\).*/\1/p' "$tmp/out7" |
    awk '{ s += $1 } END { print s + 0 }')
[ "$sum" -eq 9970 ] || no "storm: summaries count $sum records, expected 9970"
grep -q 'seccomp_records=10000 events=30 .* summarized=9970 summaries=3' \
    "$tmp/err7" || no "storm: counters line missing or wrong"
"$bin" --replay "$tmp/storm.log" --host-name h >"$tmp/out7b" 2>/dev/null
cmp -s "$tmp/out7" "$tmp/out7b" || no "storm: a second replay differs"

# 8. {"storm": {"enabled": false}}: every record an event.
echo '{"storm": {"enabled": false}}' >"$tmp/nostorm.json"
"$bin" --config "$tmp/nostorm.json" --replay "$tmp/storm.log" \
    --host-name h >"$tmp/out8" 2>"$tmp/err8"
"$check" "$tmp/out8" 10000 || no "storm off: output is not 10000 JSON lines"
grep -q 'seccomp_records=10000 events=10000 .* summarized=0 summaries=0' \
    "$tmp/err8" || no "storm off: counters line missing or wrong"

exit $fail
