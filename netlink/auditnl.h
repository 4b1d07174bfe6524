/*
 * The audit netlink socket: open it, join the log multicast group or register
 * as the audit daemon, and drain it in batches with recvmmsg(2).  Only kernel
 * datagrams (sender port 0) get through; everything else is counted.
 */
#ifndef SECCOMPMON_AUDITNL_H
#define SECCOMPMON_AUDITNL_H

#include <stddef.h>
#include <stdint.h>

#include "netlink/auditmsg.h"

/* Largest datagram accepted; the kernel's records stay far below it. */
#define AUDITNL_DATAGRAM_MAX (16 + 16384)

struct auditnl;

/* Running totals, never reset. */
struct auditnl_counters {
	uint64_t datagrams;	/* datagrams received */
	uint64_t records;	/* audit records handed to the record callback */
	uint64_t enobufs;	/* receive queue overflows: records were lost */
	uint64_t dropped;	/* multicast: records the kernel could not
				   queue here, as of auditnl_drops() */
	uint64_t foreign;	/* datagrams not sent by the kernel: dropped */
	uint64_t truncated;	/* datagrams over AUDITNL_DATAGRAM_MAX: dropped */
	uint64_t malformed;	/* datagrams with bad netlink headers: dropped */
	uint64_t unexpected;	/* stray replies and control messages: ignored */
};

/*
 * Called for each audit record (types 1100..2999); text is not terminated.
 * node is the auditd node= name for records read from a log, NULL here.
 * The same type serves --replay, so both sources feed one consumer.
 */
typedef void (*auditnl_record_fn)(void *arg, uint16_t type, const char *text,
    size_t len, const char *node, size_t node_len);

/*
 * Open a non-blocking, close-on-exec NETLINK_AUDIT socket with a receive
 * buffer of rcvbuf bytes (SO_RCVBUFFORCE, else SO_RCVBUF capped by
 * net.core.rmem_max).  A socket filter lets only SECCOMP records, acks and
 * AUDIT_GET replies through: the kernel drops other records unqueued.  Every record received, also while a request waits
 * for its answer, goes to fn(arg, ...); fn may be NULL (records are then
 * counted and dropped).  NULL with errno on failure (EPROTONOSUPPORT: the
 * kernel has no audit).
 */
struct auditnl *auditnl_open(int rcvbuf, auditnl_record_fn fn, void *arg);

void auditnl_close(struct auditnl *nl);

int auditnl_fd(const struct auditnl *nl);

/* The receive buffer the kernel granted, as SO_RCVBUF reports it. */
int auditnl_rcvbuf(const struct auditnl *nl);

const struct auditnl_counters *auditnl_counters(const struct auditnl *nl);

/*
 * Join AUDIT_NLGRP_READLOG to receive a copy of every record.  Needs
 * CAP_AUDIT_READ at this call only.  A full receive queue then drops only
 * the records that do not fit (NETLINK_NO_ENOBUFS: no ENOBUFS, no
 * congested state), and auditnl_drops() counts them.  0, or -1 with errno
 * (EPERM).
 */
int auditnl_join(struct auditnl *nl);

/*
 * Add to counters.dropped the records the kernel dropped at this socket
 * since the last call (SO_MEMINFO's drop count: net/netlink/af_netlink.c
 * netlink_overrun()).  For a multicast reader this is exact: every copy
 * that passed the socket filter and found no room.  In unicast mode it is
 * not a loss: kauditd keeps a record it could not send and sends it again.
 * 0, or -1 with errno.
 */
int auditnl_drops(struct auditnl *nl);

/*
 * Leave the multicast group: no new records are queued on this socket, so a
 * final drain ends even during a flood.  Needs no capability.  0, or -1.
 */
int auditnl_leave(struct auditnl *nl);

/*
 * Ask the kernel for its audit status (AUDIT_GET; needs CAP_AUDIT_CONTROL,
 * initial PID namespace).  0, or -1 with errno (EPERM, ETIMEDOUT, ...).
 */
int auditnl_status(struct auditnl *nl, struct auditmsg_status *st);

/*
 * Set the audit daemon pid (AUDIT_SET): getpid() registers this socket as
 * the one the kernel sends every record to; 0 unregisters.  The kernel
 * refuses with EEXIST when another live daemon is registered, EACCES when
 * unregistering someone else.  0, or -1 with errno.
 */
int auditnl_set_pid(struct auditnl *nl, uint32_t pid);

/*
 * Set the kernel's backlog_limit (records queued for the daemon before the
 * kernel waits or drops) and backlog_wait_time (how long a task producing a
 * record waits for room, in the kernel's jiffies).  Needs
 * CAP_AUDIT_CONTROL.  0, or -1 with errno.
 */
int auditnl_set_backlog_limit(struct auditnl *nl, uint32_t limit);
int auditnl_set_backlog_wait_time(struct auditnl *nl, uint32_t wait);

/*
 * Set the kernel's audit enabled flag (0 off, 1 on; 2 locks it until
 * reboot).  The daemon never calls this; bench/kaudit does, to put a test
 * host in the state auditd leaves it in.  Needs CAP_AUDIT_CONTROL.  0, or
 * -1 with errno (EPERM also when locked).
 */
int auditnl_set_enabled(struct auditnl *nl, uint32_t enabled);

/*
 * Set the kernel's audit rate_limit (records a second beyond which it
 * drops them; 0 none).  The daemon never calls this; the gap tests and
 * bench/kaudit do.  Needs CAP_AUDIT_CONTROL.  0, or -1 with errno.
 */
int auditnl_set_rate_limit(struct auditnl *nl, uint32_t rate);

/*
 * Receive and dispatch up to max_batches recvmmsg() batches, stopping early
 * at EAGAIN.  ENOBUFS is counted and draining goes on.  Returns 0 when the
 * socket is empty, 1 when max_batches was reached with more to read, -1 with
 * errno on a socket error.
 */
int auditnl_drain(struct auditnl *nl, unsigned max_batches);

#endif
