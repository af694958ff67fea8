/*
 * Post visibility: the names people type, and the one privacy predicate
 * (SQL_POST_VISIBLE in posts-int.h) asked about a single post. Every write
 * that needs "may this user see that post" (react, comment, share, mention)
 * comes through post_access, so writes and reads agree by construction.
 */
#include <string.h>

#include "common/err.h"
#include "storage/posts-int.h"
#include "storage/posts.h"

static const char *const visibility_names[] = {
	[VIS_PUBLIC] = "public",
	[VIS_FRIENDS] = "friends",
	[VIS_PRIVATE] = "private",
};
#define NVIS (sizeof visibility_names / sizeof visibility_names[0])

const char *
visibility_name(enum visibility v)
{
	if ((size_t)v < NVIS)
		return visibility_names[v];
	return "private";	/* an unknown value reads as the safest one */
}

int
visibility_parse(const char *s, enum visibility *out)
{
	size_t i;

	*out = VIS_PUBLIC;
	if (s == NULL)
		return ERR_INVALID;
	for (i = 0; i < NVIS; i++)
		if (strcmp(s, visibility_names[i]) == 0) {
			*out = (enum visibility)i;
			return 0;
		}
	return ERR_INVALID;
}

int
post_access(struct store *st, int64_t viewer, int64_t post, enum post_access *out,
    int64_t *authorp, enum visibility *visp)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v;
	int		 r;

	*out = POST_ABSENT;
	if (authorp != NULL)
		*authorp = 0;
	if (visp != NULL)
		*visp = VIS_PRIVATE;
	if ((r = stmt_get(st, "SELECT p.author_id, p.visibility, " SQL_POST_VISIBLE("p", "?1")
	    " FROM posts p WHERE p.id = ?2", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, viewer);
	sqlite3_bind_int64(stmt, 2, post);
	if ((r = stmt_row(st, stmt, "check post access")) == 1) {
		if (authorp != NULL)
			*authorp = sqlite3_column_int64(stmt, 0);
		v = sqlite3_column_int64(stmt, 1);
		if (visp != NULL)
			*visp = v >= VIS_PUBLIC && v <= VIS_PRIVATE ? (enum visibility)v : VIS_PRIVATE;
		*out = sqlite3_column_int(stmt, 2) ? POST_VISIBLE : POST_HIDDEN;
		r = 0;
	}
	stmt_reset(stmt);
	return r;
}
