/*
 * storage internals shared by the social modules (profiles, tags, friends,
 * blocks, notifications, search) and by users.c, which keeps the search
 * index in step with accounts. Nothing outside storage/ includes this file
 * (the unit tests may).
 */
#ifndef SSHBOOK_SOCIAL_INT_H
#define SSHBOOK_SOCIAL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "storage/social.h"
#include "storage/store-int.h"

/*
 * SQL fragments for statements about one user row aliased `u`, as seen by
 * the viewer bound as ?1. They are constant text, pasted into constant
 * statements; nothing from input ever goes into them.
 */

/*
 * True when the viewer V sees the whole profile of the user row aliased U
 * (the privacy rules in social.h); SQL_FULL is the usual u and ?1.
 */
#define SQL_FULL_OF(U, V) \
	"(" U ".privacy = 0 OR " U ".id = " V " OR (" U ".privacy = 1 AND EXISTS " \
	"(SELECT 1 FROM friendships WHERE user_id = " V " AND friend_id = " U ".id)))"
#define SQL_FULL	SQL_FULL_OF("u", "?1")

/* True when no block stands between V and the user whose id is the SQL expression U, either way. */
#define SQL_NO_BLOCK(U, V) \
	"(NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = " U " AND blocked_id = " V ")" \
	" AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = " V " AND blocked_id = " U "))"

/*
 * The profile images (media.h): V sees the avatar of the user row aliased U
 * when no block stands between them (a private profile still shows its
 * name and avatar), and the background only with the full profile as well.
 * The media visibility rule (media-int.h) and the profile read both use
 * these, so a profile never names an image its viewer could not open.
 */
#define SQL_AVATAR_SHOWN(U, V) \
	"(" U ".id = " V " OR " SQL_NO_BLOCK(U ".id", V) ")"
#define SQL_BACKGROUND_SHOWN(U, V) \
	"(" SQL_AVATAR_SHOWN(U, V) " AND " SQL_FULL_OF(U, V) ")"

/* True unless u blocked the viewer (then u does not exist for the viewer). */
#define SQL_VISIBLE \
	"NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = ?1)"

/* enum relation, in the order of the checks of store_relation (summary.c asserts the numbers). */
#define SQL_RELATION \
	"CASE WHEN u.id = ?1 THEN 0 " \
	"WHEN EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = u.id) THEN 5 " \
	"WHEN EXISTS (SELECT 1 FROM friendships WHERE user_id = ?1 AND friend_id = u.id) THEN 2 " \
	"WHEN EXISTS (SELECT 1 FROM friend_requests WHERE from_id = ?1 AND to_id = u.id) THEN 3 " \
	"WHEN EXISTS (SELECT 1 FROM friend_requests WHERE from_id = u.id AND to_id = ?1) THEN 4 " \
	"ELSE 1 END"

/* The identicon seed: the fingerprint of u's oldest key, else the username. */
#define SQL_AVATAR \
	"coalesce((SELECT fingerprint FROM user_keys WHERE user_id = u.id ORDER BY id LIMIT 1), " \
	"u.username)"

/*
 * Friends u and the viewer share: the viewer's range of friendships, each
 * looked up in u's range. Only for viewers who see u's friends (the full
 * profile), else 0: the count would tell something about a hidden list.
 */
#define SQL_MUTUAL \
	"CASE WHEN u.id = ?1 OR NOT " SQL_FULL " THEN 0 ELSE " \
	"(SELECT count(*) FROM friendships a JOIN friendships b " \
	"ON b.user_id = u.id AND b.friend_id = a.friend_id WHERE a.user_id = ?1) END"

/* The columns summary_fill reads, in its order. */
#define SQL_SUMMARY \
	"u.id, u.username, u.display_name, " SQL_AVATAR ", " SQL_MUTUAL ", " SQL_RELATION
#define SUMMARY_NCOLS	6

/* Fill s (not since) from the SQL_SUMMARY columns starting at col. */
void	summary_fill(sqlite3_stmt *, int col, struct user_summary *);
/* A cleared new element at the end of v (n elements, *allocp allocated). */
struct user_summary *summary_push(struct user_summary **v, size_t *n, size_t *allocp);
void	summary_free(struct user_summary *);

/*
 * The username of id into *namep (the caller frees), for the sentences in
 * why. ERR_NOTFOUND when there is no such user.
 */
int	user_name(struct store *, int64_t id, char **namep);
/* Whether blocker blocked blocked (one direction). */
int	block_exists(struct store *, int64_t blocker, int64_t blocked, bool *out);

/*
 * One action between me and other (friends.c, blocks.c): the steps every one
 * shares are in social_run, which clears the outputs, refuses me == other
 * with self_why, opens the transaction, finds other's name (ERR_NOTFOUND "no
 * such user"), calls run, and commits or rolls back.
 */
struct social_op {
	const char	*self_why;
	int		(*run)(struct store *, int64_t me, int64_t other, const char *name,
			    bool *notifiedp, char *why, size_t whysz);
};
int	social_run(struct store *, const struct social_op *, int64_t me, int64_t other,
	    bool *notifiedp, char *why, size_t whysz);
/* 1 when the statement (?1, ?2 bound to a and b) returns a row, 0 when not, or ERR_*. */
int	pair_exists(struct store *, const char *sql, int64_t a, int64_t b);
/* Run a statement bound (?1 a, ?2 b, and ?3 now when it has one); *np gets the rows changed. */
int	pair_exec(struct store *, const char *sql, int64_t a, int64_t b, int64_t *np);

/*
 * Add a notification for user, inside the caller's transaction. actor 0 for
 * none; detail: what inside object it is about (the comment of a
 * NOTIF_COMMENT, or of a NOTIF_MENTION made in a comment), else 0. 0 or ERR_DB.
 */
int	notif_add(struct store *, int64_t user, enum notif_type, int64_t actor,
	    int64_t object, int64_t detail);
/*
 * Delete the notifications of the given type that actor caused for user
 * (type 0: every friend notification between them); *np counts them when
 * np is not NULL.
 */
int	notif_delete_between(struct store *, int64_t user, int64_t actor,
	    enum notif_type, int64_t *np);
/* Mark read the notifications of the given type that actor caused for user. */
int	notif_mark_read_between(struct store *, int64_t user, int64_t actor,
	    enum notif_type);

/*
 * Validate and normalise one tag (an optional leading '#' dropped, folded to
 * lower case) into out (TAG_MAX + 1 bytes). 0 or ERR_INVALID with why.
 */
int	tag_normalize(const char *tag, size_t len, char *out, char *why, size_t whysz);
/* Check a whole tag list (commas or blanks between) without storing it. */
int	tags_check(const char *list, char *why, size_t whysz);
/* Replace user's tags with the list (commas or blanks between), inside a transaction. */
int	tags_replace(struct store *, int64_t user, const char *list, char *why, size_t whysz);

/*
 * Write user's row of the search index from users and user_tags (insert or
 * replace); call in the transaction that changed them. 0 or ERR_DB.
 */
int	store_user_index(struct store *, int64_t user);
/* Drop user's row from the search index (before deleting the user). */
int	store_user_unindex(struct store *, int64_t user);
/* Register the search's rank function (sshbook_rank) on the connection; store_open calls it. */
int	search_register(struct store *);
/* Register fn as the FTS5 auxiliary function name (a ranking); 0 or ERR_DB. */
int	store_fts5_function(struct store *, const char *name, fts5_extension_function fn);

/*
 * The FTS5 query for plain text: each word of letters and digits (anything
 * else separates words) as a quoted prefix ("word"*), joined by spaces (AND),
 * at most SEARCH_WORDS_MAX words of SEARCH_WORD_MAX bytes each. Returns the
 * number of words; 0 means nothing to search for. out must be
 * SEARCH_QUERY_MAX bytes.
 */
#define SEARCH_WORDS_MAX	8
#define SEARCH_WORD_MAX		64
#define SEARCH_QUERY_MAX	(SEARCH_WORDS_MAX * (SEARCH_WORD_MAX + 4) + 1)
size_t	search_query_build(const char *text, char *out);

#endif
