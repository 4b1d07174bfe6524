#!/bin/sh
# seccompmon learn against the real kernel: learnee makes known calls
# outside the baseline in itself, a forked child and that child's exec'd
# image; the learnt policy holds all of them and the baseline, and the same
# program then runs clean under it with kill_process as the default (and
# dies without one of them, so the re-run can fail).  Also: a second learn
# running at the same time keeps its calls to itself (sessions); against
# Docker's profile only what it denies is added; a dangerous call stays
# out unless --force; the OCI and systemd forms; a shared session when the
# loginuid cannot be written; the command's status; usage errors.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
learnee="$top_builddir/tests/integration/learnee"
policyrun="$top_builddir/tests/integration/policyrun"
check="$top_builddir/tests/integration/jsonl-check"
moby="$top_srcdir/tests/data/profiles/moby-default.json"
lockfile=/tmp/seccompmon-live-tests.lock
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "test_learn: SKIP: needs root (the audit multicast group)" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
bg=""
cleanup() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# Records of this test's processes reach every audit reader.
exec 9<>"$lockfile" || exit 99
flock 9 || exit 99

"$bin" learn --format seccompmon -o "$tmp/probe.json" -- true \
    2>"$tmp/probe.err"
rc=$?
if [ $rc -ne 0 ] && grep -q "CAP_AUDIT_READ\|has no audit" "$tmp/probe.err"
then
	echo "test_learn: SKIP: $(cat "$tmp/probe.err")" >&2
	exit 77
fi
[ $rc -eq 0 ] || no "learn -- true: exit $rc: $(cat "$tmp/probe.err")"

# names FILE: the "names" of a learnt seccompmon policy, one per line.
names() { tr -d ' \t\n' <"$1" | sed 's/.*"names":\[//; s/\].*//' |
	tr ',' '\n' | tr -d '"'; }
has() { names "$1" | grep -qx "$2"; }

# 1. The tree's calls and the baseline, with a run beside it that spins on
# getpgid in another session of its own.
"$bin" learn --format seccompmon -o "$tmp/spin.json" -- "$learnee" spin 1500 \
    2>"$tmp/spin.err" &
bg=$!
sleep 0.3
"$bin" learn --format seccompmon -o "$tmp/p.json" -- "$learnee" plain \
    2>"$tmp/p.err" || no "learn plain: exit $?: $(cat "$tmp/p.err")"
wait "$bg" || no "learn spin: exit $?: $(cat "$tmp/spin.err")"
bg=""
for c in socket mkdirat unlinkat get_mempolicy clone wait4; do
	has "$tmp/p.json" $c || no "the command's own $c is not in the policy"
done
has "$tmp/p.json" sysinfo || no "the forked child's sysinfo is missing"
has "$tmp/p.json" getpriority || no "the exec'd image's getpriority is missing"
for c in $("$bin" learn --list-baseline); do
	has "$tmp/p.json" $c || no "baseline call $c is not in the policy"
done
has "$tmp/p.json" getpgid && no "the other learn's getpgid leaked in"
has "$tmp/spin.json" getpgid || no "the spinning run's getpgid is missing"
has "$tmp/spin.json" socket && no "the plain run's socket leaked into spin"
grep -q "exited with status 0" "$tmp/p.err" || no "no exit status on stderr"
grep -q "records from 2 processes" "$tmp/p.err" ||
	no "the summary does not count 2 processes: $(cat "$tmp/p.err")"
grep -q "^  sysinfo  *x86_64  *log  *1$" "$tmp/p.err" ||
	no "the summary lacks sysinfo's line: $(cat "$tmp/p.err")"
"$bin" --check-config --config "$tmp/p.json" >/dev/null 2>&1 ||
	no "the learnt policy is not a configuration seccompmon accepts"

# 2. Re-run under it, every other call killing the process: clean.  Without
# sysinfo, the child dies of SIGSYS, so this can fail.
# (timeout: a process killed half-way can leave the rest waiting for it.)
timeout 60 "$policyrun" "$tmp/p.json" "$learnee" plain 2>"$tmp/rerun.err" ||
	no "the re-run under the learnt policy failed: $(cat "$tmp/rerun.err")"
sed 's/"sysinfo",//' "$tmp/p.json" >"$tmp/nosysinfo.json"
if timeout 60 "$policyrun" "$tmp/nosysinfo.json" "$learnee" plain \
    2>/dev/null; then
	no "the re-run without sysinfo succeeded: the check is blind"
fi

# 3. Against Docker's default profile: only what it denies is added;
# socket and clone are kept conditional (notes), the rest it allows.
"$bin" learn --base "$moby" --diff -- "$learnee" plain >"$tmp/diff.json" \
    2>"$tmp/diff.err" || no "learn --base --diff: exit $?"
tr -d '\n\t ' <"$tmp/diff.json" >"$tmp/diff1.json"
[ "$(cat "$tmp/diff1.json")" = \
    '{"syscalls":[{"names":["get_mempolicy"],"action":"SCMP_ACT_ALLOW"}]}' ] ||
	no "the diff against moby is not get_mempolicy alone: $(cat "$tmp/diff1.json")"
grep -q "clone (x86_64): left alone, the base filters its arguments" \
    "$tmp/diff.err" || no "no note on clone's argument filter"
grep -q "sysinfo" "$tmp/diff.err" &&
	no "sysinfo, which moby allows, was recorded: $(cat "$tmp/diff.err")"
"$bin" learn --base "$moby" -- "$learnee" plain >"$tmp/merged.json" \
    2>/dev/null || no "learn --base: exit $?"
tr -d '\n' <"$tmp/merged.json" >"$tmp/merged1.json"; echo >>"$tmp/merged1.json"
"$check" "$tmp/merged1.json" 1 >/dev/null || no "the merged profile is not JSON"
[ "$(grep -c '"defaultAction"' "$tmp/merged.json")" -eq 1 ] ||
	no "the merged profile lost moby's structure"

# 4. A dangerous call: left out with a note, in unless --force.
"$bin" learn --format systemd -- "$learnee" unshare >"$tmp/u.conf" \
    2>"$tmp/u.err" || no "learn unshare: exit $?"
grep -q "^SystemCallFilter=.* sysinfo" "$tmp/u.conf" ||
	no "the systemd form lacks sysinfo: $(cat "$tmp/u.conf")"
grep -q "^SystemCallFilter=.*unshare" "$tmp/u.conf" &&
	no "unshare is in without --force"
grep -q "unshare (x86_64): left out, it widens the sandbox" "$tmp/u.err" ||
	no "no note on unshare: $(cat "$tmp/u.err")"
grep -q "^# Generated by seccompmon learn" "$tmp/u.conf" ||
	no "the drop-in does not say it was learnt"
"$bin" learn --force --format systemd -- "$learnee" unshare \
    >"$tmp/uf.conf" 2>/dev/null || no "learn --force: exit $?"
grep -q "^SystemCallFilter=.*unshare" "$tmp/uf.conf" ||
	no "--force did not let unshare in"

# 5. OCI without a base: a whole allow-list profile.
"$bin" learn -o "$tmp/oci.json" -- "$learnee" plain 2>/dev/null ||
	no "learn --format oci: exit $?"
grep -q '"defaultAction": "SCMP_ACT_ERRNO"' "$tmp/oci.json" ||
	no "the OCI profile does not deny by default"
grep -q '"SCMP_ARCH_X86_64"\|"SCMP_ARCH_AARCH64"' "$tmp/oci.json" ||
	no "the OCI profile names no architecture"
grep -q '"getpriority"' "$tmp/oci.json" || no "the OCI profile lacks getpriority"

# 6. --allow: not recorded, but in the profile.
"$bin" learn --allow sysinfo,getpriority --format seccompmon \
    -o "$tmp/a.json" -- "$learnee" plain 2>"$tmp/a.err" ||
	no "learn --allow: exit $?"
grep -q "^  sysinfo " "$tmp/a.err" && no "an --allow call was recorded"
has "$tmp/a.json" sysinfo || no "an --allow call is not in the profile"

# 7. The command's status, and a command that cannot start.
"$bin" learn --format seccompmon -o "$tmp/f.json" -- "$learnee" fail \
    2>"$tmp/f.err" || no "learn of a failing command: exit $?"
grep -q "exited with status 3" "$tmp/f.err" || no "status 3 not reported"
"$bin" learn -- "$tmp/no-such-program" >/dev/null 2>"$tmp/e.err"
[ $? -eq 1 ] || no "a command that cannot start: not exit 1"
grep -q "no-such-program: No such file" "$tmp/e.err" ||
	no "no reason for the failed start: $(cat "$tmp/e.err")"

# --user: the command runs as that user.
"$bin" learn --user nobody -o "$tmp/n.json" -- id -u >"$tmp/n.out" \
    2>"$tmp/n.err" || no "learn --user nobody: exit $?: $(cat "$tmp/n.err")"
[ "$(cat "$tmp/n.out")" = "$(id -u nobody)" ] ||
	no "--user nobody ran the command as uid $(cat "$tmp/n.out")"

# 8. A loginuid already set and no CAP_AUDIT_CONTROL to write it again:
# the session is shared, records are told by the process tree.
if command -v setpriv >/dev/null; then
	sh -c 'echo 0 >/proc/self/loginuid && exec setpriv \
	    --bounding-set=-audit_control "$@"' sh "$bin" learn \
	    --format seccompmon -o "$tmp/s.json" -- "$learnee" plain \
	    2>"$tmp/s.err"
	rc=$?
	# 3: a child gone before its records were placed (stated).
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || no "shared session: exit $rc"
	grep -q "no audit session of its own" "$tmp/s.err" ||
		no "no warning of the shared session: $(cat "$tmp/s.err")"
	has "$tmp/s.json" socket || no "shared session: the command's socket"
else
	no "setpriv (util-linux) is missing"
fi

# 9. Usage errors exit 2.
for args in "" "-- " "--diff -- true" "--format x -- true" \
    "--format systemd --base $moby -- true" "--allow no_such_call -- true" \
    "--user no_such_user_here -- true"; do
	# shellcheck disable=SC2086
	"$bin" learn $args >/dev/null 2>&1
	[ $? -eq 2 ] || no "learn $args: not exit 2"
done

exit $fail
