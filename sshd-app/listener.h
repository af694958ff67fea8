/*
 * The listener: the process that owns the listening sockets, forks one
 * session child per connection, enforces the session caps, reaps children,
 * runs the event hub (sshd-app/children.h) and shuts everything down on
 * SIGTERM, SIGINT or SIGHUP.
 */
#ifndef SSHBOOK_SSHD_LISTENER_H
#define SSHBOOK_SSHD_LISTENER_H

#include <libssh/libssh.h>
#include <libssh/server.h>

struct config;
struct listener;

/*
 * Bind and listen on every address c->listen resolves to, at c->port.
 * Returns the listener, or NULL after logging why (address in use ...).
 */
struct listener	*listener_open(const struct config *c);

/*
 * Accept connections and serve them with bind (host keys loaded) until a
 * stop signal; then tell every session (HUB_SHUTDOWN and SIGTERM), wait up
 * to 5 seconds for them, SIGKILL the rest and return the process exit
 * status (0). Session children never return from here.
 */
int		 listener_run(struct listener *, ssh_bind bind);
void		 listener_free(struct listener *);

#endif
