/*
 * sd_notify: "@" starts an abstract socket name, as in systemd's own client.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/notify.h"

static int notify_fd = -1;

int
notify_open(void)
{
	struct sockaddr_un sa;
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;
	socklen_t sl;

	if (path == NULL || *path == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0)
		return -1;
	if (connect(notify_fd, (struct sockaddr *)&sa, sl) < 0) {
		close(notify_fd);
		notify_fd = -1;
		return -1;
	}
	unsetenv("NOTIFY_SOCKET");
	return 1;
}

void
notify_send(const char *state)
{
	if (notify_fd >= 0)
		(void)!send(notify_fd, state, strlen(state), MSG_NOSIGNAL);
}

void
notify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}
