#!/bin/sh
# The systemd units as shipped, alone and with the user.conf drop-in:
# systemd-analyze verify accepts them, their offline security exposure is
# 2.0 or lower, and their SystemCallFilter= allows every call of the
# daemon's built-in allow-list and what it needs to load it, since the
# unit's filter denies silently (EPERM, not audited) what it lacks.
# test_systemd.sh boots them for real.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: systemd-analyze is not installed (package systemd)" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
units="$tmp/etc/systemd/system"
mkdir -p "$units/seccompmon.service.d" || exit 99
for u in seccompmon seccompmon-multicast; do
	sed -e "s|@sbindir@|$top_builddir|g" -e "s|@docdir@|$top_srcdir|g" \
	    -e "s|@sysconfdir@|/etc|g" "$top_srcdir/systemd/$u.service.in" \
	    >"$units/$u.service" || exit 99
done
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

# verify, then the exposure; $1: unit name, $2: label, $3: with drop-ins
check() {
	if [ -n "$3" ]; then
		SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify --man=no \
		    "$units/$1" >"$tmp/verify" 2>&1
	else
		systemd-analyze verify --man=no "$units/$1" >"$tmp/verify" 2>&1
	fi
	if [ $? -ne 0 ] || [ -s "$tmp/verify" ]; then
		no "systemd-analyze verify $2:"
		cat "$tmp/verify" >&2
	fi
	# --root: drop-ins are read from the root, the unit with them.
	if [ -n "$3" ]; then
		systemd-analyze security --offline=true --no-pager \
		    --root="$tmp" "$1" >"$tmp/security" 2>&1
	else
		systemd-analyze security --offline=true --no-pager \
		    "$units/$1" >"$tmp/security" 2>&1
	fi
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' \
	    "$tmp/security")
	echo "exposure of $2: ${score:-unknown}"
	if [ -z "$score" ] || ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
	then
		no "exposure of $2 is ${score:-unknown}, above 2.0"
		grep '✗' "$tmp/security" >&2
	fi
}

# Every call a SystemCallFilter= allow-list of $1 (with drop-ins) allows,
# one per line: groups expanded with systemd-analyze syscall-filter.
allowed() {
	{
		cat "$units/$1"
		cat "$units/$1.d"/*.conf 2>/dev/null
	} | sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' | tr ' ' '\n' |
	    sed '/^$/d' >"$tmp/filter"
	while grep -q '^@' "$tmp/filter"; do
		: >"$tmp/next"
		while read -r n; do
			case $n in
			@*)	systemd-analyze syscall-filter --no-pager "$n" |
				    sed -e '1d' -e '/^ *#/d' -e 's/^ *//' \
				    -e '/^$/d' >>"$tmp/next" ;;
			*)	echo "$n" >>"$tmp/next" ;;
			esac
		done <"$tmp/filter"
		sort -u "$tmp/next" >"$tmp/filter"
	done
	cat "$tmp/filter"
}

# The calls of the built-in list that are allowed or logged (clone3 gets
# ENOSYS from the daemon's own filter, which the kernel prefers: the same
# action, installed later).
"$top_builddir/seccompmon" policy show >"$tmp/policy" || {
	no "seccompmon policy show failed"; exit 1; }
awk '/"action": "(allow|log)"/ { on = 1; next }
    /"action"/ { on = 0 }
    on && /^ *"[a-z0-9_]+",?$/ { gsub(/[ ",]/, ""); print }' \
    "$tmp/policy" >"$tmp/builtin"
[ -s "$tmp/builtin" ] || no "no allowed calls in: $(cat "$tmp/policy")"
# What start-up needs beyond the groups: loading the filter, dropping
# capabilities, prctl for the bounding set, the Landlock ruleset.
needed="seccomp capset capget prctl landlock_create_ruleset landlock_add_rule
landlock_restrict_self"

filter_covers() {
	allowed "$1" >"$tmp/allowed"
	for n in $(cat "$tmp/builtin") $needed; do
		grep -qx "$n" "$tmp/allowed" ||
			no "$1: SystemCallFilter= does not allow $n"
	done
}

check seccompmon.service seccompmon.service ""
check seccompmon-multicast.service seccompmon-multicast.service ""
filter_covers seccompmon.service
filter_covers seccompmon-multicast.service

cp "$top_srcdir/systemd/user.conf" "$units/seccompmon.service.d/" || exit 99
check seccompmon.service "seccompmon.service with user.conf" yes
needed="$needed setgroups setresgid setresuid"
filter_covers seccompmon.service
exit $fail
