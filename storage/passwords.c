/*
 * Passwords: Argon2id through libsodium's crypto_pwhash_str, which writes the
 * algorithm, its limits and the salt into the string it returns. Raising the
 * limits below makes every stored hash "need a rehash", and the next
 * successful login upgrades it.
 */
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "common/utf8.h"
#include "storage/store-int.h"
#include "storage/store.h"

/* The one place the cost of a password hash is decided. */
#define PWHASH_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE

#define ARGON2ID_PREFIX	"$argon2id$"

int
password_check(const char *pw, char *why, size_t whysz)
{
	size_t len;

	store_why_clear(why, whysz);
	if (pw == NULL || pw[0] == '\0') {
		store_why(why, whysz, "a password is required");
		return ERR_INVALID;
	}
	/* Bounded, so a 100 KB paste is refused without reading all of it. */
	len = strnlen(pw, PASSWORD_MAX + 1);
	if (len < PASSWORD_MIN) {
		store_why(why, whysz, "passwords are at least %d characters", PASSWORD_MIN);
		return ERR_INVALID;
	}
	if (len > PASSWORD_MAX) {
		store_why(why, whysz, "the password is too long (at most %d bytes)",
		    PASSWORD_MAX);
		return ERR_INVALID;
	}
	/*
	 * Control characters cannot be typed reliably (and a terminal may eat
	 * them); invalid UTF-8 would hash differently from what the user sees.
	 */
	if (text_check(pw, 0, PASSWORD_MAX, TEXT_SINGLE_LINE, NULL, 0) != 0) {
		store_why(why, whysz, "passwords must be valid UTF-8 without control "
		    "characters (no tabs or newlines either)");
		return ERR_INVALID;
	}
	return 0;
}

int
password_hash(const char *pw, char *out, size_t outsz)
{
	int r;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (out == NULL || outsz < crypto_pwhash_STRBYTES) {
		log_error("store: password_hash: output buffer too small");
		return ERR_INVALID;
	}
	if ((r = password_check(pw, NULL, 0)) != 0)
		return r;
	if ((r = store_sodium_init()) != 0)
		return r;
	/* Fails only when the memory limit cannot be allocated. */
	if (crypto_pwhash_str(out, pw, strlen(pw), PWHASH_OPSLIMIT,
	    PWHASH_MEMLIMIT) != 0) {
		log_error("store: password hash failed (out of memory?)");
		out[0] = '\0';
		return ERR_SYSTEM;
	}
	return 0;
}

int
password_hash_check(const char *hash)
{
	size_t len, i;

	if (hash == NULL)
		return ERR_INVALID;
	len = strnlen(hash, crypto_pwhash_STRBYTES);
	if (len == crypto_pwhash_STRBYTES ||
	    strncmp(hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0)
		return ERR_INVALID;
	/* The encoding is "$argon2id$v=19$m=...,t=...,p=...$salt$hash": printable ASCII. */
	for (i = 0; i < len; i++)
		if (hash[i] <= ' ' || hash[i] > '~')
			return ERR_INVALID;
	return 0;
}

/*
 * The stored hash of a user into hash (crypto_pwhash_STRBYTES), "" when the
 * user has none. 0, ERR_NOTFOUND or ERR_DB. The statement is released before
 * returning, so no read transaction stays open across the slow hashing.
 */
static int
hash_get(struct store *st, int64_t user, char *hash)
{
	sqlite3_stmt		*stmt = NULL;
	const unsigned char	*h;
	int			 r;

	hash[0] = '\0';
	if ((r = stmt_get(st, "SELECT password_hash FROM users WHERE id = ?",
	    &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	if ((r = stmt_row(st, stmt, "read password hash")) <= 0) {
		if (r == 0)
			r = ERR_NOTFOUND;
		goto out;
	}
	r = 0;
	if ((h = sqlite3_column_text(stmt, 0)) == NULL)
		goto out;
	if (password_hash_check((const char *)h) != 0) {
		log_error("store: user %lld has a malformed password hash", (long long)user);
		r = ERR_DB;
		goto out;
	}
	memcpy(hash, h, strlen((const char *)h) + 1);
 out:
	stmt_reset(stmt);
	return r;
}

/*
 * Replace the user's hash, but only if it is still `expect` (NULL: no
 * password): a concurrent change wins over a rehash or a stale change.
 * 0, ERR_BUSY (it changed meanwhile) or ERR_DB.
 */
static int
hash_replace(struct store *st, int64_t user, const char *expect, const char *hash)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "UPDATE users SET password_hash = ? "
	    "WHERE id = ? AND password_hash IS ?", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, user);
	if (expect != NULL)
		sqlite3_bind_text(stmt, 3, expect, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 3);
	if ((r = stmt_done(st, stmt, "update password hash")) != 0)
		goto out;
	if (sqlite3_changes(st->db) != 1)
		r = ERR_BUSY;
 out:
	stmt_reset(stmt);
	return r;
}

int
store_password_verify(struct store *st, int64_t user, const char *pw)
{
	char	 hash[crypto_pwhash_STRBYTES], fresh[crypto_pwhash_STRBYTES];
	int	 r;

	if ((r = hash_get(st, user, hash)) != 0)
		return r;
	if (hash[0] == '\0')
		return ERR_DENIED;
	/* Nothing over the limit was ever hashed; do not spend a hash on it now. */
	if (pw == NULL || strnlen(pw, PASSWORD_MAX + 1) > PASSWORD_MAX)
		return ERR_DENIED;
	if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0)
		return ERR_DENIED;
	if (crypto_pwhash_str_needs_rehash(hash, PWHASH_OPSLIMIT, PWHASH_MEMLIMIT) != 0) {
		/* The login stands even if the upgrade fails; the next one tries again. */
		if (password_hash(pw, fresh, sizeof fresh) != 0 ||
		    hash_replace(st, user, hash, fresh) == ERR_DB)
			log_warn("store: could not rehash the password of user %lld",
			    (long long)user);
		else
			log_info("store: rehashed the password of user %lld", (long long)user);
	}
	return 0;
}

int
store_password_change(struct store *st, int64_t user, const char *old_pw,
    const char *new_pw, char *why, size_t whysz)
{
	char	 hash[crypto_pwhash_STRBYTES], fresh[crypto_pwhash_STRBYTES];
	int	 r;

	store_why_clear(why, whysz);
	if (new_pw == NULL) {
		/* Removing a password would be a way to lock oneself out: not offered. */
		store_why(why, whysz, "a new password is required");
		return ERR_INVALID;
	}
	if ((r = password_check(new_pw, why, whysz)) != 0)
		return r;
	if ((r = hash_get(st, user, hash)) != 0) {
		if (r == ERR_NOTFOUND)
			store_why(why, whysz, "no such user");
		return r;
	}
	if (hash[0] != '\0' && (old_pw == NULL ||
	    strnlen(old_pw, PASSWORD_MAX + 1) > PASSWORD_MAX ||
	    crypto_pwhash_str_verify(hash, old_pw, strlen(old_pw)) != 0)) {
		store_why(why, whysz, "the current password is wrong");
		return ERR_DENIED;
	}
	if ((r = password_hash(new_pw, fresh, sizeof fresh)) != 0) {
		store_why(why, whysz, "could not hash the new password");
		return r;
	}
	r = hash_replace(st, user, hash[0] != '\0' ? hash : NULL, fresh);
	if (r == ERR_BUSY)
		store_why(why, whysz, "the password was changed meanwhile; try again");
	else if (r != 0)
		store_why(why, whysz, "could not save the new password");
	return r;
}
