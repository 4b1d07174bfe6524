/*
 * Socket-mode negotiation and keeping it.  Auto mode registers as the audit
 * daemon only when no live one is registered and none is installed and
 * enabled to start at boot (auditd would then fail to register); otherwise
 * it reads the multicast copy.  A registration is watched: when the kernel
 * drops it, or (auto) an auditd asks for it, the daemon goes on in
 * multicast.  Only unicast mode touches the kernel's settings.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>

#include "daemon/auditdhost.h"
#include "daemon/auditsock.h"
#include "daemon/log.h"
#include "daemon/notify.h"
#include "daemon/procfile.h"
#include "policy/privs.h"

/* recvmmsg() batches per wake-up before signals are looked at again. */
#define DRAIN_BATCHES 64
/* Losses are reported at most this often. */
#define LOSS_REPORT_MS 10000

struct auditsock {
	struct auditnl		*nl;
	enum conf_socket	 want;		/* as configured */
	enum conf_socket	 mode;		/* in use now */
	int			 registered;
	uint32_t		 self;		/* getpid(), taken at acquire */
	int			 failed;	/* records cannot flow any more */
	/* Where records go (the pipeline); AUDIT_REPLACE stops here. */
	auditnl_record_fn	 fn;
	void			*fn_arg;
	/* The registration watch (unicast): what happened, for the report. */
	uint32_t		 replace_pid;	/* last AUDIT_REPLACE, to act on */
	int			 replace_pending;
	uint64_t		 replace_requests;
	uint64_t		 registration_lost;
	uint64_t		 yielded;
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
	/* The status as last read, for the monitoring-gap report. */
	struct auditsock_kstatus kst;
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

/*
 * Every record passes here on its way to the pipeline.  AUDIT_REPLACE is
 * not a record: kernel/audit.c audit_replace() sends it to the registered
 * daemon when another process asks to register, carrying that pid, to test
 * that the registered one still reads.  It is kept for as_step(), which
 * acts on it outside the drain (a request here would reuse the buffers
 * being walked).  No /proc look-up names the pid: openat is in the
 * sandbox only for file outputs and gap reports, which may both be off.
 */
static void
as_record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	struct auditsock *as = arg;
	int32_t pid;

	if (type == AUDIT_REPLACE) {
		pid = 0;
		if (len >= sizeof(pid))
			memcpy(&pid, text, sizeof(pid));
		/* Our own AUDIT_SET (unregistering) probes us too. */
		if ((uint32_t)pid == as->self)
			return;
		as->replace_requests++;
		as->replace_pid = (uint32_t)pid;
		as->replace_pending = 1;
		return;
	}
	if (as->fn != NULL)
		as->fn(as->fn_arg, type, text, len, node, node_len);
}

/*
 * Auto mode's rule for an audit daemon that is not running yet: one that
 * init will start must find the registration free.  1: leave it.
 */
static int
auditd_expected(void)
{
	char what[512];

	switch (auditdhost_probe("", what, sizeof(what))) {
	case AUDITDHOST_ENABLED:
		log_info("socket mode auto: multicast (auditd is installed and "
		    "enabled: %s; --socket unicast overrides)", what);
		return 1;
	case AUDITDHOST_DISABLED:
		log_debug("auditd is installed but not enabled (%s)", what);
		return 0;
	case AUDITDHOST_ABSENT:
	default:
		return 0;
	}
}

/*
 * The status at acquire, for the gap report: registered, as it is after
 * the backlog was raised (the first tick would be too late for the
 * start-up report); else as read, with the registered daemon's name.
 */
static void
keep_status(struct auditsock *as, const struct auditmsg_status *st)
{
	struct auditsock_kstatus *k = &as->kst;

	memset(k, 0, sizeof(*k));
	if (as->registered && auditnl_status(as->nl, &k->st) == 0)
		k->have = 1;
	else if (st != NULL) {
		k->st = *st;
		k->have = 1;
		if (st->pid != 0 && st->pid != as->self &&
		    pid_comm(st->pid, k->daemon, sizeof(k->daemon)) !=
		    k->daemon)
			k->daemon[0] = '\0';
	}
	k->read_ms = pipeline_now_ms();
	k->startup = 1;
}

void
auditsock_kernel_status(const struct auditsock *as,
    struct auditsock_kstatus *ks)
{
	*ks = as->kst;
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
	as->self = (uint32_t)getpid();
	as->want = want;
	as->fn = fn;
	as->fn_arg = arg;
	if ((as->nl = auditnl_open(a->rcvbuf, as_record, as)) == NULL) {
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
		} else if (auditd_expected()) {
			as->mode = CONF_SOCKET_MULTICAST;
		} else if (auditnl_set_pid(as->nl, as->self) == 0) {
			log_info("socket mode auto: unicast (no audit daemon "
			    "is registered, installed or enabled)");
			as->mode = CONF_SOCKET_UNICAST;
			as->registered = 1;
		} else {
			log_info("socket mode auto: multicast (cannot "
			    "register as audit daemon: %s)", strerror(errno));
			as->mode = CONF_SOCKET_MULTICAST;
		}
	} else if (want == CONF_SOCKET_UNICAST) {
		if (auditnl_set_pid(as->nl, as->self) < 0) {
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
	keep_status(as, have_status ? &st : NULL);
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
	/*
	 * Registered, the serving loop needs CAP_AUDIT_CONTROL to read the
	 * status (the lost counter, the registration watch) and to
	 * unregister; and CAP_AUDIT_READ to join the multicast group should
	 * the registration go (kernel/audit.c audit_bind() checks it at the
	 * join, not before).  Kept rather than joining up front: a member
	 * gets a second copy of every record.  It grants nothing more: a
	 * registered daemon already receives every record.
	 */
	return as->registered ? PRIVS_CAP(CAP_AUDIT_CONTROL) |
	    PRIVS_CAP(CAP_AUDIT_READ) : 0;
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
 * From unicast to multicast: join the log group (CAP_AUDIT_READ, kept for
 * this), so that records flow again.  The kernel's lost counter is not
 * polled any more: it would count another daemon's losses.  A daemon that
 * cannot join receives nothing more and stops (exit 1).
 */
static void
to_multicast(struct auditsock *as, const char *why)
{
	char status[160];

	as->poll_lost = 0;
	if (auditnl_join(as->nl) < 0) {
		log_errno(LOG_ERR, "%s, and joining the audit multicast group "
		    "failed (CAP_AUDIT_READ?): no records can reach seccompmon",
		    why);
		as->failed = errno ? errno : EPERM;
		return;
	}
	as->mode = CONF_SOCKET_MULTICAST;
	log_warnx("%s: reading the multicast copy from now on", why);
	snprintf(status, sizeof(status), "STATUS=listening (multicast, was "
	    "unicast: %s)", as->yielded ? "yielded to an audit daemon" :
	    "registration lost");
	notify_send(status);
}

/*
 * The registration watch and the kernel's lost counter, one AUDIT_GET a
 * tick (CAP_AUDIT_CONTROL, kept in unicast mode).  The lost counter is
 * the growth of kernel/audit.c audit_log_lost(): every record type,
 * dropped at the backlog, the rate limit or failed delivery.  The pid
 * tells whether the kernel still sends here: auditd_reset() drops a
 * registration whose socket refused a record (ECONNREFUSED), and then
 * anyone may register.  Returns 1 when the registration was found gone.
 */
static int
poll_status(struct auditsock *as)
{
	struct auditmsg_status st;
	char why[256];

	if (!as->poll_lost)
		return 0;
	if (auditnl_status(as->nl, &st) < 0) {
		if (!as->poll_warned)
			log_warn("reading the kernel's audit status (said "
			    "once; loss reports lack kernel_lost, and a lost "
			    "registration goes unnoticed)");
		as->poll_warned = 1;
		return 0;
	}
	as->kernel_lost += (uint32_t)(st.lost - as->lost_last);
	as->lost_last = st.lost;
	as->kst.st = st;
	as->kst.have = 1;
	as->kst.read_ms = pipeline_now_ms();
	as->kst.startup = 0;
	if (!as->registered || st.pid == as->self)
		return 0;
	as->registered = 0;
	as->registration_lost++;
	if (st.pid == 0)
		snprintf(why, sizeof(why), "the kernel dropped seccompmon's "
		    "audit daemon registration (no daemon is registered)");
	else
		snprintf(why, sizeof(why), "the kernel dropped seccompmon's "
		    "audit daemon registration (pid %u holds it now)", st.pid);
	log_warnx("%s; records made until the switch reached "
	    "seccompmon neither way and are not counted", why);
	return 1;
}

/*
 * Another process asked the kernel to register (AUDIT_REPLACE reached
 * us, so the kernel found this daemon alive and refused it, EEXIST).
 * Auto mode yields: an auditd started by hand, or whose unit was enabled
 * after seccompmon started, succeeds when it is restarted (auditd.service
 * has Restart=on-failure).  The group is joined before unregistering, so
 * that nothing falls between: records of that instant come twice (with
 * the same event.sequence) rather than not at all.  An explicit unicast
 * keeps the registration and says who asked.
 */
static void
handle_replace(struct auditsock *as)
{
	char why[256];
	uint32_t pid = as->replace_pid;

	as->replace_pending = 0;
	if (!as->registered)
		return;
	if (as->want != CONF_SOCKET_AUTO) {
		log_warnx("pid %u asked to become the audit daemon; the kernel "
		    "refused it since seccompmon (--socket unicast) holds the "
		    "registration", pid);
		return;
	}
	snprintf(why, sizeof(why), "socket mode auto: pid %u asked to become "
	    "the audit daemon; seccompmon gives the registration up", pid);
	as->yielded++;
	to_multicast(as, why);
	if (as->failed)
		return;
	if (auditnl_set_pid(as->nl, 0) < 0)
		log_warn("unregistering as the audit daemon");
	else
		as->registered = 0;
	(void)poll_status(as);	/* the last lost reading of ours */
	as->poll_lost = 0;
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
	int rc;

	if (as->failed) {
		errno = as->failed;
		return -1;
	}
	rc = auditnl_drain(as->nl, DRAIN_BATCHES);
	if (as->replace_pending)
		handle_replace(as);
	return rc;
}

static void
as_tick(void *impl)
{
	struct auditsock *as = impl;
	int64_t now = log_now_ms();

	if (poll_status(as))
		to_multicast(as, "registration lost");
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

	/* A registration lost since the last tick is not ours to end. */
	(void)poll_status(as);
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
	(void)poll_status(as);
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
	if (as->want != CONF_SOCKET_MULTICAST)
		log_info("audit socket: mode=%s registration_lost=%llu "
		    "replace_requests=%llu yielded=%llu",
		    conf_socket_name(as->mode),
		    (unsigned long long)as->registration_lost,
		    (unsigned long long)as->replace_requests,
		    (unsigned long long)as->yielded);
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
