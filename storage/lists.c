/*
 * Lists of people: a user's friends (keyset pages by username, with a
 * filter), pending requests both ways, and the users one blocked. Each row
 * is a user_summary as the viewer sees it (SQL_SUMMARY).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/social-int.h"
#include "storage/social.h"

#define FRIENDS_PAGE_MAX	500

/*
 * Read rows of SQL_SUMMARY plus `since` into out. With limit > 0 the
 * statement was asked for limit + 1 rows: the extra one only says that a
 * next page exists, and next_after is then the last username kept.
 */
static int
summaries_read(struct store *st, sqlite3_stmt *stmt, size_t limit, struct user_list *out)
{
	struct user_summary	*s;
	size_t			 alloc = 0;
	int			 r;

	while ((r = stmt_row(st, stmt, "list users")) == 1) {
		if (limit > 0 && out->n == limit) {
			out->next_after = xstrdup(out->v[out->n - 1].username);
			continue;
		}
		s = summary_push(&out->v, &out->n, &alloc);
		summary_fill(stmt, 0, s);
		s->since = sqlite3_column_int64(stmt, SUMMARY_NCOLS);
	}
	stmt_reset(stmt);
	if (r != 0)
		user_list_free(out);
	return r;
}

int
store_friends_list(struct store *st, int64_t viewer, int64_t user, const char *filter,
    const char *after, size_t limit, struct user_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if (limit > FRIENDS_PAGE_MAX)
		limit = FRIENDS_PAGE_MAX;
	/* The list shows to whoever sees the full profile. */
	if ((r = stmt_get(st, "SELECT " SQL_FULL " FROM users u WHERE u.id = ?2 AND "
	    SQL_VISIBLE, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, user);
	if ((r = stmt_row(st, stmt, "check friends list")) == 1)
		r = sqlite3_column_int(stmt, 0) ? 0 : ERR_DENIED;
	else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	if (r != 0)
		return r;

	/*
	 * One range of the friendships key, joined to users, sorted by name:
	 * a name order cannot come from an index across the two tables, and
	 * one user's friends are few enough to sort. Friends who blocked the
	 * viewer are left out, as everywhere. The filter is ASCII
	 * case-insensitive (SQLite's lower()).
	 */
	if ((r = stmt_get(st, "SELECT " SQL_SUMMARY ", f.since FROM friendships f "
	    "JOIN users u ON u.id = f.friend_id WHERE f.user_id = ?2 AND " SQL_VISIBLE
	    " AND u.username > ?3 AND (?4 = '' OR instr(lower(u.username), lower(?4)) > 0 "
	    "OR instr(lower(u.display_name), lower(?4)) > 0) "
	    "ORDER BY u.username LIMIT ?5", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, user);
	sqlite3_bind_text(stmt, 3, after != NULL ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, filter != NULL ? filter : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (int64_t)limit + 1);
	return summaries_read(st, stmt, limit, out);
}

int
store_requests_incoming(struct store *st, int64_t me, struct user_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, "SELECT " SQL_SUMMARY ", q.created_at FROM friend_requests q "
	    "JOIN users u ON u.id = q.from_id WHERE q.to_id = ?1 AND " SQL_VISIBLE
	    " ORDER BY q.created_at DESC, q.from_id DESC", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	return summaries_read(st, stmt, 0, out);
}

int
store_requests_outgoing(struct store *st, int64_t me, struct user_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, "SELECT " SQL_SUMMARY ", q.created_at FROM friend_requests q "
	    "JOIN users u ON u.id = q.to_id WHERE q.from_id = ?1 AND " SQL_VISIBLE
	    " ORDER BY q.created_at DESC, q.to_id DESC", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	return summaries_read(st, stmt, 0, out);
}

int
store_blocked_list(struct store *st, int64_t me, struct user_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	/* since is when the block was made. */
	if ((r = stmt_get(st, "SELECT " SQL_SUMMARY ", b.created_at FROM blocks b "
	    "JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ?1 "
	    "ORDER BY u.username", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	return summaries_read(st, stmt, 0, out);
}
