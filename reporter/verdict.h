/*
 * What a SECCOMP record's code= and sig= mean.  code carries the action only
 * (kernel __seccomp_filter() masks with SECCOMP_RET_ACTION_FULL), so the mask
 * is 0xffff0000: masking with 0x7fff0000, as libauparse did before 4.2, turns
 * kill_process into kill_thread.
 */
#ifndef SECCOMPMON_VERDICT_H
#define SECCOMPMON_VERDICT_H

#include <stdint.h>

struct verdict {
	const char *action;	/* "kill_process", ..., "allow", "unknown" */
	const char *outcome;	/* ECS event.outcome */
	const char *type;	/* ECS event.type */
	int	    severity;	/* syslog severity, LOG_* of <syslog.h> */
};

/* The verdict for a recorded code; never NULL ("unknown" for a new action). */
const struct verdict *verdict_of(uint32_t code);

/* "SIGSYS" for 31 and so on (generic Linux numbering), NULL when unknown. */
const char *signal_name(int64_t sig);

#endif
