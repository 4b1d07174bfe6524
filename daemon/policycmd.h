/*
 * "seccompmon policy ...": check, show, export and test the self-sandbox
 * policy without starting the daemon.
 */
#ifndef SECCOMPMON_POLICYCMD_H
#define SECCOMPMON_POLICYCMD_H

/* argv[0] is "policy".  Returns the exit status. */
int policycmd_main(int argc, char **argv);

#endif
