/*
 * Private to the session child (session.c and channel.c): one connection
 * and its channels.
 */
#ifndef SSHBOOK_SSHD_SESSION_INT_H
#define SSHBOOK_SSHD_SESSION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd-app/auth.h"
#include "sshd-app/relay.h"

#define CONN_MAX_CHANS	4	/* session channels open at once on one connection */

struct conn;

enum chan_state {
	CHAN_NEW,	/* open; no shell, exec or subsystem yet */
	CHAN_START,	/* shell or exec accepted: the main loop starts it */
	CHAN_RUNNING,	/* the app runs and the relay moves bytes */
	CHAN_FINISH,	/* the app is done (or never ran): flush, exit-status, close */
	CHAN_DONE,	/* closed on our side; freed once its app is reaped */
};

struct chan {
	struct conn	*conn;
	ssh_channel	 ch;
	struct ssh_channel_callbacks_struct cb;
	enum chan_state	 state;
	bool		 has_pty;
	char		 term[64];
	unsigned short	 cols, rows;
	char		*command;	/* exec: the line; NULL for a shell */
	bool		 sftp;		/* the "sftp" subsystem (uploads) */
	pid_t		 pid;		/* the app, -1 when none */
	bool		 exited;	/* reaped */
	int		 exit_status;	/* for exit-status */
	int64_t		 started_at;	/* ms */
	int64_t		 exited_at;	/* ms */
	int64_t		 hup_at;	/* ms when we hung it up; 0 if not */
	bool		 killed;	/* SIGKILL sent */
	bool		 remote_closed;	/* the client closed the channel */
	bool		 told_farewell;	/* conn->farewell is queued */
	struct relay	 relay;
};

/* An fd registered with the ssh_event, and for what. */
struct conn_fd {
	int	fd;
	short	events;
};

struct conn {
	const struct config	*cfg;
	ssh_session		 session;
	ssh_event		 event;
	struct ssh_server_callbacks_struct scb;
	int			 sock;
	char			 addr[64];
	unsigned		 port;
	int			 hub_fd;
	int			 sig_r;
	struct auth		*auth;
	bool			 authed;
	struct auth_result	 id;		/* who, once authed */
	int64_t			 authed_at;	/* ms */
	char			*refusal;	/* the hub refused the login: every channel says this */
	const char		*farewell;	/* said on each channel as it closes (shutdown, time-out) */
	int64_t			 last_input;	/* ms: the client's last channel data */
	unsigned		 chans_opened;	/* ever, on this connection */
	bool			 signup_over;	/* the sign-up screen ran out of time */
	bool			 signup_done;	/* the sign-up made its account: no more deadlines */
	struct chan		*chans[CONN_MAX_CHANS];
	struct conn_fd		 reg[CONN_MAX_CHANS * 3];
	size_t			 nreg;
	bool			 stopping;	/* SIGTERM: finishing up */
	int64_t			 stop_deadline;	/* ms: then SIGKILL the apps */
	int64_t			 linger_until;	/* ms: stopping, no channel left */
	int64_t			 ka_next;	/* ms: next keepalive check */
};

/* The channel-open callback's work: a session channel with its callbacks set, or NULL. */
ssh_channel	 chan_open(struct conn *c);
/* Advance one channel from the main loop: start its app, pump, finish, close. */
void		 chan_step(struct chan *ch);
/* Its app has exited with this waitpid status. */
void		 chan_reaped(struct chan *ch, int wstatus);
/* The server is stopping: end the app (SIGTERM, SIGHUP) and say so when done. */
void		 chan_stop(struct chan *ch);
/* The connection is gone or past its deadline: hang the app up (or kill it) now. */
void		 chan_kill(struct chan *ch, int sig);
/* True when the channel can be freed: closed on our side and its app reaped. */
bool		 chan_finished(const struct chan *ch);
/* Milliseconds until chan_step has something timed to do; -1 for nothing. */
int		 chan_timeout(const struct chan *ch, int64_t now);
void		 chan_free(struct chan *ch);

#endif
