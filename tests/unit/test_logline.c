/*
 * Unit tests for reporter/logline: finding the record type and the record
 * text in one line of an audit log (auditd RAW and ENRICHED, node=, syslog,
 * kernel log).  Lines are passed in heap blocks without a terminating NUL,
 * followed where it matters by text that must not be taken into the record.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reporter/logline.h"

#define REC "audit(1433785727.186:10262): auid=20003 uid=22 gid=22 ses=21 " \
	"pid=11217 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 arch=40000003 " \
	"syscall=132 compat=0 ip=0xb7670aac code=0x0"

#define KREC "audit(1622229872.180:55): auid=4294967295 uid=0 gid=0 " \
	"ses=4294967295 subj=docker-default pid=7645 comm=\"mount\" " \
	"exe=\"/repro/mount\" sig=0 arch=c000003e syscall=165 compat=0 " \
	"ip=0x7f8a6e55ec4e code=0x50000"

struct parsed {
	char		*line;	/* heap copy, exactly len bytes */
	struct logline	 ll;
	int		 rc;
};

static void
parse(struct parsed *p, const char *line, size_t len)
{
	p->line = malloc(len > 0 ? len : 1);
	assert_non_null(p->line);
	memcpy(p->line, line, len);
	memset(&p->ll, 0xa5, sizeof(p->ll));
	p->rc = logline_parse(p->line, len, &p->ll);
}

static void
parse_str(struct parsed *p, const char *line)
{
	parse(p, line, strlen(line));
}

/* The record text must be exactly want, pointing into the line. */
static void
assert_text(const struct parsed *p, const char *want)
{
	size_t n = strlen(want);

	assert_int_equal(p->rc, 0);
	assert_non_null(p->ll.text);
	assert_true(p->ll.text >= p->line);
	assert_int_equal(p->ll.text_len, n);
	assert_memory_equal(p->ll.text, want, n);
}

static void
done(struct parsed *p)
{
	free(p->line);
}

static void
logline_parse__raw_seccomp__type_1326_and_text(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "type=SECCOMP msg=" REC);
	assert_int_equal(p.ll.type, 1326);
	assert_null(p.ll.node);
	assert_text(&p, REC);
	assert_ptr_equal(p.ll.text, p.line + strlen("type=SECCOMP msg="));
	done(&p);
}

static void
logline_parse__node_prefix__node_captured(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "node=web1 type=SECCOMP msg=" REC);
	assert_int_equal(p.ll.type, 1326);
	assert_non_null(p.ll.node);
	assert_int_equal(p.ll.node_len, 4);
	assert_memory_equal(p.ll.node, "web1", 4);
	assert_ptr_equal(p.ll.node, p.line + 5);
	assert_text(&p, REC);
	done(&p);

	parse_str(&p, "node=db-2.example.org type=SECCOMP msg=" REC);
	assert_int_equal(p.ll.node_len, 16);
	assert_memory_equal(p.ll.node, "db-2.example.org", 16);
	assert_text(&p, REC);
	done(&p);
}

static void
logline_parse__enriched__text_stops_before_gs(void **state)
{
	static const char line[] = "type=SECCOMP msg=" REC
	    "\x1d" "AUID=\"unset\" UID=\"root\" ARCH=x86_64 SYSCALL=getppid";
	struct parsed p;

	(void)state;
	parse(&p, line, sizeof(line) - 1);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, REC);
	assert_null(memchr(p.ll.text, 0x1d, p.ll.text_len));
	done(&p);
}

static void
logline_parse__kernel_log__type_number_no_msg(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "audit: type=1326 " KREC);
	assert_int_equal(p.ll.type, 1326);
	assert_null(p.ll.node);
	assert_text(&p, KREC);
	done(&p);

	parse_str(&p, "type=1326 " KREC);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, KREC);
	done(&p);

	/* journalctl -k / dmesg style prefixes end in a blank too. */
	parse_str(&p, "May 28 19:24:32 host kernel: audit: type=1326 " KREC);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, KREC);
	done(&p);

	parse_str(&p, "[ 1234.567890] audit: type=1326 " KREC);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, KREC);
	done(&p);
}

static void
logline_parse__syslog_prefix__record_found(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "Nov 27 10:00:00 host audisp-syslog: type=SECCOMP msg="
	    REC);
	assert_int_equal(p.ll.type, 1326);
	assert_null(p.ll.node);
	assert_text(&p, REC);
	done(&p);

	/* audisp-syslog with auditd's name_format: the node survives. */
	parse_str(&p, "Nov 27 10:00:00 host audisp-syslog: node=web1 "
	    "type=SECCOMP msg=" REC);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, REC);
	assert_non_null(p.ll.node);
	assert_int_equal(p.ll.node_len, 4);
	assert_memory_equal(p.ll.node, "web1", 4);
	done(&p);

	/* "node=" with an empty name is no node. */
	parse_str(&p, "node= type=SECCOMP msg=" REC);
	assert_text(&p, REC);
	assert_null(p.ll.node);
	done(&p);
}

static void
logline_parse__unknown_bracket_number__type_from_brackets(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "type=UNKNOWN[1326] msg=" REC);
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, REC);
	done(&p);

	parse_str(&p, "type=UNKNOWN[1420] msg=audit(1.000:1): x=1");
	assert_int_equal(p.ll.type, 1420);
	assert_text(&p, "audit(1.000:1): x=1");
	done(&p);
}

static void
logline_parse__other_type_names__libaudit_numbers(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "type=SYSCALL msg=audit(1700000000.123:900): "
	    "arch=c000003e syscall=41 success=no");
	assert_int_equal(p.ll.type, 1300);
	assert_text(&p, "audit(1700000000.123:900): arch=c000003e "
	    "syscall=41 success=no");
	done(&p);

	/* Whether the trailing blank is kept does not matter. */
	parse_str(&p, "type=EOE msg=audit(1700000000.123:900): ");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.ll.type, 1320);
	assert_true(p.ll.text_len >= 26 && p.ll.text_len <= 27);
	assert_memory_equal(p.ll.text, "audit(1700000000.123:900):", 26);
	done(&p);

	parse_str(&p, "type=PROCTITLE msg=audit(1700000000.123:900): "
	    "proctitle=6375726C");
	assert_int_equal(p.ll.type, 1327);
	done(&p);

	parse_str(&p, "type=ANOM_ABEND msg=audit(1706114183.948:8264563): "
	    "auid=4294967295 sig=31 res=1");
	assert_int_equal(p.ll.type, 1701);
	done(&p);
}

static void
logline_parse__unknown_type_name__type_0(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "type=NOT_A_TYPE msg=" REC);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.ll.type, 0);
	assert_text(&p, REC);
	done(&p);
}

static void
logline_parse__crlf__cr_not_in_text(void **state)
{
	struct parsed p;

	(void)state;
	/* The line without its "\n": a CRLF file leaves the "\r". */
	parse_str(&p, "type=SECCOMP msg=" REC "\r");
	assert_int_equal(p.ll.type, 1326);
	assert_text(&p, REC);
	done(&p);
}

static void
logline_parse__bytes_after_len__not_read(void **state)
{
	static const char line[] = "type=SECCOMP msg=" REC " extra=1";
	struct parsed p;

	(void)state;
	parse(&p, line, sizeof(line) - 1 - strlen(" extra=1"));
	assert_text(&p, REC);
	done(&p);
}

static void
logline_parse__not_an_audit_line__minus_1(void **state)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"xtype=SECCOMP msg=audit(1.000:1): auid=0",
		"type=SECCOMP msg=foo",
		"type=SECCOMP",
		"type=SECCOMP msg=",
		"type=1326",
		"type= msg=audit(1.000:1): auid=0",
		"Nov 27 10:00:00 host sshd[1]: Accepted publickey for root",
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse_str(&p, bad[i]);
		if (p.rc != -1) {
			print_error("accepted: [%s]\n", bad[i]);
			fail();
		}
		done(&p);
	}
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest tests[] = {
	T(logline_parse__raw_seccomp__type_1326_and_text),
	T(logline_parse__node_prefix__node_captured),
	T(logline_parse__enriched__text_stops_before_gs),
	T(logline_parse__kernel_log__type_number_no_msg),
	T(logline_parse__syslog_prefix__record_found),
	T(logline_parse__unknown_bracket_number__type_from_brackets),
	T(logline_parse__other_type_names__libaudit_numbers),
	T(logline_parse__unknown_type_name__type_0),
	T(logline_parse__crlf__cr_not_in_text),
	T(logline_parse__bytes_after_len__not_read),
	T(logline_parse__not_an_audit_line__minus_1),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
