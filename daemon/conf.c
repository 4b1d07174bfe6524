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
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daemon/conf.h"
#include "daemon/jsonpos.h"

static void
errs_add(struct conf_errors *errs, const char *file, unsigned line,
    const char *path, int policy, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
errs_add(struct conf_errors *errs, const char *file, unsigned line,
    const char *path, int policy, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	if (policy)
		errs->policy++;
	if (errs->n >= CONF_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (line > 0 && path != NULL && *path != '\0')
		snprintf(errs->msg[errs->n], sizeof(errs->msg[0]), "%s:%u: %s: "
		    "%s", file, line, path, what);
	else if (line > 0)
		snprintf(errs->msg[errs->n], sizeof(errs->msg[0]), "%s:%u: %s",
		    file, line, what);
	else
		snprintf(errs->msg[errs->n], sizeof(errs->msg[0]), "%s: %s",
		    file, what);
	errs->n++;
}

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

int
conf_parse_size(const char *s, int *out)
{
	unsigned long long v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > INT_MAX)
			return -1;
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
	default:
		return -1;
	}
	if (*p != '\0' || v > (unsigned long long)INT_MAX / mul)
		return -1;
	*out = (int)(v * mul);
	return 0;
}

int
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->socket = CONF_SOCKET_AUTO;
	c->rcvbuf = 16 * 1024 * 1024;
	/* No built-in list for this arch: origin NONE, checked later. */
	if (policy_builtin(&c->policy, policy_native_arch()) < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

void
conf_free(struct conf *c)
{
	free(c->path);
	free(c->host_name);
	free(c->user);
	policy_free(&c->policy);
	memset(c, 0, sizeof(*c));
}

/* Read the whole file; NULL with a message in errs. */
static char *
slurp(const char *path, size_t *len, int missing_ok, int *missing,
    struct conf_errors *errs)
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
		errs_add(errs, path, 0, NULL, 0, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errs_add(errs, path, 0, NULL, 0, "not a regular file");
		goto fail;
	}
	if (st.st_size > CONF_MAX_BYTES) {
		errs_add(errs, path, 0, NULL, 0, "larger than %d bytes",
		    CONF_MAX_BYTES);
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		errs_add(errs, path, 0, NULL, 0, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errs_add(errs, path, 0, NULL, 0, "%s",
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

static int
want(json_object *o, enum json_type t, const char *what, const char *file,
    const struct jsonpos *jp, const char *path, struct conf_errors *errs)
{
	if (json_object_is_type(o, t))
		return 0;
	errs_add(errs, file, jsonpos_line(jp, path), path, 0, "expected %s",
	    what);
	return -1;
}

static int
set_string(char **dst, json_object *o, const char *file,
    const struct jsonpos *jp, const char *path, struct conf_errors *errs)
{
	if (want(o, json_type_string, "a string", file, jp, path, errs) < 0)
		return -1;
	if (json_object_get_string_len(o) == 0) {
		errs_add(errs, file, jsonpos_line(jp, path), path, 0,
		    "expected a non-empty string");
		return -1;
	}
	free(*dst);
	if ((*dst = strdup(json_object_get_string(o))) == NULL)
		return -1;
	return 0;
}

static void
top_level(struct conf *c, json_object *root, const char *file,
    const struct jsonpos *jp, struct conf_errors *errs)
{
	struct policy_errors perrs;
	const char *s;
	size_t i;
	int v;

	json_object_object_foreach(root, key, val) {
		if (strcmp(key, "socket") == 0) {
			if (want(val, json_type_string, "\"auto\", \"unicast\" "
			    "or \"multicast\"", file, jp, key, errs) < 0)
				continue;
			s = json_object_get_string(val);
			if ((v = conf_socket_parse(s)) >= 0)
				c->socket = (enum conf_socket)v;
			else
				errs_add(errs, file, jsonpos_line(jp, key), key,
				    0, "unknown mode \"%s\"; expected auto, "
				    "unicast or multicast", s);
		} else if (strcmp(key, "rcvbuf") == 0) {
			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) >= 65536 &&
			    json_object_get_int64(val) <= INT_MAX)
				c->rcvbuf = (int)json_object_get_int64(val);
			else if (json_object_is_type(val, json_type_string) &&
			    conf_parse_size(json_object_get_string(val), &v) ==
			    0 && v >= 65536)
				c->rcvbuf = v;
			else
				errs_add(errs, file, jsonpos_line(jp, key), key,
				    0, "expected a size from 64k to 2047M, as "
				    "a number of bytes or a string like "
				    "\"16M\"");
		} else if (strcmp(key, "host_name") == 0) {
			(void)set_string(&c->host_name, val, file, jp, key,
			    errs);
		} else if (strcmp(key, "original") == 0) {
			if (want(val, json_type_boolean, "true or false", file,
			    jp, key, errs) == 0)
				c->original = json_object_get_boolean(val);
		} else if (strcmp(key, "user") == 0) {
			(void)set_string(&c->user, val, file, jp, key, errs);
		} else if (strcmp(key, "seccomp") == 0) {
			memset(&perrs, 0, sizeof(perrs));
			(void)policy_parse(&c->policy, val, "seccomp", &perrs);
			for (i = 0; i < perrs.n; i++)
				errs_add(errs, file, jsonpos_line(jp,
				    perrs.e[i].path), perrs.e[i].path, 1, "%s",
				    perrs.e[i].msg);
			errs->policy += perrs.dropped;
			errs->dropped += perrs.dropped;
		} else
			errs_add(errs, file, jsonpos_line(jp, key), key, 0,
			    "unknown key; expected socket, rcvbuf, host_name, "
			    "original, user or seccomp");
	}
}

static void
syntax_error(struct conf_errors *errs, const char *path, const char *text,
    size_t len, size_t off, const char *what)
{
	size_t i;

	for (i = off; i > 0 && text[i - 1] != '\n'; i--)
		;
	errs_add(errs, path, jsonpos_line_at(text, len, off), NULL, 0,
	    "column %zu: not valid JSON: %s", off - i + 1, what);
}

/* The policy as it stands against the arch and the kernel. */
static void
check_policy(struct conf *c, const char *file, const struct jsonpos *jp,
    unsigned avail, struct conf_errors *errs)
{
	struct policy_errors perrs;
	unsigned line;
	size_t i;

	memset(&perrs, 0, sizeof(perrs));
	(void)policy_check(&c->policy, avail, &perrs);
	for (i = 0; i < perrs.n; i++) {
		line = jp != NULL ? jsonpos_line(jp, perrs.e[i].path) : 0;
		if (c->policy.origin == POLICY_BUILTIN && line == 0)
			errs_add(errs, "built-in policy", 0, NULL, 1, "%s: %s",
			    perrs.e[i].path, perrs.e[i].msg);
		else
			errs_add(errs, file, line, perrs.e[i].path, 1, "%s",
			    perrs.e[i].msg);
	}
	errs->policy += perrs.dropped;
	errs->dropped += perrs.dropped;
}

int
conf_load(struct conf *c, const char *path, int missing_ok, unsigned avail,
    struct conf_errors *errs)
{
	struct json_tokener *tok = NULL;
	struct jsonpos jp = { NULL, 0, 0 };
	json_object *root = NULL;
	enum json_tokener_error jerr;
	size_t len = 0, end, i, before = errs->n + errs->dropped;
	char *text;
	unsigned line;
	int missing;

	if ((text = slurp(path, &len, missing_ok, &missing, errs)) == NULL) {
		if (missing)
			check_policy(c, path, NULL, avail, errs);
		return errs->n + errs->dropped > before ? -1 : 0;
	}
	free(c->path);
	c->path = strdup(path);

	if (jsonpos_strip_comments(text, len, &line) < 0) {
		errs_add(errs, path, line, NULL, 0, "unterminated comment");
		goto out;
	}
	if ((tok = json_tokener_new_ex(JSONPOS_MAX_DEPTH)) == NULL) {
		errs_add(errs, path, 0, NULL, 0, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		errs_add(errs, path, jsonpos_line_at(text, len, len), NULL, 0,
		    "unexpected end of file: the JSON is not complete");
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
		errs_add(errs, path, jsonpos_line_at(text, len, i), NULL, 0,
		    "expected a JSON object { ... } at the top");
		goto out;
	}
	switch (jsonpos_scan(&jp, text, len, &end)) {
	case -1:
		errs_add(errs, path, 0, NULL, 0, "out of memory");
		goto out;
	case 1:
		syntax_error(errs, path, text, len, end, "expected a string "
		    "in double quotes, or a value");
		goto out;
	}
	for (i = 0; i < jp.n; i++)
		if (jp.v[i].duplicate)
			errs_add(errs, path, jp.v[i].line, jp.v[i].path,
			    strncmp(jp.v[i].path, "seccomp", 7) == 0,
			    "duplicate key (the same key appears earlier in "
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
	return errs->n + errs->dropped > before ? -1 : 0;
}
