/*
 * flood N [PROCS]: make N seccomp violations as fast as the kernel lets us,
 * from PROCS processes, each calling getppid under an SCMP_ACT_LOG filter:
 * every call writes one AUDIT_SECCOMP record and then runs.  Prints the
 * rate achieved.  The load generator for bench/run.sh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
violate(long n)
{
	scmp_filter_ctx ctx;
	long i;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
	    seccomp_load(ctx) < 0) {
		fprintf(stderr, "flood: cannot load the filter\n");
		_exit(1);
	}
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	_exit(0);
}

int
main(int argc, char **argv)
{
	long n, procs, p;
	double t0, t;
	int status, bad = 0;

	if (argc < 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: flood N [PROCS]\n");
		return 2;
	}
	procs = argc > 2 ? atol(argv[2]) : 1;
	if (procs < 1)
		procs = 1;
	t0 = now();
	for (p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			violate(n / procs + (p < n % procs));
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	t = now() - t0;
	printf("%ld violations in %.3f s: %.0f/s\n", n, t, (double)n / t);
	return bad;
}
