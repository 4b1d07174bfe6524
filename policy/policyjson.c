/*
 * The policy model <-> the configuration's "seccomp" object (json-c), kept
 * beside the model so that policy.c needs no JSON.  Every parse error names
 * its key path ("seccomp.syscalls[2].action"), so that the configuration
 * reader can add the file and the line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policyjson.h"

/* errno names accepted by "errno": those a policy would plausibly want. */
static const struct {
	const char	*name;
	int		 value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES },
	{ "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
};

/* A key path for messages; truncated silently (it is only a label). */
static void
keypath(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
keypath(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static const char *
errno_name(int value)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == value)
			return errnos[i].name;
	return NULL;
}

static const char *
type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

static int
want_type(json_object *o, enum json_type t, const char *what,
    const char *path, struct errlist *errs)
{
	if (json_object_is_type(o, t))
		return 0;
	errlist_add(errs, 1, path, "expected %s, found %s", what,
	    type_name(o));
	return -1;
}

/*
 * The text of o, which must be a string (what says which): every string of
 * the policy is read through here.  json-c keeps a "\u0000" inside a value,
 * where a C string stops, so a NUL byte is an error rather than a shorter
 * value ("allow\u0000junk" is not allow).  NULL after an error.
 */
static const char *
get_string(json_object *o, const char *what, const char *path,
    struct errlist *errs)
{
	const char *s;

	if (want_type(o, json_type_string, what, path, errs) < 0)
		return NULL;
	s = json_object_get_string(o);
	if (strlen(s) != (size_t)json_object_get_string_len(o)) {
		errlist_add(errs, 1, path, "expected %s without NUL (\\u0000)",
		    what);
		return NULL;
	}
	return s;
}

static int
parse_action(json_object *o, const char *path, struct errlist *errs,
    enum policy_action *out)
{
	const char *s;
	int a;

	if ((s = get_string(o, "an action name (a string)", path, errs)) ==
	    NULL)
		return -1;
	if ((a = policy_action_parse(s)) < 0) {
		errlist_add(errs, 1, path, "unknown action \"%s\"; expected "
		    "one of %s", s, policy_action_list());
		return -1;
	}
	*out = (enum policy_action)a;
	return 0;
}

static int
parse_errno(json_object *o, const char *path, struct errlist *errs,
    int *out)
{
	const char *s;
	size_t i;

	if ((s = get_string(o, "an errno name (a string such as "
	    "\"ENOSYS\")", path, errs)) == NULL)
		return -1;
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
		if (strcmp(errnos[i].name, s) == 0) {
			*out = errnos[i].value;
			return 0;
		}
	}
	errlist_add(errs, 1, path, "unknown errno \"%s\"; expected one of "
	    "EPERM, ENOSYS, EACCES, EINVAL, ENOTSUP, EAFNOSUPPORT", s);
	return -1;
}

/* One element of "syscalls": {action, names, errno}. */
static int
parse_rule(json_object *o, const char *path, struct policy_rule *r,
    struct errlist *errs)
{
	char sub[96];
	json_object *names = NULL, *act = NULL, *err = NULL, *n;
	const char *s;
	size_t i, len;
	int bad = 0, act_ok = 0;

	memset(r, 0, sizeof(*r));
	keypath(r->path, sizeof(r->path), "%s", path);
	r->err = EPERM;
	if (want_type(o, json_type_object, "an object {\"action\", \"names\"}",
	    path, errs) < 0)
		return -1;
	json_object_object_foreach(o, key, val) {
		keypath(sub, sizeof(sub), "%s.%s", path, key);
		if (strcmp(key, "action") == 0)
			act = val;
		else if (strcmp(key, "names") == 0)
			names = val;
		else if (strcmp(key, "errno") == 0)
			err = val;
		else {
			errlist_add(errs, 1, sub, "unknown key; expected "
			    "action, names or errno");
			bad = 1;
		}
	}
	keypath(sub, sizeof(sub), "%s.action", path);
	if (act == NULL) {
		errlist_add(errs, 1, path, "missing \"action\"; expected one "
		    "of %s", policy_action_list());
		bad = 1;
	} else if (parse_action(act, sub, errs, &r->action) < 0)
		bad = 1;
	else
		act_ok = 1;
	if (err != NULL) {
		keypath(sub, sizeof(sub), "%s.errno", path);
		if (parse_errno(err, sub, errs, &r->err) < 0)
			bad = 1;
		else if (act_ok && r->action != POLICY_ERRNO) {
			errlist_add(errs, 1, sub, "\"errno\" goes with "
			    "action \"errno\" only");
			bad = 1;
		}
	}
	keypath(sub, sizeof(sub), "%s.names", path);
	if (names == NULL) {
		errlist_add(errs, 1, path, "missing \"names\": a list of at "
		    "least one syscall name");
		return -1;
	}
	if (want_type(names, json_type_array, "a list of syscall names", sub,
	    errs) < 0)
		return -1;
	len = json_object_array_length(names);
	if (len == 0) {
		errlist_add(errs, 1, sub, "empty list; expected at least one "
		    "syscall name");
		return -1;
	}
	if ((r->names = calloc(len, sizeof(*r->names))) == NULL) {
		errlist_add(errs, 1, sub, "out of memory");
		return -1;
	}
	for (i = 0; i < len; i++) {
		n = json_object_array_get_idx(names, i);
		keypath(sub, sizeof(sub), "%s.names[%zu]", path, i);
		if ((s = get_string(n, "a syscall name (a string)", sub,
		    errs)) == NULL) {
			bad = 1;
			continue;
		}
		if (*s == '\0') {
			errlist_add(errs, 1, sub, "empty syscall name");
			bad = 1;
			continue;
		}
		if ((r->names[r->nnames] = strdup(s)) == NULL) {
			errlist_add(errs, 1, sub, "out of memory");
			return -1;
		}
		r->nnames++;
	}
	return bad ? -1 : 0;
}

int
policy_parse(struct policy *p, json_object *sec, const char *path,
    struct errlist *errs)
{
	json_object *syscalls = NULL, *defact = NULL, *o;
	struct policy_rule *rules;
	size_t before = errs->n + errs->dropped, i, len;
	char sub[96];
	enum policy_action a;

	if (want_type(sec, json_type_object, "an object", path, errs) < 0)
		return 1;
	json_object_object_foreach(sec, key, val) {
		keypath(sub, sizeof(sub), "%s.%s", path, key);
		if (strcmp(key, "enabled") == 0) {
			if (want_type(val, json_type_boolean, "true or false",
			    sub, errs) == 0)
				p->enabled = json_object_get_boolean(val);
		} else if (strcmp(key, "required") == 0) {
			if (want_type(val, json_type_boolean, "true or false",
			    sub, errs) == 0)
				p->required = json_object_get_boolean(val);
		} else if (strcmp(key, "default_action") == 0) {
			defact = val;
			if (parse_action(val, sub, errs, &a) == 0) {
				p->default_action = a;
				p->default_err = EPERM;
			}
		} else if (strcmp(key, "syscalls") == 0)
			syscalls = val;
		else
			errlist_add(errs, 1, sub, "unknown key; expected "
			    "enabled, required, default_action or syscalls");
	}
	if (syscalls == NULL) {
		if (p->origin == POLICY_NONE && p->enabled)
			errlist_add(errs, 1, path, "seccompmon has no built-in "
			    "policy for %s; give default_action and syscalls",
			    policy_arch_name(p->arch));
		return (int)(errs->n + errs->dropped - before);
	}

	/* A custom list replaces the built-in one and needs its default. */
	keypath(sub, sizeof(sub), "%s.syscalls", path);
	if (defact == NULL)
		errlist_add(errs, 1, path, "missing \"default_action\": a "
		    "policy with \"syscalls\" must say what happens to every "
		    "other call (one of %s)", policy_action_list());
	if (want_type(syscalls, json_type_array, "a list of "
	    "{\"action\", \"names\"} objects", sub, errs) < 0)
		return (int)(errs->n + errs->dropped - before);
	len = json_object_array_length(syscalls);
	if (len == 0) {
		errlist_add(errs, 1, sub, "empty list; expected at least one "
		    "{\"action\", \"names\"} object");
		return (int)(errs->n + errs->dropped - before);
	}
	if ((rules = calloc(len, sizeof(*rules))) == NULL) {
		errlist_add(errs, 1, sub, "out of memory");
		return (int)(errs->n + errs->dropped - before);
	}
	policy_free(p);
	p->rules = rules;
	p->nrules = len;
	p->origin = POLICY_CUSTOM;
	for (i = 0; i < len; i++) {
		o = json_object_array_get_idx(syscalls, i);
		keypath(sub, sizeof(sub), "%s.syscalls[%zu]", path, i);
		(void)parse_rule(o, sub, &p->rules[i], errs);
	}
	return (int)(errs->n + errs->dropped - before);
}

json_object *
policy_to_json(const struct policy *p)
{
	json_object *o, *list, *rule, *names;
	const struct policy_rule *r;
	size_t i, j;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "enabled",
	    json_object_new_boolean(p->enabled));
	json_object_object_add(o, "required",
	    json_object_new_boolean(p->required));
	json_object_object_add(o, "default_action",
	    json_object_new_string(policy_action_name(p->default_action)));
	list = json_object_new_array();
	json_object_object_add(o, "syscalls", list);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		rule = json_object_new_object();
		json_object_array_add(list, rule);
		json_object_object_add(rule, "action",
		    json_object_new_string(policy_action_name(r->action)));
		if (r->action == POLICY_ERRNO && r->err != EPERM &&
		    errno_name(r->err) != NULL)
			json_object_object_add(rule, "errno",
			    json_object_new_string(errno_name(r->err)));
		names = json_object_new_array();
		json_object_object_add(rule, "names", names);
		for (j = 0; j < r->nnames; j++)
			json_object_array_add(names,
			    json_object_new_string(r->names[j]));
	}
	return o;
}
