#!/bin/sh
# The installed units under a real systemd: this tree is installed with
# make install into a throwaway overlay over a cached Debian root (built
# once with debootstrap, outside the source tree), which boots with
# systemd-nspawn on the host's network, where the audit socket is.  In the
# container's PID namespace only multicast works, so the configuration
# changes the socket mode and nothing else.  A violation made on the host
# must come out of the unit as an event in the container's journal.
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
cleanup() {
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

say "done after $(($(date +%s) - start)) s"
exit $fail
