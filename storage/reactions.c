/*
 * Reactions: one per user and post, replaced by the next; the counts on the
 * post follow through triggers (migration 3). The author hears of a reactor
 * once: changing the reaction says nothing new, and removing it withdraws
 * the notification only while it is unread (so the badge never announces a
 * reaction that is gone, and toggling cannot pile notifications up).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

#define REACTORS_MAX	1000

static const struct reaction_form {
	const char	*name;
	const char	*emoji;
	const char	*ascii;
} forms[REACT_COUNT] = {
	[REACT_NONE] = { "none", "", "" },
	[REACT_LIKE] = { "like", "\xf0\x9f\x91\x8d", "+1" },		/* 👍 */
	[REACT_LOVE] = { "love", "\xe2\x9d\xa4", "<3" },		/* ❤ */
	[REACT_HAHA] = { "haha", "\xf0\x9f\x98\x82", ":D" },		/* 😂 */
	[REACT_WOW] = { "wow", "\xf0\x9f\x98\xae", ":O" },		/* 😮 */
	[REACT_SAD] = { "sad", "\xf0\x9f\x98\xa2", ":(" },		/* 😢 */
	[REACT_ANGRY] = { "angry", "\xf0\x9f\x98\xa0", ">:(" },	/* 😠 */
};

const char *
reaction_name(enum reaction r)
{
	return (size_t)r < REACT_COUNT ? forms[r].name : "none";
}

const char *
reaction_emoji(enum reaction r)
{
	return (size_t)r < REACT_COUNT ? forms[r].emoji : "";
}

const char *
reaction_ascii(enum reaction r)
{
	return (size_t)r < REACT_COUNT ? forms[r].ascii : "";
}

int
reaction_parse(const char *s, enum reaction *out)
{
	size_t	i, len;

	*out = REACT_NONE;
	if (s == NULL)
		return ERR_INVALID;
	len = strlen(s);
	for (i = REACT_LIKE; i < REACT_COUNT; i++) {
		if (strcmp(s, forms[i].name) == 0 || strcmp(s, forms[i].ascii) == 0) {
			*out = (enum reaction)i;
			return 0;
		}
		/* The emoji, alone or with the variation selector U+FE0F terminals add. */
		if (strncmp(s, forms[i].emoji, strlen(forms[i].emoji)) == 0 &&
		    (len == strlen(forms[i].emoji) ||
		    strcmp(s + strlen(forms[i].emoji), "\xef\xb8\x8f") == 0)) {
			*out = (enum reaction)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

/* me's reaction to post now (REACT_NONE for none). */
static int
reaction_of(struct store *st, int64_t me, int64_t post, enum reaction *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = REACT_NONE;
	if ((r = stmt_get(st, "SELECT kind FROM reactions WHERE post_id = ?1 AND user_id = ?2",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, post);
	sqlite3_bind_int64(stmt, 2, me);
	if ((r = stmt_row(st, stmt, "read reaction")) == 1) {
		int64_t v = sqlite3_column_int64(stmt, 0);

		*out = v > REACT_NONE && v < REACT_COUNT ? (enum reaction)v : REACT_NONE;
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

/* Run a statement bound (?1 post, ?2 me, and ?3, ?4 when it has them). */
static int
reaction_exec(struct store *st, const char *sql, int64_t post, int64_t me, int64_t a,
    int64_t b, const char *what)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r, n;

	if ((r = stmt_get(st, sql, &stmt)) != 0)
		return r;
	n = sqlite3_bind_parameter_count(stmt);
	sqlite3_bind_int64(stmt, 1, post);
	sqlite3_bind_int64(stmt, 2, me);
	if (n >= 3)
		sqlite3_bind_int64(stmt, 3, a);
	if (n >= 4)
		sqlite3_bind_int64(stmt, 4, b);
	r = stmt_done(st, stmt, what);
	stmt_reset(stmt);
	return r;
}

/* Whether author already has a reaction notification from me about post (read or not). */
static int
reaction_notified(struct store *st, int64_t author, int64_t me, int64_t post, bool *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*out = false;
	if ((r = stmt_get(st, "SELECT 1 FROM notifications WHERE actor_id = ?1 AND "
	    "user_id = ?2 AND type = 4 AND object_id = ?3", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, me);
	sqlite3_bind_int64(stmt, 2, author);
	sqlite3_bind_int64(stmt, 3, post);
	if ((r = stmt_row(st, stmt, "check reaction notification")) == 1) {
		*out = true;
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}

_Static_assert(NOTIF_REACTION == 4, "the SQL above says type = 4");

int
store_react(struct store *st, int64_t me, int64_t post, enum reaction kind,
    int64_t *authorp)
{
	enum post_access	acc;
	enum reaction		old;
	int64_t			author;
	bool			notified;
	int			r;

	*authorp = 0;
	if (kind <= REACT_NONE || kind >= REACT_COUNT)
		return ERR_INVALID;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = write_budget_take(st, me, NULL, 0)) != 0)
		goto out;
	if ((r = post_access(st, me, post, &acc, &author, NULL)) != 0)
		goto out;
	if (acc != POST_VISIBLE) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = reaction_of(st, me, post, &old)) != 0)
		goto out;
	if (old == kind) {
		r = store_commit(st);	/* already so: nothing to change or tell */
		goto out;
	}
	if (old != REACT_NONE) {
		/* A change of mind: new time (it is the newest reaction now), no new notification. */
		r = reaction_exec(st, "UPDATE reactions SET kind = ?3, created_at = ?4 "
		    "WHERE post_id = ?1 AND user_id = ?2", post, me, kind, store_now(),
		    "change reaction");
		if (r == 0)
			r = store_commit(st);
		goto out;
	}
	if ((r = reaction_exec(st, "INSERT INTO reactions (post_id, user_id, kind, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)", post, me, kind, store_now(), "react")) != 0)
		goto out;
	if (author != me) {
		if ((r = reaction_notified(st, author, me, post, &notified)) != 0)
			goto out;
		if (!notified) {
			if ((r = notif_add(st, author, NOTIF_REACTION, me, post, 0)) != 0)
				goto out;
			*authorp = author;
		}
	}
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		*authorp = 0;
	}
	return r;
}

int
store_unreact(struct store *st, int64_t me, int64_t post)
{
	enum post_access	acc;
	int64_t			author;
	int			r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = post_access(st, me, post, &acc, &author, NULL)) != 0)
		goto out;
	if (acc != POST_VISIBLE) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = reaction_exec(st, "DELETE FROM reactions WHERE post_id = ?1 AND user_id = ?2",
	    post, me, 0, 0, "unreact")) != 0)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = reaction_exec(st, "DELETE FROM notifications WHERE actor_id = ?2 AND "
	    "user_id = ?3 AND type = 4 AND object_id = ?1 AND read = 0", post, me, author, 0,
	    "withdraw reaction notification")) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

void
reactor_list_free(struct reactor_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].username);
		free(l->v[i].display_name);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
store_reactors(struct store *st, int64_t viewer, int64_t post, size_t limit,
    struct reactor_list *out)
{
	sqlite3_stmt		*stmt = NULL;
	enum post_access	 acc;
	struct reactor		*x;
	int64_t			 v;
	int			 r;

	memset(out, 0, sizeof *out);
	if (limit == 0)
		return ERR_INVALID;
	if (limit > REACTORS_MAX)
		limit = REACTORS_MAX;
	if ((r = post_access(st, viewer, post, &acc, NULL, NULL)) != 0)
		return r;
	if (acc != POST_VISIBLE)
		return ERR_NOTFOUND;
	/* Blocks hide people both ways, here as in comments. */
	if ((r = stmt_get(st, "SELECT r.user_id, u.username, u.display_name, r.kind, "
	    "r.created_at FROM reactions r JOIN users u ON u.id = r.user_id "
	    "WHERE r.post_id = ?2 AND " SQL_NO_BLOCK("r.user_id", "?1")
	    " ORDER BY r.created_at DESC, r.user_id DESC LIMIT ?3", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, post);
	sqlite3_bind_int64(stmt, 3, (int64_t)limit);
	out->v = xcalloc(limit, sizeof *out->v);
	while ((r = stmt_row(st, stmt, "list reactors")) == 1) {
		x = &out->v[out->n++];
		x->user_id = sqlite3_column_int64(stmt, 0);
		x->username = col_text(stmt, 1);
		x->display_name = col_text(stmt, 2);
		v = sqlite3_column_int64(stmt, 3);
		x->reaction = v > REACT_NONE && v < REACT_COUNT ? (enum reaction)v : REACT_LIKE;
		x->created_at = sqlite3_column_int64(stmt, 4);
	}
	stmt_reset(stmt);
	if (r != 0)
		reactor_list_free(out);
	return r;
}
