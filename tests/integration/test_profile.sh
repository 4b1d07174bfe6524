#!/bin/sh
# seccompmon profile on real inputs: a raw audit log and the daemon's own
# events made from it by --replay give the same profile; the selection
# keeps other executables out; a dangerous call (mount) is left out unless
# --force; the OCI change against moby's default profile is the one rule,
# and the whole merged profile is valid JSON holding it; the seccompmon
# format is a configuration the daemon accepts; usage errors exit 2.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
log="$top_srcdir/tests/data/profile/audit.log"
moby="$top_srcdir/tests/data/profiles/moby-default.json"
check="$top_builddir/tests/integration/jsonl-check"
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# OCI diff against moby's profile: io_uring_setup only (mount is refused,
# /usr/bin/other's io_uring_enter is another workload's).
"$bin" profile --exe /usr/bin/app --base "$moby" --diff "$log" \
    >"$tmp/diff.json" 2>"$tmp/diff.err" || no "profile --diff exit $?"
grep -q '"io_uring_setup"' "$tmp/diff.json" || no "diff lacks io_uring_setup"
grep -q 'io_uring_enter\|"mount"' "$tmp/diff.json" &&
	no "diff has another workload's call or the dangerous one"
grep -q 'mount (x86_64): left out' "$tmp/diff.err" ||
	no "no note that mount was left out: $(cat "$tmp/diff.err")"
tr -d '\n' <"$tmp/diff.json" >"$tmp/diff1.json"; echo >>"$tmp/diff1.json"
"$check" "$tmp/diff1.json" 1 >/dev/null || no "the diff is not one JSON object"

# The whole merged profile: moby's with the new rule at the end.
"$bin" profile --exe /usr/bin/app --base "$moby" "$log" >"$tmp/full.json" \
    2>/dev/null || no "profile --base exit $?"
tr -d '\n' <"$tmp/full.json" >"$tmp/full1.json"; echo >>"$tmp/full1.json"
"$check" "$tmp/full1.json" 1 >/dev/null || no "the merged profile is not JSON"
grep -q '"io_uring_setup"' "$tmp/full.json" || no "merged lacks io_uring_setup"
[ "$(grep -c '"defaultAction"' "$tmp/full.json")" -eq 1 ] ||
	no "the merged profile lost moby's structure"

# --force lets mount in, with a note.
"$bin" profile --exe /usr/bin/app --force --format systemd "$log" \
    >"$tmp/unit.conf" 2>"$tmp/unit.err" || no "systemd --force exit $?"
grep -q '^SystemCallFilter=.*io_uring_setup' "$tmp/unit.conf" &&
grep -q '^SystemCallFilter=.*mount' "$tmp/unit.conf" ||
	no "systemd drop-in: $(cat "$tmp/unit.conf")"
grep -q '^\[Service\]' "$tmp/unit.conf" || no "no [Service] section"

# Only a dangerous call: nothing left to allow, exit 1.
grep 'syscall=165 ' "$log" >"$tmp/mount.log"
"$bin" profile --exe /usr/bin/app "$tmp/mount.log" >/dev/null 2>"$tmp/m.err"
[ $? -eq 1 ] || no "only mount denied: exit not 1"
grep -q 'nothing left to allow' "$tmp/m.err" || no "$(cat "$tmp/m.err")"

# Our own format: a configuration the daemon accepts.
"$bin" profile --exe /usr/bin/app --format seccompmon "$log" \
    >"$tmp/policy.json" 2>/dev/null || no "seccompmon format exit $?"
"$bin" --check-config --config "$tmp/policy.json" >/dev/null 2>"$tmp/c.err" ||
	no "--check-config refused it: $(cat "$tmp/c.err")"

# The daemon's events of the same log give the same profile.
"$bin" --replay "$log" --output "file:$tmp/events.json" 2>/dev/null ||
	no "replay exit $?"
"$bin" profile --exe /usr/bin/app --base "$moby" --diff "$tmp/events.json" \
    >"$tmp/diff2.json" 2>/dev/null || no "profile from events exit $?"
cmp -s "$tmp/diff.json" "$tmp/diff2.json" ||
	no "events and raw log differ: $(cat "$tmp/diff2.json")"

# Nothing of that workload, and usage errors.
"$bin" profile --exe /nope "$log" >/dev/null 2>&1
[ $? -eq 1 ] || no "an absent workload: exit not 1"
"$bin" profile "$log" >/dev/null 2>&1
[ $? -eq 2 ] || no "no selection: exit not 2"
"$bin" profile --exe /usr/bin/app --format yaml "$log" >/dev/null 2>&1
[ $? -eq 2 ] || no "a bad format: exit not 2"
"$bin" profile --exe /usr/bin/app --format systemd --diff "$log" \
    >/dev/null 2>&1
[ $? -eq 2 ] || no "--diff without oci: exit not 2"
exit $fail
