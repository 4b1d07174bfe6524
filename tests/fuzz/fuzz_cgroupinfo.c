/*
 * libFuzzer: arbitrary bytes as the text of /proc/PID/cgroup, through
 * cgroup_info_parse().  Every field must be a NUL-terminated string of its
 * kind (64 hex, a UUID, a path from the input) whatever the bytes, and the
 * same input must give the same answer: the parser keeps no state.
 */
#include "config.h"

#include <string.h>

#include "reporter/cgroupinfo.h"
#include "tests/fuzz/fuzz.h"

static const char *const runtimes[] = {
	"docker", "containerd", "cri-o", "podman",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static size_t
field_len(const char *f, size_t size, const char *name)
{
	const char *nul = memchr(f, '\0', size);

	if (nul == NULL)
		fuzz_fail("%s is not NUL-terminated", name);
	return (size_t)(nul - f);
}

static int
all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

static int
is_uid(const char *s, size_t n)
{
	size_t i;

	if (n == 32)
		return all_hex(s, n);
	if (n != 36)
		return 0;
	for (i = 0; i < n; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' :
		    !all_hex(s + i, 1))
			return 0;
	return 1;
}

static void
check(const struct cgroup_info *ci, const char *text, size_t len)
{
	size_t sl, il, pl, ul, i;
	int known = 0;

	sl = field_len(ci->service, sizeof(ci->service), "service");
	il = field_len(ci->container_id, sizeof(ci->container_id),
	    "container_id");
	ul = field_len(ci->pod_uid, sizeof(ci->pod_uid), "pod_uid");
	pl = field_len(ci->path, sizeof(ci->path), "path");
	if (il != 0 && (il != CGROUP_ID_MAX || !all_hex(ci->container_id, il)))
		fuzz_fail("container id \"%s\"", ci->container_id);
	if (ci->runtime != NULL) {
		for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++)
			known |= ci->runtime == runtimes[i] ||
			    strcmp(ci->runtime, runtimes[i]) == 0;
		if (!known || il == 0)
			fuzz_fail("runtime \"%s\" with container id \"%s\"",
			    ci->runtime, ci->container_id);
	}
	if (ul != 0 && !is_uid(ci->pod_uid, ul))
		fuzz_fail("pod uid \"%s\"", ci->pod_uid);
	if (sl != 0 && (memchr(ci->service, '/', sl) != NULL ||
	    memmem(text, len, ci->service, sl) == NULL))
		fuzz_fail("service \"%s\" is not a name from the input",
		    ci->service);
	if (il != 0 && memmem(text, len, ci->container_id, il) == NULL)
		fuzz_fail("container id \"%s\" not in the input",
		    ci->container_id);
	if (pl == 0)
		return;
	if (ci->path[0] != '/' || memmem(text, len, ci->path, pl) == NULL)
		fuzz_fail("path \"%s\" is not one from the input", ci->path);
	/* What was found came from that path. */
	if ((sl != 0 && memmem(ci->path, pl, ci->service, sl) == NULL) ||
	    (il != 0 && memmem(ci->path, pl, ci->container_id, il) == NULL))
		fuzz_fail("service \"%s\" or container \"%s\" not in path "
		    "\"%s\"", ci->service, ci->container_id, ci->path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cgroup_info a, b;
	const char *text = (const char *)data;

	cgroup_info_parse(text, size, &a);
	check(&a, text, size);
	memset(&b, 0xa5, sizeof(b));
	cgroup_info_parse(text, size, &b);
	/* Field by field: padding is not part of the answer. */
	if (strcmp(a.service, b.service) != 0 ||
	    strcmp(a.container_id, b.container_id) != 0 ||
	    a.runtime != b.runtime || strcmp(a.pod_uid, b.pod_uid) != 0 ||
	    strcmp(a.path, b.path) != 0)
		fuzz_fail("two parses of the same input differ");
	return 0;
}
