/*
 * libFuzzer: arbitrary bytes as one audit netlink datagram, split by
 * auditmsg_split() as the socket's reader does, each message read as an
 * ack, a status reply and (SECCOMP) a record that becomes an event line.
 * Every message must lie inside the datagram; ASan checks each byte read.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/netlink.h>

#include "netlink/auditmsg.h"
#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

static struct violation *V;
static struct obuf B;
/* Every payload byte is read into it, so ASan checks each. */
static volatile unsigned char Sum;

struct walk {
	const char	*buf;
	size_t		 len;
	size_t		 n;
	size_t		 stop_at;	/* return 7 at this message */
	struct auditmsg	 first;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (systab_init() < 0 || (V = malloc(sizeof(*V))) == NULL)
		fuzz_fail("set-up: out of memory");
	obuf_init(&B);
	return 0;
}

static int
each(const struct auditmsg *m, void *arg)
{
	struct walk *w = arg;
	struct auditmsg_status st;
	uint32_t seq;
	size_t i;
	int error;

	if (m->data < w->buf + NLMSG_HDRLEN || m->len > w->len ||
	    m->data + m->len > w->buf + w->len)
		fuzz_fail("message %zu (%zu bytes at offset %td) is not inside "
		    "the datagram of %zu bytes", w->n, m->len, m->data - w->buf,
		    w->len);
	for (i = 0; i < m->len; i++)
		Sum ^= (unsigned char)m->data[i];
	if (auditmsg_ack(m, &seq, &error) == 0 && (error > 0 ||
	    m->type != NLMSG_ERROR))
		fuzz_fail("ack with error %d, type %u", error, m->type);
	(void)auditmsg_status(m, &st);
	if (m->type == AUDIT_SECCOMP &&
	    violation_decode(m->data, m->len, V) == VIOLATION_OK) {
		obuf_reset(&B);
		if (event_encode(&B, V, m->data, m->len, &(struct event_ctx){
		    NULL, 0, 0, 0, NULL }) < 0)
			fuzz_fail("event_encode: out of memory");
		fuzz_check_line(B.data, B.len);
	}
	if (w->n == 0)
		w->first = *m;
	return w->n++ == w->stop_at ? 7 : 0;
}

/* A request built from the input splits back into itself. */
static void
round_trip(const uint8_t *data, size_t size)
{
	static char buf[4096];
	struct walk w = { buf, 0, 0, (size_t)-1, { 0, 0, 0, NULL, 0 } };
	uint16_t type = size >= 2 ? (uint16_t)(data[0] | data[1] << 8) : 0;
	size_t n;

	n = auditmsg_build(buf, sizeof(buf), type, 42, data, size);
	if (n == 0) {
		if (size <= sizeof(buf) - NLMSG_HDRLEN)
			fuzz_fail("auditmsg_build: %zu bytes did not fit",
			    size);
		return;
	}
	w.len = n;
	if (auditmsg_split(buf, n, each, &w) != 0 || w.n != 1)
		fuzz_fail("a built request of %zu bytes did not split into one "
		    "message (%zu)", size, w.n);
	if (w.first.type != type || w.first.seq != 42 ||
	    w.first.flags != (NLM_F_REQUEST | NLM_F_ACK) ||
	    w.first.len != size || (size > 0 &&
	    memcmp(w.first.data, data, size) != 0))
		fuzz_fail("a built request of %zu bytes split into another "
		    "message: type %u, %zu bytes", size, w.first.type,
		    w.first.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w = { (const char *)data, size, 0, (size_t)-1,
	    { 0, 0, 0, NULL, 0 } };
	int rc;

	errno = 0;
	rc = auditmsg_split(data, size, each, &w);
	if (rc != 0 && (rc != -1 || errno != EBADMSG))
		fuzz_fail("auditmsg_split: %d, errno %d", rc, errno);
	/* Stopping early: the callback's value comes back. */
	if (w.n > 0) {
		w.stop_at = w.n / 2;
		w.n = 0;
		if (auditmsg_split(data, size, each, &w) != 7)
			fuzz_fail("a stop at message %zu was not returned",
			    w.stop_at);
	}
	round_trip(data, size);
	return 0;
}
