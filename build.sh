#!/bin/sh
# One-command set-up on a fresh Debian 12 / Ubuntu 22.04+ machine, as root:
#   ./build.sh run     install missing build dependencies, build, and run the
#                      daemon in the foreground (events on stdout)
#   ./build.sh check   the same set-up and what the tests need, then the
#                      whole test suite (make check, then make distcheck,
#                      whose build is --enable-sanitizers: ASan and UBSan)
#   ./build.sh         the set-up and build only
# .ci/run runs "./build.sh check".
set -eu
cd "$(dirname "$0")"
# stdout is for events only: set-up and build chatter goes to stderr.
exec 3>&1 1>&2

# What building and running needs (systemd: systemd.pc, for where the units
# go), and what the test suite needs besides: systemd-container (nspawn)
# and debootstrap for test_systemd, which boots the installed unit; mandoc
# for test_man; the libraries rsyslog and syslog-ng run with, and a zone
# file for their local time; clang with libFuzzer for the fuzz harnesses
# (tests/fuzz), valgrind for test_valgrind, and auditd for test_coexist (it
# runs Debian's real auditd beside seccompmon; its service must not start:
# see policy-rc.d below), crun and runc with busybox-static for
# test_context_cgroup's real container (crun refuses a hybrid host whose
# cgroup v2 holds controllers; runc does not) and test_roundtrip_crun's
# (crun: Debian 12's runc refuses seccomp "flags").  The two syslog daemons
# themselves are unpacked, not installed (both Provide and Conflict with
# system-log-daemon: installing one would remove the other or the host's
# own logger, and start a service): see "check" below.
PACKAGES="gcc libc6-dev make autoconf automake pkg-config
libaudit-dev libseccomp-dev libjson-c-dev libcmocka-dev systemd"
CHECK_PACKAGES="systemd-container debootstrap mandoc
libestr0 libfastjson4 liblognorm5 libivykis0 libnet1 libwrap0 libpcre3
libglib2.0-0 libssl3 tzdata clang libclang-rt-dev valgrind auditd
crun runc busybox-static"
if [ "${1:-build}" = check ]; then
	PACKAGES="$PACKAGES $CHECK_PACKAGES"
fi

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: run as root to install:$missing" >&2
		exit 1
	fi
	echo "build.sh: installing:$missing"
	apt-get update
	# No service may start (auditd would take the audit registration,
	# enable auditing and hold it for good): invoke-rc.d and
	# deb-systemd-invoke ask policy-rc.d, and 101 means "not allowed".
	# Installing auditd changes no kernel audit setting (its postinst only
	# writes /etc/audit/audit.rules); it does enable the unit, which is
	# what test_coexist needs.  A policy-rc.d already there is kept.
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		trap 'rm -f "$policy"' EXIT
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
	if [ -n "$policy" ]; then
		rm -f "$policy"
		trap - EXIT
	fi
	if pgrep -x auditd >/dev/null 2>&1; then
		echo "build.sh: auditd is running: the live tests need the" \
		    "audit registration; stop it (systemctl stop auditd)" >&2
	fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt configure ]; then
	./autogen.sh
fi
# The paths of a packaged build: the daemon reads
# /etc/seccompmon/seccompmon.json, and make install puts it in /usr/sbin.
# Configured again after an install: "./build.sh run" configures before
# the test packages are there, and "./build.sh check" must then find clang
# (the fuzz harnesses), which a kept Makefile would not look for.
if [ ! -f Makefile ] || [ configure -nt Makefile ] || [ -n "$missing" ]; then
	./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
	    --enable-werror
fi
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"

case "${1:-build}" in
run)
	shift
	# The test suite's violator, to make a violation from another terminal.
	make tests/integration/violator
	exec ./seccompmon "$@" 1>&3 3>&-
	;;
check)
	# rsyslog and syslog-ng for the syslog tests, unpacked into a cache.
	tests/integration/syslogd-fetch.sh >/dev/null
	# VERBOSE=yes: the harness prints the log of any failed test.  The
	# plain build runs everything, valgrind's memcheck included; the
	# tarball is built with ASan and UBSan, and the whole suite runs again
	# under them (test_valgrind and test_systemd skip there, saying why).
	make -j"$jobs" check VERBOSE=yes
	make -j"$jobs" distcheck VERBOSE=yes \
	    DISTCHECK_CONFIGURE_FLAGS=--enable-sanitizers
	;;
build)
	;;
*)
	echo "usage: ./build.sh [run [seccompmon options] | check]" >&2
	exit 2
	;;
esac
