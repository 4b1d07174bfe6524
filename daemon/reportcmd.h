/*
 * "seccompmon report [options] [FILE...]": what the events or audit logs
 * say happened, per container, unit or executable, architecture, call and
 * action.  An offline tool: it runs without the daemon's sandbox.
 */
#ifndef SECCOMPMON_REPORTCMD_H
#define SECCOMPMON_REPORTCMD_H

/*
 * argv[0] is "report".  Returns the exit status: 0, 1 when an input could
 * not be read, 2 for a usage error.
 */
int reportcmd_main(int argc, char **argv);

#endif
