/*
 * libFuzzer: arbitrary bytes as the text of a SECCOMP record, through
 * violation_decode() and event_encode() as the pipeline calls them.  Every
 * record that decodes must become exactly one valid JSON line, with and
 * without event.original, whatever bytes it holds.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

static struct violation *V;
static struct obuf B;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (systab_init() < 0 || (V = malloc(sizeof(*V))) == NULL)
		fuzz_fail("set-up: out of memory");
	obuf_init(&B);
	return 0;
}

/* One encoding of v into a fresh buffer, checked. */
static void
encode(const char *text, size_t len, const struct event_ctx *ctx)
{
	int rc;

	obuf_reset(&B);
	rc = event_encode(&B, V, text, len, ctx);
	if (rc < 0)
		fuzz_fail("event_encode: out of memory");
	if (rc == 0 && (V->invalid != 0 ||
	    (V->present & VF_REQUIRED) != VF_REQUIRED))
		fuzz_fail("an intact event from a damaged record: present "
		    "0x%x, invalid 0x%x", V->present, V->invalid);
	fuzz_check_line(B.data, B.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A host name that needs escaping; pid 1 is "seccompmon itself". */
	static const char host[] = "h\"o\\st\x01\xff";
	struct event_ctx ctx = { host, sizeof(host) - 1, 0, 1, NULL };
	const char *text = (const char *)data;

	if (violation_decode(text, size, V) != VIOLATION_OK)
		return 0;
	if (V->arena_used > sizeof(V->arena))
		fuzz_fail("arena overrun: %u bytes used", V->arena_used);
	encode(text, size, &ctx);
	ctx.flags = EVENT_ORIGINAL;
	ctx.host = NULL;
	ctx.host_len = 0;
	encode(text, size, &ctx);
	return 0;
}
