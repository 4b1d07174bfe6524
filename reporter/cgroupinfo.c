/*
 * /proc/PID/cgroup text -> systemd unit, container, Kubernetes pod.  One
 * pass over the chosen path's components drives three small matchers.  The
 * outermost container and pod win: names below a container's own cgroup
 * are chosen by whoever runs in it.  The unit is the innermost manager's
 * (a user's, a container's systemd), the name its operator knows it by.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "reporter/cgroupinfo.h"

/* Bytes, not a NUL-terminated string. */
struct span {
	const char	*s;
	size_t		 n;
};

/* One line of the file: "ID:CONTROLLERS:PATH". */
struct cgline {
	struct span	 ctl;
	struct span	 path;
	int		 v2;		/* "0::PATH" */
};

/* Container layouts named <prefix><64 hex><suffix> (docs/events.md). */
static const struct layout {
	const char	*prefix;
	const char	*suffix;
	const char	*runtime;
} layouts[] = {
	{ "docker-", ".scope", "docker" },		/* systemd driver */
	{ "cri-containerd-", ".scope", "containerd" },	/* CRI, systemd */
	{ "nerdctl-", ".scope", "containerd" },		/* nerdctl */
	{ "crio-", ".scope", "cri-o" },			/* systemd */
	{ "crio-", "", "cri-o" },			/* cgroupfs */
	{ "libpod-", ".scope", "podman" },		/* systemd */
	{ "libpod-", "", "podman" },			/* cgroupfs */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
span_is(struct span c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n == n && memcmp(c.s, lit, n) == 0;
}

static int
span_starts(struct span c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s, lit, n) == 0;
}

static int
span_ends(struct span c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s + c.n - n, lit, n) == 0;
}

static int
is_lowhex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int
all_lowhex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_lowhex(s[i]))
			return 0;
	return 1;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
span_copy(char *dst, struct span c)
{
	memcpy(dst, c.s, c.n);
	dst[c.n] = '\0';
}

/*
 * Split one line (without its newline).  The id is decimal without
 * leading zeros; only the v2 line "0::" has no controllers; the path is
 * absolute.  The kernel prints a v2 cgroup that was removed with
 * " (deleted)" after it (proc_cgroup_show()): cut off.  0, or -1.
 */
static int
line_split(const char *s, size_t n, struct cgline *l)
{
	const char *c1, *c2, *end = s + n;
	size_t idlen, i;

	if ((c1 = memchr(s, ':', n)) == NULL)
		return -1;
	idlen = (size_t)(c1 - s);
	if (idlen == 0 || idlen > 10 || (s[0] == '0' && idlen > 1))
		return -1;
	for (i = 0; i < idlen; i++)
		if (!is_digit(s[i]))
			return -1;
	if ((c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1))) == NULL)
		return -1;
	l->ctl.s = c1 + 1;
	l->ctl.n = (size_t)(c2 - c1 - 1);
	l->path.s = c2 + 1;
	l->path.n = (size_t)(end - c2 - 1);
	l->v2 = idlen == 1 && s[0] == '0';
	if (l->v2 != (l->ctl.n == 0))
		return -1;
	if (l->path.n == 0 || l->path.s[0] != '/')
		return -1;
	if (l->v2 && l->path.n > 1 && span_ends(l->path, " (deleted)"))
		l->path.n -= strlen(" (deleted)");
	return 0;
}

/* Preference among the lines: v2, then v1 name=systemd, pids, memory... */
static int
line_rank(const struct cgline *l)
{
	static const char *const order[] = {
		"name=systemd", "pids", "memory", "cpu", "cpuacct",
	};
	struct span c;
	const char *p = l->ctl.s, *end = l->ctl.s + l->ctl.n, *comma;
	int best = (int)N(order) + 1;
	size_t i;

	if (l->v2)
		return 0;
	while (p <= end) {
		comma = memchr(p, ',', (size_t)(end - p));
		c.s = p;
		c.n = (size_t)((comma != NULL ? comma : end) - p);
		for (i = 0; i < N(order); i++)
			if (span_is(c, order[i]) && (int)i + 1 < best)
				best = (int)i + 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return best;
}

/*
 * A systemd unit name (unit_name_is_valid()): 1 a slice, 2 a unit that
 * holds processes (service, scope, socket, mount, swap), 0 neither.  At
 * most one '@', with a template name before it and an instance after.
 */
static int
unit_kind(struct span c)
{
	static const char *const types[] = {
		"service", "scope", "socket", "mount", "swap",
	};
	struct span type;
	size_t i, dot = 0, at = 0, nat = 0;
	char ch;

	if (c.n == 0 || c.n > 255)
		return 0;
	for (i = c.n; i > 0; i--)
		if (c.s[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	if (dot == 0)
		return 0;
	for (i = 0; i < dot; i++) {
		ch = c.s[i];
		if (ch == '@') {
			at = i;
			nat++;
		} else if (!((ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || is_digit(ch) || ch == ':' ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '\\'))
			return 0;
	}
	if (nat > 1 || (nat == 1 && (at == 0 || at + 1 == dot)))
		return 0;
	type.s = c.s + dot + 1;
	type.n = c.n - dot - 1;
	if (span_is(type, "slice"))
		return nat == 0 ? 1 : 0;
	for (i = 0; i < N(types); i++)
		if (span_is(type, types[i]))
			return 2;
	return 0;
}

/* user@UID.service: a user's service manager, with units of its own. */
static int
is_user_manager(struct span c)
{
	size_t i, n;

	if (!span_starts(c, "user@") || !span_ends(c, ".service"))
		return 0;
	n = c.n - strlen("user@") - strlen(".service");
	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_digit(c.s[strlen("user@") + i]))
			return 0;
	return 1;
}

/*
 * A pod UID as kubelet names its cgroup: a UUID, 8-4-4-4-12 lowercase hex
 * with sep between the groups ('_' in a systemd slice name, where '-' is
 * the hierarchy separator), or a static pod's 32 hex (an md5 of its
 * manifest, kubelet's applyDefaults()).  Copied with dashes into out.
 */
static int
pod_uid_copy(struct span u, char sep, char out[37])
{
	size_t i;

	if (u.n == 32 && all_lowhex(u.s, 32)) {
		span_copy(out, u);
		return 1;
	}
	if (u.n != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? u.s[i] != sep :
		    !is_lowhex(u.s[i]))
			return 0;
	span_copy(out, u);
	if (sep != '-')
		for (i = 8; i < 24; i += 5)
			out[i] = '-';
	return 1;
}

/*
 * A pod's cgroup: "pod<uid>" below a "kubepods" component (cgroupfs
 * driver), or a slice "<...>-pod<uid with _>.slice" whose name has
 * "kubepods" as one of its dash-separated words (systemd driver:
 * kubepods-burstable-pod<uid>.slice, kubepods-pod<uid>.slice for the
 * guaranteed class, kubelet-kubepods-... with a --cgroup-root).
 */
static int
pod_match(struct span c, int below_kubepods, char out[37])
{
	struct span body, word, u;
	size_t i, dash, start;

	if (below_kubepods && span_starts(c, "pod")) {
		u.s = c.s + 3;
		u.n = c.n - 3;
		if (pod_uid_copy(u, '-', out))
			return 1;
	}
	if (!span_ends(c, ".slice"))
		return 0;
	body.s = c.s;
	body.n = c.n - strlen(".slice");
	for (dash = body.n; dash > 0 && body.s[dash - 1] != '-'; dash--)
		;
	if (dash == 0)
		return 0;
	u.s = body.s + dash;
	u.n = body.n - dash;
	if (!span_starts(u, "pod"))
		return 0;
	u.s += 3;
	u.n -= 3;
	/* "kubepods" among the words before the last '-'. */
	for (start = 0, i = 0; i < dash; i++) {
		if (body.s[i] != '-')
			continue;
		word.s = body.s + start;
		word.n = i - start;
		if (span_is(word, "kubepods"))
			return pod_uid_copy(u, '_', out);
		start = i + 1;
	}
	return 0;
}

/*
 * A container's cgroup: one of the layouts, or a bare 64 hex id below
 * "docker" (docker's cgroupfs driver), below a pod's cgroup (the CRI with
 * the cgroupfs driver: containerd and cri-dockerd both name it so, hence
 * no runtime), or directly below containerd's namespaces "default" (ctr,
 * nerdctl) and "k8s.io" (CRI).  depth is c's index among the components.
 */
static int
container_match(struct span c, struct span parent, size_t depth,
    int below_pod, struct cgroup_info *ci)
{
	const struct layout *l;
	size_t i, pn, sn;

	for (i = 0; i < N(layouts); i++) {
		l = &layouts[i];
		pn = strlen(l->prefix);
		sn = strlen(l->suffix);
		if (c.n != pn + CGROUP_ID_MAX + sn ||
		    !span_starts(c, l->prefix) || !span_ends(c, l->suffix) ||
		    !all_lowhex(c.s + pn, CGROUP_ID_MAX))
			continue;
		memcpy(ci->container_id, c.s + pn, CGROUP_ID_MAX);
		ci->container_id[CGROUP_ID_MAX] = '\0';
		ci->runtime = l->runtime;
		return 1;
	}
	if (c.n != CGROUP_ID_MAX || !all_lowhex(c.s, c.n) || depth == 0)
		return 0;
	if (span_is(parent, "docker"))
		ci->runtime = "docker";
	else if (below_pod)
		ci->runtime = NULL;
	else if (depth == 1 && (span_is(parent, "default") ||
	    span_is(parent, "k8s.io")))
		ci->runtime = "containerd";
	else
		return 0;
	span_copy(ci->container_id, c);
	return 1;
}

/*
 * The top of a service manager's own tree: what a system manager makes
 * below its root, whatever that root is named.  Met below a unit or a
 * group that is none, it is a container's systemd (nspawn's "payload",
 * docker's scope, an LXC group) whose units are the innermost.
 */
static int
is_manager_top(struct span c)
{
	return span_is(c, "init.scope") || span_is(c, "system.slice") ||
	    span_is(c, "user.slice") || span_is(c, "machine.slice");
}

/* Where the systemd unit matcher stands. */
enum unit_state {
	UNIT_SLICES,		/* skipping slices to the system's unit */
	UNIT_INNER,		/* below another manager's root: to its unit */
	UNIT_DONE,
};

/*
 * Fill ci from one absolute path: 0, or -1 for a path that names nothing
 * ("/", or an empty, "." or ".." component).
 */
static int
path_classify(struct span path, struct cgroup_info *ci)
{
	enum unit_state us = UNIT_SLICES;
	struct span c, parent = { "", 0 }, name;
	const char *p = path.s + 1, *end = path.s + path.n, *slash;
	int below_kubepods = 0, have_container = 0, have_pod = 0, kind;
	size_t depth;

	memset(ci, 0, sizeof(*ci));
	if (path.n <= 1)
		return -1;
	for (depth = 0; p <= end; depth++) {
		slash = memchr(p, '/', (size_t)(end - p));
		c.s = p;
		c.n = (size_t)((slash != NULL ? slash : end) - p);
		if (c.n == 0 || span_is(c, ".") || span_is(c, ".."))
			goto bad;
		/* systemd escapes a clashing name: '_' (cg_escape). */
		name = c;
		if (name.s[0] == '_') {
			name.s++;
			name.n--;
		}
		if (us == UNIT_DONE && is_manager_top(name))
			us = UNIT_INNER;
		if (us != UNIT_DONE) {
			kind = unit_kind(name);
			if (kind == 0)
				us = UNIT_DONE;
			else if (kind == 2) {
				/* An inner manager: the unit it is in. */
				if (us == UNIT_SLICES ||
				    !span_is(name, "init.scope"))
					span_copy(ci->service, name);
				us = is_user_manager(name) ? UNIT_INNER :
				    UNIT_DONE;
			}
		}
		if (!have_container)
			have_container = container_match(c, parent, depth,
			    have_pod, ci);
		if (!have_pod)
			have_pod = pod_match(c, below_kubepods, ci->pod_uid);
		if (span_is(c, "kubepods"))
			below_kubepods = 1;
		parent = c;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	if (path.n < sizeof(ci->path))
		span_copy(ci->path, path);
	return 0;
bad:
	memset(ci, 0, sizeof(*ci));
	return -1;
}

void
cgroup_info_parse(const char *text, size_t len, struct cgroup_info *ci)
{
	struct cgroup_info cur;
	struct cgline l;
	const char *p, *end, *nl;
	int rank, named, best_rank = INT_MAX, best_named = 0;

	memset(ci, 0, sizeof(*ci));
	if (text == NULL || len == 0 || memchr(text, '\0', len) != NULL)
		return;
	end = text + len;
	/* All or nothing: the kernel writes no line that fails to split. */
	for (p = text; p < end && (nl = memchr(p, '\n', (size_t)(end - p)));
	    p = nl + 1)
		if (line_split(p, (size_t)(nl - p), &l) < 0)
			return;
	for (p = text; p < end && (nl = memchr(p, '\n', (size_t)(end - p)));
	    p = nl + 1) {
		(void)line_split(p, (size_t)(nl - p), &l);
		if (path_classify(l.path, &cur) < 0)
			continue;
		rank = line_rank(&l);
		named = cur.container_id[0] != '\0' || cur.pod_uid[0] != '\0';
		if (named > best_named ||
		    (named == best_named && rank < best_rank)) {
			*ci = cur;
			best_rank = rank;
			best_named = named;
		}
	}
}
