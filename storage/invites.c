/* Invite codes for registration = invite: single use, made by a user or the administrator. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/store-int.h"
#include "storage/store.h"

#define INVITE_CODE_LEN	16

/*
 * Upper case and digits without 0/O, 1/I/L: a code read aloud or copied from
 * paper cannot be mistyped into another valid one. 31 symbols, 16 of them:
 * about 79 bits, far beyond guessing.
 */
static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void
invite_code_new(char code[INVITE_CODE_LEN + 1])
{
	size_t i;

	/* randombytes_uniform has no modulo bias. */
	for (i = 0; i < INVITE_CODE_LEN; i++)
		code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	code[INVITE_CODE_LEN] = '\0';
}

int
store_invite_create(struct store *st, int64_t creator, char **codep)
{
	sqlite3_stmt	*stmt = NULL;
	char		 code[INVITE_CODE_LEN + 1];
	int		 r, tries;

	*codep = NULL;
	if (creator < 0)
		return ERR_INVALID;
	if ((r = store_sodium_init()) != 0)
		return r;
	if ((r = stmt_get(st, "INSERT INTO invites (code, creator, created_at) "
	    "VALUES (?, ?, ?)", &stmt)) != 0)
		return r;
	/* A collision is all but impossible; retrying costs nothing to write. */
	for (tries = 0; tries < 3; tries++) {
		invite_code_new(code);
		sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
		if (creator == 0)
			sqlite3_bind_null(stmt, 2);
		else
			sqlite3_bind_int64(stmt, 2, creator);
		sqlite3_bind_int64(stmt, 3, store_now());
		r = stmt_done(st, stmt, "insert invite");
		stmt_reset(stmt);
		if (r != ERR_EXISTS)
			break;
	}
	if (r == 0)
		*codep = xstrdup(code);
	return r;
}

int
store_invite_use(struct store *st, const char *code, int64_t user, char *why,
    size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	char		 norm[INVITE_CODE_MAX + 1];
	size_t		 len, i;
	int		 r;

	if (code == NULL || code[0] == '\0') {
		store_why(why, whysz, "an invite code is required");
		return ERR_INVALID;
	}
	/* People copy codes with stray spaces and type them in lower case. */
	while (*code == ' ' || *code == '\t')
		code++;
	len = strnlen(code, INVITE_CODE_MAX + 1);
	while (len > 0 && (code[len - 1] == ' ' || code[len - 1] == '\t' ||
	    code[len - 1] == '\n' || code[len - 1] == '\r'))
		len--;
	if (len == 0 || len > INVITE_CODE_MAX) {
		store_why(why, whysz, "unknown invite code");
		return ERR_NOTFOUND;
	}
	for (i = 0; i < len; i++)
		norm[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 'a' + 'A') :
		    code[i];
	norm[len] = '\0';

	if ((r = stmt_get(st, "UPDATE invites SET used_by = ?, used_at = ? "
	    "WHERE code = ? AND used_at IS NULL", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int64(stmt, 2, store_now());
	sqlite3_bind_text(stmt, 3, norm, -1, SQLITE_STATIC);
	r = stmt_done(st, stmt, "use invite");
	stmt_reset(stmt);
	if (r != 0 || sqlite3_changes(st->db) == 1)
		return r;

	/* Nothing changed: tell an unknown code from a used one. */
	if ((r = stmt_get(st, "SELECT 1 FROM invites WHERE code = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, norm, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "find invite")) == 1) {
		store_why(why, whysz, "this invite code has already been used");
		r = ERR_EXISTS;
	} else if (r == 0) {
		store_why(why, whysz, "unknown invite code");
		r = ERR_NOTFOUND;
	}
	stmt_reset(stmt);
	return r;
}
