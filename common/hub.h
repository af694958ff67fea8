/*
 * The event hub's wire format. Every session child holds one SOCK_SEQPACKET
 * socketpair to the listener and hands its end to `sshbook`. One datagram is
 * one struct hub_msg. Hints are never the data: on a hint the app re-queries
 * SQLite, so a lost hint costs a refresh, not a message.
 */
#ifndef SSHBOOK_HUB_H
#define SSHBOOK_HUB_H

#include <stdbool.h>
#include <stdint.h>

enum hub_kind {
	HUB_HELLO = 1,		/* session -> hub: this connection is user_id */
	HUB_HINT = 2,		/* app -> hub -> every session of user_id */
	HUB_SHUTDOWN = 3,	/* hub -> sessions: the server is stopping */
	/*
	 * session -> hub: user_id has just logged in; may it have a session?
	 * The hub answers at once with HUB_LOGIN_OK (and counts the session as
	 * user_id, as a HELLO does) or HUB_LOGIN_REFUSED: topic is an enum
	 * hub_refusal, object_id the limit that was reached.
	 */
	HUB_LOGIN = 4,
	HUB_LOGIN_OK = 5,
	HUB_LOGIN_REFUSED = 6,
};

/* Why the hub refused a login (HUB_LOGIN_REFUSED's topic). */
enum hub_refusal {
	HUB_FULL = 1,		/* max_sessions */
	HUB_FULL_ADDR = 2,	/* max_sessions_per_addr */
	HUB_FULL_USER = 3,	/* max_sessions_per_user */
};

/* What changed, so a screen can decide whether it cares. */
enum hub_topic {
	TOPIC_ANY = 0,
	TOPIC_ACCOUNT = 1,	/* keys, password, profile of user_id */
	TOPIC_NOTIFICATION = 2,
	TOPIC_MESSAGE = 3,
	TOPIC_FRIEND = 4,
	TOPIC_POST = 5,
	TOPIC_MEDIA = 6,	/* a media item of user_id changed (processed, deleted, avatar) */
	TOPIC_JOB = 7,		/* to HUB_WORKER_ID: a job was queued */
	/* to HUB_WORKER_ID: an upload's process died; object_id's spool may hold its leftovers */
	TOPIC_SPOOL = 8,
};

/*
 * The background worker's hub connection says HELLO with this id, so
 * "a job is waiting" is an ordinary HINT to user HUB_WORKER_ID.
 */
#define HUB_WORKER_ID	(-1)

struct hub_msg {
	uint32_t	kind;		/* enum hub_kind */
	uint32_t	topic;		/* enum hub_topic (enum hub_refusal for a refusal) */
	int64_t		user_id;	/* HELLO: who; HINT: whom it concerns */
	int64_t		object_id;	/* the row that changed, 0 when unknown */
};

/* Send one message without blocking; returns 0, or -1 when it could not go (dropped). */
int	hub_send(int fd, const struct hub_msg *);
/*
 * Send one message, waiting up to timeout_ms for room when the hub is
 * behind: for the worker, which may send thousands in a row and can afford
 * to wait; a session never should. 0, or -1 (timed out, or broken).
 */
int	hub_send_wait(int fd, const struct hub_msg *, int timeout_ms);
/* Receive one message without blocking; 1 got one, 0 none waiting, -1 closed or broken. */
int	hub_recv(int fd, struct hub_msg *);

#endif
