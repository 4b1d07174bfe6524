/*
 * The journald output: one entry per event in the journal's native protocol
 * (systemd's "Native Journal Protocol"), with the key fields beside the JSON
 * line so that "journalctl SECCOMP_ACTION=kill_process" selects.  The socket
 * stays unconnected and every datagram names the path, so a journald that
 * restarts is found again; nothing ever blocks.  An entry too large for a
 * datagram travels in a sealed memfd passed with SCM_RIGHTS.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "reporter/sink.h"

#define JD_SOCKET	"/run/systemd/journal/socket"
#define JD_IDENT	"seccompmon"

/*
 * One id for every event, the journal's convention for a kind of message
 * (systemd.journal-fields(7)): "journalctl MESSAGE_ID=..." finds them
 * whatever the configured identifier.  docs/journald.md quotes it.
 */
#define JD_MESSAGE_ID	"5d4887fa04d640269b4ebe75f0245bc0"

/*
 * Security events: authpriv, as the syslog output, so that journald's
 * ForwardToSyslog= files them with the other restricted messages.
 */
#define JD_FACILITY	(LOG_AUTHPRIV >> 3)

/*
 * What the socket may hold unread, as libsystemd sets it: a burst
 * waits in journald's queue instead of failing with EAGAIN at the default
 * 208 KiB.  The queue's length (net.unix.max_dgram_qlen: 512 where systemd
 * is PID 1) still bounds it.
 */
#define JD_SNDBUF	(8 * 1024 * 1024)

/* A buffer grown past this for one large entry is not kept. */
#define JD_KEEP		(64 * 1024)

/*
 * Exactly these: older journald (v252 among them) compares the seals for
 * equality and refuses anything else from a sender other than root, so
 * no F_SEAL_EXEC (MFD_NOEXEC_SEAL) either.
 */
#define JD_SEALS \
	(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

struct jdsink {
	int			 fd;
	struct sockaddr_un	 sa;
	socklen_t		 salen;
	char			*ident;
	size_t			 dgram_max;
	char			*buf;		/* the entry being built */
	size_t			 len;
	size_t			 cap;
	int			 nomem;		/* sticky, checked once */
};

static void
put(struct jdsink *j, const void *p, size_t n)
{
	size_t cap;
	char *b;

	if (j->nomem)
		return;
	if (n > j->cap - j->len) {
		cap = j->cap ? j->cap : 4096;
		while (cap - j->len < n) {
			if (cap > SIZE_MAX / 2) {
				j->nomem = 1;
				return;
			}
			cap *= 2;
		}
		if ((b = realloc(j->buf, cap)) == NULL) {
			j->nomem = 1;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
}

/*
 * KEY=value\n, or, for a value holding a newline, the binary-safe form:
 * KEY\n, the length as 64-bit little endian, the bytes, \n.
 */
static void
field(struct jdsink *j, const char *key, const char *val, size_t vlen)
{
	unsigned char le[8];
	uint64_t n = vlen;
	size_t i;

	put(j, key, strlen(key));
	if (memchr(val, '\n', vlen) == NULL) {
		put(j, "=", 1);
	} else {
		for (i = 0; i < sizeof(le); i++)
			le[i] = (unsigned char)(n >> (8 * i));
		put(j, "\n", 1);
		put(j, le, sizeof(le));
	}
	put(j, val, vlen);
	put(j, "\n", 1);
}

static void
field_str(struct jdsink *j, const char *key, const char *val)
{
	field(j, key, val, strlen(val));
}

static void
field_num(struct jdsink *j, const char *key, int64_t v)
{
	char num[24];
	int n;

	n = snprintf(num, sizeof(num), "%" PRId64, v);
	field(j, key, num, (size_t)n);
}

static void
build(struct jdsink *j, const struct sink_event *e)
{
	int sev = e->severity;

	if (sev < LOG_EMERG || sev > LOG_DEBUG)
		sev = LOG_NOTICE;
	j->len = 0;
	j->nomem = 0;
	field_num(j, "PRIORITY", sev);
	field_num(j, "SYSLOG_FACILITY", JD_FACILITY);
	field_str(j, "SYSLOG_IDENTIFIER", j->ident);
	field_str(j, "MESSAGE_ID", JD_MESSAGE_ID);
	if (e->action != NULL)
		field_str(j, "SECCOMP_ACTION", e->action);
	if (e->syscall != NULL)
		field_str(j, "SECCOMP_SYSCALL", e->syscall);
	if (e->has_syscall)
		field_num(j, "SECCOMP_SYSCALL_NR", e->syscall_nr);
	if (e->arch != NULL)
		field_str(j, "SECCOMP_ARCH", e->arch);
	/*
	 * The violator as the record names it.  Not OBJECT_PID: journald
	 * would add OBJECT_COMM, OBJECT_EXE, ... read from /proc when it
	 * gets the entry, when a killed process is gone and its pid may
	 * belong to another one; and it heeds OBJECT_PID from root only.
	 */
	if (e->pid >= 0)
		field_num(j, "SECCOMP_PID", e->pid);
	if (e->comm != NULL)
		field(j, "SECCOMP_COMM", e->comm, e->comm_len);
	if (e->exe != NULL)
		field(j, "SECCOMP_EXE", e->exe, e->exe_len);
	field(j, "MESSAGE", e->line, e->len);
}

static int
send_dgram(struct jdsink *j)
{
	struct iovec iov = { j->buf, j->len };
	struct msghdr mh;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &j->sa;
	mh.msg_namelen = j->salen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	return sendmsg(j->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/*
 * The entry in a memfd, sealed so that journald may map it as it is, sent
 * as the only content of an empty datagram (journald ignores any other
 * mix).  Written with write(2): no mapping, so F_SEAL_WRITE cannot fail.
 */
static int
send_memfd(struct jdsink *j)
{
	union {
		struct cmsghdr	c;
		char		b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct cmsghdr *c;
	struct msghdr mh;
	size_t off = 0;
	ssize_t n;
	int mfd, rc = -1, err;

	if ((mfd = memfd_create("seccompmon-journal",
	    MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0)
		return -1;
	while (off < j->len) {
		n = write(mfd, j->buf + off, j->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			goto out;
		}
		off += (size_t)n;
	}
	if (fcntl(mfd, F_ADD_SEALS, JD_SEALS) < 0)
		goto out;

	memset(&ctl, 0, sizeof(ctl));
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &j->sa;
	mh.msg_namelen = j->salen;
	mh.msg_control = ctl.b;
	mh.msg_controllen = sizeof(ctl.b);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &mfd, sizeof(int));
	if (sendmsg(j->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		goto out;
	rc = 0;
out:
	err = errno;
	(void)close(mfd);	/* journald holds its own reference */
	errno = err;
	return rc;
}

static int
jd_event(void *impl, const struct sink_event *e)
{
	struct jdsink *j = impl;
	int rc, err;

	build(j, e);
	if (j->nomem) {
		rc = -1;
		err = ENOMEM;
		goto out;
	}
	if (j->dgram_max == 0 || j->len <= j->dgram_max) {
		if ((rc = send_dgram(j)) == 0) {
			err = 0;
			goto out;
		}
		err = errno;
		/*
		 * EMSGSIZE: over the send buffer; ENOBUFS: a datagram head
		 * the kernel could not allocate (unix_dgram_sendmsg() wants
		 * most of it in one piece).  Either fits in a memfd.  Not
		 * EAGAIN: journald's queue is full, and a memfd would wait
		 * in the same queue.
		 */
		if (err != EMSGSIZE && err != ENOBUFS)
			goto out;
	}
	rc = send_memfd(j);
	err = errno;
out:
	if (j->cap > JD_KEEP) {
		free(j->buf);
		j->buf = NULL;
		j->cap = 0;
	}
	errno = err;
	return rc;
}

static void
jd_free(void *impl)
{
	struct jdsink *j = impl;

	if (j == NULL)
		return;
	if (j->fd >= 0)
		(void)close(j->fd);
	free(j->ident);
	free(j->buf);
	free(j);
}

static const struct sink_ops jd_ops = {
	.event = jd_event,
	.free = jd_free,
};

struct sink *
sink_journald_new(const struct sink_journald_opts *o, char *err,
    size_t errlen)
{
	const char *path = o->socket ? o->socket : JD_SOCKET;
	const char *ident = o->ident && *o->ident ? o->ident : JD_IDENT;
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 16];
	struct jdsink *j;
	struct sink *s;
	int sz = JD_SNDBUF, e;

	if (*path == '\0' || strlen(path) >= sizeof(j->sa.sun_path)) {
		snprintf(err, errlen, "%s: not a usable socket path",
		    *path ? path : "\"\"");
		errno = EINVAL;
		return NULL;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->ident = strdup(ident)) == NULL) {
		free(j);
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	j->dgram_max = o->dgram_max;
	j->sa.sun_family = AF_UNIX;
	memcpy(j->sa.sun_path, path, strlen(path) + 1);
	j->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path) + 1);
	if ((j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		e = errno;
		snprintf(err, errlen, "socket: %s", strerror(e));
		jd_free(j);
		errno = e;
		return NULL;
	}
	/* Past net.core.wmem_max with CAP_NET_ADMIN; else as far as it goes. */
	if (setsockopt(j->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
	    sizeof(sz)) < 0)
		(void)setsockopt(j->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	snprintf(name, sizeof(name), "journald:%s", path);
	if ((s = sink_new(name, &jd_ops, j)) == NULL)
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	return s;
}

char *
sink_journald_entry(const struct sink_journald_opts *o,
    const struct sink_event *e, size_t *len)
{
	struct jdsink j;

	memset(&j, 0, sizeof(j));
	/* As sink_journald_new() chooses it; build() only reads it. */
	j.ident = (char *)(uintptr_t)(o->ident && *o->ident ? o->ident :
	    JD_IDENT);
	build(&j, e);
	if (j.nomem) {
		free(j.buf);
		errno = ENOMEM;
		return NULL;
	}
	*len = j.len;
	return j.buf;
}
