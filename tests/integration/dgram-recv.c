/*
 * dgram-recv PATH COUNT MS: bind a Unix datagram socket at PATH (a stand-in
 * for /dev/log or journald's socket), take datagrams until COUNT arrived or
 * MS milliseconds passed without one, and print how many came and their
 * bytes.  Descriptors passed with SCM_RIGHTS (journald's memfd) are closed.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static char buf[1 << 17];
	char ctl[CMSG_SPACE(16 * sizeof(int))];
	struct sockaddr_un sa;
	struct pollfd pfd;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	struct cmsghdr *c;
	unsigned long want, got = 0, bytes = 0;
	long ms;
	ssize_t n;
	size_t i;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: dgram-recv PATH COUNT MS\n");
		return 2;
	}
	want = strtoul(argv[2], NULL, 10);
	ms = strtol(argv[3], NULL, 10);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "dgram-recv: %s: path too long\n", argv[1]);
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "dgram-recv: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < want && poll(&pfd, 1, (int)ms) > 0) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		if ((n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) < 0)
			break;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_RIGHTS)
				for (i = 0; i < (c->cmsg_len - CMSG_LEN(0)) /
				    sizeof(int); i++)
					close(((int *)CMSG_DATA(c))[i]);
		got++;
		bytes += (unsigned long)n;
	}
	printf("%lu datagrams, %lu bytes\n", got, bytes);
	unlink(argv[1]);
	return 0;
}
