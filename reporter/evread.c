/*
 * Lines of events or audit logs into struct evitem.  JSON lines are parsed
 * whole by one json-c tokener per line (the last object is kept until the
 * next line, so items point into it without copies); audit lines are
 * decoded by violation_decode() into the reader's own struct violation.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <json-c/json.h>

#include "reporter/evread.h"
#include "reporter/logline.h"
#include "reporter/systab.h"
#include "reporter/verdict.h"
#include "reporter/violation.h"

#define CHUNK 65536
#define JSON_DEPTH 16

struct evlines {
	int		 fd;
	char		*buf;
	size_t		 cap, off, len;
	int		 eof;
	uint64_t	 lineno;
};

struct evlines *
evlines_open(const char *path)
{
	struct evlines *l;
	int e;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->cap = EVREAD_LINE_MAX + CHUNK;
	if ((l->buf = malloc(l->cap)) == NULL) {
		free(l);
		return NULL;
	}
	if (strcmp(path, "-") == 0)
		l->fd = STDIN_FILENO;
	else if ((l->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		free(l->buf);
		free(l);
		errno = e;
		return NULL;
	}
	return l;
}

/* Read more after the kept bytes; 0, or -1 with errno. */
static int
fill(struct evlines *l)
{
	ssize_t n;

	if (l->off > 0) {
		memmove(l->buf, l->buf + l->off, l->len - l->off);
		l->len -= l->off;
		l->off = 0;
	}
	do {
		n = read(l->fd, l->buf + l->len, l->cap - l->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		l->eof = 1;
	l->len += (size_t)n;
	return 0;
}

int
evlines_next(struct evlines *l, const char **line, size_t *len)
{
	char *nl;
	size_t n;
	int skipping = 0;

	for (;;) {
		nl = memchr(l->buf + l->off, '\n', l->len - l->off);
		if (nl != NULL) {
			n = (size_t)(nl - (l->buf + l->off));
			*line = l->buf + l->off;
			*len = n;
			l->off += n + 1;
			if (skipping)
				return EVLINES_TOO_LONG;
			l->lineno++;
			return n > EVREAD_LINE_MAX ? EVLINES_TOO_LONG : 1;
		}
		if (l->eof) {
			n = l->len - l->off;
			l->off = l->len;
			if (skipping)
				return EVLINES_TOO_LONG;
			if (n == 0)
				return 0;
			*line = l->buf + l->len - n;
			*len = n;
			l->lineno++;
			return n > EVREAD_LINE_MAX ? EVLINES_TOO_LONG : 1;
		}
		if (l->len - l->off > EVREAD_LINE_MAX) {
			/* Too long, its end not read yet: drop what we have. */
			if (!skipping)
				l->lineno++;
			skipping = 1;
			l->off = l->len = 0;
		}
		if (fill(l) < 0)
			return -1;
	}
}

uint64_t
evlines_lineno(const struct evlines *l)
{
	return l->lineno;
}

void
evlines_close(struct evlines *l)
{
	if (l == NULL)
		return;
	if (l->fd > STDIN_FILENO)
		close(l->fd);
	free(l->buf);
	free(l);
}

struct evreader {
	struct json_tokener	*tok;
	struct json_object	*obj;	/* the last line's, until the next */
	struct violation	 v;
	char			 arch_hex[12];
};

struct evreader *
evreader_new(void)
{
	struct evreader *r;

	if (systab_init() < 0)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->tok = json_tokener_new_ex(JSON_DEPTH)) == NULL) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	return r;
}

void
evreader_free(struct evreader *r)
{
	if (r == NULL)
		return;
	if (r->obj != NULL)
		json_object_put(r->obj);
	json_tokener_free(r->tok);
	free(r);
}

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n decimal digits at s into *v; 0, or -1. */
static int
digits(const char *s, size_t n, int64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
evread_time(const char *s, size_t n, int64_t *ms)
{
	int64_t y, mo, d, h, mi, sec, frac = 0, oh, om, off = 0;
	size_t i = 19, nd = 0;

	if (n < 20 || digits(s, 4, &y) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) < 0 || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || digits(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    digits(s + 17, 2, &sec) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
			if (nd < 3)
				frac = frac * 10 + (s[i] - '0');
		if (nd == 0)
			return -1;
		for (; nd < 3; nd++)
			frac *= 10;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
		;
	else if (i + 6 == n && (s[i] == '+' || s[i] == '-') &&
	    digits(s + i + 1, 2, &oh) == 0 && s[i + 3] == ':' &&
	    digits(s + i + 4, 2, &om) == 0 && oh < 24 && om < 60)
		off = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else
		return -1;
	*ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - off) * 1000) + frac;
	return 0;
}

/* The member at a path of keys, NULL-terminated; NULL when absent. */
static struct json_object *
at(struct json_object *o, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, o);
	while (o != NULL && (k = va_arg(ap, const char *)) != NULL) {
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, k, &o))
			o = NULL;
	}
	va_end(ap);
	return o;
}

static const char *
str(struct json_object *o)
{
	if (o == NULL || !json_object_is_type(o, json_type_string))
		return NULL;
	return json_object_get_string(o);
}

/* An integer member: 1 found, 0 absent, -1 present but not an integer. */
static int
num(struct json_object *o, int64_t *v)
{
	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_int))
		return -1;
	errno = 0;
	*v = json_object_get_int64(o);
	if (errno != 0)
		return -1;
	return 1;
}

static int
time_of(struct json_object *o, int64_t *ms)
{
	const char *s = str(o);

	if (s == NULL)
		return -1;
	return evread_time(s, strlen(s), ms);
}

/* The AUDIT_ARCH value of an architecture name events carry. */
static uint32_t
arch_value(const char *name, int64_t nr)
{
	static const uint32_t known[] = {
		AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
		AUDIT_ARCH_ARM, AUDIT_ARCH_RISCV64, AUDIT_ARCH_S390X,
		AUDIT_ARCH_S390, AUDIT_ARCH_PPC64LE, AUDIT_ARCH_PPC64,
		AUDIT_ARCH_PPC, AUDIT_ARCH_MIPS, AUDIT_ARCH_MIPSEL,
		AUDIT_ARCH_MIPS64, AUDIT_ARCH_MIPSEL64, AUDIT_ARCH_MIPS64N32,
		AUDIT_ARCH_MIPSEL64N32, AUDIT_ARCH_PARISC, AUDIT_ARCH_PARISC64,
	};
	const char *n;
	char *end;
	unsigned long long x;
	size_t i;

	if (strcmp(name, "x32") == 0)
		return AUDIT_ARCH_X86_64;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if ((n = systab_arch_name(known[i], nr)) != NULL &&
		    strcmp(n, name) == 0)
			return known[i];
	/* An unknown one is written as recorded, in hex. */
	errno = 0;
	x = strtoull(name, &end, 16);
	if (errno == 0 && *name != '\0' && *end == '\0' && x <= UINT32_MAX)
		return (uint32_t)x;
	return 0;
}

static int
counts(struct json_object *o, struct evcount *c, size_t *n, int array)
{
	struct json_object *e;
	int64_t v;
	size_t i, len;

	*n = 0;
	if (o == NULL)
		return 0;
	if (array) {
		if (!json_object_is_type(o, json_type_array))
			return -1;
		len = json_object_array_length(o);
		for (i = 0; i < len && *n < EVREAD_REASONS_MAX; i++) {
			e = json_object_array_get_idx(o, i);
			if (str(at(e, "name", NULL)) == NULL ||
			    num(at(e, "count", NULL), &v) != 1 || v < 0)
				return -1;
			c[*n].name = str(at(e, "name", NULL));
			c[(*n)++].count = (uint64_t)v;
		}
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return -1;
	json_object_object_foreach(o, k, val) {
		if (num(val, &v) != 1 || v < 0)
			return -1;
		if (*n < EVREAD_REASONS_MAX) {
			c[*n].name = k;
			c[(*n)++].count = (uint64_t)v;
		}
	}
	return 0;
}

/* The key fields a violation and a summary share. */
static int
key_fields(struct json_object *o, struct evitem *it, char *err,
    size_t errlen)
{
	struct json_object *sc = at(o, "seccomp", NULL);
	int64_t v;
	int rc;

	it->exe = str(at(o, "process", "executable", NULL));
	it->service = str(at(o, "service", "name", NULL));
	it->container_id = str(at(o, "container", "id", NULL));
	it->pod_namespace = str(at(o, "orchestrator", "namespace", NULL));
	it->pod_name = str(at(o, "orchestrator", "resource", "name", NULL));
	it->action = str(at(sc, "action", NULL));
	it->syscall_name = str(at(sc, "syscall", "name", NULL));
	if ((rc = num(at(sc, "syscall", "number", NULL), &v)) < 0 ||
	    (rc == 1 && (v < 0 || v > UINT32_MAX)))
		return fail(err, errlen, "seccomp.syscall.number is not "
		    "a system call number");
	if (rc == 1)
		it->syscall_nr = v;
	if ((it->arch_name = str(at(sc, "arch", NULL))) != NULL)
		it->arch = arch_value(it->arch_name, it->syscall_nr);
	if ((rc = num(at(o, "process", "pid", NULL), &v)) < 0 ||
	    (rc == 1 && (v < 0 || v > INT32_MAX)))
		return fail(err, errlen, "process.pid is not a pid");
	if (rc == 1)
		it->pid = (int32_t)v;
	return 0;
}

static int
parse_json(struct evreader *r, const char *line, size_t len,
    struct evitem *it, char *err, size_t errlen)
{
	struct json_object *o, *pids, *e;
	enum json_tokener_error je;
	const char *action;
	int64_t v;
	size_t i, n;

	if (len > INT32_MAX)
		return fail(err, errlen, "line too long");
	json_tokener_reset(r->tok);
	o = json_tokener_parse_ex(r->tok, line, (int)len);
	je = json_tokener_get_error(r->tok);
	if (o == NULL || je != json_tokener_success) {
		if (o != NULL)
			json_object_put(o);
		return fail(err, errlen, "not JSON: %s",
		    je == json_tokener_continue ? "unexpected end" :
		    json_tokener_error_desc(je));
	}
	r->obj = o;
	for (i = json_tokener_get_parse_end(r->tok); i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return fail(err, errlen, "text after the JSON object");
	if (!json_object_is_type(o, json_type_object))
		return fail(err, errlen, "not a JSON object");
	if ((action = str(at(o, "event", "action", NULL))) == NULL)
		return fail(err, errlen, "no event.action");
	if (strcmp(action, "stats") == 0 ||
	    strcmp(action, "monitoring-gap") == 0)
		return 0;
	if (time_of(at(o, "@timestamp", NULL), &it->time_ms) < 0)
		return fail(err, errlen, "no valid @timestamp");
	it->last_ms = it->time_ms;
	if (strcmp(action, "violated-seccomp-policy") == 0) {
		it->kind = EV_VIOLATION;
		return key_fields(o, it, err, errlen);
	}
	if (strcmp(action, "violations-summarized") == 0) {
		it->kind = EV_SUMMARY;
		if (key_fields(o, it, err, errlen) < 0)
			return -1;
		it->pid = -1;
		e = at(o, "seccompmon", "summary", NULL);
		if (num(at(e, "count", NULL), &v) != 1 || v < 0)
			return fail(err, errlen, "no valid "
			    "seccompmon.summary.count");
		it->count = (uint64_t)v;
		if (time_of(at(e, "first", NULL), &it->time_ms) < 0 ||
		    time_of(at(e, "last", NULL), &it->last_ms) < 0)
			return fail(err, errlen, "no valid "
			    "seccompmon.summary.first or .last");
		pids = at(e, "other_keys", NULL);
		it->other_keys = pids != NULL &&
		    json_object_is_type(pids, json_type_boolean) &&
		    json_object_get_boolean(pids);
		if ((pids = at(e, "pids", NULL)) != NULL) {
			if (!json_object_is_type(pids, json_type_array))
				return fail(err, errlen, "seccompmon.summary."
				    "pids is not an array");
			n = json_object_array_length(pids);
			for (i = 0; i < n && it->npids < EVREAD_PIDS_MAX;
			    i++) {
				if (num(json_object_array_get_idx(pids, i),
				    &v) != 1 || v < 0 || v > INT32_MAX)
					return fail(err, errlen, "a pid of "
					    "seccompmon.summary.pids is not "
					    "a pid");
				it->pids[it->npids++] = (int32_t)v;
			}
		}
		return 0;
	}
	if (strcmp(action, "events-lost") == 0) {
		it->kind = EV_LOST;
		e = at(o, "seccompmon", "lost", NULL);
		if (num(at(e, "count", NULL), &v) != 1 || v < 0)
			return fail(err, errlen, "no valid "
			    "seccompmon.lost.count");
		it->lost_count = (uint64_t)v;
		if (counts(at(e, "reasons", NULL), it->reasons,
		    &it->nreasons, 0) < 0 ||
		    counts(at(e, "outputs", NULL), it->outputs,
		    &it->noutputs, 1) < 0)
			return fail(err, errlen, "malformed "
			    "seccompmon.lost.reasons or .outputs");
		return 0;
	}
	return 0;	/* an action of a later version: not ours to count */
}

static int
parse_audit(struct evreader *r, const char *line, size_t len,
    struct evitem *it, char *err, size_t errlen)
{
	struct logline ll;
	const struct verdict *vd;
	struct violation *v = &r->v;
	enum violation_error ve;

	if (logline_parse(line, len, &ll) < 0)
		return fail(err, errlen, "neither a JSON event nor an audit "
		    "record");
	if (ll.type != AUDIT_SECCOMP)
		return 0;
	if ((ve = violation_decode(ll.text, ll.text_len, v)) != VIOLATION_OK)
		return fail(err, errlen, "SECCOMP record: %s",
		    violation_strerror(ve));
	if (v->time_sec > (uint64_t)INT64_MAX / 1000 - 1)
		return fail(err, errlen, "SECCOMP record: time out of range");
	it->kind = EV_VIOLATION;
	it->time_ms = (int64_t)v->time_sec * 1000 + v->time_msec;
	it->last_ms = it->time_ms;
	if (v->present & VF_BIT(VF_EXE) && v->exe.len > 0)
		it->exe = violation_str(v, v->exe);
	if (v->present & VF_BIT(VF_PID))
		it->pid = v->pid;
	if (v->present & VF_BIT(VF_SYSCALL))
		it->syscall_nr = v->syscall;
	if (v->present & VF_BIT(VF_ARCH)) {
		it->arch = v->arch;
		it->arch_name = systab_arch_name(v->arch,
		    it->syscall_nr >= 0 ? it->syscall_nr : 0);
		if (it->arch_name == NULL) {
			(void)snprintf(r->arch_hex, sizeof(r->arch_hex),
			    "%x", v->arch);
			it->arch_name = r->arch_hex;
		}
		if (it->syscall_nr >= 0)
			it->syscall_name = systab_syscall_name(v->arch,
			    it->syscall_nr);
	}
	if (v->present & VF_BIT(VF_CODE)) {
		vd = verdict_of(v->code);
		it->action = vd->action;
	}
	return 0;
}

int
evreader_parse(struct evreader *r, const char *line, size_t len,
    struct evitem *it, char *err, size_t errlen)
{
	size_t i;

	if (r->obj != NULL) {
		json_object_put(r->obj);
		r->obj = NULL;
	}
	memset(it, 0, sizeof(*it));
	it->kind = EV_OTHER;
	it->syscall_nr = -1;
	it->pid = -1;
	it->count = 1;
	if (errlen > 0)
		err[0] = '\0';
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '\r'); i++)
		;
	if (i == len)
		return 0;
	if (line[i] == '{')
		return parse_json(r, line + i, len - i, it, err, errlen);
	return parse_audit(r, line, len, it, err, errlen);
}

int
evread_file(struct evreader *r, const char *path, struct evread_sink *s)
{
	struct evlines *l;
	struct evitem it;
	const char *line;
	char why[160];
	size_t len;
	int rc, saved;

	if ((l = evlines_open(path)) == NULL)
		return -1;
	while ((rc = evlines_next(l, &line, &len)) != 0) {
		if (rc < 0)
			break;
		s->lines++;
		if (rc == EVLINES_TOO_LONG) {
			(void)snprintf(why, sizeof(why), "longer than %d bytes",
			    EVREAD_LINE_MAX);
			rc = -1;
		} else
			rc = evreader_parse(r, line, len, &it, why,
			    sizeof(why));
		if (rc < 0) {
			s->bad(s->arg, evlines_lineno(l), why);
			continue;
		}
		if ((rc = s->item(s->arg, &it)) < 0)
			break;
	}
	saved = errno;
	evlines_close(l);
	errno = saved;
	return rc < 0 ? -1 : 0;
}
