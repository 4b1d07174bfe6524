/*
 * signalfd + timerfd + poll.  Everything is acquired in loop_init(), before
 * the sandbox; the serving path only reads these descriptors.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "daemon/loop.h"

int
loop_init(struct loop *lp, unsigned tick_ms)
{
	struct itimerspec its;
	sigset_t set;

	memset(lp, 0, sizeof(*lp));
	lp->sigfd = lp->timerfd = -1;
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	if ((lp->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		goto fail;
	lp->timerfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC);
	if (lp->timerfd < 0)
		goto fail;
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = tick_ms / 1000;
	its.it_interval.tv_nsec = (long)(tick_ms % 1000) * 1000000;
	its.it_value = its.it_interval;
	if (timerfd_settime(lp->timerfd, 0, &its, NULL) < 0)
		goto fail;
	return 0;
fail:
	loop_close(lp);
	return -1;
}

static void
read_signals(struct loop *lp)
{
	struct signalfd_siginfo si;
	ssize_t n;

	while ((n = read(lp->sigfd, &si, sizeof(si))) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			lp->stop = 1;
			lp->stop_signal = (int)si.ssi_signo;
			break;
		case SIGUSR1:
			lp->dump = 1;
			break;
		case SIGHUP:
			lp->reopen = 1;
			break;
		}
	}
}

int
loop_wait(struct loop *lp, int fd, int timeout_ms)
{
	struct pollfd pfd[3];
	uint64_t ticks;
	int rc = 0, n;

	pfd[0].fd = lp->sigfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = lp->timerfd;
	pfd[1].events = POLLIN;
	pfd[2].fd = fd;
	pfd[2].events = POLLIN;
	pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
	do {
		n = poll(pfd, fd >= 0 ? 3 : 2, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (pfd[0].revents & POLLIN)
		read_signals(lp);
	if ((pfd[1].revents & POLLIN) &&
	    read(lp->timerfd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks))
		rc |= LOOP_TICK;
	/* POLLHUP/POLLERR too: the reader finds out what happened. */
	if (fd >= 0 && (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)))
		rc |= LOOP_INPUT;
	return rc;
}

void
loop_close(struct loop *lp)
{
	if (lp->sigfd >= 0)
		close(lp->sigfd);
	if (lp->timerfd >= 0)
		close(lp->timerfd);
	lp->sigfd = lp->timerfd = -1;
}
