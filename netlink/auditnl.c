/*
 * The audit netlink socket.  Requests (AUDIT_GET, AUDIT_SET) run on the same
 * socket that receives records, because the kernel registers the sending
 * port as the daemon; so waiting for an ack also dispatches records rather
 * than dropping them (libaudit's audit_set_pid() eats one message after its
 * ack, which on this socket would be a record).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "netlink/auditnl.h"

#define BATCH 64
#define REQUEST_TIMEOUT_MS 2000

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

struct auditnl {
	int			 fd;
	int			 rcvbuf;
	uint32_t		 seq;
	struct auditnl_counters	 c;
	uint32_t		 drops_last;	/* the kernel's u32 sk_drops */

	/* The request in flight, if any. */
	uint32_t		 req_seq;
	int			 req_acked;
	int			 req_error;
	int			 req_replied;
	struct auditmsg_status	*req_status;

	/* Where records go, bound at open. */
	auditnl_record_fn	 fn;
	void			*fn_arg;

	struct mmsghdr		 msgs[BATCH];
	struct iovec		 iov[BATCH];
	struct sockaddr_nl	 from[BATCH];
	char			*bufs;
};

/*
 * The socket filter: SECCOMP records, the acks and AUDIT_GET replies a
 * request waits for, and AUDIT_REPLACE (a unicast daemon learns that
 * another process asks to register: daemon/auditsock.c); every other record is dropped by the kernel before it
 * is queued here (net/netlink/af_netlink.c do_one_broadcast() runs
 * sk_filter() before charging the receive buffer), so it costs neither
 * buffer nor a wake-up, and is not counted as a drop.  A halfword load is
 * big-endian in classic BPF and nlmsg_type is in host order: compare with
 * htons().  A datagram too short to hold the type is dropped.
 */
static int
attach_filter(int fd)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
		    offsetof(struct nlmsghdr, nlmsg_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(AUDIT_SECCOMP), 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(NLMSG_ERROR), 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(AUDIT_GET), 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(AUDIT_REPLACE), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

struct auditnl *
auditnl_open(int rcvbuf, auditnl_record_fn fn, void *arg)
{
	struct sockaddr_nl sa;
	struct auditnl *nl;
	socklen_t sl;
	int i, saved;

	if ((nl = calloc(1, sizeof(*nl))) == NULL)
		return NULL;
	nl->fd = -1;
	nl->fn = fn;
	nl->fn_arg = arg;
	if ((nl->bufs = malloc((size_t)BATCH * AUDITNL_DATAGRAM_MAX)) == NULL)
		goto fail;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_AUDIT);
	if (nl->fd < 0)
		goto fail;
	if (rcvbuf > 0 &&
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0)
		(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	sl = sizeof(nl->rcvbuf);
	if (getsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &nl->rcvbuf, &sl) < 0)
		nl->rcvbuf = -1;
	if (attach_filter(nl->fd) < 0)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	for (i = 0; i < BATCH; i++) {
		nl->iov[i].iov_base = nl->bufs + (size_t)i * AUDITNL_DATAGRAM_MAX;
		nl->iov[i].iov_len = AUDITNL_DATAGRAM_MAX;
		nl->msgs[i].msg_hdr.msg_iov = &nl->iov[i];
		nl->msgs[i].msg_hdr.msg_iovlen = 1;
		nl->msgs[i].msg_hdr.msg_name = &nl->from[i];
	}
	return nl;
fail:
	saved = errno;
	auditnl_close(nl);
	errno = saved;
	return NULL;
}

void
auditnl_close(struct auditnl *nl)
{
	if (nl == NULL)
		return;
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->bufs);
	free(nl);
}

int
auditnl_fd(const struct auditnl *nl)
{
	return nl->fd;
}

int
auditnl_rcvbuf(const struct auditnl *nl)
{
	return nl->rcvbuf;
}

const struct auditnl_counters *
auditnl_counters(const struct auditnl *nl)
{
	return &nl->c;
}

int
auditnl_join(struct auditnl *nl)
{
	int group = AUDIT_NLGRP_READLOG, on = 1;

	/*
	 * Without NETLINK_NO_ENOBUFS, the first record that does not fit
	 * marks the socket congested (netlink_overrun()), and every record
	 * after it is dropped too until the reader has emptied its queue:
	 * one overflow costs a whole queue's worth of time.  With it, only
	 * what does not fit is dropped; each drop is still counted in the
	 * socket's drop counter, which auditnl_drops() reads.
	 */
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on,
	    sizeof(on)) < 0)
		return -1;
	if (auditnl_drops(nl) < 0)	/* from now on */
		return -1;
	return setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
	    sizeof(group));
}

int
auditnl_drops(struct auditnl *nl)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	memset(mem, 0, sizeof(mem));
	if (getsockopt(nl->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		return -1;
	if (len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t)) {
		errno = ENOPROTOOPT;
		return -1;
	}
	/* The kernel's counter is 32 bits and wraps. */
	nl->c.dropped += (uint32_t)(mem[SK_MEMINFO_DROPS] - nl->drops_last);
	nl->drops_last = mem[SK_MEMINFO_DROPS];
	return 0;
}

int
auditnl_leave(struct auditnl *nl)
{
	int group = AUDIT_NLGRP_READLOG;

	return setsockopt(nl->fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &group,
	    sizeof(group));
}

static int
dispatch(const struct auditmsg *m, void *arg)
{
	struct auditnl *nl = arg;
	uint32_t seq;
	int error;

	if (m->type >= AUDIT_FIRST_USER_MSG && m->type <= AUDIT_LAST_USER_MSG2 &&
	    nl->fn != NULL) {
		nl->c.records++;
		nl->fn(nl->fn_arg, m->type, m->data, m->len, NULL, 0);
		return 0;
	}
	if (m->type == NLMSG_ERROR && nl->req_seq != 0 &&
	    auditmsg_ack(m, &seq, &error) == 0 && seq == nl->req_seq) {
		nl->req_acked = 1;
		nl->req_error = error;
		return 0;
	}
	if (m->type == AUDIT_GET && nl->req_seq != 0 && m->seq == nl->req_seq &&
	    nl->req_status != NULL &&
	    auditmsg_status(m, nl->req_status) == 0) {
		nl->req_replied = 1;
		return 0;
	}
	nl->c.unexpected++;
	return 0;
}

/* One recvmmsg() batch: >0 datagrams handled, 0 when empty, -1 on error. */
static int
recv_batch(struct auditnl *nl)
{
	struct msghdr *h;
	int i, n;

	for (i = 0; i < BATCH; i++) {
		nl->msgs[i].msg_hdr.msg_namelen = sizeof(nl->from[i]);
		nl->msgs[i].msg_hdr.msg_flags = 0;
	}
	do {
		n = recvmmsg(nl->fd, nl->msgs, BATCH, MSG_DONTWAIT, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		if (errno == ENOBUFS) {
			/* The queue overflowed and records were dropped; the
			 * error is reported once and the socket reads on. */
			nl->c.enobufs++;
			return 1;
		}
		return -1;
	}
	for (i = 0; i < n; i++) {
		h = &nl->msgs[i].msg_hdr;
		nl->c.datagrams++;
		if (h->msg_flags & MSG_TRUNC) {
			nl->c.truncated++;
			continue;
		}
		if (h->msg_namelen < sizeof(struct sockaddr_nl) ||
		    nl->from[i].nl_family != AF_NETLINK ||
		    nl->from[i].nl_pid != 0) {
			nl->c.foreign++;
			continue;
		}
		if (auditmsg_split(nl->iov[i].iov_base, nl->msgs[i].msg_len,
		    dispatch, nl) < 0)
			nl->c.malformed++;
	}
	return n;
}

int
auditnl_drain(struct auditnl *nl, unsigned max_batches)
{
	unsigned i;
	int n;

	for (i = 0; i < max_batches; i++) {
		if ((n = recv_batch(nl)) < 0)
			return -1;
		if (n == 0)
			return 0;
	}
	return 1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
request(struct auditnl *nl, uint16_t type, const void *payload, size_t len,
    struct auditmsg_status *reply)
{
	char buf[NLMSG_SPACE(sizeof(struct audit_status))];
	struct sockaddr_nl kernel;
	struct pollfd pfd;
	int64_t deadline;
	size_t n;
	ssize_t w;
	int rc, left;

	if (++nl->seq == 0)
		nl->seq = 1;
	n = auditmsg_build(buf, sizeof(buf), type, nl->seq, payload, len);
	if (n == 0) {
		errno = EMSGSIZE;
		return -1;
	}
	nl->req_seq = nl->seq;
	nl->req_acked = nl->req_replied = nl->req_error = 0;
	nl->req_status = reply;

	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK;
	do {
		w = sendto(nl->fd, buf, n, 0, (struct sockaddr *)&kernel,
		    sizeof(kernel));
	} while (w < 0 && errno == EINTR);
	if (w < 0) {
		rc = -1;
		goto out;
	}

	deadline = now_ms() + REQUEST_TIMEOUT_MS;
	while (!nl->req_acked || (reply != NULL && !nl->req_replied &&
	    nl->req_error == 0)) {
		if ((rc = recv_batch(nl)) < 0)
			goto out;
		if (rc > 0)
			continue;
		if ((left = (int)(deadline - now_ms())) <= 0) {
			errno = ETIMEDOUT;
			rc = -1;
			goto out;
		}
		pfd.fd = nl->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
			rc = -1;
			goto out;
		}
	}
	if (nl->req_error != 0) {
		errno = -nl->req_error;
		rc = -1;
	} else
		rc = 0;
out:
	nl->req_seq = 0;
	nl->req_status = NULL;
	return rc;
}

int
auditnl_status(struct auditnl *nl, struct auditmsg_status *st)
{
	return request(nl, AUDIT_GET, NULL, 0, st);
}

/* AUDIT_SET of one field: the mask bit says which. */
static int
set_one(struct auditnl *nl, uint32_t mask, uint32_t value)
{
	struct audit_status s;

	memset(&s, 0, sizeof(s));
	s.mask = mask;
	switch (mask) {
	case AUDIT_STATUS_PID:
		s.pid = value;
		break;
	case AUDIT_STATUS_BACKLOG_LIMIT:
		s.backlog_limit = value;
		break;
	case AUDIT_STATUS_BACKLOG_WAIT_TIME:
		s.backlog_wait_time = value;
		break;
	case AUDIT_STATUS_ENABLED:
		s.enabled = value;
		break;
	case AUDIT_STATUS_RATE_LIMIT:
		s.rate_limit = value;
		break;
	}
	return request(nl, AUDIT_SET, &s, sizeof(s), NULL);
}

int
auditnl_set_pid(struct auditnl *nl, uint32_t pid)
{
	return set_one(nl, AUDIT_STATUS_PID, pid);
}

int
auditnl_set_backlog_limit(struct auditnl *nl, uint32_t limit)
{
	return set_one(nl, AUDIT_STATUS_BACKLOG_LIMIT, limit);
}

int
auditnl_set_backlog_wait_time(struct auditnl *nl, uint32_t wait)
{
	return set_one(nl, AUDIT_STATUS_BACKLOG_WAIT_TIME, wait);
}

int
auditnl_set_enabled(struct auditnl *nl, uint32_t enabled)
{
	return set_one(nl, AUDIT_STATUS_ENABLED, enabled);
}

int
auditnl_set_rate_limit(struct auditnl *nl, uint32_t rate)
{
	return set_one(nl, AUDIT_STATUS_RATE_LIMIT, rate);
}
