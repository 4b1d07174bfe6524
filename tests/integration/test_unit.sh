#!/bin/sh
# The systemd unit as shipped: systemd-analyze verify accepts it, and its
# offline security exposure stays at "OK" or better (<= 3.9 of 10).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: systemd-analyze is not installed (package systemd)" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sed -e "s|@bindir@|$top_builddir|g" -e "s|@docdir@|$top_srcdir|g" \
    "$top_srcdir/systemd/seccompmon.service.in" >"$tmp/seccompmon.service"
fail=0
if ! systemd-analyze verify "$tmp/seccompmon.service" >"$tmp/verify" 2>&1 ||
    [ -s "$tmp/verify" ]; then
	echo "FAIL: systemd-analyze verify:" >&2
	cat "$tmp/verify" >&2
	fail=1
fi
systemd-analyze security --offline=true --no-pager "$tmp/seccompmon.service" \
    >"$tmp/security" 2>&1
score=$(sed -n 's/.*Overall exposure level for seccompmon.service: \([0-9.]*\).*/\1/p' "$tmp/security")
echo "exposure: ${score:-unknown}"
if [ -z "$score" ] || ! awk -v s="$score" 'BEGIN { exit !(s <= 3.9) }'; then
	echo "FAIL: exposure ${score:-unknown} is above 3.9" >&2
	tail -n 20 "$tmp/security" >&2
	fail=1
fi
exit $fail
