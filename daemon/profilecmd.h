/*
 * "seccompmon profile [options] [FILE...]": the seccomp profile change
 * that allows what one container, unit or executable was denied, from the
 * daemon's events or audit logs (reporter/evread.h), made by
 * policy/profgen.h.  An offline tool: it runs without the daemon's sandbox.
 */
#ifndef SECCOMPMON_PROFILECMD_H
#define SECCOMPMON_PROFILECMD_H

#include <json-c/json.h>

/*
 * argv[0] is "profile".  Returns the exit status: 0, 1 when an input or
 * the base could not be read or nothing was denied, 2 for a usage error.
 */
int profilecmd_main(int argc, char **argv);

/*
 * Read the OCI profile at path for --base: *text its text (kept for its
 * indentation), *base the parsed object, both the caller's to free.  0, or
 * -1 with the reason printed as "seccompmon CMD: PATH: ...".
 */
int profilecmd_read_base(const char *cmd, const char *path, char **text,
    json_object **base);

#endif
