/*
 * The syslog output: one datagram per event to a local socket (/dev/log),
 * the JSON event as the message.  The socket is created before the seccomp
 * filter and never connected: each event goes by sendto() to the path, so a
 * restarted syslog daemon is found again with no reconnecting (no socket()
 * or connect() after the filter), and MSG_DONTWAIT means a stalled daemon
 * costs lost events, counted, never a blocked reader of the kernel.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>

#include "reporter/sink.h"

/*
 * The largest datagram sent, header included.  No event comes near it (a
 * record is at most 8970 bytes; with every string escaped and the record
 * as event.original an event stays near 40 KiB), so it only guards against
 * a bug.  Receivers cut at their own limit: rsyslog's maxMessageSize is 8k
 * by default and syslog-ng's log-msg-size 64k; docs/syslog.md says how to
 * raise rsyslog's, since a cut event is no longer JSON.
 */
#define SYSLOG_MSG_MAX	SINK_SYSLOG_MSG_MAX
/* The longest header: PRI, version, timestamp, HOSTNAME, APP-NAME, ... */
#define SYSLOG_HDR_MAX	512

#define APP_NAME_MAX	48	/* RFC 5424 APP-NAME */
#define HOSTNAME_MAX	255	/* RFC 5424 HOSTNAME */
#define MSGID_MAX	32	/* RFC 5424 MSGID */
#define CEE_COOKIE	"@cee: "
#define SYSLOG_TIME_MAX	253402300799ULL	/* 9999-12-31T23:59:59Z */

struct syslogsink {
	int			 fd;
	struct sockaddr_un	 sa;
	socklen_t		 salen;
	int			 facility;
	int			 cee;
	enum sink_syslog_format	 format;
	long			 pid;
	char			 ident[APP_NAME_MAX + 1];
	char			 host[HOSTNAME_MAX + 1];
	char			*msg;		/* SYSLOG_MSG_MAX bytes */
};

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* RFC 5424 PRINTUSASCII, 1 to max characters. */
static int
printusascii(const char *s, size_t max)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 33 || (unsigned char)s[n] > 126)
			return 0;
	return n > 0 && n <= max;
}

/* The header, before the message; its length, or -1 (EOVERFLOW). */
static int
header(const struct syslogsink *y, const struct sink_event *e, char *buf,
    size_t len)
{
	int pri = y->facility | e->severity, n;
	/*
	 * A replayed record may carry any time: past 9999 a year has five
	 * digits, which RFC 5424's TIMESTAMP cannot hold (and far enough,
	 * gmtime_r() fails).  Clamped as @timestamp is (obuf.c).
	 */
	int clamp = e->sec > SYSLOG_TIME_MAX;
	time_t t = clamp ? (time_t)SYSLOG_TIME_MAX : (time_t)e->sec;
	unsigned msec = clamp ? 999 : e->msec % 1000;
	struct tm tm;
	const char *msgid;

	if (y->format == SINK_SYSLOG_RFC3164) {
		/*
		 * As glibc's syslog() sends it to a local socket: local time
		 * (tzset() ran before the filter; localtime_r does not read
		 * the zone file again), no year, no host, day padded.
		 */
		if (localtime_r(&t, &tm) == NULL)
			return -1;
		n = snprintf(buf, len, "<%d>%s %2d %02d:%02d:%02d %s[%ld]: ",
		    pri, months[tm.tm_mon], tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, y->ident, y->pid);
	} else {
		/* UTC, as @timestamp: no offset to get wrong. */
		if (gmtime_r(&t, &tm) == NULL)
			return -1;
		msgid = printusascii(e->action, MSGID_MAX) ? e->action : "-";
		n = snprintf(buf, len,
		    "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%03uZ %s %s %ld %s - ",
		    pri, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, msec,
		    y->host, y->ident, y->pid, msgid);
	}
	if (n < 0 || (size_t)n >= len) {
		errno = EOVERFLOW;
		return -1;
	}
	return n;
}

/* The datagram for e in y->msg: its length, or -1 with errno. */
static ssize_t
format(const struct syslogsink *y, const struct sink_event *e)
{
	size_t len, cee = y->cee ? sizeof(CEE_COOKIE) - 1 : 0;
	int h;

	if (e->severity < LOG_EMERG || e->severity > LOG_DEBUG) {
		errno = EINVAL;
		return -1;
	}
	if ((h = header(y, e, y->msg, SYSLOG_HDR_MAX)) < 0)
		return -1;
	len = (size_t)h + cee + e->len;
	if (e->len > SYSLOG_MSG_MAX || len > SYSLOG_MSG_MAX) {
		/* Whole or not at all: a cut event is not JSON. */
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(y->msg + h, CEE_COOKIE, cee);
	memcpy(y->msg + h + cee, e->line, e->len);
	return (ssize_t)len;
}

static int
syslog_event(void *impl, const struct sink_event *e)
{
	struct syslogsink *y = impl;
	ssize_t n, len;

	if ((len = format(y, e)) < 0)
		return -1;
	do {
		n = sendto(y->fd, y->msg, (size_t)len,
		    MSG_DONTWAIT | MSG_NOSIGNAL,
		    (const struct sockaddr *)&y->sa, y->salen);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n != len) {
		/* Datagrams go whole or fail; this is not expected. */
		errno = EIO;
		return -1;
	}
	return 0;
}

static void
syslog_free(void *impl)
{
	struct syslogsink *y = impl;

	if (y == NULL)
		return;
	if (y->fd >= 0)
		(void)close(y->fd);
	free(y->msg);
	free(y);
}

static const struct sink_ops syslog_ops = {
	.event = syslog_event,
	.free = syslog_free,
};

/*
 * A stream socket at the path (syslog-ng's unix-stream()) cannot take our
 * datagrams: say so now rather than fail every event.  A path with nobody
 * there yet is fine: the syslog daemon may start after us.
 */
static int
probe(const struct syslogsink *y)
{
	int fd, rc = 0;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&y->sa, y->salen) < 0 &&
	    errno == EPROTOTYPE)
		rc = -1;
	(void)close(fd);
	if (rc < 0)
		errno = EPROTOTYPE;
	return rc;
}

/* The options' flaws, into err: 0, or -1 (EINVAL). */
static int
check_opts(const struct sink_syslog_opts *o, char *err, size_t errlen)
{
	struct sockaddr_un sa;

	if (o->socket == NULL || *o->socket == '\0')
		snprintf(err, errlen, "syslog: no socket path");
	else if (strlen(o->socket) >= sizeof(sa.sun_path))
		snprintf(err, errlen, "%s: path too long for a unix socket",
		    o->socket);
	else if ((o->facility & ~LOG_FACMASK) != 0 ||
	    LOG_FAC(o->facility) >= LOG_NFACILITIES)
		snprintf(err, errlen, "syslog facility %d: out of range",
		    o->facility);
	else if (o->ident == NULL || !printusascii(o->ident, APP_NAME_MAX) ||
	    strpbrk(o->ident, ":[]") != NULL)
		snprintf(err, errlen, "syslog ident: 1 to %d printable "
		    "ASCII characters, no blank, ':', '[' or ']'",
		    APP_NAME_MAX);
	else if (o->format != SINK_SYSLOG_RFC3164 &&
	    o->format != SINK_SYSLOG_RFC5424)
		snprintf(err, errlen, "syslog format %d: unknown",
		    (int)o->format);
	else if (o->format == SINK_SYSLOG_RFC5424 && o->host != NULL &&
	    *o->host != '\0' && !printusascii(o->host, HOSTNAME_MAX))
		snprintf(err, errlen, "host name \"%s\" cannot be an RFC 5424 "
		    "HOSTNAME: 1 to %d printable ASCII characters, no blank",
		    o->host, HOSTNAME_MAX);
	else
		return 0;
	errno = EINVAL;
	return -1;
}

/* What the options set (checked already), but the socket. */
static void
settings(struct syslogsink *y, const struct sink_syslog_opts *o)
{
	struct utsname u;

	y->facility = o->facility;
	y->cee = o->cee != 0;
	y->format = o->format;
	memcpy(y->ident, o->ident, strlen(o->ident) + 1);
	/* No host given: the node name, as the kernel knows it now. */
	if (y->format != SINK_SYSLOG_RFC5424)
		snprintf(y->host, sizeof(y->host), "-");	/* unused */
	else if (o->host != NULL && *o->host != '\0')
		snprintf(y->host, sizeof(y->host), "%s", o->host);
	else if (o->host == NULL && uname(&u) == 0 &&
	    printusascii(u.nodename, HOSTNAME_MAX))
		snprintf(y->host, sizeof(y->host), "%s", u.nodename);
	else
		snprintf(y->host, sizeof(y->host), "-");
}

struct sink *
sink_syslog_new(const struct sink_syslog_opts *o, char *err, size_t errlen)
{
	struct syslogsink *y = NULL;
	char name[sizeof(y->sa.sun_path) + 8];
	struct sink *s;
	size_t plen;
	int saved;

	if (check_opts(o, err, errlen) < 0)
		return NULL;
	if ((y = calloc(1, sizeof(*y))) == NULL ||
	    (y->msg = malloc(SYSLOG_MSG_MAX)) == NULL) {
		free(y);
		snprintf(err, errlen, "syslog: %s", strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	plen = strlen(o->socket);
	y->pid = (long)getpid();
	y->sa.sun_family = AF_UNIX;
	memcpy(y->sa.sun_path, o->socket, plen);
	y->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
	    1);
	settings(y, o);
	/*
	 * The zone is read now, before the filter: glibc's localtime_r()
	 * and even gmtime_r() load it on first use (__tz_convert()), and
	 * an openat() after the filter is denied.
	 */
	tzset();

	if ((y->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "syslog socket: %s", strerror(errno));
		goto fail;
	}
	if (probe(y) < 0) {
		if (errno == EPROTOTYPE)
			snprintf(err, errlen, "%s: a stream socket; only "
			    "datagram sockets are supported", o->socket);
		else
			snprintf(err, errlen, "%s: %s", o->socket,
			    strerror(errno));
		goto fail;
	}
	snprintf(name, sizeof(name), "syslog:%s", o->socket);
	if ((s = sink_new(name, &syslog_ops, y)) == NULL)
		snprintf(err, errlen, "syslog: %s", strerror(ENOMEM));
	return s;

fail:
	saved = errno;
	if (y->fd >= 0)
		(void)close(y->fd);
	free(y->msg);
	free(y);
	errno = saved;
	return NULL;
}

ssize_t
sink_syslog_format(const struct sink_syslog_opts *o, long pid,
    const struct sink_event *e, char *buf, size_t cap)
{
	struct syslogsink y;
	char err[256];

	if (cap < SINK_SYSLOG_MSG_MAX || check_opts(o, err, sizeof(err)) < 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&y, 0, sizeof(y));
	settings(&y, o);
	y.pid = pid;
	y.msg = buf;
	return format(&y, e);
}
