/*
 * SSH public keys: parsing authorized_keys lines, OpenSSH fingerprints, and
 * the keys stored for each account.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "storage/store-int.h"
#include "storage/store.h"

#define KEY_COMMENT_MAX	256	/* characters */

/*
 * The public key types OpenSSH accepts for user authentication (no DSA, no
 * certificates), with the number of SSH strings in their wire form: the type
 * name, then ed25519: key; rsa: e, n; ecdsa: curve, point; the security-key
 * (sk-) types add the application string.
 */
static const struct key_type {
	const char	*name;
	size_t		 fields;
} key_types[] = {
	{ "ssh-ed25519", 2 },
	{ "ssh-rsa", 3 },
	{ "ecdsa-sha2-nistp256", 3 },
	{ "ecdsa-sha2-nistp384", 3 },
	{ "ecdsa-sha2-nistp521", 3 },
	{ "sk-ssh-ed25519@openssh.com", 3 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", 4 },
};

static const struct key_type *
key_type_find(const char *type, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof key_types / sizeof key_types[0]; i++)
		if (strlen(key_types[i].name) == len &&
		    memcmp(key_types[i].name, type, len) == 0)
			return &key_types[i];
	return NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

void
user_key_free(struct user_key *k)
{
	if (k == NULL)
		return;
	free(k->type);
	free(k->blob);
	free(k->comment);
	free(k->fingerprint);
	memset(k, 0, sizeof *k);
}

void
key_list_free(struct key_list *kl)
{
	size_t i;

	if (kl == NULL)
		return;
	for (i = 0; i < kl->n; i++)
		user_key_free(&kl->v[i]);
	free(kl->v);
	kl->v = NULL;
	kl->n = 0;
}

/* Decode base64 text (len bytes) into a new buffer; NULL unless it is all valid padded base64. */
static unsigned char *
b64_decode(const char *b64, size_t len, size_t *binlenp)
{
	unsigned char	*bin;
	const char	*end = NULL;
	size_t		 max = len / 4 * 3 + 3;

	*binlenp = 0;
	if (len == 0)
		return NULL;
	bin = xmalloc(max);
	/* end catches text that stops decoding halfway ("AAAA!!!!"). */
	if (sodium_base642bin(bin, max, b64, len, NULL, binlenp, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || end != b64 + len) {
		free(bin);
		*binlenp = 0;
		return NULL;
	}
	return bin;
}

static char *
b64_encode(const unsigned char *bin, size_t len, int variant)
{
	size_t	 sz = sodium_base64_ENCODED_LEN(len, variant);
	char	*s = xmalloc(sz);

	return sodium_bin2base64(s, sz, bin, len, variant);
}

static char *
fingerprint_bin(const unsigned char *bin, size_t len)
{
	unsigned char	 digest[crypto_hash_sha256_BYTES];
	char		*b64, *fp;

	crypto_hash_sha256(digest, bin, len);
	b64 = b64_encode(digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	fp = xasprintf("SHA256:%s", b64);
	free(b64);
	return fp;
}

char *
key_fingerprint(const char *blob_b64)
{
	unsigned char	*bin;
	size_t		 len;
	char		*fp;

	if (blob_b64 == NULL || store_sodium_init() != 0)
		return NULL;
	if ((bin = b64_decode(blob_b64, strlen(blob_b64), &len)) == NULL)
		return NULL;
	fp = fingerprint_bin(bin, len);
	free(bin);
	return fp;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The wire form of every accepted type is a sequence of SSH strings (uint32
 * length, bytes; mpints and curve names are strings too). Require the first
 * to be the declared type, the right number of non-empty fields, and nothing
 * left over, so truncated, padded or mislabelled keys are refused here rather
 * than at login. The key itself is checked by libssh when it signs in.
 */
static bool
blob_ok(const unsigned char *bin, size_t len, const struct key_type *kt)
{
	size_t		 off = 0, fields = 0, typelen = strlen(kt->name);
	uint32_t	 n;

	while (off < len) {
		if (len - off < 4)
			return false;
		n = get_u32(bin + off);
		off += 4;
		if (n == 0 || n > len - off)
			return false;
		if (fields == 0 && (n != typelen || memcmp(bin + off, kt->name, n) != 0))
			return false;
		off += n;
		fields++;
	}
	return fields == kt->fields;
}

/* Quote the token back only when it is short and harmless ASCII. */
static bool
quotable(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 40)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '@' || s[i] == '.'))
			return false;
	return true;
}

/* True when a later token of the line is a key type: the line starts with options. */
static bool
has_options(const char *p, const char *end)
{
	const char *t;

	while (p < end) {
		while (p < end && !is_space(*p))
			p++;
		while (p < end && is_space(*p))
			p++;
		for (t = p; t < end && !is_space(*t); t++)
			;
		if (t > p && key_type_find(p, (size_t)(t - p)) != NULL)
			return true;
		p = t;
	}
	return false;
}

int
key_parse(const char *line, struct user_key *out, char *why, size_t whysz)
{
	const struct key_type	*kt;
	const char		*p, *end, *type, *b64;
	unsigned char		*bin = NULL;
	size_t			 len, typelen, b64len, binlen;
	char			*comment = NULL, reason[128];
	int			 r = ERR_INVALID;

	memset(out, 0, sizeof *out);
	store_why_clear(why, whysz);
	if (line == NULL) {
		store_why(why, whysz, "no key given");
		goto out;
	}
	len = strnlen(line, KEY_LINE_MAX + 1);
	if (len > KEY_LINE_MAX) {
		store_why(why, whysz, "the key line is too long (at most %d bytes)",
		    KEY_LINE_MAX);
		goto out;
	}
	/* A pasted line or a file read whole: a trailing newline (CRLF too) is fine. */
	p = line;
	end = line + len;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r' || is_space(end[-1])))
		end--;
	while (p < end && is_space(*p))
		p++;
	if (p == end) {
		store_why(why, whysz, "no key given (paste a line like "
		    "'ssh-ed25519 AAAA... you@host')");
		goto out;
	}

	type = p;
	while (p < end && !is_space(*p))
		p++;
	typelen = (size_t)(p - type);
	if ((kt = key_type_find(type, typelen)) == NULL) {
		if (has_options(p, end))
			store_why(why, whysz, "key options (such as from=, command= or "
			    "no-pty) are not supported: paste only 'type key comment'");
		else if (quotable(type, typelen))
			store_why(why, whysz, "unsupported key type '%.*s' (use ed25519, "
			    "ecdsa or rsa)", (int)typelen, type);
		else
			store_why(why, whysz, "not an SSH public key line (expected "
			    "'ssh-ed25519 AAAA... you@host')");
		goto out;
	}

	while (p < end && is_space(*p))
		p++;
	b64 = p;
	while (p < end && !is_space(*p))
		p++;
	b64len = (size_t)(p - b64);
	if (b64len == 0) {
		store_why(why, whysz, "the key line has no key data after the type");
		goto out;
	}
	while (p < end && is_space(*p))
		p++;

	/* The rest, inner spaces included, is the comment ("bob rsa" is one comment). */
	comment = xstrndup(p, (size_t)(end - p));
	if (text_check(comment, 0, KEY_COMMENT_MAX, TEXT_SINGLE_LINE, reason,
	    sizeof reason) != 0) {
		store_why(why, whysz, "key comment: %s", reason);
		goto out;
	}

	if ((r = store_sodium_init()) != 0)
		goto out;
	r = ERR_INVALID;
	if ((bin = b64_decode(b64, b64len, &binlen)) == NULL) {
		store_why(why, whysz, "the key data is not valid base64");
		goto out;
	}
	if (!blob_ok(bin, binlen, kt)) {
		store_why(why, whysz, "the key data is damaged or is not a %.*s key",
		    (int)typelen, type);
		goto out;
	}

	out->type = xstrndup(type, typelen);
	/* Stored re-encoded, so the same key always has the same text. */
	out->blob = b64_encode(bin, binlen, sodium_base64_VARIANT_ORIGINAL);
	out->comment = comment;
	comment = NULL;
	out->fingerprint = fingerprint_bin(bin, binlen);
	r = 0;
 out:
	free(bin);
	free(comment);
	return r;
}

int
store_key_insert(struct store *st, int64_t user, const struct user_key *k,
    char *why, size_t whysz)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "INSERT INTO user_keys (user_id, type, blob, comment, "
	    "fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_text(stmt, 2, k->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, k->blob, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, k->comment, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, k->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, store_now());
	r = stmt_done(st, stmt, "insert key");
	if (r == ERR_EXISTS)
		store_why(why, whysz, "the key %s is already on this account",
		    k->fingerprint);
	else if (r == ERR_NOTFOUND)
		store_why(why, whysz, "no such user");
	stmt_reset(stmt);
	return r;
}

int
store_key_add(struct store *st, int64_t user, const char *line, char **fpp,
    char *why, size_t whysz)
{
	struct user_key	 k = { 0 };
	int		 r;

	if (fpp != NULL)
		*fpp = NULL;
	store_why_clear(why, whysz);
	if ((r = key_parse(line, &k, why, whysz)) != 0)
		goto out;
	if ((r = store_key_insert(st, user, &k, why, whysz)) != 0)
		goto out;
	if (fpp != NULL) {
		*fpp = k.fingerprint;
		k.fingerprint = NULL;
	}
 out:
	user_key_free(&k);
	return r;
}

static int
user_exists(struct store *st, int64_t user)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	if ((r = stmt_get(st, "SELECT 1 FROM users WHERE id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	r = stmt_row(st, stmt, "find user");
	if (r == 0)
		r = ERR_NOTFOUND;
	else if (r == 1)
		r = 0;
	stmt_reset(stmt);
	return r;
}

int
store_key_list(struct store *st, int64_t user, struct key_list *out)
{
	sqlite3_stmt	*stmt = NULL;
	struct user_key	*k;
	size_t		 alloc = 0;
	int		 r;

	memset(out, 0, sizeof *out);
	if ((r = user_exists(st, user)) != 0)
		return r;
	if ((r = stmt_get(st, "SELECT id, type, blob, comment, fingerprint, created_at "
	    "FROM user_keys WHERE user_id = ? ORDER BY id", &stmt)) != 0)
		return r;
	sqlite3_bind_int64(stmt, 1, user);
	while ((r = stmt_row(st, stmt, "list keys")) == 1) {
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 4;
			out->v = xreallocarray(out->v, alloc, sizeof *out->v);
		}
		k = &out->v[out->n++];
		k->id = sqlite3_column_int64(stmt, 0);
		k->type = col_text(stmt, 1);
		k->blob = col_text(stmt, 2);
		k->comment = col_text(stmt, 3);
		k->fingerprint = col_text(stmt, 4);
		k->created_at = sqlite3_column_int64(stmt, 5);
	}
	stmt_reset(stmt);
	if (r != 0)
		key_list_free(out);
	return r;
}

/*
 * The ways into an account other than the given key: 1 for a password plus
 * the number of other keys. ERR_NOTFOUND for an unknown user.
 */
static int
other_ways_in(struct store *st, int64_t user, const char *fingerprint, int64_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	int		 r;

	*np = 0;
	if ((r = stmt_get(st, "SELECT (password_hash IS NOT NULL) + "
	    "(SELECT count(*) FROM user_keys WHERE user_id = users.id AND fingerprint != ?) "
	    "FROM users WHERE id = ?", &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, user);
	if ((r = stmt_row(st, stmt, "count ways in")) == 1) {
		*np = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else if (r == 0)
		r = ERR_NOTFOUND;
	stmt_reset(stmt);
	return r;
}

int
store_key_remove(struct store *st, int64_t user, const char *fingerprint)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 others;
	int		 r;

	if (fingerprint == NULL)
		return ERR_NOTFOUND;
	/* One write transaction: two removals at once cannot both pass the check. */
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = other_ways_in(st, user, fingerprint, &others)) != 0)
		goto out;
	if ((r = stmt_get(st, "DELETE FROM user_keys WHERE user_id = ? AND fingerprint = ?",
	    &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_text(stmt, 2, fingerprint, -1, SQLITE_STATIC);
	if ((r = stmt_done(st, stmt, "delete key")) != 0)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		r = ERR_NOTFOUND;
		goto out;
	}
	if (others == 0) {
		r = ERR_DENIED;
		goto out;
	}
	r = store_commit(st);
 out:
	stmt_reset(stmt);
	if (r != 0)
		store_rollback(st);
	return r;
}

int
store_key_match(struct store *st, int64_t user, const char *type, const char *blob_b64)
{
	sqlite3_stmt		*stmt = NULL;
	unsigned char		*bin = NULL;
	const unsigned char	*stype, *sblob;
	char			*fp = NULL, *canon = NULL;
	size_t			 binlen;
	int			 r;

	if (type == NULL || blob_b64 == NULL || store_sodium_init() != 0)
		return ERR_NOTFOUND;
	if ((bin = b64_decode(blob_b64, strlen(blob_b64), &binlen)) == NULL)
		return ERR_NOTFOUND;
	/* Compare canonical text, whatever base64 spelling the caller used. */
	canon = b64_encode(bin, binlen, sodium_base64_VARIANT_ORIGINAL);
	fp = fingerprint_bin(bin, binlen);
	if ((r = stmt_get(st, "SELECT type, blob FROM user_keys "
	    "WHERE user_id = ? AND fingerprint = ?", &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_text(stmt, 2, fp, -1, SQLITE_STATIC);
	if ((r = stmt_row(st, stmt, "match key")) <= 0) {
		if (r == 0)
			r = ERR_NOTFOUND;
		goto out;
	}
	stype = sqlite3_column_text(stmt, 0);
	sblob = sqlite3_column_text(stmt, 1);
	if (stype != NULL && sblob != NULL && strcmp((const char *)stype, type) == 0 &&
	    strcmp((const char *)sblob, canon) == 0)
		r = 0;
	else
		r = ERR_NOTFOUND;
 out:
	stmt_reset(stmt);
	free(bin);
	free(canon);
	free(fp);
	return r;
}
