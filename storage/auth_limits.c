/*
 * Failed logins, counted in the database so that every session process (one
 * per connection) sees the same numbers. The daemon decides the limits.
 */
#include <string.h>

#include "common/err.h"
#include "storage/store-int.h"
#include "storage/store.h"

/* Rows older than this are of no use to any limit, so each add prunes them. */
#define AUTH_FAILURE_KEEP	(24 * 60 * 60)
/* A scope is "addr:ADDRESS" or "user:#ID"; anything longer is not one of ours. */
#define AUTH_SCOPE_MAX		256

static int
scope_check(const char *scope)
{
	size_t len;

	if (scope == NULL)
		return ERR_INVALID;
	len = strnlen(scope, AUTH_SCOPE_MAX + 1);
	if (len == 0 || len > AUTH_SCOPE_MAX)
		return ERR_INVALID;
	return 0;
}

int
store_auth_failure_add(struct store *st, const char *scope, int64_t now)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = scope_check(scope)) != 0)
		return r;
	/* The prune and the insert share one commit (and one fsync). */
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_get(st, "DELETE FROM auth_failures WHERE at < ?", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, now - AUTH_FAILURE_KEEP);
	if ((r = stmt_done(st, stmt, "prune login failures")) != 0)
		goto out;
	stmt_reset(stmt);
	if ((r = stmt_get(st, "INSERT INTO auth_failures (scope, at) VALUES (?, ?)",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now);
	if ((r = stmt_done(st, stmt, "record login failure")) != 0)
		goto out;
	r = store_commit(st);
 out:
	stmt_reset(stmt);
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_auth_failure_count(struct store *st, const char *scope, int64_t since, int *count)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*count = 0;
	if ((r = scope_check(scope)) != 0)
		return r;
	if ((r = stmt_get(st, "SELECT count(*) FROM auth_failures WHERE scope = ? AND at >= ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, since);
	if ((r = stmt_row(st, stmt, "count login failures")) == 1) {
		*count = sqlite3_column_int(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = store_db_error(st, "count login failures");
	stmt_reset(stmt);
	return r;
}
