/*
 * A list of configuration and policy errors.  Each entry keeps its parts
 * (file, line, key path, whether it concerns the seccomp policy, message)
 * rather than a formatted line, so that the policy module can say what is
 * wrong at which key and the configuration reader can add the file and
 * line to the same entries afterwards; errlist_format() renders them.
 */
#ifndef SECCOMPMON_ERRLIST_H
#define SECCOMPMON_ERRLIST_H

#include <stddef.h>

#define ERRLIST_MAX 32

struct errlist_entry {
	char		file[256];	/* "": none; or "built-in policy" */
	unsigned	line;		/* 0: unknown */
	char		path[96];	/* "seccomp.syscalls[2].action"; "" */
	int		policy;		/* about the seccomp policy */
	char		msg[300];
};

/* Zeroed (memset) is empty. */
struct errlist {
	size_t			n;		/* entries kept */
	size_t			policy;		/* policy errors, dropped too */
	size_t			dropped;	/* beyond ERRLIST_MAX */
	struct errlist_entry	e[ERRLIST_MAX];
};

/* Room for any errlist_format() text, NUL included. */
#define ERRLIST_TEXT_MAX (sizeof(((struct errlist_entry *)0)->file) + \
	sizeof(((struct errlist_entry *)0)->path) + \
	sizeof(((struct errlist_entry *)0)->msg) + 16)

/*
 * Add an error about key path (NULL or "": none) with the message fmt;
 * policy says whether it concerns the seccomp policy.  File and line stay
 * unknown until errlist_locate().  Beyond ERRLIST_MAX it is only counted.
 */
void errlist_add(struct errlist *l, int policy, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same with file (NULL: none) and line (0: unknown) known. */
void errlist_add_at(struct errlist *l, const char *file, unsigned line,
    const char *path, int policy, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Set the file and line of entry i (truncating a long file name). */
void errlist_locate(struct errlist *l, size_t i, const char *file,
    unsigned line);

/* Errors added so far, dropped ones included. */
size_t errlist_count(const struct errlist *l);

/*
 * Entry e as "FILE:LINE: PATH: message", leaving out what it lacks:
 * "FILE: PATH: message" without a line, "PATH: message" without a file.
 * Into buf (ERRLIST_TEXT_MAX is always enough); returns buf.
 */
const char *errlist_format(const struct errlist_entry *e, char *buf,
    size_t len);

#endif
