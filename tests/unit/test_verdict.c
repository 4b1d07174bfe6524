/*
 * Unit tests for reporter/verdict: code= -> action, ECS outcome and type,
 * syslog severity, and sig= -> signal name.  The codes are the SECCOMP_RET_* values of the uapi
 * header; the kernel strips the data bits (SECCOMP_RET_ACTION_FULL), so the
 * action mask is 0xffff0000 and 0x80000000 must stay kill_process.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include <cmocka.h>

#include "reporter/verdict.h"

struct want {
	uint32_t	 code;
	const char	*action;
	const char	*outcome;
	const char	*type;
	int		 severity;
};

/* include/uapi/linux/seccomp.h */
static const struct want actions[] = {
	{ 0x80000000u, "kill_process", "failure", "denied", LOG_ERR },
	{ 0x00000000u, "kill_thread", "failure", "denied", LOG_ERR },
	{ 0x00030000u, "trap", "failure", "denied", LOG_WARNING },
	{ 0x00050000u, "errno", "failure", "denied", LOG_WARNING },
	{ 0x7fc00000u, "user_notif", "unknown", "info", LOG_WARNING },
	{ 0x7ff00000u, "trace", "unknown", "info", LOG_WARNING },
	{ 0x7ffc0000u, "log", "success", "allowed", LOG_NOTICE },
	{ 0x7fff0000u, "allow", "success", "allowed", LOG_NOTICE },
};

static void
check(uint32_t code, const struct want *w)
{
	const struct verdict *v;

	v = verdict_of(code);
	assert_non_null(v);
	assert_string_equal(v->action, w->action);
	assert_string_equal(v->outcome, w->outcome);
	assert_string_equal(v->type, w->type);
	assert_int_equal(v->severity, w->severity);
}

static void
verdict_of__every_action_code__named_with_outcome_type_severity(
    void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		check(actions[i].code, &actions[i]);
}

static void
verdict_of__kill_process__not_kill_thread(void **state)
{
	(void)state;
	/* 0x80000000 & 0x7fff0000 == 0: the pre-4.2 libauparse mistake. */
	assert_string_equal(verdict_of(0x80000000u)->action, "kill_process");
	assert_string_equal(verdict_of(0x80000001u)->action, "kill_process");
	assert_string_equal(verdict_of(0x8000ffffu)->action, "kill_process");
}

static void
verdict_of__data_bits_set__ignored(void **state)
{
	size_t i;
	uint32_t data[] = { 0x0001, 0x0016, 0x7fff, 0xffff };
	size_t j;

	(void)state;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		for (j = 0; j < sizeof(data) / sizeof(data[0]); j++)
			check(actions[i].code | data[j], &actions[i]);
	assert_string_equal(verdict_of(0x50001u)->action, "errno");
}

static void
verdict_of__unknown_action__unknown_not_null(void **state)
{
	static const uint32_t unknown[] = {
		0x12340000u, 0x00010000u, 0x7ffd0000u, 0x7ffe0000u,
		0xffff0000u, 0x80010000u, 0xfffc0000u, 0x12345678u,
	};
	const struct verdict *v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		v = verdict_of(unknown[i]);
		assert_non_null(v);
		assert_string_equal(v->action, "unknown");
		assert_string_equal(v->outcome, "unknown");
		assert_string_equal(v->type, "info");
		/* Something new happened to a call: worth a warning. */
		assert_int_equal(v->severity, LOG_WARNING);
	}
}

static void
signal_name__linux_numbers__named(void **state)
{
	(void)state;
	assert_string_equal(signal_name(31), "SIGSYS");
	assert_string_equal(signal_name(9), "SIGKILL");
	assert_string_equal(signal_name(30), "SIGPWR");
	assert_string_equal(signal_name(1), "SIGHUP");
	assert_string_equal(signal_name(6), "SIGABRT");
	assert_string_equal(signal_name(7), "SIGBUS");
	assert_string_equal(signal_name(10), "SIGUSR1");
	assert_string_equal(signal_name(11), "SIGSEGV");
	assert_string_equal(signal_name(12), "SIGUSR2");
	assert_string_equal(signal_name(15), "SIGTERM");
	assert_string_equal(signal_name(17), "SIGCHLD");
	assert_string_equal(signal_name(19), "SIGSTOP");
}

static void
signal_name__out_of_range__null(void **state)
{
	(void)state;
	assert_null(signal_name(0));
	assert_null(signal_name(32));
	assert_null(signal_name(-1));
	assert_null(signal_name(64));
	assert_null(signal_name(INT64_MIN));
	assert_null(signal_name(INT64_MAX));
	/* 2^32 + 31: SIGSYS only if truncated to 32 bits. */
	assert_null(signal_name(((int64_t)1 << 32) + 31));
	assert_null(signal_name(-((int64_t)1 << 32) + 31));
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(verdict_of__every_action_code__named_with_outcome_type_severity),
	T(verdict_of__kill_process__not_kill_thread),
	T(verdict_of__data_bits_set__ignored),
	T(verdict_of__unknown_action__unknown_not_null),
	T(signal_name__linux_numbers__named),
	T(signal_name__out_of_range__null),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
