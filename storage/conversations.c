/*
 * Messages, the reads: a conversation's history (pages by id, newest first),
 * what came or changed since (live views), the conversation list, unread
 * counts and marking read. Every query is about me: it reads the pair (me,
 * other) or my own conversation rows, so nobody else's messages can appear.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/messages-int.h"
#include "storage/messages.h"
#include "storage/social-int.h"
#include "storage/social.h"

#define MESSAGE_PAGE_MAX	500

/* True when a block stands between me (?1) and the user whose id is the SQL expression U, either way. */
#define SQL_MSG_BLOCKED(U) \
	"(EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = " U ")" \
	" OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = " U " AND blocked_id = ?1))"

/*
 * True when the pair's request row r (LEFT JOINed, may be NULL) says that I
 * (?1) declined a request from U: their messages no longer count as unread.
 */
#define SQL_MSG_I_DECLINED(R, U) \
	"(" R ".state = 2 AND " R ".from_id = " U ")"

void
message_fill(sqlite3_stmt *stmt, int col, struct message *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(stmt, col);
	m->from_id = sqlite3_column_int64(stmt, col + 1);
	m->to_id = sqlite3_column_int64(stmt, col + 2);
	m->text = col_text(stmt, col + 3);
	m->deleted = sqlite3_column_int(stmt, col + 4) != 0;
	m->created_at = sqlite3_column_int64(stmt, col + 5);
	m->edited_at = sqlite3_column_int64(stmt, col + 6);
	m->read = sqlite3_column_int(stmt, col + 7) != 0;
	m->rev = sqlite3_column_int64(stmt, col + 8);
}

void
message_free(struct message *m)
{
	if (m == NULL)
		return;
	free(m->text);
	memset(m, 0, sizeof *m);
}

void
message_page_free(struct message_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		message_free(&p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

void
conversation_list_free(struct conversation_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].username);
		free(l->v[i].display_name);
		free(l->v[i].avatar_seed);
		message_free(&l->v[i].last);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * Run a page query on the pair (me, other): ?1 lo, ?2 hi, ?3 the cursor, ?4
 * the limit. With more, the query is asked one row more than limit, and
 * next_before is set when it comes (pages newest first).
 */
static int
page_query(struct store *st, const char *sql, int64_t me, int64_t other, int64_t cursor,
    size_t limit, bool more, struct message_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc = 0;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if (limit > MESSAGE_PAGE_MAX)
		limit = MESSAGE_PAGE_MAX;
	if (me == other)
		return 0;	/* nobody writes to themselves */
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(me, other));
	sqlite3_bind_int64(stmt, 2, msg_hi(me, other));
	sqlite3_bind_int64(stmt, 3, cursor);
	sqlite3_bind_int64(stmt, 4, (int64_t)limit + (more ? 1 : 0));
	while ((r = stmt_row(st, stmt, "read messages")) == 1) {
		if (out->n == limit) {
			out->next_before = out->v[out->n - 1].id;
			continue;
		}
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->v = xreallocarray(out->v, alloc, sizeof *out->v);
		}
		message_fill(stmt, 0, &out->v[out->n++]);
	}
	stmt_reset(stmt);
	if (r != 0)
		message_page_free(out);
	return r;
}

int
store_messages(struct store *st, int64_t me, int64_t other, int64_t before, size_t limit,
    struct message_page *out)
{
	return page_query(st, "SELECT " SQL_MESSAGE_COLUMNS " FROM messages m "
	    "WHERE m.lo = ?1 AND m.hi = ?2 AND m.id < ?3 ORDER BY m.id DESC LIMIT ?4",
	    me, other, before > 0 ? before : INT64_MAX, limit, true, out);
}

int
store_messages_after(struct store *st, int64_t me, int64_t other, int64_t after,
    size_t limit, struct message_page *out)
{
	return page_query(st, "SELECT " SQL_MESSAGE_COLUMNS " FROM messages m "
	    "WHERE m.lo = ?1 AND m.hi = ?2 AND m.id > ?3 ORDER BY m.id LIMIT ?4",
	    me, other, after, limit, false, out);
}

int
store_messages_changed(struct store *st, int64_t me, int64_t other, int64_t after_rev,
    size_t limit, struct message_page *out)
{
	return page_query(st, "SELECT " SQL_MESSAGE_COLUMNS " FROM messages m "
	    "WHERE m.lo = ?1 AND m.hi = ?2 AND m.rev > ?3 ORDER BY m.rev LIMIT ?4",
	    me, other, after_rev, limit, false, out);
}

int
store_messages_rev(struct store *st, int64_t me, int64_t other, int64_t *revp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*revp = 0;
	if ((r = stmt_get(st, "SELECT coalesce(max(rev), 0) FROM messages "
	    "WHERE lo = ?1 AND hi = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, msg_lo(me, other));
	sqlite3_bind_int64(stmt, 2, msg_hi(me, other));
	if ((r = stmt_row(st, stmt, "read message rev")) == 1) {
		*revp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "read message rev");
	stmt_reset(stmt);
	return r;
}

int
store_message_peer(struct store *st, int64_t me, const char *username, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*idp = 0;
	/* users.username is COLLATE NOCASE, so "Bob" finds bob as everywhere else. */
	if ((r = stmt_get(st, "SELECT c.other_id FROM users u JOIN conversations c "
	    "ON c.user_id = ?1 AND c.other_id = u.id WHERE u.username = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_text(stmt, 2, username, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "find conversation")) == 1) {
		*idp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

/*
 * The conversation list: my rows (one range of the primary key), each with
 * the other user, the newest message and the pair's request row. Unread
 * counts come from messages_to; a block either way, or a request I declined,
 * makes them 0 (the same rule as store_message_unread_count).
 */
#define SQL_CONVERSATIONS(FILTER) \
	"SELECT u.id, u.username, u.display_name, " SQL_AVATAR ", " SQL_MESSAGE_COLUMNS ", " \
	"CASE WHEN " SQL_MSG_BLOCKED("c.other_id") " OR " \
	SQL_MSG_I_DECLINED("r", "c.other_id") " THEN 0 ELSE " \
	"(SELECT count(*) FROM messages x WHERE x.to_id = ?1 AND x.read = 0 " \
	"AND x.from_id = c.other_id AND x.deleted = 0) END, " \
	"coalesce(r.from_id, 0), coalesce(r.state, -1) " \
	"FROM conversations c JOIN users u ON u.id = c.other_id " \
	"JOIN messages m ON m.id = c.last_id " \
	"LEFT JOIN message_requests r ON r.lo = min(?1, c.other_id) " \
	"AND r.hi = max(?1, c.other_id) " \
	"WHERE c.user_id = ?1 AND " FILTER " ORDER BY c.last_id DESC"

int
store_conversations(struct store *st, int64_t me, bool requests,
    struct conversation_list *out)
{
	sqlite3_stmt		*stmt = NULL;
	struct conversation	*c;
	size_t			 alloc = 0;
	int64_t			 asker;
	int			 r, state, col;

	memset(out, 0, sizeof *out);
	if (requests)
		/* Waiting for my answer. */
		r = stmt_get(st, SQL_CONVERSATIONS("r.state = 0 AND r.from_id = c.other_id"),
		    &stmt);
	else
		/* No request, or an accepted one, or mine (pending or declined). */
		r = stmt_get(st, SQL_CONVERSATIONS("(r.from_id IS NULL OR r.state = 1 "
		    "OR r.from_id = ?1)"), &stmt);
	if (r != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	while ((r = stmt_row(st, stmt, "list conversations")) == 1) {
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->v = xreallocarray(out->v, alloc, sizeof *out->v);
		}
		c = &out->v[out->n++];
		memset(c, 0, sizeof *c);
		c->other_id = sqlite3_column_int64(stmt, 0);
		c->username = col_text(stmt, 1);
		c->display_name = col_text(stmt, 2);
		c->avatar_seed = col_text(stmt, 3);
		message_fill(stmt, 4, &c->last);
		col = 4 + MESSAGE_NCOLS;
		c->unread = (size_t)sqlite3_column_int64(stmt, col);
		asker = sqlite3_column_int64(stmt, col + 1);
		state = sqlite3_column_int(stmt, col + 2);
		c->request = state == MSG_REQ_PENDING && asker == c->other_id;
		c->pending = state == MSG_REQ_PENDING && asker == me;
		c->declined = state == MSG_REQ_DECLINED && asker == me;
	}
	stmt_reset(stmt);
	if (r != 0)
		conversation_list_free(out);
	return r;
}

int
store_message_unread_count(struct store *st, int64_t me, int64_t *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = 0;
	/* The unread range of messages_to; the checks run for unread rows only. */
	if ((r = stmt_get(st, "SELECT count(*) FROM messages m WHERE m.to_id = ?1 "
	    "AND m.read = 0 AND m.deleted = 0 AND NOT " SQL_MSG_BLOCKED("m.from_id") " "
	    "AND NOT EXISTS (SELECT 1 FROM message_requests r WHERE r.lo = min(?1, m.from_id) "
	    "AND r.hi = max(?1, m.from_id) AND " SQL_MSG_I_DECLINED("r", "m.from_id") ")",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	if ((r = stmt_row(st, stmt, "count unread messages")) == 1) {
		*out = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "count unread messages");
	stmt_reset(stmt);
	return r;
}

int
store_messages_mark_read(struct store *st, int64_t me, int64_t other)
{
	int r;

	if ((r = store_begin(st)) != 0)
		return r;
	/*
	 * `read` is also the sender's "seen": while their request to me waits
	 * (or after I declined it) reading it must not tell them I did, so
	 * those messages stay unread until I accept.
	 */
	if ((r = pair_exec(st, "UPDATE messages SET read = 1 WHERE to_id = ?1 AND read = 0 "
	    "AND from_id = ?2 AND NOT EXISTS (SELECT 1 FROM message_requests r "
	    "WHERE r.lo = min(?1, ?2) AND r.hi = max(?1, ?2) AND r.from_id = ?2 "
	    "AND r.state != 1)", me, other, NULL)) != 0)	/* 1: MSG_REQ_ACCEPTED */
		goto out;
	if ((r = notif_mark_read_between(st, me, other, NOTIF_MESSAGE)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}
