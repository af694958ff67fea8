/*
 * Messages, the writes: send, edit, delete, and message requests. Each is
 * one transaction with every row it causes (the message, both conversation
 * rows, the request's state, the recipient's NOTIF_MESSAGE).
 *
 * Whether two people who are not friends may write is one row per pair in
 * message_requests:
 *
 *   none --A writes--> pending(A) --B accepts, or B writes back--> accepted
 *                      pending(A) --B declines--> declined(A)
 *                      declined(A) --B writes, or they become friends--> accepted
 *
 * While declined(A), A's messages are refused. Friends always write
 * ordinary messages; a message between friends (or becoming friends, see
 * message_pair_befriended) records accepted, so the conversation stays
 * ordinary if they unfriend later. Blocks are checked before all of this
 * and are never recorded here: unblocking restores whatever state there was.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/messages-int.h"
#include "storage/messages.h"
#include "storage/social-int.h"
#include "storage/social.h"

struct msg_req {
	bool			exists;
	int64_t			from_id;	/* who asked */
	enum msg_req_state	state;
};

/* The request row of the pair a, b. */
static int
req_get(struct store *st, int64_t a, int64_t b, struct msg_req *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, "SELECT from_id, state FROM message_requests "
	    "WHERE lo = ?1 AND hi = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(a, b));
	sqlite3_bind_int64(stmt, 2, msg_hi(a, b));
	if ((r = stmt_row(st, stmt, "read message request")) == 1) {
		out->exists = true;
		out->from_id = sqlite3_column_int64(stmt, 0);
		out->state = (enum msg_req_state)sqlite3_column_int(stmt, 1);
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

/* Set the pair's state; a new row records from as the one who asked, an existing one keeps its asker. */
static int
req_set(struct store *st, int64_t a, int64_t b, int64_t from, enum msg_req_state state)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO message_requests (lo, hi, from_id, state, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (lo, hi) DO UPDATE "
	    "SET state = excluded.state", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(a, b));
	sqlite3_bind_int64(stmt, 2, msg_hi(a, b));
	sqlite3_bind_int64(stmt, 3, from);
	sqlite3_bind_int(stmt, 4, (int)state);
	sqlite3_bind_int64(stmt, 5, store_now());
	r = stmt_done(st, stmt, "write message request");
	stmt_reset(stmt);
	return r;
}

int
message_pair_befriended(struct store *st, int64_t a, int64_t b)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "UPDATE message_requests SET state = 1 "
	    "WHERE lo = ?1 AND hi = ?2 AND state != 1", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(a, b));
	sqlite3_bind_int64(stmt, 2, msg_hi(a, b));
	r = stmt_done(st, stmt, "accept message request");
	stmt_reset(stmt);
	return r;
}

/* The next change number of the pair's conversation (messages_pair_rev: one probe). */
static int
next_rev(struct store *st, int64_t a, int64_t b, int64_t *revp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*revp = 0;
	if ((r = stmt_get(st, "SELECT coalesce(max(rev), 0) + 1 FROM messages "
	    "WHERE lo = ?1 AND hi = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(a, b));
	sqlite3_bind_int64(stmt, 2, msg_hi(a, b));
	if ((r = stmt_row(st, stmt, "next message rev")) == 1) {
		*revp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "next message rev");
	stmt_reset(stmt);
	return r;
}

/* UTF-8, no control characters but newline and tab, 1..MESSAGE_MAX characters, not only blanks. */
static int
message_text_check(const char *text, char *why, size_t whysz)
{
	const char	*p;
	char		 reason[96];

	if (text_check(text, 1, MESSAGE_MAX, TEXT_MULTILINE, reason, sizeof reason) != 0) {
		/* "not valid UTF-8", "control characters are not allowed", "too long (...)" */
		store_why(why, whysz, "%s", text[0] == '\0' ? "the message is empty" : reason);
		return ERR_INVALID;
	}
	for (p = text; *p == ' ' || *p == '\n' || *p == '\t'; p++)
		;
	if (*p == '\0') {
		store_why(why, whysz, "the message is empty");
		return ERR_INVALID;
	}
	return 0;
}

/*
 * May me write to other (not blocked either way, checked before)? Records
 * what the message does to the pair's state; *requestp is true when it goes
 * as (or into) a message request.
 */
static int
may_write(struct store *st, int64_t me, int64_t other, const char *name, bool *requestp,
    char *why, size_t whysz)
{
	struct msg_req	req;
	int		r, friends;

	*requestp = false;
	if ((friends = pair_exists(st, "SELECT 1 FROM friendships WHERE user_id = ?1 "
	    "AND friend_id = ?2", me, other)) < 0)
		return friends;
	if ((r = req_get(st, me, other, &req)) != 0)
		return r;
	if (friends) {
		if (req.exists && req.state == MSG_REQ_ACCEPTED)
			return 0;
		return req_set(st, me, other, req.exists ? req.from_id : me, MSG_REQ_ACCEPTED);
	}
	if (!req.exists) {
		*requestp = true;
		return req_set(st, me, other, me, MSG_REQ_PENDING);
	}
	switch (req.state) {
	case MSG_REQ_ACCEPTED:
		return 0;
	case MSG_REQ_PENDING:
		if (req.from_id == me) {
			*requestp = true;
			return 0;
		}
		/* Writing back is accepting. */
		return req_set(st, me, other, req.from_id, MSG_REQ_ACCEPTED);
	case MSG_REQ_DECLINED:
		if (req.from_id == me) {
			store_why(why, whysz, "'%s' is not taking messages from you", name);
			return ERR_DENIED;
		}
		/* I declined them once, and now I write: that is accepting after all. */
		return req_set(st, me, other, req.from_id, MSG_REQ_ACCEPTED);
	}
	return ERR_INTERNAL;
}

/* Both directed conversation rows now point at message id. */
static int
conversation_touch(struct store *st, int64_t me, int64_t other, int64_t id)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO conversations (user_id, other_id, last_id) "
	    "VALUES (?1, ?2, ?3), (?2, ?1, ?3) ON CONFLICT (user_id, other_id) DO UPDATE "
	    "SET last_id = excluded.last_id", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, other);
	sqlite3_bind_int64(stmt, 3, id);
	r = stmt_done(st, stmt, "write conversation");
	stmt_reset(stmt);
	return r;
}

/* The words for a failure that storage itself caused, when nothing else was said. */
static void
why_storage(int r, char *why, size_t whysz)
{
	if (r == ERR_DB || r == ERR_INTERNAL)
		store_why(why, whysz, "could not save that (storage error)");
	else if (why != NULL && whysz > 0 && why[0] == '\0')
		/* A foreign key nobody explained: me is gone, or a race. */
		store_why(why, whysz, r == ERR_NOTFOUND ? "no such user" :
		    "could not do that (try again)");
}

int
store_message_send(struct store *st, int64_t me, int64_t other, const char *text,
    int64_t *idp, bool *requestp, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	char		*name = NULL;
	bool		 blocked, request = false;
	int64_t		 id = 0, rev;
	int		 r;

	*idp = 0;
	if (requestp != NULL)
		*requestp = false;
	store_why_clear(why, whysz);
	if ((r = message_text_check(text, why, whysz)) != 0)
		return r;
	if (me == other) {
		store_why(why, whysz, "you cannot send a message to yourself");
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = user_name(st, other, &name)) != 0)
		goto out;
	if ((r = block_exists(st, other, me, &blocked)) != 0)
		goto out;
	if (blocked) {
		/* They blocked me: they do not exist for me, the words of an unknown name. */
		store_why(why, whysz, "no user named '%s'", name);
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = block_exists(st, me, other, &blocked)) != 0)
		goto out;
	if (blocked) {
		store_why(why, whysz, "you blocked '%s' (unblock them first)", name);
		r = ERR_DENIED;
		goto out;
	}
	if ((r = may_write(st, me, other, name, &request, why, whysz)) != 0)
		goto out;
	if ((r = next_rev(st, me, other, &rev)) != 0)
		goto out;
	if ((r = stmt_get(st, "INSERT INTO messages (from_id, to_id, text, created_at, rev) "
	    "VALUES (?, ?, ?, ?, ?)", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, other);
	sqlite3_bind_text(stmt, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_now());
	sqlite3_bind_int64(stmt, 5, rev);
	r = stmt_done(st, stmt, "insert message");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	id = sqlite3_last_insert_rowid(st->db);
	if ((r = conversation_touch(st, me, other, id)) != 0)
		goto out;
	/* Refreshed, not repeated: the one notification from me moves to the top, unread. */
	if ((r = notif_delete_between(st, other, me, NOTIF_MESSAGE, NULL)) != 0)
		goto out;
	if ((r = notif_add(st, other, NOTIF_MESSAGE, me, id, 0)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		id = 0;
		request = false;
		why_storage(r, why, whysz);
	}
	*idp = id;
	if (requestp != NULL)
		*requestp = request;
	free(name);
	return r;
}

/*
 * Inside a transaction: message id, for me to change. *otherp gets the other
 * side. ERR_NOTFOUND when it is not in one of my conversations (the same
 * answer as no message at all) or is deleted; ERR_DENIED when it was sent to me.
 */
static int
message_mine(struct store *st, int64_t me, int64_t id, int64_t *otherp, char *why,
    size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 from = 0, to = 0;
	bool		 deleted = false;
	int		 r;

	*otherp = 0;
	if ((r = stmt_get(st, "SELECT from_id, to_id, deleted FROM messages WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	if ((r = stmt_row(st, stmt, "read message")) == 1) {
		from = sqlite3_column_int64(stmt, 0);
		to = sqlite3_column_int64(stmt, 1);
		deleted = sqlite3_column_int(stmt, 2) != 0;
		r = 0;
	}
	stmt_reset(stmt);
	if (r != 0)
		return r;
	if (from != me && to != me) {
		store_why(why, whysz, "no message #%lld", (long long)id);
		return ERR_NOTFOUND;
	}
	if (from != me) {
		store_why(why, whysz, "message #%lld is not yours", (long long)id);
		return ERR_DENIED;
	}
	if (deleted) {
		store_why(why, whysz, "message #%lld was deleted", (long long)id);
		return ERR_NOTFOUND;
	}
	*otherp = to;
	return 0;
}

/* Change message id of mine: new text (edit) or none (delete), with a new rev. */
static int
message_change(struct store *st, int64_t me, int64_t id, const char *text,
    int64_t *otherp, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 other = 0, rev;
	int		 r;

	*otherp = 0;
	store_why_clear(why, whysz);
	if (text != NULL && (r = message_text_check(text, why, whysz)) != 0)
		return r;
	if ((r = store_begin(st)) != 0)
		goto out;
	if (text != NULL && (r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = message_mine(st, me, id, &other, why, whysz)) != 0)
		goto out;
	if ((r = next_rev(st, me, other, &rev)) != 0)
		goto out;
	if (text != NULL)
		r = stmt_get(st, "UPDATE messages SET text = ?1, edited_at = ?2, rev = ?3 "
		    "WHERE id = ?4", &stmt);
	else
		/* The words go at once; the row stays so both sides see "message deleted". */
		r = stmt_get(st, "UPDATE messages SET text = '', deleted = 1, rev = ?3 "
		    "WHERE id = ?4", &stmt);
	if (r != 0)
		goto out;
	if (text != NULL) {
		sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, store_now());
	}
	sqlite3_bind_int64(stmt, 3, rev);
	sqlite3_bind_int64(stmt, 4, id);
	r = stmt_done(st, stmt, text != NULL ? "edit message" : "delete message");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	/* Nothing left to read from me: my unread notification to them goes too. */
	if (text == NULL && (r = pair_exec(st, "DELETE FROM notifications WHERE user_id = ?2 "
	    "AND actor_id = ?1 AND type = 8 /* NOTIF_MESSAGE */ AND read = 0 AND NOT EXISTS (SELECT 1 FROM "
	    "messages WHERE to_id = ?2 AND read = 0 AND from_id = ?1 AND deleted = 0)",
	    me, other, NULL)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		other = 0;
		why_storage(r, why, whysz);
	}
	*otherp = other;
	return r;
}

int
store_message_edit(struct store *st, int64_t me, int64_t id, const char *text,
    int64_t *otherp, char *why, size_t whysz)
{
	return message_change(st, me, id, text, otherp, why, whysz);
}

int
store_message_delete(struct store *st, int64_t me, int64_t id, int64_t *otherp)
{
	return message_change(st, me, id, NULL, otherp, NULL, 0);
}

/* Answer other's pending request to me. */
static int
request_answer(struct store *st, int64_t me, int64_t other, enum msg_req_state state)
{
	struct msg_req	req;
	int		r;

	if (me == other)
		return ERR_NOTFOUND;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = req_get(st, me, other, &req)) != 0)
		goto out;
	if (!req.exists || req.from_id != other || req.state != MSG_REQ_PENDING) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = req_set(st, me, other, other, state)) != 0)
		goto out;
	/* Declined: what announced it goes, and the request leaves my lists and counts. */
	if (state == MSG_REQ_DECLINED &&
	    (r = notif_delete_between(st, me, other, NOTIF_MESSAGE, NULL)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_message_request_accept(struct store *st, int64_t me, int64_t other)
{
	return request_answer(st, me, other, MSG_REQ_ACCEPTED);
}

int
store_message_request_decline(struct store *st, int64_t me, int64_t other)
{
	return request_answer(st, me, other, MSG_REQ_DECLINED);
}
