/*
 * Home, profile timelines and the audience of a post. Lists are keyset
 * pages on the post id (ids only grow: AUTOINCREMENT), newest first: a page
 * is "id < before ORDER BY id DESC LIMIT n", so its cost does not depend on
 * how deep the reader has scrolled. The page query finds ids under the
 * privacy predicate; post_load.c fills them.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

/*
 * Home has two plans, and which is cheaper depends on how many friends the
 * viewer has (bench/storage_bench.c feeds, 1,000,000 posts):
 * - by author: each friend's newest posts below the cursor from posts_author,
 *   merged and cut to a page. The work grows with the friends' posts, which
 *   is little for most people.
 * - by time: walk all posts newest first and keep those by a friend (the
 *   friend list read once into a temporary index). The work grows with the
 *   posts between two of the viewer's, which is little when they have
 *   many friends.
 * Both return the same rows; HOME_SCAN_FRIENDS is where they cross.
 */
#define HOME_SCAN_FRIENDS	1000

static const char sql_home_by_author[] =
	"SELECT p.id FROM (SELECT ?1 AS uid UNION ALL "
	"SELECT friend_id FROM friendships WHERE user_id = ?1) a "
	"JOIN posts p ON p.author_id = a.uid "
	"WHERE p.id < ?2 AND " SQL_POST_VISIBLE("p", "?1")
	" ORDER BY p.id DESC LIMIT ?3";

/* The unary + keeps the planner off posts_author: this plan walks the ids. */
static const char sql_home_by_time[] =
	"SELECT p.id FROM posts p WHERE p.id < ?2 AND (+p.author_id = ?1 OR "
	"+p.author_id IN (SELECT friend_id FROM friendships WHERE user_id = ?1)) AND "
	SQL_POST_VISIBLE("p", "?1") " ORDER BY p.id DESC LIMIT ?3";

static int
friend_count(struct store *st, int64_t user, int64_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*np = 0;
	if ((r = stmt_get(st, "SELECT count(*) FROM friendships WHERE user_id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	if ((r = stmt_row(st, stmt, "count friends")) == 1) {
		*np = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "count friends");
	stmt_reset(stmt);
	return r;
}

/*
 * Run a keyset page query bound (?1 viewer, ?B before, ?L limit + 1, and
 * ?U user when u_param is not 0) and load its posts into out.
 */
static int
keyset_page(struct store *st, const char *sql, int64_t viewer, int64_t user, int u_param,
    int b_param, int l_param, const struct post_cursor *after, size_t limit,
    struct post_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		*ids = NULL, before = INT64_MAX;
	size_t		 n = 0;
	int		 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	limit = post_limit(limit);
	if (after != NULL && after->set && after->before > 0)
		before = after->before;
	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	if (u_param != 0)
		sqlite3_bind_int64(stmt, u_param, user);
	sqlite3_bind_int64(stmt, b_param, before);
	sqlite3_bind_int64(stmt, l_param, (int64_t)limit + 1);
	if ((r = post_ids_collect(st, stmt, limit, "list posts", &ids, &n)) != 0)
		return r;
	if (n > limit) {
		n = limit;
		out->next.before = ids[n - 1];
		out->next.set = true;
	}
	if ((r = post_page_load(st, viewer, ids, n, out)) != 0)
		post_page_free(out);
	free(ids);
	return r;
}

int
store_feed_home(struct store *st, int64_t viewer, const struct post_cursor *after,
    size_t limit, struct post_page *out)
{
	int64_t	friends;
	int	r;

	memset(out, 0, sizeof *out);
	if ((r = friend_count(st, viewer, &friends)) != 0)
		return r;
	return keyset_page(st, friends >= (int64_t)(st->home_scan_friends ?
	    st->home_scan_friends : HOME_SCAN_FRIENDS) ? sql_home_by_time : sql_home_by_author,
	    viewer, 0, 0, 2, 3, after, limit, out);
}

int
store_timeline(struct store *st, int64_t viewer, int64_t user,
    const struct post_cursor *after, size_t limit, struct post_page *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	/* Someone who blocked the viewer does not exist for them (social.h). */
	if ((r = stmt_get(st, "SELECT 1 FROM users u WHERE u.id = ?2 AND " SQL_VISIBLE,
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, user);
	r = stmt_row(st, stmt, "find timeline user");
	stmt_reset(stmt);
	if (r < 0)
		return r;
	if (r == 0)
		return ERR_NOTFOUND;
	return keyset_page(st, "SELECT p.id FROM posts p WHERE p.author_id = ?2 AND p.id < ?3 "
	    "AND " SQL_POST_VISIBLE("p", "?1") " ORDER BY p.id DESC LIMIT ?4",
	    viewer, user, 2, 3, 4, after, limit, out);
}

int
store_post_audience(struct store *st, int64_t post, size_t max, int64_t **idsp, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 author = 0, vis = VIS_PRIVATE;
	int		 r;

	*idsp = NULL;
	*np = 0;
	if ((r = stmt_get(st, "SELECT author_id, visibility FROM posts WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, post);
	if ((r = stmt_row(st, stmt, "read post audience")) == 1) {
		author = sqlite3_column_int64(stmt, 0);
		vis = sqlite3_column_int64(stmt, 1);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	if (r != 0)
		return r;
	if (vis != VIS_PRIVATE)
		return store_author_audience(st, author, max, idsp, np);
	*idsp = xcalloc(1, sizeof **idsp);
	(*idsp)[(*np)++] = author;
	return 0;
}

int
store_author_audience(struct store *st, int64_t author, size_t max, int64_t **idsp,
    size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc = 16;
	int		 r;

	*np = 0;
	*idsp = xcalloc(alloc, sizeof **idsp);
	(*idsp)[(*np)++] = author;
	/* Whose Home may show it: the author's friends (a hint is no data; they re-query). */
	if ((r = stmt_get(st, "SELECT friend_id FROM friendships WHERE user_id = ?1 LIMIT ?2",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, author);
	sqlite3_bind_int64(stmt, 2, max == 0 ? -1 : (int64_t)max - 1);	/* the author is one */
	while ((r = stmt_row(st, stmt, "list post audience")) == 1) {
		if (*np == alloc) {
			alloc *= 2;
			*idsp = xreallocarray(*idsp, alloc, sizeof **idsp);
		}
		(*idsp)[(*np)++] = sqlite3_column_int64(stmt, 0);
	}
	stmt_reset(stmt);
 out:
	if (r != 0) {
		free(*idsp);
		*idsp = NULL;
		*np = 0;
	}
	return r;
}
