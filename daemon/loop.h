/*
 * The poll loop: fixed slots for the input (netlink socket or replayed
 * file), a signalfd and a timerfd.  Signals are events here, never handlers
 * that do work (dhcpcd's model).
 */
#ifndef SECCOMPMON_LOOP_H
#define SECCOMPMON_LOOP_H

#include <stdint.h>

#define LOOP_INPUT	0x1	/* the input fd is readable */
#define LOOP_TICK	0x2	/* the periodic timer fired */

struct loop {
	int		sigfd;
	int		timerfd;
	int		stop;		/* SIGTERM or SIGINT received */
	int		stop_signal;
	int		dump;		/* SIGUSR1 received: report counters */
	int		reopen;		/* SIGHUP received */
};

/*
 * Block SIGTERM, SIGINT, SIGHUP and SIGUSR1 into a signalfd, ignore SIGPIPE
 * (a closed stdout then fails with EPIPE), and arm a tick every tick_ms.
 * 0, or -1 with errno.
 */
int loop_init(struct loop *lp, unsigned tick_ms);

/*
 * Wait for the input fd (-1: none), a signal or a tick; up to timeout_ms
 * (-1: no limit).  Signals only set the flags in lp.  Returns a mask of
 * LOOP_* (0 when only signals or the timeout woke us), or -1 with errno.
 */
int loop_wait(struct loop *lp, int fd, int timeout_ms);

void loop_close(struct loop *lp);

#endif
