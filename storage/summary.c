/*
 * One line about a user, as lists show it (friends, requests, blocks,
 * search hits): the pieces every list shares.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/social-int.h"
#include "storage/social.h"

/* SQL_RELATION writes these numbers. */
_Static_assert(REL_SELF == 0 && REL_NONE == 1 && REL_FRIEND == 2 &&
    REL_REQUEST_SENT == 3 && REL_REQUEST_RECEIVED == 4 && REL_BLOCKED == 5,
    "SQL_RELATION in social-int.h must match enum relation");

void
summary_fill(sqlite3_stmt *stmt, int col, struct user_summary *s)
{
	int64_t	rel;

	s->id = sqlite3_column_int64(stmt, col);
	s->username = col_text(stmt, col + 1);
	s->display_name = col_text(stmt, col + 2);
	s->avatar_seed = col_text(stmt, col + 3);
	s->mutual_count = (size_t)sqlite3_column_int64(stmt, col + 4);
	rel = sqlite3_column_int64(stmt, col + 5);
	s->relation = rel >= REL_SELF && rel <= REL_BLOCKED ? (enum relation)rel : REL_NONE;
}

struct user_summary *
summary_push(struct user_summary **v, size_t *n, size_t *allocp)
{
	struct user_summary *s;

	if (*n == *allocp) {
		*allocp = *allocp ? *allocp * 2 : 16;
		*v = xreallocarray(*v, *allocp, sizeof **v);
	}
	s = &(*v)[(*n)++];
	memset(s, 0, sizeof *s);
	return s;
}

void
summary_free(struct user_summary *s)
{
	if (s == NULL)
		return;
	free(s->username);
	free(s->display_name);
	free(s->avatar_seed);
	memset(s, 0, sizeof *s);
}

void
user_list_free(struct user_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		summary_free(&l->v[i]);
	free(l->v);
	free(l->next_after);
	memset(l, 0, sizeof *l);
}

void
user_hits_free(struct user_hits *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		summary_free(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof *h);
}

int
user_name(struct store *st, int64_t id, char **namep)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*namep = NULL;
	if ((r = stmt_get(st, "SELECT username FROM users WHERE id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	if ((r = stmt_row(st, stmt, "read username")) == 1) {
		*namep = col_text(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}
