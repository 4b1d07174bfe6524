/*
 * Unit tests for policy/errlist: adding with and without a place, the
 * count beyond ERRLIST_MAX (policy errors counted apart), locating an
 * entry afterwards, and every form errlist_format() gives.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy/errlist.h"

static struct errlist L;
static char Text[ERRLIST_TEXT_MAX];

static int
setup(void **state)
{
	(void)state;
	memset(&L, 0, sizeof(L));
	return 0;
}

static const char *
text(size_t i)
{
	return errlist_format(&L.e[i], Text, sizeof(Text));
}

static void
errlist_add__no_place__path_and_message(void **state)
{
	(void)state;
	errlist_add(&L, 1, "seccomp.syscalls[2].action", "unknown action "
	    "\"%s\"", "deny");
	assert_int_equal(L.n, 1);
	assert_int_equal(L.policy, 1);
	assert_string_equal(L.e[0].path, "seccomp.syscalls[2].action");
	assert_string_equal(L.e[0].msg, "unknown action \"deny\"");
	assert_string_equal(L.e[0].file, "");
	assert_int_equal(L.e[0].line, 0);
	assert_true(L.e[0].policy);
	assert_string_equal(text(0), "seccomp.syscalls[2].action: unknown "
	    "action \"deny\"");
}

static void
errlist_add_at__every_part__file_line_path_message(void **state)
{
	(void)state;
	errlist_add_at(&L, "/etc/seccompmon/seccompmon.json", 14,
	    "audit.socket", 0, "unknown mode \"%s\"", "x");
	assert_int_equal(L.policy, 0);
	assert_false(L.e[0].policy);
	assert_string_equal(text(0), "/etc/seccompmon/seccompmon.json:14: "
	    "audit.socket: unknown mode \"x\"");
}

static void
errlist_format__parts_missing__left_out(void **state)
{
	(void)state;
	errlist_add_at(&L, "f.json", 3, NULL, 0, "column 5: not valid JSON");
	errlist_add_at(&L, "f.json", 0, "outputs[1]", 0, "group: none");
	errlist_add_at(&L, "f.json", 0, "", 0, "No such file or directory");
	errlist_add(&L, 0, NULL, "out of memory");
	errlist_add_at(&L, NULL, 7, "user", 0, "a line without a file");
	assert_string_equal(text(0), "f.json:3: column 5: not valid JSON");
	assert_string_equal(text(1), "f.json: outputs[1]: group: none");
	assert_string_equal(text(2), "f.json: No such file or directory");
	assert_string_equal(text(3), "out of memory");
	assert_string_equal(text(4), "user: a line without a file");
}

static void
errlist_locate__after_add__file_and_line_set(void **state)
{
	(void)state;
	errlist_add(&L, 1, "seccomp.default_action", "expected a string");
	errlist_add(&L, 1, "seccomp.enabled", "expected true or false");
	errlist_locate(&L, 1, "c.json", 9);
	errlist_locate(&L, 0, "built-in policy", 0);
	errlist_locate(&L, 5, "c.json", 1);	/* no such entry: ignored */
	assert_string_equal(text(0), "built-in policy: seccomp.default_action: "
	    "expected a string");
	assert_string_equal(text(1), "c.json:9: seccomp.enabled: expected true "
	    "or false");
	assert_int_equal(L.n, 2);
}

static void
errlist_add__beyond_max__counted_as_dropped(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ERRLIST_MAX + 3; i++)
		errlist_add(&L, i % 2, "seccomp.x", "error %zu", i);
	errlist_add_at(&L, "f", 1, "k", 1, "one more");
	assert_int_equal(L.n, ERRLIST_MAX);
	assert_int_equal(L.dropped, 4);
	assert_int_equal(errlist_count(&L), ERRLIST_MAX + 4);
	/* Policy errors are counted even when dropped. */
	assert_int_equal(L.policy, (ERRLIST_MAX + 3) / 2 + 1);
	assert_string_equal(L.e[0].msg, "error 0");
	assert_string_equal(L.e[ERRLIST_MAX - 1].msg, "error 31");
}

/* Long parts are cut, never overrun; the text always fits. */
static void
errlist_format__longest_parts__fit(void **state)
{
	char file[1000], path[300], what[1000];

	(void)state;
	memset(file, 'f', sizeof(file) - 1);
	file[sizeof(file) - 1] = '\0';
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	memset(what, 'm', sizeof(what) - 1);
	what[sizeof(what) - 1] = '\0';
	errlist_add_at(&L, file, 4000000000u, path, 0, "%s", what);
	assert_int_equal(strlen(L.e[0].file), sizeof(L.e[0].file) - 1);
	assert_int_equal(strlen(L.e[0].path), sizeof(L.e[0].path) - 1);
	assert_int_equal(strlen(L.e[0].msg), sizeof(L.e[0].msg) - 1);
	assert_int_equal(strlen(text(0)), strlen(L.e[0].file) +
	    strlen(":4000000000: ") + strlen(L.e[0].path) + 2 +
	    strlen(L.e[0].msg));
}

#define T(f) cmocka_unit_test_setup(f, setup)

static const struct CMUnitTest tests[] = {
	T(errlist_add__no_place__path_and_message),
	T(errlist_add_at__every_part__file_line_path_message),
	T(errlist_format__parts_missing__left_out),
	T(errlist_locate__after_add__file_and_line_set),
	T(errlist_add__beyond_max__counted_as_dropped),
	T(errlist_format__longest_parts__fit),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
