/*
 * Comments: on a post the commenter may see, oldest first, edited by their
 * author, deleted by their author or the post's. A comment is shown to those
 * who may see its post, less the comments of people a block separates from
 * the viewer (either way). The comment count on the post follows through
 * triggers (migration 3).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

void
comment_page_free(struct comment_page *pg)
{
	size_t i;

	if (pg == NULL)
		return;
	for (i = 0; i < pg->n; i++) {
		free(pg->v[i].author_username);
		free(pg->v[i].author_display_name);
		free(pg->v[i].text);
	}
	free(pg->v);
	memset(pg, 0, sizeof *pg);
}

int
store_comment_add(struct store *st, int64_t me, int64_t post, const char *text,
    int64_t *idp, int64_t *authorp, char *why, size_t whysz)
{
	sqlite3_stmt		*stmt = NULL;
	enum post_access	 acc;
	int64_t			 author;
	int			 r;

	*idp = 0;
	*authorp = 0;
	store_why_clear(why, whysz);
	if ((r = post_text_check(text, 1, COMMENT_MAX, "a comment", why, whysz)) != 0)
		return r;
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = post_access(st, me, post, &acc, &author, NULL)) != 0)
		goto out;
	if (acc != POST_VISIBLE) {
		store_why(why, whysz, "no such post");
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = stmt_get(st, "INSERT INTO comments (post_id, author_id, text, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, post);
	sqlite3_bind_int64(stmt, 2, me);
	sqlite3_bind_text(stmt, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_now());
	if ((r = stmt_done(st, stmt, "insert comment")) == 0)
		*idp = sqlite3_last_insert_rowid(st->db);
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if (author != me) {
		if ((r = notif_add(st, author, NOTIF_COMMENT, me, post, *idp)) != 0)
			goto out;
		*authorp = author;
	}
	/* Mentions in a comment are about its post; its author already hears of the comment. */
	if ((r = post_mentions_notify(st, post, *idp, me, author, text, NULL, NULL)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		*idp = 0;
		*authorp = 0;
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save the comment (storage error)");
	}
	return r;
}

/*
 * A comment and what me may do with it: *authorp wrote it, *post_authorp
 * wrote its post, *visiblep says whether me may see the post. ERR_NOTFOUND
 * when there is no such comment, or me neither wrote it nor may see the
 * post (as if it did not exist).
 */
static int
comment_find(struct store *st, int64_t me, int64_t comment, int64_t *authorp,
    int64_t *post_authorp, bool *visiblep)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*authorp = *post_authorp = 0;
	*visiblep = false;
	if ((r = stmt_get(st, "SELECT c.author_id, p.author_id, " SQL_POST_VISIBLE("p", "?1")
	    " FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, comment);
	if ((r = stmt_row(st, stmt, "find comment")) == 1) {
		*authorp = sqlite3_column_int64(stmt, 0);
		*post_authorp = sqlite3_column_int64(stmt, 1);
		*visiblep = sqlite3_column_int(stmt, 2) != 0;
		/* One's own comment stays one's own to delete, even under a post now hidden. */
		r = *visiblep || *authorp == me ? 0 : ERR_NOTFOUND;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_comment_edit(struct store *st, int64_t me, int64_t comment, const char *text,
    char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 author, post_author;
	bool		 visible;
	int		 r;

	store_why_clear(why, whysz);
	if ((r = post_text_check(text, 1, COMMENT_MAX, "a comment", why, whysz)) != 0)
		return r;
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = comment_find(st, me, comment, &author, &post_author, &visible)) == 0 &&
	    !visible)
		r = ERR_NOTFOUND;	/* editing is reading too */
	if (r != 0) {
		if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such comment");
		goto out;
	}
	if (author != me) {
		store_why(why, whysz, "you can only edit your own comments");
		r = ERR_DENIED;
		goto out;
	}
	if ((r = stmt_get(st, "UPDATE comments SET text = ?1, edited_at = ?2 WHERE id = ?3",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now());
	sqlite3_bind_int64(stmt, 3, comment);
	r = stmt_done(st, stmt, "edit comment");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not save the comment (storage error)");
	}
	return r;
}

int
store_comment_delete(struct store *st, int64_t me, int64_t comment)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 author, post_author;
	bool		 visible;
	int		 r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = comment_find(st, me, comment, &author, &post_author, &visible)) != 0)
		goto out;
	if (author != me && post_author != me) {
		r = ERR_DENIED;
		goto out;
	}
	if ((r = stmt_get(st, "DELETE FROM comments WHERE id = ?", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, comment);
	r = stmt_done(st, stmt, "delete comment");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_comments(struct store *st, int64_t viewer, int64_t post, int64_t after, size_t limit,
    struct comment_page *out)
{
	sqlite3_stmt		*stmt = NULL;
	enum post_access	 acc;
	struct comment		*c;
	int			 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	limit = post_limit(limit);
	if ((r = post_access(st, viewer, post, &acc, NULL, NULL)) != 0)
		return r;
	if (acc != POST_VISIBLE)
		return ERR_NOTFOUND;
	if ((r = stmt_get(st, "SELECT c.id, c.author_id, u.username, u.display_name, c.text, "
	    "c.created_at, c.edited_at, c.author_id = ?1 OR p.author_id = ?1 "
	    "FROM comments c JOIN posts p ON p.id = c.post_id JOIN users u ON u.id = c.author_id "
	    "WHERE c.post_id = ?2 AND c.id > ?3 AND " SQL_NO_BLOCK("c.author_id", "?1")
	    " ORDER BY c.id LIMIT ?4", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, post);
	sqlite3_bind_int64(stmt, 3, after > 0 ? after : 0);
	/* One more than asked: whether it exists says if there is a next page. */
	sqlite3_bind_int64(stmt, 4, (int64_t)limit + 1);
	out->v = xcalloc(limit, sizeof *out->v);
	while ((r = stmt_row(st, stmt, "list comments")) == 1) {
		if (out->n == limit) {
			out->next_after = out->v[out->n - 1].id;
			continue;
		}
		c = &out->v[out->n++];
		c->id = sqlite3_column_int64(stmt, 0);
		c->post_id = post;
		c->author_id = sqlite3_column_int64(stmt, 1);
		c->author_username = col_text(stmt, 2);
		c->author_display_name = col_text(stmt, 3);
		c->text = col_text(stmt, 4);
		c->created_at = sqlite3_column_int64(stmt, 5);
		c->edited_at = sqlite3_column_int64(stmt, 6);
		c->can_delete = sqlite3_column_int(stmt, 7) != 0;
	}
	stmt_reset(stmt);
	if (r != 0)
		comment_page_free(out);
	return r;
}
