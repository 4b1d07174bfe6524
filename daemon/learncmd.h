/*
 * "seccompmon learn [options] -- COMMAND [ARG...]": runs COMMAND under a
 * seccomp filter whose default action is log, collects the SECCOMP records
 * of its process tree from the audit multicast group, and writes the
 * profile (policy/profgen.h) that allows what it did.  An offline tool
 * like report and profile: it runs without the daemon's sandbox.
 */
#ifndef SECCOMPMON_LEARNCMD_H
#define SECCOMPMON_LEARNCMD_H

/*
 * argv[0] is "learn".  Returns the exit status: 0 a profile was written;
 * 1 none could be (no audit socket, no CAP_AUDIT_READ, the log action not
 * logged, the command could not be started, nothing to write); 2 a usage
 * error; 3 a profile was written but may miss calls (records were lost,
 * or the end of the command's records could not be confirmed).
 */
int learncmd_main(int argc, char **argv);

#endif
