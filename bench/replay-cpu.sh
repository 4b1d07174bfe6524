#!/bin/sh
# replay-cpu.sh [RUNS] [-- SECCOMPMON...]: issue 8's replay target in one
# command.  Replays bench/genlog's 1,000,000 lines to a file, RUNS times
# (default 3) in each of four settings: storm control off and on, on both
# cores and on one (taskset -c 0), runs interleaved so that a busy host
# slows all settings alike.  One line per run: wall time, records/s, CPU
# (user + sys, both threads) per record, peak RSS.  Build first:
# make seccompmon bench/genlog.  Touches nothing but $TMPDIR.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- "$top/seccompmon"
tmp=${TMPDIR:-/tmp}/replay-cpu.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

log=${SM_REPLAY_LOG:-${TMPDIR:-/tmp}/seccompmon-genlog-1m.log}
if [ ! -s "$log" ]; then
	echo "generating $log" >&2
	"$top/bench/genlog" 1000000 >"$log"
fi
n=$(wc -l <"$log")
printf '{"storm":{"enabled":false}}\n' >"$tmp/off.json"
printf '{}\n' >"$tmp/on.json"

run() {	# run STORM CORES: one replay, one line
	storm=$1 cores=$2 pin=
	[ "$cores" = one ] && pin="taskset -c 0"
	rm -f "$tmp"/out.json*
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" $pin $cmd \
	    -c "$tmp/$storm.json" --replay "$log" \
	    --output "file:$tmp/out.json" 2>"$tmp/err"
	grep -q "events=" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
	read -r wall user sys rss <"$tmp/time"
	awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$n" \
	    -v st="$storm" -v c="$cores" 'BEGIN {
		printf "storm %-3s cores %-4s wall %5.2f s %8.0f records/s " \
		    "CPU %.2f us/record (user %.2f s, sys %.2f s) " \
		    "peak RSS %.1f MiB\n", st, c, w, n / w,
		    (u + s) * 1e6 / n, u, s, r / 1024 }'
}

cmd="$*"
echo "replaying $n lines ($(wc -c <"$log") bytes) with $cmd"
i=0
while [ $i -lt "$runs" ]; do
	for storm in off on; do
		for cpus in both one; do
			run $storm $cpus
		done
	done
	i=$((i + 1))
done
