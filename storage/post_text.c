/*
 * What the text of a post, note or comment says beyond itself: whether it
 * is acceptable, its #hashtags (indexed for search and For You), its
 * @mentions (notified once per post), and the post's row of the full-text
 * index, all written in the caller's transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

int
post_text_check(const char *text, size_t min, size_t max, const char *what,
    char *why, size_t whysz)
{
	char		 reason[128];
	const char	*p;
	int		 r;

	if (text == NULL) {
		store_why(why, whysz, "%s must not be empty", what);
		return ERR_INVALID;
	}
	/* Only blanks is as empty as nothing to a reader. */
	for (p = text; *p == ' ' || *p == '\n' || *p == '\t'; p++)
		;
	if (min > 0 && *p == '\0') {
		store_why(why, whysz, "%s must not be empty", what);
		return ERR_INVALID;
	}
	if ((r = text_check(text, min, max, TEXT_MULTILINE, reason, sizeof reason)) != 0) {
		store_why(why, whysz, "%s: %s", what, reason);
		return r;
	}
	return 0;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_name_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * Whether a '#' or '@' at text + i starts a tag or a name: at the start, or
 * after a character that cannot be part of a word, an address or a URL
 * ("a@b.org", "C#", "x.org/#top" and "&#39;" are not).
 */
static bool
starts_token(const char *text, size_t i)
{
	char c;

	if (i == 0)
		return true;
	c = text[i - 1];
	if ((unsigned char)c >= 0x80 || is_name_char(c))
		return false;
	return strchr("#@/&.:=", c) == NULL;
}

/* The run of name characters at s; its length. */
static size_t
name_run(const char *s)
{
	size_t n = 0;

	while (is_name_char(s[n]))
		n++;
	return n;
}

size_t
post_hashtags(const char *text, char tags[][TAG_MAX + 1], size_t max)
{
	char	tag[TAG_MAX + 1];
	size_t	i, len, j, k, n = 0;
	bool	letter;

	for (i = 0; text[i] != '\0' && n < max; i++) {
		if (text[i] != '#' || !starts_token(text, i))
			continue;
		len = name_run(text + i + 1);
		/* A longer run is no tag at all, not a cut one that means something else. */
		if (len == 0 || len > TAG_MAX)
			continue;
		for (letter = false, j = 0; j < len; j++)
			letter |= is_alpha(text[i + 1 + j]);
		/* "#1" is an issue or a rank, not a topic. */
		if (!letter || tag_normalize(text + i + 1, len, tag, NULL, 0) != 0)
			continue;
		for (k = 0; k < n && strcmp(tags[k], tag) != 0; k++)
			;
		if (k == n)
			memcpy(tags[n++], tag, len + 1);
		i += len;
	}
	return n;
}

size_t
post_mention_names(const char *text, char names[][USERNAME_MAX + 1], size_t max)
{
	char	name[USERNAME_MAX + 1];
	size_t	i, len, j, k, n = 0;

	for (i = 0; text[i] != '\0' && n < max; i++) {
		if (text[i] != '@' || !starts_token(text, i))
			continue;
		len = name_run(text + i + 1);
		if (len < USERNAME_MIN || len > USERNAME_MAX || !is_alpha(text[i + 1]))
			continue;
		for (j = 0; j < len; j++) {
			char c = text[i + 1 + j];

			name[j] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		name[len] = '\0';
		for (k = 0; k < n && strcmp(names[k], name) != 0; k++)
			;
		if (k == n)
			memcpy(names[n++], name, len + 1);
		i += len;
	}
	return n;
}

/* Run a statement bound (?1 a, ?2 text) that returns no rows. */
static int
exec_id_text(struct store *st, const char *sql, int64_t a, const char *text,
    const char *what)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, a);
	if (text != NULL)
		sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
	r = stmt_done(st, stmt, what);
	stmt_reset(stmt);
	return r;
}

int
post_index(struct store *st, int64_t post, const char *text)
{
	char	tags[POST_TAGS_MAX][TAG_MAX + 1];
	size_t	n, i;
	int	r;

	if ((r = exec_id_text(st, "INSERT INTO posts_fts (rowid, text) VALUES (?1, ?2)",
	    post, text, "index post")) != 0)
		return r;
	n = post_hashtags(text, tags, POST_TAGS_MAX);
	for (i = 0; i < n; i++)
		if ((r = exec_id_text(st, "INSERT INTO post_tags (post_id, tag) VALUES (?1, ?2)",
		    post, tags[i], "insert hashtag")) != 0)
			return r;
	return 0;
}

int
post_unindex(struct store *st, int64_t post, const char *old_text)
{
	int r;

	/*
	 * An external-content index forgets a row only when told exactly what it
	 * indexed: old_text is the text still in the posts row.
	 */
	if ((r = exec_id_text(st, "INSERT INTO posts_fts (posts_fts, rowid, text) "
	    "VALUES ('delete', ?1, ?2)", post, old_text, "unindex post")) != 0)
		return r;
	return exec_id_text(st, "DELETE FROM post_tags WHERE post_id = ?1", post, NULL,
	    "delete hashtags");
}

int
posts_user_unindex(struct store *st, int64_t user)
{
	return exec_id_text(st, "INSERT INTO posts_fts (posts_fts, rowid, text) "
	    "SELECT 'delete', id, text FROM posts WHERE author_id = ?1", user, NULL,
	    "unindex posts of user");
}

/* The user called name, unless a block stands between them and actor; 0 when none. */
static int
mention_target(struct store *st, const char *name, int64_t actor, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*idp = 0;
	if ((r = stmt_get(st, "SELECT u.id FROM users u WHERE u.username = ?1 AND "
	    SQL_NO_BLOCK("u.id", "?2"), &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, actor);
	if ((r = stmt_row(st, stmt, "find mentioned user")) == 1) {
		*idp = sqlite3_column_int64(stmt, 0);
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

/* Record that uid heard about post; *newp false when they had before. */
static int
mention_record(struct store *st, int64_t post, int64_t uid, bool *newp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*newp = false;
	if ((r = stmt_get(st, "INSERT INTO post_mentions (post_id, user_id) VALUES (?1, ?2) "
	    "ON CONFLICT DO NOTHING", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, post);
	sqlite3_bind_int64(stmt, 2, uid);
	if ((r = stmt_done(st, stmt, "record mention")) == 0)
		*newp = sqlite3_changes(st->db) > 0;
	stmt_reset(stmt);
	return r;
}

int
post_mentions_notify(struct store *st, int64_t post, int64_t comment, int64_t actor,
    int64_t skip, const char *text, int64_t **idsp, size_t *np)
{
	char			names[POST_MENTIONS_MAX][USERNAME_MAX + 1];
	enum post_access	acc;
	size_t			n, i;
	int64_t			uid;
	bool			fresh;
	int			r;

	n = post_mention_names(text, names, POST_MENTIONS_MAX);
	for (i = 0; i < n; i++) {
		if ((r = mention_target(st, names[i], actor, &uid)) != 0)
			return r;
		if (uid == 0 || uid == actor || uid == skip)
			continue;
		/* Never tell someone about a post they may not read. */
		if ((r = post_access(st, uid, post, &acc, NULL, NULL)) != 0)
			return r;
		if (acc != POST_VISIBLE)
			continue;
		if ((r = mention_record(st, post, uid, &fresh)) != 0)
			return r;
		if (!fresh)
			continue;	/* once per post, however often it is edited */
		if ((r = notif_add(st, uid, NOTIF_MENTION, actor, post, comment)) != 0)
			return r;
		if (idsp != NULL) {
			*idsp = xreallocarray(*idsp, *np + 1, sizeof **idsp);
			(*idsp)[(*np)++] = uid;
		}
	}
	return 0;
}
