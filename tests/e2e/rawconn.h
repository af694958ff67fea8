/*
 * Raw TCP connections to the server from chosen loopback addresses, for the
 * attacks a stranger can make before any SSH: silent connections, and ones
 * that send a version line and then stall in the key exchange. On Linux all
 * of 127/8 reaches a listener on 127.0.0.1, and each source address is its
 * own network for the server's caps. Used by test_public and the flood
 * benchmark.
 */
#ifndef SSHBOOK_E2E_RAWCONN_H
#define SSHBOOK_E2E_RAWCONN_H

#include <stdbool.h>

#include "tests/e2e/harness.h"

/* A set of raw connections, closed together. */
struct rawset {
	int	*fd;
	int	 n, cap;
};

/*
 * Open n connections from source address src (127.0.0.N) into set; with
 * banner, each sends an SSH version line and then stalls. Returns how many
 * connected (the server may close some at once: see raw_closed_by_server).
 */
int	raw_hold(struct rawset *, const struct server *, const char *src, int n,
	    bool banner);
/* The fd of the i-th connection of the set (-1 past its end; negative i counts from the end). */
int	raw_fd(const struct rawset *, int i);
/* Whether the server has closed fd (EOF or reset), waiting up to ms. */
bool	raw_closed_by_server(int fd, int ms);
/* Whether the server still holds fd open (no EOF, no reset yet), without waiting. */
bool	raw_still_open(int fd);
/* Close every connection of the set and free it (it can be used again). */
void	raw_close_all(struct rawset *);

/* Open file descriptors of sshbookd itself: the listener holds one per pending connection. */
int	server_fd_count(const struct server *);
/* Wait until sshbookd holds at least n fds; prints the count when it does not. */
bool	server_wait_fds(const struct server *, int n);
/* Wait until sshbookd's sessions have at least n processes; prints the count when not. */
bool	server_wait_sessions(const struct server *, int n);

#endif
