/*
 * Unit tests for daemon/conf and daemon/jsonpos: configuration files written
 * to temporary files with the offending key on a chosen line, and the exact
 * "FILE:LINE: KEY.PATH: message" form of every error; comments, strict JSON,
 * duplicate keys, every top-level key, unreadable files, policy errors
 * counted apart; and the line map itself.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "daemon/jsonpos.h"

#define DATA TOP_SRCDIR "/tests/data/conf/"

#define NO_KILL_PROCESS (POLICY_ALL_ACTIONS & \
	~POLICY_ACTION_BIT(POLICY_KILL_PROCESS))

static const char *const action_names[] = { "errno", "trace", "trap",
	"kill_thread", "kill_process", "log", "allow" };

/* The file under test, its directory when it has one, the result. */
static char Path[PATH_MAX];
static char Dir[64];
static struct conf C;
static struct conf_errors E;

static int
setup(void **state)
{
	(void)state;
	Path[0] = Dir[0] = '\0';
	memset(&E, 0, sizeof(E));
	return conf_init(&C);
}

static int
teardown(void **state)
{
	(void)state;
	conf_free(&C);
	if (Path[0] != '\0' && Dir[0] == '\0')
		(void)unlink(Path);
	if (Dir[0] != '\0') {
		if (Path[0] != '\0')
			(void)unlink(Path);
		(void)rmdir(Dir);
	}
	return 0;
}

static void
write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, text, len);
		assert_true(n > 0);
		text += n;
		len -= (size_t)n;
	}
}

/* len bytes of text into a new temporary file, named in Path. */
static void
write_file(const char *text, size_t len)
{
	int fd;

	snprintf(Path, sizeof(Path), "/tmp/test_conf.XXXXXX");
	fd = mkstemp(Path);
	assert_true(fd >= 0);
	write_all(fd, text, len);
	assert_int_equal(close(fd), 0);
}

/* conf_load() of text with every action available. */
static int
load_avail(const char *text, unsigned avail)
{
	write_file(text, strlen(text));
	return conf_load(&C, Path, 0, avail, &E);
}

static int
load(const char *text)
{
	return load_avail(text, POLICY_ALL_ACTIONS);
}

static void
dump_errors(void)
{
	size_t i;

	for (i = 0; i < E.n; i++)
		print_message("  %s\n", E.msg[i]);
}

static void
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\"\n  does not contain \"%s\"", hay, needle);
}

/*
 * The error that starts "Path:LINE: KEY: " ("Path:LINE: " when key is
 * NULL) and contains needle; the text after the prefix.
 */
static const char *
error_at(unsigned line, const char *key, const char *needle)
{
	char prefix[PATH_MAX + 160];
	size_t i, n;

	if (key != NULL)
		snprintf(prefix, sizeof(prefix), "%s:%u: %s: ", Path, line,
		    key);
	else
		snprintf(prefix, sizeof(prefix), "%s:%u: ", Path, line);
	n = strlen(prefix);
	for (i = 0; i < E.n; i++)
		if (strncmp(E.msg[i], prefix, n) == 0 &&
		    strstr(E.msg[i] + n, needle) != NULL)
			return E.msg[i] + n;
	dump_errors();
	fail_msg("no error \"%s...%s...\"", prefix, needle);
	return NULL;
}

/* Exactly one error, and it is at line and key. */
static const char *
only_error_at(unsigned line, const char *key, const char *needle)
{
	if (E.n != 1) {
		dump_errors();
		fail_msg("%zu errors, expected one", E.n);
	}
	return error_at(line, key, needle);
}

static void
no_errors(int rc)
{
	if (rc != 0 || E.n != 0) {
		dump_errors();
		fail_msg("conf_load: %d with %zu errors", rc, E.n);
	}
}

static void
conf_init__nothing_read__defaults_and_builtin_policy(void **state)
{
	(void)state;
	assert_null(C.path);
	assert_int_equal(C.socket, CONF_SOCKET_AUTO);
	assert_int_equal(C.rcvbuf, 16 * 1024 * 1024);
	assert_null(C.host_name);
	assert_null(C.user);
	assert_false(C.original);
	assert_true(C.policy.enabled);
	assert_false(C.policy.required);
	assert_int_equal(C.policy.arch, policy_native_arch());
	assert_int_equal(C.policy.origin, POLICY_BUILTIN);
}

/* The issue's example: seccompmon.json:14: seccomp.syscalls[2].action. */
static void
conf_load__issue_example__file_line_key_and_choices(void **state)
{
	static const char text[] =
	    "{\n"					/* 1 */
	    "\t\"socket\": \"auto\",\n"
	    "\t\"seccomp\": {\n"
	    "\t\t\"default_action\": \"allow\",\n"
	    "\t\t\"syscalls\": [\n"			/* 5 */
	    "\t\t\t{\n"
	    "\t\t\t\t\"action\": \"errno\",\n"
	    "\t\t\t\t\"names\": [\"execve\", \"execveat\"]\n"
	    "\t\t\t},\n"
	    "\t\t\t{\n"					/* 10 */
	    "\t\t\t\t\"action\": \"errno\", \"names\": [\"fork\"]\n"
	    "\t\t\t},\n"
	    "\t\t\t{\n"
	    "\t\t\t\t\"action\": \"deny\",\n"		/* 14 */
	    "\t\t\t\t\"names\": [\"vfork\"]\n"		/* 15 */
	    "\t\t\t}\n"
	    "\t\t]\n"
	    "\t}\n"
	    "}\n";
	char want[PATH_MAX + 160];
	const char *rest;
	size_t i;
	int fd;

	(void)state;
	snprintf(Dir, sizeof(Dir), "/tmp/test_conf.XXXXXX");
	assert_non_null(mkdtemp(Dir));
	snprintf(Path, sizeof(Path), "%s/seccompmon.json", Dir);
	fd = open(Path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	write_all(fd, text, strlen(text));
	assert_int_equal(close(fd), 0);

	assert_int_equal(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E), -1);
	assert_int_equal(E.n, 1);
	snprintf(want, sizeof(want), "%s/seccompmon.json:14: "
	    "seccomp.syscalls[2].action: unknown action \"deny\"; expected "
	    "one of ", Dir);
	if (strncmp(E.msg[0], want, strlen(want)) != 0)
		fail_msg("\"%s\"\n  does not start \"%s\"", E.msg[0], want);
	rest = E.msg[0] + strlen(want);
	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		contains(rest, action_names[i]);
	assert_int_equal(E.policy, 1);
}

static void
conf_load__array_element_on_its_own_line__that_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"allow\",\n"
	    "    \"syscalls\": [{\n"
	    "      \"action\": \"errno\",\n"
	    "      \"names\": [\n"
	    "        \"execve\",\n"
	    "        \"nosuchcall\"\n"			/* 8 */
	    "      ]\n"
	    "    }]\n"
	    "  }\n"
	    "}\n"), -1);
	contains(only_error_at(8, "seccomp.syscalls[0].names[1]",
	    "\"nosuchcall\""), "unknown syscall");
	assert_int_equal(E.policy, 1);
}

static void
conf_load__syscalls_without_default_action__seccomp_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"user\": \"nobody\",\n"
	    "  \"seccomp\": {\n"				/* 3 */
	    "    \"syscalls\": [{\"action\": \"errno\",\n"
	    "      \"names\": [\"fork\"]}]\n"
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(3, "seccomp", "default_action");
}

static void
conf_load__unavailable_action__line_and_kernel_version(void **state)
{
	(void)state;
	assert_int_equal(load_avail(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"allow\",\n"
	    "    \"syscalls\": [\n"
	    "      {\"action\": \"errno\", \"names\": [\"fork\"]},\n"
	    "      {\"names\": [\"ptrace\"],\n"
	    "       \"action\": \"kill_process\"}\n"		/* 7 */
	    "    ]\n"
	    "  }\n"
	    "}\n", NO_KILL_PROCESS), -1);
	contains(only_error_at(7, "seccomp.syscalls[1].action",
	    "kill_process"), "Linux 4.14");
	assert_int_equal(E.policy, 1);
}

static void
conf_load__comments__accepted_lines_kept(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "// leading comment\n"
	    "{\n"
	    "\t/* a block comment\n"
	    "\t   over two lines, with \"quotes\" and // slashes */\n"
	    "\t\"socket\": \"unicast\", // trailing comment\n"
	    "\t\"host_name\": /* inline */ \"web-01\",\n"
	    "\t\"bogus\": 1\n"				/* 7 */
	    "}\n"
	    "/* last */\n"), -1);
	(void)only_error_at(7, "bogus", "unknown key");
	assert_int_equal(C.socket, CONF_SOCKET_UNICAST);
	assert_string_equal(C.host_name, "web-01");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__comment_markers_in_strings__kept_as_text(void **state)
{
	(void)state;
	no_errors(load(
	    "{\n"
	    "  \"host_name\": \"a//b /* not a comment */\",\n"
	    "  \"user\": \"x\\\"//y\"\n"
	    "}\n"));
	assert_string_equal(C.host_name, "a//b /* not a comment */");
	assert_string_equal(C.user, "x\"//y");
}

static void
conf_load__unterminated_comment__its_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\"\n"
	    "  /* not closed\n"				/* 3 */
	    "}\n"), -1);
	(void)only_error_at(3, NULL, "unterminated comment");
}

static void
conf_load__trailing_comma__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\",\n"
	    "  \"original\": true,\n"
	    "}\n"), -1);
	(void)only_error_at(4, NULL, "column 1: not valid JSON");
}

static void
conf_load__single_quoted_value__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": 'auto'\n"
	    "}\n"), -1);
	(void)only_error_at(2, NULL, "column 13: not valid JSON");
}

/* json-c's strict mode lets a single-quoted key through; JSON does not. */
static void
conf_load__single_quoted_key__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"original\": true,\n"
	    "  'socket': \"auto\"\n"
	    "}\n"), -1);
	(void)only_error_at(3, NULL, "column 3: not valid JSON");
}

static void
conf_load__bare_word__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": auto\n"
	    "}\n"), -1);
	(void)only_error_at(2, NULL, "column 13: not valid JSON");
}

static void
conf_load__incomplete_json__end_of_file(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\",\n"
	    "  \"seccomp\": {\n"), -1);
	assert_int_equal(E.n, 1);
	contains(E.msg[0], Path);
	contains(E.msg[0], "end of file");
}

static void
conf_load__empty_file__error(void **state)
{
	(void)state;
	assert_int_equal(load(""), -1);
	assert_int_equal(E.n, 1);
	contains(E.msg[0], Path);
}

static void
conf_load__text_after_object__its_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\"\n"
	    "}\n"
	    "// a comment after the object is fine\n"
	    "{}\n"), -1);				/* 5 */
	(void)only_error_at(5, NULL, "column 1: ");
	assert_int_equal(C.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__top_level_array__expects_object(void **state)
{
	(void)state;
	assert_int_equal(load("[1, 2]\n"), -1);
	(void)only_error_at(1, NULL, "expected a JSON object");
}

/* The line of the top-level value, not of the comment before it. */
static void
conf_load__top_level_string_after_comment__its_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "// seccompmon configuration\n"
	    "\n"
	    "\"socket\"\n"), -1);				/* 3 */
	(void)only_error_at(3, NULL, "expected a JSON object");
}

static void
conf_load__duplicate_top_level_key__second_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\",\n"
	    "  \"original\": false,\n"
	    "  \"socket\": \"unicast\"\n"		/* 4 */
	    "}\n"), -1);
	(void)only_error_at(4, "socket", "duplicate key");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__duplicate_key_in_rule__second_line_policy_error(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"allow\",\n"
	    "    \"syscalls\": [{\"action\": \"errno\",\n"
	    "      \"names\": [\"fork\"], \"action\": \"log\"}]\n"	/* 5 */
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(5, "seccomp.syscalls[0].action", "duplicate key");
	assert_int_equal(E.policy, 1);
}

/* json-c keeps the second value: its error is on the second's line. */
static void
conf_load__duplicate_key_bad_second_value__second_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\",\n"
	    "  \"socket\": \"bogus\"\n"			/* 3 */
	    "}\n"), -1);
	assert_int_equal(E.n, 2);
	(void)error_at(3, "socket", "duplicate key");
	(void)error_at(3, "socket", "\"bogus\"");
}

static void
conf_load__unknown_top_level_key__lists_keys(void **state)
{
	const char *msg;

	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"auto\",\n"
	    "  \"outptu\": \"stdout\"\n"		/* 3 */
	    "}\n"), -1);
	msg = only_error_at(3, "outptu", "unknown key");
	contains(msg, "socket");
	contains(msg, "rcvbuf");
	contains(msg, "seccomp");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__socket_modes__each_set(void **state)
{
	(void)state;
	no_errors(load("{\"socket\": \"unicast\"}"));
	assert_int_equal(C.socket, CONF_SOCKET_UNICAST);
	(void)unlink(Path);
	no_errors(load("{\"socket\": \"multicast\"}"));
	assert_int_equal(C.socket, CONF_SOCKET_MULTICAST);
	(void)unlink(Path);
	no_errors(load("{\"socket\": \"auto\"}"));
	assert_int_equal(C.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__socket_bogus__lists_modes(void **state)
{
	const char *msg;

	(void)state;
	assert_int_equal(load("{\n\"socket\": \"bogus\"\n}\n"), -1);
	msg = only_error_at(2, "socket", "\"bogus\"");
	contains(msg, "auto");
	contains(msg, "unicast");
	contains(msg, "multicast");
	assert_int_equal(C.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__socket_number__expects_mode(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"socket\": 1\n}\n"), -1);
	(void)only_error_at(2, "socket", "multicast");
}

static void
conf_load__rcvbuf_valid_forms__set(void **state)
{
	(void)state;
	no_errors(load("{\"rcvbuf\": 1048576}"));
	assert_int_equal(C.rcvbuf, 1048576);
	(void)unlink(Path);
	no_errors(load("{\"rcvbuf\": \"16M\"}"));
	assert_int_equal(C.rcvbuf, 16 * 1024 * 1024);
	(void)unlink(Path);
	no_errors(load("{\"rcvbuf\": \"64k\"}"));
	assert_int_equal(C.rcvbuf, 65536);
	(void)unlink(Path);
	no_errors(load("{\"rcvbuf\": 65536}"));
	assert_int_equal(C.rcvbuf, 65536);
}

static void
conf_load__rcvbuf_too_small_number__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"rcvbuf\": 100\n}\n"), -1);
	contains(only_error_at(2, "rcvbuf", "64k to 2047M"), "\"16M\"");
	assert_int_equal(C.rcvbuf, 16 * 1024 * 1024);
}

static void
conf_load__rcvbuf_bad_suffix__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"rcvbuf\": \"16Q\"\n}\n"), -1);
	(void)only_error_at(2, "rcvbuf", "64k to 2047M");
}

static void
conf_load__rcvbuf_other_bad_values__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"rcvbuf\": 65535\n}\n"), -1);
	(void)only_error_at(2, "rcvbuf", "64k to 2047M");
	(void)unlink(Path);
	memset(&E, 0, sizeof(E));
	assert_int_equal(load("{\n\"rcvbuf\": true\n}\n"), -1);
	(void)only_error_at(2, "rcvbuf", "64k to 2047M");
	(void)unlink(Path);
	memset(&E, 0, sizeof(E));
	assert_int_equal(load("{\n\"rcvbuf\": 1.5\n}\n"), -1);
	(void)only_error_at(2, "rcvbuf", "64k to 2047M");
}

static void
conf_load__host_name__set_or_error(void **state)
{
	(void)state;
	no_errors(load("{\"host_name\": \"web-01\"}"));
	assert_string_equal(C.host_name, "web-01");
	(void)unlink(Path);
	assert_int_equal(load("{\n\"host_name\": \"\"\n}\n"), -1);
	(void)only_error_at(2, "host_name", "non-empty string");
	(void)unlink(Path);
	memset(&E, 0, sizeof(E));
	assert_int_equal(load("{\n\"host_name\": 5\n}\n"), -1);
	(void)only_error_at(2, "host_name", "a string");
}

static void
conf_load__original__set_or_error(void **state)
{
	(void)state;
	no_errors(load("{\"original\": true}"));
	assert_true(C.original);
	(void)unlink(Path);
	assert_int_equal(load("{\n\"original\": \"yes\"\n}\n"), -1);
	(void)only_error_at(2, "original", "true or false");
}

static void
conf_load__user__set_or_error(void **state)
{
	(void)state;
	no_errors(load("{\"user\": \"nobody\"}"));
	assert_string_equal(C.user, "nobody");
	(void)unlink(Path);
	assert_int_equal(load("{\n\"user\": []\n}\n"), -1);
	(void)only_error_at(2, "user", "a string");
}

static void
conf_load__seccomp_not_object__policy_error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"seccomp\": []\n}\n"), -1);
	(void)only_error_at(2, "seccomp", "an object");
	assert_int_equal(E.policy, 1);
}

static void
conf_load__seccomp_disabled__no_policy_loaded(void **state)
{
	(void)state;
	no_errors(load("{\"seccomp\": {\"enabled\": false}}"));
	assert_false(C.policy.enabled);
}

static void
conf_load__full_data_file__every_key_set(void **state)
{
	(void)state;
	no_errors(conf_load(&C, DATA "full.json", 0, POLICY_ALL_ACTIONS, &E));
	assert_string_equal(C.path, DATA "full.json");
	assert_int_equal(C.socket, CONF_SOCKET_MULTICAST);
	assert_int_equal(C.rcvbuf, 4 * 1024 * 1024);
	assert_string_equal(C.host_name, "web-01");
	assert_true(C.original);
	assert_string_equal(C.user, "nobody");
	assert_true(C.policy.enabled);
	assert_true(C.policy.required);
	assert_int_equal(C.policy.origin, POLICY_BUILTIN);
	assert_int_equal(C.policy.default_action, POLICY_LOG);
}

static void
conf_load__blacklist_data_file__custom_policy(void **state)
{
	static const char *const names[] = { "execve", "execveat", "fork",
	    "vfork" };
	size_t i;

	(void)state;
	no_errors(conf_load(&C, DATA "blacklist.json", 0, POLICY_ALL_ACTIONS,
	    &E));
	assert_int_equal(C.policy.origin, POLICY_CUSTOM);
	assert_int_equal(C.policy.default_action, POLICY_ALLOW);
	assert_int_equal(C.policy.nrules, 1);
	assert_int_equal(C.policy.rules[0].action, POLICY_ERRNO);
	assert_int_equal(C.policy.rules[0].err, EPERM);
	assert_int_equal(C.policy.rules[0].nnames, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(C.policy.rules[0].names[i], names[i]);
}

/* One run shows every mistake; only the seccomp ones are policy errors. */
static void
conf_load__several_errors__all_in_one_call(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"errno\",\n"
	    "    \"syscalls\": [\n"
	    "      {\"action\": \"allow\", \"names\": [\"read\"]},\n"
	    "      {\"action\": \"deny\", \"names\": [\"write\"]},\n"	/* 6 */
	    "      {\"action\": \"allow\", \"names\": [\"nosuchcall\"]}\n"
	    "    ]\n"
	    "  },\n"
	    "  \"outptu\": \"stdout\"\n"			/* 10 */
	    "}\n"), -1);
	if (E.n != 3) {
		dump_errors();
		fail_msg("%zu errors, expected 3", E.n);
	}
	(void)error_at(6, "seccomp.syscalls[1].action", "\"deny\"");
	(void)error_at(7, "seccomp.syscalls[2].names[0]", "\"nosuchcall\"");
	(void)error_at(10, "outptu", "unknown key");
	assert_int_equal(E.policy, 2);
}

static void
conf_load__only_top_level_errors__no_policy_errors(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"socket\": \"bogus\",\n"
	    "  \"rcvbuf\": 1,\n"
	    "  \"seccomp\": {\"default_action\": \"log\"}\n"
	    "}\n"), -1);
	assert_int_equal(E.n, 2);
	assert_int_equal(E.policy, 0);
	assert_int_equal(C.policy.default_action, POLICY_LOG);
}

static void
conf_load__missing_file_missing_ok__defaults(void **state)
{
	(void)state;
	snprintf(Path, sizeof(Path), "/nonexistent/seccompmon/seccompmon.json");
	no_errors(conf_load(&C, Path, 1, POLICY_ALL_ACTIONS, &E));
	Path[0] = '\0';
	assert_null(C.path);
	assert_int_equal(C.socket, CONF_SOCKET_AUTO);
	assert_int_equal(C.rcvbuf, 16 * 1024 * 1024);
	assert_true(C.policy.enabled);
	assert_int_equal(C.policy.origin, POLICY_BUILTIN);
	assert_int_equal(C.policy.default_action, POLICY_ERRNO);
}

/* The built-in policy is checked even with no file. */
static void
conf_load__missing_file_missing_ok__builtin_checked(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(conf_load(&C, "/nonexistent/seccompmon.json", 1,
	    POLICY_ALL_ACTIONS & ~POLICY_ACTION_BIT(POLICY_ERRNO), &E), -1);
	assert_true(E.n >= 1);
	assert_int_equal(E.policy, E.n);
	for (i = 0; i < E.n; i++) {
		if (strncmp(E.msg[i], "built-in policy: ", 17) != 0)
			fail_msg("\"%s\" is not about the built-in policy",
			    E.msg[i]);
		contains(E.msg[i], "errno");
	}
}

static void
conf_load__missing_file__names_file_no_such_file(void **state)
{
	(void)state;
	snprintf(Path, sizeof(Path), "/nonexistent/seccompmon/seccompmon.json");
	assert_int_equal(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E), -1);
	Path[0] = '\0';
	assert_int_equal(E.n, 1);
	assert_true(strncmp(E.msg[0],
	    "/nonexistent/seccompmon/seccompmon.json: ", 41) == 0);
	contains(E.msg[0], "No such file");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__directory__not_a_regular_file(void **state)
{
	char want[PATH_MAX + 40];

	(void)state;
	snprintf(Dir, sizeof(Dir), "/tmp/test_conf.XXXXXX");
	assert_non_null(mkdtemp(Dir));
	assert_int_equal(conf_load(&C, Dir, 1, POLICY_ALL_ACTIONS, &E), -1);
	assert_int_equal(E.n, 1);
	snprintf(want, sizeof(want), "%s: not a regular file", Dir);
	assert_string_equal(E.msg[0], want);
}

static void
conf_load__over_max_bytes__refused(void **state)
{
	char *text;

	(void)state;
	text = malloc(CONF_MAX_BYTES + 1);
	assert_non_null(text);
	memset(text, ' ', CONF_MAX_BYTES + 1);
	memcpy(text, "{}", 2);
	write_file(text, CONF_MAX_BYTES + 1);
	free(text);
	assert_int_equal(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E), -1);
	assert_int_equal(E.n, 1);
	assert_true(strncmp(E.msg[0], Path, strlen(Path)) == 0);
	contains(E.msg[0], "larger than");
}

static void
conf_load__exactly_max_bytes__accepted(void **state)
{
	char *text;

	(void)state;
	text = malloc(CONF_MAX_BYTES);
	assert_non_null(text);
	memset(text, ' ', CONF_MAX_BYTES);
	memcpy(text, "{\"original\": true}", 18);
	write_file(text, CONF_MAX_BYTES);
	free(text);
	no_errors(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E));
	assert_true(C.original);
}

static void
conf_parse_size__valid__bytes(void **state)
{
	static const struct {
		const char	*s;
		int		 v;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "65536", 65536 },
		{ "64k", 65536 }, { "64K", 65536 },
		{ "16M", 16 * 1024 * 1024 }, { "16m", 16 * 1024 * 1024 },
		{ "1G", 1024 * 1024 * 1024 }, { "1g", 1024 * 1024 * 1024 },
		{ "2047M", 2047 * 1024 * 1024 },
		{ "2147483647", INT_MAX },
	};
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = -7;
		if (conf_parse_size(ok[i].s, &v) != 0)
			fail_msg("\"%s\" refused", ok[i].s);
		if (v != ok[i].v)
			fail_msg("\"%s\": %d, expected %d", ok[i].s, v,
			    ok[i].v);
	}
}

static void
conf_parse_size__invalid__minus_one(void **state)
{
	static const char *const bad[] = {
		"", "k", "M", "16Q", "16MB", "16 M", " 16", "16 ", "-1", "+1",
		"1.5M", "0x10", "2G", "2048M", "2147483648", "99999999999",
		"99999999999999999999999", "4194304k",
	};
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (conf_parse_size(bad[i], &v) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
}

static const char scan_text[] =
    "{\n"				/* 1 */
    "  \"a\": {\n"
    "    \"b\": [\n"
    "      1,\n"
    "      {\"c\": 2}\n"		/* 5 */
    "    ]\n"
    "  },\n"
    "  \"d\": true,\n"
    "  \"e\": [[10],\n"
    "    [20, 30]],\n"		/* 10 */
    "  \"d\": false\n"
    "}\n";

/* jsonpos_scan() over a NUL-terminated text: 0, 1 or -1 as it says. */
static int
scan(struct jsonpos *jp, const char *text)
{
	size_t bad = 0;

	return jsonpos_scan(jp, text, strlen(text), &bad);
}

static void
jsonpos_scan__single_quoted_key__stops_there(void **state)
{
	static const char text[] = "{\n  \"a\": 1,\n  'b': 2\n}";
	struct jsonpos jp = { NULL, 0, 0 };
	size_t bad = 0;

	(void)state;
	/* json-c takes 'b' even in strict mode; this scan must not. */
	assert_int_equal(jsonpos_scan(&jp, text, strlen(text), &bad), 1);
	assert_int_equal(bad, strchr(text, '\'') - text);
	assert_int_equal(jsonpos_line_at(text, strlen(text), bad), 3);
	jsonpos_free(&jp);
}

static void
jsonpos_line__nested_paths__their_lines(void **state)
{
	struct jsonpos jp = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(scan(&jp, scan_text), 0);
	assert_int_equal(jsonpos_line(&jp, "a"), 2);
	assert_int_equal(jsonpos_line(&jp, "a.b"), 3);
	assert_int_equal(jsonpos_line(&jp, "a.b[0]"), 4);
	assert_int_equal(jsonpos_line(&jp, "a.b[1]"), 5);
	assert_int_equal(jsonpos_line(&jp, "a.b[1].c"), 5);
	/* "d" is given twice (lines 8 and 11): json-c keeps the last. */
	assert_int_equal(jsonpos_line(&jp, "d"), 11);
	assert_int_equal(jsonpos_line(&jp, "e[0][0]"), 9);
	assert_int_equal(jsonpos_line(&jp, "e[1]"), 10);
	assert_int_equal(jsonpos_line(&jp, "e[1][1]"), 10);
	jsonpos_free(&jp);
	assert_int_equal(jp.n, 0);
}

static void
jsonpos_line__unrecorded_path__nearest_ancestor(void **state)
{
	struct jsonpos jp = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(scan(&jp, scan_text), 0);
	assert_int_equal(jsonpos_line(&jp, "a.b[1].zz"), 5);
	assert_int_equal(jsonpos_line(&jp, "a.b[7]"), 3);
	assert_int_equal(jsonpos_line(&jp, "a.x.y"), 2);
	assert_int_equal(jsonpos_line(&jp, "e[1][5]"), 10);
	assert_int_equal(jsonpos_line(&jp, "zz"), 0);
	assert_int_equal(jsonpos_line(&jp, "zz.b[0]"), 0);
	jsonpos_free(&jp);
}

static void
jsonpos_scan__repeated_key__second_marked_duplicate(void **state)
{
	struct jsonpos jp = { NULL, 0, 0 };
	size_t i, nd = 0;

	(void)state;
	assert_int_equal(scan(&jp, scan_text), 0);
	for (i = 0; i < jp.n; i++) {
		if (!jp.v[i].duplicate)
			continue;
		nd++;
		assert_string_equal(jp.v[i].path, "d");
		assert_int_equal(jp.v[i].line, 11);
	}
	assert_int_equal(nd, 1);
	jsonpos_free(&jp);
}

static void
jsonpos_strip_comments__both_kinds__blanked_lines_kept(void **state)
{
	static const char in[] =
	    "// one\n"
	    "{ /* two\n"
	    "three */ \"k\": \"//x/*y*/\", // four\n"
	    "\"q\": \"\\\"//\" }\n";
	static const char out[] =
	    "      \n"
	    "{       \n"
	    "         \"k\": \"//x/*y*/\",        \n"
	    "\"q\": \"\\\"//\" }\n";
	char buf[sizeof(in)];
	unsigned line = 0;

	(void)state;
	memcpy(buf, in, sizeof(in));
	assert_int_equal(jsonpos_strip_comments(buf, strlen(buf), &line), 0);
	assert_string_equal(buf, out);
	assert_int_equal(strlen(buf), strlen(in));
}

static void
jsonpos_strip_comments__unterminated__line_of_start(void **state)
{
	char buf[] = "{\n\"a\": \"/*\",\n/* open\n\n";
	unsigned line = 0;

	(void)state;
	assert_int_equal(jsonpos_strip_comments(buf, strlen(buf), &line), -1);
	assert_int_equal(line, 3);
}

static void
jsonpos_line_at__offsets__one_based_lines(void **state)
{
	static const char t[] = "ab\ncd\n\nef";

	(void)state;
	assert_int_equal(jsonpos_line_at(t, strlen(t), 0), 1);
	assert_int_equal(jsonpos_line_at(t, strlen(t), 2), 1);	/* '\n' */
	assert_int_equal(jsonpos_line_at(t, strlen(t), 3), 2);
	assert_int_equal(jsonpos_line_at(t, strlen(t), 6), 3);
	assert_int_equal(jsonpos_line_at(t, strlen(t), 7), 4);
	assert_int_equal(jsonpos_line_at(t, strlen(t), strlen(t)), 4);
	assert_int_equal(jsonpos_line_at(t, strlen(t), 1000), 4);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
	T(conf_init__nothing_read__defaults_and_builtin_policy),
	T(conf_load__issue_example__file_line_key_and_choices),
	T(conf_load__array_element_on_its_own_line__that_line),
	T(conf_load__syscalls_without_default_action__seccomp_line),
	T(conf_load__unavailable_action__line_and_kernel_version),
	T(conf_load__comments__accepted_lines_kept),
	T(conf_load__comment_markers_in_strings__kept_as_text),
	T(conf_load__unterminated_comment__its_line),
	T(conf_load__trailing_comma__line_and_column),
	T(conf_load__single_quoted_value__line_and_column),
	T(conf_load__single_quoted_key__line_and_column),
	T(conf_load__bare_word__line_and_column),
	T(conf_load__incomplete_json__end_of_file),
	T(conf_load__empty_file__error),
	T(conf_load__text_after_object__its_line),
	T(conf_load__top_level_array__expects_object),
	T(conf_load__top_level_string_after_comment__its_line),
	T(conf_load__duplicate_top_level_key__second_line),
	T(conf_load__duplicate_key_in_rule__second_line_policy_error),
	T(conf_load__duplicate_key_bad_second_value__second_line),
	T(conf_load__unknown_top_level_key__lists_keys),
	T(conf_load__socket_modes__each_set),
	T(conf_load__socket_bogus__lists_modes),
	T(conf_load__socket_number__expects_mode),
	T(conf_load__rcvbuf_valid_forms__set),
	T(conf_load__rcvbuf_too_small_number__error),
	T(conf_load__rcvbuf_bad_suffix__error),
	T(conf_load__rcvbuf_other_bad_values__error),
	T(conf_load__host_name__set_or_error),
	T(conf_load__original__set_or_error),
	T(conf_load__user__set_or_error),
	T(conf_load__seccomp_not_object__policy_error),
	T(conf_load__seccomp_disabled__no_policy_loaded),
	T(conf_load__full_data_file__every_key_set),
	T(conf_load__blacklist_data_file__custom_policy),
	T(conf_load__several_errors__all_in_one_call),
	T(conf_load__only_top_level_errors__no_policy_errors),
	T(conf_load__missing_file_missing_ok__defaults),
	T(conf_load__missing_file_missing_ok__builtin_checked),
	T(conf_load__missing_file__names_file_no_such_file),
	T(conf_load__directory__not_a_regular_file),
	T(conf_load__over_max_bytes__refused),
	T(conf_load__exactly_max_bytes__accepted),
	T(conf_parse_size__valid__bytes),
	T(conf_parse_size__invalid__minus_one),
	T(jsonpos_scan__single_quoted_key__stops_there),
	T(jsonpos_line__nested_paths__their_lines),
	T(jsonpos_line__unrecorded_path__nearest_ancestor),
	T(jsonpos_scan__repeated_key__second_marked_duplicate),
	T(jsonpos_strip_comments__both_kinds__blanked_lines_kept),
	T(jsonpos_strip_comments__unterminated__line_of_start),
	T(jsonpos_line_at__offsets__one_based_lines),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
