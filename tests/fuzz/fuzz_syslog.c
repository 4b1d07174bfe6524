/*
 * libFuzzer: the syslog output's datagram (sink_syslog_format()), RFC 3164
 * and 5424, "@cee: " on and off, for a record decoded and encoded as the
 * daemon does (hostile comm and exe bytes) and for ident, host and action
 * bytes from the input.  Whatever the options accept must make a datagram
 * that parses back field by field, with no control byte anywhere and the
 * event line, whole and valid JSON, as its message.
 *
 * Input: flags, facility, severity, then ident, host and action, each
 * ended by a NUL, then the record.  flags: 1 RFC 5424, 2 cee, 4 host from
 * the input (else the node name), 8 action from the input.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "daemon/log.h"
#include "reporter/obuf.h"
#include "reporter/sink.h"
#include "reporter/systab.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

static struct violation *V;
static struct obuf B;
static char *Msg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* A zone with a DST change: localtime matters for RFC 3164. */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	if (systab_init() < 0 || (V = malloc(sizeof(*V))) == NULL ||
	    (Msg = malloc(SINK_SYSLOG_MSG_MAX)) == NULL)
		fuzz_fail("set-up: out of memory");
	obuf_init(&B);
	return 0;
}

/* The next NUL-ended piece of the input, or NULL when none is left. */
static const char *
piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul;
	const char *s;

	if (*p >= end || (nul = memchr(*p, '\0', (size_t)(end - *p))) == NULL)
		return NULL;
	s = (const char *)*p;
	*p = nul + 1;
	return s;
}

/* n bytes at s are RFC 5424 PRINTUSASCII, 1 to max of them. */
static int
printus(const char *s, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
			return 0;
	return n >= 1 && n <= max;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The field up to the next blank from *p: its length; *p past the blank. */
static size_t
word(const char **p, const char *end, const char **w)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));

	if (sp == NULL)
		fuzz_fail("RFC 5424 header ends early: %.*s",
		    (int)(end - *p), *p);
	*w = *p;
	*p = sp + 1;
	return (size_t)(sp - *w);
}

/* The datagram d (n bytes) is what o and e must give; aborts if not. */
static void
check(const struct sink_syslog_opts *o, const struct sink_event *e,
    const char *d, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = d, *end = d + n, *w, *gt;
	char line[SINK_SYSLOG_MSG_MAX + 1];
	size_t i, wl;
	long pri;

	for (i = 0; i < n; i++)
		if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
			fuzz_fail("byte 0x%02x at %zu of the datagram: %.*s",
			    (unsigned char)d[i], i, (int)n, d);
	/* <PRI>: 1 to 3 digits, no leading zero, facility | severity. */
	if (n < 3 || *p != '<' || (gt = memchr(p, '>', 5)) == NULL ||
	    gt - p < 2 || !digits(p + 1, (size_t)(gt - p - 1)) ||
	    (p[1] == '0' && gt - p > 2))
		fuzz_fail("bad PRI: %.*s", (int)n, d);
	pri = strtol(p + 1, NULL, 10);
	if (pri != (o->facility | e->severity) || pri > 191)
		fuzz_fail("PRI %ld for facility %d severity %d", pri,
		    o->facility, e->severity);
	p = gt + 1;
	if (o->format == SINK_SYSLOG_RFC3164) {
		/* "Mmm dd hh:mm:ss ident[pid]: " */
		for (i = 0; i < 36 && end - p >= 3; i += 3)
			if (memcmp(p, months + i, 3) == 0)
				break;
		if (end - p < 16 || i >= 36 || p[3] != ' ' || (p[4] != ' ' && (p[4] < '1' ||
		    p[4] > '3')) || !digits(p + 5, 1) || p[6] != ' ' ||
		    !digits(p + 7, 2) || p[9] != ':' || !digits(p + 10, 2) ||
		    p[12] != ':' || !digits(p + 13, 2) || p[15] != ' ')
			fuzz_fail("bad RFC 3164 timestamp: %.*s", (int)n, d);
		p += 16;
		wl = strlen(o->ident);
		if ((size_t)(end - p) < wl + 1 || memcmp(p, o->ident, wl) != 0 ||
		    p[wl] != '[')
			fuzz_fail("bad RFC 3164 tag: %.*s", (int)n, d);
		p += wl + 1;
		for (w = p; p < end && *p >= '0' && *p <= '9'; p++)
			;
		if (p == w || end - p < 3 || memcmp(p, "]: ", 3) != 0)
			fuzz_fail("bad RFC 3164 pid: %.*s", (int)n, d);
		p += 3;
	} else {
		if (end - p < 2 || memcmp(p, "1 ", 2) != 0)
			fuzz_fail("no RFC 5424 version: %.*s", (int)n, d);
		p += 2;
		/* FULL-DATE "T" FULL-TIME with ms, "Z": 24 characters. */
		wl = word(&p, end, &w);
		if (wl != 24 || !digits(w, 4) || w[4] != '-' ||
		    !digits(w + 5, 2) || w[7] != '-' || !digits(w + 8, 2) ||
		    w[10] != 'T' || !digits(w + 11, 2) || w[13] != ':' ||
		    !digits(w + 14, 2) || w[16] != ':' || !digits(w + 17, 2) ||
		    w[19] != '.' || !digits(w + 20, 3) || w[23] != 'Z')
			fuzz_fail("bad RFC 5424 TIMESTAMP: %.*s", (int)wl, w);
		wl = word(&p, end, &w);
		if (!printus(w, wl, 255))
			fuzz_fail("bad HOSTNAME: %.*s", (int)wl, w);
		if (o->host != NULL && *o->host != '\0' &&
		    (wl != strlen(o->host) || memcmp(w, o->host, wl) != 0))
			fuzz_fail("HOSTNAME %.*s, configured %s", (int)wl, w,
			    o->host);
		wl = word(&p, end, &w);
		if (!printus(w, wl, 48) || wl != strlen(o->ident) ||
		    memcmp(w, o->ident, wl) != 0)
			fuzz_fail("bad APP-NAME: %.*s", (int)wl, w);
		wl = word(&p, end, &w);
		if (!printus(w, wl, 128) || !digits(w, wl))
			fuzz_fail("bad PROCID: %.*s", (int)wl, w);
		wl = word(&p, end, &w);
		if (!printus(w, wl, 32))
			fuzz_fail("bad MSGID: %.*s", (int)wl, w);
		wl = word(&p, end, &w);
		if (wl != 1 || *w != '-')
			fuzz_fail("STRUCTURED-DATA is not \"-\": %.*s",
			    (int)wl, w);
	}
	if (o->cee) {
		if (end - p < 6 || memcmp(p, "@cee: ", 6) != 0)
			fuzz_fail("no CEE cookie: %.*s", (int)n, d);
		p += 6;
	}
	if ((size_t)(end - p) != e->len || memcmp(p, e->line, e->len) != 0)
		fuzz_fail("the message is not the event line: %.*s", (int)n,
		    d);
	memcpy(line, p, e->len);
	line[e->len] = '\n';
	fuzz_check_line(line, e->len + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 3, *end = data + size;
	struct sink_syslog_opts o, good;
	struct sink_event e;
	const char *ident, *host, *action;
	ssize_t n;

	if (size < 3)
		return 0;
	if ((ident = piece(&p, end)) == NULL || (host = piece(&p, end)) ==
	    NULL || (action = piece(&p, end)) == NULL)
		return 0;
	if (fuzz_event((const char *)p, (size_t)(end - p), V, &B, &e) < 0)
		return 0;
	if (data[0] & 8)
		e.action = action;
	e.severity = (int)(int8_t)data[2];
	memset(&o, 0, sizeof(o));
	o.socket = "/dev/log";
	o.facility = (int)data[1] << 3;
	o.ident = ident;
	o.cee = (data[0] & 2) != 0;
	o.format = data[0] & 1 ? SINK_SYSLOG_RFC5424 : SINK_SYSLOG_RFC3164;
	o.host = data[0] & 4 ? host : NULL;
	if ((n = sink_syslog_format(&o, 12345, &e, Msg,
	    SINK_SYSLOG_MSG_MAX)) >= 0)
		check(&o, &e, Msg, (size_t)n);
	else if (errno != EINVAL && errno != EMSGSIZE)
		fuzz_fail("sink_syslog_format: %s", strerror(errno));

	/* Options known to be good and a valid severity: it must work. */
	good = o;
	good.ident = "seccompmon";
	good.host = "host.example";
	good.facility = LOG_AUTHPRIV;
	if (e.severity < LOG_EMERG || e.severity > LOG_DEBUG)
		e.severity = LOG_NOTICE;
	if ((n = sink_syslog_format(&good, 12345, &e, Msg,
	    SINK_SYSLOG_MSG_MAX)) >= 0)
		check(&good, &e, Msg, (size_t)n);
	else if (errno != EMSGSIZE)
		fuzz_fail("sink_syslog_format with good options: %s",
		    strerror(errno));
	return 0;
}
