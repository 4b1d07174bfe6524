/*
 * Kubernetes pod namespace and name by pod UID, from the directories
 * kubelet keeps for pod logs: <dir>/<namespace>_<name>_<uid>/ (kubelet's
 * BuildPodLogsDirectory(); /var/log/pods unless its podLogsDir says
 * otherwise).  Local and without network: a bounded table, rebuilt from
 * the directory when a UID is not in it, at most once per interval.
 */
#ifndef SECCOMPMON_PODNAMES_H
#define SECCOMPMON_PODNAMES_H

#include <stddef.h>
#include <stdint.h>

struct podnames;

/*
 * A table of at most max_pods pods (>= 1) read from the directory dir
 * (copied); nothing is read yet.  NULL with errno: ENOMEM, or EINVAL for
 * a NULL dir or max_pods 0.
 */
struct podnames *podnames_new(const char *dir, size_t max_pods);

/*
 * The namespace and name of the pod whose UID is uid (as in its cgroup:
 * a lowercase UUID, or a static pod's 32 hex).  When uid is not in the
 * table and the last scan is min_rescan_ms or more before now_ms (or there
 * was none), the directory is read again (opendir/readdir: openat,
 * newfstatat, getdents64, close), so a new pod is found while a storm of
 * unknown UIDs costs one scan per interval.  Beyond max_pods directories
 * the table keeps max_pods of them, always the one asked for.  1 found,
 * *ns and *name point into the table and stay valid until the next call;
 * 0 not found (a malformed uid too; a directory that cannot be read keeps
 * the table as it was).  now_ms: any clock that does not go back.
 */
int podnames_lookup(struct podnames *p, const char *uid, int64_t now_ms,
    int64_t min_rescan_ms, const char **ns, const char **name);

/* Free p and its table; NULL is a no-op. */
void podnames_free(struct podnames *p);

#endif
