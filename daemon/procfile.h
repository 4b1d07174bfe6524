/*
 * Small files under /proc and /sys, read whole in one read(2): a state
 * line, a comm, a sysctl.  One place for the open/read/close and the
 * trailing newline, so callers only parse.
 */
#ifndef SECCOMPMON_PROCFILE_H
#define SECCOMPMON_PROCFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read up to len - 1 bytes of path into buf, NUL-terminated, without the
 * first newline and what follows it when first_line is set.  The length
 * read, or -1 with errno (an empty file is 0).
 */
ssize_t procfile_read(const char *path, char *buf, size_t len,
    int first_line);

#endif
