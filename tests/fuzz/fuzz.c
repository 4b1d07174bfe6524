/*
 * The harnesses' shared checks.  json-c is the independent judge of the
 * hand-written encoder; it accepts raw control characters inside strings,
 * so those are checked here byte by byte.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "reporter/event.h"
#include "reporter/obuf.h"
#include "reporter/sink.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fuzz_check_line(const char *line, size_t len)
{
	struct json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t i;

	if (len == 0 || line[len - 1] != '\n')
		fuzz_fail("event line of %zu bytes does not end in a newline",
		    len);
	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)line[i] < 0x20)
			fuzz_fail("byte 0x%02x at offset %zu of the event "
			    "line: %.*s", (unsigned char)line[i], i,
			    (int)len - 1, line);
	if ((tok = json_tokener_new()) == NULL)
		fuzz_fail("json_tokener_new: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, line, (int)(len - 1));
	jerr = json_tokener_get_error(tok);
	if (obj == NULL || jerr != json_tokener_success)
		fuzz_fail("not JSON (%s): %.*s", json_tokener_error_desc(jerr),
		    (int)len - 1, line);
	if (json_tokener_get_parse_end(tok) != len - 1)
		fuzz_fail("bytes after the object at offset %zu: %.*s",
		    json_tokener_get_parse_end(tok), (int)len - 1, line);
	if (!json_object_is_type(obj, json_type_object))
		fuzz_fail("not a JSON object: %.*s", (int)len - 1, line);
	json_object_put(obj);
	json_tokener_free(tok);
}

void
fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t len)
{
	static int fd = -1;
	size_t off = 0;
	ssize_t n;

	if (fd < 0 && (fd = memfd_create("fuzz-input", MFD_CLOEXEC)) < 0)
		fuzz_fail("memfd_create: %s", strerror(errno));
	if (ftruncate(fd, 0) < 0)
		fuzz_fail("ftruncate: %s", strerror(errno));
	while (off < size) {
		if ((n = pwrite(fd, data + off, size - off, (off_t)off)) < 0)
			fuzz_fail("pwrite: %s", strerror(errno));
		off += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
}

#define HAS(v, f) (((v)->present & VF_BIT(f)) != 0)

int
fuzz_event(const char *text, size_t len, struct violation *v,
    struct obuf *b, struct sink_event *e)
{
	static const struct event_ctx ctx = { "fuzzhost", 8, 0, 0, NULL };
	const struct verdict *vd;

	if (violation_decode(text, len, v) != VIOLATION_OK)
		return -1;
	obuf_reset(b);
	if (event_encode(b, v, text, len, &ctx) < 0)
		fuzz_fail("event_encode: out of memory");
	vd = verdict_of(v->code);
	memset(e, 0, sizeof(*e));
	e->line = b->data;
	e->len = b->len - 1;	/* without the '\n' */
	e->sec = v->time_sec;
	e->msec = v->time_msec;
	e->action = HAS(v, VF_CODE) ? vd->action : "unknown";
	e->severity = HAS(v, VF_CODE) ? vd->severity :
	    verdict_of(~0u)->severity;
	e->pid = HAS(v, VF_PID) ? (int64_t)v->pid : -1;
	if (HAS(v, VF_SYSCALL)) {
		e->has_syscall = 1;
		e->syscall_nr = v->syscall;
	}
	if (HAS(v, VF_ARCH)) {
		e->arch = systab_arch_name(v->arch, e->has_syscall ?
		    v->syscall : 0);
		if (e->has_syscall)
			e->syscall = systab_syscall_name(v->arch, v->syscall);
	}
	if (HAS(v, VF_COMM)) {
		e->comm = violation_str(v, v->comm);
		e->comm_len = v->comm.len;
	}
	if (HAS(v, VF_EXE) && v->exe.len > 0) {
		e->exe = violation_str(v, v->exe);
		e->exe_len = v->exe.len;
	}
	return 0;
}
