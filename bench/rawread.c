/*
 * rawread [-m] N: the floor.  A bare audit reader that registers as the
 * audit daemon (unicast; -m: joins the multicast group instead), reads with
 * recvmmsg(2) in batches of 64 and only counts SECCOMP records, until it
 * has N of them or the socket is quiet for 3 s.  Prints "ready" once
 * listening, then at the end: records, its CPU from ready to the end (µs
 * per record) and its peak RSS.  For bench/live-cpu.sh.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/netlink.h>

#define BATCH 64
#define DGRAM (16 + 16384)

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* AUDIT_SET of the daemon pid (0: unregister). */
static int
set_pid(int fd, unsigned pid)
{
	struct {
		struct nlmsghdr		h;
		struct audit_status	s;
	} req;
	struct sockaddr_nl k;

	memset(&req, 0, sizeof(req));
	memset(&k, 0, sizeof(k));
	k.nl_family = AF_NETLINK;
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = AUDIT_SET;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = pid + 1;
	req.s.mask = AUDIT_STATUS_PID;
	req.s.pid = pid;
	return sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&k,
	    sizeof(k)) < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static char bufs[BATCH][DGRAM];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_nl sa;
	struct pollfd pfd;
	struct rusage ru;
	struct nlmsghdr *h;
	long want, got = 0;
	double c0, c;
	int fd, i, n, mcast = 0, rcvbuf = 16 << 20, group = AUDIT_NLGRP_READLOG;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		mcast = 1;
		argc--;
		argv++;
	}
	if (argc < 2 || (want = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: rawread [-m] N\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) {
		perror("rawread: socket");
		return 1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (mcast ? setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
	    &group, sizeof(group)) : set_pid(fd, (unsigned)getpid())) < 0) {
		perror("rawread: register");
		return 1;
	}
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = DGRAM;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	fflush(stdout);
	c0 = cpu_s();
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < want) {
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
				break;
			if (errno == EAGAIN && poll(&pfd, 1, 3000) == 0)
				break;
			continue;
		}
		for (i = 0; i < n; i++) {
			h = (struct nlmsghdr *)bufs[i];
			if (msgs[i].msg_len >= sizeof(*h) &&
			    h->nlmsg_type == AUDIT_SECCOMP)
				got++;
		}
	}
	c = cpu_s() - c0;
	if (!mcast)
		(void)set_pid(fd, 0);
	getrusage(RUSAGE_SELF, &ru);
	printf("records=%ld cpu_s=%.3f us_per_record=%.3f maxrss_kb=%ld\n",
	    got, c, got ? c * 1e6 / (double)got : 0.0, ru.ru_maxrss);
	return got == want ? 0 : 1;
}
