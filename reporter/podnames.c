/*
 * Pod names from kubelet's pod log directories.  The table is a sorted
 * array rebuilt whole by each scan, so a look-up is a binary search and a
 * pod that went away goes with the next scan; a UID's namespace and name
 * never change, so a UID found once is never a reason to read again.
 * Names are checked as Kubernetes validates them before they are kept.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reporter/podnames.h"

#define NS_MAX 63		/* a namespace is a DNS-1123 label */
#define NAME_MAX_POD 253	/* a pod name is a DNS-1123 subdomain */
#define UID_MAX 36

struct pod {
	char	uid[UID_MAX + 1];
	char	ns[NS_MAX + 1];
	char	name[NAME_MAX_POD + 1];
};

struct podnames {
	char		*dir;
	struct pod	*tab;	/* max entries; n sorted by uid */
	size_t		 max;
	size_t		 n;
	int64_t		 last_scan;
	int		 scanned;
};

struct podnames *
podnames_new(const char *dir, size_t max_pods)
{
	struct podnames *p;

	if (dir == NULL || max_pods == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (max_pods > SIZE_MAX / sizeof(struct pod)) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->dir = strdup(dir)) == NULL ||
	    (p->tab = calloc(max_pods, sizeof(*p->tab))) == NULL) {
		podnames_free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->max = max_pods;
	return p;
}

void
podnames_free(struct podnames *p)
{
	if (p == NULL)
		return;
	free(p->dir);
	free(p->tab);
	free(p);
}

static int
is_lowhex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int
is_lowalnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A UUID in lowercase (8-4-4-4-12), or a static pod's 32 hex. */
static int
uid_ok(const char *s, size_t n)
{
	size_t i;

	if (n != 32 && n != 36)
		return 0;
	for (i = 0; i < n; i++)
		if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23) ?
		    s[i] != '-' : !is_lowhex(s[i]))
			return 0;
	return 1;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?, 1 to max bytes (IsDNS1123Label()). */
static int
label_ok(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n > max || !is_lowalnum(s[0]) ||
	    !is_lowalnum(s[n - 1]))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!is_lowalnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* Labels joined by '.', 1 to 253 bytes (IsDNS1123Subdomain()). */
static int
subdomain_ok(const char *s, size_t n)
{
	const char *dot, *end = s + n;

	if (n == 0 || n > NAME_MAX_POD)
		return 0;
	for (;;) {
		dot = memchr(s, '.', (size_t)(end - s));
		if (!label_ok(s, (size_t)((dot != NULL ? dot : end) - s),
		    NAME_MAX_POD))
			return 0;
		if (dot == NULL)
			return 1;
		s = dot + 1;
	}
}

/*
 * "<namespace>_<name>_<uid>": none of the three can hold '_'.  Kubelet
 * before 1.14 named the directory by the UID alone: no names, skipped.
 */
static int
entry_parse(const char *d, struct pod *out)
{
	const char *u1, *u2, *uid;
	size_t nsn, nn, un;

	if ((u1 = strchr(d, '_')) == NULL ||
	    (u2 = strchr(u1 + 1, '_')) == NULL || strchr(u2 + 1, '_') != NULL)
		return 0;
	nsn = (size_t)(u1 - d);
	nn = (size_t)(u2 - u1 - 1);
	uid = u2 + 1;
	un = strlen(uid);
	if (!label_ok(d, nsn, NS_MAX) || !subdomain_ok(u1 + 1, nn) ||
	    !uid_ok(uid, un))
		return 0;
	memcpy(out->ns, d, nsn);
	out->ns[nsn] = '\0';
	memcpy(out->name, u1 + 1, nn);
	out->name[nn] = '\0';
	memcpy(out->uid, uid, un);
	out->uid[un] = '\0';
	return 1;
}

/* By uid, then namespace and name: the same table whatever readdir's order. */
static int
pod_cmp(const void *a, const void *b)
{
	const struct pod *x = a, *y = b;
	int c;

	if ((c = strcmp(x->uid, y->uid)) != 0)
		return c;
	if ((c = strcmp(x->ns, y->ns)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/*
 * Rebuild the table from the directory.  Opened afresh each time, so a
 * directory made or replaced after start is read.  Pods beyond max: the
 * last slot is given to want when it shows up.  -1 when the directory
 * cannot be opened: the table stays.
 */
static int
scan(struct podnames *p, const char *want)
{
	struct dirent *de;
	struct pod tmp;
	DIR *d;
	size_t n = 0;

	if ((d = opendir(p->dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!entry_parse(de->d_name, &tmp))
			continue;
		if (n < p->max)
			p->tab[n++] = tmp;
		else if (strcmp(tmp.uid, want) == 0)
			p->tab[p->max - 1] = tmp;
	}
	closedir(d);
	qsort(p->tab, n, sizeof(*p->tab), pod_cmp);
	p->n = n;
	return 0;
}

static const struct pod *
find(const struct podnames *p, const char *uid)
{
	size_t lo = 0, hi = p->n, mid;

	/* The first entry with this uid: the order pod_cmp gives. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(p->tab[mid].uid, uid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && strcmp(p->tab[lo].uid, uid) == 0)
		return &p->tab[lo];
	return NULL;
}

int
podnames_lookup(struct podnames *p, const char *uid, int64_t now_ms,
    int64_t min_rescan_ms, const char **ns, const char **name)
{
	const struct pod *e;

	if (p == NULL || uid == NULL || !uid_ok(uid, strnlen(uid, 37)))
		return 0;
	if ((e = find(p, uid)) == NULL) {
		if (p->scanned && now_ms - p->last_scan < min_rescan_ms)
			return 0;
		p->scanned = 1;
		p->last_scan = now_ms;
		if (scan(p, uid) < 0 || (e = find(p, uid)) == NULL)
			return 0;
	}
	*ns = e->ns;
	*name = e->name;
	return 1;
}
