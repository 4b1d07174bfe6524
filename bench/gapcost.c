/*
 * gapcost: what one monitoring-gap report costs the daemon (daemon/gaps.c),
 * with N processes of its own under a seccomp filter beside whatever the
 * host runs.  The report is made ROUNDS times into a pipeline without
 * outputs (encoding, no writing), on this thread as in the serving loop:
 *   gapcost [N [ROUNDS]]   ->  "processes=... report: mean ... ms ..."
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "daemon/gaps.h"
#include "daemon/log.h"
#include "daemon/pipeline.h"
#include "daemon/procfile.h"

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Processes in /proc now. */
static int
count_procs(void)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL)
		n += d->d_name[0] >= '1' && d->d_name[0] <= '9';
	closedir(dir);
	return n;
}

/* A child under an errno filter without the log flag, until killed. */
static pid_t
spawn(int i)
{
	scmp_filter_ctx ctx;
	char name[16];
	pid_t pid;

	if ((pid = fork()) != 0)
		return pid;
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	snprintf(name, sizeof(name), "gapcost-%d", i % 8);
	(void)prctl(PR_SET_NAME, name, 0, 0, 0);
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid),
	    0) < 0 || seccomp_load(ctx) < 0)
		_exit(3);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	static const struct conf_gaps gc = { 1, 0 };
	static const struct event_ctx ev = { "bench", 5, 0, 0 };
	struct pipeline *pl;
	struct gaps *g;
	pid_t *kids;
	int64_t t0, t, min = -1, max = 0, sum = 0;
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	int i, status, procs;
	char path[64], buf[64];

	if (n < 0 || rounds <= 0) {
		fprintf(stderr, "usage: gapcost [N [ROUNDS]]\n");
		return 2;
	}
	log_init(LOG_WARNING);	/* not the per-report info line */
	if ((kids = calloc((size_t)n + 1, sizeof(*kids))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if ((kids[i] = spawn(i)) < 0) {
			perror("gapcost: fork");
			n = i;
			break;
		}
	/* Every child named, so under its filter, before the first round. */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)kids[i]);
		while (procfile_read(path, buf, sizeof(buf), 1) > 0 &&
		    strncmp(buf, "gapcost-", 8) != 0)
			usleep(1000);
	}
	procs = count_procs();
	if ((pl = pipeline_new(&ev)) == NULL ||
	    (g = gaps_new(&gc, NULL, &ev)) == NULL)
		return 1;
	for (i = 0; i < rounds; i++) {
		t0 = now_us();
		gaps_report(g, pl, "bench");
		t = now_us() - t0;
		sum += t;
		min = min < 0 || t < min ? t : min;
		max = t > max ? t : max;
	}
	printf("processes=%d (filtered children %d) rounds=%d report: mean "
	    "%.2f ms, min %.2f, max %.2f; %.1f us a process\n", procs, n,
	    rounds, (double)sum / rounds / 1000.0, (double)min / 1000.0,
	    (double)max / 1000.0, (double)sum / rounds / (procs ? procs : 1));
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		(void)waitpid(kids[i], &status, 0);
	gaps_free(g);
	pipeline_free(pl);
	free(kids);
	return 0;
}
