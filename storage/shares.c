/*
 * Shares: a post of its own (its text is the note, its visibility its own)
 * that points at the post it shares. What a reader sees of the original is
 * decided when it is read (post_load.c), never copied here, so narrowing or
 * deleting the original takes effect inside every share at once.
 */
#include <stdlib.h>

#include "common/err.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

int
store_share(struct store *st, int64_t me, int64_t post, const char *note,
    enum visibility vis, int64_t *idp, int64_t *authorp, char *why, size_t whysz)
{
	enum post_access	 acc;
	enum visibility		 ovis;
	enum post_access	 sacc;
	int64_t			 author;
	int			 r;

	*idp = 0;
	*authorp = 0;
	store_why_clear(why, whysz);
	if (note == NULL)
		note = "";
	if ((r = post_text_check(note, 0, SHARE_NOTE_MAX, "a note", why, whysz)) != 0)
		return r;
	if (vis != VIS_PUBLIC && vis != VIS_FRIENDS && vis != VIS_PRIVATE) {
		store_why(why, whysz, "visibility must be public, friends or private");
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = write_budget_take(st, me, why, whysz)) != 0)
		goto out;
	if ((r = post_access(st, me, post, &acc, &author, &ovis)) != 0)
		goto out;
	/* A post me may not see answers exactly like one that does not exist. */
	if (acc != POST_VISIBLE) {
		store_why(why, whysz, "no such post");
		r = ERR_NOTFOUND;
		goto out;
	}
	if (ovis == VIS_PRIVATE) {
		store_why(why, whysz, "private posts cannot be shared");
		r = ERR_DENIED;
		goto out;
	}
	if ((r = post_write_new(st, me, note, vis, post, idp, NULL, NULL)) != 0)
		goto out;
	/* The original's author hears of it, if they may see the share itself. */
	if (author != me) {
		if ((r = post_access(st, author, *idp, &sacc, NULL, NULL)) != 0)
			goto out;
		if (sacc == POST_VISIBLE) {
			if ((r = notif_add(st, author, NOTIF_SHARE, me, *idp, 0)) != 0)
				goto out;
			*authorp = author;
		}
	}
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		*idp = 0;
		*authorp = 0;
		if (r == ERR_DB || r == ERR_INTERNAL)
			store_why(why, whysz, "could not share the post (storage error)");
	}
	return r;
}
