/*
 * policyrun: runs a command under a policy in seccompmon's own format (the
 * output of `seccompmon learn --format seccompmon`), compiled and loaded by
 * the daemon's own policy code, with the default action replaced by
 * kill_process: a call the policy lacks ends the command with SIGSYS, so
 * a clean exit proves the policy allows everything the command did.
 *   policyrun POLICY.json CMD [ARG...]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "policy/errlist.h"
#include "policy/policy.h"
#include "policy/policyjson.h"

int
main(int argc, char **argv)
{
	static struct errlist errs;
	struct policy p;
	json_object *top, *sec;
	scmp_filter_ctx ctx;
	char buf[ERRLIST_TEXT_MAX];
	long tid;
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: policyrun POLICY.json CMD [ARG...]\n");
		return 2;
	}
	if ((top = json_object_from_file(argv[1])) == NULL ||
	    !json_object_object_get_ex(top, "seccomp", &sec)) {
		fprintf(stderr, "policyrun: %s: no \"seccomp\" object\n",
		    argv[1]);
		return 2;
	}
	(void)policy_builtin(&p, policy_native_arch());
	if (policy_parse(&p, sec, "seccomp", &errs) != 0 ||
	    policy_check(&p, POLICY_ALL_ACTIONS, &errs) != 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "policyrun: %s: %s\n", argv[1],
			    errlist_format(&errs.e[i], buf, sizeof(buf)));
		return 2;
	}
	p.default_action = POLICY_KILL_PROCESS;
	if ((ctx = policy_compile(&p, &errs)) == NULL ||
	    policy_load(ctx, 1, &tid) != 0) {
		perror("policyrun: the filter");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("policyrun: exec");
	return 127;
}
