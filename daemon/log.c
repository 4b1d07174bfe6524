/*
 * stderr logging.  The message is formatted and escaped into one buffer and
 * written with a single write(2), so lines from a later writer thread cannot
 * interleave mid-line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"

#define LINE_MAX_BYTES 8192	/* a stats line with many outputs */

static int log_level = LOG_INFO;
static int log_tty;

void
log_init(int level)
{
	log_level = level;
	log_tty = isatty(STDERR_FILENO);
}

static void
vlog(int prio, int err, const char *fmt, va_list ap)
{
	static const char hx[] = "0123456789abcdef";
	char msg[LINE_MAX_BYTES], line[LINE_MAX_BYTES * 4 + 64];
	size_t n = 0, i, mlen;
	int m;
	unsigned char c;

	if (prio > log_level)
		return;
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	mlen = m < 0 ? 0 : (size_t)m >= sizeof(msg) ? sizeof(msg) - 1 : (size_t)m;
	if (err != 0) {
		errno = err;
		m = snprintf(msg + mlen, sizeof(msg) - mlen, ": %m");
		if (m > 0)
			mlen += (size_t)m < sizeof(msg) - mlen ? (size_t)m :
			    sizeof(msg) - mlen - 1;
	}
	if (log_tty)
		n = (size_t)snprintf(line, sizeof(line), "seccompmon: ");
	else
		n = (size_t)snprintf(line, sizeof(line), "<%d>", prio);
	for (i = 0; i < mlen; i++) {
		c = (unsigned char)msg[i];
		/* A backslash too, so that "\x0a" in record text cannot pass
		 * for an escaped newline. */
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			line[n++] = (char)c;
		} else {
			line[n++] = '\\';
			line[n++] = 'x';
			line[n++] = hx[c >> 4];
			line[n++] = hx[c & 0xf];
		}
	}
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(prio, 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_errno(int prio, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(prio, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(LOG_ERR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

int64_t
ratelimit_allow(struct ratelimit *rl, int64_t now_ms)
{
	int64_t suppressed;

	if (rl->used == 0 || now_ms - rl->window_start >= RATELIMIT_WINDOW_MS) {
		rl->window_start = now_ms;
		rl->used = 0;
	}
	if (rl->used >= RATELIMIT_BURST) {
		rl->suppressed++;
		return -1;
	}
	rl->used++;
	suppressed = (int64_t)rl->suppressed;
	rl->suppressed = 0;
	return suppressed;
}

int64_t
log_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
