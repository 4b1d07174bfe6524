/*
 * libFuzzer: arbitrary bytes as a --replay input file, read by the replay
 * reader (lines across 64 KiB reads, over-long lines, no final newline),
 * each line through logline_parse(), each SECCOMP record decoded and
 * encoded with its node= name as host.name, as the daemon does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>

#include "daemon/log.h"
#include "daemon/replay.h"
#include "reporter/event.h"
#include "reporter/logline.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

static struct violation *V;
static struct obuf B;

struct seen {
	uint64_t	 records;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Warnings about bad lines would flood the fuzzer's output. */
	log_init(LOG_ERR);
	if (systab_init() < 0 || (V = malloc(sizeof(*V))) == NULL)
		fuzz_fail("set-up: out of memory");
	obuf_init(&B);
	return 0;
}

/* The replay's record callback, checked: what pipeline_record() does. */
static void
record(void *arg, uint16_t type, const char *text, size_t len,
    const char *node, size_t node_len)
{
	struct seen *s = arg;
	struct event_ctx ctx = { node, node_len, 0, 0, NULL };

	s->records++;
	if (len > REPLAY_LINE_MAX || (node == NULL && node_len != 0))
		fuzz_fail("record of %zu bytes, node of %zu", len, node_len);
	if (type != AUDIT_SECCOMP ||
	    violation_decode(text, len, V) != VIOLATION_OK)
		return;
	obuf_reset(&B);
	if (event_encode(&B, V, text, len, &ctx) < 0)
		fuzz_fail("event_encode: out of memory");
	fuzz_check_line(B.data, B.len);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	struct replay r;
	char path[64];
	uint64_t lines;
	int rc;

	fuzz_memfd(data, size, path, sizeof(path));
	if (replay_open(&r, path, record, &s) < 0)
		fuzz_fail("replay_open %s failed", path);
	while ((rc = replay_step(&r)) == 0)
		;
	if (rc != 1)
		fuzz_fail("replay_step: %d", rc);
	lines = count_lines(data, size);
	if (r.c.lines != lines || s.records + r.c.not_audit +
	    r.c.too_long > lines)
		fuzz_fail("%llu lines read, %llu in the input; %llu records, "
		    "%llu not audit, %llu too long",
		    (unsigned long long)r.c.lines, (unsigned long long)lines,
		    (unsigned long long)s.records,
		    (unsigned long long)r.c.not_audit,
		    (unsigned long long)r.c.too_long);
	replay_close(&r);
	return 0;
}
