/*
 * storage: posts, feeds, reactions, comments, shares and post search.
 * Conventions as in store.h and social.h: 0 or a negative ERR_*, outputs
 * cleared on entry and deep-owned by the caller, `why` for people.
 *
 * The privacy rule that must never break, enforced in every query here:
 * a viewer sees a post when it is public (and no block stands between viewer
 * and author, in either direction), friends-only and the viewer is the author
 * or the author's friend, or private and the viewer is the author. A share is
 * a post of its own with its own visibility; the post it shares is shown
 * inside it only when the viewer may see that post too (else `original` is
 * NULL and `original_state` says why). Comments, reactions, counts, search
 * hits and notifications never reveal a post the viewer may not see.
 */
#ifndef SSHBOOK_POSTS_H
#define SSHBOOK_POSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define POST_MAX	5000	/* characters of markdown */
#define COMMENT_MAX	2000
#define SHARE_NOTE_MAX	POST_MAX

enum visibility {
	VIS_PUBLIC = 0,
	VIS_FRIENDS = 1,
	VIS_PRIVATE = 2,
};
const char	*visibility_name(enum visibility);	/* "public", "friends", "private" */
int		 visibility_parse(const char *, enum visibility *);

/* Reactions: like, and a small emoji set, each with an ASCII fallback. */
enum reaction {
	REACT_NONE = 0,
	REACT_LIKE,	/* 👍 +1 */
	REACT_LOVE,	/* ❤ <3 */
	REACT_HAHA,	/* 😂 :D */
	REACT_WOW,	/* 😮 :O */
	REACT_SAD,	/* 😢 :( */
	REACT_ANGRY,	/* 😠 >:( */
	REACT_COUNT
};
const char	*reaction_name(enum reaction);	/* "like", "love", ... */
const char	*reaction_emoji(enum reaction);
const char	*reaction_ascii(enum reaction);
/* Accept a name ("love"), the emoji or the ASCII form; ERR_INVALID otherwise. */
int		 reaction_parse(const char *, enum reaction *);

/* One media item attached to a post: what a feed needs to draw it (storage/media.h has the rest). */
#define POST_MEDIA_MAX	4	/* images per post, or exactly one video */
struct post_media {
	int64_t	id;
	int	kind;		/* enum media_kind: 0 image, 1 video */
	int	state;		/* enum media_state: 0 processing, 1 ready, 2 failed */
	int	width, height;	/* pixels (of the stored copy once ready) */
	int64_t	duration_ms;	/* videos */
};

/* Why a share shows no original. */
enum original_state {
	ORIGINAL_SHOWN = 0,	/* original is filled (or the post is no share) */
	ORIGINAL_DELETED,	/* "original post deleted" */
	ORIGINAL_HIDDEN,	/* exists, but the viewer may not see it: "original post not available" */
};

struct post {
	int64_t			 id;
	int64_t			 author_id;
	char			*author_username;
	char			*author_display_name;
	char			*author_avatar_seed;
	char			*text;		/* markdown; for a share, its note ("" when none) */
	enum visibility		 visibility;
	int64_t			 created_at;
	int64_t			 edited_at;	/* 0: never edited */
	size_t			 reactions[REACT_COUNT];	/* counts by kind; [REACT_LIKE] is `likes` */
	size_t			 reaction_total;
	enum reaction		 my_reaction;	/* the viewer's, or REACT_NONE */
	size_t			 comments;
	size_t			 shares;
	int64_t			 shared_from;	/* the post this one shares; 0 for an ordinary post */
	struct post		*original;	/* the shared post as the viewer may see it, or NULL */
	enum original_state	 original_state;
	char			*reason;	/* For You only: one line saying why it is shown; else NULL */
	struct post_media	 media[POST_MEDIA_MAX];	/* attached, in the order given */
	size_t			 nmedia;
	int64_t			 author_avatar_media;	/* the author's avatar image, 0: none (the identicon) */
};
void	post_free(struct post *);	/* frees the members (and original), not p itself */

/*
 * Where the next page starts. Pass back the whole `next` of the last page,
 * unchanged: For You and post search use `before` too (For You: the newest
 * post id of the first page; search: the block of matches, see post_search.c).
 */
struct post_cursor {
	int64_t	before;		/* Home and timelines: posts with id < before (0: the newest) */
	double	score;		/* For You: continue after this (score, id) ... */
	int64_t	score_id;
	int64_t	as_of;		/* ... of the ranking taken at this time (so pages agree) */
	bool	set;		/* false: the first page */
};
struct post_page {
	struct post		*v;
	size_t			 n;
	struct post_cursor	 next;	/* next.set is false at the end */
};
void	post_page_free(struct post_page *);

/* ---- writing ------------------------------------------------------------- */

/*
 * Create a post. text: 1..POST_MAX characters, valid UTF-8, no control
 * characters but newline and tab. Mentions (@name) notify each mentioned user
 * who may see the post (NOTIF_MENTION, object = the post); hashtags (#tag)
 * are indexed for search. *idp gets the id. The ids of the users notified
 * come back in *mentionedp (*nmentionedp of them; the caller frees; both may
 * be NULL) so the caller can hint TOPIC_NOTIFICATION to each.
 */
int	store_post_create(struct store *, int64_t author, const char *text, enum visibility,
	    int64_t *idp, int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz);
/* Edit own post's text (marks it edited; new mentions notify). ERR_DENIED: not the author. */
int	store_post_edit(struct store *, int64_t me, int64_t post, const char *text,
	    int64_t **mentionedp, size_t *nmentionedp, char *why, size_t whysz);
/* Change own post's visibility (narrowing also hides it inside existing shares). */
int	store_post_set_visibility(struct store *, int64_t me, int64_t post, enum visibility);
/*
 * Delete own post with its comments, reactions and the notifications about it;
 * shares of it then show ORIGINAL_DELETED (ids are never reused). Edit,
 * set_visibility and delete: ERR_NOTFOUND when me may not see the post,
 * ERR_DENIED when it is someone else's; nothing changes on an error.
 */
int	store_post_delete(struct store *, int64_t me, int64_t post);

/*
 * Share a post the viewer may see, with an optional note (NULL or "" for
 * none). Refused (ERR_DENIED) for a private post and for posts the sharer may
 * not see (ERR_NOTFOUND, as if absent). The original's author is notified
 * (NOTIF_SHARE, object = the new share) unless they shared it themselves or
 * may not see the share. *authorp gets the original's author id for the hint
 * when they were notified, else 0. A note is 0..SHARE_NOTE_MAX characters;
 * its hashtags are indexed and its mentions notified like a post's. Sharing a
 * share is allowed: shared_from is the post shared, and a reader sees the
 * chain as far as they may and at most two levels below the share (a third
 * level shows as ORIGINAL_HIDDEN).
 */
int	store_share(struct store *, int64_t me, int64_t post, const char *note, enum visibility,
	    int64_t *idp, int64_t *authorp, char *why, size_t whysz);

/*
 * React (replacing the viewer's earlier reaction); notifies the author
 * (NOTIF_REACTION) once per post and reactor: *authorp is the author's id
 * when this call notified them, else 0. ERR_NOTFOUND for a post the viewer
 * may not see, ERR_INVALID for REACT_NONE or an unknown kind.
 */
int	store_react(struct store *, int64_t me, int64_t post, enum reaction, int64_t *authorp);
/*
 * Remove the viewer's reaction (ERR_NOTFOUND when there was none). The
 * reaction notification is withdrawn if the author has not read it yet.
 */
int	store_unreact(struct store *, int64_t me, int64_t post);

struct reactor {
	int64_t		 user_id;
	char		*username;
	char		*display_name;
	enum reaction	 reaction;
	int64_t		 created_at;
};
struct reactor_list {
	struct reactor	*v;
	size_t		 n;
};
void	reactor_list_free(struct reactor_list *);
/* Who reacted to a post the viewer may see, newest first (users a block separates from the viewer, either way, left out). */
int	store_reactors(struct store *, int64_t viewer, int64_t post, size_t limit,
	    struct reactor_list *out);

/* ---- comments ---------------------------------------------------------------- */

struct comment {
	int64_t	 id;
	int64_t	 post_id;
	int64_t	 author_id;
	char	*author_username;
	char	*author_display_name;
	char	*text;
	int64_t	 created_at;
	int64_t	 edited_at;
	bool	 can_delete;	/* the viewer wrote it or wrote the post */
};
struct comment_page {
	struct comment	*v;
	size_t		 n;
	int64_t		 next_after;	/* keyset cursor (an id) for the next page; 0 at the end */
};
void	comment_page_free(struct comment_page *);

/*
 * Comment on a post the viewer may see: 1..COMMENT_MAX characters. Notifies
 * the post's author (NOTIF_COMMENT, object = the post; *authorp is their id
 * when notified, else 0) and the users it mentions who may see the post
 * (NOTIF_MENTION, object = the post, once per post and user).
 */
int	store_comment_add(struct store *, int64_t me, int64_t post, const char *text,
	    int64_t *idp, int64_t *authorp, char *why, size_t whysz);
/* Edit own comment (ERR_DENIED otherwise). */
int	store_comment_edit(struct store *, int64_t me, int64_t comment, const char *text,
	    char *why, size_t whysz);
/* Delete a comment: its author, or the author of the post it is on (ERR_DENIED for others). */
int	store_comment_delete(struct store *, int64_t me, int64_t comment);
/*
 * Comments of a post the viewer may see, oldest first, ids after `after` (0:
 * from the first); comments by users a block separates from the viewer
 * (either way) are left out. ERR_NOTFOUND for a post the viewer may not see.
 */
int	store_comments(struct store *, int64_t viewer, int64_t post, int64_t after, size_t limit,
	    struct comment_page *out);

/* ---- reading ------------------------------------------------------------------- */

/* One post as the viewer may see it (ERR_NOTFOUND when absent or not visible). */
int	store_post_get(struct store *, int64_t viewer, int64_t post, struct post *out);
/* Home: the viewer's own and friends' posts and shares the viewer may see, newest first. */
int	store_feed_home(struct store *, int64_t viewer, const struct post_cursor *after,
	    size_t limit, struct post_page *out);
/*
 * For You: posts the viewer may see and did not write, ranked by engagement
 * with time decay, shared tags and hashtags, friends of friends and recent
 * activity (docs/foryou.md has the formula); each post's `reason` says why.
 * Never the same post twice on one page or across the pages of one cursor;
 * useful with zero friends (public posts of everyone).
 */
int	store_feed_foryou(struct store *, int64_t viewer, const struct post_cursor *after,
	    size_t limit, struct post_page *out);
/*
 * A user's posts and shares as the viewer may see them, newest first.
 * ERR_NOTFOUND for an unknown user or one who blocked the viewer; a user
 * the viewer blocked has an empty timeline (their public posts are hidden).
 */
int	store_timeline(struct store *, int64_t viewer, int64_t user, const struct post_cursor *after,
	    size_t limit, struct post_page *out);
/*
 * Full-text search of posts the viewer may see (FTS5, words as prefixes, the
 * same safe query building as user search); a query that is one #hashtag finds
 * the posts carrying it. Best first; paginated with the cursor's score fields.
 */
int	store_search_posts(struct store *, int64_t viewer, const char *query,
	    const struct post_cursor *after, size_t limit, struct post_page *out);

/*
 * Who should hear that a post appeared or changed (for hub hints): the author
 * first, then everyone whose Home may show it (the author's friends for
 * public and friends posts), at most max of them (0: all; a session asks
 * for one more than it would hint itself, to learn whether there are more
 * without reading thousands of rows). The caller frees *idsp.
 */
int	store_post_audience(struct store *, int64_t post, size_t max, int64_t **idsp,
	    size_t *np);
/*
 * The audience of any non-private post author writes: author first, then
 * every friend; at most max (0: all). For hints about a post already deleted
 * (the worker's fan-out, worker/fanout.h). The caller frees *idsp.
 */
int	store_author_audience(struct store *, int64_t author, size_t max, int64_t **idsp,
	    size_t *np);

/* ---- settings -------------------------------------------------------------------- */

/* The visibility new posts get unless the author chooses (public by default). */
int	store_default_visibility(struct store *, int64_t user, enum visibility *out);
int	store_set_default_visibility(struct store *, int64_t user, enum visibility);

#endif
