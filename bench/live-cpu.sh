#!/bin/sh
# live-cpu.sh [RUNS] [-- DAEMON-ARGS...]: issue 8's live target, quickly.
# Per run, on the same load (flood -m N 2, audit enabled 1, backlog 8192,
# put back at exit whatever happens): the raw counting reader (bench/rawread,
# unicast: the floor), then seccompmon --socket unicast with storm control
# off writing to a file (plus DAEMON-ARGS).  For each: the workload's rate,
# records kept, CPU per record (the daemon's: every thread's on-CPU time
# from /proc/PID/task/*/schedstat, from ready to the last event written)
# and peak RSS (VmHWM).  Medians at the end.  Holds the live tests' lock.
# LIVE_N (200000) violations per run.  LIVE_OUTPUTS replaces the outputs
# (default "file"): any of file, null (stdout to /dev/null), syslog and
# journald (these two to stand-ins that read and count: make
# tests/integration/dgram-recv).  LIVE_STORM=1 leaves storm control on;
# LIVE_KILL=1 makes every record a new process (flood -a kill N);
# LIVE_RAW=0 skips the raw reader; LIVE_CONTEXT=0 turns the process
# context off (issue 9's cost is the difference); LIVE_DAEMON is the
# daemon to run (A/B builds).  Not the side-by-side driver (bench/run): a
# tool for quick iteration.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
total=${LIVE_N:-200000}
daemon=${LIVE_DAEMON:-$top/seccompmon}
kaudit=$top/bench/kaudit
flood=$top/bench/flood
raw=$top/bench/rawread
recv=$top/tests/integration/dgram-recv	# make tests/integration/dgram-recv
for p in "$daemon" "$kaudit" "$flood" "$raw"; do
	[ -x "$p" ] || { echo "live-cpu: $p missing: run make bench" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "live-cpu: needs root" >&2; exit 2; }

lock=/tmp/seccompmon-live-tests.lock
exec 9<>"$lock" || exit 1
flock 9 || exit 1

tmp=$(mktemp -d /tmp/live-cpu.XXXXXX) || exit 1
saved=$("$kaudit" get) || exit 1
daemon_pid=
raw_pid=
receivers=
restore() {
	# shellcheck disable=SC2086 # word splitting wanted
	[ -n "$receivers" ] && kill $receivers 2>/dev/null
	[ -n "$raw_pid" ] && kill "$raw_pid" 2>/dev/null && wait "$raw_pid"
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid"
	# shellcheck disable=SC2086 # word splitting wanted
	set -- $saved
	e=${1#enabled=}; b=${2#backlog_limit=}; w=${3#backlog_wait_time=}
	"$kaudit" set backlog_limit="$b" backlog_wait_time="$w" enabled="$e" &&
		echo "live-cpu: audit settings restored: $("$kaudit" get)" >&2
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP

"$kaudit" set enabled=1 backlog_limit=8192 backlog_wait_time=60000 || exit 1
lost() { "$kaudit" get | sed -n 's/.* lost=\([0-9]*\).*/\1/p'; }

# The workload: flood -m N 2, or LIVE_KILL=1: N processes each killed by
# its first violation (every record a new process: the process context's
# worst case, nothing cached).
run_flood() {
	if [ "${LIVE_KILL:-0}" = 1 ]; then
		"$flood" -a kill "$total"
	else
		"$flood" -m "$total" 2
	fi | sed 's/.*: //'
}

# Every thread's on-CPU nanoseconds (schedstat's first field).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# Each thread's on-CPU ns, "tid ns" lines in tid order: the reader (main
# thread), then one writer per output in the configured order.
task_ns() {
	for t in /proc/"$1"/task/*; do
		echo "${t##*/} $(cut -d' ' -f1 "$t"/schedstat)"
	done | sort -n
}

# Page faults (minflt, every thread's): fresh memory costs one per page.
minflt() { sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f8; }

storm='"storm":{"enabled":false},'
[ "${LIVE_STORM:-0}" = 1 ] && storm=
outs=
for o in ${LIVE_OUTPUTS:-file}; do
	case $o in
	file) o="{\"type\":\"file\",\"path\":\"$tmp/events.json\",\"rotate_size\":0}" ;;
	null) o="{\"type\":\"stdout\"}" ;;	# to /dev/null
	syslog|journald)	# a stand-in that reads and counts
		"$recv" "$tmp/$o.sock" 1000000000 600000 >/dev/null &
		receivers="$receivers $!"
		until [ -S "$tmp/$o.sock" ]; do sleep 0.01; done
		o="{\"type\":\"$o\",\"socket\":\"$tmp/$o.sock\"}" ;;
	*) o="{\"type\":\"$o\"}" ;;
	esac
	outs="$outs${outs:+,}$o"
done
context=
[ "${LIVE_CONTEXT:-1}" = 0 ] && context='"context":{"enabled":false},'
printf '{%s %s "stats":{"enabled":false}, "outputs":[%s]}\n' "$storm" \
    "$context" "$outs" >"$tmp/conf.json"

echo "live-cpu: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "flood $([ "${LIVE_KILL:-0}" = 1 ] && echo "-a kill $total" || echo "-m $total 2"); outputs ${LIVE_OUTPUTS:-file}; storm $([ -n "$storm" ] && echo off || echo on); context $([ -n "$context" ] && echo off || echo on); $*"

i=1
while [ "$i" -le "$runs" ]; do
	if [ "${LIVE_RAW:-1}" = 1 ]; then
		"$kaudit" wait-empty 60000 >/dev/null
		l0=$(lost)
		"$raw" "$total" >"$tmp/raw.out" &
		raw_pid=$!
		until grep -q ready "$tmp/raw.out" 2>/dev/null; do sleep 0.02; done
		rate=$(run_flood)
		wait "$raw_pid"
		raw_pid=
		l1=$(lost)
		eval "$(sed -n 's/^records=\([0-9]*\) cpu_s=[0-9.]* us_per_record=\([0-9.]*\) maxrss_kb=\([0-9]*\)/rr=\1 rus=\2 rrss=\3/p' "$tmp/raw.out")"
		echo "run $i raw:    rate $rate, kept $rr of $total, lost $((l1 - l0)), $rus us/record, rss ${rrss} kB"
		echo "${rate%%/s*} $rus" >>"$tmp/raw.all"
	fi

	"$kaudit" wait-empty 60000 >/dev/null
	l0=$(lost)
	"$daemon" -c "$tmp/conf.json" --socket unicast "$@" \
	    >/dev/null 2>"$tmp/stderr" &
	daemon_pid=$!
	n=0
	until grep -q 'listening for SECCOMP' "$tmp/stderr" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 500 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
			echo "live-cpu: the daemon did not start:" >&2
			cat "$tmp/stderr" >&2
			exit 1
		fi
		sleep 0.01
	done
	c0=$(cpu_ns "$daemon_pid")
	task_ns "$daemon_pid" >"$tmp/t0"
	f0=$(minflt "$daemon_pid")
	rate=$(run_flood)
	"$kaudit" wait-empty 60000 >/dev/null
	# Until the daemon is idle again (under 2 ms of CPU in 200 ms): every
	# event written.
	c1=$(cpu_ns "$daemon_pid")
	while :; do
		sleep 0.2
		c2=$(cpu_ns "$daemon_pid")
		[ $((c2 - c1)) -lt 2000000 ] && break
		c1=$c2
	done
	c1=$(cpu_ns "$daemon_pid")
	f1=$(minflt "$daemon_pid")
	task_ns "$daemon_pid" >"$tmp/t1"
	hwm=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' /proc/"$daemon_pid"/status)
	kill -TERM "$daemon_pid"
	wait "$daemon_pid"
	daemon_pid=
	l1=$(lost)
	got=-
	[ -f "$tmp/events.json" ] &&
	    got=$(grep -cF "\"executable\":\"$flood\"" "$tmp/events.json")
	us=$(echo "$c0 $c1 $total" | awk '{ printf "%.3f", ($2 - $1) / $3 / 1000 }')
	echo "run $i daemon: rate $rate, kept $got of $total, lost $((l1 - l0)), $us us/record, rss $hwm kB, page faults $((f1 - f0))"
	echo "${rate%%/s*} $us $hwm" >>"$tmp/daemon.all"
	# Per thread: us per record received; each writer's also per event
	# it wrote (its output's counters from the daemon's last words).
	sed -n 's/^<6>output [^ ]*: events=\([0-9]*\) .*queue_dropped=\([0-9]*\).*/\1 \2/p' \
	    "$tmp/stderr" >"$tmp/written"
	join "$tmp/t0" "$tmp/t1" | awk -v n="$total" -v outs="${LIVE_OUTPUTS:-file}" '
	    BEGIN { split(outs, o, " ") }
	    NR == FNR { w[FNR] = $1; d[FNR] = $2; next }
	    { us = ($3 - $2) / 1000
	      if (FNR == 1) { printf "    reader %.3f us/record\n", us / n; next }
	      k = FNR - 1
	      printf "    writer %s: %.3f us/record, %.3f us per event written (%d written, %d dropped)\n",
		  o[k], us / n, w[k] ? us / w[k] : 0, w[k], d[k] }' "$tmp/written" -
	rm -f "$tmp"/events.json*
	i=$((i + 1))
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
if [ -f "$tmp/raw.all" ]; then
	rr=$(cut -d' ' -f1 "$tmp/raw.all" | median)
	ru=$(cut -d' ' -f2 "$tmp/raw.all" | median)
	echo "median raw:    rate $rr, $ru us/record"
fi
dr=$(cut -d' ' -f1 "$tmp/daemon.all" | median)
du=$(cut -d' ' -f2 "$tmp/daemon.all" | median)
dh=$(cut -d' ' -f3 "$tmp/daemon.all" | median)
echo "median daemon: rate $dr, $du us/record, rss $dh kB"
[ -f "$tmp/raw.all" ] && echo "$dr $rr $du $ru" |
    awk '{ printf "ratio: rate %.1f%% of the floor, cpu %.2fx the raw reader\n", 100 * $1 / $2, $3 / $4 }'
