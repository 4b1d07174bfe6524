/*
 * Architectures and syscall names.  A record's syscall number is named from
 * the table of the record's own architecture (libseccomp's tables), never the
 * host's: the same number is writev on x86_64 and getpid on i386.  Tables are
 * built once by systab_init(), before the sandbox, and only read afterwards.
 */
#ifndef SECCOMPMON_SYSTAB_H
#define SECCOMPMON_SYSTAB_H

#include <stdint.h>

/* x32 syscalls reach seccomp as AUDIT_ARCH_X86_64 with this bit set. */
#define SYSTAB_X32_BIT 0x40000000

/*
 * Build the per-architecture name tables from libseccomp.  Idempotent.
 * Returns 0, or -1 with errno ENOMEM.
 */
int systab_init(void);

/* Free the tables (tests, leak checkers). */
void systab_free(void);

/*
 * The name of a record's architecture: "x86_64", "i386", "x32" (AUDIT_ARCH_
 * X86_64 with SYSTAB_X32_BIT in nr), "aarch64", ...  NULL when unknown.
 */
const char *systab_arch_name(uint32_t audit_arch, int64_t nr);

/*
 * The name of syscall nr on the record's architecture, or NULL when the arch
 * or the number is unknown.  Needs systab_init(); before it, always NULL.
 * The string is static (owned by the tables).
 */
const char *systab_syscall_name(uint32_t audit_arch, int64_t nr);

/*
 * The reverse: the number of a syscall name on an architecture given by its
 * AUDIT_ARCH value (x32 by SYSTAB_ARCH_X32), or -1 when it has none there.
 */
#define SYSTAB_ARCH_X32 0x4000003eu	/* libseccomp's SCMP_ARCH_X32 token */
int64_t systab_syscall_number(uint32_t arch_token, const char *name);

#endif
