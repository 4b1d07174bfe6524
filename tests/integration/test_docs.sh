#!/bin/sh
# The documentation tells the truth: the example configuration validates,
# docs/sandbox.md names every call of this architecture's built-in
# allow-list, docs/profiles.md learn's baseline, and CI runs the README's
# test command.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
bin="$top_builddir/seccompmon"
fail=0
no() { echo "FAIL: $*" >&2; fail=1; }

"$bin" --check-config --config "$top_srcdir/docs/seccompmon.example.json" ||
	no "docs/seccompmon.example.json does not validate"

# Every output configured, so that the built-in list is shown whole.
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/all.json" <<EOF
{"outputs": [{"type": "stdout"}, {"type": "file", "path": "$tmp/events.json"},
  {"type": "syslog"}, {"type": "journald"}]}
EOF
names=$("$bin" policy show --config "$tmp/all.json" |
    sed -n 's/^ *"\([a-z0-9_]*\)",\{0,1\}$/\1/p')
[ -n "$names" ] || no "policy show listed no names"
for n in $names; do
	grep -q "\`$n\`" "$top_srcdir/docs/sandbox.md" ||
		no "docs/sandbox.md does not mention built-in call $n"
done

# docs/profiles.md lists learn's baseline exactly: each call, and no more.
base=$("$bin" learn --list-baseline)
[ -n "$base" ] || no "learn --list-baseline listed nothing"
for n in $base; do
	grep -q "\`$n\`[,.]" "$top_srcdir/docs/profiles.md" ||
		no "docs/profiles.md does not list baseline call $n"
done
listed=$(sed -n '/^\*\*The baseline\.\*\*/,/^With `--base`/p' \
    "$top_srcdir/docs/profiles.md" | grep -o '`[a-z0-9_]*`[,.]' | wc -l)
[ "$listed" -eq "$(echo "$base" | wc -l)" ] ||
	no "docs/profiles.md lists $listed baseline calls, learn has" \
	    "$(echo "$base" | wc -l)"

grep -q '^\./build\.sh check' "$top_srcdir/README.md" ||
	no "README.md lost its test command"
grep -q '^exec \./build\.sh check$' "$top_srcdir/.ci/run" ||
	no ".ci/run does not run the README's test command"
exit $fail
