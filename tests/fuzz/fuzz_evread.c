/*
 * libFuzzer: arbitrary bytes as an input of seccompmon report, read by
 * evlines (lines across reads, over-long lines, no final newline) and each
 * line through evreader_parse(): JSON events and audit records alike.
 * Every line is accounted for, and every item is well-formed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reporter/evread.h"
#include "tests/fuzz/fuzz.h"

static struct evreader *R;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((R = evreader_new()) == NULL)
		fuzz_fail("set-up: out of memory");
	return 0;
}

/* Lines in the input: each newline ends one, and a non-empty tail too. */
static uint64_t
count_lines(const uint8_t *data, size_t size)
{
	const uint8_t *nl, *p = data, *end = data + size;
	uint64_t n = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}

static void
check_item(const struct evitem *it)
{
	size_t i;

	if (it->kind != EV_VIOLATION && it->kind != EV_SUMMARY &&
	    it->kind != EV_LOST && it->kind != EV_OTHER)
		fuzz_fail("kind %d", (int)it->kind);
	if (it->npids > EVREAD_PIDS_MAX || it->nreasons > EVREAD_REASONS_MAX ||
	    it->noutputs > EVREAD_REASONS_MAX)
		fuzz_fail("%zu pids, %zu reasons, %zu outputs", it->npids,
		    it->nreasons, it->noutputs);
	if (it->kind == EV_VIOLATION && it->count != 1)
		fuzz_fail("a violation counts %llu",
		    (unsigned long long)it->count);
	/* Every string is readable to its NUL. */
	(void)(it->exe ? strlen(it->exe) : 0);
	(void)(it->service ? strlen(it->service) : 0);
	(void)(it->container_id ? strlen(it->container_id) : 0);
	(void)(it->pod_namespace ? strlen(it->pod_namespace) : 0);
	(void)(it->pod_name ? strlen(it->pod_name) : 0);
	(void)(it->arch_name ? strlen(it->arch_name) : 0);
	(void)(it->syscall_name ? strlen(it->syscall_name) : 0);
	(void)(it->action ? strlen(it->action) : 0);
	for (i = 0; i < it->nreasons; i++)
		(void)strlen(it->reasons[i].name);
	for (i = 0; i < it->noutputs; i++)
		(void)strlen(it->outputs[i].name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evlines *l;
	struct evitem it;
	const char *line;
	char err[160], path[64];
	uint64_t n = 0;
	size_t len;
	int rc;

	fuzz_memfd(data, size, path, sizeof(path));
	if ((l = evlines_open(path)) == NULL)
		fuzz_fail("evlines_open %s failed", path);
	while ((rc = evlines_next(l, &line, &len)) != 0) {
		if (rc < 0)
			fuzz_fail("evlines_next: read error");
		n++;
		if (rc == EVLINES_TOO_LONG)
			continue;
		if (len > EVREAD_LINE_MAX)
			fuzz_fail("a line of %zu bytes", len);
		if (evreader_parse(R, line, len, &it, err, sizeof(err)) < 0) {
			if (err[0] == '\0')
				fuzz_fail("malformed without a reason");
			continue;
		}
		check_item(&it);
	}
	if (n != count_lines(data, size) || evlines_lineno(l) != n)
		fuzz_fail("%llu lines read (lineno %llu), %llu in the input",
		    (unsigned long long)n,
		    (unsigned long long)evlines_lineno(l),
		    (unsigned long long)count_lines(data, size));
	evlines_close(l);
	return 0;
}
