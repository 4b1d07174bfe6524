/*
 * Unit tests for daemon/conf and daemon/jsonpos: configuration files written
 * to temporary files with the offending key on a chosen line, and the exact
 * "FILE:LINE: KEY.PATH: message" form of every error; comments, strict JSON,
 * duplicate keys, every key of every section and output type, --output,
 * the host checks, unreadable files, policy errors counted apart, the text
 * of "policy show" loaded back unchanged; and the line map itself.
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
#include <syslog.h>
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
static struct errlist E;
/* E's entries as the daemon prints them. */
static char Text[ERRLIST_MAX][ERRLIST_TEXT_MAX];

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

/* Error i of E as "FILE:LINE: KEY: message". */
static const char *
msg(size_t i)
{
	assert_true(i < E.n);
	return errlist_format(&E.e[i], Text[i], sizeof(Text[i]));
}

static void
dump_errors(void)
{
	size_t i;

	for (i = 0; i < E.n; i++)
		print_message("  %s\n", msg(i));
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
		if (strncmp(msg(i), prefix, n) == 0 &&
		    strstr(msg(i) + n, needle) != NULL)
			return msg(i) + n;
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

/* Start over with a new file: the previous one and its errors go. */
static void
again(void)
{
	if (Path[0] != '\0')
		(void)unlink(Path);
	Path[0] = '\0';
	memset(&E, 0, sizeof(E));
}

static void
conf_init__nothing_read__defaults_and_builtin_policy(void **state)
{
	(void)state;
	assert_null(C.path);
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
	assert_int_equal(C.audit.rcvbuf, 16 * 1024 * 1024);
	assert_int_equal(C.audit.backlog_limit, 8192);
	assert_int_equal(C.audit.backlog_wait_time, -1);
	assert_true(C.storm.enabled);
	assert_int_equal(C.storm.window, 10);
	assert_int_equal(C.storm.burst, 10);
	assert_int_equal(C.storm.max_keys, 4096);
	assert_null(C.outputs);
	assert_int_equal(C.noutputs, 0);
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
	    "\t\"original\": false,\n"
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
	if (strncmp(msg(0), want, strlen(want)) != 0)
		fail_msg("\"%s\"\n  does not start \"%s\"", msg(0), want);
	rest = msg(0) + strlen(want);
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
	    "\t\"audit\": {\"socket\": \"unicast\"}, // trailing comment\n"
	    "\t\"host_name\": /* inline */ \"web-01\",\n"
	    "\t\"bogus\": 1\n"				/* 7 */
	    "}\n"
	    "/* last */\n"), -1);
	(void)only_error_at(7, "bogus", "unknown key");
	assert_int_equal(C.audit.socket, CONF_SOCKET_UNICAST);
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
	    "  \"original\": false\n"
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
	    "  \"host_name\": \"web-01\",\n"
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
	    "  \"audit\": {\"socket\": 'auto'}\n"
	    "}\n"), -1);
	(void)only_error_at(2, NULL, "column 23: not valid JSON");
}

/* json-c's strict mode lets a single-quoted key through; JSON does not. */
static void
conf_load__single_quoted_key__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"original\": true,\n"
	    "  'user': \"nobody\"\n"
	    "}\n"), -1);
	(void)only_error_at(3, NULL, "column 3: not valid JSON");
}

static void
conf_load__bare_word__line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\"socket\": auto}\n"
	    "}\n"), -1);
	(void)only_error_at(2, NULL, "column 23: not valid JSON");
}

static void
conf_load__incomplete_json__end_of_file(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"original\": false,\n"
	    "  \"seccomp\": {\n"), -1);
	assert_int_equal(E.n, 1);
	contains(msg(0), Path);
	contains(msg(0), "end of file");
}

static void
conf_load__empty_file__error(void **state)
{
	(void)state;
	assert_int_equal(load(""), -1);
	assert_int_equal(E.n, 1);
	contains(msg(0), Path);
}

static void
conf_load__text_after_object__its_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\"socket\": \"unicast\"}\n"
	    "}\n"
	    "// a comment after the object is fine\n"
	    "{}\n"), -1);				/* 5 */
	(void)only_error_at(5, NULL, "column 1: ");
	/* A file with a syntax error applies nothing. */
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
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
	    "\"audit\"\n"), -1);				/* 3 */
	(void)only_error_at(3, NULL, "expected a JSON object");
}

static void
conf_load__duplicate_top_level_key__second_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\"socket\": \"auto\"},\n"
	    "  \"original\": false,\n"
	    "  \"audit\": {\"socket\": \"unicast\"}\n"	/* 4 */
	    "}\n"), -1);
	(void)only_error_at(4, "audit", "duplicate key");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__duplicate_key_in_rule__second_line_fatal(void **state)
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
	/* Fatal, not a policy error: no running without a filter. */
	assert_int_equal(E.policy, 0);
}

/* json-c keeps the second value: its error is on the second's line. */
static void
conf_load__duplicate_key_bad_second_value__second_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\n"
	    "    \"socket\": \"auto\",\n"
	    "    \"socket\": \"bogus\"\n"			/* 4 */
	    "  }\n"
	    "}\n"), -1);
	assert_int_equal(E.n, 2);
	(void)error_at(4, "audit.socket", "duplicate key");
	(void)error_at(4, "audit.socket", "\"bogus\"");
}

/*
 * json-c decodes keys before it merges them: "en\u0061bled" is "enabled",
 * and the second one would switch the filter off without a word.
 */
static void
conf_load__escaped_duplicate_enabled__fatal_second_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"enabled\": true,\n"
	    "    \"en\\u0061bled\": false\n"			/* 4 */
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(4, "seccomp.enabled", "duplicate key");
	/* Fatal, not a policy error: no running without a filter. */
	assert_int_equal(E.policy, 0);
}

static void
conf_load__escaped_duplicate_action__duplicate_key(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\n"
	    "    \"default_action\": \"allow\",\n"
	    "    \"syscalls\": [{\"action\": \"errno\",\n"
	    "      \"names\": [\"fork\"], \"\\u0061ction\": \"allow\"}]\n"
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(5, "seccomp.syscalls[0].action", "duplicate key");
	/* Fatal, not a policy error: no running without a filter. */
	assert_int_equal(E.policy, 0);
}

static void
conf_load__escaped_duplicate_section__duplicate_key(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\"default_action\": \"errno\"},\n"
	    "  \"secc\\u006fmp\": {\"enabled\": false}\n"	/* 3 */
	    "}\n"), -1);
	(void)only_error_at(3, "seccomp", "duplicate key");
	/* Fatal, not a policy error: no running without a filter. */
	assert_int_equal(E.policy, 0);
}

/* A surrogate pair is the character; raw UTF-8 is the same key. */
static void
conf_load__surrogate_pair_and_raw_utf8__duplicate_key(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"x\\ud83d\\ude00\": 1,\n"
	    "  \"x\xf0\x9f\x98\x80\": 2\n"			/* 3 */
	    "}\n"), -1);
	(void)error_at(3, "x\xf0\x9f\x98\x80", "duplicate key");
	assert_int_equal(E.n, 2);	/* and one unknown key */
}

/* The error about an escaped key is on its line, under its decoded name. */
static void
conf_load__escaped_key_bad_value__line_of_decoded_key(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\n"
	    "    \"backlog_limit\": 5,\n"
	    "    \"s\\u006fcket\": \"bogus\"\n"			/* 4 */
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(4, "audit.socket", "\"bogus\"");
}

/* json-c would cut "a\u0000b" to "a": no such key is taken. */
static void
conf_load__key_with_escaped_nul__error_line_and_column(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"seccomp\": {\"enabled\": true},\n"
	    "  \"seccomp\\u0000x\": {\"enabled\": false}\n"	/* 3 */
	    "}\n"), -1);
	(void)only_error_at(3, NULL, "column 3: a key must not contain "
	    "\\u0000 (a NUL byte)");
	again();
	assert_int_equal(load("{\"a\": {\"\\ud800\\u0000\": 1}}"), -1);
	(void)only_error_at(1, NULL, "column 8: a key must not contain");
}

/* Keys are compared whole, however long. */
static void
conf_load__long_keys_differing_at_the_end__not_duplicates(void **state)
{
	char text[1024], a[301], b[301];
	size_t i;

	(void)state;
	memset(a, 'k', 300);
	a[300] = '\0';
	memcpy(b, a, sizeof(b));
	b[299] = 'x';
	snprintf(text, sizeof(text), "{\n\"audit\": {\n\"%s\": 1,\n\"%s\": 2"
	    "\n}\n}\n", a, b);
	assert_int_equal(load(text), -1);
	assert_int_equal(E.n, 2);
	for (i = 0; i < E.n; i++)
		contains(msg(i), "unknown key; expected socket");
	again();
	snprintf(text, sizeof(text), "{\n\"audit\": {\n\"%s\": 1,\n\"%s\": 2"
	    "\n}\n}\n", a, a);
	assert_int_equal(load(text), -1);
	assert_int_equal(E.n, 2);
	(void)error_at(4, NULL, "duplicate key");
}

static void
conf_load__unknown_top_level_key__lists_keys(void **state)
{
	const char *msg;

	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"original\": false,\n"
	    "  \"outptu\": \"stdout\"\n"		/* 3 */
	    "}\n"), -1);
	msg = only_error_at(3, "outptu", "unknown key");
	contains(msg, "expected audit, outputs, host_name, original, user, "
	    "storm, stats, context, gaps, landlock or seccomp");
	assert_int_equal(E.policy, 0);
}

/*
 * "{ "audit": { KEY: VALUE } }" with the key on line 3, for each value; each
 * must give exactly one error there, at audit.KEY, containing needle.
 */
static void
audit_refuses(const char *key, const char *const *values, const char *needle)
{
	char text[256], path[64];
	size_t i;

	snprintf(path, sizeof(path), "audit.%s", key);
	for (i = 0; values[i] != NULL; i++) {
		again();
		snprintf(text, sizeof(text), "{\n\"audit\": {\n\"%s\": %s\n}\n"
		    "}\n", key, values[i]);
		if (load(text) != -1)
			fail_msg("audit.%s: %s accepted", key, values[i]);
		(void)only_error_at(3, path, needle);
	}
}

/* Each value of storm.KEY is refused with needle, at the key's line. */
static void
storm_refuses(const char *key, const char *const *values, const char *needle)
{
	char text[256], path[64];
	size_t i;

	snprintf(path, sizeof(path), "storm.%s", key);
	for (i = 0; values[i] != NULL; i++) {
		again();
		snprintf(text, sizeof(text), "{\n\"storm\": {\n\"%s\": %s\n}\n"
		    "}\n", key, values[i]);
		if (load(text) != -1)
			fail_msg("storm.%s: %s accepted", key, values[i]);
		(void)only_error_at(3, path, needle);
	}
}

static void
conf_load__storm_valid__set(void **state)
{
	(void)state;
	no_errors(load("{\"storm\": {\"enabled\": false}}"));
	assert_false(C.storm.enabled);
	assert_int_equal(C.storm.window, 10);
	again();
	no_errors(load("{\"storm\": {\"enabled\": true, \"window\": 1, "
	    "\"burst\": 0, \"max_keys\": 1}}"));
	assert_true(C.storm.enabled);
	assert_int_equal(C.storm.window, 1);
	assert_int_equal(C.storm.burst, 0);
	assert_int_equal(C.storm.max_keys, 1);
	again();
	no_errors(load("{\"storm\": {\"window\": 3600, \"burst\": 1000000, "
	    "\"max_keys\": 65536}}"));
	assert_int_equal(C.storm.window, 3600);
	assert_int_equal(C.storm.burst, 1000000);
	assert_int_equal(C.storm.max_keys, 65536);
}

static void
conf_load__storm_bad_values__error_names_range(void **state)
{
	static const char *const windows[] = { "0", "3601", "-1", "\"10s\"",
	    "1.5", "true", "null", NULL };
	static const char *const bursts[] = { "-1", "1000001", "\"10\"",
	    "false", NULL };
	static const char *const keys[] = { "0", "65537", "4294967297",
	    "[]", NULL };
	static const char *const enabled[] = { "1", "\"true\"", "null", NULL };

	(void)state;
	storm_refuses("window", windows, "expected a number of seconds from 1 "
	    "to 3600");
	storm_refuses("burst", bursts, "expected a number of events per key "
	    "and window from 0 to 1000000");
	storm_refuses("max_keys", keys, "expected a number of keys per window "
	    "from 1 to 65536");
	storm_refuses("enabled", enabled, "expected true or false");
	assert_true(C.storm.enabled);
	assert_int_equal(C.storm.window, 10);
}

static void
conf_load__storm_unknown_key_or_not_object__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"storm\": {\n\"windw\": 5\n}\n}\n"), -1);
	(void)only_error_at(3, "storm.windw", "unknown key; expected enabled, "
	    "window, burst or max_keys");
	again();
	assert_int_equal(load("{\n\"storm\": false\n}\n"), -1);
	(void)only_error_at(2, "storm", "expected an object { ... }");
}

static void
conf_load__context_default_and_set__values_and_paths(void **state)
{
	(void)state;
	no_errors(load("{}"));
	assert_true(C.context.enabled);
	assert_int_equal(C.context.cache_size, 1024);
	assert_int_equal(C.context.args_max, 4096);
	assert_string_equal(conf_context_passwd(&C), "/etc/passwd");
	assert_string_equal(conf_context_group(&C), "/etc/group");
	assert_string_equal(conf_context_pod_log_dir(&C), "/var/log/pods");
	again();
	no_errors(load("{\"context\": {\"enabled\": false, \"cache_size\": "
	    "4, \"args_max\": 0, \"passwd\": \"/srv/p\", \"group\": "
	    "\"/srv/g\", \"pod_log_dir\": \"/srv/pods\"}}"));
	assert_false(C.context.enabled);
	assert_int_equal(C.context.cache_size, 4);
	assert_int_equal(C.context.args_max, 0);
	assert_string_equal(conf_context_passwd(&C), "/srv/p");
	assert_string_equal(conf_context_group(&C), "/srv/g");
	assert_string_equal(conf_context_pod_log_dir(&C), "/srv/pods");
}

static void
conf_load__context_bad_values__error_names_key(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"context\": {\n\"cache_size\": 3\n}\n}\n"),
	    -1);
	(void)only_error_at(3, "context.cache_size", "expected a number of "
	    "processes from 4 to 1048576");
	again();
	assert_int_equal(load("{\n\"context\": {\n\"args_max\": 65537\n}\n}"
	    "\n"), -1);
	(void)only_error_at(3, "context.args_max", "expected a number of "
	    "bytes (0: no arguments) from 0 to 65536");
	again();
	assert_int_equal(load("{\n\"context\": {\n\"passwd\": \"etc/pw\"\n}"
	    "\n}\n"), -1);
	(void)only_error_at(3, "context.passwd", "expected an absolute path");
	again();
	assert_int_equal(load("{\n\"context\": {\n\"pods\": 1\n}\n}\n"), -1);
	(void)only_error_at(3, "context.pods", "unknown key; expected enabled, "
	    "cache_size, args_max, passwd, group or pod_log_dir");
	again();
	assert_int_equal(load("{\n\"context\": true\n}\n"), -1);
	(void)only_error_at(2, "context", "expected an object { ... }");
}

static void
conf_load__stats_default__every_60_seconds(void **state)
{
	(void)state;
	no_errors(load("{}"));
	assert_true(C.stats.enabled);
	assert_int_equal(C.stats.interval, 60);
}

static void
conf_load__stats_valid__set(void **state)
{
	(void)state;
	no_errors(load("{\"stats\": {\"enabled\": false}}"));
	assert_false(C.stats.enabled);
	assert_int_equal(C.stats.interval, 60);
	again();
	no_errors(load("{\"stats\": {\"enabled\": true, \"interval\": 0}}"));
	assert_true(C.stats.enabled);
	assert_int_equal(C.stats.interval, 0);
	again();
	no_errors(load("{\"stats\": {\"interval\": 1}}"));
	assert_int_equal(C.stats.interval, 1);
	again();
	no_errors(load("{\"stats\": {\"interval\": 86400}}"));
	assert_int_equal(C.stats.interval, 86400);
}

/* Each value of stats.KEY is refused with needle, at the key's line. */
static void
stats_refuses(const char *key, const char *const *values, const char *needle)
{
	char text[256], path[64];
	size_t i;

	snprintf(path, sizeof(path), "stats.%s", key);
	for (i = 0; values[i] != NULL; i++) {
		again();
		snprintf(text, sizeof(text), "{\n\"stats\": {\n\"%s\": %s\n}\n"
		    "}\n", key, values[i]);
		if (load(text) != -1)
			fail_msg("stats.%s: %s accepted", key, values[i]);
		(void)only_error_at(3, path, needle);
	}
}

static void
conf_load__stats_bad_values__error_names_key_and_range(void **state)
{
	static const char *const intervals[] = { "-1", "86401", "\"60s\"",
	    "1.5", "true", "null", "4294967356", NULL };
	static const char *const enabled[] = { "0", "\"false\"", "null",
	    NULL };

	(void)state;
	stats_refuses("interval", intervals, "expected a number of seconds "
	    "(0: off) from 0 to 86400");
	stats_refuses("enabled", enabled, "expected true or false");
	again();
	assert_int_equal(load("{\n\"stats\": {\n\"intervall\": 5\n}\n}\n"),
	    -1);
	(void)only_error_at(3, "stats.intervall", "unknown key; expected "
	    "enabled or interval");
	again();
	assert_int_equal(load("{\n\"stats\": 60\n}\n"), -1);
	(void)only_error_at(2, "stats", "expected an object { ... }");
}

static void
conf_load__gaps_default__every_hour(void **state)
{
	(void)state;
	no_errors(load("{}"));
	assert_true(C.gaps.enabled);
	assert_int_equal(C.gaps.interval, 3600);
}

static void
conf_load__gaps_valid__set(void **state)
{
	(void)state;
	no_errors(load("{\"gaps\": {\"enabled\": false}}"));
	assert_false(C.gaps.enabled);
	assert_int_equal(C.gaps.interval, 3600);
	again();
	no_errors(load("{\"gaps\": {\"enabled\": true, \"interval\": 0}}"));
	assert_true(C.gaps.enabled);
	assert_int_equal(C.gaps.interval, 0);
	again();
	no_errors(load("{\"gaps\": {\"interval\": 1}}"));
	assert_int_equal(C.gaps.interval, 1);
	again();
	no_errors(load("{\"gaps\": {\"interval\": 86400}}"));
	assert_int_equal(C.gaps.interval, 86400);
}

/* Each value of gaps.KEY is refused with needle, at the key's line. */
static void
gaps_refuses(const char *key, const char *const *values, const char *needle)
{
	char text[256], path[64];
	size_t i;

	snprintf(path, sizeof(path), "gaps.%s", key);
	for (i = 0; values[i] != NULL; i++) {
		again();
		snprintf(text, sizeof(text), "{\n\"gaps\": {\n\"%s\": %s\n}\n"
		    "}\n", key, values[i]);
		if (load(text) != -1)
			fail_msg("gaps.%s: %s accepted", key, values[i]);
		(void)only_error_at(3, path, needle);
	}
}

static void
conf_load__gaps_bad_values__error_names_key_and_range(void **state)
{
	static const char *const intervals[] = { "-1", "86401", "\"1h\"",
	    "1.5", "true", "null", "4294967356", NULL };
	static const char *const enabled[] = { "1", "\"true\"", "null",
	    NULL };

	(void)state;
	gaps_refuses("interval", intervals, "expected a number of seconds "
	    "(0: at start and on SIGUSR1 only) from 0 to 86400");
	gaps_refuses("enabled", enabled, "expected true or false");
	again();
	assert_int_equal(load("{\n\"gaps\": {\n\"enable\": true\n}\n}\n"),
	    -1);
	(void)only_error_at(3, "gaps.enable", "unknown key; expected "
	    "enabled or interval");
	again();
	assert_int_equal(load("{\n\"gaps\": true\n}\n"), -1);
	(void)only_error_at(2, "gaps", "expected an object { ... }");
}

static void
conf_load__landlock_default__enabled_not_required(void **state)
{
	(void)state;
	no_errors(load("{}"));
	assert_true(C.landlock.enabled);
	assert_false(C.landlock.required);
}

static void
conf_load__landlock_valid__set(void **state)
{
	(void)state;
	no_errors(load("{\"landlock\": {\"enabled\": false}}"));
	assert_false(C.landlock.enabled);
	assert_false(C.landlock.required);
	again();
	no_errors(load("{\"landlock\": {\"enabled\": true, "
	    "\"required\": true}}"));
	assert_true(C.landlock.enabled);
	assert_true(C.landlock.required);
}

static void
conf_load__landlock_bad_values__error_names_key(void **state)
{
	static const char *const keys[] = { "enabled", "required" };
	static const char *const values[] = { "0", "\"true\"", "null", "{}",
	    NULL };
	char text[256], path[64];
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "landlock.%s", keys[k]);
		for (i = 0; values[i] != NULL; i++) {
			again();
			snprintf(text, sizeof(text), "{\n\"landlock\": {\n"
			    "\"%s\": %s\n}\n}\n", keys[k], values[i]);
			if (load(text) != -1)
				fail_msg("%s: %s accepted", path, values[i]);
			(void)only_error_at(3, path, "expected true or false");
		}
	}
	again();
	assert_int_equal(load("{\n\"landlock\": {\n\"require\": true\n}\n"
	    "}\n"), -1);
	(void)only_error_at(3, "landlock.require", "unknown key; expected "
	    "enabled or required");
	again();
	assert_int_equal(load("{\n\"landlock\": true\n}\n"), -1);
	(void)only_error_at(2, "landlock", "expected an object { ... }");
	/* Not a policy error: the daemon does not start without a filter. */
	assert_int_equal(E.policy, 0);
}

static void
conf_load__audit_socket_modes__each_set(void **state)
{
	(void)state;
	no_errors(load("{\"audit\": {\"socket\": \"unicast\"}}"));
	assert_int_equal(C.audit.socket, CONF_SOCKET_UNICAST);
	again();
	no_errors(load("{\"audit\": {\"socket\": \"multicast\"}}"));
	assert_int_equal(C.audit.socket, CONF_SOCKET_MULTICAST);
	again();
	no_errors(load("{\"audit\": {\"socket\": \"auto\"}}"));
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__audit_socket_bogus__line_key_and_modes(void **state)
{
	static const char *const bogus[] = { "\"bogus\"", NULL };

	(void)state;
	audit_refuses("socket", bogus, "unknown mode \"bogus\"; expected "
	    "auto, unicast or multicast");
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__audit_socket_not_a_string__lists_modes(void **state)
{
	static const char *const values[] = { "1", "true",
	    "[\"unicast\"]", NULL };

	(void)state;
	audit_refuses("socket", values, "expected \"auto\", \"unicast\" or "
	    "\"multicast\"");
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
}

static void
conf_load__audit_rcvbuf_valid_forms__set(void **state)
{
	(void)state;
	no_errors(load("{\"audit\": {\"rcvbuf\": 1048576}}"));
	assert_int_equal(C.audit.rcvbuf, 1048576);
	again();
	no_errors(load("{\"audit\": {\"rcvbuf\": \"16M\"}}"));
	assert_int_equal(C.audit.rcvbuf, 16 * 1024 * 1024);
	again();
	no_errors(load("{\"audit\": {\"rcvbuf\": \"64k\"}}"));
	assert_int_equal(C.audit.rcvbuf, 65536);
	again();
	no_errors(load("{\"audit\": {\"rcvbuf\": 65536}}"));
	assert_int_equal(C.audit.rcvbuf, 65536);
	again();
	no_errors(load("{\"audit\": {\"rcvbuf\": \"2047M\"}}"));
	assert_int_equal(C.audit.rcvbuf, 2047 * 1024 * 1024);
	again();
	no_errors(load("{\"audit\": {\"rcvbuf\": 2147483647}}"));
	assert_int_equal(C.audit.rcvbuf, INT_MAX);
}

static void
conf_load__audit_rcvbuf_bad_values__error_names_range(void **state)
{
	static const char *const values[] = { "100", "65535", "\"16Q\"",
	    "\"2048M\"", "2147483648", "-1", "true", "1.5", "\"\"", NULL };

	(void)state;
	audit_refuses("rcvbuf", values, "expected a size from 64k to 2047M, "
	    "as a number of bytes or a string like \"16M\"");
	assert_int_equal(C.audit.rcvbuf, 16 * 1024 * 1024);
}

static void
conf_load__audit_backlog_limit_valid__set(void **state)
{
	static const struct {
		const char	*text;
		uint32_t	 v;
	} ok[] = {
		{ "{\"audit\": {\"backlog_limit\": 0}}", 0 },
		{ "{\"audit\": {\"backlog_limit\": 1}}", 1 },
		{ "{\"audit\": {\"backlog_limit\": 65536}}", 65536 },
		{ "{\"audit\": {\"backlog_limit\": 4294967295}}", UINT32_MAX },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		again();
		no_errors(load(ok[i].text));
		assert_int_equal(C.audit.backlog_limit, ok[i].v);
	}
}

static void
conf_load__audit_backlog_limit_bad_values__error(void **state)
{
	static const char *const values[] = { "-1", "4294967296", "\"8192\"",
	    "1.5", "true", "null", NULL };

	(void)state;
	audit_refuses("backlog_limit", values, "expected a number of records, "
	    "0 to leave the kernel's setting alone");
	assert_int_equal(C.audit.backlog_limit, 8192);
}

static void
conf_load__audit_backlog_wait_time_valid__set(void **state)
{
	static const struct {
		const char	*text;
		int64_t		 v;
	} ok[] = {
		{ "{\"audit\": {\"backlog_wait_time\": 0}}", 0 },
		{ "{\"audit\": {\"backlog_wait_time\": 60000}}", 60000 },
		{ "{\"audit\": {\"backlog_wait_time\": 600000}}", 600000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		again();
		no_errors(load(ok[i].text));
		assert_int_equal(C.audit.backlog_wait_time, ok[i].v);
	}
}

static void
conf_load__audit_backlog_wait_time_bad_values__error(void **state)
{
	static const char *const values[] = { "-1", "600001", "\"100\"",
	    "1.5", "false", NULL };

	(void)state;
	audit_refuses("backlog_wait_time", values, "expected a time in jiffies "
	    "from 0 to 600000");
	assert_int_equal(C.audit.backlog_wait_time, -1);
}

static void
conf_load__audit_without_backlog_keys__8192_and_minus_1(void **state)
{
	(void)state;
	no_errors(load("{\"audit\": {\"socket\": \"unicast\", "
	    "\"rcvbuf\": \"1M\"}}"));
	assert_int_equal(C.audit.backlog_limit, CONF_BACKLOG_LIMIT);
	assert_int_equal(C.audit.backlog_limit, 8192);
	assert_int_equal(C.audit.backlog_wait_time, -1);
}

static void
conf_load__audit_every_key__all_set(void **state)
{
	(void)state;
	no_errors(load(
	    "{\n"
	    "  \"audit\": {\n"
	    "    \"socket\": \"multicast\",\n"
	    "    \"rcvbuf\": \"32M\",\n"
	    "    \"backlog_limit\": 320,\n"
	    "    \"backlog_wait_time\": 15000\n"
	    "  }\n"
	    "}\n"));
	assert_int_equal(C.audit.socket, CONF_SOCKET_MULTICAST);
	assert_int_equal(C.audit.rcvbuf, 32 * 1024 * 1024);
	assert_int_equal(C.audit.backlog_limit, 320);
	assert_int_equal(C.audit.backlog_wait_time, 15000);
}

static void
conf_load__audit_not_object__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"audit\": \"unicast\"\n}\n"), -1);
	(void)only_error_at(2, "audit", "expected an object { ... }");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__audit_unknown_key__lists_keys(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"audit\": {\n"
	    "    \"socket\": \"auto\",\n"
	    "    \"backlog\": 100\n"			/* 4 */
	    "  }\n"
	    "}\n"), -1);
	(void)only_error_at(4, "audit.backlog", "unknown key; expected socket, "
	    "rcvbuf, backlog_limit or backlog_wait_time");
}

/* The keys of earlier versions say where they went. */
static void
conf_load__top_level_socket__moved_into_audit(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"original\": true,\n"
	    "  \"socket\": \"unicast\"\n"		/* 3 */
	    "}\n"), -1);
	(void)only_error_at(3, "socket", "moved into the \"audit\" section: "
	    "write \"audit\": {\"socket\": ...}");
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
	assert_int_equal(E.policy, 0);
}

static void
conf_load__top_level_rcvbuf__moved_into_audit(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"rcvbuf\": \"4M\",\n"			/* 2 */
	    "  \"audit\": {\"socket\": \"unicast\"}\n"
	    "}\n"), -1);
	(void)only_error_at(2, "rcvbuf", "moved into the \"audit\" section: "
	    "write \"audit\": {\"rcvbuf\": ...}");
	assert_int_equal(C.audit.rcvbuf, 16 * 1024 * 1024);
	assert_int_equal(C.audit.socket, CONF_SOCKET_UNICAST);
}

/*
 * One output, {"type": TYPE, ...}, with key on line 4 set to each of
 * values: exactly one error there, at outputs[0].KEY, containing needle.
 * A file output gets a path on the type's line, unless key is "path".
 */
static void
output_refuses(const char *type, const char *key, const char *const *values,
    const char *needle)
{
	char text[512], path[64];
	size_t i;

	snprintf(path, sizeof(path), "outputs[0].%s", key);
	for (i = 0; values[i] != NULL; i++) {
		again();
		snprintf(text, sizeof(text),
		    "{\n"
		    "\"outputs\": [{\n"
		    "\"type\": \"%s\"%s,\n"
		    "\"%s\": %s\n"				/* 4 */
		    "}]\n"
		    "}\n", type, strcmp(type, "file") == 0 &&
		    strcmp(key, "path") != 0 ? ", \"path\": \"/tmp/x.json\"" :
		    "", key, values[i]);
		if (load(text) != -1)
			fail_msg("%s output: %s: %s accepted", type, key,
			    values[i]);
		(void)only_error_at(4, path, needle);
		assert_int_equal(E.policy, 0);
	}
}

/* The one output of a file that must load: {"outputs": [ELEMENT]}. */
static const struct conf_output *
output_loads(const char *element)
{
	char text[512];

	again();
	snprintf(text, sizeof(text), "{\"outputs\": [%s]}", element);
	no_errors(load(text));
	assert_int_equal(C.noutputs, 1);
	return &C.outputs[0];
}

static void
conf_load__output_stdout__type_only(void **state)
{
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"stdout\"}");
	assert_int_equal(o->type, CONF_OUT_STDOUT);
	assert_null(o->path);
	assert_null(o->ident);
	assert_string_equal(o->where, "outputs[0]");
}

static void
conf_load__output_file_path_only__defaults(void **state)
{
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"file\", \"path\": \"/var/log/x.json\"}");
	assert_int_equal(o->type, CONF_OUT_FILE);
	assert_string_equal(o->path, "/var/log/x.json");
	assert_int_equal(o->rotate_size, CONF_ROTATE_SIZE);
	assert_int_equal(o->rotate_size, 100 * 1024 * 1024);
	assert_int_equal(o->keep, 5);
	assert_int_equal(o->mode, 0640);
	assert_null(o->group);
	assert_int_equal(o->gid, (gid_t)-1);
	assert_string_equal(o->where, "outputs[0]");
}

static void
conf_load__output_syslog_type_only__defaults(void **state)
{
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"syslog\"}");
	assert_int_equal(o->type, CONF_OUT_SYSLOG);
	assert_string_equal(o->path, "/dev/log");
	assert_int_equal(o->facility, LOG_AUTHPRIV);
	assert_string_equal(o->ident, "seccompmon");
	assert_false(o->cee);
	assert_false(o->rfc5424);
}

static void
conf_load__output_journald_type_only__defaults(void **state)
{
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"journald\"}");
	assert_int_equal(o->type, CONF_OUT_JOURNALD);
	assert_string_equal(o->path, "/run/systemd/journal/socket");
	assert_string_equal(o->ident, "seccompmon");
}

static void
conf_load__outputs_every_key__all_set_in_order(void **state)
{
	const struct conf_output *o;

	(void)state;
	no_errors(load(
	    "{\"outputs\": [\n"
	    "  {\"type\": \"file\", \"path\": \"/srv/a.json\",\n"
	    "   \"rotate_size\": \"1G\", \"keep\": 0, \"mode\": \"0600\",\n"
	    "   \"group\": \"adm\"},\n"
	    "  {\"type\": \"syslog\", \"socket\": \"/run/log\",\n"
	    "   \"facility\": \"daemon\", \"ident\": \"sm\", \"cee\": true,\n"
	    "   \"format\": \"rfc5424\"},\n"
	    "  {\"type\": \"journald\", \"socket\": \"/run/j\",\n"
	    "   \"ident\": \"sm2\"},\n"
	    "  {\"type\": \"stdout\"},\n"
	    "  {\"type\": \"file\", \"path\": \"/srv/b.json\",\n"
	    "   \"rotate_size\": 0, \"keep\": 1000, \"group\": \"4\"}\n"
	    "]}\n"));
	assert_int_equal(C.noutputs, 5);
	o = &C.outputs[0];
	assert_int_equal(o->type, CONF_OUT_FILE);
	assert_string_equal(o->path, "/srv/a.json");
	assert_int_equal(o->rotate_size, 1024 * 1024 * 1024);
	assert_int_equal(o->keep, 0);
	assert_int_equal(o->mode, 0600);
	assert_string_equal(o->group, "adm");
	assert_string_equal(o->where, "outputs[0]");
	o = &C.outputs[1];
	assert_int_equal(o->type, CONF_OUT_SYSLOG);
	assert_string_equal(o->path, "/run/log");
	assert_int_equal(o->facility, LOG_DAEMON);
	assert_string_equal(o->ident, "sm");
	assert_true(o->cee);
	assert_true(o->rfc5424);
	assert_string_equal(o->where, "outputs[1]");
	o = &C.outputs[2];
	assert_int_equal(o->type, CONF_OUT_JOURNALD);
	assert_string_equal(o->path, "/run/j");
	assert_string_equal(o->ident, "sm2");
	o = &C.outputs[3];
	assert_int_equal(o->type, CONF_OUT_STDOUT);
	assert_string_equal(o->where, "outputs[3]");
	o = &C.outputs[4];
	assert_int_equal(o->type, CONF_OUT_FILE);
	assert_int_equal(o->rotate_size, 0);
	assert_int_equal(o->keep, 1000);
	assert_int_equal(o->mode, 0640);
	assert_string_equal(o->group, "4");
}

static void
conf_load__output_file_rotate_size_forms__set(void **state)
{
	static const struct {
		const char	*v;
		uint64_t	 want;
	} ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "\"4k\"", 4096 },
		{ "\"100M\"", 100ULL << 20 }, { "\"1G\"", 1ULL << 30 },
		{ "\"1024T\"", 1ULL << 50 }, { "1125899906842624", 1ULL << 50 },
	};
	const struct conf_output *o;
	char elem[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(elem, sizeof(elem), "{\"type\": \"file\", \"path\": "
		    "\"/x.json\", \"rotate_size\": %s}", ok[i].v);
		o = output_loads(elem);
		if (o->rotate_size != ok[i].want)
			fail_msg("rotate_size %s: %llu", ok[i].v,
			    (unsigned long long)o->rotate_size);
	}
}

static void
conf_load__output_file_rotate_size_bad__error(void **state)
{
	static const char *const values[] = { "1", "4095", "\"4095\"",
	    "\"1025T\"", "\"2P\"", "-1", "1.5", "true", "\"\"", NULL };

	(void)state;
	output_refuses("file", "rotate_size", values, "expected a size from "
	    "4k to 1024T, or 0 for never");
}

static void
conf_load__output_file_keep_bad__error(void **state)
{
	static const char *const values[] = { "-1", "1001", "\"5\"", "1.5",
	    "null", NULL };

	(void)state;
	output_refuses("file", "keep", values, "expected a number of rotated "
	    "files from 0 to 1000");
}

static void
conf_load__output_file_mode_octal__set(void **state)
{
	static const struct {
		const char	*v;
		mode_t		 want;
	} ok[] = {
		{ "0640", 0640 }, { "0600", 0600 }, { "0666", 0666 },
		{ "0444", 0444 }, { "0", 0 }, { "640", 0640 },
	};
	const struct conf_output *o;
	char elem[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(elem, sizeof(elem), "{\"type\": \"file\", \"path\": "
		    "\"/x.json\", \"mode\": \"%s\"}", ok[i].v);
		o = output_loads(elem);
		if (o->mode != ok[i].want)
			fail_msg("mode \"%s\": 0%o", ok[i].v,
			    (unsigned)o->mode);
	}
}

/* No execute bits (0777, 0750), no setuid, setgid or sticky bits. */
static void
conf_load__output_file_mode_bad__error(void **state)
{
	static const char *const values[] = { "\"0777\"", "\"0750\"",
	    "\"0641\"", "\"4644\"", "\"2640\"", "\"1640\"", "\"abc\"",
	    "\"0648\"", "\"-0640\"", "\" 0640\"", "\"0640 \"", "\"0x1a0\"",
	    NULL };
	static const char *const not_string[] = { "640", "0", "true", NULL };

	(void)state;
	output_refuses("file", "mode", values, "expected an octal mode such "
	    "as \"0640\" (no execute, setuid or sticky bits)");
	output_refuses("file", "mode", not_string, "expected a string");
	assert_int_equal(C.noutputs, 1);
	assert_int_equal(C.outputs[0].mode, 0640);
}

static void
conf_load__output_file_group_not_string__error(void **state)
{
	static const char *const values[] = { "4", "\"\"", "[\"adm\"]",
	    NULL };

	(void)state;
	output_refuses("file", "group", values, "expected a");
}

static void
conf_load__output_file_without_path__error_at_element(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\"type\": \"stdout\"},\n"
	    "    {\"type\": \"file\",\n"			/* 4 */
	    "     \"keep\": 2}\n"
	    "  ]\n"
	    "}\n"), -1);
	(void)only_error_at(4, "outputs[1]", "a file output needs \"path\"");
}

static void
conf_load__output_relative_path__expects_absolute(void **state)
{
	static const char *const values[] = { "\"var/log/x.json\"",
	    "\"./x.json\"", "\"x\"", NULL };

	(void)state;
	output_refuses("file", "path", values, "expected an absolute path");
	output_refuses("syslog", "socket", values, "expected an absolute "
	    "path");
	output_refuses("journald", "socket", values, "expected an absolute "
	    "path");
}

static void
conf_load__output_path_not_string__error(void **state)
{
	static const char *const values[] = { "\"\"", "7", "null", NULL };

	(void)state;
	output_refuses("syslog", "socket", values, "expected a");
	output_refuses("journald", "socket", values, "expected a");
	output_refuses("syslog", "ident", values, "expected a");
	output_refuses("journald", "ident", values, "expected a");
}

static void
conf_load__output_syslog_facilities__each_name(void **state)
{
	static const struct {
		const char	*name;
		int		 facility;
	} ok[] = {
		{ "kern", LOG_KERN }, { "user", LOG_USER },
		{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON },
		{ "auth", LOG_AUTH }, { "syslog", LOG_SYSLOG },
		{ "lpr", LOG_LPR }, { "news", LOG_NEWS },
		{ "uucp", LOG_UUCP }, { "cron", LOG_CRON },
		{ "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	const struct conf_output *o;
	char elem[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(elem, sizeof(elem), "{\"type\": \"syslog\", "
		    "\"facility\": \"%s\"}", ok[i].name);
		o = output_loads(elem);
		if (o->facility != ok[i].facility)
			fail_msg("facility \"%s\": %d, expected %d",
			    ok[i].name, o->facility, ok[i].facility);
	}
}

static void
conf_load__output_syslog_facility_unknown__lists_names(void **state)
{
	static const char *const values[] = { "\"bogus\"", "\"LOCAL0\"",
	    "\"local8\"", "\"security\"", NULL };
	static const char *const upper[] = { "\"LOCAL0\"", NULL };

	(void)state;
	output_refuses("syslog", "facility", values, "\"; expected auth, "
	    "authpriv, daemon, local0 ... local7, syslog, user, ...");
	output_refuses("syslog", "facility", upper, "unknown facility "
	    "\"LOCAL0\"");
}

static void
conf_load__output_syslog_format__rfc3164_or_rfc5424(void **state)
{
	static const char *const values[] = { "\"rfc9999\"", "\"RFC5424\"",
	    "\"5424\"", NULL };
	static const char *const upper[] = { "\"RFC5424\"", NULL };
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"syslog\", \"format\": \"rfc5424\"}");
	assert_true(o->rfc5424);
	o = output_loads("{\"type\": \"syslog\", \"format\": \"rfc3164\"}");
	assert_false(o->rfc5424);
	output_refuses("syslog", "format", values, "\"; expected rfc3164 or "
	    "rfc5424");
	output_refuses("syslog", "format", upper, "unknown format "
	    "\"RFC5424\"");
}

static void
conf_load__output_syslog_cee__boolean(void **state)
{
	static const char *const values[] = { "\"yes\"", "1", "null", NULL };
	const struct conf_output *o;

	(void)state;
	o = output_loads("{\"type\": \"syslog\", \"cee\": true}");
	assert_true(o->cee);
	o = output_loads("{\"type\": \"syslog\", \"cee\": false}");
	assert_false(o->cee);
	output_refuses("syslog", "cee", values, "expected true or false");
}

/* A key another type takes is still unknown here: the message lists. */
static void
conf_load__output_unknown_key__lists_the_types_keys(void **state)
{
	static const char *const value[] = { "1", NULL };

	(void)state;
	output_refuses("stdout", "path", value, "unknown key for a stdout "
	    "output; expected type");
	output_refuses("file", "facility", value, "unknown key for a file "
	    "output; expected type, path, rotate_size, keep, mode, group or queue");
	output_refuses("file", "socket", value, "unknown key for a file "
	    "output; expected type, path, rotate_size, keep, mode, group or queue");
	output_refuses("syslog", "path", value, "unknown key for a syslog "
	    "output; expected type, socket, facility, ident, cee, format or queue");
	output_refuses("journald", "facility", value, "unknown key for a "
	    "journald output; expected type, socket, ident or queue");
	output_refuses("journald", "bogus", value, "unknown key for a "
	    "journald output; expected type, socket, ident or queue");
}

static void
conf_load__output_unknown_type__lists_types(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\"type\": \"stdout\"},\n"
	    "    {\"path\": \"/x\",\n"
	    "     \"type\": \"kafka\"}\n"			/* 5 */
	    "  ]\n"
	    "}\n"), -1);
	(void)only_error_at(5, "outputs[1].type", "unknown output type "
	    "\"kafka\"; expected stdout, file, syslog or journald");
	assert_int_equal(E.policy, 0);
}

static void
conf_load__output_type_not_string__error(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\"type\": 1}\n"				/* 3 */
	    "  ]\n"
	    "}\n"), -1);
	(void)only_error_at(3, "outputs[0].type", "expected a string");
}

static void
conf_load__output_without_type__lists_types(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\n"					/* 3 */
	    "      \"path\": \"/var/log/x.json\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n"), -1);
	(void)only_error_at(3, "outputs[0]", "missing \"type\": stdout, file, "
	    "syslog or journald");
}

static void
conf_load__outputs_empty_list__leave_it_out_for_stdout(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"outputs\": []\n}\n"), -1);
	(void)only_error_at(2, "outputs", "expected at least one output "
	    "(leave the key out for stdout)");
	assert_int_equal(C.noutputs, 0);
}

static void
conf_load__outputs_not_a_list__error(void **state)
{
	(void)state;
	assert_int_equal(load("{\n\"outputs\": {\"type\": \"stdout\"}\n}\n"),
	    -1);
	(void)only_error_at(2, "outputs", "expected a list [ {\"type\": ...}, "
	    "... ]");
}

static void
conf_load__outputs_element_not_object__its_index_and_line(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\"type\": \"stdout\"},\n"
	    "    \"file:/var/log/x.json\"\n"		/* 4 */
	    "  ]\n"
	    "}\n"), -1);
	(void)only_error_at(4, "outputs[1]", "expected an object {\"type\": "
	    "...}");
}

/* Errors in a later element name its index and its own lines. */
static void
conf_load__outputs_errors_in_third__its_index_and_lines(void **state)
{
	(void)state;
	assert_int_equal(load(
	    "{\n"
	    "  \"outputs\": [\n"
	    "    {\"type\": \"stdout\"},\n"
	    "    {\"type\": \"syslog\"},\n"
	    "    {\n"
	    "      \"type\": \"file\",\n"
	    "      \"path\": \"/var/log/x.json\",\n"
	    "      \"mode\": \"0777\",\n"			/* 8 */
	    "      \"keep\": -3\n"				/* 9 */
	    "    }\n"
	    "  ]\n"
	    "}\n"), -1);
	assert_int_equal(E.n, 2);
	(void)error_at(8, "outputs[2].mode", "octal mode");
	(void)error_at(9, "outputs[2].keep", "rotated files");
}

static void
conf_output_arg__each_form__type_and_path(void **state)
{
	static const struct {
		const char		*spec;
		enum conf_output_type	 type;
		const char		*path;
	} ok[] = {
		{ "stdout", CONF_OUT_STDOUT, NULL },
		{ "file:/var/log/x.json", CONF_OUT_FILE, "/var/log/x.json" },
		{ "file:/a:b", CONF_OUT_FILE, "/a:b" },
		{ "syslog", CONF_OUT_SYSLOG, "/dev/log" },
		{ "syslog:/run/log", CONF_OUT_SYSLOG, "/run/log" },
		{ "journald", CONF_OUT_JOURNALD,
		    "/run/systemd/journal/socket" },
		{ "journald:/run/j.sock", CONF_OUT_JOURNALD, "/run/j.sock" },
	};
	const struct conf_output *o;
	char err[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		err[0] = '\0';
		if (conf_output_arg(&C, ok[i].spec, 1, err, sizeof(err)) != 0)
			fail_msg("\"%s\" refused: %s", ok[i].spec, err);
		assert_int_equal(C.noutputs, 1);
		o = &C.outputs[0];
		assert_int_equal(o->type, ok[i].type);
		if (ok[i].path == NULL)
			assert_null(o->path);
		else
			assert_string_equal(o->path, ok[i].path);
		assert_string_equal(o->where, "--output");
	}
}

/* The type's defaults, as in a file. */
static void
conf_output_arg__defaults__as_in_a_file(void **state)
{
	char err[300];

	(void)state;
	assert_int_equal(conf_output_arg(&C, "file:/x.json", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(conf_output_arg(&C, "syslog", 0, err, sizeof(err)),
	    0);
	assert_int_equal(conf_output_arg(&C, "journald", 0, err, sizeof(err)),
	    0);
	assert_int_equal(C.noutputs, 3);
	assert_int_equal(C.outputs[0].rotate_size, CONF_ROTATE_SIZE);
	assert_int_equal(C.outputs[0].keep, CONF_KEEP);
	assert_int_equal(C.outputs[0].mode, CONF_FILE_MODE);
	assert_null(C.outputs[0].group);
	assert_int_equal(C.outputs[0].gid, (gid_t)-1);
	assert_int_equal(C.outputs[1].facility, LOG_AUTHPRIV);
	assert_string_equal(C.outputs[1].ident, "seccompmon");
	assert_false(C.outputs[1].cee);
	assert_false(C.outputs[1].rfc5424);
	assert_string_equal(C.outputs[2].ident, "seccompmon");
}

static void
conf_output_arg__bad_specs__refused_list_unchanged(void **state)
{
	static const char *const bad[] = {
		"", "bogus", "std", "stdout:", "stdout:/x", "file", "file:",
		"file:x.json", "file:~/x.json", "files:/x", "syslog:",
		"syslog:dev/log", "journald:", "journald:run/j", ":/x",
		"Stdout", "syslog/dev/log", "file /x",
	};
	char err[300], want[300];
	size_t i;

	(void)state;
	no_errors(load("{\"outputs\": [{\"type\": \"syslog\"}, "
	    "{\"type\": \"journald\"}]}"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (conf_output_arg(&C, bad[i], 1, err, sizeof(err)) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
		snprintf(want, sizeof(want), "\"%s\": expected stdout, "
		    "file:PATH, syslog[:SOCKET] or journald[:SOCKET], with an "
		    "absolute path", bad[i]);
		assert_string_equal(err, want);
		/* Even as the first --output: the configured list stays. */
		assert_int_equal(C.noutputs, 2);
		assert_int_equal(C.outputs[0].type, CONF_OUT_SYSLOG);
		assert_int_equal(C.outputs[1].type, CONF_OUT_JOURNALD);
	}
}

static void
conf_output_arg__first_replaces_configured__later_add(void **state)
{
	char err[300];

	(void)state;
	no_errors(load("{\"outputs\": [{\"type\": \"syslog\"}, "
	    "{\"type\": \"file\", \"path\": \"/var/log/x.json\"}]}"));
	assert_int_equal(C.noutputs, 2);
	assert_int_equal(conf_output_arg(&C, "journald", 1, err, sizeof(err)),
	    0);
	assert_int_equal(C.noutputs, 1);
	assert_int_equal(C.outputs[0].type, CONF_OUT_JOURNALD);
	assert_int_equal(conf_output_arg(&C, "stdout", 0, err, sizeof(err)),
	    0);
	assert_int_equal(conf_output_arg(&C, "file:/tmp/y.json", 0, err,
	    sizeof(err)), 0);
	assert_int_equal(C.noutputs, 3);
	assert_int_equal(C.outputs[0].type, CONF_OUT_JOURNALD);
	assert_int_equal(C.outputs[1].type, CONF_OUT_STDOUT);
	assert_int_equal(C.outputs[2].type, CONF_OUT_FILE);
	assert_string_equal(C.outputs[2].path, "/tmp/y.json");
}

/* Without a configured list (stdout by default) the first adds one. */
static void
conf_output_arg__no_configured_list__first_is_the_only(void **state)
{
	char err[300];

	(void)state;
	assert_int_equal(conf_output_arg(&C, "syslog:/run/log", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(C.noutputs, 1);
	assert_int_equal(C.outputs[0].type, CONF_OUT_SYSLOG);
}

/*
 * The message of conf_check_host() that starts "FILE: KEY: what" (the
 * whole of it, but for what the C library says of a missing user).
 */
static void
host_error(const char *key, const char *what)
{
	char want[PATH_MAX + 300];
	size_t i;

	snprintf(want, sizeof(want), "%s: %s: %s", Path, key, what);
	for (i = 0; i < E.n; i++)
		if (strncmp(msg(i), want, strlen(want)) == 0)
			return;
	dump_errors();
	fail_msg("no error \"%s\"", want);
}

/* A file output with path and group (NULL: none); its check's errors. */
static int
check_file_output(const char *path, const char *group)
{
	char text[PATH_MAX + 200];

	again();
	if (group != NULL)
		snprintf(text, sizeof(text), "{\"outputs\": [{\"type\": "
		    "\"file\", \"path\": \"%s\", \"group\": \"%s\"}]}", path,
		    group);
	else
		snprintf(text, sizeof(text), "{\"outputs\": [{\"type\": "
		    "\"file\", \"path\": \"%s\"}]}", path);
	no_errors(load(text));
	return conf_check_host(&C, &E);
}

static void
conf_check_host__defaults__nothing_to_refuse(void **state)
{
	(void)state;
	assert_int_equal(conf_check_host(&C, &E), 0);
	assert_int_equal(E.n, 0);
}

static void
conf_check_host__no_such_user__error_names_key(void **state)
{
	(void)state;
	no_errors(load("{\"user\": \"no-such-user\"}"));
	assert_int_equal(conf_check_host(&C, &E), 1);
	host_error("user", "user \"no-such-user\": ");
	assert_int_equal(E.policy, 0);
}

static void
conf_check_host__existing_user__no_error(void **state)
{
	(void)state;
	no_errors(load("{\"user\": \"nobody\"}"));
	assert_int_equal(conf_check_host(&C, &E), 0);
	again();
	no_errors(load("{\"user\": \"0\"}"));
	assert_int_equal(conf_check_host(&C, &E), 0);
}

/* Without a file, the messages say "configuration". */
static void
conf_check_host__no_file__named_configuration(void **state)
{
	(void)state;
	C.user = strdup("no-such-user");
	assert_non_null(C.user);
	assert_int_equal(conf_check_host(&C, &E), 1);
	assert_true(strncmp(msg(0), "configuration: user: user "
	    "\"no-such-user\": ", 42) == 0);
}

static void
conf_check_host__no_such_group__error_names_output(void **state)
{
	(void)state;
	assert_int_equal(check_file_output("/tmp/x.json", "no-such-group"), 1);
	host_error("outputs[0]", "group: no such group \"no-such-group\"");
	assert_int_equal(C.outputs[0].gid, (gid_t)-1);
}

static void
conf_check_host__group_by_name_or_number__gid_resolved(void **state)
{
	(void)state;
	assert_int_equal(check_file_output("/tmp/x.json", "root"), 0);
	assert_int_equal(C.outputs[0].gid, 0);
	assert_int_equal(check_file_output("/tmp/x.json", "4242"), 0);
	assert_int_equal(C.outputs[0].gid, 4242);
	assert_int_equal(check_file_output("/tmp/x.json", "0"), 0);
	assert_int_equal(C.outputs[0].gid, 0);
	assert_int_equal(check_file_output("/tmp/x.json", NULL), 0);
	assert_int_equal(C.outputs[0].gid, (gid_t)-1);
}

/* conf_load() reported the missing path; the host check must not crash. */
/* The same output twice: events doubled, or files rotating each other. */
static void
conf_check_host__same_output_twice__error_names_both(void **state)
{
	char err[256];
	struct errlist e;
	char line[512];

	(void)state;
	assert_int_equal(conf_output_arg(&C, "file:/tmp/same.json", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(conf_output_arg(&C, "stdout", 0, err, sizeof(err)),
	    0);
	assert_int_equal(conf_output_arg(&C, "file:/tmp/same.json", 0, err,
	    sizeof(err)), 0);
	assert_int_equal(conf_output_arg(&C, "stdout", 0, err, sizeof(err)),
	    0);
	assert_int_equal(conf_output_arg(&C, "file:/tmp/other.json", 0, err,
	    sizeof(err)), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(conf_check_host(&C, &e), 2);
	assert_non_null(strstr(errlist_format(&e.e[0], line, sizeof(line)),
	    "the same output as --output"));
}

static void
conf_check_host__file_output_without_path__no_second_error(void **state)
{
	(void)state;
	assert_int_equal(load("{\"outputs\": [{\"type\": \"file\"}]}"), -1);
	assert_int_equal(E.n, 1);
	assert_int_equal(conf_check_host(&C, &E), 0);
	assert_int_equal(E.n, 1);
}

/* A relative path is refused by conf_load(), and only there. */
static void
conf_check_host__relative_path__no_second_error(void **state)
{
	(void)state;
	assert_int_equal(load("{\"outputs\": [{\"type\": \"file\", "
	    "\"path\": \"events.json\"}]}"), -1);
	assert_int_equal(E.n, 1);
	assert_int_equal(conf_check_host(&C, &E), 0);
	assert_int_equal(E.n, 1);
}

static void
conf_check_host__missing_directory__error_names_it(void **state)
{
	(void)state;
	assert_int_equal(check_file_output("/nonexistent-sm-dir/sub/x.json",
	    NULL), 1);
	host_error("outputs[0]", "path: directory /nonexistent-sm-dir/sub: "
	    "No such file or directory");
}

static void
conf_check_host__directory_is_a_file__not_a_directory(void **state)
{
	char file[PATH_MAX], path[PATH_MAX + 16], what[PATH_MAX + 40];
	int fd;

	(void)state;
	/* A regular file of our own, as the output's "directory". */
	snprintf(Dir, sizeof(Dir), "/tmp/test_conf.XXXXXX");
	assert_non_null(mkdtemp(Dir));
	snprintf(file, sizeof(file), "%s/plain", Dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(close(fd), 0);
	snprintf(path, sizeof(path), "%s/x.json", file);
	assert_int_equal(check_file_output(path, NULL), 1);
	snprintf(what, sizeof(what), "path: %s is not a directory", file);
	host_error("outputs[0]", what);
	(void)unlink(file);
}

static void
conf_check_host__path_is_a_directory__not_a_regular_file(void **state)
{
	(void)state;
	assert_int_equal(check_file_output("/tmp", NULL), 1);
	host_error("outputs[0]", "path: /tmp exists and is not a regular "
	    "file");
}

static void
conf_check_host__file_in_root_directory__no_error(void **state)
{
	(void)state;
	assert_int_equal(check_file_output("/no-such-sm-test-file.json",
	    NULL), 0);
}

/* Sockets are not checked: syslog or journald may come up later. */
static void
conf_check_host__message_outputs__not_checked(void **state)
{
	(void)state;
	no_errors(load("{\"outputs\": ["
	    "{\"type\": \"syslog\", \"socket\": \"/nonexistent/log\"}, "
	    "{\"type\": \"journald\", \"socket\": \"/nonexistent/j\"}]}"));
	assert_int_equal(conf_check_host(&C, &E), 0);
}

/* Every error at once, counted; the second output named by its index. */
static void
conf_check_host__several__all_counted(void **state)
{
	(void)state;
	no_errors(load("{\"user\": \"no-such-user\", \"outputs\": ["
	    "{\"type\": \"stdout\"}, "
	    "{\"type\": \"file\", \"path\": \"/nonexistent-sm/x.json\", "
	    "\"group\": \"no-such-group\"}]}"));
	assert_int_equal(conf_check_host(&C, &E), 3);
	assert_int_equal(E.n, 3);
	host_error("user", "user \"no-such-user\": ");
	host_error("outputs[1]", "group: no such group \"no-such-group\"");
	host_error("outputs[1]", "path: directory /nonexistent-sm: No such "
	    "file or directory");
}

/* Both confs say the same, field by field (outputs: none is stdout). */
static void
same_conf(const struct conf *a, const struct conf *b)
{
	static const struct conf_output std = { .type = CONF_OUT_STDOUT };
	const struct conf_output *oa, *ob;
	size_t na, nb, i, j;

	assert_int_equal(a->audit.socket, b->audit.socket);
	assert_int_equal(a->audit.rcvbuf, b->audit.rcvbuf);
	assert_int_equal(a->audit.backlog_limit, b->audit.backlog_limit);
	assert_int_equal(a->audit.backlog_wait_time,
	    b->audit.backlog_wait_time);
	na = a->noutputs ? a->noutputs : 1;
	nb = b->noutputs ? b->noutputs : 1;
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		oa = a->noutputs ? &a->outputs[i] : &std;
		ob = b->noutputs ? &b->outputs[i] : &std;
		assert_int_equal(oa->type, ob->type);
		if (oa->path == NULL || ob->path == NULL)
			assert_ptr_equal(oa->path, ob->path);
		else
			assert_string_equal(oa->path, ob->path);
		assert_int_equal(oa->rotate_size, ob->rotate_size);
		assert_int_equal(oa->keep, ob->keep);
		assert_int_equal(oa->mode, ob->mode);
		if (oa->group == NULL || ob->group == NULL)
			assert_ptr_equal(oa->group, ob->group);
		else
			assert_string_equal(oa->group, ob->group);
		assert_int_equal(oa->facility, ob->facility);
		if (oa->ident == NULL || ob->ident == NULL)
			assert_ptr_equal(oa->ident, ob->ident);
		else
			assert_string_equal(oa->ident, ob->ident);
		assert_int_equal(oa->cee, ob->cee);
		assert_int_equal(oa->rfc5424, ob->rfc5424);
	}
	if (a->host_name == NULL || b->host_name == NULL)
		assert_ptr_equal(a->host_name, b->host_name);
	else
		assert_string_equal(a->host_name, b->host_name);
	assert_int_equal(a->original, b->original);
	assert_int_equal(a->storm.enabled, b->storm.enabled);
	assert_int_equal(a->storm.window, b->storm.window);
	assert_int_equal(a->storm.burst, b->storm.burst);
	assert_int_equal(a->storm.max_keys, b->storm.max_keys);
	assert_int_equal(a->gaps.enabled, b->gaps.enabled);
	assert_int_equal(a->gaps.interval, b->gaps.interval);
	assert_int_equal(a->landlock.enabled, b->landlock.enabled);
	assert_int_equal(a->landlock.required, b->landlock.required);
	if (a->user == NULL || b->user == NULL)
		assert_ptr_equal(a->user, b->user);
	else
		assert_string_equal(a->user, b->user);
	/* The origin is not kept: the text lists the built-in list. */
	assert_int_equal(a->policy.enabled, b->policy.enabled);
	assert_int_equal(a->policy.required, b->policy.required);
	assert_int_equal(a->policy.arch, b->policy.arch);
	assert_int_equal(a->policy.default_action, b->policy.default_action);
	if (a->policy.default_action == POLICY_ERRNO)
		assert_int_equal(a->policy.default_err, b->policy.default_err);
	assert_int_equal(a->policy.nrules, b->policy.nrules);
	for (i = 0; i < a->policy.nrules; i++) {
		assert_int_equal(a->policy.rules[i].action,
		    b->policy.rules[i].action);
		/* The errno is only an errno action's. */
		if (a->policy.rules[i].action == POLICY_ERRNO)
			assert_int_equal(a->policy.rules[i].err,
			    b->policy.rules[i].err);
		assert_int_equal(a->policy.rules[i].nnames,
		    b->policy.rules[i].nnames);
		for (j = 0; j < a->policy.rules[i].nnames; j++)
			assert_string_equal(a->policy.rules[i].names[j],
			    b->policy.rules[i].names[j]);
	}
}

/*
 * C -> conf_to_text() -> a file -> conf_load() into a fresh conf, which
 * must load without an error and say the same as C; and its text, from the
 * JSON on (the header names the file and the origin), must be C's.
 */
static void
round_trip(void)
{
	struct conf d;
	char *text, *text2;

	text = conf_to_text(&C, 1);
	assert_non_null(text);
	if (Path[0] != '\0')
		(void)unlink(Path);
	write_file(text, strlen(text));
	assert_int_equal(conf_init(&d), 0);
	if (conf_load(&d, Path, 0, POLICY_ALL_ACTIONS, &E) != 0 || E.n != 0) {
		dump_errors();
		fail_msg("conf_to_text() gave a file with errors:\n%s", text);
	}
	same_conf(&C, &d);
	text2 = conf_to_text(&d, 1);
	assert_non_null(text2);
	assert_non_null(strstr(text, "\n{"));
	assert_non_null(strstr(text2, "\n{"));
	assert_string_equal(strstr(text2, "\n{"), strstr(text, "\n{"));
	free(text2);
	free(text);
	conf_free(&d);
}

static void
conf_to_text__defaults__comment_header_then_json(void **state)
{
	char want[512];
	char *text;

	(void)state;
	text = conf_to_text(&C, 1);
	assert_non_null(text);
	snprintf(want, sizeof(want),
	    "// seccompmon: the effective configuration, from built-in "
	    "defaults.\n"
	    "// seccomp: the built-in policy for %s; denials are audited "
	    "(SECCOMP_FILTER_FLAG_LOG).\n"
	    "// Check it with: seccompmon --check-config --config FILE\n"
	    "{\n", policy_arch_name(policy_native_arch()));
	if (strncmp(text, want, strlen(want)) != 0)
		fail_msg("\"%s\"\n  does not start \"%s\"", text, want);
	contains(text, "\"audit\"");
	contains(text, "\"outputs\"");
	contains(text, "\"seccomp\"");
	assert_string_equal(text + strlen(text) - 2, "}\n");
	free(text);
}

static void
conf_to_text__no_log_flag__not_audited(void **state)
{
	char *text;

	(void)state;
	text = conf_to_text(&C, 0);
	assert_non_null(text);
	contains(text, "; denials are not audited (SECCOMP_FILTER_FLAG_LOG).");
	free(text);
}

static void
conf_to_text__from_a_file__names_it_and_origin(void **state)
{
	char want[PATH_MAX + 80];
	char *text;

	(void)state;
	no_errors(conf_load(&C, DATA "blacklist.json", 0, POLICY_ALL_ACTIONS,
	    &E));
	text = conf_to_text(&C, 1);
	assert_non_null(text);
	snprintf(want, sizeof(want), "// seccompmon: the effective "
	    "configuration, from %s.\n// seccomp: the custom policy for ",
	    DATA "blacklist.json");
	if (strncmp(text, want, strlen(want)) != 0)
		fail_msg("\"%s\"\n  does not start \"%s\"", text, want);
	free(text);
}

static void
conf_to_text__defaults__round_trip(void **state)
{
	(void)state;
	round_trip();
}

static void
conf_to_text__every_key_set__round_trip(void **state)
{
	(void)state;
	no_errors(conf_load(&C, DATA "full.json", 0, POLICY_ALL_ACTIONS, &E));
	round_trip();
}

/* Values the data file does not use, and outputs from --output. */
static void
conf_to_text__other_values_and_output_args__round_trip(void **state)
{
	char err[300];

	(void)state;
	no_errors(load(
	    "{\n"
	    "  \"audit\": {\"socket\": \"unicast\", \"rcvbuf\": 65536,\n"
	    "    \"backlog_limit\": 0, \"backlog_wait_time\": 0},\n"
	    "  \"host_name\": \"h \\\"q\\\" /x\",\n"
	    "  \"user\": \"0\",\n"
	    "  \"storm\": {\"enabled\": false, \"window\": 1, \"burst\": 0,"
	    " \"max_keys\": 1},\n"
	    "  \"seccomp\": {\"enabled\": false, \"default_action\": "
	    "\"trap\"}\n"
	    "}\n"));
	assert_int_equal(conf_output_arg(&C, "file:/var/log/a b.json", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(conf_output_arg(&C, "syslog:/run/log", 0, err,
	    sizeof(err)), 0);
	assert_int_equal(conf_output_arg(&C, "journald", 0, err,
	    sizeof(err)), 0);
	C.outputs[0].rotate_size = 0;
	C.outputs[0].keep = 0;
	C.outputs[0].mode = 0;
	C.outputs[1].facility = LOG_LOCAL7;
	round_trip();
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

/*
 * json-c keeps "\u0000" inside a value, where a C string stops: no string
 * of the file may pass for the part before it ("unicast\u0000x" is not
 * unicast).  Each value would be valid without the NUL and what follows.
 */
static void
conf_load__string_with_nul__error_names_each_key(void **state)
{
	static const char *const audit[][2] = {
		{ "socket", "\"unicast\\u0000x\"" },
		{ "rcvbuf", "\"16M\\u0000x\"" },
	};
	static const char *const outputs[][3] = {
		{ "file", "rotate_size", "\"100M\\u0000x\"" },
		{ "file", "mode", "\"0640\\u0000x\"" },
		{ "file", "group", "\"adm\\u0000x\"" },
		{ "syslog", "socket", "\"/dev/log\\u0000x\"" },
		{ "syslog", "facility", "\"authpriv\\u0000x\"" },
		{ "syslog", "ident", "\"seccompmon\\u0000x\"" },
		{ "syslog", "format", "\"rfc5424\\u0000x\"" },
		{ "journald", "socket", "\"/run/j\\u0000x\"" },
		{ "journald", "ident", "\"seccompmon\\u0000x\"" },
	};
	static const char *const seccomp[][2] = {
		{ "{\"default_action\": \"allow\\u0000x\"}",
		    "seccomp.default_action" },
		{ "{\"default_action\": \"errno\", \"syscalls\": [{\"action\": "
		    "\"allow\\u0000junk\", \"names\": [\"read\"]}]}",
		    "seccomp.syscalls[0].action" },
		{ "{\"default_action\": \"allow\", \"syscalls\": [{\"action\": "
		    "\"errno\", \"errno\": \"ENOSYS\\u0000x\", \"names\": "
		    "[\"read\"]}]}",
		    "seccomp.syscalls[0].errno" },
		{ "{\"default_action\": \"allow\", \"syscalls\": [{\"action\": "
		    "\"errno\", \"names\": [\"read\\u0000x\"]}]}",
		    "seccomp.syscalls[0].names[0]" },
	};
	static const char nul[] = "without NUL (\\u0000)";
	const char *values[2] = { NULL, NULL };
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(audit) / sizeof(audit[0]); i++) {
		values[0] = audit[i][1];
		audit_refuses(audit[i][0], values, nul);
	}
	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		values[0] = outputs[i][2];
		output_refuses(outputs[i][0], outputs[i][1], values, nul);
	}
	/* A file output without its path is also said. */
	again();
	assert_int_equal(load("{\n\"outputs\": [{\n\"type\": \"file\",\n"
	    "\"path\": \"/tmp/x.json\\u0000y\"\n}]\n}\n"), -1);
	(void)error_at(4, "outputs[0].path", nul);
	assert_int_equal(E.n, 2);
	again();
	assert_int_equal(load("{\n\"outputs\": [{\n\"type\": \"stdout\\u0000x\""
	    "\n}]\n}\n"), -1);
	(void)only_error_at(3, "outputs[0].type", nul);
	again();
	assert_int_equal(load("{\n\"host_name\": \"web-01\\u0000x\"\n}\n"), -1);
	(void)only_error_at(2, "host_name", nul);
	again();
	assert_int_equal(load("{\n\"user\": \"nobody\\u0000x\"\n}\n"), -1);
	(void)only_error_at(2, "user", nul);
	for (i = 0; i < sizeof(seccomp) / sizeof(seccomp[0]); i++) {
		again();
		snprintf(text, sizeof(text), "{\n\"seccomp\":\n%s\n}\n",
		    seccomp[i][0]);
		assert_int_equal(load(text), -1);
		(void)only_error_at(3, seccomp[i][1], nul);
		assert_int_equal(E.policy, 1);
	}
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
	const struct conf_output *o;

	(void)state;
	no_errors(conf_load(&C, DATA "full.json", 0, POLICY_ALL_ACTIONS, &E));
	assert_string_equal(C.path, DATA "full.json");
	assert_int_equal(C.audit.socket, CONF_SOCKET_MULTICAST);
	assert_int_equal(C.audit.rcvbuf, 4 * 1024 * 1024);
	assert_int_equal(C.audit.backlog_limit, 16384);
	assert_int_equal(C.audit.backlog_wait_time, 60000);
	assert_int_equal(C.storm.window, 60);
	assert_int_equal(C.storm.burst, 100);
	assert_int_equal(C.storm.max_keys, 512);
	assert_false(C.landlock.enabled);
	assert_true(C.landlock.required);
	assert_int_equal(C.noutputs, 4);
	o = &C.outputs[0];
	assert_int_equal(o->type, CONF_OUT_STDOUT);
	o = &C.outputs[1];
	assert_int_equal(o->type, CONF_OUT_FILE);
	assert_string_equal(o->path, "/var/log/seccompmon-full-test.json");
	assert_int_equal(o->rotate_size, 10 * 1024 * 1024);
	assert_int_equal(o->keep, 3);
	assert_int_equal(o->mode, 0600);
	assert_string_equal(o->group, "adm");
	o = &C.outputs[2];
	assert_int_equal(o->type, CONF_OUT_SYSLOG);
	assert_string_equal(o->path, "/run/seccompmon-test/log");
	assert_int_equal(o->facility, LOG_LOCAL3);
	assert_string_equal(o->ident, "seccompmon-test");
	assert_true(o->cee);
	assert_true(o->rfc5424);
	o = &C.outputs[3];
	assert_int_equal(o->type, CONF_OUT_JOURNALD);
	assert_string_equal(o->path, "/run/seccompmon-test/journal");
	assert_string_equal(o->ident, "seccompmon-test");
	assert_string_equal(C.host_name, "web-01");
	assert_true(C.original);
	assert_string_equal(C.user, "nobody");
	assert_true(C.policy.enabled);
	assert_true(C.policy.required);
	assert_int_equal(C.policy.origin, POLICY_CUSTOM);
	assert_int_equal(C.policy.default_action, POLICY_LOG);
	assert_int_equal(C.policy.nrules, 2);
	assert_int_equal(C.policy.rules[0].action, POLICY_ALLOW);
	assert_int_equal(C.policy.rules[0].nnames, 2);
	assert_int_equal(C.policy.rules[1].action, POLICY_ERRNO);
	assert_int_equal(C.policy.rules[1].err, ENOSYS);
	assert_string_equal(C.policy.rules[1].names[0], "clone3");
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
	    "  \"audit\": {\"socket\": \"bogus\", \"rcvbuf\": 1},\n"
	    "  \"outputs\": [{\"type\": \"file\"}],\n"
	    "  \"seccomp\": {\"default_action\": \"log\"}\n"
	    "}\n"), -1);
	assert_int_equal(E.n, 3);
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
	assert_int_equal(C.audit.socket, CONF_SOCKET_AUTO);
	assert_int_equal(C.audit.rcvbuf, 16 * 1024 * 1024);
	assert_int_equal(C.audit.backlog_limit, 8192);
	assert_int_equal(C.audit.backlog_wait_time, -1);
	assert_int_equal(C.noutputs, 0);
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
		if (strncmp(msg(i), "built-in policy: ", 17) != 0)
			fail_msg("\"%s\" is not about the built-in policy",
			    msg(i));
		contains(msg(i), "errno");
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
	assert_true(strncmp(msg(0),
	    "/nonexistent/seccompmon/seccompmon.json: ", 41) == 0);
	contains(msg(0), "No such file");
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
	assert_string_equal(msg(0), want);
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
	assert_true(strncmp(msg(0), Path, strlen(Path)) == 0);
	contains(msg(0), "larger than");
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

/*
 * The largest files: 1 MB of keys in one object, each an error.  Comparing
 * each with every earlier one took 30 s of CPU; sorted, well under a
 * second.  No time is asserted (no timed unit tests): this must finish, and
 * count every error.
 */
static void
conf_load__1mb_object_of_keys__each_error_counted(void **state)
{
	char *text;
	size_t len, n = 0;

	(void)state;
	text = malloc(CONF_MAX_BYTES);
	assert_non_null(text);
	len = (size_t)snprintf(text, CONF_MAX_BYTES, "{\"audit\": {");
	while (len + 32 < CONF_MAX_BYTES)
		len += (size_t)snprintf(text + len, CONF_MAX_BYTES - len,
		    "\"%zx\":1,", n++);
	/* The first again: json-c keeps one of them. */
	len += (size_t)snprintf(text + len, CONF_MAX_BYTES - len,
	    "\"0\":1}}");
	assert_true(n > 95000);
	write_file(text, len);
	free(text);
	assert_int_equal(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E), -1);
	assert_int_equal(errlist_count(&E), n + 1);
	contains(msg(0), "audit.0: duplicate key");
	contains(msg(1), "unknown key; expected socket");
}

/*
 * 1 MB of distinct unknown syscall names: comparing each with every earlier
 * one took 24 s of CPU.  As above, no time asserted.
 */
static void
conf_load__1mb_of_syscall_names__each_error_counted(void **state)
{
	static const char head[] = "{\"seccomp\": {\"default_action\": "
	    "\"allow\", \"syscalls\": [{\"action\": \"errno\", \"names\": [";
	char *text;
	size_t len, n = 0;

	(void)state;
	text = malloc(CONF_MAX_BYTES);
	assert_non_null(text);
	len = (size_t)snprintf(text, CONF_MAX_BYTES, "%s", head);
	while (len + 32 < CONF_MAX_BYTES)
		len += (size_t)snprintf(text + len, CONF_MAX_BYTES - len,
		    "\"n%zx\",", n++);
	/* The first again: unknown and a duplicate. */
	len += (size_t)snprintf(text + len, CONF_MAX_BYTES - len,
	    "\"n0\"]}]}}");
	assert_true(n > 100000);
	write_file(text, len);
	free(text);
	assert_int_equal(conf_load(&C, Path, 0, POLICY_ALL_ACTIONS, &E), -1);
	assert_int_equal(errlist_count(&E), n + 2);
	assert_int_equal(E.policy, n + 2);
	contains(msg(0), "unknown syscall \"n0\"");
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
	struct jsonpos jp = { NULL, 0, 0, NULL };
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
	struct jsonpos jp = { NULL, 0, 0, NULL };

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
	struct jsonpos jp = { NULL, 0, 0, NULL };

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
	struct jsonpos jp = { NULL, 0, 0, NULL };
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

/* The keys of the duplicates in text, in order, joined by '|'. */
static void
duplicates(const char *text, const char *want)
{
	struct jsonpos jp = { NULL, 0, 0, NULL };
	char got[1024] = "";
	size_t i;

	assert_int_equal(scan(&jp, text), 0);
	for (i = 0; i < jp.n; i++)
		if (jp.v[i].duplicate)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", got[0] ? "|" : "", jp.v[i].path);
	jsonpos_free(&jp);
	assert_string_equal(got, want);
}

/* Decoded as json-c decodes (json_tokener.c), so merged as it merges. */
static void
jsonpos_scan__escapes_and_surrogates__decoded_as_json_c(void **state)
{
	(void)state;
	duplicates("{\"a\\/b\\\"\\\\\\t\": 1, \"a/b\\\"\\\\\t\": 2}",
	    "a/b\"\\\t");
	duplicates("{\"\\u00e9\\u0800\\uFFFF\": 1, \"\xc3\xa9\xe0\xa0\x80"
	    "\xef\xbf\xbf\": 2}", "\xc3\xa9\xe0\xa0\x80\xef\xbf\xbf");
	duplicates("{\"\\uD83D\\uDE00\": 1, \"\xf0\x9f\x98\x80\": 2}",
	    "\xf0\x9f\x98\x80");
	/* A lone surrogate, high or low, is U+FFFD. */
	duplicates("{\"a\\ud800\": 1, \"a\\ufffd\": 2, \"b\\udc00\": 3, "
	    "\"b\xef\xbf\xbd\": 4}", "a\xef\xbf\xbd|b\xef\xbf\xbd");
	/* What follows a lone high surrogate is read on its own. */
	duplicates("{\"\\ud800\\ud83d\\ude00\": 1, "
	    "\"\\ufffd\xf0\x9f\x98\x80\": 2, \"\\ud800x\": 3, "
	    "\"\xef\xbf\xbdx\": 4}",
	    "\xef\xbf\xbd\xf0\x9f\x98\x80|\xef\xbf\xbdx");
	/* Different escapes, different keys. */
	duplicates("{\"\\u0041\": 1, \"\\u0061\": 2, \"\\ud83d\\ude01\": 3, "
	    "\"\\ud83d\\ude00\": 4}", "");
}

static void
jsonpos_scan__key_with_escaped_nul__2_at_its_quote(void **state)
{
	static const char text[] = "{\n  \"a\": {\"b\\u0000\": 1}\n}";
	struct jsonpos jp = { NULL, 0, 0, NULL };
	size_t bad = 0;

	(void)state;
	assert_int_equal(jsonpos_scan(&jp, text, strlen(text), &bad), 2);
	assert_int_equal(bad, strchr(text, 'b') - 1 - text);
	/* The value may hold one: the configuration's readers refuse it. */
	jsonpos_free(&jp);
	assert_int_equal(scan(&jp, "{\"a\": \"b\\u0000\"}"), 0);
	jsonpos_free(&jp);
}

static void
jsonpos_scan__long_keys__compared_whole(void **state)
{
	char text[1024], k[301];

	(void)state;
	memset(k, 'k', 300);
	k[300] = '\0';
	snprintf(text, sizeof(text), "{\"%s\": 1, \"%.299sx\": 2}", k, k);
	duplicates(text, "");
	snprintf(text, sizeof(text), "{\"%s\": 1, \"%s\": 2}", k, k);
	duplicates(text, k);
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
	T(conf_load__duplicate_key_in_rule__second_line_fatal),
	T(conf_load__duplicate_key_bad_second_value__second_line),
	T(conf_load__escaped_duplicate_enabled__fatal_second_line),
	T(conf_load__escaped_duplicate_action__duplicate_key),
	T(conf_load__escaped_duplicate_section__duplicate_key),
	T(conf_load__surrogate_pair_and_raw_utf8__duplicate_key),
	T(conf_load__escaped_key_bad_value__line_of_decoded_key),
	T(conf_load__key_with_escaped_nul__error_line_and_column),
	T(conf_load__long_keys_differing_at_the_end__not_duplicates),
	T(conf_load__unknown_top_level_key__lists_keys),
	T(conf_load__storm_valid__set),
	T(conf_load__storm_bad_values__error_names_range),
	T(conf_load__storm_unknown_key_or_not_object__error),
	T(conf_load__context_default_and_set__values_and_paths),
	T(conf_load__context_bad_values__error_names_key),
	T(conf_load__stats_default__every_60_seconds),
	T(conf_load__stats_valid__set),
	T(conf_load__stats_bad_values__error_names_key_and_range),
	T(conf_load__gaps_default__every_hour),
	T(conf_load__gaps_valid__set),
	T(conf_load__gaps_bad_values__error_names_key_and_range),
	T(conf_load__landlock_default__enabled_not_required),
	T(conf_load__landlock_valid__set),
	T(conf_load__landlock_bad_values__error_names_key),
	T(conf_load__audit_socket_modes__each_set),
	T(conf_load__audit_socket_bogus__line_key_and_modes),
	T(conf_load__audit_socket_not_a_string__lists_modes),
	T(conf_load__audit_rcvbuf_valid_forms__set),
	T(conf_load__audit_rcvbuf_bad_values__error_names_range),
	T(conf_load__audit_backlog_limit_valid__set),
	T(conf_load__audit_backlog_limit_bad_values__error),
	T(conf_load__audit_backlog_wait_time_valid__set),
	T(conf_load__audit_backlog_wait_time_bad_values__error),
	T(conf_load__audit_without_backlog_keys__8192_and_minus_1),
	T(conf_load__audit_every_key__all_set),
	T(conf_load__audit_not_object__error),
	T(conf_load__audit_unknown_key__lists_keys),
	T(conf_load__top_level_socket__moved_into_audit),
	T(conf_load__top_level_rcvbuf__moved_into_audit),
	T(conf_load__output_stdout__type_only),
	T(conf_load__output_file_path_only__defaults),
	T(conf_load__output_syslog_type_only__defaults),
	T(conf_load__output_journald_type_only__defaults),
	T(conf_load__outputs_every_key__all_set_in_order),
	T(conf_load__output_file_rotate_size_forms__set),
	T(conf_load__output_file_rotate_size_bad__error),
	T(conf_load__output_file_keep_bad__error),
	T(conf_load__output_file_mode_octal__set),
	T(conf_load__output_file_mode_bad__error),
	T(conf_load__output_file_group_not_string__error),
	T(conf_load__output_file_without_path__error_at_element),
	T(conf_load__output_relative_path__expects_absolute),
	T(conf_load__output_path_not_string__error),
	T(conf_load__output_syslog_facilities__each_name),
	T(conf_load__output_syslog_facility_unknown__lists_names),
	T(conf_load__output_syslog_format__rfc3164_or_rfc5424),
	T(conf_load__output_syslog_cee__boolean),
	T(conf_load__output_unknown_key__lists_the_types_keys),
	T(conf_load__output_unknown_type__lists_types),
	T(conf_load__output_type_not_string__error),
	T(conf_load__output_without_type__lists_types),
	T(conf_load__outputs_empty_list__leave_it_out_for_stdout),
	T(conf_load__outputs_not_a_list__error),
	T(conf_load__outputs_element_not_object__its_index_and_line),
	T(conf_load__outputs_errors_in_third__its_index_and_lines),
	T(conf_output_arg__each_form__type_and_path),
	T(conf_output_arg__defaults__as_in_a_file),
	T(conf_output_arg__bad_specs__refused_list_unchanged),
	T(conf_output_arg__first_replaces_configured__later_add),
	T(conf_output_arg__no_configured_list__first_is_the_only),
	T(conf_check_host__defaults__nothing_to_refuse),
	T(conf_check_host__no_such_user__error_names_key),
	T(conf_check_host__existing_user__no_error),
	T(conf_check_host__no_file__named_configuration),
	T(conf_check_host__no_such_group__error_names_output),
	T(conf_check_host__group_by_name_or_number__gid_resolved),
	T(conf_check_host__same_output_twice__error_names_both),
	T(conf_check_host__file_output_without_path__no_second_error),
	T(conf_check_host__relative_path__no_second_error),
	T(conf_check_host__missing_directory__error_names_it),
	T(conf_check_host__directory_is_a_file__not_a_directory),
	T(conf_check_host__path_is_a_directory__not_a_regular_file),
	T(conf_check_host__file_in_root_directory__no_error),
	T(conf_check_host__message_outputs__not_checked),
	T(conf_check_host__several__all_counted),
	T(conf_to_text__defaults__comment_header_then_json),
	T(conf_to_text__no_log_flag__not_audited),
	T(conf_to_text__from_a_file__names_it_and_origin),
	T(conf_to_text__defaults__round_trip),
	T(conf_to_text__every_key_set__round_trip),
	T(conf_to_text__other_values_and_output_args__round_trip),
	T(conf_load__host_name__set_or_error),
	T(conf_load__string_with_nul__error_names_each_key),
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
	T(conf_load__1mb_object_of_keys__each_error_counted),
	T(conf_load__1mb_of_syscall_names__each_error_counted),
	T(conf_parse_size__valid__bytes),
	T(conf_parse_size__invalid__minus_one),
	T(jsonpos_scan__single_quoted_key__stops_there),
	T(jsonpos_line__nested_paths__their_lines),
	T(jsonpos_line__unrecorded_path__nearest_ancestor),
	T(jsonpos_scan__repeated_key__second_marked_duplicate),
	T(jsonpos_scan__escapes_and_surrogates__decoded_as_json_c),
	T(jsonpos_scan__key_with_escaped_nul__2_at_its_quote),
	T(jsonpos_scan__long_keys__compared_whole),
	T(jsonpos_strip_comments__both_kinds__blanked_lines_kept),
	T(jsonpos_strip_comments__unterminated__line_of_start),
	T(jsonpos_line_at__offsets__one_based_lines),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
