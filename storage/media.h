/*
 * storage: media items (uploaded images and videos), their attachment to
 * posts, avatars and backgrounds and the rendered-preview cache (the job
 * table the worker processes them from is storage/jobs.h). Conventions as in store.h: 0 or a
 * negative ERR_*, outputs cleared on entry and deep-owned by the caller.
 *
 * Files are not touched here (media/pipeline.h names them); a row is the
 * truth about what exists. Privacy, enforced in every read here: the owner
 * sees all of their media; anyone else sees a media item only when no block
 * stands between them and the owner, and it is the owner's current avatar,
 * or the owner's current background and the viewer may see the full
 * profile, or it is attached to a post the viewer may see (posts.h rule).
 * Anything else is ERR_NOTFOUND, as if absent.
 */
#ifndef SSHBOOK_MEDIA_STORE_H
#define SSHBOOK_MEDIA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/posts.h"

struct store;

#define MEDIA_PER_USER_MAX	1000	/* items in one gallery; more: ERR_BUSY "gallery full" */

enum media_kind {
	MEDIA_IMAGE = 0,
	MEDIA_VIDEO = 1,
};
enum media_state {
	MEDIA_PENDING = 0,	/* validated and stored as uploaded; the worker has a job for it */
	MEDIA_READY = 1,	/* stored copy and preview source made */
	MEDIA_FAILED = 2,	/* processing failed for good (error says why) */
};
const char	*media_kind_name(enum media_kind);	/* "image", "video" */
const char	*media_state_name(enum media_state);	/* "processing", "ready", "failed" */

struct media {
	int64_t			 id;
	int64_t			 owner_id;
	char			*owner_username;
	enum media_kind		 kind;
	enum media_state	 state;
	char			*format;	/* of the upload: "jpeg", "png", "gif", "webp", "mp4", "webm" */
	char			*stored_format;	/* of the stored copy ("jpeg", "png", the video's); "" until ready */
	int			 width, height;	/* the upload's until ready, then the stored copy's */
	int64_t			 duration_ms;	/* videos; 0 otherwise */
	int64_t			 orig_bytes;	/* as uploaded */
	int64_t			 stored_bytes;	/* of the stored copy; 0 until ready */
	int64_t			 created_at;
	char			*error;		/* failed: why, for people; else "" */
	bool			 is_avatar;	/* the owner's current avatar */
	bool			 is_background;
	size_t			 post_count;	/* posts it is attached to that the viewer may see */
};
void	media_free(struct media *);

struct media_list {
	struct media	*v;
	size_t		 n;
	int64_t		 next_before;	/* keyset cursor (an id) for the next page; 0 at the end */
};
void	media_list_free(struct media_list *);

/*
 * Uploads cost the server a decode in the sandbox, a re-encode and disk: at
 * most MEDIA_UPLOADS_PER_WINDOW new items per user in MEDIA_UPLOAD_WINDOW
 * seconds (deleted ones no longer count).
 */
#define MEDIA_UPLOADS_PER_WINDOW	30
#define MEDIA_UPLOAD_WINDOW		600

/*
 * May owner upload one more item at time now, with in_flight other uploads
 * of theirs still arriving (counted as if done, so 30 parallel transfers
 * cannot all start)? 0, or ERR_BUSY with a sentence in why ("your gallery is
 * full (1000 items): delete some first", "too many uploads: at most 30 in 10
 * minutes; try again in a few minutes"). Callers ask when a transfer starts,
 * and again before spending a decode on the file; store_media_add checks
 * the gallery again.
 */
int	store_media_upload_allowed(struct store *, int64_t owner, int64_t now, int in_flight,
	    char *why, size_t whysz);

/*
 * Record a validated upload for owner: a PENDING row and, in the same
 * transaction, a job ("media", id) for the worker. format is a name as
 * above, of the kind given. ERR_INVALID (format/kind; width and height
 * below 1 for an image, or over 40 megapixels; orig_bytes below 1 or over
 * 10 MiB for an image, 50 MiB for a video; a negative duration),
 * ERR_BUSY (gallery full: MEDIA_PER_USER_MAX), ERR_NOTFOUND (no such
 * owner). *idp gets the id; ids are never reused.
 */
int	store_media_add(struct store *, int64_t owner, enum media_kind, const char *format,
	    int width, int height, int64_t duration_ms, int64_t orig_bytes, int64_t *idp);
/*
 * The same, with place(id, ctx) called inside the transaction once the row
 * and its job exist, before the commit: the importer moves the upload to
 * the name the id gives it there (cli/upload.c). An importer killed at any
 * point then leaves either no row (the file, under either name, is the
 * spool sweep's: media/spool.h) or the row with its file, never a row
 * whose file is missing. A nonzero return from place rolls it all back and
 * is returned; so is a failed commit, after place moved the file.
 */
int	store_media_add_placed(struct store *, int64_t owner, enum media_kind,
	    const char *format, int width, int height, int64_t duration_ms, int64_t orig_bytes,
	    int (*place)(int64_t id, void *ctx), void *ctx, int64_t *idp);

/* One item as viewer may see it (rule above). ERR_NOTFOUND otherwise. */
int	store_media_get(struct store *, int64_t viewer, int64_t id, struct media *out);

/*
 * For the worker and the importer, which act for the owner: one item with
 * no privacy check, as its owner sees it. Never use it to show an item to
 * a person. ERR_NOTFOUND.
 */
int	store_media_worker_get(struct store *, int64_t id, struct media *out);

/*
 * owner's gallery as viewer sees it, newest first, ids below before (0: from
 * the newest), at most limit (0 is ERR_INVALID; over 100 reads as 100).
 * ERR_NOTFOUND: unknown owner, or one who blocked viewer (an owner the
 * viewer blocked has an empty gallery).
 */
int	store_media_gallery(struct store *, int64_t viewer, int64_t owner, int64_t before,
	    size_t limit, struct media_list *out);

/*
 * The worker: processing finished. Sets READY with the stored copy's facts
 * (stored_format of the item's kind, pixels as for store_media_add,
 * 1..64 MiB).
 * ERR_NOTFOUND (deleted meanwhile: drop the files and end the job),
 * ERR_INVALID.
 */
int	store_media_ready(struct store *, int64_t id, const char *stored_format, int width,
	    int height, int64_t stored_bytes, int64_t duration_ms);
/*
 * The posts media_id is attached to (for the worker's hints: their audience's
 * screens show the picture once it is processed). No privacy check: the ids
 * go only into hub hints, never to a person. *postsp is malloc'd.
 */
int	store_media_posts(struct store *, int64_t media_id, int64_t **postsp, size_t *np);

/*
 * The worker: processing failed for good; why (for people; NULL: a default;
 * cut to 200 bytes) is kept. The item also stops being its owner's avatar
 * or background, as a failed item cannot be one. ERR_NOTFOUND.
 */
int	store_media_failed(struct store *, int64_t id, const char *why);

/*
 * Delete own media: detached from posts (a post keeps its other media and
 * text), no longer avatar or background, its cached previews and its queued
 * or failed jobs gone (a running job's worker finds the item gone).
 * Files: *stored_formatp (may be NULL; caller frees) names the stored copy
 * ("" while it was never made). ERR_NOTFOUND (not visible), ERR_DENIED
 * (someone else's).
 */
int	store_media_delete(struct store *, int64_t me, int64_t id, char **stored_formatp);

/* ---- avatars and backgrounds ---------------------------------------------- */

enum profile_image {
	PROFILE_AVATAR = 0,
	PROFILE_BACKGROUND = 1,
};
/*
 * Set (media_id > 0) or clear (0) my avatar or background. The media must be
 * mine, an image, and not FAILED (a PENDING one shows once ready).
 * ERR_NOTFOUND (no such user, or media I may not see), ERR_DENIED (someone
 * else's), ERR_INVALID (a video, a failed item; why says so).
 */
int	store_profile_set_image(struct store *, int64_t me, enum profile_image, int64_t media_id,
	    char *why, size_t whysz);
/*
 * The avatar / background media id of user as viewer may see it (0: none or
 * not visible: a block either way, or a background behind a profile the
 * viewer may not see in full). ERR_NOTFOUND for an unknown user or one who
 * blocked viewer. Cheap: one indexed read. store_profile_get (social.h) and
 * every post (author_avatar_media) carry the same answer.
 */
int	store_profile_image(struct store *, int64_t viewer, int64_t user, enum profile_image,
	    int64_t *media_idp);

/* ---- posts with media ------------------------------------------------------- */

/*
 * Create a post with media attached, in one transaction with the post itself
 * (same rules and outputs as store_post_create in posts.h), except that text
 * may be empty (or NULL) when nmedia > 0; so may an edit of it
 * (store_post_edit). nmedia 0 is store_post_create. media: 0..POST_MEDIA_MAX ids of my own
 * media, not FAILED, no repeats, either all images or exactly one video.
 * ERR_INVALID with why ("a post takes up to 4 images or 1 video", "media 7
 * could not be processed"), ERR_NOTFOUND / ERR_DENIED for an unknown or
 * someone else's media id (why names it).
 */
int	store_post_create_media(struct store *, int64_t author, const char *text,
	    enum visibility, const int64_t *media, size_t nmedia, int64_t *idp,
	    int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz);

/* ---- the preview cache ------------------------------------------------------ */

/*
 * Rendered previews (media/preview.h cell grids, serialized) per (media,
 * cols, rows, colors: 0, 8, 16 or 256). No privacy check here: callers got the
 * media id from a read that did one. get: ERR_NOTFOUND when not cached;
 * *blobp malloc'd. put replaces; ERR_INVALID (cols or rows outside 1..2000,
 * colors none of the three, an empty or over 16 MiB blob), ERR_NOTFOUND (the media is gone). A bounded number of
 * shapes is kept per media (the one just put always); rows go with their
 * media.
 */
int	store_preview_get(struct store *, int64_t media_id, int cols, int rows, int colors,
	    uint8_t **blobp, size_t *blobn);
int	store_preview_put(struct store *, int64_t media_id, int cols, int rows, int colors,
	    const uint8_t *blob, size_t blobn);

#endif
