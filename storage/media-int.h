/*
 * storage internals shared by the media modules (media.c, previews.c,
 * jobs.c) and by the post code that creates and loads posts with media
 * (posts.c, post_load.c). Nothing outside storage/ includes this file (the
 * unit tests may).
 */
#ifndef SSHBOOK_MEDIA_INT_H
#define SSHBOOK_MEDIA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/media.h"
#include "storage/posts-int.h"
#include "storage/social-int.h"

/*
 * THE privacy rule for media (media.h), as SQL: true when the viewer V may
 * see the media row aliased M. Like SQL_POST_VISIBLE, constant text pasted
 * into constant statements, e.g. SQL_MEDIA_VISIBLE("m", "?1"); every read of
 * a media item, a gallery and a count uses it, and the profile images and
 * post attachments come from the very predicates it is made of
 * (SQL_AVATAR_SHOWN, SQL_BACKGROUND_SHOWN, SQL_POST_VISIBLE).
 *
 *   the owner, always;
 *   anyone else with no block between them and the owner, either way, when
 *   it is the owner's avatar, or the owner's background and V sees the full
 *   profile, or it is attached to a post V may see.
 *
 * Each test is a probe of a primary key or an index (users by id,
 * post_media_media, then posts by id).
 */
#define SQL_MEDIA_VISIBLE(M, V) \
	"(" M ".owner_id = " V \
	" OR (" SQL_NO_BLOCK(M ".owner_id", V) \
	" AND (EXISTS (SELECT 1 FROM users mu WHERE mu.id = " M ".owner_id" \
	" AND (mu.avatar_media = " M ".id OR (mu.background_media = " M ".id" \
	" AND " SQL_FULL_OF("mu", V) ")))" \
	" OR EXISTS (SELECT 1 FROM post_media mpm JOIN posts mp ON mp.id = mpm.post_id" \
	" WHERE mpm.media_id = " M ".id AND " SQL_POST_VISIBLE("mp", V) "))))"

/* The job kind of processing one media item (arg: its id). */
#define JOB_KIND_MEDIA	"media"

/* ---- jobs.c ------------------------------------------------------------------- */

/* Queue a job inside the caller's transaction (store_job_add without the checks). */
int	job_insert(struct store *, const char *kind, int64_t arg, int64_t *idp);

/* ---- media.c ---------------------------------------------------------------- */

/*
 * Mark an item FAILED with why (NULL or "": a default) and clear it as a
 * profile image, inside the caller's transaction. only_pending: leave an
 * item that is no longer PENDING alone (0); otherwise ERR_NOTFOUND when
 * there is no such item.
 */
int	media_mark_failed(struct store *, int64_t id, const char *why, bool only_pending);

/* What posts.c and post_load.c need: */

/*
 * Check the media a new post by author would carry (media.h,
 * store_post_create_media), inside the caller's transaction. 0, or
 * ERR_INVALID / ERR_NOTFOUND / ERR_DENIED with why.
 */
int	post_media_check(struct store *, int64_t author, const int64_t *media, size_t n,
	    char *why, size_t whysz);
/* Attach the checked media to post, in order, inside the caller's transaction. */
int	post_media_attach(struct store *, int64_t post, const int64_t *media, size_t n);
/* How many media post carries (0 for none or no such post). */
int	post_media_count(struct store *, int64_t post, size_t *np);
/*
 * Fill p->media and p->nmedia from post_media, in order. No privacy test of
 * its own: the caller has just read the post under SQL_POST_VISIBLE, and
 * media attached to a post the viewer sees are visible by the rule above.
 */
int	post_media_load(struct store *, struct post *p);

#endif
