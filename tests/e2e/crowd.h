/*
 * A crowd for the end-to-end tests: many accounts befriended with one
 * person, written straight into the running server's database (SQLite in
 * WAL mode takes a second writer). Signing up seventy people over SSH
 * would take a minute of the suite for what is only the setting of the
 * test; what the test then checks goes through the server as a user's
 * would. Nobody can log in as the crowd: their keys are thrown away.
 */
#ifndef SSHBOOK_E2E_CROWD_H
#define SSHBOOK_E2E_CROWD_H

#include <stdbool.h>

/*
 * Add n accounts named prefix1..prefixN, each a friend of the existing
 * user `friend_of`, in the database of the server whose data directory is
 * data_dir. false (with a line on stderr) when any step failed.
 */
bool	crowd_befriend(const char *data_dir, const char *friend_of, const char *prefix, int n);
/* Make the existing users a and b friends, the same way. */
bool	crowd_make_friends(const char *data_dir, const char *a, const char *b);

#endif
