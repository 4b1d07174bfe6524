/*
 * The context of each violation beyond its record: the process (from a
 * cache of /proc, reporter/procctx.h), its service, container and pod (its
 * cgroup), the names of its users (the passwd and group files) and its
 * pod's name (kubelet's log directory).  Everything is opened or read once
 * before the sandbox; afterwards only what Landlock lets the daemon read.
 */
#ifndef SECCOMPMON_CONTEXT_H
#define SECCOMPMON_CONTEXT_H

#include <stdint.h>

#include "daemon/conf.h"
#include "reporter/event.h"
#include "reporter/procctx.h"
#include "reporter/violation.h"

struct context;

/* From c's "context" section (NULL when it is disabled).  Exits on ENOMEM. */
struct context *context_new(const struct conf *c);

/* The event_proc of v, a decoded live record; valid until the next call. */
const struct event_proc *context_of(struct context *cx,
    const struct violation *v);

/*
 * The daemon runs in a Landlock domain: /proc/PID/cwd of any other process
 * is out of reach (ptrace's check), so it is not tried.  NULL is ignored.
 */
void context_confined(struct context *cx);

/* Once a tick: notice changed user and group files. */
void context_tick(struct context *cx);

/* Counters for the stats (hits, reads, live, cached, gone, evicted). */
void context_counters(const struct context *cx,
    struct procctx_counters *out);

void context_free(struct context *cx);

#endif
