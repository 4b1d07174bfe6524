/*
 * genlog [-s SEED] [-r RATE] [N]: N (default 1,000,000) SECCOMP records as
 * audit log lines, for the replay benchmark (seccompmon --replay).  The mix
 * is fixed by a seeded PRNG, so the same arguments give the same bytes:
 * auditd RAW, ENRICHED (0x1d and translations), node=, and the kernel log's
 * "type=1326" under syslog and dmesg prefixes; comm and exe hex-encoded
 * where the kernel would (blanks, quotes, non-ASCII), a few not UTF-8.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* xorshift64*: fast and good enough to pick from tables. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32) % n;
}

struct call {
	uint32_t	 nr;
	const char	*name;	/* for ENRICHED's SYSCALL= */
};

struct arch {
	const char		*hex;	/* arch= */
	const char		*name;	/* ENRICHED's ARCH= */
	uint32_t		 nrbit;	/* x32: __X32_SYSCALL_BIT */
	int			 compat;
	unsigned		 weight;
	const struct call	*calls;
	size_t			 ncalls;
	uint64_t		 ipbase;
};

static const struct call c_x86_64[] = {
	{ 0, "read" }, { 1, "write" }, { 2, "open" }, { 3, "close" },
	{ 16, "ioctl" }, { 39, "getpid" }, { 41, "socket" }, { 42, "connect" },
	{ 56, "clone" }, { 59, "execve" }, { 101, "ptrace" },
	{ 110, "getppid" }, { 157, "prctl" }, { 165, "mount" },
	{ 175, "init_module" }, { 257, "openat" }, { 272, "unshare" },
	{ 310, "process_vm_readv" }, { 321, "bpf" }, { 425, "io_uring_setup" },
	{ 435, "clone3" }, { 999, "unknown-syscall(999)" },
};
static const struct call c_i386[] = {
	{ 5, "open" }, { 11, "execve" }, { 26, "ptrace" }, { 102, "socketcall" },
	{ 132, "getpgid" }, { 162, "nanosleep" }, { 295, "openat" },
};
static const struct call c_aarch64[] = {
	{ 56, "openat" }, { 117, "ptrace" }, { 198, "socket" },
	{ 220, "clone" }, { 221, "execve" }, { 227, "msync" },
	{ 280, "bpf" },
};
static const struct call c_x32[] = {
	{ 39, "getpid" }, { 41, "socket" }, { 59, "execve" }, { 257, "openat" },
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct arch arches[] = {
	{ "c000003e", "x86_64", 0, 0, 80, c_x86_64, N(c_x86_64),
	    0x7f0000000000ull },
	{ "c00000b7", "aarch64", 0, 0, 12, c_aarch64, N(c_aarch64),
	    0xffff80000000ull },
	{ "40000003", "i386", 0, 1, 6, c_i386, N(c_i386), 0xf7000000ull },
	{ "c000003e", "x32", 0x40000000, 1, 2, c_x32, N(c_x32), 0x400000ull },
};

/* code= and the action name ENRICHED does not translate: only the value. */
static const struct {
	uint32_t	 code;
	unsigned	 weight;
} actions[] = {
	{ 0x7ffc0000, 50 },	/* log */
	{ 0x00050001, 15 },	/* errno EPERM */
	{ 0x00050026, 10 },	/* errno ENOSYS */
	{ 0x80000000, 10 },	/* kill_process */
	{ 0x00000000, 5 },	/* kill_thread */
	{ 0x00030000, 4 },	/* trap */
	{ 0x7ff00000, 3 },	/* trace */
	{ 0x7fc00000, 3 },	/* user_notif */
};

/* comm, exe; a blank, quote or non-ASCII byte makes the kernel hex them. */
static const char *const comms[] = {
	"chrome", "firefox", "sshd", "nginx", "runc:[2:INIT]", "containerd",
	"python3", "node", "java", "ls", "mount", "systemd-resolve",
	"kworker/u8:2", "php-fpm8.2", "postgres", "bash",
	/* NHEX that the kernel hex-encodes, picked 1 time in 20 */
	"my app", "say \"hi\"", "caf\xc3\xa9", "\xe5\x9b\xbe\xe7\x89\x87",
	"Web Content",
};
#define NHEX 5
static const char *const exes[] = {
	"/opt/google/chrome/chrome", "/usr/lib/firefox/firefox",
	"/usr/sbin/sshd", "/usr/sbin/nginx", "/usr/bin/runc",
	"/usr/bin/containerd", "/usr/bin/python3.11", "/usr/bin/node",
	"/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/bin/ls",
	"/usr/bin/mount", "/usr/lib/systemd/systemd-resolved",
	"/usr/bin/kworker", "/usr/sbin/php-fpm8.2",
	"/usr/lib/postgresql/15/bin/postgres", "/usr/bin/bash",
	"/opt/my app/bin/app", "/home/user/\"quoted\"/bin/x",
	"/srv/caf\xc3\xa9/bin/serve", "/usr/local/bin/\xe5\x9b\xbe",
	"/usr/lib/firefox/firefox",
};
_Static_assert(N(exes) == N(comms), "one exe per comm");
/* Not UTF-8: rare in real logs, but they take the slow path. */
static const char *const bad_comms[] = { "a\xff" "b", "\xc3(", "x\xed\xa0\x80" };

static const char *const subjs[] = {
	"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023",
	"system_u:system_r:spc_t:s0:c284,c594",
	"system_u:system_r:container_t:s0:c12,c340",
	"docker-default (enforce)",
	"cri-containerd.apparmor.d (enforce)",
};

static const char *const nodes[] = { "web1", "web2.example.org", "db-03" };

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* audit_log_untrustedstring(): quoted, or uppercase hex. */
static int
untrusted(char *o, size_t cap, const char *s)
{
	const unsigned char *p;
	int hex = 0, n = 0;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '"')
			hex = 1;
	if (!hex)
		return snprintf(o, cap, "\"%s\"", s);
	for (p = (const unsigned char *)s; *p && (size_t)n + 3 < cap; p++)
		n += snprintf(o + n, cap - (size_t)n, "%02X", *p);
	return n;
}

static unsigned
pick(unsigned total, const void *tab, size_t n, size_t size, size_t woff)
{
	unsigned r = rnd(total), w;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&w, (const char *)tab + i * size + woff, sizeof(w));
		if (r < w)
			return (unsigned)i;
		r -= w;
	}
	return (unsigned)(n - 1);
}

static void
usage(void)
{
	fprintf(stderr, "usage: genlog [-s SEED] [-r RECORDS_PER_SECOND] "
	    "[N]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static char out[1 << 16];
	char comm[128], exe[256], subj[96];
	uint64_t n = 1000000, i, sec = 1700000000, ms = 0, rate = 20000;
	uint64_t serial = 1000;
	unsigned aw = 0, cw = 0, a, s, r;
	size_t j;
	const struct arch *ar;
	const struct call *c;
	uint32_t auid, uid, pid, sig, code;
	int opt, dmesg_s = 0;

	while ((opt = getopt(argc, argv, "s:r:")) != -1) {
		switch (opt) {
		case 's':
			rng ^= strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ull;
			if (rng == 0)
				rng = 1;
			break;
		case 'r':
			if ((rate = strtoull(optarg, NULL, 10)) == 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		n = strtoull(argv[optind], NULL, 10);
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	for (j = 0; j < N(arches); j++)
		aw += arches[j].weight;
	for (j = 0; j < N(actions); j++)
		cw += actions[j].weight;

	for (i = 0; i < n; i++) {
		/* rate records per second of log time, serials in order. */
		ms = i * 1000 / rate;
		serial++;
		a = pick(aw, arches, N(arches), sizeof(arches[0]),
		    offsetof(struct arch, weight));
		ar = &arches[a];
		c = &ar->calls[rnd((uint32_t)ar->ncalls)];
		code = actions[pick(cw, actions, N(actions), sizeof(actions[0]),
		    sizeof(uint32_t))].code;
		sig = code == 0x80000000 || code == 0 ? 31 : 0;
		if (code == 0 && rnd(4) == 0)
			sig = 9;	/* strict mode */
		r = rnd(100);
		auid = r < 40 ? 4294967295u : r < 90 ? 1000 : 1000 + rnd(50);
		uid = auid == 4294967295u ? (rnd(3) ? 0 : 33) : auid;
		pid = 1 + rnd(4194303);
		if (rnd(20) == 0)
			s = (unsigned)N(comms) - NHEX + rnd(NHEX);
		else
			s = rnd((uint32_t)N(comms) - NHEX);
		if (rnd(1000) < 3)
			untrusted(comm, sizeof(comm),
			    bad_comms[rnd((uint32_t)N(bad_comms))]);
		else
			untrusted(comm, sizeof(comm), comms[s]);
		if (rnd(500) == 0)
			snprintf(exe, sizeof(exe), "(null)");
		else
			untrusted(exe, sizeof(exe), exes[s]);
		subj[0] = '\0';
		r = rnd(100);
		if (r < 20)
			snprintf(subj, sizeof(subj), " subj=%s",
			    subjs[rnd((uint32_t)N(subjs))]);

		/* The line's shape. */
		r = rnd(100);
		if (r < 5)		/* syslog-style kernel log */
			printf("%s %2u %02u:%02u:%02u host kernel: audit: "
			    "type=1326 ", months[(sec + ms / 1000) / 2629743 % 12],
			    (unsigned)(1 + (sec + ms / 1000) / 86400 % 28),
			    (unsigned)((sec + ms / 1000) / 3600 % 24),
			    (unsigned)((sec + ms / 1000) / 60 % 60),
			    (unsigned)((sec + ms / 1000) % 60));
		else if (r < 8) {	/* dmesg */
			dmesg_s++;
			printf("[%7u.%06u] audit: type=1326 ",
			    (unsigned)(dmesg_s / 100), (unsigned)rnd(1000000));
		} else if (r < 23)	/* auditd with name_format */
			printf("node=%s type=SECCOMP msg=",
			    nodes[rnd((uint32_t)N(nodes))]);
		else
			printf("type=SECCOMP msg=");
		printf("audit(%" PRIu64 ".%03u:%" PRIu64 "): auid=%u uid=%u "
		    "gid=%u ses=%u%s pid=%u comm=%s exe=%s sig=%u arch=%s "
		    "syscall=%u compat=%d ip=0x%" PRIx64 " code=0x%x",
		    sec + ms / 1000, (unsigned)(ms % 1000), serial, auid, uid,
		    uid, auid == 4294967295u ? 4294967295u : 1 + rnd(40), subj,
		    pid, comm, exe, sig, ar->hex, c->nr | ar->nrbit,
		    ar->compat, ar->ipbase + rnd(1u << 24) * 16 + rnd(16),
		    code);
		/* ENRICHED: a third of auditd's own lines. */
		if (r >= 8 && r % 3 == 0)
			printf("\x1d" "AUID=\"%s\" UID=\"%s\" GID=\"%s\" "
			    "ARCH=%s SYSCALL=%s", auid == 4294967295u ?
			    "unset" : "user", uid == 0 ? "root" : "user",
			    uid == 0 ? "root" : "user", ar->name, c->name);
		putchar('\n');
	}
	if (fflush(stdout) != 0) {
		perror("genlog");
		return 1;
	}
	return 0;
}
