/*
 * Audit netlink messages on a buffer: splitting a received datagram into
 * messages with every length checked, and reading acks and status replies.
 * No socket here, so tests feed crafted datagrams (libmnl's split).
 */
#ifndef SECCOMPMON_AUDITMSG_H
#define SECCOMPMON_AUDITMSG_H

#include <stddef.h>
#include <stdint.h>

/* One message of a datagram; data points into the caller's buffer. */
struct auditmsg {
	uint16_t	 type;
	uint16_t	 flags;
	uint32_t	 seq;
	const char	*data;	/* payload, not NUL-terminated */
	size_t		 len;
};

/* The audit_status fields seccompmon reads (struct audit_status, AUDIT_GET). */
struct auditmsg_status {
	uint32_t	mask;
	uint32_t	enabled;
	uint32_t	failure;
	uint32_t	pid;
	uint32_t	rate_limit;
	uint32_t	backlog_limit;
	uint32_t	lost;
	uint32_t	backlog;
	uint32_t	feature_bitmap;
	uint32_t	backlog_wait_time;
};

typedef int (*auditmsg_fn)(const struct auditmsg *m, void *arg);

/*
 * Split a datagram of len bytes into messages and call fn for each, in order;
 * a non-zero return from fn stops the walk and is returned.  Kernel records
 * sent to a registered audit daemon carry nlmsg_len = payload length (the
 * "length quirk" of kernel/audit.c audit_log_end()); multicast copies and
 * replies carry the standard total length.  Both are accepted.
 * Returns 0, fn's non-zero value, or -1 with errno EBADMSG when a header is
 * short, overruns the datagram, or trailing bytes follow the last message.
 */
int auditmsg_split(const void *buf, size_t len, auditmsg_fn fn, void *arg);

/*
 * Read an NLMSG_ERROR message: the sequence number of the request it answers
 * and its error (0 for an ack, else a negative errno).  0, or -1 (EBADMSG)
 * when m is not a well-formed NLMSG_ERROR.
 */
int auditmsg_ack(const struct auditmsg *m, uint32_t *seq, int *error);

/*
 * Read an AUDIT_GET reply.  Older kernels send a shorter struct; missing
 * fields read as 0.  0, or -1 (EBADMSG) when m is too short to hold pid.
 */
int auditmsg_status(const struct auditmsg *m, struct auditmsg_status *st);

/*
 * Build a request of the given type with NLM_F_REQUEST | NLM_F_ACK into buf
 * (cap bytes).  Returns its length, or 0 when it does not fit.
 */
size_t auditmsg_build(void *buf, size_t cap, uint16_t type, uint32_t seq,
    const void *payload, size_t len);

#endif
