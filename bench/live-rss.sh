#!/bin/sh
# live-rss.sh [EXES] [PER-EXE]: issue 8's memory target.  EXES (10000)
# hard links of bench/flood under distinct names in a tmpdir, each run as
# `flood -m PER-EXE 1` (1000; three calls each: 30,000 storm keys), two at
# a time, against seccompmon unicast with storm control on (its defaults)
# writing to a file.  Samples the daemon's VmRSS every 2 s; prints the
# samples' first, middle and last thirds' medians, VmHWM, and the counters.
# Audit enabled 1, backlog 8192 for the run, put back at exit.  Holds the
# live tests' lock.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
exes=${1:-10000}
per=${2:-1000}
daemon=${LIVE_DAEMON:-$top/seccompmon}
kaudit=$top/bench/kaudit
flood=$top/bench/flood
for p in "$daemon" "$kaudit" "$flood"; do
	[ -x "$p" ] || { echo "live-rss: $p missing: run make bench" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "live-rss: needs root" >&2; exit 2; }

exec 9<>/tmp/seccompmon-live-tests.lock || exit 1
flock 9 || exit 1

tmp=$(mktemp -d /tmp/live-rss.XXXXXX) || exit 1
saved=$("$kaudit" get) || exit 1
daemon_pid=
sampler=
restore() {
	[ -n "$sampler" ] && kill "$sampler" 2>/dev/null
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid"
	# shellcheck disable=SC2086 # word splitting wanted
	set -- $saved
	e=${1#enabled=}; b=${2#backlog_limit=}; w=${3#backlog_wait_time=}
	"$kaudit" set backlog_limit="$b" backlog_wait_time="$w" enabled="$e" &&
		echo "live-rss: audit settings restored: $("$kaudit" get)" >&2
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP
"$kaudit" set enabled=1 backlog_limit=8192 backlog_wait_time=60000 || exit 1

mkdir "$tmp/bin"
i=0
while [ "$i" -lt "$exes" ]; do
	ln "$flood" "$tmp/bin/v$i"
	i=$((i + 1))
done
printf '{"stats":{"enabled":false},"outputs":[{"type":"file","path":"%s","rotate_size":"64M","keep":1}]}\n' \
    "$tmp/events.json" >"$tmp/conf.json"
echo "live-rss: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$exes executables x $per violations (flood -m, 3 calls), storm on"
"$daemon" -c "$tmp/conf.json" --socket unicast 2>"$tmp/stderr" &
daemon_pid=$!
until grep -q 'listening for SECCOMP' "$tmp/stderr" 2>/dev/null; do
	kill -0 "$daemon_pid" 2>/dev/null || { cat "$tmp/stderr"; exit 1; }
	sleep 0.01
done
(while :; do
	sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' /proc/"$daemon_pid"/status
	sleep 2
done >"$tmp/rss") &
sampler=$!
t0=$(date +%s)
# Two at a time: the even and the odd names.
workers=
for half in 0 1; do
	(i=$half
	while [ "$i" -lt "$exes" ]; do
		"$tmp/bin/v$i" -m "$per" 1 >/dev/null
		i=$((i + 2))
	done) &
	workers="$workers $!"
done
# shellcheck disable=SC2086 # word splitting wanted
wait $workers
"$kaudit" wait-empty 120000 >/dev/null
sleep 12		# the last storm windows close (10 s)
t1=$(date +%s)
kill "$sampler"
sampler=
hwm=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' /proc/"$daemon_pid"/status)
kill -TERM "$daemon_pid"
wait "$daemon_pid"
daemon_pid=
n=$(wc -l <"$tmp/rss")
third() { sed -n "$1,$2p" "$tmp/rss" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "RSS samples ($n, every 2 s, kB): first third median $(third 1 $((n / 3))), middle $(third $((n / 3 + 1)) $((2 * n / 3))), last $(third $((2 * n / 3 + 1)) "$n"); min $(sort -n "$tmp/rss" | head -1), max $(sort -n "$tmp/rss" | tail -1)"
echo "VmHWM $hwm kB; $((t1 - t0)) s"
grep -E 'counters:|output file' "$tmp/stderr"
