/*
 * gen [N]: N (default 1,000,000) AUDIT_SECCOMP records in the formats real
 * logs hold, to stdout, for the replay benchmark: auditd RAW (with and
 * without subj=), ENRICHED (the 0x1d separator and the translated fields),
 * node= prefixes, and the kernel log's "audit: type=1326".  Pids, comms
 * (some hex), executables, arches, syscalls and actions vary from a fixed
 * seed, so that storm control keeps most keys apart and runs compare.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned long
rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

int
main(int argc, char **argv)
{
	static const struct { const char *arch, *name; int max; } arch[] = {
		{ "c000003e", "x86_64", 334 }, { "40000003", "i386", 384 },
		{ "c00000b7", "aarch64", 293 },
	};
	static const struct { const char *code, *sig; } act[] = {
		{ "0x7ffc0000", "0" }, { "0x50001", "0" }, { "0x50026", "0" },
		{ "0x80000000", "31" }, { "0x0", "31" }, { "0x30000", "31" },
	};
	static const char *const comm[] = {
		"nginx", "sshd", "python3", "java", "node", "postgres", "redis",
		"chrome", "containerd-shim", "runc", "bash", "curl", "qemu",
	};
	static const char *const user[] = { "root", "www-data", "nobody" };
	long n = argc > 1 ? atol(argv[1]) : 1000000, i;
	unsigned long sec = 1700000000, ms = 0, serial = 1000;

	for (i = 0; i < n; i++) {
		unsigned long a = rnd(100) < 80 ? 0 : rnd(3), k = rnd(6);
		unsigned long c = rnd(13), e = rnd(1000), uid = rnd(3);
		unsigned long fmt = rnd(10);
		char head[64] = "";

		if ((ms += rnd(3)) >= 1000) {
			sec++;
			ms -= 1000;
		}
		serial++;
		if (fmt == 9)
			printf("Nov 14 22:13:20 web%lu kernel: audit: type=1326 "
			    "audit(%lu.%03lu:%lu): ", e % 7, sec, ms, serial);
		else {
			if (fmt >= 7)
				snprintf(head, sizeof(head), "node=web%lu ",
				    e % 7);
			printf("%stype=SECCOMP msg=audit(%lu.%03lu:%lu): ", head,
			    sec, ms, serial);
		}
		printf("auid=%s uid=%lu gid=%lu ses=%s ",
		    uid ? "1000" : "4294967295", uid ? 33 * uid : 0,
		    uid ? 33 * uid : 0, uid ? "3" : "4294967295");
		if (fmt % 3 == 0)
			printf("subj=unconfined ");
		printf("pid=%lu ", 100 + rnd(4000000));
		if (c == 12)
			printf("comm=6D792022617070 ");	/* my "app */
		else
			printf("comm=\"%s\" ", comm[c]);
		printf("exe=\"/usr/lib/app%lu/bin/%s\" sig=%s arch=%s "
		    "syscall=%lu compat=0 ip=0x7f%010lx code=%s", e,
		    comm[c], act[k].sig, arch[a].arch, rnd(arch[a].max + 1),
		    rnd(1UL << 40), act[k].code);
		if (fmt == 4 || fmt == 5)	/* ENRICHED */
			printf("\035AUID=\"%s\" UID=\"%s\" GID=\"%s\" ARCH=%s "
			    "SYSCALL=unknown-syscall(-1)",
			    uid ? "alice" : "unset", user[uid], user[uid],
			    arch[a].name);
		putchar('\n');
	}
	return ferror(stdout) ? 1 : 0;
}
