/*
 * storage: one-to-one messages. Conventions as in store.h and social.h: 0 or
 * a negative ERR_*, outputs cleared on entry and deep-owned by the caller,
 * `why` for people. Every read takes the viewer and returns only the
 * viewer's own conversations.
 *
 * The rules:
 * - A block in either direction stops messages both ways (ERR_DENIED); the
 *   history stays readable to each side.
 * - Between friends a message is an ordinary message. From a non-friend, the
 *   conversation is a message request until the recipient accepts (it then
 *   becomes ordinary) or declines (then the sender gets ERR_DENIED, "bob is
 *   not taking messages from you", until the two are friends).
 *   Writing back to someone whose request to me waits (or was declined by
 *   me) accepts it; becoming friends accepts it too, and a conversation once
 *   accepted (or held as friends) stays ordinary if they later unfriend.
 *   A declined request leaves the decliner's lists (the history stays
 *   readable with store_messages).
 * - Unread counts: messages to me not yet read, requests included; deleted
 *   messages, messages across a block (either way) and those of a request I
 *   declined do not count.
 * - One NOTIF_MESSAGE notification per (recipient, sender) while the sender
 *   has unread messages to the recipient (refreshed, not repeated, per
 *   message); reading the conversation marks it read.
 *   Refreshed means replaced: each message deletes the sender's earlier
 *   NOTIF_MESSAGE to the recipient and adds a new unread one (object: the
 *   message), so it comes back on top. Deleting the last unread message
 *   withdraws it; declining the request deletes it.
 */
#ifndef SSHBOOK_MESSAGES_H
#define SSHBOOK_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define MESSAGE_MAX	4000	/* characters */

struct message {
	int64_t	 id;
	int64_t	 from_id;
	int64_t	 to_id;
	char	*text;		/* "" when deleted */
	bool	 deleted;	/* shown as "message deleted" to both */
	int64_t	 created_at;
	int64_t	 edited_at;	/* 0: never */
	bool	 read;		/* the recipient has read it */
	int64_t	 rev;		/* the conversation's change number of its last change (live views) */
};
struct message_page {
	struct message	*v;	/* newest first */
	size_t		 n;
	int64_t		 next_before;	/* keyset cursor (an id) for older messages; 0 at the start */
};
void	message_page_free(struct message_page *);

struct conversation {
	int64_t		 other_id;
	char		*username;
	char		*display_name;
	char		*avatar_seed;
	struct message	 last;		/* the newest message either way */
	size_t		 unread;	/* from them to me, unread */
	bool		 request;	/* a message request to me, not yet accepted */
	bool		 pending;	/* my request to them, not yet accepted */
	bool		 declined;	/* my request to them was declined (I may not write) */
};
struct conversation_list {
	struct conversation	*v;	/* newest last message first */
	size_t			 n;
};
void	conversation_list_free(struct conversation_list *);

/*
 * Send text (1..MESSAGE_MAX characters, valid UTF-8, no control characters
 * but newline and tab) from me to other. *idp gets the id; *requestp (may be
 * NULL) is true when it went as (or into) a message request. ERR_INVALID
 * (text; why), ERR_NOTFOUND (no such user, or they blocked me), ERR_DENIED
 * (I blocked them; they declined my request and we are not friends), ERR_DB.
 */
int	store_message_send(struct store *, int64_t me, int64_t other, const char *text,
	    int64_t *idp, bool *requestp, char *why, size_t whysz);
/* Edit own message (marked edited). ERR_DENIED: not mine; ERR_NOTFOUND: absent or deleted. */
int	store_message_edit(struct store *, int64_t me, int64_t id, const char *text,
	    int64_t *otherp, char *why, size_t whysz);
/* Delete own message (it shows as deleted to both). *otherp gets the other side. */
int	store_message_delete(struct store *, int64_t me, int64_t id, int64_t *otherp);

/* My conversation with other, newest first, ids below before (0: the newest). */
int	store_messages(struct store *, int64_t me, int64_t other, int64_t before, size_t limit,
	    struct message_page *out);
/* Messages between me and other with id > after, oldest first (for --follow and live views). */
int	store_messages_after(struct store *, int64_t me, int64_t other, int64_t after,
	    size_t limit, struct message_page *out);
/*
 * Live views: the messages between me and other sent, edited or deleted after
 * change number after_rev, in the order of those changes, at most limit (one
 * whose id was seen before is an update). Start from store_messages_rev, read
 * before the first page; go on from the highest rev returned.
 */
int	store_messages_changed(struct store *, int64_t me, int64_t other, int64_t after_rev,
	    size_t limit, struct message_page *out);
/* The latest change number of my conversation with other (0: none yet). */
int	store_messages_rev(struct store *, int64_t me, int64_t other, int64_t *revp);
/*
 * The user named username with whom me has a conversation, whatever blocks
 * stand between them now (the history stays readable, but store_user_lookup
 * does not find someone who blocked me). ERR_NOTFOUND when there is none.
 */
int	store_message_peer(struct store *, int64_t me, const char *username, int64_t *idp);
/*
 * All my conversations (requests == false: ordinary ones, my pending and
 * declined ones; true: requests to me, not those I declined).
 */
int	store_conversations(struct store *, int64_t me, bool requests,
	    struct conversation_list *out);
/*
 * Mark every message from other to me read (and the NOTIF_MESSAGE from them),
 * which the sender sees as "seen"; not while other's message request to me
 * is not accepted: those stay unread, with no read receipt, until I accept.
 */
int	store_messages_mark_read(struct store *, int64_t me, int64_t other);
/* Unread messages to me, requests included. */
int	store_message_unread_count(struct store *, int64_t me, int64_t *out);
/* Accept or decline the message request from other (ERR_NOTFOUND when there is none). */
int	store_message_request_accept(struct store *, int64_t me, int64_t other);
int	store_message_request_decline(struct store *, int64_t me, int64_t other);

#endif
