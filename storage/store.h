/*
 * storage: the only code that speaks SQL. One struct store per process (or
 * per test), on one SQLite connection. Every function that acts returns 0 or
 * a negative ERR_* (common/err.h); on ERR_DB the SQLite detail has already
 * been logged once. Outputs are cleared on entry and are deep-owned by the
 * caller, who frees them with the matching *_free.
 */
#ifndef SSHBOOK_STORE_H
#define SSHBOOK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Limits from PRODUCT.md, in characters (code points). */
#define USERNAME_MIN		2
#define USERNAME_MAX		32
#define DISPLAY_NAME_MAX	64
#define PASSWORD_MIN		8	/* bytes */
#define PASSWORD_MAX		1024	/* bytes; longer is refused, not truncated */
#define KEY_LINE_MAX		16384	/* bytes of one authorized_keys line */
#define INVITE_CODE_MAX		64

/*
 * Open (creating if absent) the database at path, or ":memory:" for tests:
 * WAL journal, foreign_keys on, a busy timeout, then the ordered migrations
 * up to the latest PRAGMA user_version. Returns 0 and *out, or ERR_DB.
 */
int	store_open(const char *path, struct store **out);
void	store_close(struct store *);

/*
 * The per-user rate limit on writes that reach other people (posts and
 * their edits, comments and their edits, shares, reactions, messages and
 * their edits, friend requests): a bucket of burst writes that refills at
 * per_minute. Those functions then fail with ERR_RATE when it is empty,
 * changing nothing. burst 0 (the default of store_open) means no limit;
 * sshbookd's apps set it from the configuration (common/ratelimit.h).
 */
void	store_set_write_limit(struct store *, int burst, int per_minute);
/* PRAGMA data_version: changes when another connection commits (the fallback poll). */
int	store_data_version(struct store *, int64_t *out);

/* ---- usernames -------------------------------------------------------- */

/*
 * 0 when name is a well-formed username (2..32 of a-z 0-9 _ -, starting with
 * a letter) that is not reserved; otherwise ERR_INVALID, with a lower-case
 * reason written into why (whysz bytes) when why is not NULL.
 */
int	username_check(const char *name, char *why, size_t whysz);
bool	username_reserved(const char *name);

/* ---- users ------------------------------------------------------------ */

struct user {
	int64_t	 id;
	char	*username;
	char	*display_name;
	int64_t	 created_at;	/* unix seconds */
	bool	 has_password;
	size_t	 key_count;
};
void	user_free(struct user *);	/* frees the members, not u itself */

struct signup {
	const char	*username;
	const char	*display_name;
	const char	*password;	/* plaintext, hashed here; or NULL */
	const char	*password_hash;	/* an Argon2id string made by password_hash; or NULL */
	const char	*key_line;	/* an authorized_keys line; or NULL */
	const char	*invite_code;	/* required when require_invite; else ignored */
	bool		 require_invite;
};

/*
 * Create an account in one transaction: the user row, its password hash
 * and/or its first key, and the invite use. At least one way in (password,
 * hash or key) is required. Returns 0 and *idp; ERR_INVALID (a field; why
 * says which), ERR_EXISTS (name taken, or the invite already used),
 * ERR_NOTFOUND (unknown invite code) or ERR_DB. Nothing is stored on failure.
 */
int	store_user_create(struct store *, const struct signup *, int64_t *idp,
	    char *why, size_t whysz);
/* 0 and *out (free with user_free), ERR_NOTFOUND or ERR_DB. Names match case-insensitively. */
int	store_user_by_name(struct store *, const char *username, struct user *out);
int	store_user_by_id(struct store *, int64_t id, struct user *out);
/*
 * 0 when name is an acceptable display name: valid UTF-8, 1..DISPLAY_NAME_MAX
 * characters, one line, no control characters, and not blank (only spaces
 * or invisible characters). Otherwise ERR_INVALID with a reason in why.
 */
int	display_name_check(const char *name, char *why, size_t whysz);
/* Display name: 1..64 characters, one line, valid UTF-8. */
int	store_user_set_display_name(struct store *, int64_t id, const char *name,
	    char *why, size_t whysz);
/* Delete the account and everything it owns (ON DELETE CASCADE). 0, ERR_NOTFOUND or ERR_DB. */
int	store_user_delete(struct store *, int64_t id);

/* ---- passwords (Argon2id via libsodium crypto_pwhash_str) ------------- */

/*
 * Check a candidate password: PASSWORD_MIN..PASSWORD_MAX bytes, valid UTF-8,
 * no control characters at all (not even tab or newline). 0 or ERR_INVALID
 * with a reason in why.
 */
int	password_check(const char *pw, char *why, size_t whysz);
/* Hash pw into out (crypto_pwhash_STRBYTES = 128 bytes). 0, ERR_INVALID or ERR_SYSTEM. */
int	password_hash(const char *pw, char *out, size_t outsz);
/*
 * 0 when pw is the user's password (rehashing it when the limits changed);
 * ERR_DENIED when it is wrong or the user has no password; ERR_NOTFOUND for an unknown user.
 */
int	store_password_verify(struct store *, int64_t user, const char *pw);
/*
 * Set a new password. When the user has one, old must match (ERR_DENIED).
 * new_pw must pass password_check (ERR_INVALID, why says so).
 */
int	store_password_change(struct store *, int64_t user, const char *old_pw,
	    const char *new_pw, char *why, size_t whysz);

/* ---- SSH public keys -------------------------------------------------- */

struct user_key {
	int64_t	 id;
	char	*type;		/* "ssh-ed25519" */
	char	*blob;		/* the base64 key text as in authorized_keys */
	char	*comment;	/* may be "" */
	char	*fingerprint;	/* "SHA256:..." as OpenSSH prints it */
	int64_t	 created_at;
};
struct key_list {
	struct user_key	*v;
	size_t		 n;
};
void	key_list_free(struct key_list *);
void	user_key_free(struct user_key *);

/*
 * Parse one authorized_keys line ("type base64 [comment]"; options are
 * refused). The type must be one OpenSSH accepts and match the blob's own
 * type string. Returns 0 with *out filled (id and created_at zero) or
 * ERR_INVALID with why.
 */
int	key_parse(const char *line, struct user_key *out, char *why, size_t whysz);
/* The OpenSSH fingerprint of a base64 key blob, "SHA256:xxxx" (unpadded); caller frees. NULL if not base64. */
char	*key_fingerprint(const char *blob_b64);

/* Add a key line to a user. ERR_INVALID (why), ERR_EXISTS (already on this account). *fpp may be NULL. */
int	store_key_add(struct store *, int64_t user, const char *line, char **fpp,
	    char *why, size_t whysz);
/* The user's keys, oldest first. 0, ERR_NOTFOUND (no such user) or ERR_DB. */
int	store_key_list(struct store *, int64_t user, struct key_list *out);
/*
 * Remove the key with this fingerprint. ERR_NOTFOUND; ERR_DENIED when it is
 * the last way in (no password and no other key).
 */
int	store_key_remove(struct store *, int64_t user, const char *fingerprint);
/* 0 when the key (type and base64 blob) belongs to the user, else ERR_NOTFOUND. */
int	store_key_match(struct store *, int64_t user, const char *type, const char *blob_b64);

/* ---- login attempts (rate limiting across processes) ------------------ */

/*
 * Record one failed attempt for a scope such as "addr:127.0.0.1" or
 * "user:#42" (an account id; 1..256 bytes, else ERR_INVALID) at time now,
 * pruning rows older than a day.
 */
int	store_auth_failure_add(struct store *, const char *scope, int64_t now);
/* Failures for scope since the given time (older rows are pruned). */
int	store_auth_failure_count(struct store *, const char *scope, int64_t since, int *count);

/* ---- invites (registration = invite) ----------------------------------- */

/*
 * A new single-use code made by `creator` (0 for the administrator); caller
 * frees *codep. 16 characters of 2-9 and A-Z without I, L, O; codes are
 * matched ignoring case and surrounding blanks. ERR_NOTFOUND for an unknown
 * creator, ERR_DB.
 */
int	store_invite_create(struct store *, int64_t creator, char **codep);

#endif
