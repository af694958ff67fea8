/*
 * Notifications: rows written by the action that causes them (in its
 * transaction, through notif_add), listed newest first, read and deleted by
 * their owner only.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/social-int.h"
#include "storage/social.h"

#define NOTIF_PAGE_MAX	500

/*
 * Notifications whose actor blocked me, or whom I blocked, are not shown or
 * counted (a block deletes the friend notifications between the two, but
 * later kinds stay in the table). me is ?1, the row is n.
 */
#define SQL_NOTIF_UNBLOCKED \
	"(n.actor_id IS NULL OR NOT EXISTS (SELECT 1 FROM blocks " \
	"WHERE (blocker_id = n.actor_id AND blocked_id = ?1) " \
	"OR (blocker_id = ?1 AND blocked_id = n.actor_id)))"

/*
 * A notification about a post (posts-int.h: types 4-7) is shown only while
 * me may see that post: the one privacy rule, SQL_POST_VISIBLE, decides. A
 * post that is gone finds no row, so its notifications (deleted with it
 * anyway) could not show either.
 */
#define SQL_NOTIF_POST_VISIBLE \
	"(NOT " SQL_NOTIF_ABOUT_POST("n") " OR EXISTS (SELECT 1 FROM posts p " \
	"WHERE p.id = n.object_id AND " SQL_POST_VISIBLE("p", "?1") "))"

#define SQL_NOTIF_COLUMNS \
	"SELECT n.id, n.type, coalesce(n.actor_id, 0), a.username, a.display_name, " \
	"n.object_id, n.read, n.created_at FROM notifications n " \
	"LEFT JOIN users a ON a.id = n.actor_id "

/* One row per type: the JSON name and the words after the actor's name. */
static const struct notif_kind {
	const char	*name;
	const char	*text;
} notif_kinds[] = {
	[NOTIF_FRIEND_REQUEST] = { "friend_request", "sent you a friend request" },
	[NOTIF_FRIEND_ACCEPT] = { "friend_accept", "accepted your friend request" },
	[NOTIF_FRIEND_DECLINE] = { "friend_decline", "declined your friend request" },
	[NOTIF_REACTION] = { "reaction", "reacted to your post" },
	[NOTIF_COMMENT] = { "comment", "commented on your post" },
	[NOTIF_SHARE] = { "share", "shared your post" },
	[NOTIF_MENTION] = { "mention", "mentioned you" },
	[NOTIF_MESSAGE] = { "message", "sent you a message" },
};
#define NKINDS	(sizeof notif_kinds / sizeof notif_kinds[0])

const char *
notif_type_name(enum notif_type t)
{
	if ((size_t)t < NKINDS && notif_kinds[t].name != NULL)
		return notif_kinds[t].name;
	return "unknown";
}

const char *
notif_type_text(enum notif_type t)
{
	if ((size_t)t < NKINDS && notif_kinds[t].text != NULL)
		return notif_kinds[t].text;
	return "did something";
}

int
notif_add(struct store *st, int64_t user, enum notif_type type, int64_t actor,
    int64_t object)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO notifications (user_id, type, actor_id, "
	    "object_id, created_at) VALUES (?, ?, ?, ?, ?)", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int(stmt, 2, (int)type);
	if (actor != 0)
		sqlite3_bind_int64(stmt, 3, actor);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_int64(stmt, 4, object);
	sqlite3_bind_int64(stmt, 5, store_now());
	r = stmt_done(st, stmt, "insert notification");
	stmt_reset(stmt);
	return r;
}

int
notif_delete_between(struct store *st, int64_t user, int64_t actor,
    enum notif_type type, int64_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if (np != NULL)
		*np = 0;
	/* Type 0: all three friend kinds (the notifications_actor index serves both). */
	if ((r = stmt_get(st, "DELETE FROM notifications WHERE actor_id = ?1 AND "
	    "user_id = ?2 AND (type = ?3 OR (?3 = 0 AND type BETWEEN 1 AND 3))",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, actor);
	sqlite3_bind_int64(stmt, 2, user);
	sqlite3_bind_int(stmt, 3, (int)type);
	if ((r = stmt_done(st, stmt, "delete notifications")) == 0 && np != NULL)
		*np = sqlite3_changes(st->db);
	stmt_reset(stmt);
	return r;
}

int
notif_mark_read_between(struct store *st, int64_t user, int64_t actor,
    enum notif_type type)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "UPDATE notifications SET read = 1 WHERE actor_id = ? "
	    "AND user_id = ? AND type = ? AND read = 0", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, actor);
	sqlite3_bind_int64(stmt, 2, user);
	sqlite3_bind_int(stmt, 3, (int)type);
	r = stmt_done(st, stmt, "mark notifications read");
	stmt_reset(stmt);
	return r;
}

void
notif_page_free(struct notif_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].actor_username);
		free(p->v[i].actor_display_name);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

int
store_notifications(struct store *st, int64_t me, bool unread_only, int64_t before,
    size_t limit, struct notif_page *out)
{
	sqlite3_stmt		*stmt = NULL;
	struct notification	*n;
	size_t			 alloc = 0;
	int			 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if (limit > NOTIF_PAGE_MAX)
		limit = NOTIF_PAGE_MAX;
	if (before <= 0)
		before = INT64_MAX;
	/*
	 * Two statements rather than "(?4 = 0 OR read = 0)": the planner picks
	 * the partial index of unread rows only when the query says read = 0.
	 */
	if (unread_only)
		r = stmt_get(st, SQL_NOTIF_COLUMNS "WHERE n.user_id = ?1 AND n.read = 0 "
		    "AND n.id < ?2 AND " SQL_NOTIF_UNBLOCKED " AND " SQL_NOTIF_POST_VISIBLE
		    " ORDER BY n.id DESC LIMIT ?3",
		    &stmt);
	else
		r = stmt_get(st, SQL_NOTIF_COLUMNS "WHERE n.user_id = ?1 "
		    "AND n.id < ?2 AND " SQL_NOTIF_UNBLOCKED " AND " SQL_NOTIF_POST_VISIBLE
		    " ORDER BY n.id DESC LIMIT ?3",
		    &stmt);
	if (r != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, before);
	/* One more than asked: whether it exists says if there is a next page. */
	sqlite3_bind_int64(stmt, 3, (int64_t)limit + 1);
	while ((r = stmt_row(st, stmt, "list notifications")) == 1) {
		if (out->n == limit) {
			out->next_before = out->v[out->n - 1].id;
			continue;
		}
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->v = xreallocarray(out->v, alloc, sizeof *out->v);
		}
		n = &out->v[out->n++];
		memset(n, 0, sizeof *n);
		n->id = sqlite3_column_int64(stmt, 0);
		n->type = (enum notif_type)sqlite3_column_int(stmt, 1);
		n->actor_id = sqlite3_column_int64(stmt, 2);
		n->actor_username = col_text(stmt, 3);
		n->actor_display_name = col_text(stmt, 4);
		n->object_id = sqlite3_column_int64(stmt, 5);
		n->read = sqlite3_column_int(stmt, 6) != 0;
		n->created_at = sqlite3_column_int64(stmt, 7);
	}
	stmt_reset(stmt);
	if (r != 0)
		notif_page_free(out);
	return r;
}

int
store_notification_unread_count(struct store *st, int64_t me, int64_t *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = 0;
	/* The same rows store_notifications(unread_only) lists, so the badge matches the list. */
	if ((r = stmt_get(st, "SELECT count(*) FROM notifications n WHERE n.user_id = ?1 "
	    "AND n.read = 0 AND " SQL_NOTIF_UNBLOCKED " AND " SQL_NOTIF_POST_VISIBLE,
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	if ((r = stmt_row(st, stmt, "count unread notifications")) == 1) {
		*out = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "count unread notifications");
	stmt_reset(stmt);
	return r;
}

/* Run a statement bound (me, id) or (me); ERR_NOTFOUND when one_row and nothing matched. */
static int
notif_write(struct store *st, const char *sql, int64_t me, int64_t id, bool one_row,
    const char *what)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	if (one_row)
		sqlite3_bind_int64(stmt, 2, id);
	if ((r = stmt_done(st, stmt, what)) == 0 && one_row && sqlite3_changes(st->db) == 0)
		r = ERR_NOTFOUND;	/* not there, or someone else's: the same answer */
	stmt_reset(stmt);
	return r;
}

int
store_notification_read(struct store *st, int64_t me, int64_t id)
{
	/* The WHERE matches an already read row too, so changes() is 1 and it is not "not found". */
	return notif_write(st, "UPDATE notifications SET read = 1 WHERE user_id = ? AND id = ?",
	    me, id, true, "mark notification read");
}

int
store_notification_read_all(struct store *st, int64_t me)
{
	return notif_write(st, "UPDATE notifications SET read = 1 WHERE user_id = ? AND read = 0",
	    me, 0, false, "mark notifications read");
}

int
store_notification_delete(struct store *st, int64_t me, int64_t id)
{
	return notif_write(st, "DELETE FROM notifications WHERE user_id = ? AND id = ?",
	    me, id, true, "delete notification");
}

int
store_notification_delete_all(struct store *st, int64_t me)
{
	return notif_write(st, "DELETE FROM notifications WHERE user_id = ?",
	    me, 0, false, "delete notifications");
}
