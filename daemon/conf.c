/*
 * Configuration.  Comments are blanked (jsonpos), json-c parses the rest in
 * strict mode, and jsonpos maps each error's key path to a line; so json-c's
 * leniencies (single quotes, trailing commas) are not accepted and duplicate
 * keys, which json-c would merge silently, are errors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daemon/conf.h"
#include "daemon/jsonpos.h"
#include "policy/policyjson.h"
#include "policy/privs.h"
#include "reporter/procctx.h"

int
conf_socket_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return CONF_SOCKET_AUTO;
	if (strcmp(s, "unicast") == 0)
		return CONF_SOCKET_UNICAST;
	if (strcmp(s, "multicast") == 0)
		return CONF_SOCKET_MULTICAST;
	return -1;
}

const char *
conf_socket_name(enum conf_socket s)
{
	static const char *const names[] = { "auto", "unicast", "multicast" };

	return (unsigned)s < 3 ? names[s] : "?";
}

/* Digits, then k, M, G or T (powers of 1024); at most max.  0, or -1. */
static int
parse_size(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1024;
		p++;
		break;
	case 'm':
	case 'M':
		mul = 1024 * 1024;
		p++;
		break;
	case 'g':
	case 'G':
		mul = 1024 * 1024 * 1024;
		p++;
		break;
	case 't':
	case 'T':
		mul = 1024ULL * 1024 * 1024 * 1024;
		p++;
		break;
	default:
		return -1;
	}
	if (*p != '\0' || v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int
conf_parse_size64(const char *s, uint64_t *out)
{
	return parse_size(s, UINT64_MAX / 2, out);
}

int
conf_parse_size(const char *s, int *out)
{
	uint64_t v;

	if (parse_size(s, INT_MAX, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->audit.socket = CONF_SOCKET_AUTO;
	c->audit.rcvbuf = 16 * 1024 * 1024;
	c->audit.backlog_limit = CONF_BACKLOG_LIMIT;
	c->audit.backlog_wait_time = -1;
	c->storm.enabled = 1;
	c->storm.window = STORM_WINDOW;
	c->storm.burst = STORM_BURST;
	c->storm.max_keys = STORM_MAX_KEYS;
	c->stats.enabled = 1;
	c->stats.interval = CONF_STATS_INTERVAL;
	c->context.enabled = 1;
	c->context.cache_size = PROCCTX_CACHE_SIZE;
	c->context.args_max = PROCCTX_ARGS_MAX;
	c->gaps.enabled = 1;
	c->gaps.interval = CONF_GAPS_INTERVAL;
	c->landlock.enabled = 1;
	/* No built-in list for this arch: origin NONE, checked later. */
	if (policy_builtin(&c->policy, policy_native_arch()) < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

static void
outputs_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->noutputs; i++) {
		free(c->outputs[i].path);
		free(c->outputs[i].group);
		free(c->outputs[i].ident);
	}
	free(c->outputs);
	c->outputs = NULL;
	c->noutputs = 0;
}

void
conf_free(struct conf *c)
{
	outputs_free(c);
	free(c->path);
	free(c->host_name);
	free(c->user);
	free(c->context.passwd);
	free(c->context.group);
	free(c->context.pod_log_dir);
	policy_free(&c->policy);
	memset(c, 0, sizeof(*c));
}

/* Read the whole file; NULL with a message in errs. */
static char *
slurp(const char *path, size_t *len, int missing_ok, int *missing,
    struct errlist *errs)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t got = 0;
	int fd;

	*missing = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && missing_ok) {
			*missing = 1;
			return NULL;
		}
		errlist_add_at(errs, path, 0, NULL, 0, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errlist_add_at(errs, path, 0, NULL, 0, "not a regular file");
		goto fail;
	}
	if (st.st_size > CONF_MAX_BYTES) {
		errlist_add_at(errs, path, 0, NULL, 0, "larger than %d bytes",
		    CONF_MAX_BYTES);
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		errlist_add_at(errs, path, 0, NULL, 0, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errlist_add_at(errs, path, 0, NULL, 0, "%s",
			    n < 0 ? strerror(errno) : "file shrank while read");
			goto fail;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	close(fd);
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* Where a key's errors point: "audit.socket", "outputs[2].path". */
struct where {
	const char		*file;
	const struct jsonpos	*jp;
	struct errlist		*errs;
};

static void
bad(const struct where *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(const struct where *w, const char *path, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errlist_add_at(w->errs, w->file, jsonpos_line(w->jp, path), path, 0,
	    "%s", what);
}

/*
 * The text of val, a string: every string of the file is read through here.
 * json-c keeps a "\u0000" inside a value, where a C string stops, so a NUL
 * byte is an error rather than a shorter value ("unicast\u0000x" is not
 * unicast).  NULL after an error.
 */
static const char *
get_text(const struct where *w, const char *path, json_object *val)
{
	const char *v = json_object_get_string(val);

	if (strlen(v) != (size_t)json_object_get_string_len(val)) {
		bad(w, path, "expected a string without NUL (\\u0000)");
		return NULL;
	}
	return v;
}

/* A size as a number of bytes or a string like "16M", in [min, max]. */
static int
get_size(const struct where *w, const char *path, json_object *val,
    uint64_t min, uint64_t max, const char *range, uint64_t *out)
{
	const char *s;
	uint64_t v;

	if (json_object_is_type(val, json_type_int) &&
	    json_object_get_int64(val) >= 0)
		v = (uint64_t)json_object_get_int64(val);
	else if (!json_object_is_type(val, json_type_string))
		v = max + 1;
	else if ((s = get_text(w, path, val)) == NULL)
		return -1;
	else if (conf_parse_size64(s, &v) < 0)
		v = max + 1;
	if (v < min || v > max) {
		bad(w, path, "expected a size from %s, as a number of bytes or "
		    "a string like \"16M\"", range);
		return -1;
	}
	*out = v;
	return 0;
}

/* A string value without NUL bytes, non-empty; NULL after an error. */
static const char *
get_string(const struct where *w, const char *path, json_object *val)
{
	const char *v;

	if (!json_object_is_type(val, json_type_string)) {
		bad(w, path, "expected a string");
		return NULL;
	}
	if ((v = get_text(w, path, val)) == NULL)
		return NULL;
	if (*v == '\0') {
		bad(w, path, "expected a non-empty string without NUL");
		return NULL;
	}
	return v;
}

static int
get_bool(const struct where *w, const char *path, json_object *val, int *out)
{
	if (!json_object_is_type(val, json_type_boolean)) {
		bad(w, path, "expected true or false");
		return -1;
	}
	*out = json_object_get_boolean(val);
	return 0;
}

static int
dup_string(const struct where *w, const char *path, json_object *val,
    char **dst)
{
	const char *v;

	if ((v = get_string(w, path, val)) == NULL)
		return -1;
	free(*dst);
	if ((*dst = strdup(v)) == NULL) {
		bad(w, path, "out of memory");
		return -1;
	}
	return 0;
}

static void
audit_section(struct conf *c, json_object *sec, const struct where *w)
{
	char path[64];
	uint64_t v;
	const char *s;
	int m;

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "audit", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "audit.%s", key);
		if (strcmp(key, "socket") == 0) {
			if (!json_object_is_type(val, json_type_string)) {
				bad(w, path, "expected \"auto\", \"unicast\" "
				    "or \"multicast\"");
				continue;
			}
			if ((s = get_string(w, path, val)) == NULL)
				continue;
			if ((m = conf_socket_parse(s)) >= 0)
				c->audit.socket = (enum conf_socket)m;
			else
				bad(w, path, "unknown mode \"%s\"; expected "
				    "auto, unicast or multicast", s);
		} else if (strcmp(key, "rcvbuf") == 0) {
			if (get_size(w, path, val, 65536, INT_MAX,
			    "64k to 2047M", &v) == 0)
				c->audit.rcvbuf = (int)v;
		} else if (strcmp(key, "backlog_limit") == 0) {
			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) >= 0 &&
			    json_object_get_int64(val) <= UINT32_MAX)
				c->audit.backlog_limit =
				    (uint32_t)json_object_get_int64(val);
			else
				bad(w, path, "expected a number of records, "
				    "0 to leave the kernel's setting alone");
		} else if (strcmp(key, "backlog_wait_time") == 0) {
			/* The kernel refuses more than 10 times its default. */
			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) >= 0 &&
			    json_object_get_int64(val) <= 600000)
				c->audit.backlog_wait_time =
				    json_object_get_int64(val);
			else
				bad(w, path, "expected a time in jiffies from "
				    "0 to 600000");
		} else
			bad(w, path, "unknown key; expected socket, rcvbuf, "
			    "backlog_limit or backlog_wait_time");
	}
}

/* A whole number in [min, max], or an error saying what was expected. */
static int
get_uint(const struct where *w, const char *path, json_object *val,
    uint32_t min, uint32_t max, const char *what, uint32_t *out)
{
	int64_t v;

	if (!json_object_is_type(val, json_type_int) ||
	    (v = json_object_get_int64(val)) < min || v > max) {
		bad(w, path, "expected %s from %u to %u", what, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static void
storm_section(struct conf *c, json_object *sec, const struct where *w)
{
	char path[64];

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "storm", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "storm.%s", key);
		if (strcmp(key, "enabled") == 0)
			(void)get_bool(w, path, val, &c->storm.enabled);
		else if (strcmp(key, "window") == 0)
			(void)get_uint(w, path, val, 1, CONF_STORM_WINDOW_MAX,
			    "a number of seconds", &c->storm.window);
		else if (strcmp(key, "burst") == 0)
			(void)get_uint(w, path, val, 0, CONF_STORM_BURST_MAX,
			    "a number of events per key and window",
			    &c->storm.burst);
		else if (strcmp(key, "max_keys") == 0)
			(void)get_uint(w, path, val, 1, CONF_STORM_KEYS_MAX,
			    "a number of keys per window", &c->storm.max_keys);
		else
			bad(w, path, "unknown key; expected enabled, window, "
			    "burst or max_keys");
	}
}

static void
stats_section(struct conf *c, json_object *sec, const struct where *w)
{
	char path[64];

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "stats", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "stats.%s", key);
		if (strcmp(key, "enabled") == 0)
			(void)get_bool(w, path, val, &c->stats.enabled);
		else if (strcmp(key, "interval") == 0)
			(void)get_uint(w, path, val, 0, CONF_STATS_INTERVAL_MAX,
			    "a number of seconds (0: off)",
			    &c->stats.interval);
		else
			bad(w, path, "unknown key; expected enabled or "
			    "interval");
	}
}

/* An absolute path, kept in *dst. */
static void
get_abs_path(const struct where *w, const char *path, json_object *val,
    char **dst)
{
	if (dup_string(w, path, val, dst) == 0 && (*dst)[0] != '/')
		bad(w, path, "expected an absolute path");
}

static void
context_section(struct conf *c, json_object *sec, const struct where *w)
{
	struct conf_context *cx = &c->context;
	char path[64];

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "context", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "context.%s", key);
		if (strcmp(key, "enabled") == 0)
			(void)get_bool(w, path, val, &cx->enabled);
		else if (strcmp(key, "cache_size") == 0)
			(void)get_uint(w, path, val, 4, CONF_CONTEXT_CACHE_MAX,
			    "a number of processes", &cx->cache_size);
		else if (strcmp(key, "args_max") == 0)
			(void)get_uint(w, path, val, 0, CONF_CONTEXT_ARGS_MAX,
			    "a number of bytes (0: no arguments)",
			    &cx->args_max);
		else if (strcmp(key, "passwd") == 0)
			get_abs_path(w, path, val, &cx->passwd);
		else if (strcmp(key, "group") == 0)
			get_abs_path(w, path, val, &cx->group);
		else if (strcmp(key, "pod_log_dir") == 0)
			get_abs_path(w, path, val, &cx->pod_log_dir);
		else
			bad(w, path, "unknown key; expected enabled, "
			    "cache_size, args_max, passwd, group or "
			    "pod_log_dir");
	}
}

const char *
conf_context_passwd(const struct conf *c)
{
	return c->context.passwd != NULL ? c->context.passwd : CONF_PASSWD;
}

const char *
conf_context_group(const struct conf *c)
{
	return c->context.group != NULL ? c->context.group : CONF_GROUP;
}

const char *
conf_context_pod_log_dir(const struct conf *c)
{
	return c->context.pod_log_dir != NULL ? c->context.pod_log_dir :
	    CONF_POD_LOG_DIR;
}

static void
gaps_section(struct conf *c, json_object *sec, const struct where *w)
{
	char path[64];

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "gaps", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "gaps.%s", key);
		if (strcmp(key, "enabled") == 0)
			(void)get_bool(w, path, val, &c->gaps.enabled);
		else if (strcmp(key, "interval") == 0)
			(void)get_uint(w, path, val, 0, CONF_GAPS_INTERVAL_MAX,
			    "a number of seconds (0: at start and on SIGUSR1 "
			    "only)", &c->gaps.interval);
		else
			bad(w, path, "unknown key; expected enabled or "
			    "interval");
	}
}

static void
landlock_section(struct conf *c, json_object *sec, const struct where *w)
{
	char path[64];

	if (!json_object_is_type(sec, json_type_object)) {
		bad(w, "landlock", "expected an object { ... }");
		return;
	}
	json_object_object_foreach(sec, key, val) {
		snprintf(path, sizeof(path), "landlock.%s", key);
		if (strcmp(key, "enabled") == 0)
			(void)get_bool(w, path, val, &c->landlock.enabled);
		else if (strcmp(key, "required") == 0)
			(void)get_bool(w, path, val, &c->landlock.required);
		else
			bad(w, path, "unknown key; expected enabled or "
			    "required");
	}
}

static const struct {
	const char	*name;
	int		 facility;
} facilities[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH },
	{ "syslog", LOG_SYSLOG }, { "lpr", LOG_LPR }, { "news", LOG_NEWS },
	{ "uucp", LOG_UUCP }, { "cron", LOG_CRON },
	{ "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static const char *
facility_name(int facility)
{
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (facilities[i].facility == facility)
			return facilities[i].name;
	return "?";
}

static const char *const output_types[] = { "stdout", "file", "syslog",
	"journald" };

/* An output with its type's defaults; 0, or -1 (ENOMEM). */
static int
output_init(struct conf_output *o, enum conf_output_type type,
    const char *where)
{
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->gid = (gid_t)-1;
	o->queue = CONF_QUEUE;
	snprintf(o->where, sizeof(o->where), "%s", where);
	switch (type) {
	case CONF_OUT_FILE:
		o->rotate_size = CONF_ROTATE_SIZE;
		o->keep = CONF_KEEP;
		o->mode = CONF_FILE_MODE;
		break;
	case CONF_OUT_SYSLOG:
		o->facility = LOG_AUTHPRIV;
		if ((o->path = strdup(CONF_SYSLOG_SOCKET)) == NULL)
			return -1;
		break;
	case CONF_OUT_JOURNALD:
		if ((o->path = strdup(CONF_JOURNALD_SOCKET)) == NULL)
			return -1;
		break;
	case CONF_OUT_STDOUT:
		break;
	}
	if (type == CONF_OUT_SYSLOG || type == CONF_OUT_JOURNALD)
		if ((o->ident = strdup(CONF_IDENT)) == NULL)
			return -1;
	return 0;
}

/* Which keys a type takes, for the message about one it does not. */
static const char *const output_keys[] = {
	"type or queue",
	"type, path, rotate_size, keep, mode, group or queue",
	"type, socket, facility, ident, cee, format or queue",
	"type, socket, ident or queue",
};

static void
output_key(struct conf_output *o, const char *key, json_object *val,
    const char *path, const struct where *w)
{
	const char *s, *bad_key = NULL;
	char *end;
	uint64_t v;
	unsigned long m;
	size_t i;

	if (strcmp(key, "queue") == 0) {	/* every type has one */
		if (get_size(w, path, val, 65536, 1ULL << 30,
		    "64k to 1G", &v) == 0)
			o->queue = v;
		return;
	}
	switch (o->type) {
	case CONF_OUT_FILE:
		if (strcmp(key, "path") == 0) {
			if (dup_string(w, path, val, &o->path) == 0 &&
			    o->path[0] != '/')
				bad(w, path, "expected an absolute path");
		} else if (strcmp(key, "rotate_size") == 0) {
			if (get_size(w, path, val, 0, 1ULL << 50,
			    "4k to 1024T, or 0 for never", &v) == 0) {
				if (v != 0 && v < 4096)
					bad(w, path, "expected a size from 4k "
					    "to 1024T, or 0 for never");
				o->rotate_size = v;
			}
		} else if (strcmp(key, "keep") == 0) {
			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) >= 0 &&
			    json_object_get_int64(val) <= 1000)
				o->keep = (unsigned)json_object_get_int64(val);
			else
				bad(w, path, "expected a number of rotated "
				    "files from 0 to 1000");
		} else if (strcmp(key, "mode") == 0) {
			if ((s = get_string(w, path, val)) == NULL)
				return;
			errno = 0;
			m = strtoul(s, &end, 8);
			if (errno != 0 || *end != '\0' || *s < '0' ||
			    *s > '7' || (m & ~0666UL) != 0)
				bad(w, path, "expected an octal mode such as "
				    "\"0640\" (no execute, setuid or sticky "
				    "bits)");
			else
				o->mode = (mode_t)m;
		} else if (strcmp(key, "group") == 0)
			(void)dup_string(w, path, val, &o->group);
		else
			bad_key = key;
		break;
	case CONF_OUT_SYSLOG:
		if (strcmp(key, "socket") == 0) {
			if (dup_string(w, path, val, &o->path) == 0 &&
			    o->path[0] != '/')
				bad(w, path, "expected an absolute path");
		} else if (strcmp(key, "facility") == 0) {
			if ((s = get_string(w, path, val)) == NULL)
				return;
			for (i = 0; i < sizeof(facilities) /
			    sizeof(facilities[0]); i++)
				if (strcmp(s, facilities[i].name) == 0)
					break;
			if (i < sizeof(facilities) / sizeof(facilities[0]))
				o->facility = facilities[i].facility;
			else
				bad(w, path, "unknown facility \"%s\"; expected "
				    "auth, authpriv, daemon, local0 ... local7, "
				    "syslog, user, ...", s);
		} else if (strcmp(key, "ident") == 0)
			(void)dup_string(w, path, val, &o->ident);
		else if (strcmp(key, "cee") == 0)
			(void)get_bool(w, path, val, &o->cee);
		else if (strcmp(key, "format") == 0) {
			if ((s = get_string(w, path, val)) == NULL)
				return;
			if (strcmp(s, "rfc3164") == 0)
				o->rfc5424 = 0;
			else if (strcmp(s, "rfc5424") == 0)
				o->rfc5424 = 1;
			else
				bad(w, path, "unknown format \"%s\"; expected "
				    "rfc3164 or rfc5424", s);
		} else
			bad_key = key;
		break;
	case CONF_OUT_JOURNALD:
		if (strcmp(key, "socket") == 0) {
			if (dup_string(w, path, val, &o->path) == 0 &&
			    o->path[0] != '/')
				bad(w, path, "expected an absolute path");
		} else if (strcmp(key, "ident") == 0)
			(void)dup_string(w, path, val, &o->ident);
		else
			bad_key = key;
		break;
	case CONF_OUT_STDOUT:
		bad_key = key;
		break;
	}
	if (bad_key != NULL)
		bad(w, path, "unknown key for a %s output; expected %s",
		    output_types[o->type], output_keys[o->type]);
}

static void
outputs_section(struct conf *c, json_object *list, const struct where *w)
{
	struct conf_output *o;
	json_object *type;
	char where[32], path[96];
	const char *t;
	size_t i, n, k;

	if (!json_object_is_type(list, json_type_array)) {
		bad(w, "outputs", "expected a list [ {\"type\": ...}, ... ]");
		return;
	}
	n = json_object_array_length(list);
	if (n == 0) {
		bad(w, "outputs", "expected at least one output (leave the key "
		    "out for stdout)");
		return;
	}
	outputs_free(c);
	if ((c->outputs = calloc(n, sizeof(*c->outputs))) == NULL) {
		bad(w, "outputs", "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);

		snprintf(where, sizeof(where), "outputs[%zu]", i);
		if (!json_object_is_type(e, json_type_object)) {
			bad(w, where, "expected an object {\"type\": ...}");
			continue;
		}
		snprintf(path, sizeof(path), "%s.type", where);
		if (!json_object_object_get_ex(e, "type", &type)) {
			bad(w, where, "missing \"type\": stdout, file, syslog "
			    "or journald");
			continue;
		}
		if ((t = get_string(w, path, type)) == NULL)
			continue;
		for (k = 0; k < 4; k++)
			if (strcmp(t, output_types[k]) == 0)
				break;
		if (k == 4) {
			bad(w, path, "unknown output type \"%s\"; expected "
			    "stdout, file, syslog or journald", t);
			continue;
		}
		o = &c->outputs[c->noutputs];
		if (output_init(o, (enum conf_output_type)k, where) < 0) {
			bad(w, where, "out of memory");
			continue;
		}
		c->noutputs++;
		json_object_object_foreach(e, key, val) {
			if (strcmp(key, "type") == 0)
				continue;
			snprintf(path, sizeof(path), "%s.%s", where, key);
			output_key(o, key, val, path, w);
		}
		if (o->type == CONF_OUT_FILE && o->path == NULL)
			bad(w, where, "a file output needs \"path\"");
	}
}

void
conf_output_name(const struct conf_output *o, char *buf, size_t len)
{
	if (o->type == CONF_OUT_STDOUT)
		snprintf(buf, len, "stdout");
	else
		snprintf(buf, len, "%s:%s", output_types[o->type],
		    o->path ? o->path : "?");
}

int
conf_output_arg(struct conf *c, const char *spec, int first, char *err,
    size_t errlen)
{
	struct conf_output *o, *p;
	const char *arg = strchr(spec, ':');
	size_t tlen = arg ? (size_t)(arg - spec) : strlen(spec), k;

	for (k = 0; k < 4; k++)
		if (strlen(output_types[k]) == tlen &&
		    strncmp(spec, output_types[k], tlen) == 0)
			break;
	if (k == 4 || (k == CONF_OUT_STDOUT && arg != NULL) ||
	    (k == CONF_OUT_FILE && (arg == NULL || arg[1] != '/')) ||
	    (arg != NULL && arg[1] != '/')) {
		snprintf(err, errlen, "\"%s\": expected stdout, file:PATH, "
		    "syslog[:SOCKET] or journald[:SOCKET], with an absolute "
		    "path", spec);
		return -1;
	}
	if (first)
		outputs_free(c);
	if ((p = realloc(c->outputs, (c->noutputs + 1) * sizeof(*p))) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->outputs = p;
	o = &c->outputs[c->noutputs];
	if (output_init(o, (enum conf_output_type)k, "--output") < 0)
		goto nomem;
	c->noutputs++;
	if (arg != NULL) {
		free(o->path);
		if ((o->path = strdup(arg + 1)) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

static void
top_level(struct conf *c, json_object *root, const char *file,
    const struct jsonpos *jp, struct errlist *errs)
{
	struct where w = { file, jp, errs };
	size_t i, from;

	json_object_object_foreach(root, key, val) {
		if (strcmp(key, "audit") == 0)
			audit_section(c, val, &w);
		else if (strcmp(key, "outputs") == 0)
			outputs_section(c, val, &w);
		else if (strcmp(key, "host_name") == 0)
			(void)dup_string(&w, key, val, &c->host_name);
		else if (strcmp(key, "original") == 0)
			(void)get_bool(&w, key, val, &c->original);
		else if (strcmp(key, "user") == 0)
			(void)dup_string(&w, key, val, &c->user);
		else if (strcmp(key, "storm") == 0)
			storm_section(c, val, &w);
		else if (strcmp(key, "stats") == 0)
			stats_section(c, val, &w);
		else if (strcmp(key, "context") == 0)
			context_section(c, val, &w);
		else if (strcmp(key, "gaps") == 0)
			gaps_section(c, val, &w);
		else if (strcmp(key, "landlock") == 0)
			landlock_section(c, val, &w);
		else if (strcmp(key, "seccomp") == 0) {
			/* The policy's errors know their key: add the line. */
			from = errs->n;
			(void)policy_parse(&c->policy, val, "seccomp", errs);
			for (i = from; i < errs->n; i++)
				errlist_locate(errs, i, file,
				    jsonpos_line(jp, errs->e[i].path));
		} else if (strcmp(key, "socket") == 0 ||
		    strcmp(key, "rcvbuf") == 0)
			bad(&w, key, "moved into the \"audit\" section: write "
			    "\"audit\": {\"%s\": ...}", key);
		else
			bad(&w, key, "unknown key; expected audit, outputs, "
			    "host_name, original, user, storm, stats, context, "
			    "gaps, landlock or seccomp");
	}
}

/* An error at byte off of text: "FILE:LINE: column N: <prefix><what>". */
static void
column_error(struct errlist *errs, const char *path, const char *text,
    size_t len, size_t off, const char *prefix, const char *what)
{
	size_t i;

	for (i = off; i > 0 && text[i - 1] != '\n'; i--)
		;
	errlist_add_at(errs, path, jsonpos_line_at(text, len, off), NULL, 0,
	    "column %zu: %s%s", off - i + 1, prefix, what);
}

static void
syntax_error(struct errlist *errs, const char *path, const char *text,
    size_t len, size_t off, const char *what)
{
	column_error(errs, path, text, len, off, "not valid JSON: ", what);
}

/* The policy as it stands against the arch and the kernel. */
static void
check_policy(struct conf *c, const char *file, const struct jsonpos *jp,
    unsigned avail, struct errlist *errs)
{
	unsigned line;
	size_t i, from = errs->n;

	(void)policy_check(&c->policy, avail, errs);
	for (i = from; i < errs->n; i++) {
		line = jp != NULL ? jsonpos_line(jp, errs->e[i].path) : 0;
		if (c->policy.origin == POLICY_BUILTIN && line == 0)
			errlist_locate(errs, i, "built-in policy", 0);
		else
			errlist_locate(errs, i, file, line);
	}
}

int
conf_load(struct conf *c, const char *path, int missing_ok, unsigned avail,
    struct errlist *errs)
{
	struct json_tokener *tok = NULL;
	struct jsonpos jp = { NULL, 0, 0, NULL };
	json_object *root = NULL;
	enum json_tokener_error jerr;
	size_t len = 0, end, i, before = errlist_count(errs);
	char *text;
	unsigned line;
	int missing;

	if ((text = slurp(path, &len, missing_ok, &missing, errs)) == NULL) {
		if (missing)
			check_policy(c, path, NULL, avail, errs);
		return errlist_count(errs) > before ? -1 : 0;
	}
	free(c->path);
	c->path = strdup(path);

	if (jsonpos_strip_comments(text, len, &line) < 0) {
		errlist_add_at(errs, path, line, NULL, 0,
		    "unterminated comment");
		goto out;
	}
	if ((tok = json_tokener_new_ex(JSONPOS_MAX_DEPTH)) == NULL) {
		errlist_add_at(errs, path, 0, NULL, 0, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		errlist_add_at(errs, path, jsonpos_line_at(text, len, len),
		    NULL, 0, "unexpected end of file: the JSON is not "
		    "complete");
		goto out;
	}
	if (root == NULL || jerr != json_tokener_success) {
		syntax_error(errs, path, text, len, end,
		    json_tokener_error_desc(jerr));
		goto out;
	}
	if (!json_object_is_type(root, json_type_object)) {
		for (i = 0; i < len && strchr(" \t\r\n", text[i]) != NULL; i++)
			;
		errlist_add_at(errs, path, jsonpos_line_at(text, len, i),
		    NULL, 0, "expected a JSON object { ... } at the top");
		goto out;
	}
	switch (jsonpos_scan(&jp, text, len, &end)) {
	case -1:
		errlist_add_at(errs, path, 0, NULL, 0, "out of memory");
		goto out;
	case 1:
		syntax_error(errs, path, text, len, end, "expected a string "
		    "in double quotes, or a value");
		goto out;
	case 2:
		/* json-c cuts such a key at the NUL: "a\u0000b" is "a". */
		column_error(errs, path, text, len, end, "", "a key must not "
		    "contain \\u0000 (a NUL byte)");
		goto out;
	}
	/*
	 * Always fatal, in the seccomp section too: which of two values was
	 * meant is unknown, and a policy error would let the daemon run
	 * without a filter ("enabled": true, then "en\u0061bled": false).
	 */
	for (i = 0; i < jp.n; i++)
		if (jp.v[i].duplicate)
			errlist_add_at(errs, path, jp.v[i].line, jp.v[i].path,
			    0, "duplicate key (the same key appears earlier in "
			    "this object)");
	top_level(c, root, path, &jp, errs);
	/* Names, duplicates and actions too, so that one run shows all. */
	check_policy(c, path, &jp, avail, errs);
out:
	json_object_put(root);
	if (tok != NULL)
		json_tokener_free(tok);
	jsonpos_free(&jp);
	free(text);
	return errlist_count(errs) > before ? -1 : 0;
}

int
conf_check_host(struct conf *c, struct errlist *errs)
{
	const char *file = c->path ? c->path : "configuration";
	struct privs_user u;
	struct conf_output *o;
	struct group *gr;
	struct stat st;
	char err[256], dir[PATH_MAX], *slash, *end;
	size_t i, j, before = errlist_count(errs);
	unsigned long n;

	if (c->user != NULL &&
	    privs_user_lookup(c->user, &u, err, sizeof(err)) < 0)
		errlist_add_at(errs, file, 0, "user", 0, "%s", err);
	for (i = 0; i < c->noutputs; i++) {
		o = &c->outputs[i];
		/* Twice the same stream doubles events; two file outputs on
		 * one path would rotate each other's files. */
		for (j = 0; j < i; j++)
			if (c->outputs[j].type == o->type &&
			    (o->type == CONF_OUT_STDOUT ||
			    (o->type == CONF_OUT_FILE && o->path != NULL &&
			    c->outputs[j].path != NULL &&
			    strcmp(o->path, c->outputs[j].path) == 0))) {
				errlist_add_at(errs, file, 0, o->where, 0,
				    "the same output as %s",
				    c->outputs[j].where);
				break;
			}
		if (o->type != CONF_OUT_FILE)
			continue;
		if (o->group != NULL) {
			errno = 0;
			n = strtoul(o->group, &end, 10);
			if ((gr = getgrnam(o->group)) != NULL)
				o->gid = gr->gr_gid;
			else if (*end == '\0' && errno == 0 && n < UINT32_MAX)
				o->gid = (gid_t)n;
			else
				errlist_add_at(errs, file, 0, o->where, 0,
				    "group: no such group \"%s\"", o->group);
		}
		/* No path, or a relative one: conf_load() has said so. */
		if (o->path == NULL || o->path[0] != '/')
			continue;
		if (strlen(o->path) >= sizeof(dir)) {
			errlist_add_at(errs, file, 0, o->where, 0,
			    "path: too long");
			continue;
		}
		strcpy(dir, o->path);
		if ((slash = strrchr(dir, '/')) == dir)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		if (stat(dir, &st) < 0)
			errlist_add_at(errs, file, 0, o->where, 0,
			    "path: directory %s: %s", dir, strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			errlist_add_at(errs, file, 0, o->where, 0,
			    "path: %s is not a directory", dir);
		else if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
			errlist_add_at(errs, file, 0, o->where, 0,
			    "path: %s exists and is not a regular file",
			    o->path);
	}
	return (int)(errlist_count(errs) - before);
}

static json_object *
jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *
outputs_to_json(const struct conf *c)
{
	const struct conf_output *o;
	json_object *list, *e;
	char mode[8];
	size_t i;

	list = json_object_new_array();
	if (c->noutputs == 0) {
		e = json_object_new_object();
		json_object_object_add(e, "type", jstr("stdout"));
		json_object_object_add(e, "queue",
		    json_object_new_int64((int64_t)CONF_QUEUE));
		json_object_array_add(list, e);
	}
	for (i = 0; i < c->noutputs; i++) {
		o = &c->outputs[i];
		e = json_object_new_object();
		json_object_array_add(list, e);
		json_object_object_add(e, "type", jstr(output_types[o->type]));
		json_object_object_add(e, "queue",
		    json_object_new_int64((int64_t)o->queue));
		switch (o->type) {
		case CONF_OUT_FILE:
			snprintf(mode, sizeof(mode), "0%03o",
			    (unsigned)o->mode);
			json_object_object_add(e, "path", jstr(o->path));
			json_object_object_add(e, "rotate_size",
			    json_object_new_int64((int64_t)o->rotate_size));
			json_object_object_add(e, "keep",
			    json_object_new_int64(o->keep));
			json_object_object_add(e, "mode", jstr(mode));
			if (o->group != NULL)
				json_object_object_add(e, "group",
				    jstr(o->group));
			break;
		case CONF_OUT_SYSLOG:
			json_object_object_add(e, "socket", jstr(o->path));
			json_object_object_add(e, "facility",
			    jstr(facility_name(o->facility)));
			json_object_object_add(e, "ident", jstr(o->ident));
			json_object_object_add(e, "cee",
			    json_object_new_boolean(o->cee));
			json_object_object_add(e, "format",
			    jstr(o->rfc5424 ? "rfc5424" : "rfc3164"));
			break;
		case CONF_OUT_JOURNALD:
			json_object_object_add(e, "socket", jstr(o->path));
			json_object_object_add(e, "ident", jstr(o->ident));
			break;
		case CONF_OUT_STDOUT:
			break;
		}
	}
	return list;
}

char *
conf_to_text(const struct conf *c, int log_flag)
{
	static const char *const origins[] = { "no built-in", "built-in",
		"custom" };
	json_object *root, *audit, *storm, *stats, *cx, *gaps, *pol, *ll;
	const char *body;
	char *text = NULL;
	size_t len;

	if ((root = json_object_new_object()) == NULL)
		return NULL;
	audit = json_object_new_object();
	json_object_object_add(root, "audit", audit);
	json_object_object_add(audit, "socket",
	    jstr(conf_socket_name(c->audit.socket)));
	json_object_object_add(audit, "rcvbuf",
	    json_object_new_int64(c->audit.rcvbuf));
	json_object_object_add(audit, "backlog_limit",
	    json_object_new_int64(c->audit.backlog_limit));
	if (c->audit.backlog_wait_time >= 0)
		json_object_object_add(audit, "backlog_wait_time",
		    json_object_new_int64(c->audit.backlog_wait_time));
	json_object_object_add(root, "outputs", outputs_to_json(c));
	if (c->host_name != NULL)
		json_object_object_add(root, "host_name", jstr(c->host_name));
	json_object_object_add(root, "original",
	    json_object_new_boolean(c->original));
	if (c->user != NULL)
		json_object_object_add(root, "user", jstr(c->user));
	storm = json_object_new_object();
	json_object_object_add(root, "storm", storm);
	json_object_object_add(storm, "enabled",
	    json_object_new_boolean(c->storm.enabled));
	json_object_object_add(storm, "window",
	    json_object_new_int64(c->storm.window));
	json_object_object_add(storm, "burst",
	    json_object_new_int64(c->storm.burst));
	json_object_object_add(storm, "max_keys",
	    json_object_new_int64(c->storm.max_keys));
	stats = json_object_new_object();
	json_object_object_add(root, "stats", stats);
	json_object_object_add(stats, "enabled",
	    json_object_new_boolean(c->stats.enabled));
	json_object_object_add(stats, "interval",
	    json_object_new_int64(c->stats.interval));
	cx = json_object_new_object();
	json_object_object_add(root, "context", cx);
	json_object_object_add(cx, "enabled",
	    json_object_new_boolean(c->context.enabled));
	json_object_object_add(cx, "cache_size",
	    json_object_new_int64(c->context.cache_size));
	json_object_object_add(cx, "args_max",
	    json_object_new_int64(c->context.args_max));
	json_object_object_add(cx, "passwd",
	    json_object_new_string(conf_context_passwd(c)));
	json_object_object_add(cx, "group",
	    json_object_new_string(conf_context_group(c)));
	json_object_object_add(cx, "pod_log_dir",
	    json_object_new_string(conf_context_pod_log_dir(c)));
	gaps = json_object_new_object();
	json_object_object_add(root, "gaps", gaps);
	json_object_object_add(gaps, "enabled",
	    json_object_new_boolean(c->gaps.enabled));
	json_object_object_add(gaps, "interval",
	    json_object_new_int64(c->gaps.interval));
	ll = json_object_new_object();
	json_object_object_add(root, "landlock", ll);
	json_object_object_add(ll, "enabled",
	    json_object_new_boolean(c->landlock.enabled));
	json_object_object_add(ll, "required",
	    json_object_new_boolean(c->landlock.required));
	if ((pol = policy_to_json(&c->policy)) != NULL)
		json_object_object_add(root, "seccomp", pol);
	body = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (pol != NULL && body != NULL) {
		len = strlen(body) + 512;
		if ((text = malloc(len)) != NULL)
			snprintf(text, len,
			    "// seccompmon: the effective configuration, from "
			    "%s.\n"
			    "// seccomp: the %s policy for %s; denials are "
			    "%saudited (SECCOMP_FILTER_FLAG_LOG).\n"
			    "// Check it with: seccompmon --check-config "
			    "--config FILE\n%s\n",
			    c->path ? c->path : "built-in defaults",
			    origins[c->policy.origin],
			    policy_arch_name(c->policy.arch),
			    log_flag ? "" : "not ", body);
	}
	json_object_put(root);
	return text;
}

void
conf_fit_policy(struct conf *c)
{
	unsigned have = 0;
	size_t i;

	for (i = 0; i < c->noutputs; i++) {
		if (c->outputs[i].type == CONF_OUT_FILE)
			have |= POLICY_NEED_FILE;
		else if (c->outputs[i].type == CONF_OUT_JOURNALD)
			have |= POLICY_NEED_JOURNALD;
	}
	if (c->context.enabled)
		have |= POLICY_NEED_CONTEXT;
	if (c->gaps.enabled)
		have |= POLICY_NEED_GAPS;
	policy_builtin_narrow(&c->policy, have);
}
