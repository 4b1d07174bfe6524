/*
 * The configuration's "seccomp" object <-> struct policy, with json-c.
 * Apart from the model (policy.h) so that the model, its checks and the
 * filter build do not depend on the configuration's format.
 */
#ifndef SECCOMPMON_POLICYJSON_H
#define SECCOMPMON_POLICYJSON_H

#include <json-c/json.h>

#include "policy/errlist.h"
#include "policy/policy.h"

/*
 * Apply the configuration's "seccomp" object sec (path is its key path,
 * "seccomp") onto p, which holds the built-in policy:
 *   enabled          bool, default true
 *   required         bool, default false: policy errors are fatal
 *   default_action   action name; alone, it changes the built-in's default
 *   syscalls         [{action, names: [..], errno}]: replaces the built-in
 *                    list and then needs default_action
 * Unknown keys, wrong types and bad values are errors, added to errs as
 * policy errors with their key paths.  Returns the number of errors added
 * (0: p updated; else p is unspecified but freeable).
 */
int policy_parse(struct policy *p, json_object *sec, const char *path,
    struct errlist *errs);

/*
 * The policy as the configuration's "seccomp" object, which policy_parse()
 * takes back unchanged: {"enabled", "required", "default_action",
 * "syscalls": [{"action", ["errno",] "names"}]}.  NULL on ENOMEM.
 */
json_object *policy_to_json(const struct policy *p);

#endif
