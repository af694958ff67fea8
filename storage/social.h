/*
 * storage: profiles, tags, friendships, blocks, notifications and user search.
 * Conventions as in store.h: 0 or a negative ERR_*, outputs cleared on entry
 * and deep-owned by the caller, "why" buffers get a lower-case reason for
 * people. Every read takes the viewer and returns only what the viewer may
 * see; the front ends never filter.
 *
 * The privacy rules, enforced here and nowhere else:
 * - A user who blocked the viewer does not exist for the viewer (ERR_NOTFOUND
 *   from lookups, absent from lists and search). A user the viewer blocked
 *   is still found (so they can be unblocked), with relation REL_BLOCKED.
 * - Profile privacy public: everyone logged in sees it all; friends: friends
 *   (and the user) see it all; private: only the user. Anyone else sees the
 *   name and the avatar only (profile.full is false, the other fields empty).
 * - The friends list of a user is visible to whoever sees the full profile.
 * - Search matches hidden fields (bio, tags, location, job) only for viewers
 *   who may see them; everyone else is matched on username and display name.
 */
#ifndef SSHBOOK_SOCIAL_H
#define SSHBOOK_SOCIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define BIO_MAX		500	/* characters, markdown */
#define LOCATION_MAX	100
#define JOB_MAX		100
#define TAG_MAX		32	/* characters in one tag */
#define TAGS_MAX	20	/* tags per user */

enum privacy {
	PRIVACY_PUBLIC = 0,
	PRIVACY_FRIENDS = 1,
	PRIVACY_PRIVATE = 2,
};
/* "public", "friends", "private". */
const char	*privacy_name(enum privacy);
/* Parse one of those names; returns 0 or ERR_INVALID. */
int		 privacy_parse(const char *, enum privacy *);

/* How the viewer stands with a user. */
enum relation {
	REL_SELF,
	REL_NONE,
	REL_FRIEND,
	REL_REQUEST_SENT,	/* the viewer asked, no answer yet */
	REL_REQUEST_RECEIVED,	/* they asked the viewer */
	REL_BLOCKED,		/* the viewer blocked them */
};

/* ---- profiles ----------------------------------------------------------- */

struct profile {
	int64_t		 id;
	char		*username;
	char		*display_name;
	char		*avatar_seed;	/* for the identicon: the first key's fingerprint, else the username */
	int64_t		 created_at;
	bool		 full;		/* false: name and avatar only (fields below empty, counts 0) */
	char		*bio;		/* markdown, "" when empty or hidden */
	char		*location;
	char		*job;
	char		**tags;		/* ntags strings, lower case, sorted */
	size_t		 ntags;
	enum privacy	 privacy;	/* only meaningful when full */
	size_t		 friend_count;
	size_t		 mutual_count;	/* friends the viewer and the user share */
	enum relation	 relation;
	int64_t		 avatar_media;		/* the avatar image (storage/media.h), 0: none (or a block either way), use the identicon */
	int64_t		 background_media;	/* shown only with the full profile; 0: none or hidden */
};
void	profile_free(struct profile *);

/* The profile of username as viewer sees it. ERR_NOTFOUND for unknown names and for users who blocked viewer. */
int	store_profile_get(struct store *, int64_t viewer, const char *username, struct profile *out);

/*
 * Resolve a username for viewer: *idp is the user's id. ERR_NOTFOUND for an
 * unknown name or a user who blocked viewer (so a blocked user cannot even
 * learn the name exists), ERR_INVALID for a malformed name.
 */
int	store_user_lookup(struct store *, int64_t viewer, const char *username, int64_t *idp);

/*
 * Set one field of user's own profile: "name" (display name), "bio", "location",
 * "job", "tags" (the whole list: words separated by commas or blanks),
 * "privacy" (public|friends|private). Text is validated (UTF-8, no control
 * characters but newlines in the bio, the limits above); tags are 1..32 of
 * letters, digits, '-' and '_', stored lower case, at most 20. Returns 0,
 * ERR_INVALID (why says what), or ERR_DB.
 */
int	store_profile_set(struct store *, int64_t user, const char *field, const char *value,
	    char *why, size_t whysz);
/* Add or remove one tag (ERR_EXISTS: already there; ERR_NOTFOUND: not there). */
int	store_tag_add(struct store *, int64_t user, const char *tag, char *why, size_t whysz);
int	store_tag_remove(struct store *, int64_t user, const char *tag);

/* ---- friendships and blocks ------------------------------------------------ */

/*
 * Each call is one transaction that also writes the notification rows it
 * causes. The caller then sends a hub hint (TOPIC_FRIEND, and
 * TOPIC_NOTIFICATION when *notifiedp is true) to `other` and to itself.
 * Errors: ERR_INVALID (self), ERR_NOTFOUND (no such user, or no such request /
 * friendship), ERR_EXISTS (already friends, already requested), ERR_DENIED
 * (a block in either direction), ERR_DB. why gets a sentence for people.
 */
/* Ask other to be friends. If other had already asked me, this accepts instead. */
int	store_friend_request(struct store *, int64_t me, int64_t other, bool *notifiedp,
	    char *why, size_t whysz);
int	store_friend_accept(struct store *, int64_t me, int64_t other, bool *notifiedp,
	    char *why, size_t whysz);
int	store_friend_decline(struct store *, int64_t me, int64_t other, bool *notifiedp,
	    char *why, size_t whysz);
/* Withdraw my pending request (its notification disappears for other). */
int	store_friend_cancel(struct store *, int64_t me, int64_t other, bool *notifiedp,
	    char *why, size_t whysz);
int	store_friend_remove(struct store *, int64_t me, int64_t other, bool *notifiedp,
	    char *why, size_t whysz);
/* Block: ends friendship and requests both ways; other gets no notification. */
int	store_block(struct store *, int64_t me, int64_t other, char *why, size_t whysz);
int	store_unblock(struct store *, int64_t me, int64_t other, char *why, size_t whysz);
/* How me stands with other (REL_SELF when equal). */
int	store_relation(struct store *, int64_t me, int64_t other, enum relation *out);

struct user_summary {
	int64_t		 id;
	char		*username;
	char		*display_name;
	char		*avatar_seed;
	size_t		 mutual_count;	/* friends shared with the viewer */
	int64_t		 since;		/* friends since, or when the request was made */
	enum relation	 relation;	/* the viewer's relation to this user */
};
struct user_list {
	struct user_summary	*v;
	size_t			 n;
	char			*next_after;	/* keyset cursor (a username) for the next page; NULL at the end */
};
void	user_list_free(struct user_list *);

/*
 * A page of user's friends as viewer sees them, ordered by username, those
 * after `after` (NULL: from the start). filter (NULL or "") keeps only friends
 * whose username or display name contains it (case-insensitive). ERR_NOTFOUND
 * when user blocked viewer; ERR_DENIED when viewer may not see the list.
 */
int	store_friends_list(struct store *, int64_t viewer, int64_t user, const char *filter,
	    const char *after, size_t limit, struct user_list *out);
/* Pending requests to me (incoming) or from me (outgoing), newest first. */
int	store_requests_incoming(struct store *, int64_t me, struct user_list *out);
int	store_requests_outgoing(struct store *, int64_t me, struct user_list *out);
/* The users me blocked, by username. */
int	store_blocked_list(struct store *, int64_t me, struct user_list *out);

/* ---- notifications ---------------------------------------------------------- */

enum notif_type {
	NOTIF_FRIEND_REQUEST = 1,	/* actor asked to be friends */
	NOTIF_FRIEND_ACCEPT = 2,	/* actor accepted my request */
	NOTIF_FRIEND_DECLINE = 3,	/* actor declined my request */
	NOTIF_REACTION = 4,		/* actor reacted to my post (object: the post) */
	NOTIF_COMMENT = 5,		/* actor commented on my post (object: the post) */
	NOTIF_SHARE = 6,		/* actor shared my post (object: the share, a post of its own) */
	NOTIF_MENTION = 7,		/* actor mentioned me in a post or a comment (object: the post) */
	NOTIF_MESSAGE = 8,		/* actor sent me messages I have not read (object: the newest) */
	/* later issues add groups, events */
};
/*
 * "friend_request", "friend_accept", "friend_decline", "reaction", "comment",
 * "share", "mention", "message" (the JSON `type`); "unknown" for anything else.
 */
const char	*notif_type_name(enum notif_type);
/*
 * What people read after the actor's name: "sent you a friend request",
 * "accepted your friend request", "declined your friend request", "reacted
 * to your post", "commented on your post", "shared your post", "mentioned
 * you", "sent you a message"; "did something" for an unknown type. Never NULL.
 */
const char	*notif_type_text(enum notif_type);
/*
 * What to say instead of the about text when about_gone: "comment deleted",
 * "message deleted", "your post deleted" (a share of it); "deleted"
 * otherwise. Never NULL.
 */
const char	*notif_gone_text(enum notif_type);

struct notification {
	int64_t		 id;
	enum notif_type	 type;
	int64_t		 actor_id;
	char		*actor_username;
	char		*actor_display_name;
	int64_t		 object_id;	/* what it is about (0 when the actor is the object) */
	int64_t		 detail_id;	/* inside it: the comment (a comment, a mention in one); 0 none */
	bool		 read;
	int64_t		 created_at;
	/*
	 * The first words of what it is about, spaces and newlines made single
	 * spaces, cut after a word with "…" (at most 60 characters): the
	 * comment, the post (a share: my post that was shared), the message.
	 * NULL for friend notifications, for a post without text, and when
	 * about_gone: the comment, message or shared original was deleted.
	 */
	char		*about;
	bool		 about_gone;
	int64_t		 others;	/* store_notification_groups: other people in the group */
};
struct notif_page {
	struct notification	*v;
	size_t			 n;
	int64_t			 next_before;	/* keyset cursor (an id) for the next page; 0 at the end */
};
void	notif_page_free(struct notif_page *);

/*
 * me's notifications newest first, ids below `before` (0: from the newest),
 * at most limit; unread_only keeps the unread ones. Notifications whose actor
 * blocked me or whom I blocked are left out, and so are notifications about
 * a post (reaction, comment, share, mention) that me may not see now: a
 * deleted post's notifications are deleted with it, and one whose
 * visibility was narrowed, or whose author a block now separates from me,
 * drops out of the list and the unread count (and comes back if that changes).
 */
int	store_notifications(struct store *, int64_t me, bool unread_only, int64_t before,
	    size_t limit, struct notif_page *out);
/*
 * The same list as the Notifications tab shows it: similar notifications are
 * one entry (reactions to one post, comments on one post, shares of one
 * post), standing for them is the newest (its id is the entry's id and the
 * keyset cursor, its actor, time and about), `others` counts the other
 * people in it and read is true only when all of it is read. Everything else
 * is one entry each. The same privacy as store_notifications: rows it hides
 * are neither shown nor counted.
 */
int	store_notification_groups(struct store *, int64_t me, int64_t before, size_t limit,
	    struct notif_page *out);
int	store_notification_unread_count(struct store *, int64_t me, int64_t *out);
/* Mark one (ERR_NOTFOUND unless it is me's) or all read; delete one or all. */
int	store_notification_read(struct store *, int64_t me, int64_t id);
int	store_notification_read_all(struct store *, int64_t me);
int	store_notification_delete(struct store *, int64_t me, int64_t id);
int	store_notification_delete_all(struct store *, int64_t me);
/*
 * Mark read / delete the entry of store_notification_groups whose id is id:
 * every notification of its group up to id (a newer one arrived since stays).
 * ERR_NOTFOUND unless id is me's.
 */
int	store_notification_read_group(struct store *, int64_t me, int64_t id);
int	store_notification_delete_group(struct store *, int64_t me, int64_t id);

/* ---- user search -------------------------------------------------------------- */

struct search_cursor {
	double	rank;	/* rank (BM25, lower is better) of the last row of the previous page */
	int64_t	id;
	bool	set;	/* false: the first page */
	int64_t	block;	/* where that row's block of matches starts (see below); copy it along */
};
struct user_hits {
	struct user_summary	*v;
	size_t			 n;
	struct search_cursor	 next;	/* next.set is false at the end */
};
void	user_hits_free(struct user_hits *);

/*
 * Full-text search (FTS5) of users for viewer: every word of query must match
 * a word's prefix ("al" finds "alice"), best first (bm25), a page of at most
 * limit after the cursor (NULL: first page). The query is plain text: quotes,
 * '*', '(', NEAR and other FTS5 syntax are taken as text, never as syntax, so
 * no query is an error; a query with no letters or digits finds nothing.
 * Users who blocked viewer never appear; see the privacy rules above.
 *
 * Order: a user whose username is exactly the query comes first. The other
 * matches are ranked by BM25 (the weights favour username and display name;
 * no IDF, see storage/search.c) in blocks of 500 matches in index order (the
 * order accounts were made): a query that matches at most 500 users comes in
 * exact rank order; one that matches more (a two-letter prefix among 100,000
 * users) gives the best of the first block, then of the next, and so on.
 * That bounds the work per page whatever the query; paging still reaches
 * every match once. Only the first 8 words count, each up to 64 bytes.
 */
int	store_search_users(struct store *, int64_t viewer, const char *query,
	    const struct search_cursor *after, size_t limit, struct user_hits *out);

#endif
