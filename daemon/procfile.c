/*
 * procfile_read(): these files are generated on read and fit one read(2),
 * so there is no loop to resume a short read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "daemon/procfile.h"

ssize_t
procfile_read(const char *path, char *buf, size_t len, int first_line)
{
	ssize_t n;
	int fd, saved;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	do {
		n = read(fd, buf, len - 1);
	} while (n < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	if (first_line)
		buf[strcspn(buf, "\n")] = '\0';
	return (ssize_t)strlen(buf);
}
