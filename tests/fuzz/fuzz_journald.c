/*
 * libFuzzer: the journald output's entry (sink_journald_entry()) for a
 * record decoded and encoded as the daemon does, and for ident, action,
 * syscall and arch bytes from the input.  The entry is parsed back as
 * journald parses the native protocol (systemd journald-native.c): each
 * field is KEY=VALUE\n, or, for a value holding a newline, KEY\n, a 64-bit
 * little-endian length, the value and \n.  Whatever the fields hold, the
 * entry must parse whole, with valid keys, each once, and the comm, exe,
 * identifier and message values exactly as given.
 *
 * Input: flags, severity, then ident, action, syscall and arch, each ended
 * by a NUL, then the record.  flags: 1 ident, 2 action, 4 syscall, 8 arch
 * from the input.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reporter/obuf.h"
#include "reporter/sink.h"
#include "reporter/systab.h"
#include "reporter/violation.h"
#include "tests/fuzz/fuzz.h"

static struct violation *V;
static struct obuf B;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (systab_init() < 0 || (V = malloc(sizeof(*V))) == NULL)
		fuzz_fail("set-up: out of memory");
	obuf_init(&B);
	return 0;
}

static const char *
piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul;
	const char *s;

	if (*p >= end || (nul = memchr(*p, '\0', (size_t)(end - *p))) == NULL)
		return NULL;
	s = (const char *)*p;
	*p = nul + 1;
	return s;
}

/* journal_field_valid(), for a client: no leading '_' or digit. */
static int
key_valid(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || k[0] == '_' || (k[0] >= '0' && k[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' &&
		    k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

struct want {
	const char	*key;
	const char	*val;		/* NULL: any value */
	size_t		 len;
	int		 seen;
};

static void
got_field(struct want *w, size_t nw, const char *k, size_t kl,
    const char *v, size_t vl)
{
	size_t i;

	if (!key_valid(k, kl))
		fuzz_fail("invalid field name %.*s", (int)kl, k);
	for (i = 0; i < nw; i++) {
		if (strlen(w[i].key) != kl || memcmp(w[i].key, k, kl) != 0)
			continue;
		if (w[i].seen++)
			fuzz_fail("field %s twice", w[i].key);
		if (w[i].val != NULL && (vl != w[i].len ||
		    memcmp(v, w[i].val, vl) != 0))
			fuzz_fail("field %s: %zu bytes, not the %zu given",
			    w[i].key, vl, w[i].len);
		return;
	}
}

/* Parse the entry as journald does; every field in w must be there. */
static void
check(const char *d, size_t n, struct want *w, size_t nw)
{
	const char *p = d, *end = d + n, *nl, *eq;
	uint64_t len;
	size_t i;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			fuzz_fail("entry ends without a newline at %zu",
			    (size_t)(p - d));
		if ((eq = memchr(p, '=', (size_t)(nl - p))) != NULL) {
			got_field(w, nw, p, (size_t)(eq - p), eq + 1,
			    (size_t)(nl - eq - 1));
			p = nl + 1;
			continue;
		}
		/* KEY\n, length, value, \n */
		if (end - (nl + 1) < 8)
			fuzz_fail("binary field %.*s without a length",
			    (int)(nl - p), p);
		for (len = 0, i = 0; i < 8; i++)
			len |= (uint64_t)(unsigned char)nl[1 + i] << (8 * i);
		if (len > (uint64_t)(end - (nl + 9)) ||
		    (uint64_t)(end - (nl + 9)) - len < 1 ||
		    nl[9 + len] != '\n')
			fuzz_fail("binary field %.*s: length %llu does not fit",
			    (int)(nl - p), p, (unsigned long long)len);
		got_field(w, nw, p, (size_t)(nl - p), nl + 9, (size_t)len);
		p = nl + 9 + len + 1;
	}
	for (i = 0; i < nw; i++)
		if (!w[i].seen)
			fuzz_fail("field %s missing", w[i].key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 2, *end = data + size;
	const char *ident, *action, *syscall, *arch;
	struct sink_journald_opts o;
	struct sink_event e;
	struct want w[8];
	size_t n, nw = 0;
	char *entry;

	if (size < 2 || (ident = piece(&p, end)) == NULL ||
	    (action = piece(&p, end)) == NULL ||
	    (syscall = piece(&p, end)) == NULL ||
	    (arch = piece(&p, end)) == NULL)
		return 0;
	if (fuzz_event((const char *)p, (size_t)(end - p), V, &B, &e) < 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.ident = data[0] & 1 ? ident : NULL;
	if (data[0] & 2)
		e.action = action;
	if (data[0] & 4)
		e.syscall = syscall;
	if (data[0] & 8)
		e.arch = arch;
	e.severity = (int)(int8_t)data[1];
	if ((entry = sink_journald_entry(&o, &e, &n)) == NULL)
		fuzz_fail("sink_journald_entry: out of memory");

	w[nw++] = (struct want){ "MESSAGE", e.line, e.len, 0 };
	w[nw++] = (struct want){ "PRIORITY", NULL, 0, 0 };
	w[nw++] = (struct want){ "SYSLOG_IDENTIFIER", o.ident && *o.ident ?
	    o.ident : "seccompmon", o.ident && *o.ident ? strlen(o.ident) :
	    10, 0 };
	w[nw++] = (struct want){ "SECCOMP_ACTION", e.action,
	    strlen(e.action), 0 };
	if (e.comm != NULL)
		w[nw++] = (struct want){ "SECCOMP_COMM", e.comm, e.comm_len,
		    0 };
	if (e.exe != NULL)
		w[nw++] = (struct want){ "SECCOMP_EXE", e.exe, e.exe_len, 0 };
	if (e.syscall != NULL)
		w[nw++] = (struct want){ "SECCOMP_SYSCALL", e.syscall,
		    strlen(e.syscall), 0 };
	if (e.arch != NULL)
		w[nw++] = (struct want){ "SECCOMP_ARCH", e.arch,
		    strlen(e.arch), 0 };
	check(entry, n, w, nw);
	free(entry);
	return 0;
}
