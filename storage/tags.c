/*
 * Profile tags (interests): what a tag may be, the whole list replaced at
 * once, or one added or removed. Every change rewrites the user's row of the
 * search index in the same transaction.
 */
#include <string.h>

#include "common/err.h"
#include "storage/social-int.h"
#include "storage/social.h"

#define TAG_RULE \
	"tags are 1 to 32 characters of letters a-z, digits, - and _"

static bool
tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Separators of a list: what people type between words. */
static bool
tag_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * ASCII only, on purpose: folding case is then the same everywhere (no
 * locale in storage), and a tag reads the same in every terminal. Say which
 * tag is wrong only when it is short harmless text, as names.c does.
 */
int
tag_normalize(const char *tag, size_t len, char *out, char *why, size_t whysz)
{
	size_t i;

	if (len > 0 && tag[0] == '#') {	/* "#linux" is how people write a tag */
		tag++;
		len--;
	}
	if (len == 0 || len > TAG_MAX) {
		store_why(why, whysz, "%s", TAG_RULE);
		return ERR_INVALID;
	}
	for (i = 0; i < len; i++) {
		if (!tag_char(tag[i])) {
			store_why(why, whysz, "%s", TAG_RULE);
			return ERR_INVALID;
		}
		out[i] = tag[i] >= 'A' && tag[i] <= 'Z' ? (char)(tag[i] - 'A' + 'a') : tag[i];
	}
	out[len] = '\0';
	return 0;
}

static int
tag_insert(struct store *st, int64_t user, const char *tag)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO user_tags (user_id, tag) VALUES (?, ?)",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_text(stmt, 2, tag, -1, SQLITE_STATIC);
	r = stmt_done(st, stmt, "insert tag");
	stmt_reset(stmt);
	return r;
}

static int
tag_count(struct store *st, int64_t user, int64_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*np = 0;
	if ((r = stmt_get(st, "SELECT count(*) FROM user_tags WHERE user_id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	if ((r = stmt_row(st, stmt, "count tags")) == 1) {
		*np = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "count tags");
	stmt_reset(stmt);
	return r;
}

/*
 * Parse the whole list first, so that a bad tag anywhere changes nothing.
 * Duplicates (also after folding case: "Vim vim") collapse into one tag;
 * the limit counts distinct tags.
 */
static int
tags_parse(const char *list, char tags[TAGS_MAX][TAG_MAX + 1], size_t *np,
    char *why, size_t whysz)
{
	char		 tag[TAG_MAX + 1];
	const char	*p = list, *start;
	size_t		 n = 0, i;
	int		 r;

	*np = 0;
	for (;;) {
		while (*p != '\0' && tag_sep(*p))
			p++;
		if (*p == '\0')
			break;
		for (start = p; *p != '\0' && !tag_sep(*p); p++)
			;
		if ((r = tag_normalize(start, (size_t)(p - start), tag, why, whysz)) != 0)
			return r;
		for (i = 0; i < n; i++)
			if (strcmp(tags[i], tag) == 0)
				break;
		if (i < n)
			continue;
		if (n == TAGS_MAX) {
			store_why(why, whysz, "at most %d tags", TAGS_MAX);
			return ERR_INVALID;
		}
		memcpy(tags[n++], tag, strlen(tag) + 1);
	}
	*np = n;
	return 0;
}

int
tags_check(const char *list, char *why, size_t whysz)
{
	char	tags[TAGS_MAX][TAG_MAX + 1];
	size_t	n;

	return tags_parse(list, tags, &n, why, whysz);
}

int
tags_replace(struct store *st, int64_t user, const char *list, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	char		 tags[TAGS_MAX][TAG_MAX + 1];
	size_t		 n, i;
	int		 r;

	if ((r = tags_parse(list, tags, &n, why, whysz)) != 0)
		return r;
	if ((r = stmt_get(st, "DELETE FROM user_tags WHERE user_id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	r = stmt_done(st, stmt, "delete tags");
	stmt_reset(stmt);
	for (i = 0; r == 0 && i < n; i++)
		r = tag_insert(st, user, tags[i]);
	return r;
}

int
store_tag_add(struct store *st, int64_t user, const char *tag, char *why, size_t whysz)
{
	char	norm[TAG_MAX + 1];
	int64_t	n;
	int	r;

	store_why_clear(why, whysz);
	if (tag == NULL || (r = tag_normalize(tag, strlen(tag), norm, why, whysz)) != 0) {
		store_why(why, whysz, "%s", TAG_RULE);
		return ERR_INVALID;
	}
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = tag_count(st, user, &n)) != 0)
		goto out;
	if ((r = tag_insert(st, user, norm)) != 0) {
		if (r == ERR_EXISTS)
			store_why(why, whysz, "you already have the tag '%s'", norm);
		else if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such user");
		goto out;
	}
	/* Checked after the insert so that "already there" wins over "too many". */
	if (n >= TAGS_MAX) {
		store_why(why, whysz, "at most %d tags (remove one first)", TAGS_MAX);
		r = ERR_INVALID;
		goto out;
	}
	if ((r = store_user_index(st, user)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_tag_remove(struct store *st, int64_t user, const char *tag)
{
	sqlite3_stmt	*stmt = NULL;
	char		 norm[TAG_MAX + 1];
	int		 r;

	/* A tag that could not have been added is not there. */
	if (tag == NULL || tag_normalize(tag, strlen(tag), norm, NULL, 0) != 0)
		return ERR_NOTFOUND;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_get(st, "DELETE FROM user_tags WHERE user_id = ? AND tag = ?",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_text(stmt, 2, norm, -1, SQLITE_STATIC);
	r = stmt_done(st, stmt, "delete tag");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = store_user_index(st, user)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}
