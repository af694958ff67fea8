/*
 * Blocks. Blocking someone ends everything between the two in one
 * transaction (friendship, requests both ways, the friend notifications
 * between them) and keeps it ended: the blocked user can no longer find,
 * see or ask the blocker (the SQL_VISIBLE checks), and is never told.
 */
#include "common/err.h"
#include "storage/social-int.h"
#include "storage/social.h"

int
block_exists(struct store *st, int64_t blocker, int64_t blocked, bool *out)
{
	int r;

	*out = false;
	r = pair_exists(st, "SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2",
	    blocker, blocked);
	if (r < 0)
		return r;
	*out = r == 1;
	return 0;
}

static int
run_block(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int r;

	(void)notifiedp;	/* other is never told */
	if ((r = pair_exec(st, "INSERT INTO blocks (blocker_id, blocked_id, created_at) "
	    "VALUES (?1, ?2, ?3)", me, other, NULL)) != 0) {
		if (r == ERR_EXISTS)
			store_why(why, whysz, "you already blocked '%s'", name);
		return r;
	}
	if ((r = pair_exec(st, "DELETE FROM friendships WHERE (user_id = ?1 AND "
	    "friend_id = ?2) OR (user_id = ?2 AND friend_id = ?1)", me, other, NULL)) != 0)
		return r;
	if ((r = pair_exec(st, "DELETE FROM friend_requests WHERE (from_id = ?1 AND "
	    "to_id = ?2) OR (from_id = ?2 AND to_id = ?1)", me, other, NULL)) != 0)
		return r;
	/* Type 0: every friend notification, each way. */
	if ((r = notif_delete_between(st, other, me, 0, NULL)) != 0)
		return r;
	return notif_delete_between(st, me, other, 0, NULL);
}

static int
run_unblock(struct store *st, int64_t me, int64_t other, const char *name,
    bool *notifiedp, char *why, size_t whysz)
{
	int64_t	n;
	int	r;

	(void)notifiedp;
	if ((r = pair_exec(st, "DELETE FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2",
	    me, other, &n)) != 0)
		return r;
	if (n == 0) {
		store_why(why, whysz, "you have not blocked '%s'", name);
		return ERR_NOTFOUND;
	}
	return 0;
}

static const struct social_op op_block = { "you cannot block yourself", run_block };
static const struct social_op op_unblock = { "you cannot unblock yourself", run_unblock };

int
store_block(struct store *st, int64_t me, int64_t other, char *why, size_t whysz)
{
	return social_run(st, &op_block, me, other, NULL, why, whysz);
}

int
store_unblock(struct store *st, int64_t me, int64_t other, char *why, size_t whysz)
{
	return social_run(st, &op_unblock, me, other, NULL, why, whysz);
}
