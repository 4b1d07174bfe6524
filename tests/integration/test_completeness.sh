#!/bin/sh
# Completeness of the built-in seccomp policy: the whole live suite runs with
# the built-in allow-list but default_action "log", so that a call the list
# lacks is let through (the tests go on) and audited, and test_live's
# observer fails every test in which a daemon left such a record.  That proves
# nothing unless the filter was loaded: with SECCOMPMON_TEST_CONFIG set,
# test_live asserts Seccomp: 2 for every daemon it starts and prints the
# daemon's sandbox line, which must say "default log" each time.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conf="$top_srcdir/tests/data/sandbox/log-default.json"
live="$top_builddir/tests/integration/test_live"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$live" ]; then
	echo "test_completeness: $live is missing: build it first" >&2
	exit 99
fi
SECCOMPMON_TEST_CONFIG=$conf "$live" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
cat "$tmp/err" >&2
if [ $rc -eq 77 ]; then
	echo "test_completeness: SKIP: test_live skipped (see above)" >&2
	exit 77
fi
if [ $rc -ne 0 ]; then
	echo "FAIL: test_live with $conf: exit status $rc" >&2
	exit 1
fi

# Every daemon: a filter, the built-in list, default log.
all=$(grep -c '^test_live: daemon pid ' "$tmp/err")
good=$(grep -c '^test_live: daemon pid [0-9]*: Seccomp: 2; sandbox: built-in [a-z0-9_]* policy loaded ([0-9]* syscalls listed, default log, denials audited)' "$tmp/err")
if [ "$all" -eq 0 ]; then
	echo "FAIL: test_live reported no daemon's sandbox: was $conf used?" >&2
	exit 1
fi
if [ "$good" -ne "$all" ]; then
	echo "FAIL: $((all - good)) of $all daemons did not load the built-in" \
	    "policy with default log:" >&2
	grep '^test_live: daemon pid ' "$tmp/err" |
	    grep -v 'Seccomp: 2; sandbox: built-in .* default log' >&2
	exit 1
fi
echo "test_completeness: $all daemons ran with the built-in list and" \
    "default log; none made a call outside it"
exit 0
