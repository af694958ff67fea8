/*
 * Notifications: rows written by the action that causes them (in its
 * transaction, through notif_add), listed newest first, read and deleted by
 * their owner only.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
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

/*
 * What a notification (row n) is about, for the viewer ?1, as two columns:
 * the start of its text (the comment; the post; for a share my original
 * post; the message) and whether that is gone (a deleted comment, message or
 * original). Only comments on the notification's post and messages to ?1
 * count; the post itself passed SQL_NOTIF_POST_VISIBLE. Evaluated for the
 * rows a page returns only.
 */
#define ABOUT_FETCH	"160"	/* characters read; about_words cuts them to words */
#define SQL_NOTIF_ABOUT \
	"CASE WHEN n.detail_id != 0 THEN (SELECT substr(c.text, 1, " ABOUT_FETCH ") " \
	"	FROM comments c WHERE c.id = n.detail_id AND c.post_id = n.object_id) " \
	"WHEN n.type IN (4, 5, 7) THEN (SELECT substr(p.text, 1, " ABOUT_FETCH ") " \
	"	FROM posts p WHERE p.id = n.object_id) " \
	"WHEN n.type = 6 THEN (SELECT substr(o.text, 1, " ABOUT_FETCH ") FROM posts s " \
	"	JOIN posts o ON o.id = s.shared_from WHERE s.id = n.object_id) " \
	"WHEN n.type = 8 THEN (SELECT substr(m.text, 1, " ABOUT_FETCH ") FROM messages m " \
	"	WHERE m.id = n.object_id AND m.to_id = ?1 AND m.deleted = 0) END, " \
	"CASE WHEN n.detail_id != 0 THEN NOT EXISTS (SELECT 1 FROM comments c " \
	"	WHERE c.id = n.detail_id AND c.post_id = n.object_id) " \
	"WHEN n.type = 6 THEN NOT EXISTS (SELECT 1 FROM posts s JOIN posts o " \
	"	ON o.id = s.shared_from WHERE s.id = n.object_id) " \
	"WHEN n.type = 8 THEN NOT EXISTS (SELECT 1 FROM messages m " \
	"	WHERE m.id = n.object_id AND m.to_id = ?1 AND m.deleted = 0) ELSE 0 END"

/*
 * Which notifications the Notifications tab shows as one row (row N):
 * reactions to one post, comments on one post, shares of one post (by the
 * original); every other one is alone (its own id, negated so it never
 * meets an object id). Grouping is by (type, this).
 */
#define SQL_NOTIF_GROUP_KEY(N) \
	"(CASE WHEN " N ".type IN (4, 5) THEN " N ".object_id " \
	"WHEN " N ".type = 6 THEN coalesce((SELECT s.shared_from FROM posts s " \
	"WHERE s.id = " N ".object_id), -" N ".id) ELSE -" N ".id END)"

/* The columns notif_row reads, for a list of single rows (others: 0). */
#define SQL_NOTIF_COLUMNS \
	"SELECT n.id, n.type, coalesce(n.actor_id, 0), a.username, a.display_name, " \
	"n.object_id, n.read, n.created_at, n.detail_id, " SQL_NOTIF_ABOUT ", 0 " \
	"FROM notifications n LEFT JOIN users a ON a.id = n.actor_id "

/*
 * The same columns for groups: the newest row of each stands for it (its
 * id is the group's cursor), read only when every row in it is, and the
 * other people in it counted. Every visible notification of ?1 is grouped
 * on each page (a user's notifications are a range of notifications_user):
 * about 1.2 ms a page at 1,000 notifications, 11 ms at 10,000 and 60 ms at
 * 50,000 (measured here); a user with that many would want old ones pruned.
 */
#define SQL_NOTIF_GROUPS \
	"WITH g AS (SELECT max(n.id) AS top, count(DISTINCT n.actor_id) AS actors, " \
	"	min(n.read) AS all_read FROM notifications n WHERE n.user_id = ?1 AND " \
	SQL_NOTIF_UNBLOCKED " AND " SQL_NOTIF_POST_VISIBLE \
	"	GROUP BY n.type, " SQL_NOTIF_GROUP_KEY("n") ") " \
	"SELECT n.id, n.type, coalesce(n.actor_id, 0), a.username, a.display_name, " \
	"n.object_id, g.all_read, n.created_at, n.detail_id, " SQL_NOTIF_ABOUT ", " \
	"max(g.actors - 1, 0) FROM g JOIN notifications n ON n.id = g.top " \
	"LEFT JOIN users a ON a.id = n.actor_id WHERE g.top < ?2 ORDER BY g.top DESC LIMIT ?3"

#define ABOUT_CHARS	60	/* what a notification shows of what it is about */

/*
 * One row per type: the JSON name, the words after the actor's name, and
 * what replaces the about text once that is gone (SQL_NOTIF_ABOUT).
 */
static const struct notif_kind {
	const char	*name;
	const char	*text;
	const char	*gone;
} notif_kinds[] = {
	[NOTIF_FRIEND_REQUEST] = { "friend_request", "sent you a friend request", NULL },
	[NOTIF_FRIEND_ACCEPT] = { "friend_accept", "accepted your friend request", NULL },
	[NOTIF_FRIEND_DECLINE] = { "friend_decline", "declined your friend request", NULL },
	[NOTIF_REACTION] = { "reaction", "reacted to your post", NULL },
	[NOTIF_COMMENT] = { "comment", "commented on your post", "comment deleted" },
	[NOTIF_SHARE] = { "share", "shared your post", "your post deleted" },
	[NOTIF_MENTION] = { "mention", "mentioned you", "comment deleted" },
	[NOTIF_MESSAGE] = { "message", "sent you a message", "message deleted" },
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

const char *
notif_gone_text(enum notif_type t)
{
	if ((size_t)t < NKINDS && notif_kinds[t].gone != NULL)
		return notif_kinds[t].gone;
	return "deleted";
}

int
notif_add(struct store *st, int64_t user, enum notif_type type, int64_t actor,
    int64_t object, int64_t detail)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO notifications (user_id, type, actor_id, "
	    "object_id, created_at, detail_id) VALUES (?, ?, ?, ?, ?, ?)", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int(stmt, 2, (int)type);
	if (actor != 0)
		sqlite3_bind_int64(stmt, 3, actor);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_int64(stmt, 4, object);
	sqlite3_bind_int64(stmt, 5, store_now());
	sqlite3_bind_int64(stmt, 6, detail);
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
		free(p->v[i].about);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/*
 * The first words of raw (at most ABOUT_CHARS characters, cut after a word
 * with "…" when there is more), its runs of spaces, tabs and newlines made
 * one space; NULL when nothing is left. The caller frees.
 */
static char *
about_words(const char *raw, bool more)
{
	struct buf	b = BUF_INIT;
	size_t		len, i, n, chars = 0, word_end = 0;
	bool		gap = false, mid_word = false;

	if (raw == NULL)
		return NULL;
	len = strlen(raw);
	for (i = 0; i < len; i += n) {
		n = utf8_next(raw, len, i) - i;
		if (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r' || raw[i] == '\n') {
			gap = b.len > 0;
			continue;
		}
		if (gap) {
			word_end = b.len;	/* where the previous word ends */
			if (chars + 1 >= ABOUT_CHARS) {
				more = true;
				break;
			}
			buf_addch(&b, ' ');
			chars++;
			gap = false;
		}
		if (chars == ABOUT_CHARS) {
			more = mid_word = true;
			break;
		}
		buf_add(&b, raw + i, n);
		chars++;
	}
	/* Cut inside a word: back to the end of the one before, when there is one. */
	if (mid_word && word_end > 0)
		buf_truncate(&b, word_end);
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	if (more)
		buf_adds(&b, "\u2026");
	return buf_detach(&b, NULL);
}

/* One row of SQL_NOTIF_COLUMNS or SQL_NOTIF_GROUPS into n. */
static void
notif_row(sqlite3_stmt *stmt, struct notification *n)
{
	const char *about;

	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(stmt, 0);
	n->type = (enum notif_type)sqlite3_column_int(stmt, 1);
	n->actor_id = sqlite3_column_int64(stmt, 2);
	n->actor_username = col_text(stmt, 3);
	n->actor_display_name = col_text(stmt, 4);
	n->object_id = sqlite3_column_int64(stmt, 5);
	n->read = sqlite3_column_int(stmt, 6) != 0;
	n->created_at = sqlite3_column_int64(stmt, 7);
	n->detail_id = sqlite3_column_int64(stmt, 8);
	about = (const char *)sqlite3_column_text(stmt, 9);
	n->about = about_words(about, about != NULL &&
	    utf8_count(about) >= (size_t)atoi(ABOUT_FETCH));
	n->about_gone = sqlite3_column_int(stmt, 10) != 0;
	n->others = sqlite3_column_int64(stmt, 11);
}

/* Run a listing statement (bound ?1 me, ?2 before, ?3 limit + 1) into out. */
static int
notif_list(struct store *st, sqlite3_stmt *stmt, int64_t me, int64_t before, size_t limit,
    struct notif_page *out)
{
	size_t	alloc = 0;
	int	r;

	if (limit > NOTIF_PAGE_MAX)
		limit = NOTIF_PAGE_MAX;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, before <= 0 ? INT64_MAX : before);
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
		notif_row(stmt, &out->v[out->n++]);
	}
	stmt_reset(stmt);
	if (r != 0)
		notif_page_free(out);
	return r;
}

int
store_notifications(struct store *st, int64_t me, bool unread_only, int64_t before,
    size_t limit, struct notif_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
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
	return notif_list(st, stmt, me, before, limit, out);
}

int
store_notification_groups(struct store *st, int64_t me, int64_t before, size_t limit,
    struct notif_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if ((r = stmt_get(st, SQL_NOTIF_GROUPS, &stmt)) != 0)
		return r;
	return notif_list(st, stmt, me, before, limit, out);
}

/*
 * The rows of the group notification id stands for (SQL_NOTIF_GROUPS: the
 * same type and group key, not newer than id), as ?1 me, ?2 id.
 */
#define SQL_NOTIF_IN_GROUP \
	"user_id = ?1 AND id <= ?2 AND id IN (SELECT x.id FROM notifications t " \
	"JOIN notifications x ON x.user_id = t.user_id AND x.type = t.type " \
	"WHERE t.id = ?2 AND t.user_id = ?1 AND " SQL_NOTIF_GROUP_KEY("x") " = " \
	SQL_NOTIF_GROUP_KEY("t") ")"

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

int
store_notification_read_group(struct store *st, int64_t me, int64_t id)
{
	return notif_write(st, "UPDATE notifications SET read = 1 WHERE " SQL_NOTIF_IN_GROUP,
	    me, id, true, "mark notifications read");
}

int
store_notification_delete_group(struct store *st, int64_t me, int64_t id)
{
	return notif_write(st, "DELETE FROM notifications WHERE " SQL_NOTIF_IN_GROUP,
	    me, id, true, "delete notifications");
}
