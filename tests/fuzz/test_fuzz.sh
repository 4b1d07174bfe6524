#!/bin/sh
# The libFuzzer harnesses (tests/fuzz/fuzz_*.c), each for FUZZ_SECONDS over
# a seed corpus made from tests/data: records, replay logs, datagrams built
# around the records, configurations, the syslog and journald outputs'
# options around the records, log messages, passwd and group files,
# /proc/PID/cgroup texts, report inputs (events and logs).  "make check"
# runs a smoke of 10 s each in a scratch corpus; "make fuzz" runs 60 s
# each and keeps the corpus grown in FUZZ_CORPUS for the next run.  Any
# crash, sanitizer report, leak or broken property fails, and the input is
# kept in tests/fuzz/artifacts/ (rerun it: tests/fuzz/fuzz_NAME FILE).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
fuzzdir="$top_builddir/tests/fuzz"
data="$top_srcdir/tests/data"
secs=${FUZZ_SECONDS:-10}

if [ -n "${SM_FUZZ_WHY:-}" ]; then
	echo "test_fuzz: SKIP: no libFuzzer harnesses: $SM_FUZZ_WHY"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
corpora=${FUZZ_CORPUS:-$tmp/corpus}
art="$fuzzdir/artifacts"
mkdir -p "$art" || exit 99

# bytes N...: each number (0-255) as one byte, by its octal escape.
bytes() {
	for b; do
		# shellcheck disable=SC2059
		printf "\\$((b >> 6))$((b >> 3 & 7))$((b & 7))"
	done
}
le16() { bytes $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() {
	bytes $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) \
	    $(($1 >> 24 & 255))
}
# nlhdr LEN TYPE FLAGS SEQ PID: a struct nlmsghdr, little-endian.
nlhdr() { le32 "$1"; le16 "$2"; le16 "$3"; le32 "$4"; le32 "$5"; }

# seed NAME FILE: add FILE to NAME's corpus under its own name.
seed() {
	mkdir -p "$corpora/$1" && cp "$2" "$corpora/$1/seed-$(basename "$2")"
}

seeds() {
	for r in "$data"/golden/*.record; do
		n=$(basename "$r" .record)
		len=$(wc -c <"$r")
		seed violation "$r"
		# As logged by auditd, and as the kernel log writes it.
		{ printf 'type=SECCOMP msg='; cat "$r"; } >"$tmp/$n.log"
		seed logline "$tmp/$n.log"
		# As sent to a registered audit daemon (nlmsg_len = payload
		# length, kernel/audit.c) and to the multicast group.
		{ nlhdr "$len" 1326 0 0 0; cat "$r"; } >"$tmp/$n.unicast"
		{ nlhdr $((len + 16)) 1326 0 0 0; cat "$r"; } \
		    >"$tmp/$n.multicast"
		seed auditmsg "$tmp/$n.unicast"
		seed auditmsg "$tmp/$n.multicast"
	done
	# An ack (NLMSG_ERROR 0) then an AUDIT_GET reply in one datagram.
	{ nlhdr 36 2 0 7 0; le32 0; nlhdr 16 1001 5 7 0
	  nlhdr 56 1000 0 8 0; le32 1; le32 1; le32 1; le32 42; le32 0
	  le32 8192; le32 0; le32 0; le32 127; le32 60000; } >"$tmp/ack-status"
	seed auditmsg "$tmp/ack-status"
	# The replay log whole, and each of its lines.
	seed logline "$data/replay/audit.log"
	i=0
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" >"$tmp/replay-line-$i"
		seed logline "$tmp/replay-line-$i"
	done <"$data/replay/audit.log"
	# Over-long lines: one skipped within a read, one across reads.
	r="$data/golden/x86_64_trap.record"
	{ printf 'type=SECCOMP msg='; head -c 120 "$r"
	  head -c 30000 /dev/zero | tr '\0' x; printf '\n'; cat "$r"; } \
	    >"$tmp/long-line"
	{ head -c 100000 /dev/zero | tr '\0' y; printf '\n'
	  printf 'type=SECCOMP msg='; cat "$r"; } >"$tmp/long-line-2"
	seed logline "$tmp/long-line"
	seed logline "$tmp/long-line-2"
	# Syslog and journald: flags, facility or severity, the NUL-ended
	# pieces, then the record (see the harnesses); and log messages.
	for r in "$data"/golden/*.record; do
		n=$(basename "$r" .record)
		for f in 0 1 3 7 15; do
			{ bytes $f 10 5; printf 'seccompmon'; bytes 0
			  printf 'host.example'; bytes 0; printf 'log'; bytes 0
			  cat "$r"; } >"$tmp/$n.syslog$f"
			seed syslog "$tmp/$n.syslog$f"
		done
		for f in 0 1 15; do
			{ bytes $f 5; printf 'my
ident'; bytes 0
			  printf 'kill_process'; bytes 0; printf 'getppid'; bytes 0
			  printf 'x86_64'; bytes 0; cat "$r"; } >"$tmp/$n.jd$f"
			seed journald "$tmp/$n.jd$f"
		done
		{ bytes 4; printf 'dropped SECCOMP record: '; cat "$r"; } \
		    >"$tmp/$n.logmsg"
		seed log "$tmp/$n.logmsg"
	done
	{ bytes 3; printf 'a
b[31m\x0a'; bytes 200 255 0 65; } \
	    >"$tmp/controls.logmsg"
	seed log "$tmp/controls.logmsg"
	# User databases: the test's own, and this host's.
	for u in "$data"/userdb/*; do
		seed userdb "$u"
	done
	for u in passwd group; do
		if [ -r "/etc/$u" ]; then
			cp "/etc/$u" "$tmp/host-$u" && seed userdb "$tmp/host-$u"
		fi
	done
	# seccompmon report's inputs: events (golden, replayed) and logs.
	for e in "$data"/golden/*.json "$data"/replay/*; do
		seed evread "$e"
	done
	# /proc/PID/cgroup texts, each layout (tests/data/cgroup).
	for c in "$data"/cgroup/*.txt; do
		seed cgroupinfo "$c"
	done
	for c in "$data"/conf/*.json "$data"/sandbox/*.json \
	    "$top_srcdir/etc/seccompmon.json" \
	    "$top_srcdir/docs/seccompmon.example.json"; do
		seed conf "$c"
	done
}

seeds || { echo "test_fuzz: could not make the seed corpora" >&2; exit 99; }

fail=0
for name in violation auditmsg logline conf syslog journald log userdb \
    cgroupinfo evread; do
	bin="$fuzzdir/fuzz_$name"
	if [ ! -x "$bin" ]; then
		echo "test_fuzz: $bin is missing: build it first" >&2
		exit 99
	fi
	case $name in
	conf)	dict="$top_srcdir/tests/fuzz/conf.dict"; max=65536 ;;
	userdb)	dict="$top_srcdir/tests/fuzz/userdb.dict"; max=65536 ;;
	logline|evread)
		dict="$top_srcdir/tests/fuzz/record.dict"; max=131072 ;;
	syslog|journald|log)
		dict="$top_srcdir/tests/fuzz/sink.dict"; max=16384 ;;
	cgroupinfo)
		dict="$top_srcdir/tests/fuzz/cgroup.dict"; max=16384 ;;
	*)	dict="$top_srcdir/tests/fuzz/record.dict"; max=16384 ;;
	esac
	"$bin" -max_total_time="$secs" -timeout=10 -max_len=$max \
	    -dict="$dict" -artifact_prefix="$art/$name-" \
	    -print_final_stats=1 "$corpora/$name" >"$tmp/$name.out" 2>&1
	rc=$?
	out="$tmp/$name.out"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
	cov=$(sed -n 's/^#[0-9]*.*DONE *cov: \([0-9]*\).*/\1/p' "$out")
	if [ $rc -ne 0 ]; then
		echo "FAIL: fuzz_$name (exit $rc):"
		cat "$tmp/$name.out"
		fail=1
	else
		echo "fuzz_$name: ${runs:-?} inputs in ${secs} s, coverage" \
		    "${cov:-?} edges, corpus $(ls "$corpora/$name" | wc -l)"
	fi
done
rmdir "$art" 2>/dev/null
exit $fail
