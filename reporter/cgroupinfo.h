/*
 * What a process's cgroup path says about it: the systemd unit, the
 * container id and the runtime whose layout names it, the Kubernetes pod
 * UID.  Pure: it reads the text of /proc/PID/cgroup, never the file
 * system, so every layout is tested from captured text.  Inferred from
 * names alone: docs/events.md says which layouts and what can be forged.
 */
#ifndef SECCOMPMON_CGROUPINFO_H
#define SECCOMPMON_CGROUPINFO_H

#include <stddef.h>

/* Container ids: 64 lowercase hex (docker, containerd, cri-o, podman). */
#define CGROUP_ID_MAX 64

struct cgroup_info {
	/*
	 * Innermost systemd unit: "nginx.service", "session-3.scope", a
	 * user's or a container's systemd's own unit; "".
	 */
	char		 service[256];
	char		 container_id[CGROUP_ID_MAX + 1];	/* or "" */
	/* "docker", "containerd", "cri-o", "podman"; NULL: none or unknown */
	const char	*runtime;
	/* Kubernetes pod UID, "0c6b4b38-..." (or a static pod's 32 hex). */
	char		 pod_uid[37];
	/* The path the above came from, "/system.slice/x.service"; "". */
	char		 path[512];
};

/*
 * Parse the len bytes of /proc/PID/cgroup at text (not NUL-terminated;
 * never read beyond text[len - 1]) into ci, zeroed first.  One line is
 * chosen: the first of the cgroup v2 line "0::PATH", then the v1 lines
 * name=systemd, pids, memory, cpu, cpuacct, any other, whose path is not
 * "/"; but a later line that names a container or pod wins over one that
 * does not (hybrid hosts: docker's cgroupfs driver leaves v2 alone).
 * Text the kernel would not write (a line not "ID:CONTROLLERS:/PATH", a
 * NUL, an empty line; a cgroup name holding a newline makes one) leaves ci
 * empty; a last line without its newline was cut off and is not used.  A
 * path of "." or ".." components (outside our cgroup namespace) or empty
 * ones names nothing.  path is "" when the path does not fit; the other
 * fields come from the whole path.  No allocation, no errors.
 */
void cgroup_info_parse(const char *text, size_t len, struct cgroup_info *ci);

#endif
