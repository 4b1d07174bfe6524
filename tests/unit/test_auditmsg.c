/*
 * netlink/auditmsg: datagrams built by hand as the kernel sends them
 * (multicast copies with the standard nlmsg_len, unicast records with the
 * audit_log_end() length quirk, several messages with NLMSG_ALIGN padding),
 * damaged headers, acks, AUDIT_GET replies, requests, and random datagrams.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/audit.h>
#include <linux/netlink.h>

#include "netlink/auditmsg.h"

/* A SECCOMP record as this machine's kernel sent it: no trailing NUL. */
static const char rec[] =
    "audit(1795817186.337:2): auid=4294967295 uid=0 gid=0 ses=4294967295 "
    "pid=2038 comm=6D792022617070 exe=\"/tmp/exp/exp\" sig=0 arch=c000003e "
    "syscall=110 compat=0 ip=0x7fbad50474f7 code=0x7ffc0000";
#define REC_LEN (sizeof(rec) - 1)

#define SEEN_MAX 8

/* What the split callback saw. */
struct seen {
	size_t		 n;		/* calls */
	struct auditmsg	 m[SEEN_MAX];
	size_t		 stop_at;	/* the call that returns stop_rc */
	int		 stop_rc;
	const char	*lo, *hi;	/* the datagram, payloads inside */
	int		 out_of_bounds;
};

static int
collect(const struct auditmsg *m, void *arg)
{
	struct seen *s = arg;

	if (s->lo != NULL && (m->data < s->lo || m->data > s->hi ||
	    m->len > (size_t)(s->hi - m->data)))
		s->out_of_bounds = 1;
	if (s->n < SEEN_MAX)
		s->m[s->n] = *m;
	s->n++;
	if (s->stop_at != 0 && s->n == s->stop_at)
		return s->stop_rc;
	return 0;
}

static void
seen_init(struct seen *s, const void *dg, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->lo = dg;
	s->hi = s->lo + len;
}

/*
 * Write a header (nlmsg_len as given, not computed: the quirk and the damaged
 * cases need other values) and plen payload bytes at dg + off.  Returns the
 * offset of the end of the payload, unpadded.
 */
static size_t
put_msg(unsigned char *dg, size_t off, uint32_t nlmsg_len, uint16_t type,
    uint32_t seq, const void *payload, size_t plen)
{
	struct nlmsghdr h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = nlmsg_len;
	h.nlmsg_type = type;
	h.nlmsg_seq = seq;
	memcpy(dg + off, &h, sizeof(h));
	if (plen > 0)
		memcpy(dg + off + NLMSG_HDRLEN, payload, plen);
	return off + NLMSG_HDRLEN + plen;
}

/* A standard message: nlmsg_len = header + payload. */
static size_t
put_std(unsigned char *dg, size_t off, uint16_t type, uint32_t seq,
    const char *payload)
{
	size_t plen = strlen(payload);

	return put_msg(dg, off, (uint32_t)NLMSG_LENGTH(plen), type, seq,
	    payload, plen);
}

static void
assert_msg(const struct auditmsg *m, uint16_t type, uint32_t seq,
    const void *payload, size_t plen)
{
	assert_int_equal(m->type, type);
	assert_int_equal(m->seq, seq);
	assert_int_equal(m->len, plen);
	if (plen > 0)
		assert_memory_equal(m->data, payload, plen);
}

/* auditmsg_split */

static void
auditmsg_split__multicast_record__one_message_exact_payload(void **state)
{
	unsigned char dg[512];
	struct seen s;
	size_t len, plen;

	(void)state;
	/* Every length modulo 4, odd ones included: nothing is padded. */
	for (plen = REC_LEN - 3; plen <= REC_LEN; plen++) {
		memset(dg, 0, sizeof(dg));
		/* kauditd_send_multicast_skb(): nlmsg_len = skb->len. */
		len = put_msg(dg, 0, (uint32_t)NLMSG_LENGTH(plen),
		    AUDIT_SECCOMP, 0, rec, plen);
		assert_int_equal(len, NLMSG_HDRLEN + plen);
		seen_init(&s, dg, len);
		assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
		assert_int_equal(s.n, 1);
		assert_msg(&s.m[0], AUDIT_SECCOMP, 0, rec, plen);
		assert_ptr_equal(s.m[0].data, (const char *)dg + NLMSG_HDRLEN);
		assert_false(s.out_of_bounds);
	}
}

static void
auditmsg_split__multicast_padded__padding_not_in_payload(void **state)
{
	unsigned char dg[512];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	len = NLMSG_ALIGN(put_std(dg, 0, AUDIT_SECCOMP, 5, rec));
	assert_int_not_equal(len, NLMSG_HDRLEN + REC_LEN);
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.m[0], AUDIT_SECCOMP, 5, rec, REC_LEN);
}

static void
auditmsg_split__unicast_length_quirk__one_message(void **state)
{
	unsigned char dg[512];
	struct seen s;
	size_t len, plen;

	(void)state;
	for (plen = REC_LEN - 3; plen <= REC_LEN; plen++) {
		memset(dg, 0, sizeof(dg));
		/* audit_log_end(): nlmsg_len = skb->len - NLMSG_HDRLEN. */
		len = put_msg(dg, 0, (uint32_t)plen, AUDIT_SECCOMP, 0, rec,
		    plen);
		assert_int_equal(len - NLMSG_HDRLEN, plen);
		seen_init(&s, dg, len);
		assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
		assert_int_equal(s.n, 1);
		assert_msg(&s.m[0], AUDIT_SECCOMP, 0, rec, plen);
		assert_false(s.out_of_bounds);
	}
}

static void
auditmsg_split__quirk_payload_under_16__one_message(void **state)
{
	static const char text[] = "audit(1.0:9)";	/* 12 bytes < 16 */
	unsigned char dg[64];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	len = put_msg(dg, 0, (uint32_t)strlen(text), AUDIT_SECCOMP, 0, text,
	    strlen(text));
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.m[0], AUDIT_SECCOMP, 0, text, strlen(text));
}

static void
auditmsg_split__quirk_length_on_first_record_type__one_message(void **state)
{
	static const char text[] = "audit(1.0:9): pid=1 uid=0 msg='op=x'";
	unsigned char dg[128];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	/* 1100 (AUDIT_FIRST_USER_MSG) is a record: audit_log_end() too. */
	len = put_msg(dg, 0, (uint32_t)strlen(text), AUDIT_FIRST_USER_MSG, 0,
	    text, strlen(text));
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.m[0], AUDIT_FIRST_USER_MSG, 0, text, strlen(text));
}

static void
auditmsg_split__control_type_with_quirk_length__not_quirk(void **state)
{
	static const uint16_t types[] = { AUDIT_GET, AUDIT_FIRST_USER_MSG - 1 };
	static const char small[] = "12345678";
	unsigned char dg[512];
	struct seen s;
	size_t i, j, len;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* nlmsg_len 8 = payload: as a standard header, too short. */
		memset(dg, 0, sizeof(dg));
		len = put_msg(dg, 0, (uint32_t)strlen(small), types[i], 1,
		    small, strlen(small));
		seen_init(&s, dg, len);
		errno = 0;
		assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(s.n, 0);

		/* Longer: never one message holding the whole payload. */
		memset(dg, 0, sizeof(dg));
		len = put_msg(dg, 0, (uint32_t)REC_LEN, types[i], 1, rec,
		    REC_LEN);
		seen_init(&s, dg, len);
		errno = 0;
		rc = auditmsg_split(dg, len, collect, &s);
		assert_int_equal(rc, -1);
		assert_int_equal(errno, EBADMSG);
		for (j = 0; j < s.n && j < SEEN_MAX; j++)
			assert_int_not_equal(s.m[j].len, REC_LEN);
		assert_false(s.out_of_bounds);
	}
}

static void
auditmsg_split__two_messages_padded__both_in_order(void **state)
{
	unsigned char dg[256];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	len = put_std(dg, 0, AUDIT_SYSCALL, 7, "arch=c000003e syscall=110");
	len = put_std(dg, NLMSG_ALIGN(len), AUDIT_SECCOMP, 8, "pid=1 x=y");
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_msg(&s.m[0], AUDIT_SYSCALL, 7, "arch=c000003e syscall=110", 25);
	assert_msg(&s.m[1], AUDIT_SECCOMP, 8, "pid=1 x=y", 9);
	assert_false(s.out_of_bounds);
}

static void
auditmsg_split__three_messages_padded__all_in_order(void **state)
{
	unsigned char dg[256];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	/* Payloads of 5, 6 and 0 bytes: padding of 3 and 2 between them. */
	len = put_std(dg, 0, AUDIT_SECCOMP, 1, "one=1");
	len = put_std(dg, NLMSG_ALIGN(len), AUDIT_SYSCALL, 2, "two=22");
	len = put_std(dg, NLMSG_ALIGN(len), AUDIT_EOE, 3, "");
	/* The last one also padded: the datagram ends aligned. */
	len = NLMSG_ALIGN(len);
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_msg(&s.m[0], AUDIT_SECCOMP, 1, "one=1", 5);
	assert_msg(&s.m[1], AUDIT_SYSCALL, 2, "two=22", 6);
	assert_msg(&s.m[2], AUDIT_EOE, 3, "", 0);
	assert_false(s.out_of_bounds);
}

static void
auditmsg_split__callback_nonzero__stops_and_returns_it(void **state)
{
	unsigned char dg[512];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	len = put_std(dg, 0, AUDIT_SECCOMP, 1, "a=1");
	len = put_std(dg, NLMSG_ALIGN(len), AUDIT_SECCOMP, 2, "b=2");
	len = put_std(dg, NLMSG_ALIGN(len), AUDIT_SECCOMP, 3, "c=3");

	seen_init(&s, dg, len);
	s.stop_at = 2;
	s.stop_rc = 7;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 7);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.m[1].seq, 2);

	seen_init(&s, dg, len);
	s.stop_at = 1;
	s.stop_rc = -3;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), -3);
	assert_int_equal(s.n, 1);

	/* The last message: its value too. */
	seen_init(&s, dg, len);
	s.stop_at = 3;
	s.stop_rc = 5;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 5);
	assert_int_equal(s.n, 3);

	/* And a quirk record. */
	memset(dg, 0, sizeof(dg));
	len = put_msg(dg, 0, (uint32_t)REC_LEN, AUDIT_SECCOMP, 0, rec,
	    REC_LEN);
	seen_init(&s, dg, len);
	s.stop_at = 1;
	s.stop_rc = 9;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 9);
	assert_int_equal(s.n, 1);
}

static void
auditmsg_split__datagram_shorter_than_header__ebadmsg(void **state)
{
	unsigned char dg[NLMSG_HDRLEN];
	struct seen s;
	size_t len;

	(void)state;
	memset(dg, 0, sizeof(dg));
	(void)put_msg(dg, 0, NLMSG_HDRLEN, AUDIT_SECCOMP, 0, NULL, 0);
	for (len = 0; len < NLMSG_HDRLEN; len++) {
		seen_init(&s, dg, len);
		errno = 0;
		assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(s.n, 0);
	}
}

static void
auditmsg_split__nlmsg_len_below_header__ebadmsg(void **state)
{
	static const uint32_t bad[] = { 0, 1, 8, NLMSG_HDRLEN - 1 };
	unsigned char dg[64];
	struct seen s;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* 40 bytes: 40 - 16 is none of these, so no quirk either. */
		memset(dg, 0, sizeof(dg));
		len = put_msg(dg, 0, bad[i], AUDIT_SECCOMP, 0, "0123456789"
		    "0123456789abcd", 24);
		assert_int_equal(len, 40);
		seen_init(&s, dg, len);
		errno = 0;
		assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(s.n, 0);
	}
	/* A lone header of a reply type claiming nothing. */
	memset(dg, 0, sizeof(dg));
	len = put_msg(dg, 0, 0, NLMSG_ERROR, 0, NULL, 0);
	seen_init(&s, dg, len);
	errno = 0;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(s.n, 0);
}

static void
auditmsg_split__nlmsg_len_beyond_datagram__ebadmsg(void **state)
{
	unsigned char dg[512];
	struct seen s;
	size_t len;
	uint32_t claims[3];
	size_t i;

	(void)state;
	memset(dg, 0, sizeof(dg));
	len = put_std(dg, 0, AUDIT_SECCOMP, 0, rec);
	claims[0] = (uint32_t)len + 1;
	claims[1] = (uint32_t)len + 4096;
	claims[2] = UINT32_MAX;
	for (i = 0; i < 3; i++) {
		(void)put_msg(dg, 0, claims[i], AUDIT_SECCOMP, 0, rec,
		    REC_LEN);
		seen_init(&s, dg, len);
		errno = 0;
		assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(s.n, 0);
	}
}

/*
 * The contract walks the datagram calling fn "for each, in order" and
 * reports damage when it reaches it, as libmnl's mnl_cb_run() does: the
 * messages before the damage have been delivered, the garbage never is.
 */
static void
auditmsg_split__trailing_bytes_after_last_message__ebadmsg(void **state)
{
	static const size_t extra[] = { 1, 3, 5, NLMSG_HDRLEN - 1 };
	unsigned char dg[256];
	struct seen s;
	size_t i, len, end;

	(void)state;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		memset(dg, 0, sizeof(dg));
		/* 4 bytes of payload: aligned, so no byte is padding. */
		end = put_std(dg, 0, AUDIT_SECCOMP, 1, "a=12");
		assert_int_equal(end, NLMSG_ALIGN(end));
		memset(dg + end, 0x5a, extra[i]);
		len = end + extra[i];
		seen_init(&s, dg, len);
		errno = 0;
		assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(s.n, 1);
		assert_msg(&s.m[0], AUDIT_SECCOMP, 1, "a=12", 4);
		assert_false(s.out_of_bounds);
	}

	/* A whole zero header after two messages: nlmsg_len 0. */
	memset(dg, 0, sizeof(dg));
	end = put_std(dg, 0, AUDIT_SYSCALL, 1, "one");
	end = NLMSG_ALIGN(put_std(dg, NLMSG_ALIGN(end), AUDIT_SECCOMP, 1,
	    "two"));
	len = end + NLMSG_HDRLEN;
	seen_init(&s, dg, len);
	errno = 0;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(s.n, 2);
	assert_msg(&s.m[0], AUDIT_SYSCALL, 1, "one", 3);
	assert_msg(&s.m[1], AUDIT_SECCOMP, 1, "two", 3);

	/* Bytes that are not padding after an unaligned last message. */
	memset(dg, 0, sizeof(dg));
	/* 19 bytes, padded to 20, then 2 more. */
	end = put_std(dg, 0, AUDIT_SECCOMP, 1, "abc");
	len = NLMSG_ALIGN(end) + 2;
	seen_init(&s, dg, len);
	errno = 0;
	assert_int_equal(auditmsg_split(dg, len, collect, &s), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(s.n, 1);
	assert_msg(&s.m[0], AUDIT_SECCOMP, 1, "abc", 3);
}

/* A small deterministic generator: the same datagrams on every run. */
static uint32_t
xorshift32(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void
auditmsg_split__random_datagrams__payloads_within_buffer(void **state)
{
	static const uint16_t types[] = { NLMSG_ERROR, NLMSG_DONE, AUDIT_GET,
	    AUDIT_FIRST_USER_MSG, AUDIT_SYSCALL, AUDIT_SECCOMP, 0xffff };
	uint32_t rnd = 0x2545f491, r;
	struct nlmsghdr h;
	unsigned char *dg;
	struct seen s;
	size_t len, i, off, n_ok = 0, n_bad = 0, n_stop = 0;
	int iter, rc;

	(void)state;
	for (iter = 0; iter < 5000; iter++) {
		len = xorshift32(&rnd) % 201;
		/* Exactly len bytes, so a sanitizer sees any overread. */
		dg = malloc(len > 0 ? len : 1);
		assert_non_null(dg);
		for (i = 0; i < len; i++)
			dg[i] = (unsigned char)xorshift32(&rnd);
		/* Most headers plausible, so the walk goes somewhere. */
		for (off = 0; off + NLMSG_HDRLEN <= len;) {
			r = xorshift32(&rnd);
			memset(&h, 0, sizeof(h));
			h.nlmsg_type = types[r % (sizeof(types) /
			    sizeof(types[0]))];
			switch ((r >> 8) % 5) {
			case 0:
				h.nlmsg_len = (uint32_t)(len - off);
				break;
			case 1:
				h.nlmsg_len = (uint32_t)(len - off -
				    NLMSG_HDRLEN);
				break;
			case 2:
				h.nlmsg_len = xorshift32(&rnd) % 64;
				break;
			case 3:
				h.nlmsg_len = xorshift32(&rnd);
				break;
			default:
				h.nlmsg_len = (uint32_t)(NLMSG_HDRLEN +
				    xorshift32(&rnd) % 48);
				break;
			}
			memcpy(dg + off, &h, sizeof(h));
			if ((r >> 16) % 3 == 0 || h.nlmsg_len < NLMSG_HDRLEN)
				break;
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
		seen_init(&s, dg, len);
		if (xorshift32(&rnd) % 4 == 0) {
			s.stop_at = 1 + xorshift32(&rnd) % 3;
			s.stop_rc = 42;
		}
		errno = 0;
		rc = auditmsg_split(dg, len, collect, &s);
		assert_false(s.out_of_bounds);
		if (rc == -1) {
			assert_int_equal(errno, EBADMSG);
			n_bad++;
		} else if (rc == 42) {
			assert_int_equal(s.n, s.stop_at);
			n_stop++;
		} else {
			assert_int_equal(rc, 0);
			n_ok++;
		}
		free(dg);
	}
	/* The generator reached every outcome. */
	assert_true(n_ok > 100);
	assert_true(n_bad > 100);
	assert_true(n_stop > 100);
}

/* auditmsg_ack */

/* An NLMSG_ERROR payload answering a request of type req_type, seq seq. */
static size_t
put_nlmsgerr(unsigned char *p, int error, uint16_t req_type, uint32_t seq,
    const void *echo, size_t echo_len)
{
	struct nlmsgerr e;

	memset(&e, 0, sizeof(e));
	e.error = error;
	e.msg.nlmsg_len = (uint32_t)NLMSG_LENGTH(echo_len);
	e.msg.nlmsg_type = req_type;
	e.msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	e.msg.nlmsg_seq = seq;
	e.msg.nlmsg_pid = 4242;
	memcpy(p, &e, sizeof(e));
	if (echo_len > 0)
		memcpy(p + sizeof(e), echo, echo_len);
	return sizeof(e) + echo_len;
}

static struct auditmsg
msg_of(uint16_t type, const unsigned char *p, size_t len)
{
	struct auditmsg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.data = (const char *)p;
	m.len = len;
	return m;
}

static void
auditmsg_ack__ack_in_received_datagram__seq_and_zero_error(void **state)
{
	unsigned char dg[128], e[64];
	struct seen s;
	size_t elen, len;
	uint32_t seq = 0;
	int error = 99;

	(void)state;
	memset(dg, 0, sizeof(dg));
	elen = put_nlmsgerr(e, 0, AUDIT_SET, 31337, NULL, 0);
	len = put_msg(dg, 0, (uint32_t)NLMSG_LENGTH(elen), NLMSG_ERROR, 31337,
	    e, elen);
	seen_init(&s, dg, len);
	assert_int_equal(auditmsg_split(dg, len, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.m[0].type, NLMSG_ERROR);
	assert_int_equal(auditmsg_ack(&s.m[0], &seq, &error), 0);
	assert_int_equal(seq, 31337);
	assert_int_equal(error, 0);
}

static void
auditmsg_ack__failure_with_echoed_request__negative_errno(void **state)
{
	struct audit_status req;
	unsigned char e[128];
	struct auditmsg m;
	uint32_t seq = 0;
	int error = 0;
	size_t elen;

	(void)state;
	/* Without NETLINK_CAP_ACK the kernel echoes the request's payload. */
	memset(&req, 0, sizeof(req));
	req.mask = AUDIT_STATUS_PID;
	req.pid = 4242;
	elen = put_nlmsgerr(e, -EEXIST, AUDIT_SET, 12, &req, sizeof(req));
	m = msg_of(NLMSG_ERROR, e, elen);
	assert_int_equal(auditmsg_ack(&m, &seq, &error), 0);
	assert_int_equal(seq, 12);
	assert_int_equal(error, -EEXIST);

	/* And with it (or for an ack), only the header. */
	elen = put_nlmsgerr(e, -EPERM, AUDIT_GET, 13, NULL, 0);
	m = msg_of(NLMSG_ERROR, e, elen);
	assert_int_equal(auditmsg_ack(&m, &seq, &error), 0);
	assert_int_equal(seq, 13);
	assert_int_equal(error, -EPERM);
}

static void
auditmsg_ack__wrong_type__ebadmsg(void **state)
{
	static const uint16_t types[] = { NLMSG_NOOP, NLMSG_DONE, AUDIT_GET,
	    AUDIT_SECCOMP };
	unsigned char e[64];
	struct auditmsg m;
	uint32_t seq;
	int error;
	size_t i, elen;

	(void)state;
	elen = put_nlmsgerr(e, 0, AUDIT_SET, 1, NULL, 0);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		m = msg_of(types[i], e, elen);
		errno = 0;
		assert_int_equal(auditmsg_ack(&m, &seq, &error), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

static void
auditmsg_ack__shorter_than_nlmsgerr__ebadmsg(void **state)
{
	unsigned char e[64];
	struct auditmsg m;
	uint32_t seq;
	int error;
	size_t len;

	(void)state;
	(void)put_nlmsgerr(e, 0, AUDIT_SET, 1, NULL, 0);
	for (len = 0; len < sizeof(struct nlmsgerr); len++) {
		m = msg_of(NLMSG_ERROR, e, len);
		errno = 0;
		assert_int_equal(auditmsg_ack(&m, &seq, &error), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

static void
auditmsg_ack__positive_error__ebadmsg(void **state)
{
	static const int bad[] = { 1, EEXIST, INT32_MAX };
	unsigned char e[64];
	struct auditmsg m;
	uint32_t seq;
	int error;
	size_t i, elen;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		elen = put_nlmsgerr(e, bad[i], AUDIT_SET, 1, NULL, 0);
		m = msg_of(NLMSG_ERROR, e, elen);
		errno = 0;
		assert_int_equal(auditmsg_ack(&m, &seq, &error), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

/* auditmsg_status */

/* Distinct values, so a field read from the wrong offset shows. */
static void
fill_status(struct audit_status *s)
{
	memset(s, 0, sizeof(*s));
	s->mask = 0x11;
	s->enabled = 1;
	s->failure = 2;
	s->pid = 4242;
	s->rate_limit = 100;
	s->backlog_limit = 8192;
	s->lost = 7;
	s->backlog = 3;
	s->feature_bitmap = 0x7f;
	s->backlog_wait_time = 60000;
}

static void
auditmsg_status__full_struct__all_fields(void **state)
{
	struct auditmsg_status st;
	struct audit_status s;
	unsigned char buf[sizeof(s) + 16];
	struct auditmsg m;
	size_t len;

	(void)state;
	fill_status(&s);
	memcpy(buf, &s, sizeof(s));
	memset(buf + sizeof(s), 0xee, sizeof(buf) - sizeof(s));
	/* This kernel's size, and a newer kernel's longer struct. */
	for (len = sizeof(s); len <= sizeof(buf); len += 16) {
		m = msg_of(AUDIT_GET, buf, len);
		memset(&st, 0xa5, sizeof(st));
		assert_int_equal(auditmsg_status(&m, &st), 0);
		assert_int_equal(st.mask, 0x11);
		assert_int_equal(st.enabled, 1);
		assert_int_equal(st.failure, 2);
		assert_int_equal(st.pid, 4242);
		assert_int_equal(st.rate_limit, 100);
		assert_int_equal(st.backlog_limit, 8192);
		assert_int_equal(st.lost, 7);
		assert_int_equal(st.backlog, 3);
		assert_int_equal(st.feature_bitmap, 0x7f);
		assert_int_equal(st.backlog_wait_time, 60000);
	}
}

static void
auditmsg_status__legacy_struct__missing_fields_zero(void **state)
{
	struct auditmsg_status st;
	struct audit_status s;
	unsigned char buf[sizeof(s)];
	struct auditmsg m;

	(void)state;
	fill_status(&s);
	/* Beyond what was received: bytes that must not be read. */
	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, &s, offsetof(struct audit_status, feature_bitmap));
	/* Up to backlog, as kernels before 3.14 sent it. */
	m = msg_of(AUDIT_GET, buf, offsetof(struct audit_status,
	    feature_bitmap));
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(auditmsg_status(&m, &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.backlog_limit, 8192);
	assert_int_equal(st.backlog, 3);
	assert_int_equal(st.feature_bitmap, 0);
	assert_int_equal(st.backlog_wait_time, 0);

	/* Just enough for pid. */
	m = msg_of(AUDIT_GET, buf, offsetof(struct audit_status, pid) +
	    sizeof(s.pid));
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(auditmsg_status(&m, &st), 0);
	assert_int_equal(st.mask, 0x11);
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.rate_limit, 0);
	assert_int_equal(st.backlog_limit, 0);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.backlog, 0);
	assert_int_equal(st.feature_bitmap, 0);
	assert_int_equal(st.backlog_wait_time, 0);
}

static void
auditmsg_status__too_short_for_pid__ebadmsg(void **state)
{
	struct auditmsg_status st;
	struct audit_status s;
	struct auditmsg m;
	size_t len;

	(void)state;
	fill_status(&s);
	for (len = 0; len < offsetof(struct audit_status, pid) + sizeof(s.pid);
	    len++) {
		m = msg_of(AUDIT_GET, (const unsigned char *)&s, len);
		errno = 0;
		assert_int_equal(auditmsg_status(&m, &st), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

static void
auditmsg_status__wrong_type__ebadmsg(void **state)
{
	static const uint16_t types[] = { NLMSG_ERROR, AUDIT_SET,
	    AUDIT_SECCOMP };
	struct auditmsg_status st;
	struct audit_status s;
	struct auditmsg m;
	size_t i;

	(void)state;
	fill_status(&s);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		m = msg_of(types[i], (const unsigned char *)&s, sizeof(s));
		errno = 0;
		assert_int_equal(auditmsg_status(&m, &st), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

/* auditmsg_build */

static void
auditmsg_build__request__header_fields_and_payload(void **state)
{
	struct audit_status req;
	unsigned char buf[256];
	struct nlmsghdr h;
	size_t n;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.mask = AUDIT_STATUS_PID;
	req.pid = 4242;
	memset(buf, 0xee, sizeof(buf));
	n = auditmsg_build(buf, sizeof(buf), AUDIT_SET, 77, &req, sizeof(req));
	assert_int_equal(n, NLMSG_LENGTH(sizeof(req)));
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.nlmsg_len, NLMSG_LENGTH(sizeof(req)));
	assert_int_equal(h.nlmsg_type, AUDIT_SET);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(h.nlmsg_seq, 77);
	/* The kernel fills in the sender's port. */
	assert_int_equal(h.nlmsg_pid, 0);
	assert_memory_equal(buf + NLMSG_HDRLEN, &req, sizeof(req));
}

static void
auditmsg_build__no_payload__header_only(void **state)
{
	unsigned char buf[64];
	struct nlmsghdr h;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(auditmsg_build(buf, sizeof(buf), AUDIT_GET, 1, NULL,
	    0), NLMSG_HDRLEN);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.nlmsg_len, NLMSG_HDRLEN);
	assert_int_equal(h.nlmsg_type, AUDIT_GET);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(h.nlmsg_seq, 1);
}

static void
auditmsg_build__exact_fit__nothing_written_past_cap(void **state)
{
	unsigned char buf[64];
	size_t cap = NLMSG_LENGTH(5), i;	/* 21: not aligned */

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(auditmsg_build(buf, cap, AUDIT_SET, 2, "hello", 5),
	    cap);
	assert_memory_equal(buf + NLMSG_HDRLEN, "hello", 5);
	for (i = cap; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xee);
}

static void
auditmsg_build__buffer_too_small__zero(void **state)
{
	unsigned char buf[64];
	size_t cap, i;

	(void)state;
	for (cap = 0; cap < NLMSG_LENGTH(5); cap++) {
		memset(buf, 0xee, sizeof(buf));
		assert_int_equal(auditmsg_build(buf, cap, AUDIT_SET, 2,
		    "hello", 5), 0);
		for (i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xee);
	}
}

/*
 * A length so large that NLMSG_LENGTH() wraps around size_t: it does not
 * fit, so 0.  Run in a child, since a wrapped length would be copied.
 */
static void
auditmsg_build__payload_length_wraps__zero(void **state)
{
	static const size_t huge[] = { SIZE_MAX, SIZE_MAX - 8,
	    SIZE_MAX - NLMSG_HDRLEN + 1 };
	unsigned char buf[64];
	size_t i;
	pid_t pid;
	int status;

	(void)state;
	for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			size_t n;

			/* Not cmocka's handlers: they would go on in here. */
			(void)signal(SIGSEGV, SIG_DFL);
			(void)signal(SIGBUS, SIG_DFL);
			(void)signal(SIGILL, SIG_DFL);
			(void)signal(SIGFPE, SIG_DFL);
			n = auditmsg_build(buf, sizeof(buf), AUDIT_SET,
			    1, "x", huge[i]);

			_exit(n == 0 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFSIGNALED(status))
			print_error("auditmsg_build(len %zu) killed by signal "
			    "%d\n", huge[i], WTERMSIG(status));
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void
auditmsg_build__split_back__same_message(void **state)
{
	unsigned char buf[512];
	struct seen s;
	size_t n;

	(void)state;
	n = auditmsg_build(buf, sizeof(buf), AUDIT_SECCOMP, 5, rec, REC_LEN);
	assert_int_equal(n, NLMSG_LENGTH(REC_LEN));
	seen_init(&s, buf, n);
	assert_int_equal(auditmsg_split(buf, n, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_msg(&s.m[0], AUDIT_SECCOMP, 5, rec, REC_LEN);
	assert_int_equal(s.m[0].flags, NLM_F_REQUEST | NLM_F_ACK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		auditmsg_split__multicast_record__one_message_exact_payload),
		cmocka_unit_test(
		auditmsg_split__multicast_padded__padding_not_in_payload),
		cmocka_unit_test(
		auditmsg_split__unicast_length_quirk__one_message),
		cmocka_unit_test(
		auditmsg_split__quirk_payload_under_16__one_message),
		cmocka_unit_test(
		auditmsg_split__quirk_length_on_first_record_type__one_message),
		cmocka_unit_test(
		auditmsg_split__control_type_with_quirk_length__not_quirk),
		cmocka_unit_test(
		auditmsg_split__two_messages_padded__both_in_order),
		cmocka_unit_test(
		auditmsg_split__three_messages_padded__all_in_order),
		cmocka_unit_test(
		auditmsg_split__callback_nonzero__stops_and_returns_it),
		cmocka_unit_test(
		auditmsg_split__datagram_shorter_than_header__ebadmsg),
		cmocka_unit_test(
		auditmsg_split__nlmsg_len_below_header__ebadmsg),
		cmocka_unit_test(
		auditmsg_split__nlmsg_len_beyond_datagram__ebadmsg),
		cmocka_unit_test(
		auditmsg_split__trailing_bytes_after_last_message__ebadmsg),
		cmocka_unit_test(
		auditmsg_split__random_datagrams__payloads_within_buffer),
		cmocka_unit_test(
		auditmsg_ack__ack_in_received_datagram__seq_and_zero_error),
		cmocka_unit_test(
		auditmsg_ack__failure_with_echoed_request__negative_errno),
		cmocka_unit_test(auditmsg_ack__wrong_type__ebadmsg),
		cmocka_unit_test(auditmsg_ack__shorter_than_nlmsgerr__ebadmsg),
		cmocka_unit_test(auditmsg_ack__positive_error__ebadmsg),
		cmocka_unit_test(auditmsg_status__full_struct__all_fields),
		cmocka_unit_test(
		auditmsg_status__legacy_struct__missing_fields_zero),
		cmocka_unit_test(auditmsg_status__too_short_for_pid__ebadmsg),
		cmocka_unit_test(auditmsg_status__wrong_type__ebadmsg),
		cmocka_unit_test(
		auditmsg_build__request__header_fields_and_payload),
		cmocka_unit_test(auditmsg_build__no_payload__header_only),
		cmocka_unit_test(
		auditmsg_build__exact_fit__nothing_written_past_cap),
		cmocka_unit_test(auditmsg_build__buffer_too_small__zero),
		cmocka_unit_test(auditmsg_build__payload_length_wraps__zero),
		cmocka_unit_test(auditmsg_build__split_back__same_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
