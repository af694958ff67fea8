/*
 * End to end: sign-up, login and the frame of the terminal interface, seen
 * through a real SSH client and a real terminal emulator. One sshbookd for
 * the whole binary; every test uses fresh usernames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/scenario.h"


/* A signed-up user with a key, on Home. */
static struct term *
home_for(const char *prefix, const char **userp)
{
	const char	*u = fresh_user(prefix);
	ssh_key		 k = key_new();
	struct term	*t = signup_with_key(e2e_srv, u, k, NULL, NULL);

	if (userp != NULL)
		*userp = u;
	return t;
}

/* ---- sign-up -------------------------------------------------------------- */

/*
 * A new name with a key: the sign-up screen shows the key's SHA256
 * fingerprint (computed here independently of the server) and the fields;
 * Enter creates the account and opens Home, which the status line confirms.
 */
static void
signup_with_key_shows_fingerprint_then_home(void **state)
{
	const char		*u = fresh_user("alice");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	char			 want[160];
	struct term		*t;
	struct exec_result	 r;

	(void)state;
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	snprintf(want, sizeof want, "Key: %s", harness_key_fingerprint(k));
	assert_true(term_wait_text(t, want, 0));
	assert_true(term_wait_text(t, "Display name", 0));
	assert_true(term_wait_text(t, "Password (optional)", 0));
	assert_true(term_wait_text(t, "Repeat password", 0));
	assert_true(term_wait_quiet(t, 100, 0));	/* the whole form is drawn */
	assert_false(term_has_text(t, "Invite code"));	/* registration is open */

	field_fill(t, "Alice Liddell");
	assert_true(term_wait_text(t, "Alice Liddell", 0));
	term_key(t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_wait_row(t, -1, u, 0));
	assert_true(term_wait_gone(t, TXT_SIGNUP, 0));

	/* the account exists for the rest of the system too */
	assert_int_equal(run_exec(e2e_srv, u, &c, "whoami", NULL, 0, &r), 0);
	snprintf(want, sizeof want, "%s\n", u);
	assert_string_equal(r.out, want);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);
	assert_true(term_quit(t));
}

/*
 * A new name without a key: keyboard-interactive asks for a new password
 * twice, without echo, then the same sign-up screen (no key line, no
 * password fields: the password is chosen already).
 */
static void
signup_with_password_asks_twice(void **state)
{
	const char	*u = fresh_user("bob");
	const char	*pw = "correct horse battery";
	struct cred	 c = cred_kbdint(pw, pw, NULL);
	struct conn	*conn;
	struct term	*t;
	char		 want[128];

	(void)state;
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	assert_true(conn->nprompts >= 2);
	snprintf(want, sizeof want, "Choose a password for %s:", u);
	assert_non_null(strstr(conn->prompts[0], want));
	assert_non_null(strstr(conn->prompts[1], "Repeat the password:"));
	assert_false(conn->echo[0]);
	assert_false(conn->echo[1]);

	assert_non_null(t = term_start(e2e_srv, conn, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	assert_true(term_wait_text(t, "Display name", 0));
	assert_true(term_wait_quiet(t, 100, 0));
	assert_false(term_has_text(t, "Key: SHA256:"));
	field_fill(t, "Bob");
	term_key(t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_quit(t));

	/* the chosen password now logs in, by both password methods */
	c = cred_password(pw);
	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_kbdint(pw, NULL);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* Two different passwords at keyboard-interactive sign-up: no way in, nothing stored. */
static void
signup_with_mismatched_passwords_fails(void **state)
{
	const char	*u = fresh_user("carol");
	struct cred	 c = cred_kbdint("first password 1", "second password 2", NULL);
	struct conn	*conn;
	ssh_key		 k = key_new();
	struct cred	 kc = cred_key(k);

	(void)state;
	assert_int_not_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	conn_close(conn);
	c = cred_password("first password 1");
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	assert_true(exec_refused_as_unknown(e2e_srv, u, &kc));
}

/* Esc on the sign-up screen ends the session and stores nothing: the next visit signs up again. */
static void
signup_esc_cancels_key(void **state)
{
	const char	*u = fresh_user("dave");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	int		 status;

	(void)state;
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	field_fill(t, "Dave Who Leaves");
	assert_true(term_wait_text(t, "Dave Who Leaves", 0));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_closed(t, 0, &status));
	assert_int_equal(status, 0);
	term_close(t);

	assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_closed(t, 0, &status));
	term_close(t);
}

/* Esc after choosing a password: the password was not kept either. */
static void
signup_esc_cancels_password(void **state)
{
	const char	*u = fresh_user("erin");
	const char	*pw = "erin's password";
	struct cred	 c = cred_kbdint(pw, pw, NULL);
	struct conn	*conn;
	struct term	*t;
	int		 status;

	(void)state;
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	assert_non_null(t = term_start(e2e_srv, conn, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_closed(t, 0, &status));
	assert_int_equal(status, 0);
	term_close(t);

	c = cred_password(pw);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	/* keyboard-interactive offers a sign-up again */
	c = cred_kbdint(pw, pw, NULL);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	assert_true(conn_saw_prompt(conn, "Choose a password"));
	assert_non_null(t = term_start(e2e_srv, conn, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_close(t);
}

/* ---- login ---------------------------------------------------------------- */

/* The key used at sign-up logs straight into Home next time. */
static void
known_key_logs_straight_in(void **state)
{
	const char	*u = fresh_user("frank");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/*
 * A password set on the sign-up form works by both methods; a wrong password
 * or a key that is not the account's is an ordinary authentication failure.
 */
static void
password_login_and_failures(void **state)
{
	const char	*u = fresh_user("grace");
	const char	*pw = "grace hopper 1906";
	ssh_key		 k = key_new(), other = key_new();
	struct cred	 c;
	struct conn	*conn;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	c = cred_password(pw);
	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_kbdint(pw, NULL);
	assert_true(logs_into_home(e2e_srv, u, &c));

	c = cred_password("grace hopper 1907");
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	c = cred_kbdint("grace hopper 1907", NULL);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	assert_false(conn_saw_prompt(conn, "Choose a password"));
	conn_close(conn);
	c = cred_key(other);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);
	/* and the right ones still work after the failures */
	c = cred_key(k);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/* ---- the frame -------------------------------------------------------------- */

/* Number keys switch tabs; tabs not built yet say so; Tab and Shift-Tab move along. */
static void
tabs_switch(void **state)
{
	const char	*u;
	struct term	*t;

	(void)state;
	assert_non_null(t = home_for("heidi", &u));
	assert_true(term_wait_text(t, "Home", 0));
	assert_true(term_wait_text(t, "Settings", 0));

	term_send(t, "3");	/* Messages (issue 5): an empty list for a new user */
	assert_true(term_wait_text(t, "No conversations yet", 0));
	assert_true(term_wait_text(t, "Messages", 0));
	assert_true(term_wait_gone(t, TXT_HOME, 0));
	term_send(t, "1");
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_wait_gone(t, "No conversations yet", 0));

	term_key(t, VTERM_KEY_TAB);
	assert_true(term_wait_gone(t, TXT_HOME, 0));
	term_key_mod(t, VTERM_KEY_TAB, VTERM_MOD_SHIFT);
	assert_true(term_wait_text(t, TXT_HOME, 0));

	term_send(t, "9");
	assert_true(term_wait_text(t, "SSH keys", 0));
	assert_true(term_wait_row(t, -1, u, 0));
	assert_true(term_quit(t));
}

/* `?` shows the help of the current screen with its keys; Esc goes back. */
static void
help_screen(void **state)
{
	struct term *t;

	(void)state;
	assert_non_null(t = home_for("ivan", NULL));
	term_send(t, "?");
	assert_true(term_wait_text(t, "Help:", 0));
	assert_true(term_wait_text(t, "next tab", 0));
	assert_true(term_wait_text(t, "help for this screen", 0));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(t, "Help:", 0));
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_quit(t));
}

/* `q` asks first: n keeps the session, y ends it with exit status 0. */
static void
quit_asks_then_ends(void **state)
{
	struct term	*t;
	int		 status;

	(void)state;
	assert_non_null(t = home_for("judy", NULL));
	term_send(t, "q");
	assert_true(term_wait_text(t, TXT_QUIT, 0));
	term_send(t, "n");
	assert_true(term_wait_gone(t, TXT_QUIT, 0));
	assert_true(term_wait_text(t, TXT_HOME, 0));
	term_send(t, "q");
	assert_true(term_wait_text(t, TXT_QUIT, 0));
	term_send(t, "y");
	assert_true(term_wait_closed(t, 0, &status));
	assert_int_equal(status, 0);
	term_close(t);
}

/* A bigger window: the status line moves to the new last row, and keys still work. */
static void
resize_redraws(void **state)
{
	const char	*u;
	struct term	*t;

	(void)state;
	assert_non_null(t = home_for("ken", &u));
	assert_true(term_wait_row(t, 23, u, 0));
	term_resize(t, 100, 30);
	assert_true(term_wait_row(t, 29, u, 0));
	assert_true(term_wait_row_gone(t, 23, u, 0));
	assert_true(term_wait_text(t, TXT_HOME, 0));
	term_send(t, "?");
	assert_true(term_wait_text(t, "Help:", 0));
	term_key(t, VTERM_KEY_ESCAPE);
	assert_true(term_wait_gone(t, "Help:", 0));
	assert_true(term_quit(t));
}

/* Below 80x24 a clear notice; growing back restores the screen and the keys. */
static void
too_small_then_restored(void **state)
{
	const char	*u;
	struct term	*t;

	(void)state;
	assert_non_null(t = home_for("leo", &u));
	term_resize(t, 60, 20);
	assert_true(term_wait_text(t, TXT_TOO_SMALL, 0));
	term_resize(t, 80, 23);
	assert_true(term_wait_text(t, TXT_TOO_SMALL, 0));
	term_resize(t, 80, 24);
	assert_true(term_wait_gone(t, TXT_TOO_SMALL, 0));
	assert_true(term_wait_row(t, 23, u, 0));
	assert_true(term_wait_text(t, TXT_HOME, 0));
	term_send(t, "3");
	assert_true(term_wait_text(t, "No conversations yet", 0));
	assert_true(term_quit(t));
}

/* A display name with an accent, CJK and an emoji shows intact, on screen and stored. */
static void
unicode_display_name(void **state)
{
	const char	*u = fresh_user("zoe");
	const char	*name = "Zoë 日本 😀";
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	char		 row[512], *stored;
	int		 r;

	(void)state;
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	field_fill(t, name);
	assert_true(term_wait_text(t, name, 0));
	term_key(t, VTERM_KEY_ENTER);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_wait_text(t, name, 0));
	r = term_find(t, TXT_HOME);
	term_row(t, r, row, sizeof row);
	assert_non_null(strstr(row, name));
	assert_true(term_quit(t));

	assert_non_null(stored = whoami_display_name(e2e_srv, u, &c));
	assert_string_equal(stored, name);
	free(stored);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(signup_with_key_shows_fingerprint_then_home, e2e_teardown),
		cmocka_unit_test_teardown(signup_with_password_asks_twice, e2e_teardown),
		cmocka_unit_test_teardown(signup_with_mismatched_passwords_fails, e2e_teardown),
		cmocka_unit_test_teardown(signup_esc_cancels_key, e2e_teardown),
		cmocka_unit_test_teardown(signup_esc_cancels_password, e2e_teardown),
		cmocka_unit_test_teardown(known_key_logs_straight_in, e2e_teardown),
		cmocka_unit_test_teardown(password_login_and_failures, e2e_teardown),
		cmocka_unit_test_teardown(tabs_switch, e2e_teardown),
		cmocka_unit_test_teardown(help_screen, e2e_teardown),
		cmocka_unit_test_teardown(quit_asks_then_ends, e2e_teardown),
		cmocka_unit_test_teardown(resize_redraws, e2e_teardown),
		cmocka_unit_test_teardown(too_small_then_restored, e2e_teardown),
		cmocka_unit_test_teardown(unicode_display_name, e2e_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "resize*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e foundation", tests, e2e_group_setup,
	    e2e_group_teardown);
}
