/*
 * codec FILE [ROUNDS]: the replay's per-record cost without I/O or threads:
 * each line of FILE (read into memory first) through logline_parse(),
 * violation_decode() and event_encode(), ROUNDS times, and ns per line.
 * Without ROUNDS: once, with an FNV-1a hash of the output, so a change to
 * the code shows at once whether it changed a byte.  CODEC_CONTEXT=1 adds
 * the live process context (daemon/context.c) as if every record were
 * this process's, made as the run starts: the cost of a cache hit, its user
 * names and the fields it adds.  Under valgrind
 * --tool=callgrind it counts instructions, which a busy machine does not
 * change.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>

#include "daemon/conf.h"
#include "daemon/context.h"
#include "reporter/event.h"
#include "reporter/logline.h"
#include "reporter/obuf.h"
#include "reporter/systab.h"
#include "reporter/violation.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
fnv(uint64_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int
main(int argc, char **argv)
{
	struct event_ctx ctx = { "bench", 5, 0, 0 }, nctx;
	struct violation *v = NULL;
	struct logline ll;
	struct obuf b;
	struct stat st;
	uint64_t h = 0xcbf29ce484222325ull, lines = 0, events = 0, bytes = 0;
	char *data = NULL, *p, *e, *nl;
	double t0, t1;
	ssize_t n;
	size_t got = 0;
	long rounds = 1, r;
	int fd, hash = argc == 2;
	struct context *cx = NULL;
	struct conf conf;
	struct timespec ago;
	uint32_t present;
	int32_t self = (int32_t)getpid();

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: codec FILE [ROUNDS]\n");
		return 2;
	}
	if (argc == 3)
		rounds = strtol(argv[2], NULL, 10);
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) < 0 ||
	    (data = malloc((size_t)st.st_size + 1)) == NULL ||
	    (v = malloc(sizeof(*v))) == NULL || systab_init() < 0) {
		perror(argv[1]);
		return 1;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, data + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	obuf_init(&b);
	if (getenv("CODEC_CONTEXT") != NULL &&
	    strcmp(getenv("CODEC_CONTEXT"), "1") == 0) {
		if (conf_init(&conf) < 0 || (cx = context_new(&conf)) == NULL) {
			perror("context");
			return 1;
		}
		/* After this process started, before its first look-up. */
		usleep(100 * 1000);
		clock_gettime(CLOCK_REALTIME, &ago);
	}

	t0 = now();
	for (r = 0; r < rounds; r++) {
		for (p = data, e = data + got; p < e; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
				nl = e;
			lines++;
			if (logline_parse(p, (size_t)(nl - p), &ll) < 0 ||
			    ll.type != AUDIT_SECCOMP ||
			    violation_decode(ll.text, ll.text_len, v) !=
			    VIOLATION_OK)
				continue;
			nctx = ctx;
			if (ll.node != NULL) {
				nctx.host = ll.node;
				nctx.host_len = ll.node_len;
				nctx.flags |= EVENT_HOST_NODE;
			}
			if (cx != NULL) {
				v->pid = self;
				v->time_sec = (uint64_t)ago.tv_sec;
				v->time_msec = (uint32_t)(ago.tv_nsec / 1000000);
				/* Its exe is not ours: not an execve. */
				present = v->present;
				v->present &= ~VF_BIT(VF_EXE);
				nctx.proc = context_of(cx, v);
				v->present = present;
			}
			if (event_encode(&b, v, ll.text, ll.text_len,
			    &nctx) < 0) {
				perror("event_encode");
				return 1;
			}
			events++;
			if (b.len >= 256 * 1024) {
				if (hash)
					h = fnv(h, b.data, b.len);
				bytes += b.len;
				obuf_reset(&b);
			}
		}
	}
	if (hash)
		h = fnv(h, b.data, b.len);
	bytes += b.len;
	t1 = now();
	printf("%" PRIu64 " lines, %" PRIu64 " events, %" PRIu64 " bytes: "
	    "%.0f ns/line, %.0f lines/s", lines, events, bytes,
	    (t1 - t0) * 1e9 / (double)lines, (double)lines / (t1 - t0));
	if (hash)
		printf("; output hash %016" PRIx64, h);
	putchar('\n');
	obuf_free(&b);
	if (cx != NULL) {
		context_free(cx);
		conf_free(&conf);
	}
	free(v);
	free(data);
	systab_free();
	return 0;
}
