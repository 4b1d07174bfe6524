/*
 * Where event lines go.  A sink takes whole batches of complete lines; it
 * never sees half an event.  This first sink writes to a file descriptor
 * (stdout); file, syslog and journald sinks are to share this interface.
 */
#ifndef SECCOMPMON_SINK_H
#define SECCOMPMON_SINK_H

#include <stddef.h>
#include <stdint.h>

struct sink;

/*
 * A sink writing to fd, which it does not own (stdout stays open).  name is
 * for diagnostics ("stdout").  NULL with errno ENOMEM.
 */
struct sink *sink_fd_new(int fd, const char *name);

/*
 * Write all len bytes, resuming after partial writes, EINTR, and EAGAIN (by
 * polling a non-blocking fd).  0, or -1 with errno (EPIPE when the reader
 * went away, ENOSPC, EIO, ...); bytes not written are counted as lost.
 */
int sink_write(struct sink *s, const char *buf, size_t len);

const char *sink_name(const struct sink *s);

/* Bytes written and bytes given up on, since creation. */
uint64_t sink_bytes_written(const struct sink *s);
uint64_t sink_bytes_lost(const struct sink *s);

void sink_free(struct sink *s);

#endif
