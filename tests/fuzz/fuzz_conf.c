/*
 * libFuzzer: arbitrary bytes as the configuration file, read by
 * conf_load() from a memfd by its /proc path (conf.c reads files by
 * name).  A configuration it accepts must compile to a filter, and
 * conf_to_text() of it ("policy show") must load again and print the same
 * configuration.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/conf.h"
#include "policy/errlist.h"
#include "policy/policy.h"
#include "tests/fuzz/fuzz.h"

static struct errlist E;

/* Load the size bytes at text into c; the errors' count. */
static size_t
load(struct conf *c, const void *text, size_t size)
{
	char path[64], line[ERRLIST_TEXT_MAX];
	size_t i;

	memset(&E, 0, sizeof(E));
	if (conf_init(c) < 0)
		fuzz_fail("conf_init failed");
	fuzz_memfd(text, size, path, sizeof(path));
	if ((conf_load(c, path, 0, POLICY_ALL_ACTIONS, &E) < 0) !=
	    (errlist_count(&E) > 0))
		fuzz_fail("conf_load's result disagrees with its %zu errors",
		    errlist_count(&E));
	for (i = 0; i < E.n; i++)
		(void)errlist_format(&E.e[i], line, sizeof(line));
	return errlist_count(&E);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c, again;
	scmp_filter_ctx ctx;
	char *text, *text2;

	if (load(&c, data, size) > 0) {
		conf_free(&c);
		return 0;
	}
	if (c.policy.enabled) {
		if ((ctx = policy_compile(&c.policy, &E)) == NULL)
			fuzz_fail("an accepted policy does not compile: %s",
			    E.n > 0 ? E.e[0].msg : "?");
		seccomp_release(ctx);
	}
	if ((text = conf_to_text(&c, 1)) == NULL)
		fuzz_fail("conf_to_text failed");
	if (load(&again, text, strlen(text)) > 0)
		fuzz_fail("conf_to_text's file is refused: %s\n%s",
		    E.e[0].msg, text);
	if ((text2 = conf_to_text(&again, 1)) == NULL)
		fuzz_fail("conf_to_text failed");
	/* The comments above it say where it came from: now a file. */
	if (strcmp(strchr(text, '{'), strchr(text2, '{')) != 0)
		fuzz_fail("conf_to_text changed on reload:\n%s\n%s", text,
		    text2);
	free(text);
	free(text2);
	conf_free(&again);
	conf_free(&c);
	return 0;
}
