#!/bin/sh
# live-latency.sh [MARKERS]: issue 8's latency and start-up targets.
# Start-up: exec to the "listening" line (polled every ms; a bound).
# Latency: a marker (a hard link of bench/flood under a name of its own)
# makes one violation; the time its event is seen in the output file (tail
# -F, inotify) minus the record's own time (@timestamp, ms): on an idle
# host, then during a flood (flood -m 3000000 2, storm control off).
# seccompmon runs unicast, output to a file; audit enabled 1, backlog 8192
# for the run, put back at exit.  Holds the live tests' lock.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
markers=${1:-5}
daemon=${LIVE_DAEMON:-$top/seccompmon}
kaudit=$top/bench/kaudit
flood=$top/bench/flood
for p in "$daemon" "$kaudit" "$flood"; do
	[ -x "$p" ] || { echo "live-latency: $p missing: run make bench" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "live-latency: needs root" >&2; exit 2; }

exec 9<>/tmp/seccompmon-live-tests.lock || exit 1
flock 9 || exit 1

tmp=$(mktemp -d /tmp/live-latency.XXXXXX) || exit 1
saved=$("$kaudit" get) || exit 1
daemon_pid=
flood_pid=
restore() {
	[ -n "$flood_pid" ] && kill "$flood_pid" 2>/dev/null
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid"
	# shellcheck disable=SC2086 # word splitting wanted
	set -- $saved
	e=${1#enabled=}; b=${2#backlog_limit=}; w=${3#backlog_wait_time=}
	"$kaudit" set backlog_limit="$b" backlog_wait_time="$w" enabled="$e" &&
		echo "live-latency: audit settings restored: $("$kaudit" get)" >&2
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP
"$kaudit" set enabled=1 backlog_limit=8192 backlog_wait_time=60000 || exit 1
printf '{"storm":{"enabled":false},"stats":{"enabled":false},"outputs":[{"type":"file","path":"%s","rotate_size":0}]}\n' \
    "$tmp/events.json" >"$tmp/conf.json"
echo "live-latency: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"

now_ms() { date +%s%3N; }

# Start-up, three times; the last daemon stays.
for i in 1 2 3; do
	[ -n "$daemon_pid" ] && { kill "$daemon_pid"; wait "$daemon_pid"; }
	: >"$tmp/stderr"
	t0=$(date +%s%N)
	"$daemon" -c "$tmp/conf.json" --socket unicast 2>"$tmp/stderr" &
	daemon_pid=$!
	until grep -q 'listening for SECCOMP' "$tmp/stderr"; do
		kill -0 "$daemon_pid" 2>/dev/null || { cat "$tmp/stderr"; exit 1; }
		sleep 0.001
	done
	t1=$(date +%s%N)
	echo "start-up $i: $(( (t1 - t0) / 1000000 )) ms to listening"
done

# One marker: its latency in ms, or "-" when not seen within 5 s.
mark() {
	m=$tmp/marker-$1
	ln "$flood" "$m"
	rm -f "$tmp/seen"
	(timeout 5 tail -n0 -F "$tmp/events.json" 2>/dev/null |
	    grep -m1 -F "\"executable\":\"$m\"" >"$tmp/line" &&
	    now_ms >"$tmp/seen") &
	w=$!
	sleep 0.3		# tail is watching
	"$m" 1 >/dev/null
	wait "$w"
	if [ -s "$tmp/seen" ]; then
		ts=$(sed 's/^{"@timestamp":"\([^"]*\)".*/\1/' "$tmp/line")
		echo $(( $(cat "$tmp/seen") - $(date -d "$ts" +%s%3N) ))
	else
		echo -
	fi
}

i=1
while [ "$i" -le "$markers" ]; do
	echo "idle $i: $(mark idle$i) ms"
	i=$((i + 1))
done
"$flood" -m 3000000 2 >"$tmp/flood.out" &
flood_pid=$!
sleep 1
i=1
while [ "$i" -le "$markers" ] && kill -0 "$flood_pid" 2>/dev/null; do
	echo "flood $i: $(mark flood$i) ms"
	i=$((i + 1))
done
wait "$flood_pid"
flood_pid=
echo "flood: $(cat "$tmp/flood.out")"
