/*
 * Profile generation: from a set of denied system calls (architecture,
 * name, action) to the change that allows them, as an OCI runtime-spec
 * "linux.seccomp" object (alone, or merged into a base profile with the
 * smallest edit that keeps its structure), a systemd SystemCallFilter=
 * drop-in, or seccompmon's own "seccomp" policy.  Pure: no I/O, no logging;
 * what it declined to do is returned as notes for the caller to print.
 */
#ifndef SECCOMPMON_PROFGEN_H
#define SECCOMPMON_PROFGEN_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define PROFGEN_NAME_MAX	64	/* longest call name is 22 today */

/* Flags for the generators. */
#define PROFGEN_FORCE	0x1	/* allow dangerous and argument-filtered ones */
#define PROFGEN_LEARNT	0x2	/* the calls are all a program made (learn),
				   not denials: says so in the systemd text */

/* Why a call was not simply allowed, or what else was changed. */
enum profgen_why {
	PROFGEN_DANGEROUS,	/* left out: it widens a sandbox (force adds) */
	PROFGEN_FORCED,		/* dangerous, but allowed because of force */
	PROFGEN_ARGS,		/* the base filters its arguments: left alone */
	PROFGEN_ALLOWED,	/* the base allows it already: no change */
	PROFGEN_UNDENIED,	/* taken out of a base rule that denied it */
	PROFGEN_ARCH_ADDED,	/* the arch was added to "architectures" */
	PROFGEN_ARCH_UNMAPPED,	/* the arch is not in the base's archMap */
	PROFGEN_OTHER_ARCH,	/* the new rule allows it on other arches too */
};

struct profgen_note {
	enum profgen_why	why;
	uint32_t		arch;		/* SCMP_ARCH_* = AUDIT_ARCH_* */
	/* The call; "" for the notes about an arch. */
	char			name[PROFGEN_NAME_MAX];
};

struct profgen;

/* An empty set of observations; NULL on ENOMEM.  Free with profgen_free(). */
struct profgen *profgen_new(void);

void profgen_free(struct profgen *g);

/*
 * Record that name was denied on arch (an SCMP_ARCH_* token, which is the
 * record's AUDIT_ARCH_* value) with action ("errno", "kill_process", ...;
 * may be NULL).  The same (arch, name) twice counts once.  0, or -1 with
 * errno EINVAL (an arch this module has no names for, a name that is not
 * [a-z0-9_]{1,63}) or ENOMEM.
 */
int profgen_add(struct profgen *g, uint32_t arch, const char *name,
    const char *action);

/* Why name must not be allowed without force, or NULL when it may be. */
const char *profgen_dangerous(const char *name);

/* The i-th name of that list (for the docs' check), NULL past its end. */
const char *profgen_dangerous_name(size_t i);

/*
 * The i-th call of the baseline `seccompmon learn` lets run unrecorded
 * (and puts into every profile it learns), NULL past its end.
 */
const char *profgen_baseline_name(size_t i);

/*
 * Whether the OCI profile base lets name run on arch with no condition: an
 * applicable allow rule without argument filters, and no applicable rule
 * that denies it or filters its arguments; or no rule names it and the
 * defaultAction allows.  Read only.
 */
int profgen_oci_allows(json_object *base, uint32_t arch, const char *name);

/*
 * The OCI "linux.seccomp" change.  With base (a parsed profile, which is
 * edited in place and stays the caller's): take each denied name out of
 * the unconditional rules that deny it, append one rule
 * {"names": [...], "action": "SCMP_ACT_ALLOW"} for those the base does not
 * allow yet, and add missing arches to "architectures".  *diff (when
 * diff is not NULL) gets the change alone, a new object: {"architectures":
 * [added], "syscalls": [added rule], "syscallsRemoved": [{"index": i in
 * the base, "action", "names": [taken out]}]}, each key only when not
 * empty.  Without base, the change is all there is: *diff (then required)
 * gets {"architectures": [seen], "syscalls": [rule]}.  0, or -1 with errno
 * (EINVAL: base is not a profile, ENOMEM) and a message in err.  Notes:
 * profgen_notes().
 */
int profgen_oci(struct profgen *g, json_object *base, unsigned flags,
    json_object **diff, char *err, size_t errlen);

/*
 * A systemd drop-in allowing the calls: a comment header naming source
 * (may be NULL), then "[Service]", "SystemCallFilter=..." and
 * "SystemCallArchitectures=..." with the arches seen.  A malloc()ed
 * string, or NULL with errno ENOMEM (or ENOENT: nothing to allow).
 */
char *profgen_systemd(struct profgen *g, unsigned flags, const char *source);

/*
 * seccompmon's own policy fragment: {"seccomp": {"default_action":
 * "errno", "syscalls": [{"action": "allow", "names": [...]}]}}.  A new
 * object, or NULL with errno ENOMEM (or ENOENT: nothing to allow).
 */
json_object *profgen_seccompmon(struct profgen *g, unsigned flags);

/*
 * The notes of the last generator call: arches first, then names in
 * order; valid until the next call or profgen_free().
 */
const struct profgen_note *profgen_notes(const struct profgen *g,
    size_t *n);

/* A one-line explanation of a note ("unshare (x86_64): left out: ..."). */
const char *profgen_note_format(const struct profgen_note *note, char *buf,
    size_t len);

/*
 * o as pretty JSON that diffs cleanly against a base: tabs when like_text
 * (the base's text, may be NULL) is indented with tabs, else two spaces;
 * ": " after keys, no "\/" escapes, a final newline.  A malloc()ed string,
 * or NULL with errno ENOMEM.
 */
char *profgen_json_text(json_object *o, const char *like_text);

/* "SCMP_ARCH_X86_64" for SCMP_ARCH_X86_64, or NULL for an unknown arch. */
const char *profgen_arch_scmp_name(uint32_t arch);

#endif
