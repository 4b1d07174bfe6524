/*
 * The audit socket as the daemon uses it: choosing the socket mode (the
 * kernel's registration decides between unicast and multicast), the
 * kernel's backlog settings in unicast mode, what the kernel will not log,
 * and stopping the flow at exit so that the final drain ends.
 */
#ifndef SECCOMPMON_AUDITSOCK_H
#define SECCOMPMON_AUDITSOCK_H

#include "daemon/conf.h"
#include "daemon/serve.h"
#include "netlink/auditnl.h"

struct auditsock;

/*
 * Open the socket as a asks, every record going to fn(arg, ...).  Exits
 * (fatal) when the mode asked for cannot be had: nothing needs undoing yet.
 */
struct auditsock *auditsock_acquire(const struct conf_audit *a,
    auditnl_record_fn fn, void *arg);

/* The mode in use (unicast or multicast) and the receive buffer granted. */
enum conf_socket auditsock_mode(const struct auditsock *as);
int auditsock_rcvbuf(const struct auditsock *as);

/* Capabilities the serving loop still needs (PRIVS_CAP()s). */
uint64_t auditsock_caps(const struct auditsock *as);

/*
 * The kernel's audit status as last read (AUDIT_GET), for the monitoring-
 * gap report: read at acquire, and again each tick while registered
 * (unicast keeps CAP_AUDIT_CONTROL); a multicast daemon holds no
 * capability after the shed, so its status is the start-up one.
 */
struct auditsock_kstatus {
	int			 have;		/* read at least once */
	struct auditmsg_status	 st;
	int64_t			 read_ms;	/* wall clock, ms */
	int			 startup;	/* not read since acquire */
	char			 daemon[32];	/* comm of the registered daemon
						   at acquire, "" unknown */
};
void auditsock_kernel_status(const struct auditsock *as,
    struct auditsock_kstatus *ks);

/* The socket as the serving loop's source.  Valid while as lives. */
struct source auditsock_source(struct auditsock *as);

/* Unregister (when registered) and close; for fatal paths too.  NULL ok. */
void auditsock_close(struct auditsock *as);

#endif
