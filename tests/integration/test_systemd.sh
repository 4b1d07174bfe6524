#!/bin/sh
# The installed units under a real systemd: this tree is installed with
# make install into a throwaway overlay over a cached Debian root (built
# once with debootstrap, outside the source tree), which boots with
# systemd-nspawn on the host's network, where the audit socket is.  In the
# container's PID namespace only multicast works, so the configuration
# changes the socket mode and nothing else.  A violation made on the host
# must come out of the unit as an event in the container's journal.  Last,
# the profile round trip for a unit of the container (block 6): killed for
# a call its filter denies, recorded by the build tree's daemon on the
# host, given the drop-in "seccompmon profile --unit" writes, run clean.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${sbindir:?}" "${sysconfdir:?}"
: "${docdir:?}" "${systemdsystemunitdir:?}"
MAKE=${MAKE:-make}

# The one setting the container needs.
SOCKET_CONF='"audit": {"socket": "multicast"}'

skip() { echo "SKIP: $*" >&2; exit 77; }
# What this boots is what ships: the unit's own system call filter and a
# Debian root without the sanitizer runtime would test something else.
[ "${SM_SANITIZERS:-no}" = no ] || skip "a sanitizer build" \
    "(--enable-sanitizers): the installed unit runs a plain build"
[ "$(id -u)" -eq 0 ] || skip "needs root (overlay mounts, cgroups, nspawn)"
# make distcheck installs under its build directory.  Where that lies in
# /tmp, the booted container mounts a tmpfs over /tmp and the units'
# PrivateTmp= (implied by DynamicUser= in the multicast unit, and not to be
# turned off) hides it from the service: nothing installed there can run.
# The make check run boots the units as installed (--prefix=/usr).
for d in "$sbindir" "$sysconfdir"; do
	case $d in
	/tmp/*|/var/tmp/*)
		skip "installed under $d, which the units' PrivateTmp= hides" \
		    "inside the container (make distcheck from a tree in" \
		    "/tmp); the make check run boots the installed units" ;;
	esac
done
for c in systemd-nspawn:systemd-container debootstrap:debootstrap \
    nsenter:util-linux flock:util-linux; do
	command -v "${c%%:*}" >/dev/null 2>&1 ||
		skip "${c%%:*} is not installed (package ${c#*:})"
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || skip "the kernel has no overlayfs"

start=$(date +%s)
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }
say() { echo "test_systemd: $*"; }

# --- The cached root: built once, under an exclusive lock, complete only
# when its marker (written last) names the same suite and packages; used
# under a shared lock, so that parallel runs share it.
. /etc/os-release
suite=${VERSION_CODENAME:-}
case ${ID:-} in
debian)	mirror=http://deb.debian.org/debian ;;
ubuntu)	mirror=http://archive.ubuntu.com/ubuntu ;;
*)	mirror= ;;
esac
mirror=${SECCOMPMON_TEST_MIRROR:-$mirror}
[ -n "$suite" ] && [ -n "$mirror" ] ||
	skip "no debootstrap suite and mirror for ${ID:-?} ${VERSION_ID:-?}"
# systemd-sysv: /sbin/init for --boot; the daemon's own libraries.
include=systemd,systemd-sysv,libaudit1,libseccomp2,libjson-c5
cache=${SECCOMPMON_TEST_CACHE:-/var/cache/seccompmon-tests}
root=$cache/$suite-root
marker=$cache/$suite-root.complete
want="$suite $mirror $include"
mkdir -p "$cache" || exit 99
exec 9>"$cache/$suite-root.lock"
flock -s -w 900 9 || { echo "FAIL: $cache is locked" >&2; exit 99; }
if [ "$(cat "$marker" 2>/dev/null)" != "$want" ] || [ ! -d "$root" ]; then
	flock -x -w 900 9 || { echo "FAIL: $cache is locked" >&2; exit 99; }
	if [ "$(cat "$marker" 2>/dev/null)" != "$want" ] ||
	    [ ! -d "$root" ]; then
		say "building $root (once; a few minutes)"
		rm -rf "$marker" "$root" "$root.new" || exit 99
		if ! timeout 1800 debootstrap --variant=minbase \
		    --include="$include" "$suite" "$root.new" "$mirror" \
		    >"$cache/debootstrap.log" 2>&1; then
			tail -n 20 "$cache/debootstrap.log" >&2
			rm -rf "$root.new"
			if grep -Eq 'Failed getting release|Temporary failure|Could not resolve|Connection (refused|timed out)|Network is unreachable' \
			    "$cache/debootstrap.log"; then
				skip "debootstrap could not reach $mirror"
			fi
			echo "FAIL: debootstrap $suite failed" >&2
			exit 99
		fi
		mv "$root.new" "$root" && echo "$want" >"$marker" || exit 99
	fi
	flock -s 9
fi
say "root $root ready after $(($(date +%s) - start)) s"

# --- A throwaway overlay over it, this tree installed, booted.
work=$(mktemp -d "${TMPDIR:-/tmp}/seccompmon-systemd.XXXXXX") || exit 99
name=smtest$$
nspawn=
cgdirs=
rtpid=
cleanup() {
	# Block 6's daemon on the host.
	[ -n "$rtpid" ] && kill -KILL "$rtpid" 2>/dev/null
	if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
		# SIGTERM: nspawn asks the container's systemd to halt.
		kill -TERM "$nspawn" 2>/dev/null
		i=0
		while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.2
			i=$((i + 1))
		done
		if kill -0 "$nspawn" 2>/dev/null; then
			echo "test_systemd: the container did not halt; killing" >&2
			for d in $cgdirs; do
				[ -f "$d/cgroup.kill" ] && echo 1 >"$d/cgroup.kill"
			done
			kill -KILL "$nspawn" 2>/dev/null
			sleep 1
		fi
	fi
	if mountpoint -q "$work/root" 2>/dev/null; then
		umount "$work/root" 2>/dev/null || umount -l "$work/root"
	fi
	for d in $cgdirs; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + \
		    2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

mkdir "$work/upper" "$work/work" "$work/root" || exit 99
mount -t overlay "seccompmon-$name" -o \
    "lowerdir=$root,upperdir=$work/upper,workdir=$work/work" "$work/root" ||
	skip "cannot mount an overlay over $root"
r=$work/root
if ! $MAKE -C "$top_builddir" install DESTDIR="$r" >"$work/install.log" 2>&1
then
	cat "$work/install.log" >&2
	echo "FAIL: make install DESTDIR=$r" >&2
	exit 1
fi
# Units in a directory systemd does not read (distcheck's prefix, or none
# installed) are copied where it does.
case $systemdsystemunitdir in
/etc/systemd/system|/lib/systemd/system|/usr/lib/systemd/system|\
/usr/local/lib/systemd/system) ;;
no)	cp "$top_builddir"/systemd/*.service "$r/etc/systemd/system/" ;;
*)	cp "$r$systemdsystemunitdir"/seccompmon*.service \
	    "$r/etc/systemd/system/" ;;
esac
conf=$r$sysconfdir/seccompmon/seccompmon.json
[ -f "$conf" ] || { echo "FAIL: make install did not install $conf" >&2
	exit 1; }
chroot "$r" useradd --system --no-create-home --shell /usr/sbin/nologin \
    seccompmon || exit 99
# On the host network the container's journald would read the host's
# whole audit stream (systemd-journald-audit.socket): other tests' floods
# filled 700k entries and made journalctl time out.  Mask it, and keep the
# journal small and in memory.
ln -sf /dev/null "$r/etc/systemd/system/systemd-journald-audit.socket"
mkdir -p "$r/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n' \
    >"$r/etc/systemd/journald.conf.d/seccompmon-test.conf"

# Cgroups for the container: systemd on the host allocates a scope; here
# (no systemd) make one in each hierarchy nspawn looks at.
keep_unit=
if [ ! -d /run/systemd/system ]; then
	keep_unit=--keep-unit
	if [ -d /sys/fs/cgroup/systemd ] &&
	    [ -f /sys/fs/cgroup/systemd/cgroup.procs ]; then
		cgdirs="/sys/fs/cgroup/systemd/$name"
		[ -f /sys/fs/cgroup/unified/cgroup.procs ] &&
			cgdirs="$cgdirs /sys/fs/cgroup/unified/$name"
	elif [ -f /sys/fs/cgroup/cgroup.procs ]; then
		cgdirs="/sys/fs/cgroup/$name"
	else
		skip "no cgroup hierarchy for systemd under /sys/fs/cgroup"
	fi
	for d in $cgdirs; do
		mkdir "$d" || skip "cannot create cgroup $d"
	done
fi
# Violations on the host reach every audit reader: serialise with the
# other live tests while the container's daemons read them.
lock=/tmp/seccompmon-live-tests.lock
exec 8>>"$lock" && flock -x -w 600 8 ||
	{ echo "FAIL: cannot take $lock" >&2; exit 99; }
say "live-test lock taken after $(($(date +%s) - start)) s"
# shellcheck disable=SC2016,SC2086
sh -c 'for d in $0; do echo $$ >"$d/cgroup.procs" || exit 1; done
	exec env SYSTEMD_SECCOMP=0 systemd-nspawn -q -D "$1" --boot \
	    --register=no $2 --capability=all -M "$3" --link-journal=no \
	    --console=read-only' "$cgdirs" "$r" "$keep_unit" "$name" \
    </dev/null >"$work/console.log" 2>&1 &
nspawn=$!

# The container's PID 1 as the host sees it: nspawn's child, pid 1 inside.
leader=
i=0
while [ -z "$leader" ] && [ $i -lt 100 ] && kill -0 "$nspawn" 2>/dev/null; do
	sleep 0.1
	leader=$(awk -v p="$nspawn" 'FNR == 1 { pp = "" }
	    /^PPid:/ { pp = $2 }
	    /^NSpid:/ { if (pp == p && $3 == 1) print $2 }' \
	    /proc/[0-9]*/status 2>/dev/null | head -n 1)
	i=$((i + 1))
done
if [ -z "$leader" ]; then
	cat "$work/console.log" >&2
	echo "FAIL: the container did not start" >&2
	exit 1
fi
# In the container, with its own PATH and nothing of this environment;
# -r -w: its root and directory too (nspawn run from a chroot leaves them
# unset for -a alone).
c() {
	timeout -k 5 60 nsenter -t "$leader" -a -r -w \
	    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
state=
i=0
while [ $i -lt 60 ]; do
	state=$(c timeout 5 systemctl is-system-running --wait 2>/dev/null)
	case $state in running|degraded) break ;; esac
	sleep 0.5
	i=$((i + 1))
done
case $state in
running|degraded) say "booted ($state) after $(($(date +%s) - start)) s" ;;
*)	cat "$work/console.log" >&2
	echo "FAIL: the container did not boot: '$state'" >&2
	exit 1 ;;
esac

# --- Helpers for the checks.
prop() { c systemctl show -P "$2" "$1"; }
journal() { c journalctl -u "$1" -o cat --no-pager 2>/dev/null; }
setconf() { printf '%s\n' "$1" >"$conf"; }
# $1: unit; the unit is up, has not restarted, and its daemon is filtered
# and under Landlock.
check_running() {
	[ "$(c systemctl is-active "$1")" = active ] ||
		{ no "$1 is not active"; journal "$1" >&2; return 1; }
	[ "$(prop "$1" NRestarts)" = 0 ] ||
		no "$1 restarted $(prop "$1" NRestarts) times"
	pid=$(prop "$1" MainPID)
	c cat "/proc/$pid/status" >"$work/status" 2>/dev/null ||
		{ no "$1: no status for MainPID $pid"; return 1; }
	grep -q '^Seccomp:[[:space:]]*2$' "$work/status" ||
		no "$1: the daemon has no seccomp filter: $(grep Seccomp \
		    "$work/status")"
	grep -q '^NoNewPrivs:[[:space:]]*1$' "$work/status" ||
		no "$1: NoNewPrivs is not set"
	grep -q '^CapEff:[[:space:]]*0*$' "$work/status" ||
		no "$1: the multicast daemon kept capabilities: $(grep CapEff \
		    "$work/status")"
	uid=$(awk '/^Uid:/ { print $2 }' "$work/status")
	# The unit's own filter lets the Landlock calls through.
	journal "$1" | grep 'sandbox: ' | tail -n 1 |
	    grep -q '; Landlock ABI [0-9]*: /proc (read, list), ' ||
		no "$1: the daemon runs without Landlock: $(journal "$1" |
		    grep -e 'sandbox: ' -e 'Landlock' | tail -n 2)"
}
# $1: unit.  A violation on the host: its event in the unit's journal,
# one valid JSON object with the violator's pid and call.
check_event() {
	# The shell that waits says "Bad system call": not to the log.
	vpid=$(sh -c '"$0" kill_process >/dev/null 2>&1 & echo $!; wait' \
	    "$top_builddir/tests/integration/violator" 2>/dev/null)
	i=0
	line=
	while [ $i -lt 50 ]; do
		line=$(journal "$1" | grep "^{.*\"process\":{\"pid\":$vpid," |
		    head -n 1)
		[ -n "$line" ] && break
		sleep 0.2
		i=$((i + 1))
	done
	if [ -z "$line" ]; then
		no "$1: no event for violator pid $vpid in the journal"
		journal "$1" | tail -n 20 >&2
		return 1
	fi
	printf '%s\n' "$line" | "$top_builddir/tests/integration/jsonl-check" \
	    - 1 >/dev/null || no "$1: the event is not one JSON object: $line"
	case $line in
	*'"action":"violated-seccomp-policy"'*'"seccomp":{"action":"kill_process","syscall":{"name":"getpgid",'*) ;;
	*)	no "$1: not the violator's event: $line" ;;
	esac
}
# $1: unit.  It failed at start with exit status 78 and stays failed.
check_refused() {
	sleep 3		# longer than RestartSec=2s
	[ "$(c systemctl is-failed "$1")" = failed ] ||
		no "$1 is $(c systemctl is-active "$1"), not failed"
	[ "$(prop "$1" ExecMainStatus)" = 78 ] ||
		no "$1: exit status $(prop "$1" ExecMainStatus), not 78"
	[ "$(prop "$1" NRestarts)" = 0 ] ||
		no "$1 restarted $(prop "$1" NRestarts) times after exit 78"
}

# The installed default configuration is valid for the installed daemon.
c "$sbindir/seccompmon" --check-config >/dev/null ||
	no "the installed $sysconfdir/seccompmon/seccompmon.json is invalid"

# 1. seccompmon.service, as installed, the socket mode aside.
setconf "{ $SOCKET_CONF }"
c timeout 30 systemctl enable --now seccompmon.service >/dev/null 2>&1 ||
	no "systemctl enable --now seccompmon failed"
if check_running seccompmon.service; then
	[ "$uid" = 0 ] || no "seccompmon.service runs as uid $uid, not root"
	# The configuration's socket mode, not the unit's, decides.
	journal seccompmon.service | grep -q 'socket mode auto' &&
		no "seccompmon.service ignored the configured socket mode"
	journal seccompmon.service |
	    grep -q 'listening for SECCOMP records (multicast' ||
		no "seccompmon.service is not listening in multicast mode"
	check_event seccompmon.service
	say "seccompmon.service: active, filtered, event delivered"
fi
c timeout 30 systemctl stop seccompmon.service
[ "$(prop seccompmon.service Result)" = success ] ||
	no "seccompmon.service stopped with $(prop seccompmon.service Result)"

# 2. seccompmon-multicast.service: a dynamic user; events through the
# journald output only (native protocol, from a non-root sender).
setconf "{ $SOCKET_CONF, \"outputs\": [ { \"type\": \"journald\" } ] }"
c timeout 30 systemctl start seccompmon-multicast.service ||
	no "systemctl start seccompmon-multicast failed"
if check_running seccompmon-multicast.service; then
	[ "$uid" != 0 ] || no "seccompmon-multicast.service runs as root"
	check_event seccompmon-multicast.service
	n=$(c journalctl SECCOMP_PID="$vpid" SECCOMP_SYSCALL=getpgid \
	    SYSLOG_IDENTIFIER=seccompmon -o cat --no-pager | grep -c '^{')
	[ "$n" = 1 ] || no "journald output: $n entries with SECCOMP_PID=$vpid"
	say "seccompmon-multicast.service: active as uid $uid, event" \
	    "delivered by the journald output"
fi
c timeout 30 systemctl stop seccompmon-multicast.service

# 3. "user", with the documented drop-in; events to stdout and to the
# syslog output (/dev/log, which is the container's journald).
dropins=$r/etc/systemd/system/seccompmon.service.d
mkdir -p "$dropins" && cp "$r$docdir/examples/user.conf" "$dropins/" ||
	no "no $docdir/examples/user.conf installed"
setconf "{ $SOCKET_CONF, \"user\": \"seccompmon\",
	\"outputs\": [ { \"type\": \"stdout\" }, { \"type\": \"syslog\" } ] }"
c systemctl daemon-reload
c timeout 30 systemctl restart seccompmon.service ||
	no "seccompmon.service with \"user\" did not start"
if check_running seccompmon.service; then
	want=$(c id -u seccompmon)
	[ "$uid" = "$want" ] ||
		no "with \"user\": runs as uid $uid, not seccompmon ($want)"
	check_event seccompmon.service
	n=$(c journalctl _TRANSPORT=syslog SYSLOG_IDENTIFIER=seccompmon -o cat \
	    --no-pager | grep -c "^{.*\"process\":{\"pid\":$vpid,")
	[ "$n" = 1 ] || no "syslog output: $n messages for pid $vpid"
	say "seccompmon.service with \"user\": active as uid $uid, event" \
	    "delivered to stdout and the syslog output"
fi
c timeout 30 systemctl stop seccompmon.service
rm -f "$dropins/user.conf"

# 4. A required policy with an error: exit 78, not restarted.
setconf "{ $SOCKET_CONF, \"seccomp\": { \"default_action\": \"errno\",
	\"syscalls\": [ { \"action\": \"allow\", \"names\": [\"no_such_call\"] } ] } }"
c systemctl reset-failed seccompmon.service 2>/dev/null
c timeout 30 systemctl restart seccompmon.service 2>/dev/null &&
	no "seccompmon.service started with a bad policy"
check_refused seccompmon.service
journal seccompmon.service | grep -q 'no_such_call' ||
	no "the journal does not name the bad syscall"

# 5. A filter that cannot load (the unit's own filter denies seccomp(2),
# as @system-service did): exit 78, not restarted.
setconf "{ $SOCKET_CONF }"
printf '[Service]\nSystemCallFilter=~seccomp\n' >"$dropins/noseccomp.conf"
c systemctl daemon-reload
c systemctl reset-failed seccompmon.service 2>/dev/null
c timeout 30 systemctl restart seccompmon.service 2>/dev/null &&
	no "seccompmon.service started without its filter"
check_refused seccompmon.service
journal seccompmon.service |
    grep -q 'loading the seccomp filter: Operation not permitted' ||
	no "the journal does not say why the filter did not load"
rm -f "$dropins/noseccomp.conf"
say "units checked after $(($(date +%s) - start)) s"

# --- 6. Issue 10's round trip for a unit: violate, generate, re-run clean.
# The unit's filter denies mkdir(2), which coreutils' mkdir makes, with
# systemd's default action, kill_process: the kernel logs it whatever the
# filter's flags.  (systemd loads its filters without the log flag, so a
# SystemCallErrorNumber= denial is never logged, SystemCallLog= or not,
# and leaves nothing to learn from.)  The build tree's daemon records on
# the host: it reads the host's /proc, where the unit's cgroup is
# .../payload/system.slice/seccompmon-rt.service, which names the
# container's own unit (reporter/cgroupinfo.c).  A daemon inside the
# container gets the records' host pids, which its /proc does not have:
# no context, no unit.
rtfail=$fail
fail=0
rtunit=seccompmon-rt.service
rtdir=/run/seccompmon-rt
rtev=$work/rt-events.json
printf '%s\n' '[Unit]' 'Description=seccompmon round trip: mkdir, denied' \
    '[Service]' 'Type=oneshot' "ExecStart=/bin/mkdir $rtdir" \
    'SystemCallFilter=~mkdir' >"$r/etc/systemd/system/$rtunit"
case $(uname -m) in
x86_64)	sdarch=x86-64 ;;
aarch64) sdarch=arm64 ;;
i?86)	sdarch=x86 ;;
*)	sdarch=$(uname -m) ;;
esac
# $1: a pattern; how many violations in the events match it.
rtcount() {
	grep '"action":"violated-seccomp-policy"' "$rtev" 2>/dev/null |
	    grep -c -e "$1"
}
# $1: a pattern, $2: a count; up to 10 s until more violations match.
rtwait() {
	i=0
	while [ "$(rtcount "$1")" -le "$2" ]; do
		[ $i -ge 100 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
printf '{ }\n' >"$work/rt.json"
"$top_builddir/seccompmon" --config "$work/rt.json" --socket multicast \
    --output "file:$rtev" 2>"$work/rt.err" &
rtpid=$!
i=0
while ! grep -q 'listening for SECCOMP records' "$work/rt.err" &&
    [ $i -lt 100 ] && kill -0 "$rtpid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
grep -q 'listening for SECCOMP records' "$work/rt.err" ||
	no "round trip: the host's daemon did not start: $(cat "$work/rt.err")"
c systemctl daemon-reload
# Violate.  A killed process that systemd reaps before the daemon reads
# its record has no context left (docs/events.md, "Processes that exit at
# once"), hence no unit: such a try is said, and made again.
mkdir_ev='"executable":"[^"]*/mkdir".*"seccomp":{"action":"kill_process",'
mkdir_ev=$mkdir_ev'"syscall":{"name":"mkdir",'
unit_ev="\"service\":{\"name\":\"$rtunit\"}"
unit_cg="\"context\":\"live\",\"cgroup\":\"/"
tries=0
: >"$work/rt-line"
while [ $tries -lt 3 ]; do
	tries=$((tries + 1))
	n=$(rtcount "$mkdir_ev")
	c systemctl reset-failed "$rtunit" 2>/dev/null
	c timeout 30 systemctl start "$rtunit" 2>/dev/null &&
		no "round trip: $rtunit made $rtdir under its filter"
	[ "$(prop "$rtunit" ExecMainStatus)" = 31 ] ||
		no "round trip: $rtunit: exit status" \
		    "$(prop "$rtunit" ExecMainStatus), not SIGSYS (31)"
	rtwait "$mkdir_ev" "$n" ||
		{ no "round trip: no event for the killed mkdir"; break; }
	grep '"action":"violated-seccomp-policy"' "$rtev" |
	    grep -e "$mkdir_ev" | tail -n 1 >"$work/rt-line"
	grep -q '"context":"gone"' "$work/rt-line" || break
	say "round trip: try $tries: mkdir was reaped before its record" \
	    "was read; again"
done
line=$(cat "$work/rt-line")
case $line in
*"$unit_ev"*"$unit_cg"*"/system.slice/$rtunit\""*) ;;
*)	no "round trip: the violation does not name $rtunit: $line" ;;
esac
nunit=$(rtcount "$unit_ev")
nmkdir=$(rtcount "$mkdir_ev")
# Generate, install, reload: what an operator does.
rtconf=$r/etc/systemd/system/$rtunit.d/seccomp.conf
mkdir -p "${rtconf%/*}" || exit 99
"$top_builddir/seccompmon" profile --unit "$rtunit" --format systemd \
    "$rtev" >"$rtconf" 2>"$work/rt-profile.err" ||
	no "round trip: profile --unit $rtunit: exit status $?:" \
	    "$(cat "$work/rt-profile.err")"
grep -v '^#' "$rtconf" >"$work/rt-conf-body"
printf '[Service]\nSystemCallFilter=mkdir\nSystemCallArchitectures=%s\n' \
    "$sdarch" >"$work/rt-conf-want"
cmp -s "$work/rt-conf-body" "$work/rt-conf-want" ||
	no "round trip: not the drop-in expected: $(cat "$rtconf")"
head -n 1 "$rtconf" | grep -q '^# Generated by seccompmon profile' ||
	no "round trip: the drop-in does not say where it comes from"
c systemctl daemon-reload
c systemd-analyze verify "$rtunit" >"$work/rt-verify" 2>&1 ||
	no "round trip: systemd-analyze verify: $(cat "$work/rt-verify")"
# systemd's reading of it: an allow-list entry takes the name out of the
# unit's deny-list, which stays one.
filter=$(prop "$rtunit" SystemCallFilter)
case $filter in
'~'*)	case " ${filter#\~} " in
	*" mkdir "*) no "round trip: the unit still denies mkdir: $filter" ;;
	esac ;;
*)	no "round trip: the unit's filter became an allow-list: $filter" ;;
esac
[ "$(prop "$rtunit" SystemCallArchitectures)" = "$sdarch" ] ||
	no "round trip: SystemCallArchitectures is" \
	    "'$(prop "$rtunit" SystemCallArchitectures)'"
# Re-run clean: the unit succeeds, and no violation of it comes before a
# later one on the host (records come in order, through one queue, and
# so do the events to the file).
c systemctl reset-failed "$rtunit" 2>/dev/null
c timeout 30 systemctl start "$rtunit" ||
	no "round trip: $rtunit failed with the generated drop-in"
[ "$(prop "$rtunit" Result)" = success ] ||
	no "round trip: $rtunit: result $(prop "$rtunit" Result)"
c test -d "$rtdir" || no "round trip: $rtunit did not make $rtdir"
vpid=$(sh -c '"$0" kill_process >/dev/null 2>&1 & echo $!; wait' \
    "$top_builddir/tests/integration/violator" 2>/dev/null)
rtwait "\"process\":{\"pid\":$vpid," 0 ||
	no "round trip: no event for the marker violator $vpid"
[ "$(rtcount "$unit_ev")" = "$nunit" ] &&
    [ "$(rtcount "$mkdir_ev")" = "$nmkdir" ] ||
	no "round trip: $rtunit violated again with the drop-in"
kill -TERM "$rtpid"
wait "$rtpid" || no "round trip: the host's daemon: exit status $?"
rtpid=
[ $fail = 0 ] && say "round trip: $rtunit killed for mkdir ($tries" \
    "tries), drop-in generated and accepted, re-run clean"
fail=$((fail | rtfail))

say "done after $(($(date +%s) - start)) s"
exit $fail
