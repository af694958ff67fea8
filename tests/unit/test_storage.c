/*
 * storage: accounts, passwords, keys, invites and login failures, on a fresh
 * ":memory:" database per test (and one file-backed database). Some tests look
 * at the tables directly through store-int.h to check that nothing was stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "common/err.h"
#include "common/log.h"
#include "storage/store-int.h"
#include "storage/store.h"
#include "tests/unit/storefix.h"

/*
 * Measured fixtures: made with `ssh-keygen -t ed25519|ecdsa|rsa -f /tmp/x -N ''`
 * and fingerprinted with `ssh-keygen -lf /tmp/x.pub` (OpenSSH on Debian 12).
 */
#define ED_TYPE	"ssh-ed25519"
#define ED_BLOB	"AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm9"
#define ED_LINE	ED_TYPE " " ED_BLOB " alice@laptop"
#define ED_FP	"SHA256:L3MPIypOKFWpFfMbu6sBXqndmfbUxEevRiqKLC1UsTs"

/* ssh-keygen -C '' writes a trailing space after the key. */
#define EC_LINE	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOwG4ydSZOF4FnqJbESzltmgSHFQhUGIToR7RDgzCCpdYfCPzfZNTdS7pRt3YNKXi55D22fXtOcS1dw0f3rwV78= "
#define EC_FP	"SHA256:+/oUdCmLBLAw0SOACEf6LFHxpaeVs6nQXcwo4FTLvnw"

#define RSA_BLOB "AAAAB3NzaC1yc2EAAAADAQABAAABAQDXZr5VC0e9Mhkc/B9tg5+jL/vj5gLGZLw2Oytd1ZUqC/4xw0ahhqlRXPMNVyoRwy1WwrcWzcQPUa4A5atXfDKZTOBq5ZyjLTH15xoHjk/u2kDPS/AEwGOfSE4gxQwsqBbPvrVxSxKsnX+PlqHaDCPYAbGYmxbDiWIAkuSrSLGqdfMsStX+M6M4w74CiTnyZPGAGMmKDDt3OKSJY5acHx7/xvuAvCCysQx0Pijmmo8Dns4IeoTDCY3scqGLNCpCoknbS9PZG37OD8jrdGuDC5CjfdIPmG6zPn50GRF9KWXglsO/m+59huS0AsdxBUlRpyHA/nXhRWo2E4lJ3yCAyZvV"
#define RSA_LINE "ssh-rsa " RSA_BLOB " bob rsa"
#define RSA_FP	"SHA256:OPbdjf5GltnKCWOYadejH7KAvaSnX90WyNQlaWWvatQ"

#define PW	"correct horse battery"

/* ---- helpers ------------------------------------------------------------ */

static char *
stored_hash(struct store *st, int64_t id)
{
	sqlite3_stmt	*stmt;
	char		*h;

	assert_int_equal(sqlite3_prepare_v2(st->db,
	    "SELECT password_hash FROM users WHERE id = ?", -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, id);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	h = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? NULL :
	    strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return h;
}

static void
assert_nothing_stored(struct store *st)
{
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users"), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 0);
}

static int64_t
create_key_user(struct store *st, const char *name, const char *line)
{
	struct signup	 su = { .username = name, .display_name = "Someone",
	    .key_line = line };
	char		 why[256];
	int64_t		 id;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_true(id > 0);
	return id;
}

static int64_t
create_pw_user(struct store *st, const char *name, const char *pw)
{
	struct signup	 su = { .username = name, .display_name = "Someone",
	    .password = pw };
	char		 why[256];
	int64_t		 id;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	assert_true(id > 0);
	return id;
}

static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- opening ------------------------------------------------------------- */

static void
test_open_memory(void **state)
{
	struct store	*st = *state;
	int64_t		 dv = -1;

	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), store_schema_version());
	assert_true(store_schema_version() >= 1);
	assert_int_equal(storefix_sql_int(st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(storefix_sql_int(st, "PRAGMA busy_timeout"), 5000);
	assert_int_equal(store_data_version(st, &dv), 0);
	assert_true(dv >= 1);
	/* STRICT: a wrong type is an error, not a silent conversion. */
	assert_int_not_equal(sqlite3_exec(st->db, "INSERT INTO users (username, "
	    "display_name, created_at) VALUES ('x1', 'x', 'not a number')", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_nothing_stored(st);
}

static void
test_open_bad_path(void **state)
{
	struct store *st = (struct store *)0x1;

	(void)state;
	assert_int_equal(store_open("/nonexistent-dir/sshbook/x.db", &st), ERR_DB);
	assert_null(st);
}

static void
test_file_reopen(void **state)
{
	char		 dir[] = "/tmp/sshbook-test-XXXXXX", path[256];
	struct store	*st = NULL;
	struct user	 u = { 0 };
	struct key_list	 kl = { 0 };
	int64_t		 id, version;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sshbook.db", dir);

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	assert_int_equal(storefix_sql_int(st, "PRAGMA synchronous"), 1);	/* NORMAL */
	id = create_key_user(st, "alice", ED_LINE);
	version = storefix_sql_int(st, "PRAGMA user_version");
	store_close(st);
	st = NULL;

	assert_int_equal(store_open(path, &st), 0);
	assert_int_equal(storefix_sql_int(st, "PRAGMA user_version"), version);
	assert_int_equal(storefix_sql_int(st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(store_user_by_name(st, "alice", &u), 0);
	assert_int_equal(u.id, id);
	assert_int_equal(u.key_count, 1);
	assert_int_equal(store_key_list(st, id, &kl), 0);
	assert_int_equal(kl.n, 1);
	assert_string_equal(kl.v[0].fingerprint, ED_FP);
	key_list_free(&kl);
	user_free(&u);
	store_close(st);

	storefix_remove_db(dir, path);
}

/* ---- sign-up ------------------------------------------------------------- */

static void
test_create_with_key(void **state)
{
	struct store	*st = *state;
	struct user	 u = { 0 };
	struct key_list	 kl = { 0 };
	int64_t		 id, now = (int64_t)time(NULL);

	id = create_key_user(st, "alice", ED_LINE);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_int_equal(u.id, id);
	assert_string_equal(u.username, "alice");
	assert_string_equal(u.display_name, "Someone");
	assert_false(u.has_password);
	assert_int_equal(u.key_count, 1);
	assert_true(u.created_at >= now - 5 && u.created_at <= now + 5);
	user_free(&u);
	assert_null(u.username);

	assert_int_equal(store_key_list(st, id, &kl), 0);
	assert_int_equal(kl.n, 1);
	assert_string_equal(kl.v[0].type, ED_TYPE);
	assert_string_equal(kl.v[0].blob, ED_BLOB);
	assert_string_equal(kl.v[0].comment, "alice@laptop");
	assert_string_equal(kl.v[0].fingerprint, ED_FP);
	assert_true(kl.v[0].id > 0);
	key_list_free(&kl);
	assert_int_equal(store_password_verify(st, id, "anything at all"), ERR_DENIED);
}

static void
test_create_with_password(void **state)
{
	struct store	*st = *state;
	struct user	 u = { 0 };
	int64_t		 id;
	char		*h;

	id = create_pw_user(st, "bob", PW);
	assert_int_equal(store_user_by_name(st, "bob", &u), 0);
	assert_true(u.has_password);
	assert_int_equal(u.key_count, 0);
	user_free(&u);
	h = stored_hash(st, id);
	assert_non_null(h);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_null(strstr(h, PW));
	free(h);
	assert_int_equal(store_password_verify(st, id, PW), 0);
	assert_int_equal(store_password_verify(st, id, "correct horse battery "), ERR_DENIED);
	assert_int_equal(store_password_verify(st, id, ""), ERR_DENIED);
	assert_int_equal(store_password_verify(st, id, NULL), ERR_DENIED);
	assert_int_equal(store_password_verify(st, id + 100, PW), ERR_NOTFOUND);
}

static void
test_create_with_hash(void **state)
{
	struct store	*st = *state;
	char		 hash[crypto_pwhash_STRBYTES], why[256];
	struct signup	 su = { .username = "carol", .display_name = "Carol" };
	int64_t		 id;
	size_t		 i;
	const char	*bad[] = {
		"", "hunter22", "$2b$12$abcdefghijklmnopqrstuvwxyz0123456789",
		"$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA",
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZX\nNhbHQ$aGFzaA",
	};

	assert_int_equal(password_hash("short", hash, sizeof hash), ERR_INVALID);
	assert_string_equal(hash, "");
	assert_int_equal(password_hash(PW, hash, 10), ERR_INVALID);
	assert_int_equal(password_hash(PW, hash, sizeof hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		su.password_hash = bad[i];
		assert_int_equal(store_user_create(st, &su, &id, why, sizeof why),
		    ERR_INVALID);
		assert_int_equal(id, 0);
		assert_non_null(strstr(why, "hash"));
	}
	assert_nothing_stored(st);

	/* A plaintext and a hash together is ambiguous. */
	su.password_hash = hash;
	su.password = PW;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_nothing_stored(st);

	su.password = NULL;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	assert_int_equal(store_password_verify(st, id, PW), 0);
	assert_int_equal(store_password_verify(st, id, "wrong password"), ERR_DENIED);
}

static void
test_create_needs_a_way_in(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "dave", .display_name = "Dave" };
	char		 why[256];
	int64_t		 id = 42;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_int_equal(id, 0);
	assert_string_equal(why, "a password or an SSH key is required");
	assert_nothing_stored(st);
}

static void
test_create_with_password_and_key(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "erin", .display_name = "Erin",
	    .password = PW, .key_line = RSA_LINE };
	struct user	 u = { 0 };
	char		 why[256];
	int64_t		 id;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_true(u.has_password);
	assert_int_equal(u.key_count, 1);
	user_free(&u);
	assert_int_equal(store_key_match(st, id, "ssh-rsa", RSA_BLOB), 0);
	assert_int_equal(store_password_verify(st, id, PW), 0);
}

static void
test_duplicate_name(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "bob", .display_name = "Another Bob",
	    .key_line = EC_LINE };
	struct user	 u = { 0 };
	char		 why[256];
	int64_t		 id, bob;

	bob = create_key_user(st, "bob", ED_LINE);
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_EXISTS);
	assert_int_equal(id, 0);
	assert_string_equal(why, "the username 'bob' is taken");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users"), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 1);

	/* Lookups ignore case, and so does the database itself. */
	assert_int_equal(store_user_by_name(st, "BOB", &u), 0);
	assert_int_equal(u.id, bob);
	assert_string_equal(u.username, "bob");
	user_free(&u);
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO users (username, display_name, "
	    "created_at) VALUES ('Bob', 'x', 0)", NULL, NULL, NULL), SQLITE_CONSTRAINT_UNIQUE);

	/* "Bob" is refused as upper case, with the way forward. */
	su.username = "Bob";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "usernames are lower case (try 'bob')");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users"), 1);
	assert_int_equal(store_user_by_name(st, "nobody-here", &u), ERR_NOTFOUND);
	assert_null(u.username);
}

static void
test_reserved_names(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .display_name = "Admin", .key_line = ED_LINE };
	const char	*names[] = { "admin", "root", "sshbook", "help", "new", "me",
	    "postmaster", "signup" };
	char		 why[256], expect[64];
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_true(username_reserved(names[i]));
		su.username = names[i];
		assert_int_equal(store_user_create(st, &su, &id, why, sizeof why),
		    ERR_INVALID);
		snprintf(expect, sizeof expect, "'%s' is reserved", names[i]);
		assert_string_equal(why, expect);
	}
	assert_true(username_reserved("Admin"));
	assert_false(username_reserved("admins"));
	assert_false(username_reserved("alice"));
	assert_int_equal(username_check("Admin", why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "reserved"));
	assert_nothing_stored(st);
}

static void
test_bad_usernames(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .display_name = "X", .key_line = ED_LINE };
	char		*big = repeat('a', 10 * 1024);
	const char	*bad[] = {
		"", "a", "abcdefghijklmnopqrstuvwxyz0123456", "Bob", "BOB", "1bob",
		"_bob", "-bob", "b\xc3\xb3" "b", "bob!", "bo b", "bob\n", "b\x1b[2Jb",
		"\xff\xfe", big,
	};
	const char	*good[] = { "ab", "abcdefghijklmnopqrstuvwxyz012345", "a-b_c9",
	    "z0" };
	char		 why[256];
	int64_t		 id;
	size_t		 i, j;

	su.username = NULL;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = 'x';
		assert_int_equal(username_check(bad[i], why, sizeof why), ERR_INVALID);
		assert_true(strlen(why) > 0);
		/* The reason never echoes hostile bytes. */
		for (j = 0; why[j]; j++)
			assert_true(why[j] >= ' ' && why[j] <= '~');
		su.username = bad[i];
		assert_int_equal(store_user_create(st, &su, &id, why, sizeof why),
		    ERR_INVALID);
		assert_int_equal(id, 0);
	}
	assert_nothing_stored(st);
	assert_int_equal(username_check("1bob", why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "usernames are 2 to 32 characters of a-z, 0-9, _ and -, "
	    "starting with a letter");
	assert_int_equal(username_check("a", NULL, 0), ERR_INVALID);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(username_check(good[i], why, sizeof why), 0);
		assert_string_equal(why, "");
	}
	free(big);
}

static void
test_display_names(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "mallory", .key_line = ED_LINE };
	char		*big = repeat('x', 10 * 1024), why[256], name[64 * 3 + 4];
	const char	*bad[] = {
		"\x1b[2JEvil", "Evil\x1b]0;owned\x07", "a\xff" "b", "\xc0\xaf", "", " ",
		"     ", "\t", "a\nb", "a\rb", "\xc2\x9b" "31m", "\xe2\x80\x8b",
		"\xe2\x80\xae\xe3\x80\x80", big, NULL,
	};
	struct user	 u = { 0 };
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		su.display_name = bad[i];
		assert_int_equal(store_user_create(st, &su, &id, why, sizeof why),
		    ERR_INVALID);
		assert_int_equal(id, 0);
		assert_true(strlen(why) > 0);
	}
	assert_nothing_stored(st);
	su.display_name = "   ";
	store_user_create(st, &su, &id, why, sizeof why);
	assert_string_equal(why, "display name: must not be blank");
	su.display_name = big;
	store_user_create(st, &su, &id, why, sizeof why);
	assert_string_equal(why, "display name: too long (at most 64 characters)");

	/* 64 wide characters (192 bytes) fit; 65 do not. */
	for (i = 0; i < 64; i++)
		memcpy(name + i * 3, "\xe6\x97\xa5", 3);
	memcpy(name + 64 * 3, "\xe6\x97\xa5", 4);
	su.display_name = name;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	name[64 * 3] = '\0';
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_string_equal(u.display_name, name);
	user_free(&u);

	/* Changing it later follows the same rules. */
	assert_int_equal(store_user_set_display_name(st, id, "\x1b[31mred", why,
	    sizeof why), ERR_INVALID);
	assert_int_equal(store_user_set_display_name(st, id, " Mal\xc3\xb6ry \xf0\x9f\x98\x80",
	    why, sizeof why), 0);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_string_equal(u.display_name, " Mal\xc3\xb6ry \xf0\x9f\x98\x80");
	user_free(&u);
	assert_int_equal(store_user_set_display_name(st, id + 1, "Ghost", why, sizeof why),
	    ERR_NOTFOUND);
	free(big);
}

/* ---- passwords ----------------------------------------------------------- */

static void
test_password_check(void **state)
{
	char	*big = repeat('p', 100 * 1024), *max = repeat('p', PASSWORD_MAX);
	char	 why[256];

	(void)state;
	assert_int_equal(password_check("1234567", why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "passwords are at least 8 characters");
	assert_int_equal(password_check("12345678", why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(password_check(max, why, sizeof why), 0);
	max[PASSWORD_MAX - 1] = '\0';
	assert_int_equal(password_check(max, why, sizeof why), 0);
	assert_int_equal(password_check(big, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the password is too long (at most 1024 bytes)");
	assert_int_equal(password_check("pass\x1bword", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("password\n", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("pass\tword", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("pass\x7fword", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("pass\xc2\x85word", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("password\xff", why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "UTF-8"));
	assert_int_equal(password_check("", why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check(NULL, why, sizeof why), ERR_INVALID);
	assert_int_equal(password_check("p\xc3\xa4ssw\xc3\xb6rd \xe6\x97\xa5", NULL, 0), 0);
	free(big);
	free(max);
}

static void
test_password_too_long_refused(void **state)
{
	struct store	*st = *state;
	char		*big = repeat('p', 100 * 1024), why[256];
	struct signup	 su = { .username = "frank", .display_name = "Frank",
	    .password = big };
	int64_t		 id, frank;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the password is too long (at most 1024 bytes)");
	assert_nothing_stored(st);

	frank = create_pw_user(st, "frank", PW);
	assert_int_equal(store_password_verify(st, frank, big), ERR_DENIED);
	assert_int_equal(store_password_change(st, frank, PW, big, why, sizeof why),
	    ERR_INVALID);
	assert_int_equal(store_password_change(st, frank, big, PW "!", why, sizeof why),
	    ERR_DENIED);
	assert_int_equal(store_password_verify(st, frank, PW), 0);
	free(big);
}

static void
test_password_change(void **state)
{
	struct store	*st = *state;
	char		 why[256];
	int64_t		 id;
	char		*before, *after;

	id = create_pw_user(st, "gina", PW);
	before = stored_hash(st, id);

	/* Wrong or missing old password: nothing changes. */
	assert_int_equal(store_password_change(st, id, "not the password", "new password 1",
	    why, sizeof why), ERR_DENIED);
	assert_string_equal(why, "the current password is wrong");
	assert_int_equal(store_password_change(st, id, NULL, "new password 1", why,
	    sizeof why), ERR_DENIED);
	after = stored_hash(st, id);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(store_password_verify(st, id, PW), 0);

	/* A bad new password or none at all. */
	assert_int_equal(store_password_change(st, id, PW, "short", why, sizeof why),
	    ERR_INVALID);
	assert_string_equal(why, "passwords are at least 8 characters");
	assert_int_equal(store_password_change(st, id, PW, NULL, why, sizeof why),
	    ERR_INVALID);

	assert_int_equal(store_password_change(st, id, PW, "new password 1", why,
	    sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(store_password_verify(st, id, "new password 1"), 0);
	assert_int_equal(store_password_verify(st, id, PW), ERR_DENIED);
	assert_int_equal(store_password_change(st, id + 50, PW, "new password 2", why,
	    sizeof why), ERR_NOTFOUND);
	free(before);
}

static void
test_password_first_set(void **state)
{
	struct store	*st = *state;
	struct user	 u = { 0 };
	char		 why[256];
	int64_t		 id;

	/* A key-only account sets its first password without an old one. */
	id = create_key_user(st, "hana", ED_LINE);
	assert_int_equal(store_password_change(st, id, NULL, PW, why, sizeof why), 0);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_true(u.has_password);
	user_free(&u);
	assert_int_equal(store_password_verify(st, id, PW), 0);
	/* From now on the old one is required. */
	assert_int_equal(store_password_change(st, id, NULL, "another one", why, sizeof why),
	    ERR_DENIED);
}

static void
test_password_rehash(void **state)
{
	struct store	*st = *state;
	char		 weak[crypto_pwhash_STRBYTES], why[256];
	struct signup	 su = { .username = "ivan", .display_name = "Ivan",
	    .password_hash = weak };
	int64_t		 id;
	char		*h;

	/* A hash made with lower limits than ours, as after raising them. */
	assert_int_equal(crypto_pwhash_str(weak, PW, strlen(PW),
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);

	/* A wrong password does not touch it. */
	assert_int_equal(store_password_verify(st, id, "wrong password"), ERR_DENIED);
	h = stored_hash(st, id);
	assert_string_equal(h, weak);
	free(h);

	assert_int_equal(store_password_verify(st, id, PW), 0);
	h = stored_hash(st, id);
	assert_string_not_equal(h, weak);
	assert_int_equal(crypto_pwhash_str_needs_rehash(h, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
	free(h);
	assert_int_equal(store_password_verify(st, id, PW), 0);
}

/* ---- keys ---------------------------------------------------------------- */

static void
test_fingerprint_matches_ssh_keygen(void **state)
{
	char *fp;

	(void)state;
	fp = key_fingerprint(ED_BLOB);
	assert_non_null(fp);
	assert_string_equal(fp, ED_FP);
	free(fp);
	fp = key_fingerprint(RSA_BLOB);
	assert_string_equal(fp, RSA_FP);
	free(fp);
	assert_null(key_fingerprint("not base64!"));
	assert_null(key_fingerprint(""));
	assert_null(key_fingerprint(NULL));
}

static void
test_key_parse(void **state)
{
	struct user_key	 k = { 0 };
	char		 why[256];

	(void)state;
	assert_int_equal(key_parse(ED_LINE, &k, why, sizeof why), 0);
	assert_string_equal(k.type, ED_TYPE);
	assert_string_equal(k.blob, ED_BLOB);
	assert_string_equal(k.comment, "alice@laptop");
	assert_string_equal(k.fingerprint, ED_FP);
	assert_int_equal(k.id, 0);
	assert_int_equal(k.created_at, 0);
	user_key_free(&k);
	assert_null(k.type);

	/* A trailing space and no comment. */
	assert_int_equal(key_parse(EC_LINE, &k, why, sizeof why), 0);
	assert_string_equal(k.type, "ecdsa-sha2-nistp256");
	assert_string_equal(k.comment, "");
	assert_string_equal(k.fingerprint, EC_FP);
	user_key_free(&k);

	/* A comment with spaces, tabs between fields, CRLF at the end, leading blanks. */
	assert_int_equal(key_parse("  \tssh-rsa\t" RSA_BLOB "  bob rsa\r\n", &k, why,
	    sizeof why), 0);
	assert_string_equal(k.type, "ssh-rsa");
	assert_string_equal(k.comment, "bob rsa");
	assert_string_equal(k.fingerprint, RSA_FP);
	user_key_free(&k);

	assert_int_equal(key_parse(ED_TYPE " " ED_BLOB "\n", &k, NULL, 0), 0);
	assert_string_equal(k.comment, "");
	user_key_free(&k);
}

static void
test_key_parse_garbage(void **state)
{
	struct user_key	 k = { 0 };
	char		*big, *longcomment, why[256];
	size_t		 i;
	const char	*bad[] = {
		"",
		"\n",
		"ssh-ed25519",
		"ssh-ed25519 ",
		"ssh-ed25519 !!!!notbase64!!!!",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91y",
		"ssh-ed25519 " ED_BLOB "AAAA",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",		/* the type string alone */
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAA==",	/* an empty key */
		/* a well-formed ed25519 key with one field too many */
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm9AAAAAXg=",
		"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm9",
		"ssh-rsa " ED_BLOB " type mismatch",
		"ecdsa-sha2-nistp384 " ED_BLOB,
		"ssh-dss AAAAB3NzaC1kc3MAAACBAP",
		"ssh-ed25519-cert-v01@openssh.com " ED_BLOB,
		"no-pty " ED_LINE,
		"command=\"/bin/sh\" " ED_LINE,
		"from=\"10.0.0.1\",no-agent-forwarding " ED_LINE,
		ED_TYPE " " ED_BLOB " evil\x1b[2J",
		ED_TYPE " " ED_BLOB " bad\xff" "comment",
		ED_TYPE " " ED_BLOB " two\nlines",
		"\x1b]0;hello\x07 " ED_BLOB,
		"AAAAC3NzaC1lZDI1NTE5AAAAIBkUODaxExFU+jKENLD8Jrk3RXnNUlDzS91yZoHzRwm9",
	};

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		k.type = (char *)0x1;	/* cleared on entry */
		assert_int_equal(key_parse(bad[i], &k, why, sizeof why), ERR_INVALID);
		assert_null(k.type);
		assert_null(k.fingerprint);
		assert_true(strlen(why) > 0);
	}
	assert_int_equal(key_parse(NULL, &k, why, sizeof why), ERR_INVALID);

	assert_int_equal(key_parse("no-pty " ED_LINE, &k, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "options"));
	assert_int_equal(key_parse("ssh-rsa " ED_BLOB, &k, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the key data is damaged or is not a ssh-rsa key");
	assert_int_equal(key_parse("ssh-ed25519 !!!!", &k, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the key data is not valid base64");
	assert_int_equal(key_parse("ssh-dss AAAA", &k, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "unsupported key type 'ssh-dss' (use ed25519, ecdsa or rsa)");

	/* 20 KB: over KEY_LINE_MAX, refused before any parsing. */
	big = malloc(20 * 1024 + 1);
	assert_non_null(big);
	memset(big, 'A', 20 * 1024);
	memcpy(big, "ssh-ed25519 ", 12);
	big[20 * 1024] = '\0';
	assert_int_equal(key_parse(big, &k, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the key line is too long (at most 16384 bytes)");
	free(big);

	/* Comments: 256 characters at most. */
	longcomment = malloc(400);
	assert_non_null(longcomment);
	snprintf(longcomment, 400, "%s %s ", ED_TYPE, ED_BLOB);
	memset(longcomment + strlen(longcomment), 'c', 257);
	longcomment[strlen(ED_TYPE) + strlen(ED_BLOB) + 2 + 257] = '\0';
	assert_int_equal(key_parse(longcomment, &k, why, sizeof why), ERR_INVALID);
	longcomment[strlen(longcomment) - 1] = '\0';
	assert_int_equal(key_parse(longcomment, &k, why, sizeof why), 0);
	assert_int_equal(strlen(k.comment), 256);
	user_key_free(&k);
	free(longcomment);
}

static void
test_key_add_list_remove(void **state)
{
	struct store	*st = *state;
	struct key_list	 kl = { 0 };
	struct user	 u = { 0 };
	char		 why[256], *fp = (char *)0x1;
	int64_t		 id;

	id = create_pw_user(st, "jack", PW);
	assert_int_equal(store_key_add(st, id, ED_LINE "\n", &fp, why, sizeof why), 0);
	assert_string_equal(fp, ED_FP);
	free(fp);
	assert_int_equal(store_key_add(st, id, EC_LINE, NULL, why, sizeof why), 0);
	assert_int_equal(store_key_add(st, id, RSA_LINE, &fp, why, sizeof why), 0);
	free(fp);

	assert_int_equal(store_key_list(st, id, &kl), 0);
	assert_int_equal(kl.n, 3);
	assert_string_equal(kl.v[0].fingerprint, ED_FP);
	assert_string_equal(kl.v[1].fingerprint, EC_FP);
	assert_string_equal(kl.v[2].fingerprint, RSA_FP);
	assert_string_equal(kl.v[2].comment, "bob rsa");
	assert_true(kl.v[0].created_at > 0);
	key_list_free(&kl);
	assert_null(kl.v);
	assert_int_equal(kl.n, 0);
	assert_int_equal(store_user_by_id(st, id, &u), 0);
	assert_int_equal(u.key_count, 3);
	user_free(&u);

	assert_int_equal(store_key_remove(st, id, EC_FP), 0);
	assert_int_equal(store_key_remove(st, id, EC_FP), ERR_NOTFOUND);
	assert_int_equal(store_key_remove(st, id, "SHA256:nope"), ERR_NOTFOUND);
	assert_int_equal(store_key_remove(st, id, NULL), ERR_NOTFOUND);
	assert_int_equal(store_key_list(st, id, &kl), 0);
	assert_int_equal(kl.n, 2);
	assert_string_equal(kl.v[0].fingerprint, ED_FP);
	assert_string_equal(kl.v[1].fingerprint, RSA_FP);
	key_list_free(&kl);

	/* A garbage line stores nothing and says why. */
	fp = (char *)0x1;
	assert_int_equal(store_key_add(st, id, "ssh-ed25519 garbage!", &fp, why, sizeof why),
	    ERR_INVALID);
	assert_null(fp);
	assert_string_equal(why, "the key data is not valid base64");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 2);

	/* Unknown users. */
	assert_int_equal(store_key_add(st, id + 10, EC_LINE, NULL, why, sizeof why),
	    ERR_NOTFOUND);
	assert_int_equal(store_key_list(st, id + 10, &kl), ERR_NOTFOUND);
	assert_int_equal(kl.n, 0);
	assert_int_equal(store_key_remove(st, id + 10, ED_FP), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 2);
}

static void
test_key_duplicate(void **state)
{
	struct store	*st = *state;
	char		 why[256], *fp = NULL;
	int64_t		 id, other;

	id = create_key_user(st, "kate", ED_LINE);
	/* The same key, spelled with another comment and spacing. */
	assert_int_equal(store_key_add(st, id, ED_TYPE "\t" ED_BLOB "  other comment\n", &fp,
	    why, sizeof why), ERR_EXISTS);
	assert_null(fp);
	assert_non_null(strstr(why, "already"));
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 1);

	/* One person may use one key for two accounts. */
	other = create_key_user(st, "kate2", ED_LINE);
	assert_int_equal(store_key_match(st, other, ED_TYPE, ED_BLOB), 0);
	assert_int_equal(store_key_match(st, id, ED_TYPE, ED_BLOB), 0);
}

static void
test_key_last_way_in(void **state)
{
	struct store	*st = *state;
	struct key_list	 kl = { 0 };
	char		 why[256];
	int64_t		 id;

	id = create_key_user(st, "liam", ED_LINE);
	assert_int_equal(store_key_remove(st, id, ED_FP), ERR_DENIED);
	assert_int_equal(store_key_list(st, id, &kl), 0);
	assert_int_equal(kl.n, 1);
	key_list_free(&kl);

	/* With a second key, one of the two may go, but not both. */
	assert_int_equal(store_key_add(st, id, EC_LINE, NULL, why, sizeof why), 0);
	assert_int_equal(store_key_remove(st, id, ED_FP), 0);
	assert_int_equal(store_key_remove(st, id, EC_FP), ERR_DENIED);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 1);

	/* With a password, the last key may go. */
	assert_int_equal(store_password_change(st, id, NULL, PW, why, sizeof why), 0);
	assert_int_equal(store_key_remove(st, id, EC_FP), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 0);
	assert_int_equal(store_password_verify(st, id, PW), 0);
}

static void
test_key_match(void **state)
{
	struct store	*st = *state;
	int64_t		 alice, bob;

	alice = create_key_user(st, "alice", ED_LINE);
	bob = create_key_user(st, "bob", RSA_LINE);
	assert_int_equal(store_key_match(st, alice, ED_TYPE, ED_BLOB), 0);
	assert_int_equal(store_key_match(st, bob, "ssh-rsa", RSA_BLOB), 0);
	/* Someone else's key, the wrong type, garbage. */
	assert_int_equal(store_key_match(st, alice, "ssh-rsa", RSA_BLOB), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, bob, ED_TYPE, ED_BLOB), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice, "ssh-rsa", ED_BLOB), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice, ED_TYPE, "AAAA"), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice, ED_TYPE, "!!"), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice, ED_TYPE, ""), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice, NULL, ED_BLOB), ERR_NOTFOUND);
	assert_int_equal(store_key_match(st, alice + 100, ED_TYPE, ED_BLOB), ERR_NOTFOUND);
}

static void
test_signup_bad_key_line(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "mia", .display_name = "Mia",
	    .key_line = "ssh-rsa " ED_BLOB };
	char		 why[256];
	int64_t		 id;

	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "the key data is damaged or is not a ssh-rsa key");
	/* A good password does not rescue a bad key: nothing half-made. */
	su.password = PW;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_nothing_stored(st);
}

/* ---- invites ------------------------------------------------------------- */

static void
test_invites(void **state)
{
	struct store	*st = *state;
	struct signup	 su = { .username = "nina", .display_name = "Nina",
	    .key_line = ED_LINE, .require_invite = true };
	char		*code = (char *)0x1, *code2 = NULL, lower[32], typed[40], why[256];
	int64_t		 id, nina;
	size_t		 i;

	assert_int_equal(store_invite_create(st, 0, &code), 0);
	assert_non_null(code);
	assert_int_equal(strlen(code), 16);
	for (i = 0; code[i]; i++)
		assert_non_null(strchr("23456789ABCDEFGHJKMNPQRSTUVWXYZ", code[i]));
	assert_int_equal(store_invite_create(st, 0, &code2), 0);
	assert_string_not_equal(code, code2);

	/* No code, an empty one, an unknown one: refused, nothing stored. */
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	assert_string_equal(why, "an invite code is required");
	su.invite_code = "";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_INVALID);
	su.invite_code = "ZZZZZZZZZZZZZZZZ";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_NOTFOUND);
	assert_string_equal(why, "unknown invite code");
	su.invite_code = "\x1b[2J' OR 1=1 --";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_NOTFOUND);
	assert_nothing_stored(st);

	/* Typed in lower case with stray spaces: still the code. */
	for (i = 0; code[i]; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] - 'A' + 'a' :
		    code[i]);
	lower[i] = '\0';
	snprintf(typed, sizeof typed, " %s\n", lower);
	su.invite_code = typed;
	assert_int_equal(store_user_create(st, &su, &nina, why, sizeof why), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM invites WHERE used_by IS NOT NULL "
	    "AND used_at IS NOT NULL"), 1);

	/* Used: refused, even for another name. */
	su.username = "olga";
	su.key_line = RSA_LINE;
	su.invite_code = code;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_EXISTS);
	assert_string_equal(why, "this invite code has already been used");
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM users"), 1);

	/* A failed sign-up does not spend the code: the name is taken here. */
	su.username = "nina";
	su.invite_code = code2;
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), ERR_EXISTS);
	su.username = "olga";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);

	/* Without require_invite the code is ignored. */
	su.username = "paul";
	su.require_invite = false;
	su.invite_code = "whatever";
	assert_int_equal(store_user_create(st, &su, &id, why, sizeof why), 0);

	/* A user's codes, and an unknown creator. */
	free(code);
	assert_int_equal(store_invite_create(st, nina, &code), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM invites WHERE creator IS NOT NULL"),
	    1);
	free(code);
	code = (char *)0x1;
	assert_int_equal(store_invite_create(st, nina + 1000, &code), ERR_NOTFOUND);
	assert_null(code);
	assert_int_equal(store_invite_create(st, -1, &code), ERR_INVALID);
	free(code2);
}

/* ---- login failures ------------------------------------------------------ */

static void
test_auth_failures(void **state)
{
	struct store	*st = *state;
	int64_t		 t = 1700000000;
	int		 n = -1;

	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.1", 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_auth_failure_add(st, "addr:10.0.0.1", t), 0);
	assert_int_equal(store_auth_failure_add(st, "addr:10.0.0.1", t + 10), 0);
	assert_int_equal(store_auth_failure_add(st, "addr:10.0.0.1", t + 20), 0);
	assert_int_equal(store_auth_failure_add(st, "user:alice", t + 20), 0);

	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.1", t, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.1", t + 10, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.1", t + 21, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_auth_failure_count(st, "user:alice", t, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.2", t, &n), 0);
	assert_int_equal(n, 0);

	/* A day later the old rows are pruned on the next add. */
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM auth_failures"), 4);
	assert_int_equal(store_auth_failure_add(st, "addr:10.0.0.2", t + 86400 + 15), 0);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM auth_failures"), 3);
	assert_int_equal(store_auth_failure_count(st, "addr:10.0.0.1", 0, &n), 0);
	assert_int_equal(n, 1);

	assert_int_equal(store_auth_failure_add(st, "", t), ERR_INVALID);
	assert_int_equal(store_auth_failure_add(st, NULL, t), ERR_INVALID);
	assert_int_equal(store_auth_failure_count(st, NULL, t, &n), ERR_INVALID);
}

/* ---- deletion ------------------------------------------------------------ */

static void
test_user_delete_cascades(void **state)
{
	struct store	*st = *state;
	struct user	 u = { 0 };
	char		 why[256], *code;
	int64_t		 quinn, rosa;

	quinn = create_key_user(st, "quinn", ED_LINE);
	assert_int_equal(store_key_add(st, quinn, EC_LINE, NULL, why, sizeof why), 0);
	rosa = create_key_user(st, "rosa", RSA_LINE);
	assert_int_equal(store_invite_create(st, quinn, &code), 0);
	free(code);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 3);

	assert_int_equal(store_user_delete(st, quinn), 0);
	assert_int_equal(store_user_by_id(st, quinn, &u), ERR_NOTFOUND);
	assert_int_equal(store_user_by_name(st, "quinn", &u), ERR_NOTFOUND);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM user_keys"), 1);
	assert_int_equal(storefix_sql_int(st, "SELECT count(*) FROM invites"), 0);
	assert_int_equal(store_key_match(st, quinn, ED_TYPE, ED_BLOB), ERR_NOTFOUND);
	assert_int_equal(store_user_delete(st, quinn), ERR_NOTFOUND);

	/* The other account is untouched, and the name is free again. */
	assert_int_equal(store_key_match(st, rosa, "ssh-rsa", RSA_BLOB), 0);
	create_key_user(st, "quinn", EC_LINE);
}

static void
test_free_tolerates_empty(void **state)
{
	struct user	 u = { 0 };
	struct user_key	 k = { 0 };
	struct key_list	 kl = { 0 };

	(void)state;
	user_free(&u);
	user_free(&u);
	user_free(NULL);
	user_key_free(&k);
	user_key_free(NULL);
	key_list_free(&kl);
	key_list_free(NULL);
	assert_null(u.username);
	assert_null(kl.v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_memory, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_open_bad_path),
		cmocka_unit_test(test_file_reopen),
		cmocka_unit_test_setup_teardown(test_create_with_key, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_create_with_password, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_create_with_hash, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_create_needs_a_way_in, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_create_with_password_and_key, storefix_setup,
		    storefix_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_name, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_reserved_names, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_bad_usernames, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_display_names, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_password_check),
		cmocka_unit_test_setup_teardown(test_password_too_long_refused, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_password_change, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_password_first_set, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_password_rehash, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_fingerprint_matches_ssh_keygen),
		cmocka_unit_test(test_key_parse),
		cmocka_unit_test(test_key_parse_garbage),
		cmocka_unit_test_setup_teardown(test_key_add_list_remove, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_key_duplicate, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_key_last_way_in, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_key_match, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_signup_bad_key_line, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_invites, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_auth_failures, storefix_setup, storefix_teardown),
		cmocka_unit_test_setup_teardown(test_user_delete_cascades, storefix_setup, storefix_teardown),
		cmocka_unit_test(test_free_tolerates_empty),
	};

	/* Keep error lines (an ERR_DB would be worth seeing) but not the info chatter. */
	log_open("test_storage", LOG_TO_STDERR, NULL, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
