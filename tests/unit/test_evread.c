/*
 * Unit tests for reporter/evread: seccompmon's JSON events and raw audit
 * lines into one struct evitem (violations, summaries, losses), malformed
 * and hostile lines, RFC 3339 times, and the bounded line reader on real
 * files.  Lines are passed in heap blocks without a terminating NUL.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/audit.h>

#include "reporter/evread.h"
#include "reporter/systab.h"

static struct evreader *rd;
static char *heap;
static char err[160];

static int
setup(void **state)
{
	(void)state;
	rd = evreader_new();
	return rd == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	evreader_free(rd);
	free(heap);
	heap = NULL;
	systab_free();
	return 0;
}

/* Parse s from an exact-size heap copy (no NUL after it). */
static int
parse(const char *s, struct evitem *it)
{
	size_t n = strlen(s);

	free(heap);
	heap = malloc(n ? n : 1);
	assert_non_null(heap);
	memcpy(heap, s, n);
	return evreader_parse(rd, heap, n, it, err, sizeof(err));
}

#define HEAD "{\"@timestamp\":\"2026-11-27T22:06:26.337Z\"," \
	"\"ecs\":{\"version\":\"8.11.0\"},\"event\":{\"kind\":\"event\","

static void
evreader_parse__violation_json__key_fields(void **state)
{
	struct evitem it;

	(void)state;
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\","
	    "\"sequence\":2},\"process\":{\"pid\":2038,\"name\":\"app\","
	    "\"executable\":\"/tmp/exp/exp\"},\"service\":{\"name\":"
	    "\"exp.service\"},\"container\":{\"id\":\"4f797c539e6c\"},"
	    "\"orchestrator\":{\"type\":\"kubernetes\",\"namespace\":\"ns\","
	    "\"resource\":{\"type\":\"pod\",\"id\":\"u\",\"name\":\"web-0\"}},"
	    "\"seccomp\":{\"action\":\"errno\",\"syscall\":{\"name\":"
	    "\"getppid\",\"number\":110},\"arch\":\"x86_64\"}}", &it), 0);
	assert_int_equal(it.kind, EV_VIOLATION);
	assert_int_equal(it.time_ms, 1795817186337LL);
	assert_int_equal(it.last_ms, it.time_ms);
	assert_string_equal(it.exe, "/tmp/exp/exp");
	assert_string_equal(it.service, "exp.service");
	assert_string_equal(it.container_id, "4f797c539e6c");
	assert_string_equal(it.pod_namespace, "ns");
	assert_string_equal(it.pod_name, "web-0");
	assert_string_equal(it.action, "errno");
	assert_string_equal(it.syscall_name, "getppid");
	assert_int_equal(it.syscall_nr, 110);
	assert_string_equal(it.arch_name, "x86_64");
	assert_int_equal(it.arch, AUDIT_ARCH_X86_64);
	assert_int_equal(it.pid, 2038);
	assert_int_equal(it.count, 1);
}

static void
evreader_parse__x32_and_unknown_arch_json__audit_values(void **state)
{
	struct evitem it;

	(void)state;
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\"},"
	    "\"seccomp\":{\"action\":\"kill_process\",\"syscall\":{\"name\":"
	    "\"getpid\",\"number\":1073741863},\"arch\":\"x32\"}}", &it), 0);
	assert_int_equal(it.arch, AUDIT_ARCH_X86_64);
	assert_string_equal(it.arch_name, "x32");
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\"},"
	    "\"seccomp\":{\"action\":\"kill_thread\",\"syscall\":{"
	    "\"number\":1},\"arch\":\"deadbeef\"}}", &it), 0);
	assert_int_equal(it.arch, 0xdeadbeefu);
	assert_null(it.syscall_name);
	assert_null(it.exe);
	assert_int_equal(it.pid, -1);
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\"},"
	    "\"seccomp\":{\"arch\":\"i386\",\"syscall\":{\"number\":132}}}",
	    &it), 0);
	assert_int_equal(it.arch, AUDIT_ARCH_I386);
}

static void
evreader_parse__summary_json__count_times_pids(void **state)
{
	struct evitem it;

	(void)state;
	assert_int_equal(parse("{\"@timestamp\":\"2023-11-14T22:13:20.030Z\","
	    "\"event\":{\"action\":\"violations-summarized\",\"start\":"
	    "\"2023-11-14T22:13:20.030Z\"},\"process\":{\"executable\":"
	    "\"/usr/bin/w\"},\"seccomp\":{\"action\":\"log\",\"syscall\":{"
	    "\"name\":\"getppid\",\"number\":110},\"arch\":\"x86_64\"},"
	    "\"seccompmon\":{\"summary\":{\"count\":3324,\"first\":"
	    "\"2023-11-14T22:13:20.030Z\",\"last\":\"2023-11-14T22:13:29.999Z\","
	    "\"pids\":[2003,2004,2005,2006,2000]}}}", &it), 0);
	assert_int_equal(it.kind, EV_SUMMARY);
	assert_int_equal(it.count, 3324);
	assert_int_equal(it.time_ms, 1700000000030LL);
	assert_int_equal(it.last_ms, 1700000009999LL);
	assert_int_equal(it.npids, 5);
	assert_int_equal(it.pids[0], 2003);
	assert_int_equal(it.pids[4], 2000);
	assert_int_equal(it.pid, -1);
	assert_false(it.other_keys);
	assert_string_equal(it.exe, "/usr/bin/w");

	assert_int_equal(parse("{\"@timestamp\":\"2023-11-14T22:13:20.030Z\","
	    "\"event\":{\"action\":\"violations-summarized\"},\"seccompmon\":{"
	    "\"summary\":{\"count\":7,\"first\":\"2023-11-14T22:13:20.030Z\","
	    "\"last\":\"2023-11-14T22:13:21Z\",\"other_keys\":true}}}", &it),
	    0);
	assert_true(it.other_keys);
	assert_int_equal(it.count, 7);
	assert_int_equal(it.npids, 0);
	assert_null(it.action);
}

static void
evreader_parse__events_lost__count_reasons_outputs(void **state)
{
	struct evitem it;

	(void)state;
	assert_int_equal(parse("{\"@timestamp\":\"2026-11-27T22:06:27.001Z\","
	    "\"event\":{\"action\":\"events-lost\"},\"seccompmon\":{\"lost\":{"
	    "\"count\":9,\"reasons\":{\"kernel_lost\":5,\"malformed\":4},"
	    "\"outputs\":[{\"name\":\"syslog:/dev/log\",\"count\":7}]}}}",
	    &it), 0);
	assert_int_equal(it.kind, EV_LOST);
	assert_int_equal(it.lost_count, 9);
	assert_int_equal(it.nreasons, 2);
	assert_string_equal(it.reasons[0].name, "kernel_lost");
	assert_int_equal(it.reasons[0].count, 5);
	assert_string_equal(it.reasons[1].name, "malformed");
	assert_int_equal(it.noutputs, 1);
	assert_string_equal(it.outputs[0].name, "syslog:/dev/log");
	assert_int_equal(it.outputs[0].count, 7);
}

static void
evreader_parse__stats_gap_blank__other(void **state)
{
	struct evitem it;

	(void)state;
	assert_int_equal(parse("{\"@timestamp\":\"2026-11-27T22:07:26.337Z\","
	    "\"event\":{\"kind\":\"metric\",\"action\":\"stats\"}}", &it), 0);
	assert_int_equal(it.kind, EV_OTHER);
	assert_int_equal(parse("{\"event\":{\"action\":\"monitoring-gap\"}}",
	    &it), 0);
	assert_int_equal(it.kind, EV_OTHER);
	assert_int_equal(parse(" \t\r", &it), 0);
	assert_int_equal(it.kind, EV_OTHER);
	assert_int_equal(parse("", &it), 0);
	assert_int_equal(it.kind, EV_OTHER);
	/* Another audit record of the same event. */
	assert_int_equal(parse("type=SYSCALL msg=audit(1613596317.899:6461): "
	    "arch=c000003e syscall=3 success=yes exit=0", &it), 0);
	assert_int_equal(it.kind, EV_OTHER);
}

static void
evreader_parse__raw_audit__named_from_record_arch(void **state)
{
	struct evitem it;

	(void)state;
	/* i386 132 is getpgid; on x86_64 it would be utime. */
	assert_int_equal(parse("node=web1 type=SECCOMP "
	    "msg=audit(1433785727.186:10262): auid=20003 uid=22 gid=22 ses=21 "
	    "pid=11217 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 "
	    "arch=40000003 syscall=132 compat=0 ip=0xb7670aac code=0x0",
	    &it), 0);
	assert_int_equal(it.kind, EV_VIOLATION);
	assert_int_equal(it.time_ms, 1433785727186LL);
	assert_string_equal(it.exe, "/usr/sbin/sshd");
	assert_int_equal(it.arch, AUDIT_ARCH_I386);
	assert_string_equal(it.arch_name, "i386");
	assert_string_equal(it.syscall_name, "getpgid");
	assert_int_equal(it.syscall_nr, 132);
	assert_string_equal(it.action, "kill_thread");
	assert_int_equal(it.pid, 11217);
	assert_int_equal(it.count, 1);
	assert_null(it.service);

	/* Kernel log form; kill_process is 0x80000000 (not kill_thread). */
	assert_int_equal(parse("[ 12.3] audit: type=1326 "
	    "audit(1700000000.001:5): auid=1000 uid=1000 gid=1000 ses=1 "
	    "pid=6000 comm=\"x32app\" exe=\"/usr/libx32/bin/x32app\" sig=31 "
	    "arch=c000003e syscall=1073741863 compat=1 ip=0x401a2b "
	    "code=0x80000000", &it), 0);
	assert_string_equal(it.arch_name, "x32");
	assert_string_equal(it.syscall_name, "getpid");
	assert_string_equal(it.action, "kill_process");

	/* Unknown architecture: its value in hex, as events write it. */
	assert_int_equal(parse("type=SECCOMP msg=audit(1.005:1): auid=0 uid=0 "
	    "gid=0 ses=1 pid=1 comm=\"w\" exe=\"/bin/w\" sig=31 arch=deadbeef "
	    "syscall=1 compat=0 ip=0x1000 code=0x0", &it), 0);
	assert_string_equal(it.arch_name, "deadbeef");
	assert_null(it.syscall_name);
	assert_int_equal(it.time_ms, 1005);
}

static void
evreader_parse__malformed__minus_1_with_reason(void **state)
{
	static const char *const bad[] = {
		"{\"event\":",				/* cut */
		"{\"event\":{\"action\":\"stats\"}} x",	/* trailing */
		"[1,2]",				/* not object */
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\"}",	/* no action */
		"{\"@timestamp\":\"yesterday\",\"event\":{\"action\":"
		    "\"violated-seccomp-policy\"}}",
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\",\"event\":{\"action\":"
		    "\"violated-seccomp-policy\"},\"process\":{\"pid\":\"12\"}}",
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\",\"event\":{\"action\":"
		    "\"violated-seccomp-policy\"},\"process\":{\"pid\":-4}}",
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\",\"event\":{\"action\":"
		    "\"violations-summarized\"},\"seccompmon\":{\"summary\":{"
		    "\"count\":-1}}}",
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\",\"event\":{\"action\":"
		    "\"events-lost\"},\"seccompmon\":{\"lost\":{\"count\":1,"
		    "\"reasons\":{\"x\":\"many\"}}}}",
		"{\"@timestamp\":\"2026-11-27T22:06:26Z\",\"event\":{\"action\":"
		    "\"violated-seccomp-policy\"},\"seccomp\":{\"syscall\":{"
		    "\"number\":99999999999999999999999}}}",
		"this is not a log line",
		"type=SECCOMP msg=audit(x): pid=1",
		"type=SECCOMP msg=audit(18446744073709551615.000:1): pid=1 "
		    "arch=c000003e syscall=1 code=0x0",
	};
	struct evitem it;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i], &it) != -1) {
			print_error("accepted: [%s]\n", bad[i]);
			fail();
		}
		assert_true(strlen(err) > 0);
	}
}

static void
evreader_parse__hostile_strings__kept_for_the_printer(void **state)
{
	struct evitem it;
	char deep[200];
	size_t i;

	(void)state;
	/* Escapes and a terminal sequence: kept as bytes; printers escape. */
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\"},"
	    "\"process\":{\"executable\":\"/x\\u001b[2J\\\"|\\n\"},"
	    "\"seccomp\":{\"action\":\"log\\u0000x\"}}", &it), 0);
	assert_string_equal(it.exe, "/x\033[2J\"|\n");
	assert_string_equal(it.action, "log");	/* cut at the NUL */
	/* Wrong types are left out, not trusted. */
	assert_int_equal(parse(HEAD "\"action\":\"violated-seccomp-policy\"},"
	    "\"process\":{\"executable\":17},\"service\":[\"a\"],"
	    "\"seccomp\":\"x\"}", &it), 0);
	assert_null(it.exe);
	assert_null(it.service);
	assert_null(it.action);
	/* Nesting beyond the tokener's depth limit. */
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[i] = '\0';
	assert_int_equal(parse(deep, &it), -1);
	/* A hex-encoded exe in a record is decoded. */
	assert_int_equal(parse("type=SECCOMP msg=audit(1.005:1): auid=0 uid=0 "
	    "gid=0 ses=1 pid=1 comm=41 exe=2F746D702F6D7920617070 sig=0 "
	    "arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000", &it),
	    0);
	assert_string_equal(it.exe, "/tmp/my app");
	assert_string_equal(it.syscall_name, "getpid");
}

static void
evread_time__forms__milliseconds(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(evread_time("1970-01-01T00:00:00Z", 20, &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(evread_time("2026-11-27T22:06:26.337Z", 24, &ms), 0);
	assert_int_equal(ms, 1795817186337LL);
	assert_int_equal(evread_time("2026-11-27T22:06:26.3Z", 22, &ms), 0);
	assert_int_equal(ms, 1795817186300LL);
	assert_int_equal(evread_time("2026-11-27T22:06:26.337999Z", 27, &ms),
	    0);
	assert_int_equal(ms, 1795817186337LL);
	assert_int_equal(evread_time("2026-11-28T00:06:26.337+02:00", 29,
	    &ms), 0);
	assert_int_equal(ms, 1795817186337LL);
	assert_int_equal(evread_time("2000-02-29T12:00:00Z", 20, &ms), 0);
	assert_int_equal(ms, 951825600000LL);
	assert_int_equal(evread_time("2026-11-27", 10, &ms), -1);
	assert_int_equal(evread_time("2026-11-27T22:06:26", 19, &ms), -1);
	assert_int_equal(evread_time("2026-13-27T22:06:26Z", 20, &ms), -1);
	assert_int_equal(evread_time("2026-11-27T22:06:26.Z", 21, &ms), -1);
	assert_int_equal(evread_time("2026-11-27T22:06:26Zx", 21, &ms), -1);
	assert_int_equal(evread_time("2026-11-27T22:06:26+2:00", 24, &ms), -1);
}

/*
 * A file of lines: short, too long for the buffer, short, empty, too long
 * but read whole (its newline in the buffer), and a last one without \n.
 */
static void
evlines_next__long_line__skipped_and_numbered(void **state)
{
	char path[] = "/tmp/test_evread.XXXXXX", *big;
	struct evlines *l;
	const char *line;
	size_t len, n = EVREAD_LINE_MAX + 70000;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_non_null(big = malloc(n));
	memset(big, 'x', n);
	fputs("one\n", f);
	fwrite(big, 1, n, f);
	fputs("\ntwo\n\n", f);
	fwrite(big, 1, EVREAD_LINE_MAX + 1, f);
	fputs("\nlast", f);
	fclose(f);
	free(big);

	assert_non_null(l = evlines_open(path));
	assert_int_equal(evlines_next(l, &line, &len), 1);
	assert_int_equal(len, 3);
	assert_memory_equal(line, "one", 3);
	assert_int_equal(evlines_next(l, &line, &len), EVLINES_TOO_LONG);
	assert_int_equal(evlines_lineno(l), 2);
	assert_int_equal(evlines_next(l, &line, &len), 1);
	assert_memory_equal(line, "two", 3);
	assert_int_equal(evlines_lineno(l), 3);
	assert_int_equal(evlines_next(l, &line, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(evlines_next(l, &line, &len), EVLINES_TOO_LONG);
	assert_int_equal(evlines_lineno(l), 5);
	assert_int_equal(evlines_next(l, &line, &len), 1);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "last", 4);
	assert_int_equal(evlines_lineno(l), 6);
	assert_int_equal(evlines_next(l, &line, &len), 0);
	evlines_close(l);
	unlink(path);
}

static void
evlines_open__missing_file__null_enoent(void **state)
{
	(void)state;
	errno = 0;
	assert_null(evlines_open("/nonexistent/evread"));
	assert_int_equal(errno, ENOENT);
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(evreader_parse__violation_json__key_fields),
	T(evreader_parse__x32_and_unknown_arch_json__audit_values),
	T(evreader_parse__summary_json__count_times_pids),
	T(evreader_parse__events_lost__count_reasons_outputs),
	T(evreader_parse__stats_gap_blank__other),
	T(evreader_parse__raw_audit__named_from_record_arch),
	T(evreader_parse__malformed__minus_1_with_reason),
	T(evreader_parse__hostile_strings__kept_for_the_printer),
	T(evread_time__forms__milliseconds),
	T(evlines_next__long_line__skipped_and_numbered),
	T(evlines_open__missing_file__null_enoent),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, setup, teardown);
}
