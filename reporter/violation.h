/*
 * The decoded form of one AUDIT_SECCOMP record.  violation_decode() is a pure
 * function of the record text: it keeps no pointer into the caller's buffer
 * (strings are copied into the struct's own arena), so a receive buffer can be
 * reused as soon as it returns.
 */
#ifndef SECCOMPMON_VIOLATION_H
#define SECCOMPMON_VIOLATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * The longest record text accepted.  The kernel never sends more than
 * MAX_AUDIT_MESSAGE_LENGTH (8970) bytes; replayed lines may carry a little
 * more, never this much.  Decoded strings are never longer than their encoded
 * form, so an arena of this size holds every string of any accepted record.
 */
#define VIOLATION_TEXT_MAX 16384

/* The fields the kernel prints in every SECCOMP record (audit_seccomp()). */
enum violation_field {
	VF_AUID,
	VF_UID,
	VF_GID,
	VF_SES,
	VF_SUBJ,	/* only when an LSM labels the task: never required */
	VF_PID,
	VF_COMM,
	VF_EXE,
	VF_SIG,
	VF_ARCH,
	VF_SYSCALL,
	VF_COMPAT,
	VF_IP,
	VF_CODE,
	VF_COUNT
};

#define VF_BIT(f) (1u << (f))
/* Every field but subj: a record missing one of these is incomplete. */
#define VF_REQUIRED (((1u << VF_COUNT) - 1) & ~VF_BIT(VF_SUBJ))

/* A string in the arena; len excludes the terminating NUL that follows it. */
struct vstr {
	uint32_t off;
	uint32_t len;
};

struct violation {
	uint64_t	time_sec;	/* audit(SEC.MSEC:SERIAL) */
	uint32_t	time_msec;
	uint32_t	serial;

	uint32_t	present;	/* VF_BIT()s of fields seen and valid */
	uint32_t	invalid;	/* VF_BIT()s of fields seen with a bad value */
	/*
	 * VF_BIT()s of present strings that were quoted although they hold
	 * a byte the kernel hex-encodes (a control, blank or non-ASCII one):
	 * kept as they are, but the record is not as the kernel wrote it.
	 */
	uint32_t	misquoted;

	uint32_t	auid, uid, gid, ses;
	int32_t		pid;
	int64_t		sig;
	uint32_t	arch;		/* AUDIT_ARCH_* value */
	int64_t		syscall;	/* as recorded: x32 keeps bit 30 */
	int32_t		compat;
	uint64_t	ip;
	uint32_t	code;		/* SECCOMP_RET_* action */

	struct vstr	comm;		/* hex-decoded when the kernel hex-encoded */
	struct vstr	exe;		/* present but empty for exe=(null) */
	struct vstr	subj;		/* raw LSM label */
	struct vstr	ip_text;	/* "0x..." exactly as recorded */
	struct vstr	code_text;

	uint32_t	arena_used;
	char		arena[VIOLATION_TEXT_MAX];
};

/* Why a record could not be decoded at all. */
enum violation_error {
	VIOLATION_OK = 0,
	VIOLATION_TOO_LONG,	/* longer than VIOLATION_TEXT_MAX */
	VIOLATION_BAD_HEADER,	/* no valid "audit(SEC.MSEC:SERIAL): " */
	VIOLATION_NO_FIELDS,	/* a header and nothing we know after it */
};

/*
 * Decode the text of one SECCOMP record, "audit(SEC.MSEC:SERIAL): k=v ...",
 * as the kernel sends it (not NUL-terminated; a trailing NUL or newline is
 * ignored).  Unknown keys are skipped; a known key with a bad value is marked
 * in v->invalid and left out; a quoted string with bytes the kernel would
 * have hex-encoded is kept and marked in v->misquoted; keys seen twice keep
 * the first value.
 * Returns VIOLATION_OK, or the reason the record holds no usable event; v is
 * then unspecified.  Never reads beyond text[len - 1].
 */
enum violation_error violation_decode(const char *text, size_t len,
    struct violation *v);

/* A short English phrase for an error, e.g. "malformed audit() header". */
const char *violation_strerror(enum violation_error err);

/* The NUL-terminated text of a string field; "" when the field is absent. */
const char *violation_str(const struct violation *v, struct vstr s);

/* The kernel's name for a field ("auid", "comm", ...). */
const char *violation_field_name(enum violation_field f);

#endif
