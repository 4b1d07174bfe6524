#!/bin/sh
# Completeness of the built-in seccomp policy: the whole live suite runs with
# the built-in allow-list but default_action "log", so that a call the list
# lacks is let through (the tests go on) and audited, and the observer of
# test_live and test_ia32 fails every test in which a daemon left such a
# record.  That proves nothing unless the filter was loaded: with
# SECCOMPMON_TEST_CONFIG set, both assert Seccomp: 2 for every daemon they
# start and print the daemon's sandbox line, which must say "default log"
# each time.  test_ia32 (i386 records) may skip where int 0x80 does not work;
# then only that part is skipped.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conf="$top_srcdir/tests/data/sandbox/log-default.json"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# run NAME: run the test program NAME with the log-default configuration;
# its exit status, its stderr kept in $tmp/NAME.err.
run() {
	prog="$top_builddir/tests/integration/$1"
	if [ ! -x "$prog" ]; then
		echo "test_completeness: $prog is missing: build it first" >&2
		exit 99
	fi
	SECCOMPMON_TEST_CONFIG=$conf "$prog" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	cat "$tmp/$1.out"
	cat "$tmp/$1.err" >&2
	return $rc
}

# check NAME: every daemon NAME started had a filter, the built-in list and
# default log; prints how many daemons that was.
check() {
	all=$(grep -c "^$1: daemon pid " "$tmp/$1.err")
	good=$(grep -c "^$1: daemon pid [0-9]*: Seccomp: 2; sandbox: built-in [a-z0-9_]* policy loaded ([0-9]* syscalls listed, default log, denials audited)" "$tmp/$1.err")
	if [ "$all" -eq 0 ]; then
		echo "FAIL: $1 reported no daemon's sandbox: was $conf used?" >&2
		exit 1
	fi
	if [ "$good" -ne "$all" ]; then
		echo "FAIL: $((all - good)) of $all daemons of $1 did not load" \
		    "the built-in policy with default log:" >&2
		grep "^$1: daemon pid " "$tmp/$1.err" |
		    grep -v 'Seccomp: 2; sandbox: built-in .* default log' >&2
		exit 1
	fi
	echo "$all"
}

run test_live
rc=$?
if [ $rc -eq 77 ]; then
	echo "test_completeness: SKIP: test_live skipped (see above)" >&2
	exit 77
fi
if [ $rc -ne 0 ]; then
	echo "FAIL: test_live with $conf: exit status $rc" >&2
	exit 1
fi
n=$(check test_live) || exit 1

# The outputs' writer threads waiting on a full syslog socket and blocked
# on a terminal nobody reads, then ending.
run test_outq
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: test_outq with $conf: exit status $rc" >&2
	exit 1
fi
m=$(check test_outq) || exit 1
n=$((n + m))

# The switch to multicast, the yield to auditd and the floods run calls
# after the filter that test_live does not.
run test_coexist
rc=$?
if [ $rc -eq 77 ]; then
	echo "test_completeness: test_coexist skipped (see above): the" \
	    "daemon's calls when it changes socket mode are not covered" >&2
elif [ $rc -ne 0 ]; then
	echo "FAIL: test_coexist with $conf: exit status $rc" >&2
	exit 1
else
	m=$(check test_coexist) || exit 1
	n=$((n + m))
fi

# The gap report's reads of /proc: processes under filters, their cgroups
# and start times, which the other tests' hosts have none of.
run test_gaps
rc=$?
if [ $rc -eq 77 ]; then
	echo "test_completeness: test_gaps skipped (see above): the daemon's" \
	    "calls while it reports monitoring gaps are not covered here" >&2
elif [ $rc -ne 0 ]; then
	echo "FAIL: test_gaps with $conf: exit status $rc" >&2
	exit 1
else
	m=$(check test_gaps) || exit 1
	n=$((n + m))
fi
# The process context after the filter: /proc of new, cached and gone
# processes, a replaced passwd file, kubelet's pod directory, real cgroups;
# and a real container's events written to a file output.
for t in test_context test_context_cgroup test_roundtrip_crun; do
	run "$t"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $t with $conf: exit status $rc" >&2
		exit 1
	fi
	m=$(check "$t") || exit 1
	n=$((n + m))
done

run test_ia32
rc=$?
if [ $rc -eq 77 ]; then
	echo "test_completeness: test_ia32 skipped (see above): the daemon's" \
	    "calls while it decodes i386 records are not covered here" >&2
elif [ $rc -ne 0 ]; then
	echo "FAIL: test_ia32 with $conf: exit status $rc" >&2
	exit 1
else
	m=$(check test_ia32) || exit 1
	n=$((n + m))
fi

echo "test_completeness: $n daemons ran with the built-in list and" \
    "default log; none made a call outside it"
exit 0
