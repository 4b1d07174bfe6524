/*
 * Diagnostics on stderr, one write(2) per line, with a "<N>" syslog priority
 * prefix when stderr is not a terminal (journald and systemd read it).  Every
 * byte outside printable ASCII is escaped, so record text quoted in a message
 * cannot start a new log line.
 */
#ifndef SECCOMPMON_LOG_H
#define SECCOMPMON_LOG_H

#include <stdint.h>
#include <syslog.h>

void log_init(int level);

void log_msg(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same, with ": " and strerror(errno) appended. */
void log_errno(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_warn(...) log_errno(LOG_WARNING, __VA_ARGS__)

/* Log at LOG_ERR and exit(1).  Only before serving: see main.c. */
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * A token bucket for warnings on the event path: RATELIMIT_BURST messages per
 * RATELIMIT_WINDOW_MS.  ratelimit_allow() returns -1 to suppress this
 * message, or the number suppressed since the last one allowed (to report).
 */
#define RATELIMIT_BURST 5
#define RATELIMIT_WINDOW_MS 10000

struct ratelimit {
	int64_t		window_start;
	unsigned	used;
	uint64_t	suppressed;
};

int64_t ratelimit_allow(struct ratelimit *rl, int64_t now_ms);

/* Milliseconds on CLOCK_MONOTONIC (vDSO: no system call). */
int64_t log_now_ms(void);

#endif
