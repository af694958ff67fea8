/*
 * Profiles: reading one as a viewer sees it, resolving names for a viewer,
 * and the owner setting one field at a time. The privacy rules of social.h
 * are decided inside the SQL (SQL_FULL, SQL_VISIBLE, and SQL_AVATAR_SHOWN
 * and SQL_BACKGROUND_SHOWN for the images), so no caller can see a field it
 * should not. Setting the images is media.c's (store_profile_set_image).
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store.h"

static const char *const privacy_names[] = {
	[PRIVACY_PUBLIC] = "public",
	[PRIVACY_FRIENDS] = "friends",
	[PRIVACY_PRIVATE] = "private",
};
#define NPRIVACY (sizeof privacy_names / sizeof privacy_names[0])

const char *
privacy_name(enum privacy p)
{
	if ((size_t)p < NPRIVACY)
		return privacy_names[p];
	return "private";	/* an unknown value reads as the safest one */
}

int
privacy_parse(const char *s, enum privacy *out)
{
	size_t i;

	*out = PRIVACY_PUBLIC;
	if (s == NULL)
		return ERR_INVALID;
	for (i = 0; i < NPRIVACY; i++)
		if (strcmp(s, privacy_names[i]) == 0) {
			*out = (enum privacy)i;
			return 0;
		}
	return ERR_INVALID;
}

void
profile_free(struct profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->username);
	free(p->display_name);
	free(p->avatar_seed);
	free(p->bio);
	free(p->location);
	free(p->job);
	for (i = 0; i < p->ntags; i++)
		free(p->tags[i]);
	free(p->tags);
	memset(p, 0, sizeof *p);
}

/*
 * Could this be a username? Case is ignored (lookups match "Bob" to "bob"),
 * and reserved names simply are not found. Bounded, like username_check.
 */
static bool
name_shape_ok(const char *name)
{
	size_t len, i;

	if (name == NULL)
		return false;
	len = strnlen(name, USERNAME_MAX + 1);
	if (len < USERNAME_MIN || len > USERNAME_MAX)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	for (i = 1; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-'))
			return false;
	return true;
}

int
store_user_lookup(struct store *st, int64_t viewer, const char *username, int64_t *idp)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*idp = 0;
	if (!name_shape_ok(username))
		return ERR_INVALID;
	/* A user who blocked the viewer answers exactly like a name nobody has. */
	if ((r = stmt_get(st, "SELECT u.id FROM users u WHERE u.username = ?2 AND "
	    SQL_VISIBLE, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, username, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "look up user")) == 1) {
		*idp = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

/* Split the space-separated tags (valid tags hold no blanks) into p->tags. */
static void
profile_tags(struct profile *p, const char *list)
{
	const char	*s, *e;
	size_t		 n = 0;

	for (s = list; *s != '\0'; s++)
		if (*s != ' ' && (s == list || s[-1] == ' '))
			n++;
	if (n == 0)
		return;
	p->tags = xcalloc(n, sizeof *p->tags);
	for (s = list; *s != '\0';) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		p->tags[p->ntags++] = xstrndup(s, (size_t)(e - s));
		s = e;
	}
}

/*
 * One statement, so the profile is one consistent snapshot. The hidden
 * columns are blanked in SQL (CASE WHEN full), so they never leave the
 * database for a viewer who may not see them.
 */
#define SQL_PROFILE \
	"SELECT u.id, u.username, u.display_name, " SQL_AVATAR ", u.created_at, " \
	SQL_FULL " AS full, " \
	"CASE WHEN " SQL_FULL " THEN u.bio ELSE '' END, " \
	"CASE WHEN " SQL_FULL " THEN u.location ELSE '' END, " \
	"CASE WHEN " SQL_FULL " THEN u.job ELSE '' END, " \
	"CASE WHEN " SQL_FULL " THEN u.privacy ELSE 0 END, " \
	"CASE WHEN " SQL_FULL " THEN (SELECT count(*) FROM friendships " \
	"WHERE user_id = u.id) ELSE 0 END, " \
	SQL_MUTUAL ", " SQL_RELATION ", " \
	"CASE WHEN " SQL_FULL " THEN (SELECT group_concat(tag, ' ') FROM " \
	"(SELECT tag FROM user_tags WHERE user_id = u.id ORDER BY tag)) END, " \
	"CASE WHEN " SQL_AVATAR_SHOWN("u", "?1") " THEN coalesce(u.avatar_media, 0) " \
	"ELSE 0 END, " \
	"CASE WHEN " SQL_BACKGROUND_SHOWN("u", "?1") " THEN coalesce(u.background_media, 0) " \
	"ELSE 0 END " \
	"FROM users u WHERE u.username = ?2 AND " SQL_VISIBLE

int
store_profile_get(struct store *st, int64_t viewer, const char *username,
    struct profile *out)
{
	sqlite3_stmt	*stmt = NULL;
	const char	*tags;
	int64_t		 v;
	int		 r;

	memset(out, 0, sizeof *out);
	if (!name_shape_ok(username))
		return ERR_NOTFOUND;
	if ((r = stmt_get(st, SQL_PROFILE, &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_text(stmt, 2, username, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "read profile")) != 1) {
		if (r == 0)
			r = ERR_NOTFOUND;
		goto out;
	}
	out->id = sqlite3_column_int64(stmt, 0);
	out->username = col_text(stmt, 1);
	out->display_name = col_text(stmt, 2);
	out->avatar_seed = col_text(stmt, 3);
	out->created_at = sqlite3_column_int64(stmt, 4);
	out->full = sqlite3_column_int(stmt, 5) != 0;
	out->bio = col_text(stmt, 6);
	out->location = col_text(stmt, 7);
	out->job = col_text(stmt, 8);
	v = sqlite3_column_int64(stmt, 9);
	out->privacy = v >= PRIVACY_PUBLIC && v <= PRIVACY_PRIVATE ? (enum privacy)v :
	    PRIVACY_PRIVATE;
	out->friend_count = (size_t)sqlite3_column_int64(stmt, 10);
	out->mutual_count = (size_t)sqlite3_column_int64(stmt, 11);
	v = sqlite3_column_int64(stmt, 12);
	out->relation = v >= REL_SELF && v <= REL_BLOCKED ? (enum relation)v : REL_NONE;
	if ((tags = (const char *)sqlite3_column_text(stmt, 13)) != NULL)
		profile_tags(out, tags);
	out->avatar_media = sqlite3_column_int64(stmt, 14);
	out->background_media = sqlite3_column_int64(stmt, 15);
	r = 0;
 out:
	stmt_reset(stmt);
	return r;
}

/* ---- setting fields ------------------------------------------------------ */

/*
 * Each field: a check that needs no database (so bad input is refused before
 * the write lock is taken) and the statement that stores it. NULL sql: tags,
 * which live in their own table.
 */
static int
check_name(const char *v, char *why, size_t whysz)
{
	return display_name_check(v, why, whysz);
}

/* Validate a text field; 0 or ERR_INVALID with "field: reason" in why. */
static int
field_text_check(const char *label, const char *value, size_t max, enum text_flags fl,
    char *why, size_t whysz)
{
	char reason[128];

	if (text_check(value, 0, max, fl, reason, sizeof reason) != 0) {
		store_why(why, whysz, "%s: %s", label, reason);
		return ERR_INVALID;
	}
	return 0;
}

static int
check_bio(const char *v, char *why, size_t whysz)
{
	return field_text_check("bio", v, BIO_MAX, TEXT_MULTILINE, why, whysz);
}

static int
check_location(const char *v, char *why, size_t whysz)
{
	return field_text_check("location", v, LOCATION_MAX, TEXT_SINGLE_LINE, why, whysz);
}

static int
check_job(const char *v, char *why, size_t whysz)
{
	return field_text_check("job", v, JOB_MAX, TEXT_SINGLE_LINE, why, whysz);
}

static int
check_privacy(const char *v, char *why, size_t whysz)
{
	enum privacy p;

	if (privacy_parse(v, &p) != 0) {
		store_why(why, whysz, "privacy is public, friends or private");
		return ERR_INVALID;
	}
	return 0;
}

static const struct profile_field {
	const char	*name;
	int		(*check)(const char *, char *, size_t);
	const char	*sql;	/* ?1 the value, ?2 the user */
	bool		 is_privacy;	/* bind the parsed enum, not the text */
} profile_fields[] = {
	{ "name", check_name, "UPDATE users SET display_name = ?1 WHERE id = ?2", false },
	{ "bio", check_bio, "UPDATE users SET bio = ?1 WHERE id = ?2", false },
	{ "location", check_location, "UPDATE users SET location = ?1 WHERE id = ?2", false },
	{ "job", check_job, "UPDATE users SET job = ?1 WHERE id = ?2", false },
	{ "tags", tags_check, NULL, false },
	{ "privacy", check_privacy, "UPDATE users SET privacy = ?1 WHERE id = ?2", true },
};

/* Store a checked value. ERR_NOTFOUND for an unknown user. */
static int
field_store(struct store *st, const struct profile_field *f, int64_t user,
    const char *value, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	char		*name = NULL;
	enum privacy	 p;
	int		 r;

	if (f->sql == NULL) {
		/* Tags: a user that does not exist has none to replace. */
		if ((r = user_name(st, user, &name)) != 0)
			return r;
		free(name);
		return tags_replace(st, user, value, why, whysz);
	}
	if ((r = stmt_get(st, f->sql, &stmt)) != 0)
		return r;
	if (f->is_privacy && privacy_parse(value, &p) == 0)	/* checked already */
		sqlite3_bind_int(stmt, 1, (int)p);
	else
		sqlite3_bind_text(stmt, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, user);
	if ((r = stmt_done(st, stmt, "update profile")) == 0 && sqlite3_changes(st->db) == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_profile_set(struct store *st, int64_t user, const char *field, const char *value,
    char *why, size_t whysz)
{
	const struct profile_field	*f = NULL;
	size_t				 i;
	int				 r;

	store_why_clear(why, whysz);
	for (i = 0; field != NULL && i < sizeof profile_fields / sizeof profile_fields[0]; i++)
		if (strcmp(field, profile_fields[i].name) == 0)
			f = &profile_fields[i];
	if (f == NULL) {
		store_why(why, whysz, "unknown profile field (use name, bio, location, job, "
		    "tags or privacy)");
		return ERR_INVALID;
	}
	if (value == NULL) {
		store_why(why, whysz, "%s: no value given", f->name);
		return ERR_INVALID;
	}
	if ((r = f->check(value, why, whysz)) != 0)
		return r;
	if ((r = store_begin(st)) != 0)
		goto out;
	if ((r = field_store(st, f, user, value, why, whysz)) != 0)
		goto out;
	/* The search index changes with the profile, in the same transaction. */
	if ((r = store_user_index(st, user)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0) {
		store_rollback(st);
		if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such user");
		else if (r == ERR_DB)
			store_why(why, whysz, "could not save the profile (storage error)");
	}
	return r;
}
