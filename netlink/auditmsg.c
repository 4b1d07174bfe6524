/*
 * Parsing audit netlink datagrams.  The payload length of a kernel record is
 * taken from what was received, never trusted from the header: the unicast
 * header is short by NLMSG_HDRLEN, and go-libaudit ignores it altogether.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/netlink.h>

#include "netlink/auditmsg.h"

static void
view(struct auditmsg *m, const struct nlmsghdr *h, const char *data,
    size_t len)
{
	m->type = h->nlmsg_type;
	m->flags = h->nlmsg_flags;
	m->seq = h->nlmsg_seq;
	m->data = data;
	m->len = len;
}

int
auditmsg_split(const void *buf, size_t len, auditmsg_fn fn, void *arg)
{
	const char *p = buf;
	struct nlmsghdr h;
	struct auditmsg m;
	size_t rem = len, step;
	int rc;

	if (len < NLMSG_HDRLEN) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&h, p, sizeof(h));
	/* The unicast record quirk: one message, nlmsg_len = payload. */
	if (h.nlmsg_len == len - NLMSG_HDRLEN &&
	    h.nlmsg_type >= AUDIT_FIRST_USER_MSG) {
		view(&m, &h, p + NLMSG_HDRLEN, len - NLMSG_HDRLEN);
		return fn(&m, arg);
	}
	while (rem > 0) {
		if (rem < NLMSG_HDRLEN) {
			errno = EBADMSG;
			return -1;
		}
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > rem) {
			errno = EBADMSG;
			return -1;
		}
		view(&m, &h, p + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
		if ((rc = fn(&m, arg)) != 0)
			return rc;
		/* The last message need not be padded to NLMSG_ALIGNTO. */
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return 0;
}

int
auditmsg_ack(const struct auditmsg *m, uint32_t *seq, int *error)
{
	struct nlmsgerr e;

	if (m->type != NLMSG_ERROR || m->len < sizeof(e)) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&e, m->data, sizeof(e));
	if (e.error > 0) {
		errno = EBADMSG;
		return -1;
	}
	*seq = e.msg.nlmsg_seq;
	*error = e.error;
	return 0;
}

int
auditmsg_status(const struct auditmsg *m, struct auditmsg_status *st)
{
	struct audit_status s;
	size_t n = m->len < sizeof(s) ? m->len : sizeof(s);

	if (m->type != AUDIT_GET ||
	    m->len < offsetof(struct audit_status, pid) + sizeof(s.pid)) {
		errno = EBADMSG;
		return -1;
	}
	memset(&s, 0, sizeof(s));
	memcpy(&s, m->data, n);
	st->mask = s.mask;
	st->enabled = s.enabled;
	st->failure = s.failure;
	st->pid = s.pid;
	st->rate_limit = s.rate_limit;
	st->backlog_limit = s.backlog_limit;
	st->lost = s.lost;
	st->backlog = s.backlog;
	st->feature_bitmap = s.feature_bitmap;
	st->backlog_wait_time = s.backlog_wait_time;
	return 0;
}

size_t
auditmsg_build(void *buf, size_t cap, uint16_t type, uint32_t seq,
    const void *payload, size_t len)
{
	struct nlmsghdr h;
	size_t total;

	/* Check before NLMSG_LENGTH(), which wraps for a huge len. */
	if (cap < NLMSG_HDRLEN || len > cap - NLMSG_HDRLEN ||
	    len > UINT32_MAX - NLMSG_HDRLEN)
		return 0;
	total = NLMSG_LENGTH(len);
	memset(buf, 0, NLMSG_ALIGN(total) <= cap ? NLMSG_ALIGN(total) : total);
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = (uint32_t)total;
	h.nlmsg_type = type;
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h.nlmsg_seq = seq;
	memcpy(buf, &h, sizeof(h));
	if (len > 0)
		memcpy((char *)buf + NLMSG_HDRLEN, payload, len);
	return total;
}
