/*
 * The file-descriptor sink.  One write(2) per batch in the common case: the
 * caller batches all events of a netlink drain into one buffer.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reporter/sink.h"

struct sink {
	int		 fd;
	char		*name;
	uint64_t	 written;
	uint64_t	 lost;
};

struct sink *
sink_fd_new(int fd, const char *name)
{
	struct sink *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->name = strdup(name)) == NULL) {
		free(s);
		return NULL;
	}
	s->fd = fd;
	return s;
}

int
sink_write(struct sink *s, const char *buf, size_t len)
{
	struct pollfd pfd;
	ssize_t n;

	while (len > 0) {
		n = write(s->fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			s->written += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN)) {
			pfd.fd = s->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				break;
			continue;
		}
		if (n == 0)
			errno = EIO;
		break;
	}
	if (len == 0)
		return 0;
	s->lost += len;
	return -1;
}

const char *
sink_name(const struct sink *s)
{
	return s->name;
}

uint64_t
sink_bytes_written(const struct sink *s)
{
	return s->written;
}

uint64_t
sink_bytes_lost(const struct sink *s)
{
	return s->lost;
}

void
sink_free(struct sink *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s);
}
