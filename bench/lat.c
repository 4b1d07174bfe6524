/*
 * lat FILE MATCH N [TIMEOUT_S]: event latency, record time to output.
 * Follows FILE as it grows (polled every millisecond: no inotify event
 * is needed to see an append, and the error stays under 1 ms); each new
 * line holding MATCH is stamped with CLOCK_REALTIME and its record's time
 * (seccompmon's "@timestamp", auditd's "audit(SEC.MSEC:", Laurel's "ID")
 * subtracted.  Stops after N lines or TIMEOUT_S (default 60); prints
 * n, p50, p99 and max in milliseconds.
 */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The record's time in ms since the epoch, or -1. */
static double
record_ms(const char *line)
{
	const char *p;
	struct tm tm;
	char *end;

	if ((p = strstr(line, "\"@timestamp\":\"")) != NULL) {
		memset(&tm, 0, sizeof(tm));
		p += 14;
		if ((end = strptime(p, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
		    *end != '.')
			return -1;
		return (double)timegm(&tm) * 1e3 + strtod(end, NULL) * 1e3;
	}
	if ((p = strstr(line, "audit(")) != NULL)
		return strtod(p + 6, NULL) * 1e3;
	if ((p = strstr(line, "\"ID\":\"")) != NULL)
		return strtod(p + 6, NULL) * 1e3;
	return -1;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	size_t have = 0, got = 0, want;
	double *lat, deadline;
	char *nl, *line;
	ssize_t n;
	int fd;

	if (argc < 4 || (want = strtoul(argv[3], NULL, 10)) == 0) {
		fprintf(stderr, "usage: lat FILE MATCH N [TIMEOUT_S]\n");
		return 2;
	}
	deadline = now_ms() + 1e3 * (argc > 4 ? atof(argv[4]) : 60);
	if ((lat = calloc(want, sizeof(*lat))) == NULL)
		return 1;
	while ((fd = open(argv[1], O_RDONLY)) < 0 && now_ms() < deadline)
		(void)poll(NULL, 0, 1);
	fprintf(stderr, "lat: following %s\n", argv[1]);
	while (got < want && now_ms() < deadline) {
		if (fd < 0 || (n = read(fd, buf + have, sizeof(buf) - 1 -
		    have)) <= 0) {
			(void)poll(NULL, 0, 1);
			continue;
		}
		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		while (got < want && (nl = strchr(line, '\n')) != NULL) {
			double t = now_ms(), r;

			*nl = '\0';
			if (strstr(line, argv[2]) != NULL &&
			    (r = record_ms(line)) > 0)
				lat[got++] = t - r;
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line longer than the buffer */
	}
	if (got == 0) {
		printf("n=0\n");
		return 1;
	}
	qsort(lat, got, sizeof(*lat), cmp);
	printf("n=%zu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", got,
	    lat[got / 2], lat[(got * 99) / 100 < got ? (got * 99) / 100 :
	    got - 1], lat[got - 1]);
	return got == want ? 0 : 1;
}
