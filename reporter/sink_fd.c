/*
 * The stream output on a descriptor the caller owns (stdout).  The fd is
 * made non-blocking (unless a terminal), so a slow reader never stalls the
 * loop that reads the kernel: what it cannot take yet waits in a bounded
 * tail, retried at the next batch or tick; past that bound, whole batches
 * are dropped and counted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reporter/sink.h"

/* A reader this far behind loses whole batches. */
#define FD_PENDING_MAX (4u * 1024 * 1024)

struct fdsink {
	int	 fd;
	char	*pend;		/* accepted, not yet written */
	size_t	 plen;
	size_t	 pcap;
	int	 dead;		/* EPIPE: the reader is gone for good */
};

/* Write from buf until done or the fd would block.  Bytes written, or -1. */
static ssize_t
write_some(struct fdsink *f, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(f->fd, buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n == 0)
			errno = EIO;
		if (errno == EPIPE)
			f->dead = 1;
		return done > 0 ? (ssize_t)done : -1;
	}
	return (ssize_t)done;
}

static int
pend_add(struct fdsink *f, const char *buf, size_t len)
{
	size_t cap;
	char *p;

	if (f->plen + len > f->pcap) {
		cap = f->pcap ? f->pcap : 64 * 1024;
		while (cap < f->plen + len)
			cap *= 2;
		if ((p = realloc(f->pend, cap)) == NULL)
			return -1;
		f->pend = p;
		f->pcap = cap;
	}
	memcpy(f->pend + f->plen, buf, len);
	f->plen += len;
	return 0;
}

/* Write what is pending.  0 when nothing is left, 1 when some is, -1. */
static int
pend_flush(struct fdsink *f)
{
	ssize_t n;

	if (f->plen == 0)
		return 0;
	if ((n = write_some(f, f->pend, f->plen)) < 0)
		return -1;
	memmove(f->pend, f->pend + n, f->plen - (size_t)n);
	f->plen -= (size_t)n;
	return f->plen > 0;
}

/* The end of the line that holds byte off, or len. */
static size_t
line_end(const char *buf, size_t len, size_t off)
{
	const char *nl = memchr(buf + off, '\n', len - off);

	return nl != NULL ? (size_t)(nl - buf) + 1 : len;
}

static int
fd_write(void *impl, const char *buf, size_t len, size_t *kept)
{
	struct fdsink *f = impl;
	ssize_t n;
	size_t end;
	int rc;

	*kept = 0;
	if (f->dead) {
		errno = EPIPE;
		return -1;
	}
	if ((rc = pend_flush(f)) < 0)
		return -1;	/* the tail stays; this batch is dropped */
	if (rc == 1) {
		/* Still behind: queue the batch whole, or drop it whole. */
		if (f->plen + len > FD_PENDING_MAX ||
		    pend_add(f, buf, len) < 0) {
			errno = EAGAIN;
			return -1;
		}
		*kept = len;
		return 0;
	}
	if ((n = write_some(f, buf, len)) < 0)
		return -1;
	if ((size_t)n == len) {
		*kept = len;
		return 0;
	}
	if (f->dead) {
		/* Nobody will read the rest of the line either. */
		*kept = (size_t)n;
		errno = EPIPE;
		return -1;
	}
	if (errno == EAGAIN && pend_add(f, buf + n, len - (size_t)n) == 0) {
		/* Would block: the rest waits (it fits: the tail was empty). */
		*kept = len;
		return 0;
	}
	/* A hard error mid-batch: finish the line begun, drop the rest. */
	end = line_end(buf, len, (size_t)n);
	if (end > (size_t)n)
		(void)pend_add(f, buf + n, end - (size_t)n);
	*kept = end;
	return -1;
}

static int
fd_retry(void *impl)
{
	struct fdsink *f = impl;

	if (f->dead) {
		errno = EPIPE;
		return -1;
	}
	return pend_flush(f);
}

static void
fd_free(void *impl)
{
	struct fdsink *f = impl;

	if (f == NULL)
		return;
	free(f->pend);
	free(f);
}

static const struct sink_ops fd_ops = {
	.write = fd_write,
	.retry = fd_retry,
	.free = fd_free,
};

struct sink *
sink_fd_new(int fd, const char *name)
{
	struct fdsink *f;
	int fl;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->fd = fd;
	/*
	 * A terminal is left blocking: the shell shares that open file and
	 * would find it non-blocking after we exit, and a terminal keeps up.
	 * A pipe or socket (a shipper, journald) is ours alone.
	 */
	if (!isatty(fd) && (fl = fcntl(fd, F_GETFL)) >= 0 &&
	    !(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		free(f);
		return NULL;
	}
	return sink_new(name, &fd_ops, f);
}
