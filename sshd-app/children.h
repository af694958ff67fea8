/*
 * The listener's table of session children, and the event hub that runs on
 * it (DESIGN.md section 2). Each child has the listener's end of one
 * SOCK_SEQPACKET socketpair (common/hub.h). A child's HUB_HELLO says which
 * user the connection is; a HUB_HINT from any child is copied, without
 * blocking, to every connection of the hint's user_id. A hint that cannot
 * be sent at once is dropped: the app's slow poll catches up.
 */
#ifndef SSHBOOK_SSHD_CHILDREN_H
#define SSHBOOK_SSHD_CHILDREN_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/hub.h"
#include "sshd-app/netaddr.h"

struct children;

/*
 * The caps a login (HUB_LOGIN) is checked against: sessions that have
 * logged in to an account, in total, from one network (prefix4 / prefix6
 * bits, netaddr.h) and of one account. 0 means no cap.
 */
struct session_limits {
	size_t	max_sessions;
	size_t	max_per_addr;
	size_t	max_per_user;
	int	prefix4, prefix6;
};

/*
 * How many children are at each stage: a startup has no account yet (key
 * exchange, authentication, or a sign-up screen); a session has said
 * HELLO or had its LOGIN accepted. The worker is neither.
 */
struct children_tally {
	size_t	startups;
	size_t	startups_net;	/* ... from the network asked about */
	size_t	sessions;
	size_t	sessions_net;
};

/* A table for at most cap children, logins checked against *limits (copied). */
struct children	*children_new(size_t cap, const struct session_limits *limits);
/* Close every hub fd and free the table (the processes are not touched). */
void		 children_free(struct children *);

size_t	children_count(const struct children *);
/* Count the stages, and those from net's network (prefixes as in the limits). */
void	children_tally(const struct children *, const struct netaddr *net,
	    struct children_tally *out);

/*
 * Record a new child; the table takes ownership of hub_fd (the listener's
 * end, non-blocking). net is the client's address, or NULL for the
 * background worker. Returns 0, or -1 when the table is full.
 */
int	children_add(struct children *, pid_t pid, int hub_fd, const char *addr,
	    const struct netaddr *net);
/*
 * Forget a reaped child and close its hub fd. Returns false for an unknown
 * pid; else copies its address into addr (addrsz bytes) and how many
 * seconds it lived into *secondsp.
 */
bool	children_remove(struct children *, pid_t pid, char *addr, size_t addrsz,
	    int64_t *secondsp);

/*
 * Put one POLLIN entry per open hub fd into pfd (room for max entries) and
 * return how many. Pass the same entries, after poll, to children_dispatch
 * before adding or removing children.
 */
size_t	children_pollfds(struct children *, struct pollfd *pfd, size_t max);
/* Read what the ready hub fds hold: HELLOs, LOGINs to answer, HINTs to fan out. */
void	children_dispatch(struct children *, const struct pollfd *pfd, size_t n);

/* Send msg to every child that still has a hub fd (HUB_SHUTDOWN). */
void	children_broadcast(struct children *, const struct hub_msg *msg);
/* kill(2) every child with sig. */
void	children_signal(struct children *, int sig);
/* In a freshly forked child: close the other sessions' hub fds. */
void	children_close_fds(struct children *);

#endif
