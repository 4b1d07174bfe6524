/*
 * Syscall name tables per architecture, filled from libseccomp at start-up so
 * that naming a syscall on the event path is an array index, not a linear
 * search and a malloc() in seccomp_syscall_resolve_num_arch().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <seccomp.h>

#include "reporter/systab.h"

/*
 * libseccomp's AUDIT_ARCH-valued tokens and the names libauparse and uname(1)
 * use for them.  base is the arch's first syscall number (MIPS ABIs start at
 * 4000, 5000, 6000); each table covers [base, base + SPAN).
 */
#define SPAN 1024

struct arch {
	uint32_t	 token;		/* SCMP_ARCH_* */
	uint32_t	 audit_arch;	/* as in the record's arch= */
	const char	*name;
	int64_t		 base;
	const char	**names;	/* SPAN entries once built */
};

static struct arch arches[] = {
	{ SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, "x86_64", 0, NULL },
	{ SCMP_ARCH_X86, AUDIT_ARCH_I386, "i386", 0, NULL },
	{ SCMP_ARCH_X32, AUDIT_ARCH_X86_64, "x32", 0, NULL },
	{ SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, "aarch64", 0, NULL },
	{ SCMP_ARCH_ARM, AUDIT_ARCH_ARM, "arm", 0, NULL },
	{ SCMP_ARCH_RISCV64, AUDIT_ARCH_RISCV64, "riscv64", 0, NULL },
	{ SCMP_ARCH_S390X, AUDIT_ARCH_S390X, "s390x", 0, NULL },
	{ SCMP_ARCH_S390, AUDIT_ARCH_S390, "s390", 0, NULL },
	{ SCMP_ARCH_PPC64LE, AUDIT_ARCH_PPC64LE, "ppc64le", 0, NULL },
	{ SCMP_ARCH_PPC64, AUDIT_ARCH_PPC64, "ppc64", 0, NULL },
	{ SCMP_ARCH_PPC, AUDIT_ARCH_PPC, "ppc", 0, NULL },
	{ SCMP_ARCH_MIPS, AUDIT_ARCH_MIPS, "mips", 4000, NULL },
	{ SCMP_ARCH_MIPSEL, AUDIT_ARCH_MIPSEL, "mipsel", 4000, NULL },
	{ SCMP_ARCH_MIPS64, AUDIT_ARCH_MIPS64, "mips64", 5000, NULL },
	{ SCMP_ARCH_MIPSEL64, AUDIT_ARCH_MIPSEL64, "mipsel64", 5000, NULL },
	{ SCMP_ARCH_MIPS64N32, AUDIT_ARCH_MIPS64N32, "mips64n32", 6000, NULL },
	{ SCMP_ARCH_MIPSEL64N32, AUDIT_ARCH_MIPSEL64N32, "mipsel64n32", 6000, NULL },
	{ SCMP_ARCH_PARISC, AUDIT_ARCH_PARISC, "parisc", 0, NULL },
	{ SCMP_ARCH_PARISC64, AUDIT_ARCH_PARISC64, "parisc64", 0, NULL },
};
#define NARCHES (sizeof(arches) / sizeof(arches[0]))

/*
 * Since Linux 5.1 every architecture but alpha numbers new syscalls alike
 * (scripts/syscall.tbl, "common"; MIPS adds its ABI base).  These fill in
 * where the installed libseccomp is older than the kernel, so a recent call
 * is still named.  Numbers 424.. as in the kernel's scripts/syscall.tbl.
 */
#define UNIFIED_FIRST 424
static const char *const unified[] = {
	"pidfd_send_signal", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "open_tree", "move_mount", "fsopen", "fsconfig",
	"fsmount", "fspick", "pidfd_open", "clone3", "close_range", "openat2",
	"pidfd_getfd", "faccessat2", "process_madvise", "epoll_pwait2",
	"mount_setattr", "quotactl_fd", "landlock_create_ruleset",
	"landlock_add_rule", "landlock_restrict_self", "memfd_secret",
	"process_mrelease", "futex_waitv", "set_mempolicy_home_node",
	"cachestat", "fchmodat2", "map_shadow_stack", "futex_wake",
	"futex_wait", "futex_requeue", "statmount", "listmount",
	"lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules", "mseal",
	"setxattrat", "getxattrat", "listxattrat", "removexattrat",
	"open_tree_attr", "file_getattr", "file_setattr",
};
#define NUNIFIED (sizeof(unified) / sizeof(unified[0]))

static int built;

static struct arch *
arch_find(uint32_t audit_arch, int64_t *nr)
{
	size_t i;
	int x32 = audit_arch == AUDIT_ARCH_X86_64 &&
	    (*nr & SYSTAB_X32_BIT) != 0 && *nr >= 0;

	for (i = 0; i < NARCHES; i++) {
		if (arches[i].audit_arch != audit_arch)
			continue;
		if ((arches[i].token == SCMP_ARCH_X32) != x32)
			continue;
		if (x32)
			*nr &= ~(int64_t)SYSTAB_X32_BIT;
		return &arches[i];
	}
	return NULL;
}

const char *
systab_arch_name(uint32_t audit_arch, int64_t nr)
{
	const struct arch *a = arch_find(audit_arch, &nr);

	return a ? a->name : NULL;
}

const char *
systab_syscall_name(uint32_t audit_arch, int64_t nr)
{
	const struct arch *a = arch_find(audit_arch, &nr);

	if (a == NULL || a->names == NULL)
		return NULL;
	if (nr < a->base || nr >= a->base + SPAN)
		return NULL;
	return a->names[nr - a->base];
}

int64_t
systab_syscall_number(uint32_t arch_token, const char *name)
{
	size_t i;
	int nr;

	for (i = 0; i < NARCHES; i++) {
		if (arches[i].token != arch_token)
			continue;
		nr = seccomp_syscall_resolve_name_arch(arch_token, name);
		if (nr >= 0)
			return nr;
		for (nr = 0; nr < (int)NUNIFIED; nr++)
			if (strcmp(unified[nr], name) == 0)
				return arches[i].base + UNIFIED_FIRST + nr;
		return -1;
	}
	return -1;
}

static int
arch_build(struct arch *a)
{
	const char **names;
	char *s;
	int64_t i;
	size_t u;

	if ((names = calloc(SPAN, sizeof(*names))) == NULL)
		return -1;
	for (i = 0; i < SPAN; i++) {
		/* An arch this libseccomp lacks yields no names at all. */
		s = seccomp_syscall_resolve_num_arch(a->token, (int)(a->base + i));
		names[i] = s;
	}
	for (u = 0; u < NUNIFIED; u++)
		if (names[UNIFIED_FIRST + u] == NULL)
			names[UNIFIED_FIRST + u] = unified[u];
	a->names = names;
	return 0;
}

static int
is_unified(const char *s)
{
	size_t u;

	for (u = 0; u < NUNIFIED; u++)
		if (s == unified[u])
			return 1;
	return 0;
}

void
systab_free(void)
{
	size_t i, j;

	for (i = 0; i < NARCHES; i++) {
		if (arches[i].names == NULL)
			continue;
		for (j = 0; j < SPAN; j++)
			if (!is_unified(arches[i].names[j]))
				free((void *)(uintptr_t)arches[i].names[j]);
		free(arches[i].names);
		arches[i].names = NULL;
	}
	built = 0;
}

int
systab_init(void)
{
	size_t i;

	if (built)
		return 0;
	for (i = 0; i < NARCHES; i++) {
		if (arch_build(&arches[i]) < 0) {
			systab_free();
			errno = ENOMEM;
			return -1;
		}
	}
	built = 1;
	return 0;
}
