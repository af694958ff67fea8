/*
 * The session child: one forked process per connection. It runs the SSH
 * key exchange and authentication (sshd-app/auth.h) within
 * login_grace_time, then serves session channels: a pty and a shell start
 * the TUI (or the sign-up screen), an exec runs one command on pipes, the
 * "sftp" subsystem takes uploads; other subsystems are refused. A sign-up
 * (a free name, no account yet) gets one channel, and its screen closes
 * after login_grace_time without a key or signup_time in all. It sends
 * keepalives, drops a peer that stops answering, and on SIGTERM tells the
 * user, ends the apps (at most about 3 seconds) and closes. An app never
 * outlives its connection.
 */
#ifndef SSHBOOK_SSHD_SESSION_H
#define SSHBOOK_SSHD_SESSION_H

#include <stdint.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

struct config;

/*
 * Serve the accepted socket fd from addr:port with bind's host keys;
 * hub_fd is this connection's end of the event hub socketpair;
 * accepted_ms is when the listener accepted it (mono_ms), from which
 * login_grace_time runs. Exits the process when the connection ends: it
 * never returns.
 */
void	session_main(const struct config *c, ssh_bind bind, int fd,
	    const char *addr, unsigned port, int hub_fd, int64_t accepted_ms)
	    __attribute__((noreturn));

#endif
