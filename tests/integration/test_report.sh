#!/bin/sh
# seccompmon report on real inputs: the events the daemon writes in --replay
# mode and the raw audit logs they came from must give the same table (the
# same counts, first and last times per group, storm summaries included);
# filters, formats (json through an independent parser, markdown's shape),
# exit statuses, hostile strings, colour only on a tty, rotated sets and
# stdin; 100,000 records from bench/genlog, and the bounded group table.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
check="$top_builddir/tests/integration/jsonl-check"
genlog="$top_builddir/bench/genlog"
data="$top_srcdir/tests/data/replay"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

no() { echo "FAIL: $*" >&2; fail=1; }
# The table's rows without the PIDS column, and the total of a json report.
rows() { "$bin" report "$@" 2>/dev/null | awk '/^ *[0-9]+  /{$NF=""; print}'; }
total() {
	"$bin" report --format json "$@" 2>/dev/null |
	    sed -n 's/.*"total":{"count":\([0-9]*\),.*/\1/p'
}

# 1. The test log: raw, and the daemon's events made from it.
"$bin" --replay "$data/audit.log" --output "file:$tmp/ev.json" 2>/dev/null ||
	no "replay failed"
"$bin" report "$data/audit.log" >"$tmp/raw.txt" 2>"$tmp/raw.err"
rc=$?
[ $rc -eq 0 ] || no "raw: exit status $rc"
"$bin" report "$tmp/ev.json" >"$tmp/ev.txt" 2>"$tmp/ev.err"
rc=$?
[ $rc -eq 0 ] || no "events: exit status $rc"
[ "$(rows "$data/audit.log")" = "$(rows "$tmp/ev.json")" ] ||
	no "raw and events tables differ"
[ "$(total "$data/audit.log")" = 6 ] || no "raw total is not 6"
[ "$(total "$tmp/ev.json")" = 6 ] || no "events total is not 6"
grep -q '^    1  /usr/sbin/sshd  *i386  *getpgid  *kill_thread  ' "$tmp/raw.txt" ||
	no "sshd's i386 getpgid row missing"
# Malformed lines: counted, named with file:line, never fatal.
grep -q 'audit.log:9: skipped: neither a JSON event' "$tmp/raw.err" ||
	no "line 9 not reported"
grep -q 'audit.log:12: skipped: SECCOMP record: malformed' "$tmp/raw.err" ||
	no "line 12 not reported"
grep -q '2 malformed' "$tmp/raw.txt" || no "malformed lines not counted"
# The daemon's events-lost event: the loss is stated.
grep -q '^warning: seccompmon reported 1 record lost (malformed 1): the counts are lower bounds$' \
	"$tmp/ev.txt" || no "events: loss not stated"

# 2. Filters.
[ "$(total --exe /bin/ls "$tmp/ev.json")" = 1 ] || no "--exe"
[ "$(total --action kill_thread "$data/audit.log")" = 1 ] || no "--action"
[ "$(total --since 2023-01-01T00:00:00Z "$tmp/ev.json")" = 3 ] ||
	no "--since RFC 3339"
[ "$(total --until 2021-03-01T01:00:00+01:00 "$data/audit.log")" = 2 ] ||
	no "--until with an offset"
[ "$(total --since 1h "$tmp/ev.json")" = 0 ] || no "--since 1h"
[ "$(total --since 100000d "$tmp/ev.json")" = 6 ] || no "--since 100000d"
cat >"$tmp/ctx.json" <<'EOF'
{"@timestamp":"2026-11-27T22:06:26.337Z","event":{"action":"violated-seccomp-policy"},"process":{"pid":10,"executable":"/usr/bin/app"},"service":{"name":"app.service"},"seccomp":{"action":"errno","syscall":{"name":"mount","number":165},"arch":"x86_64"}}
{"@timestamp":"2026-11-27T22:06:27.337Z","event":{"action":"violated-seccomp-policy"},"process":{"pid":11,"executable":"/usr/bin/app"},"service":{"name":"docker-4f797c539e6c.scope"},"container":{"id":"4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"},"seccomp":{"action":"errno","syscall":{"name":"mount","number":165},"arch":"x86_64"}}
{"@timestamp":"2026-11-27T22:06:28.337Z","event":{"action":"violations-summarized"},"process":{"executable":"/usr/bin/app"},"service":{"name":"app.service"},"seccomp":{"action":"errno","syscall":{"name":"mount","number":165},"arch":"x86_64"},"seccompmon":{"summary":{"count":40,"first":"2026-11-27T22:06:28.337Z","last":"2026-11-27T22:06:29.000Z","pids":[12,10]}}}
{"@timestamp":"2026-11-27T22:06:30.000Z","event":{"action":"stats"},"seccompmon":{"stats":{}}}
EOF
[ "$(total --unit app.service "$tmp/ctx.json")" = 41 ] || no "--unit"
[ "$(total --container 4f797c "$tmp/ctx.json")" = 1 ] || no "--container prefix"
[ "$(total --container 5f "$tmp/ctx.json")" = 0 ] || no "--container other"
"$bin" report "$tmp/ctx.json" >"$tmp/ctx.txt"
grep -q '^   41  app.service  *x86_64  *mount  *errno  .*  10,12$' "$tmp/ctx.txt" ||
	no "unit row: summary count and pids not folded in"
grep -q '^    1  4f797c539e6c  ' "$tmp/ctx.txt" ||
	no "container row: short id missing"

# 3. Formats: json through json-c's strict parser, markdown's table shape.
"$bin" report --format json "$data/audit.log" "$tmp/ev.json" "$tmp/ctx.json" \
	>"$tmp/out.json" 2>/dev/null
"$check" "$tmp/out.json" 1 || no "--format json is not one JSON object"
grep -q '"container_id":"4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"' \
	"$tmp/out.json" || no "json: full container id missing"
grep -q '"lost":{"count":1,"events":1,"reasons":{"malformed":1},"outputs":\[\]}' \
	"$tmp/out.json" || no "json: losses missing"
"$bin" report --format markdown "$tmp/ev.json" >"$tmp/out.md"
sed -n 1p "$tmp/out.md" | grep -q '^| Count | Where | Arch | Syscall | Action | First | Last | PIDs |$' ||
	no "markdown: header"
sed -n 2p "$tmp/out.md" | grep -q '^|---:|---|---|---|---|---|---|---|$' ||
	no "markdown: separator"
[ "$(awk -F'|' '/^\|/ && NF != 10' "$tmp/out.md" | wc -l)" -eq 0 ] ||
	no "markdown: a row without 8 cells"
[ "$(grep -c '^| [0-9]' "$tmp/out.md")" -eq 6 ] || no "markdown: not 6 rows"
grep -q '^\*\*warning: .*lower bounds\*\*$' "$tmp/out.md" ||
	no "markdown: loss warning"

# 4. Hostile strings: no control byte reaches the terminal, no '|' a table.
printf '%s\n' '{"@timestamp":"2026-11-27T22:06:26.337Z","event":{"action":"violated-seccomp-policy"},"process":{"executable":"/x\u001b[2J|y\u0007"},"seccomp":{"action":"log"}}' \
	>"$tmp/evil.json"
"$bin" report "$tmp/evil.json" >"$tmp/evil.txt"
grep -q "$(printf '\033')" "$tmp/evil.txt" && no "text: ESC written raw"
grep -qF '/x\x1b[2J|y\x07' "$tmp/evil.txt" || no "text: control bytes not escaped"
"$bin" report --format markdown "$tmp/evil.json" >"$tmp/evil.md"
grep -qF '/x\x1b[2J\|y\x07' "$tmp/evil.md" || no "markdown: '|' not escaped"
"$bin" report --format json "$tmp/evil.json" >"$tmp/evil.out"
"$check" "$tmp/evil.out" 1 || no "json: hostile string broke the output"

# 5. Colour: only on a tty, never with NO_COLOR.
grep -q "$(printf '\033')" "$tmp/raw.txt" && no "colour in a file"
script -qec "'$bin' report '$tmp/ev.json'" /dev/null >"$tmp/tty.txt" 2>&1
grep -q "$(printf '\033')\[1m" "$tmp/tty.txt" || no "no colour on a tty"
NO_COLOR=1 script -qec "'$bin' report '$tmp/ev.json'" /dev/null >"$tmp/tty2.txt" 2>&1
grep -q "$(printf '\033')" "$tmp/tty2.txt" && no "colour despite NO_COLOR"

# 6. Rotated sets and stdin: the same table.
head -n 3 "$tmp/ev.json" >"$tmp/ev.json.1"
tail -n +4 "$tmp/ev.json" >"$tmp/ev.json.0"
[ "$(rows "$tmp/ev.json.0" "$tmp/ev.json.1")" = "$(rows "$tmp/ev.json")" ] ||
	no "a rotated set differs from the whole file"
[ "$(cat "$tmp/ev.json" | rows -)" = "$(rows "$tmp/ev.json")" ] ||
	no "stdin differs"
[ "$(rows <"$tmp/ev.json")" = "$(rows "$tmp/ev.json")" ] ||
	no "no FILE: stdin not read"

# 7. Exit statuses: 1 for an unreadable input (the rest still reported),
# 2 for usage.
"$bin" report "$tmp/ev.json" "$tmp/missing" >"$tmp/m.txt" 2>"$tmp/m.err"
rc=$?
[ $rc -eq 1 ] || no "missing file: exit status $rc, expected 1"
grep -q "missing: No such file or directory" "$tmp/m.err" ||
	no "missing file not named"
grep -q '^6 violations' "$tmp/m.txt" || no "missing file: the rest not reported"
for a in "--format xml" "--since yesterday" "--until 5y" "--max-groups 0" \
    "--bogus"; do
	# shellcheck disable=SC2086
	"$bin" report $a "$tmp/ev.json" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 2 ] || no "$a: exit status $rc, expected 2"
done

# 8. 100,000 records of every log format from genlog, raw and through the
# daemon (storm summaries with the keys to hold them all): the same table.
"$genlog" 100000 >"$tmp/big.log" || no "genlog failed"
printf '{"storm":{"max_keys":65536}}\n' >"$tmp/storm.json"
"$bin" -c "$tmp/storm.json" --replay "$tmp/big.log" \
	--output "file:$tmp/big.json" 2>/dev/null || no "big replay failed"
grep -q '"violations-summarized"' "$tmp/big.json" || no "big: no summaries"
rows "$tmp/big.log" >"$tmp/big.raw"
rows "$tmp/big.json" >"$tmp/big.ev"
cmp -s "$tmp/big.raw" "$tmp/big.ev" || no "big: raw and events tables differ"
[ "$(total "$tmp/big.log")" = 100000 ] || no "big: raw total"
[ "$(total "$tmp/big.json")" = 100000 ] || no "big: events total"
# The default storm keys overflow: "other keys" summaries, total kept.
"$bin" --replay "$tmp/big.log" --output "file:$tmp/big2.json" 2>/dev/null
[ "$(total "$tmp/big2.json")" = 100000 ] || no "big: total with other keys"
"$bin" report "$tmp/big2.json" | grep -q '(storm: other keys)' ||
	no "big: no other-keys row"
# A table of 50 groups: the rest in one row, the total kept, and said.
"$bin" report --max-groups 50 "$tmp/big.log" >"$tmp/max.txt"
[ "$(grep -c '^ *[0-9][0-9]*  ' "$tmp/max.txt")" -eq 51 ] ||
	no "--max-groups 50: not 50 rows and other"
grep -q '^ *[0-9][0-9]*  (other groups)' "$tmp/max.txt" || no "no (other groups) row"
grep -q '^100000 violations in 50 groups' "$tmp/max.txt" || no "max: total"
grep -q '^note: more than 50 groups: ' "$tmp/max.txt" || no "max: not said"

exit $fail
