/*
 * The embedded allow-lists, one per architecture.  Each holds exactly the
 * calls the daemon makes once its filter is loaded, in every mode (unicast,
 * multicast, replay, signals, shutdown), and says why; everything opened,
 * bound, registered or looked up is done before the filter (daemon/main.c).
 * The completeness test runs the whole live suite with default_action "log"
 * and fails on any record of the daemon's own; docs/sandbox.md explains.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "policy/policy.h"

struct entry {
	const char *name;
	const char *why;
};

/* Reasons shared by the lists. */
#define WHY_READ	"signalfd and timerfd reads; --replay input"
#define WHY_WRITE	"events to stdout and files, diagnostics to " \
			"stderr; a large journal entry into its memfd"
#define WHY_POLL	"the event loop waits on the netlink socket, " \
			"signalfd and timerfd"
#define WHY_RECVMMSG	"draining the audit socket, 64 datagrams a call"
#define WHY_SENDTO	"AUDIT_SET pid 0 to unregister at shutdown " \
			"and AUDIT_GET for the kernel's lost counter each " \
			"tick (unicast); sd_notify STOPPING=1; each event to " \
			"the syslog socket, by path (never connected)"
#define WHY_SETSOCKOPT	"leaving the multicast group before the final " \
			"drain (NETLINK_DROP_MEMBERSHIP)"
#define WHY_GETSOCKOPT	"multicast: the kernel's count of records dropped " \
			"at the socket's full queue (SO_MEMINFO), each tick"
#define WHY_CLOSE	"closing the socket and descriptors at shutdown; " \
			"a journal entry's memfd once sent; a file " \
			"output's old file after rotation or SIGHUP; " \
			"context: each file read, the pod log directory " \
			"once scanned"
#define WHY_CLOCK	"monotonic time for rate limits and request " \
			"timeouts, real time for storm windows, where the " \
			"vDSO is not used"
#define WHY_BRK		"malloc: the heap grows with a burst of events"
#define WHY_MMAP	"malloc: buffers over the mmap threshold"
#define WHY_MUNMAP	"free: buffers over the mmap threshold"
#define WHY_MREMAP	"realloc: growing the event batch buffer"
#define WHY_SENDMSG	"journald output: one entry a datagram, or a " \
			"memfd passed with SCM_RIGHTS"
#define WHY_MEMFD	"journald output: an entry too large for a " \
			"datagram goes in a memfd"
#define WHY_FCNTL	"journald output: sealing that memfd " \
			"(F_ADD_SEALS), as journald asks"
#define WHY_RESTART	"resuming poll after SIGSTOP/SIGCONT"
#define WHY_EXIT	"exit"
/* Each output's writer thread (daemon/outq.c), started before the filter. */
#define WHY_FUTEX	"the lock and condition variables between the " \
			"reader and each output's writer thread"
#define WHY_THREXIT	"an output's writer thread ends at shutdown"
#define WHY_SIGMASK	"glibc blocks signals in a writer thread as it ends"
#define WHY_MADVISE	"glibc gives back an ended writer thread's stack " \
			"pages (MADV_DONTNEED)"
/* The file output: rotation and reopening on SIGHUP (reporter/sink_file.c). */
#define WHY_OPENAT	"file output: the new file after rotation; the " \
			"file and its directory again on SIGHUP; context: " \
			"/proc/PID/stat, cmdline and cgroup of a process not " \
			"seen before, the passwd and group files when they " \
			"change, kubelet's pod log directory (opendir) when " \
			"a pod UID is not known, at most every few seconds; " \
			"gap reports: /proc, each process's status and " \
			"cgroup, the actions_logged sysctl"
#define WHY_RENAMEAT	"file output: rotation, path -> path.1 -> ..., " \
			"relative to the directory's descriptor"
#define WHY_FCHMOD	"file output: the configured mode on a file it " \
			"creates (the umask narrows open's mode)"
#define WHY_FCHOWN	"file output: the configured group on a file it " \
			"creates"
#define WHY_FTRUNCATE	"file output: cutting off the half line a failed " \
			"write (ENOSPC) left; keep 0 empties the file"
#define WHY_FSTATAT	"file output: type and size of a file that " \
			"exists when opened; the true end after a failed " \
			"write; context: has the passwd or group file " \
			"changed; opendir's check that the pod log " \
			"directory is one"
/* Process context after the filter (reporter/procctx.c, userdb.c). */
#define WHY_READLINKAT	"context: a process's working directory " \
			"(/proc/PID/cwd)"
#define WHY_GETDENTS	"context: the pod directories in kubelet's " \
			"log directory (pod names); gap reports: listing " \
			"/proc for processes under seccomp filters (an open " \
			"directory, not opendir, which would also fstat it)"

static const struct entry list_x86_64[] = {
	{ "read", WHY_READ },
	{ "write", WHY_WRITE },
	{ "poll", WHY_POLL },
	{ "recvmmsg", WHY_RECVMMSG },
	{ "sendto", WHY_SENDTO },
	{ "setsockopt", WHY_SETSOCKOPT },
	{ "getsockopt", WHY_GETSOCKOPT },
	{ "close", WHY_CLOSE },
	{ "sendmsg", WHY_SENDMSG },
	{ "memfd_create", WHY_MEMFD },
	{ "fcntl", WHY_FCNTL },
	{ "clock_gettime", WHY_CLOCK },
	{ "brk", WHY_BRK },
	{ "mmap", WHY_MMAP },
	{ "munmap", WHY_MUNMAP },
	{ "mremap", WHY_MREMAP },
	{ "restart_syscall", WHY_RESTART },
	{ "exit_group", WHY_EXIT },
	{ "futex", WHY_FUTEX },
	{ "exit", WHY_THREXIT },
	{ "rt_sigprocmask", WHY_SIGMASK },
	{ "madvise", WHY_MADVISE },
	{ "openat", WHY_OPENAT },
	{ "renameat", WHY_RENAMEAT },
	{ "fchmod", WHY_FCHMOD },
	{ "fchown", WHY_FCHOWN },
	{ "ftruncate", WHY_FTRUNCATE },
	{ "newfstatat", WHY_FSTATAT },
	{ "readlinkat", WHY_READLINKAT },
	{ "getdents64", WHY_GETDENTS },
};

/*
 * i386 ("i386" itself is a macro there, hence the list_ prefix): glibc built
 * for kernels before 4.3 makes socket calls through socketcall(2), and
 * 64-bit time_t builds use the *_time64 calls; both forms are listed.
 * socketcall is not allowed wholesale: libseccomp turns each socket call
 * named here into a rule on socketcall's call number too (its first
 * argument, in a register), so socket(AF_INET) stays denied either way.
 */
static const struct entry list_i386[] = {
	{ "read", WHY_READ },
	{ "write", WHY_WRITE },
	{ "poll", WHY_POLL },
	{ "recvmmsg", WHY_RECVMMSG },
	{ "recvmmsg_time64", WHY_RECVMMSG " (64-bit time_t)" },
	{ "sendto", WHY_SENDTO },
	{ "send", "sd_notify, which glibc sends as socketcall(SYS_SEND)" },
	{ "setsockopt", WHY_SETSOCKOPT },
	{ "getsockopt", WHY_GETSOCKOPT },
	{ "close", WHY_CLOSE },
	{ "sendmsg", WHY_SENDMSG },
	{ "memfd_create", WHY_MEMFD },
	{ "fcntl64", WHY_FCNTL " (glibc's fcntl is fcntl64)" },
	{ "clock_gettime", WHY_CLOCK },
	{ "clock_gettime64", WHY_CLOCK " (64-bit time_t)" },
	{ "brk", WHY_BRK },
	{ "mmap2", WHY_MMAP },
	{ "munmap", WHY_MUNMAP },
	{ "mremap", WHY_MREMAP },
	{ "restart_syscall", WHY_RESTART },
	{ "exit_group", WHY_EXIT },
	{ "futex", WHY_FUTEX },
	{ "futex_time64", WHY_FUTEX " (64-bit time_t)" },
	{ "exit", WHY_THREXIT },
	{ "rt_sigprocmask", WHY_SIGMASK },
	{ "madvise", WHY_MADVISE },
	{ "openat", WHY_OPENAT },
	{ "renameat", WHY_RENAMEAT },
	{ "fchmod", WHY_FCHMOD },
	{ "fchown32", WHY_FCHOWN " (32-bit ids)" },
	{ "ftruncate64", WHY_FTRUNCATE " (64-bit off_t)" },
	{ "statx", WHY_FSTATAT " (glibc's fstatat on i386)" },
	{ "readlinkat", WHY_READLINKAT },
	{ "getdents64", WHY_GETDENTS },
};

/* aarch64 has no poll(2): glibc's poll() is ppoll(2). */
static const struct entry list_aarch64[] = {
	{ "read", WHY_READ },
	{ "write", WHY_WRITE },
	{ "ppoll", WHY_POLL },
	{ "recvmmsg", WHY_RECVMMSG },
	{ "sendto", WHY_SENDTO },
	{ "setsockopt", WHY_SETSOCKOPT },
	{ "getsockopt", WHY_GETSOCKOPT },
	{ "close", WHY_CLOSE },
	{ "sendmsg", WHY_SENDMSG },
	{ "memfd_create", WHY_MEMFD },
	{ "fcntl", WHY_FCNTL },
	{ "clock_gettime", WHY_CLOCK },
	{ "brk", WHY_BRK },
	{ "mmap", WHY_MMAP },
	{ "munmap", WHY_MUNMAP },
	{ "mremap", WHY_MREMAP },
	{ "restart_syscall", WHY_RESTART },
	{ "exit_group", WHY_EXIT },
	{ "futex", WHY_FUTEX },
	{ "exit", WHY_THREXIT },
	{ "rt_sigprocmask", WHY_SIGMASK },
	{ "madvise", WHY_MADVISE },
	{ "openat", WHY_OPENAT },
	{ "renameat", WHY_RENAMEAT },
	{ "fchmod", WHY_FCHMOD },
	{ "fchown", WHY_FCHOWN },
	{ "ftruncate", WHY_FTRUNCATE },
	{ "newfstatat", WHY_FSTATAT },
	{ "readlinkat", WHY_READLINKAT },
	{ "getdents64", WHY_GETDENTS },
};

/*
 * Denied with ENOSYS rather than the default EPERM: glibc falls back from
 * clone3 to clone only on ENOSYS (moby#42680, beats#28117), so should a
 * library ever start a thread, the denial shows up as clone, the call that
 * really matters, instead of a pthread_create failure with EPERM.
 */
#define ENOSYS_NAME "clone3"
#define ENOSYS_WHY "not allowed, but fails with ENOSYS as on kernels " \
	"without it, so glibc falls back to clone (denied, audited)"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	uint32_t		 arch;
	const struct entry	*list;
	size_t			 n;
} builtins[] = {
	{ SCMP_ARCH_X86_64, list_x86_64, N(list_x86_64) },
	{ SCMP_ARCH_X86, list_i386, N(list_i386) },
	{ SCMP_ARCH_AARCH64, list_aarch64, N(list_aarch64) },
};

static char **
names_of(const struct entry *list, size_t n)
{
	char **names;
	size_t i;

	if ((names = calloc(n, sizeof(*names))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((names[i] = strdup(list[i].name)) == NULL) {
			while (i > 0)
				free(names[--i]);
			free(names);
			return NULL;
		}
	}
	return names;
}

int
policy_builtin(struct policy *p, uint32_t arch)
{
	static const struct entry enosys[] = { { ENOSYS_NAME, ENOSYS_WHY } };
	size_t i;

	memset(p, 0, sizeof(*p));
	p->enabled = 1;
	p->arch = arch;
	p->default_action = POLICY_ERRNO;
	p->default_err = EPERM;
	p->origin = POLICY_NONE;
	for (i = 0; i < N(builtins); i++)
		if (builtins[i].arch == arch)
			break;
	if (i == N(builtins)) {
		errno = ENOENT;
		return -1;
	}
	if ((p->rules = calloc(2, sizeof(*p->rules))) == NULL)
		return -1;
	p->nrules = 2;
	p->rules[0].action = POLICY_ALLOW;
	p->rules[0].names = names_of(builtins[i].list, builtins[i].n);
	p->rules[0].nnames = builtins[i].n;
	strcpy(p->rules[0].path, "built-in allow-list");
	p->rules[1].action = POLICY_ERRNO;
	p->rules[1].err = ENOSYS;
	p->rules[1].names = names_of(enosys, 1);
	p->rules[1].nnames = 1;
	strcpy(p->rules[1].path, "built-in ENOSYS list");
	if (p->rules[0].names == NULL || p->rules[1].names == NULL) {
		policy_free(p);
		errno = ENOMEM;
		return -1;
	}
	p->origin = POLICY_BUILTIN;
	return 0;
}

const char *
policy_builtin_reason(uint32_t arch, const char *name)
{
	size_t i, j;

	for (i = 0; i < N(builtins); i++) {
		if (builtins[i].arch != arch)
			continue;
		if (strcmp(name, ENOSYS_NAME) == 0)
			return ENOSYS_WHY;
		for (j = 0; j < builtins[i].n; j++)
			if (strcmp(builtins[i].list[j].name, name) == 0)
				return builtins[i].list[j].why;
	}
	return NULL;
}

/*
 * Calls only an output or a feature needs: a daemon without it is better
 * off without them (openat and renameat reach any path the identity can).
 */
static const struct {
	const char	*name;
	unsigned	 need;
} only_for[] = {
	{ "openat", POLICY_NEED_FILE | POLICY_NEED_CONTEXT |
	    POLICY_NEED_GAPS },
	{ "renameat", POLICY_NEED_FILE },
	{ "fchmod", POLICY_NEED_FILE },
	{ "fchown", POLICY_NEED_FILE },
	{ "fchown32", POLICY_NEED_FILE },
	{ "ftruncate", POLICY_NEED_FILE },
	{ "ftruncate64", POLICY_NEED_FILE },
	{ "newfstatat", POLICY_NEED_FILE | POLICY_NEED_CONTEXT },
	{ "statx", POLICY_NEED_FILE | POLICY_NEED_CONTEXT },
	{ "readlinkat", POLICY_NEED_CONTEXT },
	{ "getdents64", POLICY_NEED_CONTEXT | POLICY_NEED_GAPS },
	{ "sendmsg", POLICY_NEED_JOURNALD },
	{ "memfd_create", POLICY_NEED_JOURNALD },
	{ "fcntl", POLICY_NEED_JOURNALD },
	{ "fcntl64", POLICY_NEED_JOURNALD },
};

unsigned
policy_builtin_need(const char *name)
{
	size_t i;

	for (i = 0; i < N(only_for); i++)
		if (strcmp(only_for[i].name, name) == 0)
			return only_for[i].need;
	return 0;
}

void
policy_builtin_narrow(struct policy *p, unsigned have)
{
	struct policy_rule *r;
	size_t i, n = 0;
	unsigned need;

	if (p->origin != POLICY_BUILTIN || p->nrules == 0)
		return;
	r = &p->rules[0];	/* the allow-list */
	for (i = 0; i < r->nnames; i++) {
		need = policy_builtin_need(r->names[i]);
		if (need != 0 && (need & have) == 0) {
			free(r->names[i]);
			continue;
		}
		r->names[n++] = r->names[i];
	}
	r->nnames = n;
}
