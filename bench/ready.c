/*
 * ready FILE CMD [ARG...]: run CMD with NOTIFY_SOCKET set and write
 * "ready_ms=T" to FILE when it sends READY=1, T from just before exec.
 * The process execs CMD itself (its pid is CMD's, for the caller to
 * signal and wait for); a grandchild listens and writes FILE.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec t0, t;
	struct pollfd pfd;
	char buf[256];
	FILE *f;
	ssize_t n;
	pid_t pid;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: ready FILE CMD [ARG...]\n");
		return 2;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.sock", argv[1]);
	unlink(sa.sun_path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("ready: notify socket");
		return 1;
	}
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Twice: the listener is init's child, never a zombie of CMD's. */
	if ((pid = fork()) == 0 && fork() != 0)
		_exit(0);
	if (pid == 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, 30000) > 0 &&
		    (n = recv(fd, buf, sizeof(buf) - 1, 0)) >= 0) {
			buf[n] = '\0';
			if (strstr(buf, "READY=1") == NULL)
				continue;
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((f = fopen(argv[1], "w")) == NULL)
				_exit(1);
			fprintf(f, "ready_ms=%.1f\n",
			    (double)(t.tv_sec - t0.tv_sec) * 1e3 +
			    (double)(t.tv_nsec - t0.tv_nsec) / 1e6);
			fclose(f);
			unlink(sa.sun_path);
			_exit(0);
		}
		unlink(sa.sun_path);
		_exit(1);
	}
	close(fd);
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	execvp(argv[2], argv + 2);
	perror("ready: exec");
	return 127;
}
