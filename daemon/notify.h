/*
 * The systemd readiness protocol (sd_notify(3)) without libsystemd: one
 * datagram to $NOTIFY_SOCKET.  The socket is connected at start-up, so
 * sending later needs no new file descriptor.
 */
#ifndef SECCOMPMON_NOTIFY_H
#define SECCOMPMON_NOTIFY_H

/*
 * Connect to $NOTIFY_SOCKET and unset it.  0 when not set, 1 when
 * connected, -1 with errno on a bad address or failed connect.
 */
int notify_open(void);

/* Send "READY=1", "STOPPING=1", "STATUS=..." etc.; a no-op when closed. */
void notify_send(const char *state);

void notify_close(void);

#endif
