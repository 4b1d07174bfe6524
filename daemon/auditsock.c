/*
 * Socket-mode negotiation.  Auto mode registers as the audit daemon only
 * when no live one is registered (a registration attempt against a live
 * auditd would be logged by the kernel); otherwise it reads the multicast
 * copy.  Only unicast mode touches the kernel's settings: the backlog is
 * the daemon's queue, and a multicast reader must not change auditd's.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "daemon/auditsock.h"
#include "daemon/log.h"
#include "daemon/procfile.h"
#include "policy/privs.h"

/* recvmmsg() batches per wake-up before signals are looked at again. */
#define DRAIN_BATCHES 64
/* Losses are reported at most this often. */
#define LOSS_REPORT_MS 10000

struct auditsock {
	struct auditnl		*nl;
	enum conf_socket	 mode;
	int			 registered;
	struct auditnl_counters	 seen;		/* at the last loss report */
	int64_t			 last_report;
	/*
	 * Unicast: the kernel's lost counter (u32, wraps), read with
	 * AUDIT_GET on the tick; kernel_lost is its growth since acquire.
	 */
	int			 poll_lost;
	uint32_t		 lost_last;
	uint64_t		 kernel_lost;
	uint64_t		 kernel_lost_seen;	/* at the last log */
	int			 poll_warned;
	int			 drops_warned;
};

/*
 * Whether a registered audit daemon looks alive: it exists and is not a
 * zombie (whose socket is closed).  Only auto mode uses this guess; an
 * explicit unicast request lets the kernel decide (it probes the daemon).
 */
static int
pid_alive(uint32_t pid)
{
	char path[64], buf[512], *p;

	if (pid == 0 || (kill((pid_t)pid, 0) < 0 && errno != EPERM))
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (procfile_read(path, buf, sizeof(buf), 1) <= 0)
		return 1;
	/* "pid (comm) S ...": the state follows the last ')'. */
	if ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z')
		return 0;
	return 1;
}

/* The comm of a pid, for messages; "?" when it cannot be read. */
static const char *
pid_comm(uint32_t pid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	if (procfile_read(path, buf, len, 1) <= 0)
		return "?";
	return buf;
}

void
auditsock_check_actions_logged(void)
{
	static const char *const wanted[] = {
		"kill_process", "kill_thread", "trap", "errno", "user_notif",
		"trace", "log",
	};
	char buf[256], padded[260], word[32], missing[256] = "";
	size_t i;

	if (procfile_read("/proc/sys/kernel/seccomp/actions_logged", buf,
	    sizeof(buf), 1) < 0) {
		log_warn("cannot read /proc/sys/kernel/seccomp/actions_logged");
		return;
	}
	snprintf(padded, sizeof(padded), " %s ", buf);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		snprintf(word, sizeof(word), " %s ", wanted[i]);
		if (strstr(padded, word) == NULL) {
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, wanted[i],
			    sizeof(missing) - strlen(missing) - 1);
		}
	}
	if (missing[0] != '\0')
		log_warnx("kernel.seccomp.actions_logged lacks%s: the kernel "
		    "writes no record for these actions", missing);
	else
		log_debug("kernel.seccomp.actions_logged: %s", buf);
}

/*
 * The unicast daemon's queue: a burst beyond the kernel's default backlog
 * of 64 makes audited tasks wait, then drops records.  Raise, never lower,
 * what is there (an operator's auditctl -b stays); the wait time only when
 * configured.
 */
static void
set_backlog(struct auditsock *as, const struct conf_audit *a,
    const struct auditmsg_status *st)
{
	if (a->backlog_limit > st->backlog_limit) {
		if (auditnl_set_backlog_limit(as->nl, a->backlog_limit) < 0)
			log_warn("raising the audit backlog_limit from %u to %u",
			    st->backlog_limit, a->backlog_limit);
		else
			log_info("audit backlog_limit raised from %u to %u",
			    st->backlog_limit, a->backlog_limit);
	}
	if (a->backlog_wait_time >= 0 &&
	    (uint32_t)a->backlog_wait_time != st->backlog_wait_time) {
		if (auditnl_set_backlog_wait_time(as->nl,
		    (uint32_t)a->backlog_wait_time) < 0)
			log_warn("setting the audit backlog_wait_time to %lld",
			    (long long)a->backlog_wait_time);
		else
			log_info("audit backlog_wait_time set from %u to %lld",
			    st->backlog_wait_time,
			    (long long)a->backlog_wait_time);
	}
}

struct auditsock *
auditsock_acquire(const struct conf_audit *a, auditnl_record_fn fn,
    void *arg)
{
	struct auditmsg_status st;
	struct auditsock *as;
	char comm[64];
	enum conf_socket want = a->socket;
	int have_status;

	if ((as = calloc(1, sizeof(*as))) == NULL)
		fatal("allocating the audit socket");
	as->last_report = log_now_ms();
	if ((as->nl = auditnl_open(a->rcvbuf, fn, arg)) == NULL) {
		if (errno == EPROTONOSUPPORT)
			fatalx("this kernel has no audit support "
			    "(CONFIG_AUDIT is off)");
		fatal("cannot open the audit netlink socket");
	}
	if (auditnl_rcvbuf(as->nl) < a->rcvbuf)
		log_warnx("receive buffer is %d bytes, less than the %d "
		    "asked for (raise net.core.rmem_max or grant "
		    "CAP_NET_ADMIN)", auditnl_rcvbuf(as->nl), a->rcvbuf);

	have_status = auditnl_status(as->nl, &st) == 0;
	if (!have_status && want == CONF_SOCKET_UNICAST)
		fatal("cannot query the audit status (unicast mode needs "
		    "CAP_AUDIT_CONTROL in the initial PID namespace)");

	as->mode = want;
	if (want == CONF_SOCKET_AUTO) {
		if (!have_status) {
			log_info("socket mode auto: multicast (audit status "
			    "not readable: %s)", strerror(errno));
			as->mode = CONF_SOCKET_MULTICAST;
		} else if (pid_alive(st.pid)) {
			log_info("socket mode auto: multicast (audit daemon "
			    "pid %u, %s, is registered)", st.pid,
			    pid_comm(st.pid, comm, sizeof(comm)));
			as->mode = CONF_SOCKET_MULTICAST;
		} else if (auditnl_set_pid(as->nl, (uint32_t)getpid()) == 0) {
			log_info("socket mode auto: unicast (no audit daemon "
			    "was registered)");
			as->mode = CONF_SOCKET_UNICAST;
			as->registered = 1;
		} else {
			log_info("socket mode auto: multicast (cannot "
			    "register as audit daemon: %s)", strerror(errno));
			as->mode = CONF_SOCKET_MULTICAST;
		}
	} else if (want == CONF_SOCKET_UNICAST) {
		if (auditnl_set_pid(as->nl, (uint32_t)getpid()) < 0) {
			if (errno == EEXIST &&
			    auditnl_status(as->nl, &st) == 0)
				fatalx("unicast: audit daemon pid %u (%s) is "
				    "already registered; stop it or use "
				    "--socket multicast", st.pid,
				    pid_comm(st.pid, comm, sizeof(comm)));
			fatal("unicast: cannot register as the audit daemon");
		}
		as->registered = 1;
	}

	if (as->registered) {
		set_backlog(as, a, &st);
		as->poll_lost = 1;
		as->lost_last = st.lost;
	}
	if (as->mode == CONF_SOCKET_MULTICAST) {
		if (auditnl_join(as->nl) < 0) {
			if (errno == EPERM)
				fatalx("multicast: joining the audit log group "
				    "needs CAP_AUDIT_READ");
			fatal("multicast: cannot join the audit log group");
		}
		if (have_status && st.pid == 0)
			log_notice("no audit daemon is registered: the kernel "
			    "also writes every record to its own log");
	}
	return as;
}

enum conf_socket
auditsock_mode(const struct auditsock *as)
{
	return as->mode;
}

int
auditsock_rcvbuf(const struct auditsock *as)
{
	return auditnl_rcvbuf(as->nl);
}

uint64_t
auditsock_caps(const struct auditsock *as)
{
	/* The serving loop needs CAP_AUDIT_CONTROL to unregister. */
	return as->registered ? PRIVS_CAP(CAP_AUDIT_CONTROL) : 0;
}

/* Warn about losses since the last call. */
static void
report_losses(struct auditsock *as)
{
	const struct auditnl_counters *n = auditnl_counters(as->nl);
	struct auditnl_counters *seen = &as->seen;

	if (n->dropped > seen->dropped)
		log_warnx("the kernel dropped %llu records for this socket, "
		    "its receive queue being full (%llu in all); raise "
		    "audit.rcvbuf", (unsigned long long)
		    (n->dropped - seen->dropped),
		    (unsigned long long)n->dropped);
	if (n->enobufs > seen->enobufs)
		log_warnx("netlink receive queue overflowed %llu time(s) "
		    "(%llu in all): the kernel dropped records for this "
		    "socket; raise audit.rcvbuf", (unsigned long long)
		    (n->enobufs - seen->enobufs),
		    (unsigned long long)n->enobufs);
	if (n->foreign > seen->foreign || n->malformed > seen->malformed ||
	    n->truncated > seen->truncated)
		log_warnx("dropped netlink datagrams: %llu not from the "
		    "kernel, %llu malformed, %llu truncated (in all)",
		    (unsigned long long)n->foreign,
		    (unsigned long long)n->malformed,
		    (unsigned long long)n->truncated);
	*seen = *n;
	if (as->kernel_lost > as->kernel_lost_seen)
		log_warnx("the kernel's audit lost counter rose by %llu: "
		    "records of any type were dropped before delivery; raise "
		    "audit.backlog_limit", (unsigned long long)
		    (as->kernel_lost - as->kernel_lost_seen));
	as->kernel_lost_seen = as->kernel_lost;
}

/*
 * The growth of the kernel's lost counter (kernel/audit.c audit_log_lost():
 * every record type, dropped at the backlog, the rate limit or failed
 * delivery).  Needs CAP_AUDIT_CONTROL, kept in unicast mode only.
 */
static void
poll_kernel_lost(struct auditsock *as)
{
	struct auditmsg_status st;

	if (!as->poll_lost)
		return;
	if (auditnl_status(as->nl, &st) < 0) {
		if (!as->poll_warned)
			log_warn("reading the kernel's audit lost counter "
			    "(said once; loss reports lack kernel_lost)");
		as->poll_warned = 1;
		return;
	}
	as->kernel_lost += (uint32_t)(st.lost - as->lost_last);
	as->lost_last = st.lost;
}

/*
 * Multicast: the records the kernel dropped at this socket's full queue,
 * counted exactly (auditnl_drops()).  Not in unicast: there kauditd keeps
 * what it could not send and tries again, and what it drops in the end is
 * in its lost counter.
 */
static void
poll_drops(struct auditsock *as)
{
	if (as->mode != CONF_SOCKET_MULTICAST)
		return;
	if (auditnl_drops(as->nl) < 0 && !as->drops_warned) {
		log_warn("reading the socket's drop counter (said once; "
		    "records dropped on a full queue go uncounted)");
		as->drops_warned = 1;
	}
}

static int
as_step(void *impl)
{
	struct auditsock *as = impl;

	return auditnl_drain(as->nl, DRAIN_BATCHES);
}

static void
as_tick(void *impl)
{
	struct auditsock *as = impl;
	int64_t now = log_now_ms();

	poll_kernel_lost(as);
	poll_drops(as);
	if (now - as->last_report >= LOSS_REPORT_MS) {
		report_losses(as);
		as->last_report = now;
	}
}

/*
 * Take what the kernel still delivers once the flow is stopped.  kauditd
 * sends from its own thread, so records of the last moments (the daemon's
 * own calls at shutdown among them) can land after a first EAGAIN: read
 * until the socket has been quiet for FINAL_QUIET_MS, for FINAL_MAX_MS at
 * most (a multicast reader that could not leave keeps receiving).
 */
#define FINAL_QUIET_MS 200
#define FINAL_MAX_MS 2000

static int
final_drain(struct auditsock *as)
{
	struct pollfd pfd;
	int64_t end = log_now_ms() + FINAL_MAX_MS, left;

	for (;;) {
		if (auditnl_drain(as->nl, DRAIN_BATCHES) < 0) {
			log_warn("draining the audit socket");
			return -1;
		}
		if ((left = end - log_now_ms()) <= 0)
			return 0;
		pfd.fd = auditnl_fd(as->nl);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(left < FINAL_QUIET_MS ? left :
		    FINAL_QUIET_MS)) <= 0)
			return 0;
	}
}

/*
 * Stop the flow first (unregister, or leave the multicast group) so that
 * the kernel queues nothing more here, then take what it had already
 * queued: the final drain ends even during a flood.
 */
static int
as_stop(void *impl)
{
	struct auditsock *as = impl;
	int rc = 0;

	if (as->registered) {
		if (auditnl_set_pid(as->nl, 0) < 0) {
			log_warn("unregistering as the audit daemon");
			rc = -1;
		} else
			as->registered = 0;
	} else if (auditnl_leave(as->nl) < 0)
		log_warn("leaving the audit multicast group");
	if (final_drain(as) < 0)
		rc = -1;
	poll_kernel_lost(as);
	poll_drops(as);
	report_losses(as);
	return rc;
}

static void
as_losses(void *impl, struct pipeline_srcloss *l)
{
	struct auditsock *as = impl;

	const struct auditnl_counters *n = auditnl_counters(as->nl);

	l->enobufs = n->enobufs;
	l->kernel_lost = as->kernel_lost;
	l->socket_dropped = n->dropped;
	l->bad_datagrams = n->truncated + n->malformed;
}

static void
as_report(void *impl)
{
	struct auditsock *as = impl;
	const struct auditnl_counters *n = auditnl_counters(as->nl);

	poll_drops(as);
	log_info("netlink: datagrams=%llu records=%llu enobufs=%llu "
	    "dropped=%llu foreign=%llu truncated=%llu malformed=%llu "
	    "unexpected=%llu",
	    (unsigned long long)n->datagrams, (unsigned long long)n->records,
	    (unsigned long long)n->enobufs, (unsigned long long)n->dropped,
	    (unsigned long long)n->foreign,
	    (unsigned long long)n->truncated,
	    (unsigned long long)n->malformed,
	    (unsigned long long)n->unexpected);
}

struct source
auditsock_source(struct auditsock *as)
{
	struct source s = {
		.what = "the audit socket",
		.fd = auditnl_fd(as->nl),
		.step = as_step,
		.tick = as_tick,
		.stop = as_stop,
		.losses = as_losses,
		.report = as_report,
		.impl = as,
	};

	return s;
}

void
auditsock_close(struct auditsock *as)
{
	if (as == NULL)
		return;
	if (as->registered && auditnl_set_pid(as->nl, 0) < 0)
		log_warn("unregistering as the audit daemon");
	auditnl_close(as->nl);
	free(as);
}
