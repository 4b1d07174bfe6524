#!/bin/sh
# The man pages: mandoc -Tlint finds nothing in them, seccompmon(8) names
# every option that seccompmon --help lists (and each command's --help, in
# that command's section), and seccompmon.conf(5) every
# key of the installed configuration file.  Lint's look-ups of other
# projects' pages (auditd(8) ...) depend on what this machine has
# installed, so only those messages are let through.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP: mandoc is not installed (package mandoc)" >&2
	exit 77
fi
pages="$top_builddir/man/seccompmon.8 $top_builddir/man/seccompmon.conf.5"
for p in $pages; do
	[ -f "$p" ] || { echo "test_man: $p is missing: make it" >&2; exit 99; }
done
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

# Both pages at once, so that their references to each other resolve.
# shellcheck disable=SC2086
mandoc -Tlint $pages >"$tmp/lint" 2>&1
grep -v -e 'STYLE: referenced manual not found' \
    -e 'outdated mandoc.db lacks' "$tmp/lint" >"$tmp/left"
if [ -s "$tmp/left" ]; then
	no "mandoc -Tlint:"
	cat "$tmp/left" >&2
fi

# Plain text: no overstrikes (X BS X), so no need for col(1).
bs=$(printf '\b')
mandoc -Tascii "$top_builddir/man/seccompmon.8" | sed "s/.$bs//g" >"$tmp/8.txt"
mandoc -Tascii "$top_builddir/man/seccompmon.conf.5" | sed "s/.$bs//g" \
    >"$tmp/5.txt"
opts=$("$top_builddir/seccompmon" --help | grep -o -- '--[a-z][a-z-]*' |
    sort -u)
[ -n "$opts" ] || no "seccompmon --help listed no options"
for o in $opts; do
	grep -q -- "$o" "$tmp/8.txt" || no "seccompmon(8) lacks option $o"
done
# Keys, also commented-out ones: "key": in the installed default file.
keys=$(grep -o '"[a-z_]*":' "$top_srcdir/etc/seccompmon.json" | tr -d '":' |
    sort -u)
[ -n "$keys" ] || no "no keys found in etc/seccompmon.json"
for k in $keys; do
	grep -Eq "^[[:space:]]*$k( \(|:)" "$tmp/5.txt" ||
		no "seccompmon.conf(5) does not describe key $k"
done
# And every option of the commands, each in its own section of the page.
for c in report profile learn; do
	sec=$(awk -v c="$c" '
	    /^   [A-Z][a-z]+ command$/ { on = tolower($1) == c; next }
	    /^[A-Z]/ { on = 0 }
	    on' "$tmp/8.txt")
	[ -n "$sec" ] || { no "seccompmon(8) has no $c command section"; continue; }
	copts=$("$top_builddir/seccompmon" "$c" --help |
	    grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$copts" ] || no "seccompmon $c --help listed no options"
	for o in $copts; do
		[ "$o" = --help ] && continue
		printf '%s\n' "$sec" | grep -q -- "$o" ||
			no "seccompmon(8) \"${c} command\" lacks option $o"
	done
done

# The same file as installed must be valid for this daemon.
"$top_builddir/seccompmon" --check-config \
    --config "$top_srcdir/etc/seccompmon.json" >/dev/null ||
	no "etc/seccompmon.json does not validate"
exit $fail
