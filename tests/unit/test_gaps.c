/*
 * Unit tests for daemon/gaps: the parsers of what the gap report reads
 * (the actions_logged sysctl, /proc/PID/status and cgroup, the kernel
 * command line) and the rule for a small backlog.  The report itself runs
 * against the real kernel in tests/integration/test_gaps.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/gaps.h"

static void
gaps_actions_parse__kernel_default__none_missing(void **state)
{
	struct gaps_actions a;

	(void)state;
	gaps_actions_parse("kill_process kill_thread trap errno user_notif "
	    "trace log", &a);
	assert_int_equal(a.nmissing, 0);
	assert_int_equal(a.nlogged, 7);
	assert_string_equal(a.logged[3], "errno");
}

/* Missing ones in the kernel's order, whatever the order written. */
static void
gaps_actions_parse__without_errno_and_trap__both_missing_in_order(
    void **state)
{
	struct gaps_actions a;

	(void)state;
	gaps_actions_parse("log  trace\tuser_notif kill_thread kill_process\n",
	    &a);
	assert_int_equal(a.nmissing, 2);
	assert_string_equal(a.missing[0], "trap");
	assert_string_equal(a.missing[1], "errno");
	assert_int_equal(a.nlogged, 5);
	assert_string_equal(a.logged[0], "log");
	assert_string_equal(a.logged[4], "kill_process");
}

/* An empty sysctl (every action removed) logs nothing; "errnox" is no errno. */
static void
gaps_actions_parse__empty_or_lookalike__all_missing(void **state)
{
	struct gaps_actions a;

	(void)state;
	gaps_actions_parse("", &a);
	assert_int_equal(a.nmissing, 7);
	assert_int_equal(a.nlogged, 0);
	gaps_actions_parse("errnox kill", &a);
	assert_int_equal(a.nmissing, 7);
	assert_int_equal(a.nlogged, 2);
}

#define STATUS_HEAD "Name:\tsm filtered\nUmask:\t0022\nState:\tS (sleeping)\n" \
	"Tgid:\t4242\nPid:\t4242\n"

static void
gaps_status_parse__filter_mode__mode_and_filters(void **state)
{
	static const char st2[] = STATUS_HEAD "NoNewPrivs:\t1\nSeccomp:\t2\n"
	    "Seccomp_filters:\t3\nSpeculation_Store_Bypass:\tthread vulnerable"
	    "\n";
	struct gaps_status st;

	(void)state;
	assert_int_equal(gaps_status_parse(st2, sizeof(st2) - 1, &st), 0);
	assert_string_equal(st.name, "sm filtered");
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.filters, 3);
}

/* A kernel without the lines, or a value that is no number: unknown. */
static void
gaps_status_parse__missing_or_bad_lines__minus_one(void **state)
{
	static const char none[] = STATUS_HEAD "NoNewPrivs:\t0\n";
	static const char bad[] = STATUS_HEAD "Seccomp:\t2x\n"
	    "Seccomp_filters:\t-1\n";
	static const char big[] = STATUS_HEAD "Seccomp:\t3\n";
	struct gaps_status st;

	(void)state;
	assert_int_equal(gaps_status_parse(none, sizeof(none) - 1, &st), 0);
	assert_int_equal(st.seccomp, -1);
	assert_int_equal(st.filters, -1);
	assert_int_equal(gaps_status_parse(bad, sizeof(bad) - 1, &st), 0);
	assert_int_equal(st.seccomp, -1);
	assert_int_equal(st.filters, -1);
	assert_int_equal(gaps_status_parse(big, sizeof(big) - 1, &st), 0);
	assert_int_equal(st.seccomp, -1);
}

/* Only len bytes count, and a status without Name: is refused. */
static void
gaps_status_parse__cut_or_nameless__only_len_bytes(void **state)
{
	static const char st2[] = STATUS_HEAD "Seccomp:\t2\n";
	struct gaps_status st;

	(void)state;
	assert_int_equal(gaps_status_parse(st2, sizeof(st2) - 1 - 11, &st),
	    0);
	assert_int_equal(st.seccomp, -1);
	errno = 0;
	assert_int_equal(gaps_status_parse("Seccomp:\t2\n", 11, &st), -1);
	assert_int_equal(errno, EINVAL);
}

/*
 * The key is the line the process context chooses (reporter/cgroupinfo.c
 * has the layouts' own tests): a unit, a container, a hybrid host's v1
 * systemd path; what the path names comes along.
 */
static void
gaps_group_cgroup__layouts__path_and_what_it_names(void **state)
{
	static const char docker[] = "0::/system.slice/docker-"
	    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
	    ".scope\n";
	static const char hybrid[] = "12:name=systemd:/system.slice/"
	    "nginx.service\n4:memory:/system.slice/nginx.service\n0::/\n";
	static const char test[] = "0::/seccompmon-test-gaps.42\n";
	struct cgroup_info ci;

	(void)state;
	assert_int_equal(gaps_group_cgroup(docker, sizeof(docker) - 1, &ci),
	    0);
	assert_string_equal(ci.path, "/system.slice/docker-"
	    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
	    ".scope");
	assert_string_equal(ci.container_id,
	    "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970");
	assert_string_equal(ci.runtime, "docker");
	assert_int_equal(gaps_group_cgroup(hybrid, sizeof(hybrid) - 1, &ci),
	    0);
	assert_string_equal(ci.path, "/system.slice/nginx.service");
	assert_string_equal(ci.service, "nginx.service");
	assert_int_equal(gaps_group_cgroup(test, sizeof(test) - 1, &ci), 0);
	assert_string_equal(ci.path, "/seccompmon-test-gaps.42");
	assert_string_equal(ci.service, "");
}

/* The root cgroup names nothing; nor does text the kernel would not write. */
static void
gaps_group_cgroup__root_or_garbage__no_path(void **state)
{
	struct cgroup_info ci;

	(void)state;
	assert_int_equal(gaps_group_cgroup("0::/\n", 5, &ci), -1);
	assert_string_equal(ci.path, "");
	assert_int_equal(gaps_group_cgroup("9:name=systemd:/\n0::/\n", 22,
	    &ci), -1);
	assert_int_equal(gaps_group_cgroup("garbage\nno colons\n", 18, &ci),
	    -1);
	assert_int_equal(gaps_group_cgroup("", 0, &ci), -1);
}

/*
 * kernel/audit.c audit_enable(): "0" and "off" (any case) set
 * audit_initialized to AUDIT_DISABLED, which a later audit=1 leaves.
 */
static void
gaps_cmdline_audit_off__forms__as_the_kernel_reads_them(void **state)
{
	(void)state;
	assert_true(gaps_cmdline_audit_off("ro quiet audit=0"));
	assert_true(gaps_cmdline_audit_off("audit=OFF root=/dev/vda1\n"));
	assert_true(gaps_cmdline_audit_off("audit=1 audit=0"));
	assert_true(gaps_cmdline_audit_off("audit=0 audit=1"));
	assert_false(gaps_cmdline_audit_off("ro quiet"));
	assert_false(gaps_cmdline_audit_off("audit=1"));
	assert_false(gaps_cmdline_audit_off("audit=00 audit_backlog_limit=0"));
	assert_false(gaps_cmdline_audit_off("noaudit=0 xaudit=off"));
	/* Past "--" the words are init's. */
	assert_false(gaps_cmdline_audit_off("ro -- audit=0"));
	assert_true(gaps_cmdline_audit_off("audit=0 -- audit=1"));
	assert_false(gaps_cmdline_audit_off(""));
}

static void
gaps_backlog_small__limits__below_8192_or_the_peak(void **state)
{
	(void)state;
	assert_false(gaps_backlog_small(0, 0));		/* no limit */
	assert_false(gaps_backlog_small(0, 1000000));
	assert_true(gaps_backlog_small(64, 0));		/* the kernel's */
	assert_true(gaps_backlog_small(8191, 0));
	assert_false(gaps_backlog_small(8192, 0));
	assert_false(gaps_backlog_small(8192, 8192));
	assert_true(gaps_backlog_small(8192, 8193));
	assert_true(gaps_backlog_small(65536, 200000));
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(gaps_actions_parse__kernel_default__none_missing),
	T(gaps_actions_parse__without_errno_and_trap__both_missing_in_order),
	T(gaps_actions_parse__empty_or_lookalike__all_missing),
	T(gaps_status_parse__filter_mode__mode_and_filters),
	T(gaps_status_parse__missing_or_bad_lines__minus_one),
	T(gaps_status_parse__cut_or_nameless__only_len_bytes),
	T(gaps_group_cgroup__layouts__path_and_what_it_names),
	T(gaps_group_cgroup__root_or_garbage__no_path),
	T(gaps_cmdline_audit_off__forms__as_the_kernel_reads_them),
	T(gaps_backlog_small__limits__below_8192_or_the_peak),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
