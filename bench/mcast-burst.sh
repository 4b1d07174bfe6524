#!/bin/sh
# mcast-burst.sh [RUNS] [-- DAEMON-ARGS...]: issue 7's multicast measurement.
# The host's audit is set as a host with auditd has it (enabled 1,
# backlog_limit 8192), put back at exit whatever happens; each run starts
# seccompmon --socket multicast with its defaults (plus DAEMON-ARGS), makes
# 200,000 violations from two processes at once, waits for kauditd to send
# them all, stops the daemon and reads its final counters.  Needs root and
# `make bench`; holds the live tests' lock while it runs.
# SM_BURST_TOTAL (200000) violations per run; SM_BURST_BUSY=N runs N
# busy loops beside each burst, a host whose CPUs are taken; SM_BURST_WRAP
# goes before the daemon's command (nice -n -10).  Prints per run: received, lost per the daemon, missing.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
total=${SM_BURST_TOTAL:-200000}
daemon=$top/seccompmon
kaudit=$top/bench/kaudit
flood=$top/bench/flood
for p in "$daemon" "$kaudit" "$flood"; do
	[ -x "$p" ] || { echo "mcast-burst: $p missing: run make bench" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "mcast-burst: needs root" >&2; exit 2; }

# The live tests' lock: they need the host's audit as they found it, and
# a benchmark wants no other flood at the same time.
lock=/tmp/seccompmon-live-tests.lock
exec 9<>"$lock" || exit 1
flock 9 || exit 1

tmp=$(mktemp -d /tmp/mcast-burst.XXXXXX) || exit 1
saved=$("$kaudit" get) || exit 1
daemon_pid=
busy=
restore() {
	[ -n "$busy" ] && kill $busy 2>/dev/null
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid"
	# shellcheck disable=SC2086 # word splitting wanted
	set -- $saved
	e=${1#enabled=}; b=${2#backlog_limit=}; w=${3#backlog_wait_time=}
	"$kaudit" set backlog_limit="$b" backlog_wait_time="$w" enabled="$e" &&
		echo "mcast-burst: audit settings restored: $("$kaudit" get)" >&2
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP

echo "mcast-burst: host audit was: $saved" >&2
"$kaudit" set enabled=1 backlog_limit=8192 backlog_wait_time=60000 || exit 1
echo "mcast-burst: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mcast-burst: seccompmon --socket multicast $*; $total violations" \
    "(flood -m $total 2), ${SM_BURST_BUSY:-0} busy loops"

zero=0 worst=$total sum_lost=0
i=1
while [ "$i" -le "$runs" ]; do
	${SM_BURST_WRAP:-} "$daemon" --socket multicast --output "file:$tmp/events.json" "$@" \
	    2>"$tmp/stderr" &
	daemon_pid=$!
	n=0
	until grep -q 'listening for SECCOMP' "$tmp/stderr" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 100 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
			echo "mcast-burst: the daemon did not start:" >&2
			cat "$tmp/stderr" >&2
			exit 1
		fi
		sleep 0.1
	done
	busy=
	j=0
	while [ "$j" -lt "${SM_BURST_BUSY:-0}" ]; do
		sh -c 'while :; do :; done' &
		busy="$busy $!"
		j=$((j + 1))
	done
	rate=$("$flood" -m "$total" 2) || exit 1
	[ -n "$busy" ] && kill $busy
	"$kaudit" wait-empty 120000 || exit 1
	sleep 1		# the reader takes what is queued on its socket
	kill -TERM "$daemon_pid"
	wait "$daemon_pid"
	daemon_pid=
	all=$(sed -n 's/.*counters: seccomp_records=\([0-9]*\).*/\1/p' \
	    "$tmp/stderr" | tail -n 1)
	other=$(sed -n 's/.*counters: .* other_records=\([0-9]*\).*/\1/p' \
	    "$tmp/stderr" | tail -n 1)
	# The flood's records only (other programs on the host may violate
	# too): its events, plus the records its summaries folded.
	got=$(grep -hF "\"executable\":\"$flood\"" "$tmp"/events.json* |
	    awk '/"violations-summarized"/ {
		sub(/.*"summary":\{"count":/, ""); sub(/,.*/, ""); s += $0; next
	    } { s++ } END { print s + 0 }')
	# Records the daemon says were lost, from its events-lost events.
	lost=$(grep -h '"events-lost"' "$tmp"/events.json* |
	    sed -n 's/.*"lost":{"count":\([0-9]*\).*/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }')
	reasons=$(grep -h '"events-lost"' "$tmp"/events.json* |
	    sed -n 's/.*"reasons":{\([^}]*\)}.*/\1/p' | tr '\n' ' ')
	got=${got:-0}
	missing=$((total - got))
	echo "run $i: received $got of $total (SECCOMP records: ${all:-?}, other: ${other:-?})," \
	    "missing $missing, reported lost $lost${reasons:+ ($reasons)};" \
	    "flood: $rate"
	[ "$missing" -eq 0 ] && zero=$((zero + 1))
	[ "$got" -lt "$worst" ] && worst=$got
	sum_lost=$((sum_lost + missing))
	rm -f "$tmp"/events.json*
	i=$((i + 1))
done
echo "mcast-burst: $zero of $runs runs without loss; worst run received" \
    "$worst of $total; $sum_lost records missing in all"
