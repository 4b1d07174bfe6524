#!/bin/sh
# Unpack the distribution's rsyslog and syslog-ng for the syslog tests into
# a cache directory, without installing them: both packages Provide and
# Conflict with system-log-daemon, so installing one removes the other (or
# the host's own logger), and installing either starts and enables a
# service.  Unpacked, they are plain binaries the tests run on private
# sockets.  Their libraries come from build.sh's PACKAGES.
#   syslogd-fetch.sh [DIR]   DIR: $SECCOMPMON_SYSLOGD_DIR, else
#                            /var/cache/seccompmon-tests/syslogd
set -eu
dir=${1:-${SECCOMPMON_SYSLOGD_DIR:-/var/cache/seccompmon-tests/syslogd}}
root="$dir/root"

have() {
	[ -x "$root/usr/sbin/rsyslogd" ] && [ -x "$root/usr/sbin/syslog-ng" ]
}

if ! have; then
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt drops to _apt to download; it must be able to write there.
	chmod 755 "$tmp"
	chown _apt "$tmp" 2>/dev/null || true
	# No package lists yet (a fresh machine): fetch them once.
	(cd "$tmp" && apt-get download rsyslog syslog-ng-core) >&2 ||
		{ apt-get update >&2 &&
		    (cd "$tmp" && apt-get download rsyslog syslog-ng-core) >&2; }
	mkdir -p "$tmp/root"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	rm -rf "$root"
	mv "$tmp/root" "$root"
fi

# Every library the binaries and the modules the tests load need.
lib="$root/usr/lib/syslog-ng"
missing=$(
	for f in "$root/usr/sbin/rsyslogd" "$root/usr/sbin/syslog-ng" \
	    "$root"/usr/lib/*/rsyslog/imuxsock.so \
	    "$root"/usr/lib/*/rsyslog/mmjsonparse.so \
	    "$lib"/*/libjson-plugin.so "$lib"/*/libafsocket.so \
	    "$lib"/*/libaffile.so "$lib"/*/libsyslogformat.so; do
		LD_LIBRARY_PATH="$lib" ldd "$f" | sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p'
	done | sort -u | tr '\n' ' ')
if [ -n "$missing" ]; then
	echo "syslogd-fetch.sh: libraries missing (install build.sh's PACKAGES): $missing" >&2
	exit 1
fi
echo "$root"
