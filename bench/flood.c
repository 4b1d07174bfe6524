/*
 * flood: make seccomp violations whose number per action is known exactly,
 * from PROCS processes released at once (a pipe closed as the barrier).
 * Each action has its own call, so a record's syscall says which it was:
 * getppid under SCMP_ACT_LOG, getpgrp denied (ERRNO) with the filter's log
 * flag, getpgid under SCMP_ACT_KILL_PROCESS (one record per process, the
 * last call it makes).  The benchmark's load generator (bench/run).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

enum { LOG, ERRNO, KILL, NACT };
static const char *const act_name[NACT] = { "log", "errno", "kill_process" };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One process's share: calls[LOG] logged calls and calls[ERRNO] denied
 * ones interleaved, then, if calls[KILL], the call that kills it.  At
 * RATE calls/s (0: as fast as it can), paced on absolute deadlines.
 */
static void
violate(const long calls[NACT], double rate, int go)
{
	struct rlimit no_core = { 0, 0 };
	struct timespec t;
	scmp_filter_ctx ctx;
	long i, n, nlog, nerr;
	char c;

	/* A killed process leaves no core: not dumpable, limit 0. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	(void)setrlimit(RLIMIT_CORE, &no_core);
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpgrp),
	    0) < 0 || seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS,
	    SCMP_SYS(getpgid), 0) < 0 || seccomp_load(ctx) < 0) {
		fprintf(stderr, "flood: cannot load the filter\n");
		_exit(1);
	}
	/* Every process starts when the parent closes the pipe. */
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &t);
	n = calls[LOG] + calls[ERRNO] + calls[KILL];
	nlog = nerr = 0;
	for (i = 0; i < n; i++) {
		if (rate > 0) {
			long ns = (long)(1e9 / rate);

			t.tv_nsec += ns % 1000000000L;
			t.tv_sec += ns / 1000000000L + t.tv_nsec / 1000000000L;
			t.tv_nsec %= 1000000000L;
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &t, NULL) == EINTR)
				;
		}
		/* Interleave the two so that either keeps its share. */
		if (nlog < calls[LOG] && (nerr >= calls[ERRNO] ||
		    nlog * calls[ERRNO] <= nerr * calls[LOG])) {
			syscall(SYS_getppid);
			nlog++;
		} else if (nerr < calls[ERRNO]) {
			syscall(SYS_getpgrp);
			nerr++;
		} else
			syscall(SYS_getpgid, 0);
	}
	_exit(calls[KILL] ? 3 : 0);	/* 3: the kill did not kill */
}

static void
usage(void)
{
	fprintf(stderr, "usage: flood [-a log|errno|kill|mix] [-m] [-r RATE] "
	    "N [PROCS]\n"
	    "  log, errno: N calls from PROCS processes (default 1)\n"
	    "  kill: N processes each killed by its first violation\n"
	    "  mix (-m): N calls from PROCS processes, each ending with its\n"
	    "    kill; the rest half logged, half denied\n"
	    "  -r RATE: RATE calls/s in all (default: as fast as possible)\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long n, procs, p, share, made[NACT] = { 0, 0, 0 };
	const char *mode = "log";
	double t0, t, rate = 0;
	int opt, status, bad = 0, go[2], a;

	while ((opt = getopt(argc, argv, "a:mr:")) != -1) {
		switch (opt) {
		case 'a':
			mode = optarg;
			break;
		case 'm':
			mode = "mix";
			break;
		case 'r':
			if ((rate = atof(optarg)) <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2 || (n = atol(argv[0])) <= 0)
		usage();
	procs = argc > 1 ? atol(argv[1]) : 1;
	if (strcmp(mode, "kill") == 0)
		procs = n;
	if (procs < 1 || procs > n)
		usage();
	if (strcmp(mode, "log") != 0 && strcmp(mode, "errno") != 0 &&
	    strcmp(mode, "kill") != 0 && strcmp(mode, "mix") != 0)
		usage();
	if (pipe(go) < 0) {
		perror("pipe");
		return 1;
	}
	for (p = 0; p < procs; p++) {
		long calls[NACT] = { 0, 0, 0 };
		pid_t pid;

		share = n / procs + (p < n % procs);
		if (strcmp(mode, "log") == 0)
			calls[LOG] = share;
		else if (strcmp(mode, "errno") == 0)
			calls[ERRNO] = share;
		else if (strcmp(mode, "kill") == 0)
			calls[KILL] = share;
		else {
			calls[KILL] = 1;
			calls[LOG] = share / 2;
			calls[ERRNO] = share - 1 - calls[LOG];
		}
		for (a = 0; a < NACT; a++)
			made[a] += calls[a];
		if ((pid = fork()) < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			close(go[1]);
			violate(calls, rate / (double)procs, go[0]);
		}
	}
	close(go[0]);
	t0 = now();
	close(go[1]);
	while (wait(&status) > 0) {
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
			continue;	/* killed by its filter, as asked */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	}
	t = now() - t0;
	printf("%ld violations in %.3f s: %.0f/s (", n, t, (double)n / t);
	for (a = 0; a < NACT; a++)
		printf("%s%s=%ld", a ? " " : "", act_name[a], made[a]);
	printf(")\n");
	return bad;
}
