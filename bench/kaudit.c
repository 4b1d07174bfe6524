/*
 * kaudit: read and set the kernel's audit settings the benchmark needs,
 * without auditctl (auditd's package would start a service).  Uses the
 * daemon's own netlink module, so what it sets is what the daemon sees.
 *   kaudit get                  enabled=1 backlog_limit=8192 ...
 *   kaudit set KEY=N ...        enabled, backlog_limit, backlog_wait_time,
 *                               rate_limit
 *   kaudit wait-empty [MS]      until kauditd has sent every queued record
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlink/auditnl.h"

static int
get(struct auditnl *nl)
{
	struct auditmsg_status st;

	if (auditnl_status(nl, &st) < 0) {
		perror("kaudit: AUDIT_GET");
		return 1;
	}
	printf("enabled=%u backlog_limit=%u backlog_wait_time=%u pid=%u "
	    "lost=%u backlog=%u rate_limit=%u\n", st.enabled,
	    st.backlog_limit, st.backlog_wait_time, st.pid, st.lost,
	    st.backlog, st.rate_limit);
	return 0;
}

static int
set(struct auditnl *nl, char **kv, int n)
{
	unsigned long v;
	char *eq, *end;
	int i, rc;

	for (i = 0; i < n; i++) {
		if ((eq = strchr(kv[i], '=')) == NULL)
			goto bad;
		errno = 0;
		v = strtoul(eq + 1, &end, 10);
		if (errno != 0 || end == eq + 1 || *end != '\0' ||
		    v > UINT32_MAX)
			goto bad;
		*eq = '\0';
		if (strcmp(kv[i], "enabled") == 0)
			rc = auditnl_set_enabled(nl, (uint32_t)v);
		else if (strcmp(kv[i], "backlog_limit") == 0)
			rc = auditnl_set_backlog_limit(nl, (uint32_t)v);
		else if (strcmp(kv[i], "backlog_wait_time") == 0)
			rc = auditnl_set_backlog_wait_time(nl, (uint32_t)v);
		else if (strcmp(kv[i], "rate_limit") == 0)
			rc = auditnl_set_rate_limit(nl, (uint32_t)v);
		else
			goto bad;
		if (rc < 0) {
			fprintf(stderr, "kaudit: setting %s: %s\n", kv[i],
			    strerror(errno));
			return 1;
		}
	}
	return 0;
bad:
	fprintf(stderr, "kaudit: bad setting \"%s\"\n", kv[i]);
	return 2;
}

static int
wait_empty(struct auditnl *nl, long ms)
{
	struct auditmsg_status st;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (auditnl_status(nl, &st) < 0) {
			perror("kaudit: AUDIT_GET");
			return 1;
		}
		if (st.backlog == 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > ms) {
			fprintf(stderr, "kaudit: %u records still queued\n",
			    st.backlog);
			return 1;
		}
		(void)poll(NULL, 0, 20);
	}
}

int
main(int argc, char **argv)
{
	struct auditnl *nl;
	int rc = 2;

	if (argc < 2)
		goto usage;
	if ((nl = auditnl_open(0, NULL, NULL)) == NULL) {
		perror("kaudit: audit netlink socket");
		return 1;
	}
	if (strcmp(argv[1], "get") == 0 && argc == 2)
		rc = get(nl);
	else if (strcmp(argv[1], "set") == 0 && argc > 2)
		rc = set(nl, argv + 2, argc - 2);
	else if (strcmp(argv[1], "wait-empty") == 0 && argc <= 3)
		rc = wait_empty(nl, argc == 3 ? atol(argv[2]) : 60000);
	auditnl_close(nl);
	if (rc != 2)
		return rc;
usage:
	fprintf(stderr, "usage: kaudit get | set KEY=N... | wait-empty [MS]\n");
	return 2;
}
