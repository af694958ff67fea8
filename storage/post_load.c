/*
 * Posts as a viewer sees them: one statement reads a post with its author,
 * counts and the viewer's reaction, under the privacy predicate, and a share
 * gets its original by the same statement, so an original the viewer may not
 * see is never read into memory. Its media follow from one range of
 * post_media's primary key. Every list (feeds, timelines, search) finds
 * its ids first and fills them here.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/media-int.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

/* The counters' columns are in enum reaction order. */
_Static_assert(REACT_LIKE == 1 && REACT_LOVE == 2 && REACT_HAHA == 3 && REACT_WOW == 4 &&
    REACT_SAD == 5 && REACT_ANGRY == 6 && REACT_COUNT == 7,
    "posts.n_like .. n_angry must match enum reaction");

/*
 * Everyone a block stands between the viewer (?1) and, either way: their
 * reactions and comments are not in the lists the viewer sees (comments.c,
 * reactions.c), so they are not in the viewer's counts either, or "1 · 1
 * comment" would tell a blocked person what the blocker did. UNION, not
 * UNION ALL: a pair that blocked each other is one person to take out.
 */
#define SQL_BLOCKED_EITHER_WAY \
	"(SELECT blocked_id AS id FROM blocks WHERE blocker_id = ?1" \
	" UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?1)"

/*
 * A counter of the post as the viewer sees it: the stored counter (kept by
 * triggers) less the rows of those people. CROSS JOIN keeps the viewer's
 * blocks, usually none, as the outer loop: each is one probe of reactions'
 * primary key, or of comments_author, instead of a walk over every
 * reaction or comment of the post on each load.
 */
#define SQL_REACTIONS_SEEN(COL, KIND) \
	"p." COL " - (SELECT count(*) FROM " SQL_BLOCKED_EITHER_WAY " AS b " \
	"CROSS JOIN reactions r ON r.post_id = p.id AND r.user_id = b.id AND r.kind = " KIND ")"
#define SQL_COMMENTS_SEEN \
	"p.n_comments - (SELECT count(*) FROM " SQL_BLOCKED_EITHER_WAY " AS b " \
	"CROSS JOIN comments c ON c.author_id = b.id AND c.post_id = p.id)"

static const char sql_post[] =
	"SELECT p.id, p.author_id, u.username, u.display_name, " SQL_AVATAR ", p.text, "
	"p.visibility, p.created_at, p.edited_at, "
	SQL_REACTIONS_SEEN("n_like", "1") ", " SQL_REACTIONS_SEEN("n_love", "2") ", "
	SQL_REACTIONS_SEEN("n_haha", "3") ", " SQL_REACTIONS_SEEN("n_wow", "4") ", "
	SQL_REACTIONS_SEEN("n_sad", "5") ", " SQL_REACTIONS_SEEN("n_angry", "6") ", "
	SQL_COMMENTS_SEEN ", p.n_shares, coalesce(p.shared_from, 0), "
	"coalesce((SELECT kind FROM reactions WHERE post_id = p.id AND user_id = ?1), 0), "
	"coalesce(u.avatar_media, 0) "
	"FROM posts p JOIN users u ON u.id = p.author_id "
	"WHERE p.id = ?2 AND " SQL_POST_VISIBLE("p", "?1");

void
post_free(struct post *p)
{
	if (p == NULL)
		return;
	free(p->author_username);
	free(p->author_display_name);
	free(p->author_avatar_seed);
	free(p->text);
	free(p->reason);
	if (p->original != NULL) {
		post_free(p->original);
		free(p->original);
	}
	memset(p, 0, sizeof *p);
}

void
post_page_free(struct post_page *pg)
{
	size_t i;

	if (pg == NULL)
		return;
	for (i = 0; i < pg->n; i++)
		post_free(&pg->v[i]);
	free(pg->v);
	memset(pg, 0, sizeof *pg);
}

static void
post_fill(sqlite3_stmt *stmt, struct post *p)
{
	int64_t	v;
	int	k;

	p->id = sqlite3_column_int64(stmt, 0);
	p->author_id = sqlite3_column_int64(stmt, 1);
	p->author_username = col_text(stmt, 2);
	p->author_display_name = col_text(stmt, 3);
	p->author_avatar_seed = col_text(stmt, 4);
	p->text = col_text(stmt, 5);
	v = sqlite3_column_int64(stmt, 6);
	p->visibility = v >= VIS_PUBLIC && v <= VIS_PRIVATE ? (enum visibility)v : VIS_PRIVATE;
	p->created_at = sqlite3_column_int64(stmt, 7);
	p->edited_at = sqlite3_column_int64(stmt, 8);
	p->reaction_total = 0;
	for (k = REACT_LIKE; k < REACT_COUNT; k++) {
		v = sqlite3_column_int64(stmt, 9 + k - REACT_LIKE);
		p->reactions[k] = v > 0 ? (size_t)v : 0;
		p->reaction_total += p->reactions[k];
	}
	v = sqlite3_column_int64(stmt, 15);
	p->comments = v > 0 ? (size_t)v : 0;
	v = sqlite3_column_int64(stmt, 16);
	p->shares = v > 0 ? (size_t)v : 0;
	p->shared_from = sqlite3_column_int64(stmt, 17);
	v = sqlite3_column_int64(stmt, 18);
	p->my_reaction = v > REACT_NONE && v < REACT_COUNT ? (enum reaction)v : REACT_NONE;
	/*
	 * The avatar needs no test of its own: a viewer who sees the post is
	 * the author, or has no block with the author (public posts test it,
	 * and a block ends the friendship friends-only posts need), which is
	 * exactly who sees the avatar (SQL_AVATAR_SHOWN).
	 */
	p->author_avatar_media = sqlite3_column_int64(stmt, 19);
	p->original_state = ORIGINAL_SHOWN;
}

/* One post at a depth of shares; ERR_NOTFOUND when absent or hidden. */
static int
load_at(struct store *st, int64_t viewer, int64_t id, int depth, struct post *out)
{
	sqlite3_stmt		*stmt = NULL;
	enum post_access	 acc;
	struct post		*o;
	int			 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, sql_post, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, id);
	if ((r = stmt_row(st, stmt, "load post")) == 1) {
		post_fill(stmt, out);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	/* Reset before the original: it is read with this same statement. */
	stmt_reset(stmt);
	if (r != 0)
		return r;
	if ((r = post_media_load(st, out)) != 0)
		goto fail;
	if (out->shared_from == 0)
		return 0;
	if (depth >= SHARE_DEPTH_MAX) {
		/* A chain of shares this deep shows as unavailable rather than go on. */
		out->original_state = ORIGINAL_HIDDEN;
		return 0;
	}
	o = xcalloc(1, sizeof *o);
	if ((r = load_at(st, viewer, out->shared_from, depth + 1, o)) == 0) {
		out->original = o;
		return 0;
	}
	free(o);
	if (r != ERR_NOTFOUND)
		goto fail;
	/* Not shown: say whether it is gone or only not for this viewer. */
	if ((r = post_access(st, viewer, out->shared_from, &acc, NULL, NULL)) != 0)
		goto fail;
	out->original_state = acc == POST_ABSENT ? ORIGINAL_DELETED : ORIGINAL_HIDDEN;
	return 0;
 fail:
	post_free(out);
	return r;
}

int
post_load(struct store *st, int64_t viewer, int64_t post, struct post *out)
{
	return load_at(st, viewer, post, 0, out);
}

int
post_page_load(struct store *st, int64_t viewer, const int64_t *ids, size_t n,
    struct post_page *page)
{
	size_t	i;
	int	r;

	if (n == 0)
		return 0;
	page->v = xreallocarray(page->v, page->n + n, sizeof *page->v);
	for (i = 0; i < n; i++) {
		r = post_load(st, viewer, ids[i], &page->v[page->n]);
		if (r == ERR_NOTFOUND)
			continue;	/* the list's query already said no; belt and braces */
		if (r != 0)
			return r;
		page->n++;
	}
	return 0;
}

size_t
post_limit(size_t limit)
{
	return limit > POST_PAGE_MAX ? POST_PAGE_MAX : limit;
}

int
post_ids_collect(struct store *st, sqlite3_stmt *stmt, size_t limit, const char *what,
    int64_t **idsp, size_t *np)
{
	int r = 0;

	*idsp = xcalloc(limit + 1, sizeof **idsp);
	*np = 0;
	while (*np < limit + 1 && (r = stmt_row(st, stmt, what)) == 1) {
		(*idsp)[(*np)++] = sqlite3_column_int64(stmt, 0);
		r = 0;
	}
	stmt_reset(stmt);
	if (r != 0) {
		free(*idsp);
		*idsp = NULL;
		*np = 0;
	}
	return r;
}

int
store_post_get(struct store *st, int64_t viewer, int64_t post, struct post *out)
{
	return post_load(st, viewer, post, out);
}
