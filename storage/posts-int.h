/*
 * storage internals shared by the post modules (visibility, posts, post_load,
 * post_text, feeds, foryou, reactions, comments, shares, post_search,
 * gen_posts) and by notifications.c and users.c. Nothing outside storage/
 * includes this file (the unit tests may).
 */
#ifndef SSHBOOK_POSTS_INT_H
#define SSHBOOK_POSTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "storage/posts.h"
#include "storage/social-int.h"
#include "storage/store-int.h"

/* The largest page any post list returns (bigger limits are cut to this). */
#define POST_PAGE_MAX	100

/*
 * THE privacy rule for posts (posts.h), as SQL: true when the viewer V may
 * see the post row aliased P. Both are SQL text given as string literals,
 * e.g. SQL_POST_VISIBLE("p", "?1"); this is constant text pasted into
 * constant statements, nothing from input ever goes into it. Every query
 * that shows a post, a count, a comment, a reactor, a search hit or a
 * notification about a post uses it, and nothing else decides.
 *
 *   the author, always;
 *   public: anyone, unless a block stands between V and the author, either way;
 *   friends: the author's friends (a block ends a friendship, so no block check);
 *   private: nobody else.
 *
 * Each test is one probe of a primary key or an index.
 */
#define SQL_POST_VISIBLE(P, V) \
	"(" P ".author_id = " V \
	" OR (" P ".visibility = 0" \
	" AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = " P ".author_id" \
	" AND blocked_id = " V ")" \
	" AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = " V \
	" AND blocked_id = " P ".author_id))" \
	" OR (" P ".visibility = 1 AND EXISTS (SELECT 1 FROM friendships" \
	" WHERE user_id = " V " AND friend_id = " P ".author_id)))"

/* SQL_NO_BLOCK(U, V), no block between V and the user U either way, is in social-int.h. */

/* Notification types whose object is a post (NOTIF_SHARE: the share, itself a post). */
#define SQL_NOTIF_ABOUT_POST(N)	"(" N ".type BETWEEN 4 AND 7)"

/* ---- visibility.c ------------------------------------------------------------ */

enum post_access {
	POST_ABSENT,	/* no such post (or deleted) */
	POST_HIDDEN,	/* exists, the viewer may not see it */
	POST_VISIBLE,
};
/*
 * How viewer stands with post; with *authorp (may be NULL) the author and
 * *visp (may be NULL) the visibility, filled whenever the post exists.
 */
int	post_access(struct store *, int64_t viewer, int64_t post, enum post_access *out,
	    int64_t *authorp, enum visibility *visp);

/* ---- post_text.c: what a text says, and the rows that follow from it ---------- */

/*
 * Check a post, note or comment: valid UTF-8, no control characters but
 * newline and tab, min..max characters, and (min > 0) not only blanks.
 * 0 or ERR_INVALID with a reason in why.
 */
int	post_text_check(const char *text, size_t min, size_t max, const char *what,
	    char *why, size_t whysz);

#define POST_TAGS_MAX		20	/* hashtags indexed per post */
#define POST_MENTIONS_MAX	20	/* users notified per text */

/*
 * The hashtags of text (#tag: a letter, digit, '_' or '-' run of 1..TAG_MAX
 * with at least one letter, not preceded by a word character), lower case,
 * without duplicates, at most POST_TAGS_MAX, into tags; returns how many.
 */
size_t	post_hashtags(const char *text, char tags[][TAG_MAX + 1], size_t max);
/*
 * The @names of text (well-formed usernames, not preceded by a word
 * character or '@'), lower case, without duplicates, at most max.
 */
size_t	post_mention_names(const char *text, char names[][USERNAME_MAX + 1], size_t max);

/* Write post's search index row and hashtags from text (a new post). */
int	post_index(struct store *, int64_t post, const char *text);
/* Remove post's search index row (old_text: what was indexed) and hashtags. */
int	post_unindex(struct store *, int64_t post, const char *old_text);
/* Drop the search index rows of every post by user (before the user is deleted). */
int	posts_user_unindex(struct store *, int64_t user);

/*
 * Notify the users text mentions (NOTIF_MENTION from actor, object = post,
 * detail = comment when the text is that comment's, else 0) who may see post, have no block with actor, are neither actor nor skip
 * (0: nobody; a comment's post author, who hears of the comment anyway) and
 * were never told about this post before; append each one's id to *idsp
 * (*np of them; the caller frees; idsp may be NULL). Inside the caller's
 * transaction.
 */
int	post_mentions_notify(struct store *, int64_t post, int64_t comment, int64_t actor,
	    int64_t skip, const char *text, int64_t **idsp, size_t *np);

/* ---- posts.c ------------------------------------------------------------------ */

/*
 * Insert a post (shared_from 0) or a share, index it and notify its
 * mentions, inside the caller's transaction; *idp the new id. The text is
 * already checked.
 */
int	post_write_new(struct store *, int64_t author, const char *text, enum visibility,
	    int64_t shared_from, int64_t *idp, int64_t **mentionedp, size_t *nmentionedp);
/*
 * store_post_create with 0..POST_MEDIA_MAX media attached (store_post_create_media
 * in media.h has the rules; post_media_check in media-int.h applies them):
 * one transaction, and the text may be empty when nmedia > 0.
 */
int	post_create(struct store *, int64_t author, const char *text, enum visibility,
	    const int64_t *media, size_t nmedia, int64_t *idp, int64_t **mentionedp,
	    size_t *nmentionedp, char *why, size_t whysz);

/* ---- post_load.c: posts as a viewer sees them ---------------------------------- */

/* How many levels of shares of shares are resolved below a post (then ORIGINAL_HIDDEN). */
#define SHARE_DEPTH_MAX	2

/* Load one post for viewer into *out (cleared first); ERR_NOTFOUND when absent or hidden. */
int	post_load(struct store *, int64_t viewer, int64_t post, struct post *out);
/* Append the posts with these ids as viewer sees them to page (ids it may not see are skipped). */
int	post_page_load(struct store *, int64_t viewer, const int64_t *ids, size_t n,
	    struct post_page *page);

/* ---- shared by the page builders ------------------------------------------------ */

/* Clamp a limit to 1..POST_PAGE_MAX (0 is ERR_INVALID for the caller). */
size_t	post_limit(size_t limit);
/*
 * Collect the ids a statement returns in column 0, at most limit + 1 (one
 * more than asked says there is a next page) into *idsp / *np; the caller
 * frees. The statement is stepped to its end or to limit + 1 rows, then reset.
 */
int	post_ids_collect(struct store *, sqlite3_stmt *, size_t limit, const char *what,
	    int64_t **idsp, size_t *np);

/* ---- post_search.c ------------------------------------------------------------------ */

/* Register the post search's rank function on the connection; store_open calls it. */
int	post_search_register(struct store *);

#endif
