/*
 * Unit tests for reporter/systab: AUDIT_ARCH names and syscall names taken
 * from the record's own architecture.  Expected numbers come from the kernel
 * syscall tables (syscall_64.tbl, syscall_32.tbl, asm-generic/unistd.h); the
 * x86 tables are also cross-checked against libaudit's independent table.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libaudit.h>

#include "reporter/systab.h"

/* AUDIT_ARCH_* (include/uapi/linux/audit.h) */
#define A_X86_64	0xc000003eu
#define A_I386		0x40000003u
#define A_AARCH64	0xc00000b7u
#define A_ARM		0x40000028u
#define A_RISCV64	0xc00000f3u
#define A_S390X		0x80000016u
#define A_PPC64LE	0xc0000015u
#define A_PPC64		0x80000015u

#define X32(nr) ((int64_t)SYSTAB_X32_BIT | (nr))

static int
setup(void **state)
{
	(void)state;
	return systab_init();
}

static int
teardown(void **state)
{
	(void)state;
	systab_free();
	return 0;
}

static void
assert_name(uint32_t arch, int64_t nr, const char *want)
{
	const char *got = systab_syscall_name(arch, nr);

	if (got == NULL || strcmp(got, want) != 0) {
		print_error("arch %08x nr %lld: want %s, got %s\n", arch,
		    (long long)nr, want, got != NULL ? got : "NULL");
		fail();
	}
}

/* Architectures */

static void
systab_arch_name__known_audit_arch__named(void **state)
{
	(void)state;
	assert_string_equal(systab_arch_name(A_X86_64, 59), "x86_64");
	assert_string_equal(systab_arch_name(A_I386, 20), "i386");
	assert_string_equal(systab_arch_name(A_AARCH64, 221), "aarch64");
	assert_string_equal(systab_arch_name(A_ARM, 20), "arm");
	assert_string_equal(systab_arch_name(A_RISCV64, 172), "riscv64");
	assert_string_equal(systab_arch_name(A_S390X, 20), "s390x");
	assert_string_equal(systab_arch_name(A_PPC64LE, 20), "ppc64le");
	assert_string_equal(systab_arch_name(A_PPC64, 20), "ppc64");
}

static void
systab_arch_name__x86_64_with_x32_bit__x32(void **state)
{
	(void)state;
	assert_string_equal(systab_arch_name(A_X86_64, X32(0)), "x32");
	assert_string_equal(systab_arch_name(A_X86_64, X32(520)), "x32");
	assert_string_equal(systab_arch_name(A_X86_64, 0), "x86_64");
	/*
	 * syscall=-1 has bit 30 set in two's complement, but the kernel's
	 * do_syscall_x32() takes only nr - __X32_SYSCALL_BIT below
	 * X32_NR_syscalls (unsigned): a negative number is no x32 call.
	 */
	assert_string_equal(systab_arch_name(A_X86_64, -1), "x86_64");
	/* The bit means x32 only on x86_64. */
	assert_string_equal(systab_arch_name(A_I386, X32(20)), "i386");
	assert_string_equal(systab_arch_name(A_AARCH64, X32(20)), "aarch64");
}

static void
systab_arch_name__unknown_arch__null(void **state)
{
	(void)state;
	assert_null(systab_arch_name(0xdeadbeefu, 1));
	assert_null(systab_arch_name(0, 1));
	assert_null(systab_arch_name(0xffffffffu, 1));
	/* EM_X86_64 without the 64-bit/LE flags. */
	assert_null(systab_arch_name(0x3eu, 1));
}

/* Syscall names */

static void
systab_syscall_name__same_number__named_from_record_arch(void **state)
{
	(void)state;
	assert_name(A_X86_64, 20, "writev");
	assert_name(A_I386, 20, "getpid");
	assert_name(A_AARCH64, 20, "epoll_create1");
	assert_name(A_X86_64, 39, "getpid");
	assert_name(A_AARCH64, 172, "getpid");
	assert_name(A_RISCV64, 172, "getpid");
	assert_name(A_ARM, 20, "getpid");
}

static void
systab_syscall_name__execve_each_arch__execve(void **state)
{
	(void)state;
	assert_name(A_X86_64, 59, "execve");
	assert_name(A_I386, 11, "execve");
	assert_name(A_AARCH64, 221, "execve");
	assert_name(A_RISCV64, 221, "execve");
	assert_name(A_ARM, 11, "execve");
	assert_name(A_S390X, 11, "execve");
	assert_name(A_PPC64LE, 11, "execve");
	assert_name(A_PPC64, 11, "execve");
}

static void
systab_syscall_name__real_record_numbers__named(void **state)
{
	(void)state;
	/* The reference records: 1.6, 1.7(b), 1.7(c), crun#683. */
	assert_name(A_I386, 132, "getpgid");
	assert_name(A_X86_64, 3, "close");
	assert_name(A_AARCH64, 227, "msync");
	assert_name(A_X86_64, 4, "stat");
	assert_name(A_I386, 5, "open");
	assert_name(A_X86_64, 8, "lseek");
	assert_name(A_X86_64, 165, "mount");
	assert_name(A_X86_64, 101, "ptrace");
	assert_name(A_X86_64, 0, "read");
}

static void
systab_syscall_name__x32__named_from_x32_table(void **state)
{
	(void)state;
	/* syscall_64.tbl: "common" rows are shared, "x32" rows 512-547. */
	assert_name(A_X86_64, X32(0), "read");
	assert_name(A_X86_64, X32(39), "getpid");
	assert_name(A_X86_64, X32(520), "execve");
	assert_name(A_X86_64, X32(521), "ptrace");
	/* "59 64 execve": the 64-bit-only row is no x32 syscall. */
	assert_null(systab_syscall_name(A_X86_64, X32(59)));
	assert_null(systab_syscall_name(A_X86_64, X32(101)));
	/* 520 without the bit is nothing on x86_64 either. */
	assert_null(systab_syscall_name(A_X86_64, 520));
}

static void
systab_syscall_name__newer_syscalls__named(void **state)
{
	(void)state;
	/* Unified numbering since 424 (pidfd_send_signal). */
	assert_name(A_X86_64, 462, "mseal");
	assert_name(A_X86_64, 457, "statmount");
	assert_name(A_X86_64, 458, "listmount");
	assert_name(A_AARCH64, 458, "listmount");
	assert_name(A_AARCH64, 462, "mseal");
	assert_name(A_I386, 469, "file_setattr");
	assert_name(A_I386, 468, "file_getattr");
	assert_name(A_X86_64, 435, "clone3");
}

static void
systab_syscall_name__unknown_number_or_arch__null(void **state)
{
	(void)state;
	assert_null(systab_syscall_name(A_X86_64, 9999));
	assert_null(systab_syscall_name(A_X86_64, -1));
	assert_null(systab_syscall_name(A_X86_64, INT64_MIN));
	assert_null(systab_syscall_name(A_X86_64, INT64_MAX));
	assert_null(systab_syscall_name(A_I386, -1));
	/* 2^32 + 59: execve only if truncated to 32 bits. */
	assert_null(systab_syscall_name(A_X86_64, ((int64_t)1 << 32) + 59));
	assert_null(systab_syscall_name(0xdeadbeefu, 59));
	assert_null(systab_syscall_name(0, 0));
	/* aarch64 has no open(2) slot at 2 (it is io_submit there). */
	assert_name(A_AARCH64, 2, "io_submit");
}

static void
systab_syscall_name__before_init__null(void **state)
{
	(void)state;
	systab_free();
	assert_null(systab_syscall_name(A_X86_64, 59));
	assert_int_equal(systab_init(), 0);
	/* Idempotent. */
	assert_int_equal(systab_init(), 0);
	assert_name(A_X86_64, 59, "execve");
}

/* Reverse look-up */

static void
systab_syscall_number__names__kernel_numbers(void **state)
{
	(void)state;
	assert_true(systab_syscall_number(A_X86_64, "execve") == 59);
	assert_true(systab_syscall_number(A_X86_64, "ptrace") == 101);
	assert_true(systab_syscall_number(A_I386, "getpid") == 20);
	assert_true(systab_syscall_number(A_I386, "execve") == 11);
	assert_true(systab_syscall_number(A_AARCH64, "getpid") == 172);
	assert_true(systab_syscall_number(A_AARCH64, "execve") == 221);
	assert_true(systab_syscall_number(SYSTAB_ARCH_X32, "execve") ==
	    X32(520));
	assert_true(systab_syscall_number(SYSTAB_ARCH_X32, "getpid") ==
	    X32(39));
}

static void
systab_syscall_number__absent_or_unknown__minus_1(void **state)
{
	(void)state;
	/* asm-generic has no open/fork. */
	assert_true(systab_syscall_number(A_AARCH64, "open") == -1);
	assert_true(systab_syscall_number(A_AARCH64, "fork") == -1);
	assert_true(systab_syscall_number(A_X86_64, "no_such_call") == -1);
	assert_true(systab_syscall_number(A_X86_64, "") == -1);
	assert_true(systab_syscall_number(0xdeadbeefu, "read") == -1);
}

static void
systab_syscall_number__round_trip__same_name(void **state)
{
	static const uint32_t arches[] = {
		A_X86_64, A_I386, A_AARCH64, A_ARM, A_RISCV64, A_S390X,
		A_PPC64LE, A_PPC64,
	};
	static const char *const names[] = {
		"read", "write", "close", "getpid", "execve", "exit_group",
		"ptrace", "openat", "clone",
	};
	const char *name;
	int64_t nr;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			nr = systab_syscall_number(arches[i], names[j]);
			assert_true(nr >= 0);
			assert_name(arches[i], nr, names[j]);
		}
	}
	nr = systab_syscall_number(SYSTAB_ARCH_X32, "openat");
	assert_true((nr & SYSTAB_X32_BIT) != 0);
	assert_name(A_X86_64, nr, "openat");
	name = systab_arch_name(A_X86_64, nr);
	assert_string_equal(name, "x32");
}

/*
 * libaudit's tables are built from the kernel tables by different tooling.
 * Where both name a number the names must agree, except for these known
 * naming differences (printed when seen).  In each, systab's name is the one
 * in the kernel table: "17 common pread64", "18 common pwrite64" in
 * syscall_64.tbl; "283 i386 kexec_load" and "423 i386
 * sched_rr_get_interval_time64" in syscall_32.tbl.
 */
struct naming_diff {
	int		 machine;
	int		 nr;
	const char	*systab;
	const char	*libaudit;
};

static const struct naming_diff known_diffs[] = {
	{ MACH_86_64, 17, "pread64", "pread" },
	{ MACH_86_64, 18, "pwrite64", "pwrite" },
	{ MACH_X86, 283, "kexec_load", "sys_kexec_load" },
	{ MACH_X86, 423, "sched_rr_get_interval_time64",
	    "sched_rr_get_interval64" },
};

static int
known_diff(int machine, int nr, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < sizeof(known_diffs) / sizeof(known_diffs[0]); i++) {
		if (known_diffs[i].machine == machine &&
		    known_diffs[i].nr == nr &&
		    strcmp(known_diffs[i].systab, a) == 0 &&
		    strcmp(known_diffs[i].libaudit, b) == 0)
			return 1;
	}
	return 0;
}

static void
cross_check(uint32_t arch, int machine)
{
	const char *a, *b;
	int nr, both = 0, bad = 0;

	for (nr = 0; nr <= 450; nr++) {
		a = systab_syscall_name(arch, nr);
		b = audit_syscall_to_name(nr, machine);
		if (a == NULL || b == NULL)
			continue;
		both++;
		if (strcmp(a, b) == 0)
			continue;
		if (known_diff(machine, nr, a, b)) {
			print_message("known difference %08x %d: systab %s,"
			    " libaudit %s\n", arch, nr, a, b);
			continue;
		}
		print_error("arch %08x nr %d: systab %s, libaudit %s\n", arch,
		    nr, a, b);
		bad++;
	}
	/* Nearly every number below 450 is known to both. */
	assert_true(both > 300);
	assert_int_equal(bad, 0);
}

static void
systab_syscall_name__x86_64_vs_libaudit__agree(void **state)
{
	(void)state;
	cross_check(A_X86_64, MACH_86_64);
}

static void
systab_syscall_name__i386_vs_libaudit__agree(void **state)
{
	(void)state;
	cross_check(A_I386, MACH_X86);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(systab_arch_name__known_audit_arch__named),
	T(systab_arch_name__x86_64_with_x32_bit__x32),
	T(systab_arch_name__unknown_arch__null),
	T(systab_syscall_name__same_number__named_from_record_arch),
	T(systab_syscall_name__execve_each_arch__execve),
	T(systab_syscall_name__real_record_numbers__named),
	T(systab_syscall_name__x32__named_from_x32_table),
	T(systab_syscall_name__newer_syscalls__named),
	T(systab_syscall_name__unknown_number_or_arch__null),
	T(systab_syscall_name__before_init__null),
	T(systab_syscall_number__names__kernel_numbers),
	T(systab_syscall_number__absent_or_unknown__minus_1),
	T(systab_syscall_number__round_trip__same_name),
	T(systab_syscall_name__x86_64_vs_libaudit__agree),
	T(systab_syscall_name__i386_vs_libaudit__agree),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, setup, teardown);
}
