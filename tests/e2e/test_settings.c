/*
 * End to end: the Settings tab (9): password change and SSH keys, checked by
 * what the screen says and by logging in with the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"


/* Log in with c and open Settings. */
static struct term *
open_settings(const char *u, const struct cred *c)
{
	struct term *t = term_open(e2e_srv, u, c, TERM_COLS, TERM_ROWS);

	if (t == NULL)
		return NULL;
	if (!term_wait_text(t, TXT_HOME, 0)) {
		term_close(t);
		return NULL;
	}
	term_send(t, "9");
	if (!term_wait_text(t, "SSH keys", 0) || !term_wait_text(t, "Password", 0)) {
		term_close(t);
		return NULL;
	}
	return t;
}

/* Type a secret into a masked prompt: it must not show on the screen. */
static bool
type_secret(struct term *t, const char *secret)
{
	term_send(t, secret);
	term_wait_quiet(t, 150, 0);
	if (term_has_text(t, secret)) {
		fprintf(stderr, "test: the secret '%s' is visible:\n", secret);
		term_screen_dump(t, stderr);
		return false;
	}
	term_key(t, VTERM_KEY_ENTER);
	return true;
}

/* p, then the current, new and repeated password through the prompts. */
static bool
change_password(struct term *t, const char *old, const char *new_pw)
{
	term_send(t, "p");
	if (!term_wait_text(t, "Current password:", 0) || !type_secret(t, old))
		return false;
	if (!term_wait_text(t, "New password:", 0) || !type_secret(t, new_pw))
		return false;
	if (!term_wait_text(t, "Repeat the new password:", 0) || !type_secret(t, new_pw))
		return false;
	return true;
}

/* Settings lists the account's key by its SHA256 fingerprint. */
static void
settings_lists_keys(void **state)
{
	const char	*u = fresh_user("kim");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_non_null(t = open_settings(u, &c));
	assert_true(term_wait_text(t, "SSH keys (1)", 0));
	assert_true(term_wait_text(t, harness_key_fingerprint(k), 0));
	assert_true(term_quit(t));
}

/*
 * A wrong current password changes nothing, and is said at once: no new
 * password is asked for (issue 11, item 10: errors come when a field is
 * left, not after the rest was typed). The old password still works.
 */
static void
password_change_needs_old_one(void **state)
{
	const char	*u = fresh_user("lou");
	const char	*pw = "the old password", *np = "a brand new password";
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "p");
	assert_true(term_wait_text(t, "Current password:", 0));
	assert_true(type_secret(t, "not the old password"));
	assert_true(term_wait_row(t, -1, "the current password is wrong: nothing changed", 0));
	assert_true(absent(t, "New password:"));
	assert_true(term_quit(t));

	c = cred_password(pw);
	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_password(np);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
}

/* The right current password: the new one logs in (both methods), the old one no longer. */
static void
password_change_works(void **state)
{
	const char	*u = fresh_user("max");
	const char	*pw = "max's first password", *np = "max's second password";
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	assert_non_null(t = open_settings(u, &c));
	assert_true(change_password(t, pw, np));
	assert_true(term_wait_text(t, "password changed", 0));
	assert_true(term_quit(t));

	c = cred_password(np);
	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_kbdint(np, NULL);
	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_password(pw);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
}

/* A key user sets a first password from Settings (no current one to give). */
static void
password_set_by_key_user(void **state)
{
	const char	*u = fresh_user("ned");
	const char	*np = "ned's only password";
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "p");
	assert_true(term_wait_text(t, "New password:", 0));
	assert_false(term_has_text(t, "Current password:"));
	assert_true(type_secret(t, np));
	assert_true(term_wait_text(t, "Repeat the new password:", 0));
	assert_true(type_secret(t, np));
	assert_true(term_wait_text(t, "password changed", 0));
	assert_true(term_quit(t));
	c = cred_password(np);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* Pasting an authorized_keys line adds the key: it is listed and logs in. */
static void
add_key(void **state)
{
	const char	*u = fresh_user("olga");
	ssh_key		 k = key_new(), k2 = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	char		 want[128];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "a");
	assert_true(term_wait_text(t, "Paste an authorized_keys line:", 0));
	term_send(t, key_line(k2, "olga@laptop"));
	term_key(t, VTERM_KEY_ENTER);
	snprintf(want, sizeof want, "key added: %s", harness_key_fingerprint(k2));
	assert_true(term_wait_text(t, want, 0));
	assert_true(term_wait_text(t, "SSH keys (2)", 0));
	assert_true(term_wait_text(t, harness_key_fingerprint(k), 0));
	assert_true(term_quit(t));

	c = cred_key(k2);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* A line that is not a key is refused with a message; nothing is added. */
static void
add_bad_key_refused(void **state)
{
	const char	*u = fresh_user("pat");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "a");
	assert_true(term_wait_text(t, "Paste an authorized_keys line:", 0));
	term_send(t, "ssh-ed25519 this-is-not-base64 nope");
	term_key(t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(t, "cannot add the key", 0));
	assert_true(term_wait_text(t, "SSH keys (1)", 0));
	assert_true(term_quit(t));
}

/*
 * Remove the selected key after a y/n question naming its fingerprint: that
 * key no longer logs in, the other one does.
 */
static void
remove_key(void **state)
{
	const char		*u = fresh_user("quinn");
	ssh_key			 k = key_new(), k2 = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	struct conn		*conn;
	struct term		*t;
	const char		*line2 = key_line(k2, NULL);
	char			 want[160];
	bool			 asked = false;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_int_equal(run_exec(e2e_srv, u, &c, "keys add", line2, strlen(line2), &r), 0);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);

	assert_non_null(t = open_settings(u, &c));
	assert_true(term_wait_text(t, "SSH keys (2)", 0));
	snprintf(want, sizeof want, "Remove key %s? (y/n)", harness_key_fingerprint(k2));
	/* find k2 in the list: d asks about the selected key; n keeps it */
	for (int i = 0; i < 2 && !asked; i++) {
		term_send(t, "d");
		assert_true(term_wait_text(t, "Remove key SHA256:", 0));
		if (term_has_text(t, want)) {
			asked = true;
			break;
		}
		term_send(t, "n");
		assert_true(term_wait_gone(t, "Remove key SHA256:", 0));
		term_send(t, "j");
	}
	assert_true(asked);
	term_send(t, "y");
	snprintf(want, sizeof want, "key removed: %s", harness_key_fingerprint(k2));
	assert_true(term_wait_text(t, want, 0));
	assert_true(term_wait_text(t, "SSH keys (1)", 0));
	assert_true(term_quit(t));

	c = cred_key(k2);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	c = cred_key(k);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* The only way in (one key, no password) cannot be removed. */
static void
remove_last_way_in_refused(void **state)
{
	const char	*u = fresh_user("ruth");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	char		 want[160];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "d");
	snprintf(want, sizeof want, "Remove key %s? (y/n)", harness_key_fingerprint(k));
	assert_true(term_wait_text(t, want, 0));
	term_send(t, "y");
	assert_true(term_wait_text(t, "last way to log in", 0));
	assert_true(term_wait_text(t, "SSH keys (1)", 0));
	assert_true(term_has_text(t, harness_key_fingerprint(k)));
	assert_true(term_quit(t));
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* With a password set, the last key can go: the password is still a way in. */
static void
remove_key_when_password_remains(void **state)
{
	const char	*u = fresh_user("sam");
	const char	*pw = "sam keeps a password";
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;
	char		 want[160];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	assert_non_null(t = open_settings(u, &c));
	term_send(t, "d");
	snprintf(want, sizeof want, "Remove key %s? (y/n)", harness_key_fingerprint(k));
	assert_true(term_wait_text(t, want, 0));
	term_send(t, "y");
	snprintf(want, sizeof want, "key removed: %s", harness_key_fingerprint(k));
	assert_true(term_wait_text(t, want, 0));
	assert_true(term_wait_text(t, "SSH keys (0)", 0));
	assert_true(term_quit(t));

	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	c = cred_password(pw);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/*
 * Settings shows who new posts are for by default, and v changes it (the
 * same setting as exec `settings visibility`); the key this session logged
 * in with is marked, and a password session says so (issue 11, item 14).
 */
static void
settings_shows_visibility_and_session_key(void **state)
{
	const char		*u = fresh_user("vis");
	const char		*pw = "a settings password";
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct term		*t;
	struct exec_result	 r;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	assert_non_null(t = open_settings(u, &c));
	assert_true(term_wait_text(t, "visible to: public by default", 0));
	assert_true(term_wait_text(t, "\u00b7  * this session", 0));
	assert_true(wait_row_has(t, harness_key_fingerprint(k), "* SHA256:"));
	term_send(t, "v");
	assert_true(term_wait_text(t, "visible to: friends by default", 0));
	assert_true(term_wait_row(t, -1, "new posts are now visible to: friends", 0));
	assert_true(term_quit(t));

	c = cred_password(pw);
	assert_non_null(t = open_settings(u, &c));
	assert_true(term_wait_text(t, "this session: your password", 0));
	assert_true(absent(t, "* SHA256:"));
	assert_true(term_quit(t));

	c = cred_key(k);
	assert_true(exec_expect(e2e_srv, u, &c, "post 'who sees this'", 0, &r));
	exec_result_free(&r);
	assert_true(exec_expect(e2e_srv, u, &c, "feed home --json", 0, &r));
	assert_non_null(strstr(r.out, "\"visibility\":\"friends\""));
	exec_result_free(&r);

}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(settings_lists_keys, e2e_teardown),
		cmocka_unit_test_teardown(password_change_needs_old_one, e2e_teardown),
		cmocka_unit_test_teardown(password_change_works, e2e_teardown),
		cmocka_unit_test_teardown(password_set_by_key_user, e2e_teardown),
		cmocka_unit_test_teardown(add_key, e2e_teardown),
		cmocka_unit_test_teardown(add_bad_key_refused, e2e_teardown),
		cmocka_unit_test_teardown(remove_key, e2e_teardown),
		cmocka_unit_test_teardown(remove_last_way_in_refused, e2e_teardown),
		cmocka_unit_test_teardown(remove_key_when_password_remains, e2e_teardown),
		cmocka_unit_test_teardown(settings_shows_visibility_and_session_key, e2e_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "resize*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e settings", tests, e2e_group_setup,
	    e2e_group_teardown);
}
