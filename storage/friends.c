/*
 * Friendship as a state machine between two users, one transaction per step:
 *
 *   none --request--> requested --accept--> friends --remove--> none
 *                     requested --decline / cancel--> none
 *   requested (by them) --request (by me)--> friends   (crossing requests)
 *
 * Each step writes the notification rows it causes in its own transaction.
 * Blocks (blocks.c) cut every state back to none and keep it there.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/messages-int.h"
#include "storage/social-int.h"
#include "storage/social.h"

int
pair_exists(struct store *st, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	r = stmt_row(st, stmt, "check pair");
	stmt_reset(stmt);
	return r;
}

int
pair_exec(struct store *st, const char *sql, int64_t a, int64_t b, int64_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if (np != NULL)
		*np = 0;
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	if (sqlite3_bind_parameter_count(stmt) >= 3)
		sqlite3_bind_int64(stmt, 3, store_now());
	if ((r = stmt_done(st, stmt, "write pair")) == 0 && np != NULL)
		*np = sqlite3_changes(st->db);
	stmt_reset(stmt);
	return r;
}

#define SQL_ARE_FRIENDS \
	"SELECT 1 FROM friendships WHERE user_id = ?1 AND friend_id = ?2"
#define SQL_REQUESTED \
	"SELECT 1 FROM friend_requests WHERE from_id = ?1 AND to_id = ?2"
#define SQL_REQUEST_DELETE \
	"DELETE FROM friend_requests WHERE from_id = ?1 AND to_id = ?2"

int
social_run(struct store *st, const struct social_op *op, int64_t me, int64_t other,
    bool *notifiedp, char *why, size_t whysz)
{
	char	*name = NULL;
	bool	 notified = false;
	int	 r;

	if (notifiedp != NULL)
		*notifiedp = false;
	store_why_clear(why, whysz);
	if (me == other) {
		store_why(why, whysz, "%s", op->self_why);
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = user_name(st, other, &name)) != 0) {
		if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such user");
		goto out;
	}
	if ((r = op->run(st, me, other, name, &notified, why, whysz)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		notified = false;
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save that (storage error)");
		else if (why != NULL && whysz > 0 && why[0] == '\0')
			/* A constraint nobody explained: me is gone (a foreign key), or a race. */
			store_why(why, whysz, r == ERR_NOTFOUND ? "no such user" :
			    "could not do that (try again)");
	}
	if (notifiedp != NULL)
		*notifiedp = notified;
	free(name);
	return r;
}

/* other asked me: make us friends, tell them, and mark their request to me read. */
static int
accept_request(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int64_t	n;
	int	r;

	if ((r = pair_exec(st, SQL_REQUEST_DELETE, other, me, &n)) != 0)
		return r;
	if (n == 0) {
		store_why(why, whysz, "'%s' has not sent you a friend request", name);
		return ERR_NOTFOUND;
	}
	if ((r = pair_exec(st, "INSERT INTO friendships (user_id, friend_id, since) "
	    "VALUES (?1, ?2, ?3), (?2, ?1, ?3)", me, other, NULL)) != 0)
		return r;
	/* Friends may write: a message request between us (even a declined one) is settled. */
	if ((r = message_pair_befriended(st, me, other)) != 0)
		return r;
	if ((r = notif_add(st, other, NOTIF_FRIEND_ACCEPT, me, 0, 0)) != 0)
		return r;
	/* The request was answered: it no longer waits in my unread count. */
	if ((r = notif_mark_read_between(st, me, other, NOTIF_FRIEND_REQUEST)) != 0)
		return r;
	*notifiedp = true;
	return 0;
}

/* 0 unless me blocked other (ERR_DENIED, with the way out in why). */
static int
check_my_block(struct store *st, int64_t me, int64_t other, const char *name,
    char *why, size_t whysz)
{
	bool	blocked;
	int	r;

	if ((r = block_exists(st, me, other, &blocked)) != 0)
		return r;
	if (blocked) {
		store_why(why, whysz, "you blocked '%s' (unblock them first)", name);
		return ERR_DENIED;
	}
	return 0;
}

static int
run_request(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	bool	blocked;
	int	r;

	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		return r;
	if ((r = check_my_block(st, me, other, name, why, whysz)) != 0)
		return r;
	if ((r = block_exists(st, other, me, &blocked)) != 0)
		return r;
	if (blocked) {
		/* Never say that they blocked me: the same words as any refusal. */
		store_why(why, whysz, "cannot send a friend request to '%s'", name);
		return ERR_DENIED;
	}
	if ((r = pair_exists(st, SQL_ARE_FRIENDS, me, other)) != 0) {
		if (r == 1) {
			store_why(why, whysz, "you and '%s' are already friends", name);
			r = ERR_EXISTS;
		}
		return r;
	}
	if ((r = pair_exists(st, SQL_REQUESTED, me, other)) != 0) {
		if (r == 1) {
			store_why(why, whysz, "you already sent '%s' a friend request", name);
			r = ERR_EXISTS;
		}
		return r;
	}
	if ((r = pair_exists(st, SQL_REQUESTED, other, me)) != 0) {
		if (r < 0)
			return r;
		/* Both want it: asking back is accepting. Success, but say what happened. */
		if ((r = accept_request(st, me, other, name, notifiedp, why, whysz)) == 0)
			store_why(why, whysz, "you and '%s' are now friends ('%s' had asked you)",
			    name, name);
		return r;
	}
	if ((r = pair_exec(st, "INSERT INTO friend_requests (from_id, to_id, created_at) "
	    "VALUES (?1, ?2, ?3)", me, other, NULL)) != 0)
		return r;
	if ((r = notif_add(st, other, NOTIF_FRIEND_REQUEST, me, 0, 0)) != 0)
		return r;
	*notifiedp = true;
	return 0;
}

static int
run_accept(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int r;

	if ((r = check_my_block(st, me, other, name, why, whysz)) != 0)
		return r;
	if ((r = pair_exists(st, SQL_ARE_FRIENDS, me, other)) != 0) {
		if (r == 1) {
			store_why(why, whysz, "you and '%s' are already friends", name);
			r = ERR_EXISTS;
		}
		return r;
	}
	return accept_request(st, me, other, name, notifiedp, why, whysz);
}

static int
run_decline(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int64_t	n;
	int	r;

	if ((r = pair_exec(st, SQL_REQUEST_DELETE, other, me, &n)) != 0)
		return r;
	if (n == 0) {
		store_why(why, whysz, "'%s' has not sent you a friend request", name);
		return ERR_NOTFOUND;
	}
	if ((r = notif_add(st, other, NOTIF_FRIEND_DECLINE, me, 0, 0)) != 0)
		return r;
	if ((r = notif_mark_read_between(st, me, other, NOTIF_FRIEND_REQUEST)) != 0)
		return r;
	*notifiedp = true;
	return 0;
}

static int
run_cancel(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int64_t	n;
	int	r;

	if ((r = pair_exec(st, SQL_REQUEST_DELETE, me, other, &n)) != 0)
		return r;
	if (n == 0) {
		store_why(why, whysz, "you have no pending friend request to '%s'", name);
		return ERR_NOTFOUND;
	}
	/* The request is gone, so is what announced it; their badge changes. */
	if ((r = notif_delete_between(st, other, me, NOTIF_FRIEND_REQUEST, &n)) != 0)
		return r;
	*notifiedp = n > 0;
	return 0;
}

static int
run_remove(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int64_t	n;
	int	r;

	(void)notifiedp;	/* no row: the TOPIC_FRIEND hint alone refreshes them */
	if ((r = pair_exec(st, "DELETE FROM friendships WHERE (user_id = ?1 AND "
	    "friend_id = ?2) OR (user_id = ?2 AND friend_id = ?1)", me, other, &n)) != 0)
		return r;
	if (n == 0) {
		store_why(why, whysz, "you and '%s' are not friends", name);
		return ERR_NOTFOUND;
	}
	return 0;
}

static const struct social_op op_request = {
	"you cannot send a friend request to yourself", run_request
};
static const struct social_op op_accept = {
	"you cannot be friends with yourself", run_accept
};
static const struct social_op op_decline = {
	"you cannot decline a request from yourself", run_decline
};
static const struct social_op op_cancel = {
	"you cannot cancel a request to yourself", run_cancel
};
static const struct social_op op_remove = {
	"you cannot remove yourself as a friend", run_remove
};

int
store_friend_request(struct store *st, int64_t me, int64_t other, bool *notifiedp,
    char *why, size_t whysz)
{
	return social_run(st, &op_request, me, other, notifiedp, why, whysz);
}

int
store_friend_accept(struct store *st, int64_t me, int64_t other, bool *notifiedp,
    char *why, size_t whysz)
{
	return social_run(st, &op_accept, me, other, notifiedp, why, whysz);
}

int
store_friend_decline(struct store *st, int64_t me, int64_t other, bool *notifiedp,
    char *why, size_t whysz)
{
	return social_run(st, &op_decline, me, other, notifiedp, why, whysz);
}

int
store_friend_cancel(struct store *st, int64_t me, int64_t other, bool *notifiedp,
    char *why, size_t whysz)
{
	return social_run(st, &op_cancel, me, other, notifiedp, why, whysz);
}

int
store_friend_remove(struct store *st, int64_t me, int64_t other, bool *notifiedp,
    char *why, size_t whysz)
{
	return social_run(st, &op_remove, me, other, notifiedp, why, whysz);
}

int
store_relation(struct store *st, int64_t me, int64_t other, enum relation *out)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v;
	int		 r;

	*out = REL_NONE;
	/* Someone who blocked me does not exist for me, here as everywhere. */
	if ((r = stmt_get(st, "SELECT " SQL_RELATION " FROM users u WHERE u.id = ?2 AND "
	    SQL_VISIBLE, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, other);
	if ((r = stmt_row(st, stmt, "read relation")) == 1) {
		v = sqlite3_column_int64(stmt, 0);
		*out = v >= REL_SELF && v <= REL_BLOCKED ? (enum relation)v : REL_NONE;
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}
