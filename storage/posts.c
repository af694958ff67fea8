/*
 * Writing posts: create (with media or without), edit, narrow or widen,
 * delete; and the visibility the composer starts from. Each is one
 * transaction with everything that follows from it: the search index row,
 * the hashtags, the mention notifications, the media attached, and on
 * delete the notifications about the post (its media rows go by cascade).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/media-int.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

static bool
vis_ok(enum visibility v)
{
	return v == VIS_PUBLIC || v == VIS_FRIENDS || v == VIS_PRIVATE;
}

/* Insert a post or share row (shared_from 0: none); *idp its id. */
static int
post_insert(struct store *st, int64_t author, const char *text, enum visibility vis,
    int64_t shared_from, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 now = store_now();
	int		 r;

	*idp = 0;
	if ((r = stmt_get(st, "INSERT INTO posts (author_id, text, visibility, created_at, "
	    "shared_from, active_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, author);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, (int)vis);
	sqlite3_bind_int64(stmt, 4, now);
	if (shared_from != 0)
		sqlite3_bind_int64(stmt, 5, shared_from);
	else
		sqlite3_bind_null(stmt, 5);
	if ((r = stmt_done(st, stmt, "insert post")) == 0)
		*idp = sqlite3_last_insert_rowid(st->db);
	stmt_reset(stmt);
	return r;
}

int
post_write_new(struct store *st, int64_t author, const char *text, enum visibility vis,
    int64_t shared_from, int64_t *idp, int64_t **mentionedp, size_t *nmentionedp)
{
	int r;

	if ((r = post_insert(st, author, text, vis, shared_from, idp)) != 0)
		return r;
	if ((r = post_index(st, *idp, text)) != 0)
		return r;
	return post_mentions_notify(st, *idp, 0, author, 0, text, mentionedp, nmentionedp);
}

/* Clear the mention outputs (either may be NULL). */
static void
mentioned_clear(int64_t **mentionedp, size_t *nmentionedp)
{
	if (mentionedp != NULL)
		*mentionedp = NULL;
	if (nmentionedp != NULL)
		*nmentionedp = 0;
}

/* Hand the collected ids out, or free them. */
static void
mentioned_out(int64_t *ids, size_t n, int64_t **mentionedp, size_t *nmentionedp)
{
	if (mentionedp != NULL && nmentionedp != NULL) {
		*mentionedp = ids;
		*nmentionedp = n;
	} else
		free(ids);
}

int
post_create(struct store *st, int64_t author, const char *text, enum visibility vis,
    const int64_t *media, size_t nmedia, int64_t *idp, int64_t **mentionedp,
    size_t *nmentionedp, char *why, size_t whysz)
{
	int64_t	*ids = NULL;
	size_t	 n = 0;
	int	 r;

	*idp = 0;
	mentioned_clear(mentionedp, nmentionedp);
	store_why_clear(why, whysz);
	/* Pictures say something by themselves: with media the text may be empty. */
	if (text == NULL && nmedia > 0)
		text = "";
	if ((r = post_text_check(text, nmedia > 0 ? 0 : 1, POST_MAX, "a post", why,
	    whysz)) != 0)
		return r;
	if (!vis_ok(vis)) {
		store_why(why, whysz, "visibility must be public, friends or private");
		return ERR_INVALID;
	}
	if (nmedia > POST_MEDIA_MAX || (nmedia > 0 && media == NULL)) {
		store_why(why, whysz, "a post takes up to %d images or 1 video", POST_MEDIA_MAX);
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, author, why, whysz)) != 0)
		goto out;
	/* Inside the transaction: the items must still be there and usable when attached. */
	if (nmedia > 0 && (r = post_media_check(st, author, media, nmedia, why, whysz)) != 0)
		goto out;
	if ((r = post_write_new(st, author, text, vis, 0, idp, &ids, &n)) != 0) {
		if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such user");	/* the author's foreign key */
		goto out;
	}
	if (nmedia > 0 && (r = post_media_attach(st, *idp, media, nmedia)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		*idp = 0;
		free(ids);
		ids = NULL;
		n = 0;
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save the post (storage error)");
	}
	mentioned_out(ids, n, mentionedp, nmentionedp);
	return r;
}

int
store_post_create(struct store *st, int64_t author, const char *text, enum visibility vis,
    int64_t *idp, int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz)
{
	return post_create(st, author, text, vis, NULL, 0, idp, mentionedp, nmentionedp, why,
	    whysz);
}

/*
 * The text and author of a post me may change: ERR_NOTFOUND when me may not
 * even see it, ERR_DENIED when it is someone else's. *textp is the caller's.
 */
static int
own_post(struct store *st, int64_t me, int64_t post, char **textp, int64_t *sharedp,
    char *why, size_t whysz)
{
	sqlite3_stmt		*stmt = NULL;
	enum post_access	 acc;
	int64_t			 author;
	int			 r;

	*textp = NULL;
	if (sharedp != NULL)
		*sharedp = 0;
	if ((r = post_access(st, me, post, &acc, &author, NULL)) != 0)
		return r;
	if (acc != POST_VISIBLE) {
		store_why(why, whysz, "no such post");
		return ERR_NOTFOUND;
	}
	if (author != me) {
		store_why(why, whysz, "you can only change your own posts");
		return ERR_DENIED;
	}
	if ((r = stmt_get(st, "SELECT text, coalesce(shared_from, 0) FROM posts WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, post);
	if ((r = stmt_row(st, stmt, "read post")) == 1) {
		*textp = col_text(stmt, 0);
		if (sharedp != NULL)
			*sharedp = sqlite3_column_int64(stmt, 1);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_post_edit(struct store *st, int64_t me, int64_t post, const char *text,
    int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	char		*old = NULL;
	int64_t		*ids = NULL, shared;
	size_t		 n = 0, nmedia = 0;
	int		 r;

	mentioned_clear(mentionedp, nmentionedp);
	store_why_clear(why, whysz);
	/* Checked again below, where the post says whether the text may be empty. */
	if (text == NULL || (r = post_text_check(text, 0, POST_MAX, "a post", why,
	    whysz)) != 0)
		return text == NULL ? ERR_INVALID : r;
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = own_post(st, me, post, &old, &shared, why, whysz)) != 0)
		goto out;
	/* A share's note and the text of a post with media may be empty, as when made. */
	if (shared == 0 && (r = post_media_count(st, post, &nmedia)) != 0)
		goto out;
	if (shared == 0 && nmedia == 0 && (r = post_text_check(text, 1, POST_MAX, "a post",
	    why, whysz)) != 0)
		goto out;
	if ((r = post_unindex(st, post, old)) != 0)
		goto out;
	if ((r = stmt_get(st, "UPDATE posts SET text = ?1, edited_at = ?2 WHERE id = ?3",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now());
	sqlite3_bind_int64(stmt, 3, post);
	r = stmt_done(st, stmt, "edit post");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = post_index(st, post, text)) != 0)
		goto out;
	if ((r = post_mentions_notify(st, post, 0, me, 0, text, &ids, &n)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		free(ids);
		ids = NULL;
		n = 0;
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save the post (storage error)");
	}
	free(old);
	mentioned_out(ids, n, mentionedp, nmentionedp);
	return r;
}

int
store_post_set_visibility(struct store *st, int64_t me, int64_t post, enum visibility vis)
{
	sqlite3_stmt	*stmt = NULL;
	char		*old = NULL;
	int		 r;

	if (!vis_ok(vis))
		return ERR_INVALID;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = own_post(st, me, post, &old, NULL, NULL, 0)) != 0)
		goto out;
	/*
	 * Nothing else to do: every read applies the rule to the row as it is
	 * now, so shares of it, notifications about it and search hits follow.
	 */
	if ((r = stmt_get(st, "UPDATE posts SET visibility = ?1 WHERE id = ?2", &stmt)) != 0)
		goto out;
	sqlite3_bind_int(stmt, 1, (int)vis);
	sqlite3_bind_int64(stmt, 2, post);
	r = stmt_done(st, stmt, "set post visibility");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	free(old);
	return r;
}

int
store_post_delete(struct store *st, int64_t me, int64_t post)
{
	sqlite3_stmt	*stmt = NULL;
	char		*old = NULL;
	int		 r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = own_post(st, me, post, &old, NULL, NULL, 0)) != 0)
		goto out;
	if ((r = post_unindex(st, post, old)) != 0)
		goto out;
	/*
	 * Reactions, comments, hashtags, mention records and the media
	 * attachments go by cascade (the media items stay in the gallery); the
	 * notifications only name the post, so they go by hand. Shares of it
	 * keep their row and find the original gone (ORIGINAL_DELETED).
	 */
	if ((r = stmt_get(st, "DELETE FROM notifications WHERE object_id = ?1 AND "
	    SQL_NOTIF_ABOUT_POST("notifications"), &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, post);
	r = stmt_done(st, stmt, "delete notifications about post");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = stmt_get(st, "DELETE FROM posts WHERE id = ?1", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, post);
	r = stmt_done(st, stmt, "delete post");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	free(old);
	return r;
}

int
store_default_visibility(struct store *st, int64_t user, enum visibility *out)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v;
	int		 r;

	*out = VIS_PUBLIC;
	if ((r = stmt_get(st, "SELECT default_visibility FROM users WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	if ((r = stmt_row(st, stmt, "read default visibility")) == 1) {
		v = sqlite3_column_int64(stmt, 0);
		*out = v >= VIS_PUBLIC && v <= VIS_PRIVATE ? (enum visibility)v : VIS_PRIVATE;
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_set_default_visibility(struct store *st, int64_t user, enum visibility vis)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if (!vis_ok(vis))
		return ERR_INVALID;
	if ((r = stmt_get(st, "UPDATE users SET default_visibility = ? WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int(stmt, 1, (int)vis);
	sqlite3_bind_int64(stmt, 2, user);
	if ((r = stmt_done(st, stmt, "set default visibility")) == 0 &&
	    sqlite3_changes(st->db) == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}
