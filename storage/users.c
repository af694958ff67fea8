/* Accounts: sign-up in one transaction, lookups, display names, deletion. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "storage/media-int.h"
#include "storage/posts-int.h"
#include "storage/social-int.h"
#include "storage/store-int.h"
#include "storage/store.h"

void
user_free(struct user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->display_name);
	memset(u, 0, sizeof *u);
}

/* The columns struct user needs, in the order user_fill reads them. */
#define USER_COLUMNS \
	"SELECT id, username, display_name, created_at, password_hash IS NOT NULL, " \
	"(SELECT count(*) FROM user_keys WHERE user_id = users.id) FROM users "

static void
user_fill(sqlite3_stmt *stmt, struct user *u)
{
	u->id = sqlite3_column_int64(stmt, 0);
	u->username = col_text(stmt, 1);
	u->display_name = col_text(stmt, 2);
	u->created_at = sqlite3_column_int64(stmt, 3);
	u->has_password = sqlite3_column_int(stmt, 4) != 0;
	u->key_count = (size_t)sqlite3_column_int64(stmt, 5);
}

static int
user_query(struct store *st, sqlite3_stmt *stmt, struct user *out)
{
	int r;

	if ((r = stmt_row(st, stmt, "read user")) == 1) {
		user_fill(stmt, out);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_user_by_name(struct store *st, const char *username, struct user *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if (username == NULL)
		return ERR_NOTFOUND;
	/* The column is COLLATE NOCASE, so "Bob" finds "bob". */
	if ((r = stmt_get(st, USER_COLUMNS "WHERE username = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, username, -1, SQLITE_STATIC);
	return user_query(st, stmt, out);
}

int
store_user_by_id(struct store *st, int64_t id, struct user *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = stmt_get(st, USER_COLUMNS "WHERE id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	return user_query(st, stmt, out);
}

/* 0 when the name is free, ERR_EXISTS (why says so) or ERR_DB. */
static int
name_free(struct store *st, const char *username, char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "SELECT 1 FROM users WHERE username = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, username, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "find username")) == 1) {
		store_why(why, whysz, "the username '%s' is taken", username);
		r = ERR_EXISTS;
	}
	stmt_reset(stmt);
	return r;
}

/*
 * Everything that needs no database, in the order a person fills the form.
 * On success *keyp holds the parsed key (when there is one) and hash the
 * password hash to store ("" when none); both are the caller's to free/wipe.
 */
static int
signup_check(const struct signup *su, struct user_key *keyp, char *hash,
    char *why, size_t whysz)
{
	char	reason[256];
	int	r;

	if ((r = username_check(su->username, why, whysz)) != 0)
		return r;
	if ((r = display_name_check(su->display_name, why, whysz)) != 0)
		return r;
	if (su->password == NULL && su->password_hash == NULL && su->key_line == NULL) {
		store_why(why, whysz, "a password or an SSH key is required");
		return ERR_INVALID;
	}
	if (su->password != NULL && su->password_hash != NULL) {
		/* A caller bug: which one would the user expect to work? */
		store_why(why, whysz, "give a password or a password hash, not both");
		return ERR_INVALID;
	}
	if (su->password_hash != NULL && password_hash_check(su->password_hash) != 0) {
		store_why(why, whysz, "the password hash is not an Argon2id hash");
		return ERR_INVALID;
	}
	if (su->password != NULL && (r = password_check(su->password, why, whysz)) != 0)
		return r;
	if (su->key_line != NULL && (r = key_parse(su->key_line, keyp, reason,
	    sizeof reason)) != 0) {
		store_why(why, whysz, "%s", reason);
		return r;
	}
	if (su->require_invite && (su->invite_code == NULL || su->invite_code[0] == '\0')) {
		store_why(why, whysz, "an invite code is required");
		return ERR_INVALID;
	}
	if (su->password_hash != NULL)
		memcpy(hash, su->password_hash, strlen(su->password_hash) + 1);
	return 0;
}

int
store_user_create(struct store *st, const struct signup *su, int64_t *idp,
    char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	struct user_key	 key = { 0 };
	char		 hash[crypto_pwhash_STRBYTES] = "";
	bool		 in_txn = false;
	int64_t		 id;
	int		 r;

	*idp = 0;
	store_why_clear(why, whysz);
	if ((r = signup_check(su, &key, hash, why, whysz)) != 0)
		goto out;
	/* Answer a taken name now, before spending a password hash on it. */
	if ((r = name_free(st, su->username, why, whysz)) != 0)
		goto out;
	/* Hashing takes a tenth of a second: do it before taking the write lock. */
	if (su->password != NULL && (r = password_hash(su->password, hash,
	    sizeof hash)) != 0) {
		store_why(why, whysz, "could not hash the password");
		goto out;
	}

	if ((r = store_begin(st)) != 0)
		goto out;
	in_txn = true;
	/* Again inside the transaction: someone may have taken it meanwhile. */
	if ((r = name_free(st, su->username, why, whysz)) != 0)
		goto out;
	if ((r = stmt_get(st, "INSERT INTO users (username, display_name, password_hash, "
	    "created_at) VALUES (?, ?, ?, ?)", &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, su->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, su->display_name, -1, SQLITE_STATIC);
	if (hash[0] != '\0')
		sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_int64(stmt, 4, store_now());
	if ((r = stmt_done(st, stmt, "insert user")) != 0) {
		if (r == ERR_EXISTS)
			store_why(why, whysz, "the username '%s' is taken", su->username);
		else
			store_why(why, whysz, "could not create the account");
		goto out;
	}
	id = sqlite3_last_insert_rowid(st->db);
	/* Findable from the start: the search index row is part of the account. */
	if ((r = store_user_index(st, id)) != 0)
		goto out;
	if (key.type != NULL && (r = store_key_insert(st, id, &key, why, whysz)) != 0)
		goto out;
	if (su->require_invite &&
	    (r = store_invite_use(st, su->invite_code, id, why, whysz)) != 0)
		goto out;
	if ((r = store_commit(st)) != 0) {
		store_why(why, whysz, "could not create the account");
		goto out;
	}
	in_txn = false;
	*idp = id;
	log_info("store: created user %lld '%s'", (long long)id, su->username);
 out:
	stmt_reset(stmt);
	if (in_txn)
		store_rollback(st);
	if (r == ERR_DB && why != NULL && whysz > 0 && why[0] == '\0')
		store_why(why, whysz, "could not create the account (storage error)");
	user_key_free(&key);
	return r;
}

int
store_user_set_display_name(struct store *st, int64_t id, const char *name,
    char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	store_why_clear(why, whysz);
	if ((r = display_name_check(name, why, whysz)) != 0)
		return r;
	/* The name and its search index row change together. */
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_get(st, "UPDATE users SET display_name = ? WHERE id = ?",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	if ((r = stmt_done(st, stmt, "update display name")) == 0 &&
	    sqlite3_changes(st->db) == 0) {
		store_why(why, whysz, "no such user");
		r = ERR_NOTFOUND;
	}
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = store_user_index(st, id)) != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_user_delete(struct store *st, int64_t id)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	/*
	 * Keys, invites made, friendships, notifications and later tables follow
	 * through ON DELETE CASCADE; the search index is a virtual table, so its
	 * row goes by hand in the same transaction.
	 */
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = store_user_unindex(st, id)) != 0)
		goto out;
	/* Their posts' rows of the post search index, likewise. */
	if ((r = posts_user_unindex(st, id)) != 0)
		goto out;
	/*
	 * Jobs name their media item by a plain number, so the waiting and
	 * failed ones of the media about to go are dropped by hand (a running
	 * one's worker finds its item gone, as after store_media_delete).
	 */
	if ((r = stmt_get(st, "DELETE FROM jobs WHERE kind = '" JOB_KIND_MEDIA "' AND state != 1 AND arg IN "
	    "(SELECT id FROM media WHERE owner_id = ?1)", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	r = stmt_done(st, stmt, "delete media jobs");
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	if ((r = stmt_get(st, "DELETE FROM users WHERE id = ?", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	if ((r = stmt_done(st, stmt, "delete user")) == 0 && sqlite3_changes(st->db) == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	if (r != 0)
		goto out;
	r = store_commit(st);
 out:
	if (r != 0)
		store_rollback(st);
	else
		log_info("store: deleted user %lld", (long long)id);
	return r;
}
