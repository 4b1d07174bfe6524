#!/bin/sh
# report-big.sh [N]: seccompmon report over N (default 10,000,000) records
# from genlog, streamed through a pipe (no file of gigabytes): raw audit
# lines, then the daemon's events from --replay of the same lines.  Prints
# each run's wall time and maximum resident set size (/usr/bin/time -v),
# which must stay flat as N grows: the group table is bounded, not the
# input.  Run from the build directory after "make bench".
set -eu
n=${1:-10000000}
bin=./seccompmon
genlog=./bench/genlog
[ -x "$bin" ] && [ -x "$genlog" ] || {
	echo "report-big.sh: run 'make bench' in the build directory first" >&2
	exit 2
}
[ -x /usr/bin/time ] || { echo "report-big.sh: needs /usr/bin/time" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
	what=$1
	shift
	/usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" <"$tmp/fifo" &
	pid=$!
	"$feed" >"$tmp/fifo"
	wait $pid || { echo "$what: failed" >&2; cat "$tmp/err" >&2; exit 1; }
	printf '%-8s %s records: %s s, max RSS %s kB; %s\n' "$what" "$n" \
	    "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")" \
	    "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")" \
	    "$(grep -E '^[0-9]+ violations' "$tmp/out")"
}

raw_feed() { "$genlog" "$n"; }
json_feed() { "$genlog" "$n" | "$bin" --replay - --output stdout 2>/dev/null; }

mkfifo "$tmp/fifo"
feed=raw_feed
run raw "$bin" report -
feed=json_feed
run events "$bin" report -
