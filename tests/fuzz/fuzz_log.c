/*
 * libFuzzer: daemon/log.c, whose escaping is all that stands between
 * record text quoted in a warning and the journal reading stderr.  The
 * input is the message (as "%.*s", the way the daemon quotes records),
 * its first byte the priority; stderr is a memfd for the call.  What
 * arrives must be one line: "<N>", the message up to its first NUL and at
 * most LOG_LINE_MAX - 1 bytes, each byte outside printable ASCII as \xNN,
 * and "\n"; nothing else.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon/log.h"
#include "tests/fuzz/fuzz.h"

#define LINE_MSG_MAX (8192 - 1)		/* daemon/log.c LINE_MAX_BYTES - 1 */

static int Memfd = -1;
static char *Got, *Want;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((Memfd = memfd_create("fuzz-stderr", MFD_CLOEXEC)) < 0 ||
	    (Got = malloc(65536)) == NULL || (Want = malloc(65536)) == NULL)
		fuzz_fail("set-up: %s", strerror(errno));
	return 0;
}

/* What the daemon must write for the n bytes at m, at prio. */
static size_t
expect(int prio, const char *m, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i, o;
	unsigned char c;

	o = (size_t)sprintf(out, "<%d>", prio);
	for (i = 0; i < n; i++) {
		c = (unsigned char)m[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hx[c >> 4];
			out[o++] = hx[c & 0xf];
		}
	}
	out[o++] = '\n';
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *m = (const char *)data + 1;
	size_t n, want, i;
	ssize_t got;
	int saved, prio;

	if (size < 1 || size - 1 > 16384)
		return 0;
	prio = data[0] & 7;
	n = strnlen(m, size - 1);
	if (n > LINE_MSG_MAX)
		n = LINE_MSG_MAX;
	want = expect(prio, m, n, Want);

	if (ftruncate(Memfd, 0) < 0 || lseek(Memfd, 0, SEEK_SET) < 0 ||
	    (saved = dup(STDERR_FILENO)) < 0 ||
	    dup2(Memfd, STDERR_FILENO) < 0)
		fuzz_fail("redirecting stderr: %s", strerror(errno));
	log_init(LOG_DEBUG);	/* not a terminal: "<N>" prefixes */
	log_msg(prio, "%.*s", (int)(size - 1), m);
	if (dup2(saved, STDERR_FILENO) < 0)
		abort();
	close(saved);

	if ((got = pread(Memfd, Got, 65536, 0)) < 0)
		fuzz_fail("pread: %s", strerror(errno));
	for (i = 0; i + 1 < (size_t)got; i++)
		if ((unsigned char)Got[i] < 0x20 ||
		    (unsigned char)Got[i] > 0x7e)
			fuzz_fail("byte 0x%02x at %zu on stderr",
			    (unsigned char)Got[i], i);
	if ((size_t)got != want || memcmp(Got, Want, want) != 0)
		fuzz_fail("stderr got %zd bytes, %zu expected: %.*s", got,
		    want, (int)(got > 200 ? 200 : got), Got);
	return 0;
}
