/*
 * count [-u] [-b RCVBUF] [-e EXE]: the floor of the benchmark, a reader of
 * the audit netlink socket that does nothing but count AUDIT_SECCOMP
 * records (those of EXE apart, per action by their code).  Multicast by
 * default, -u registers as the audit daemon.  Deliberately minimal: one
 * recv per record, no decoding, so its cost is the kernel's and the
 * socket's.  Until SIGTERM or SIGINT; then one line of counts and rusage.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* AUDIT_SET pid (0 unregisters); the kernel's ack is not waited for. */
static int
set_pid(int fd, unsigned int pid)
{
	struct {
		struct nlmsghdr h;
		struct audit_status s;
	} m;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = AUDIT_SET;
	m.h.nlmsg_flags = NLM_F_REQUEST;
	m.s.mask = AUDIT_STATUS_PID;
	m.s.pid = pid;
	return sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&k,
	    sizeof(k)) < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static char buf[8970 + NLMSG_HDRLEN];	/* MAX_AUDIT_MESSAGE_LENGTH */
	unsigned long long all = 0, mine = 0, log = 0, err = 0, kill = 0;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct sigaction act;
	struct rusage ru;
	char needle[4200] = "";
	const char *exe = NULL;
	int fd, opt, unicast = 0, rcvbuf = 16 << 20;
	size_t nlen = 0;
	ssize_t n;

	while ((opt = getopt(argc, argv, "ub:e:")) != -1) {
		if (opt == 'u')
			unicast = 1;
		else if (opt == 'b')
			rcvbuf = atoi(optarg);
		else if (opt == 'e')
			exe = optarg;
		else {
			fprintf(stderr, "usage: count [-u] [-b RCVBUF] "
			    "[-e EXE]\n");
			return 2;
		}
	}
	if (exe != NULL)
		nlen = (size_t)snprintf(needle, sizeof(needle), " exe=\"%s\"",
		    exe);
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;	/* no SA_RESTART: recv returns */
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_AUDIT)) < 0) {
		perror("count: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0)
		perror("count: SO_RCVBUFFORCE");
	sa.nl_groups = unicast ? 0 : 1U << (AUDIT_NLGRP_READLOG - 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("count: bind");
		return 1;
	}
	if (unicast && set_pid(fd, (unsigned int)getpid()) < 0) {
		perror("count: AUDIT_SET pid");
		return 1;
	}
	fprintf(stderr, "count: listening (%s)\n",
	    unicast ? "unicast" : "multicast");
	while (!stop) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		const char *c, *p;

		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			perror("count: recv");
			break;
		}
		if ((size_t)n < NLMSG_HDRLEN || h->nlmsg_type != AUDIT_SECCOMP)
			continue;
		all++;
		buf[n] = '\0';
		p = buf + NLMSG_HDRLEN;
		if (nlen > 0 && memmem(p, (size_t)n - NLMSG_HDRLEN, needle,
		    nlen) == NULL)
			continue;
		mine++;
		if ((c = strstr(p, " code=0x")) == NULL)
			continue;
		switch (strtoul(c + 8, NULL, 16) & 0xffff0000UL) {
		case 0x7ffc0000UL:
			log++;
			break;
		case 0x00050000UL:
			err++;
			break;
		case 0x80000000UL:
			kill++;
			break;
		}
	}
	if (unicast)
		(void)set_pid(fd, 0);
	close(fd);
	getrusage(RUSAGE_SELF, &ru);
	printf("seccomp=%llu exe=%llu log=%llu errno=%llu kill_process=%llu "
	    "cpu_us=%ld maxrss_kb=%ld\n", all, mine, log, err, kill,
	    (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec, ru.ru_maxrss);
	return 0;
}
