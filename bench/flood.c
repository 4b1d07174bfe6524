/*
 * flood [-m] N [PROCS]: make N seccomp violations as fast as the kernel
 * lets us, from PROCS processes released at once, each calling getppid
 * under an SCMP_ACT_LOG filter: every call writes one AUDIT_SECCOMP record
 * and then runs.  -m mixes three calls as issue 7 measured: getppid and
 * getuid logged, getpgrp denied (ERRNO) with the filter's log flag.
 * Prints the rate achieved.  The load generator for bench/mcast-burst.sh.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
violate(long n, int mix, int go)
{
	static const long calls[] = { SYS_getppid, SYS_getuid, SYS_getpgrp };
	scmp_filter_ctx ctx;
	char c;
	long i;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
	    (mix && (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getuid), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpgrp),
	    0) < 0)) || seccomp_load(ctx) < 0) {
		fprintf(stderr, "flood: cannot load the filter\n");
		_exit(1);
	}
	/* Every process starts when the parent closes the pipe. */
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	for (i = 0; i < n; i++)
		syscall(mix ? calls[i % 3] : SYS_getppid);
	_exit(0);
}

int
main(int argc, char **argv)
{
	long n, procs, p;
	double t0, t;
	int status, bad = 0, mix = 0, go[2];

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		mix = 1;
		argc--;
		argv++;
	}
	if (argc < 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: flood [-m] N [PROCS]\n");
		return 2;
	}
	procs = argc > 2 ? atol(argv[2]) : 1;
	if (procs < 1)
		procs = 1;
	if (pipe(go) < 0) {
		perror("pipe");
		return 1;
	}
	for (p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			close(go[1]);
			violate(n / procs + (p < n % procs), mix, go[0]);
		}
	}
	close(go[0]);
	t0 = now();
	close(go[1]);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	t = now() - t0;
	printf("%ld violations in %.3f s: %.0f/s\n", n, t, (double)n / t);
	return bad;
}
