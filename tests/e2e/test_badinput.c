/*
 * End to end: hostile and absurd input. Terminal escapes in a display name,
 * invalid UTF-8, 10 KB names, 100 KB passwords, 0x0 and 100000x100000
 * terminals, a client that vanishes mid-sign-up, and kill -9 of the daemon.
 * Each test proves the server is still there afterwards.
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


/* Valid UTF-8 without C0 controls, DEL or C1 controls: safe to draw. Returns the code points or -1. */
static int
clean_text_chars(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n = 0;

	while (*p) {
		uint32_t	cp;
		int		len, i;

		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			len = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			len = 3;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			len = 4;
		} else
			return -1;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return -1;
		p += len;
		n++;
	}
	return n;
}

/* The server still serves: the process lives and an existing user gets Home. */
static void
assert_server_serves(void)
{
	static const char	*u;
	static ssh_key		 k;
	struct cred		 c;

	assert_true(server_alive(e2e_srv));
	/* one canary account per binary, made on first use (keys die at cleanup: make anew) */
	u = fresh_user("canary");
	k = key_new();
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	c = cred_key(k);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/*
 * Type payload as the display name on a fresh key sign-up, press Enter if the
 * form is still there, and check what a terminal would have suffered:
 * nothing in `forbidden` ever reached it, the title never changed, and
 * whatever was stored (if anything) is clean text.
 */
static void
hostile_display_name(const char *payload, size_t len, const char *const *forbidden,
    size_t nforbidden)
{
	const char	*u = fresh_user("mallory");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	char		*stored;
	size_t		 rawlen;
	const char	*raw;
	char		 last[512];

	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	assert_true(term_wait_text(t, "Display name", 0));
	term_send(t, "\x05\x15");
	term_send_bytes(t, payload, len);
	term_wait_quiet(t, 300, 0);
	if (!t->eof && term_has_text(t, TXT_SIGNUP)) {
		/* still on the form, and the form is intact */
		term_row(t, -1, last, sizeof last);
		assert_true(last[0] != '\0');
		term_key(t, VTERM_KEY_ENTER);
		term_wait_quiet(t, 300, 0);
	}
	raw = vt_raw(t->vt, &rawlen);
	for (size_t i = 0; i < nforbidden; i++) {
		if (memmem(raw, rawlen, forbidden[i], strlen(forbidden[i])) != NULL) {
			fprintf(stderr, "test: forbidden bytes #%zu reached the terminal\n", i);
			term_screen_dump(t, stderr);
			fail();
		}
	}
	assert_int_equal(vt_title_sets(t->vt), 0);

	if (!t->eof && term_has_text(t, TXT_HOME)) {
		/* accepted: what was stored is clean text */
		term_close(t);
		assert_non_null(stored = whoami_display_name(e2e_srv, u, &c));
		fprintf(stderr, "test: display name accepted, stored as '%s'\n", stored);
		if (clean_text_chars(stored) < 1) {
			fprintf(stderr, "test: stored display name is not clean text: '%s'\n",
			    stored);
			free(stored);
			fail();
		}
		free(stored);
	} else {
		/* refused or cancelled: nothing stored */
		fprintf(stderr, "test: display name refused or sign-up cancelled\n");
		term_close(t);
		assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
	}
}

/* ESC [2J (clear screen) in the name: never echoed to the terminal. */
static void
name_with_clear_screen(void **state)
{
	static const char	 payload[] = "Mal\x1b[2Jlory";
	static const char *const bad[] = { "Mal\x1b[2J", "\x1b[2Jlory" };

	(void)state;
	hostile_display_name(payload, sizeof payload - 1, bad, 2);
	assert_server_serves();
}

/* An OSC title sequence in the name: the window title never changes. */
static void
name_with_osc_title(void **state)
{
	static const char	 payload[] = "Eve\x1b]0;PWNED\x07 and \x1b]2;PWNED\x1b\\";
	static const char *const bad[] = { "\x1b]0;PWNED", "\x1b]2;PWNED" };

	(void)state;
	hostile_display_name(payload, sizeof payload - 1, bad, 2);
	assert_server_serves();
}

/* C1 controls (CSI, OSC, ST as UTF-8) and raw invalid bytes. */
static void
name_with_c1_and_raw_bytes(void **state)
{
	static const char	 payload[] =
	    "Trudy\xc2\x9b" "2J\xc2\x9d" "0;PWNED\xc2\x9c\xff\xfe\xc3(\x80!";
	static const char *const bad[] = { "\xc2\x9b", "\xc2\x9d", "\xc2\x9c", "\xff", "\xfe" };

	(void)state;
	hostile_display_name(payload, sizeof payload - 1, bad, 5);
	assert_server_serves();
}

/* Bidi override and zero-width characters must not be drawn raw. */
static void
name_with_bidi_override(void **state)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE */
	static const char	 payload[] = "Oscar\xe2\x80\xae" "gnp.exe\xe2\x80\x8b";
	static const char *const bad[] = { "\xe2\x80\xae", "\xe2\x80\x8b" };

	(void)state;
	hostile_display_name(payload, sizeof payload - 1, bad, 2);
	assert_server_serves();
}

/* 10 KB typed into the display name: at most 64 characters are kept; the screen holds. */
static void
name_of_10kb(void **state)
{
	const char	*u = fresh_user("walter");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	char		*big = malloc(10241), *stored;
	int		 n;

	(void)state;
	assert_non_null(big);
	memset(big, 'W', 10240);
	big[10240] = '\0';
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_send(t, "\x05\x15");
	term_send(t, big);
	free(big);
	term_wait_quiet(t, 300, 0);
	assert_true(term_has_text(t, TXT_SIGNUP));
	assert_true(term_has_text(t, "Display name"));
	term_key(t, VTERM_KEY_ENTER);
	if (term_wait_text(t, TXT_HOME, 0)) {
		assert_true(term_quit(t));
		assert_non_null(stored = whoami_display_name(e2e_srv, u, &c));
		n = clean_text_chars(stored);
		assert_true(n >= 1 && n <= 64);
		assert_true(strspn(stored, "W") == strlen(stored));
		free(stored);
	} else {
		term_close(t);
		assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
	}
	assert_server_serves();
}

/* A 100 KB password over the password method fails like any wrong password. */
static void
password_of_100kb(void **state)
{
	const char	*u = fresh_user("victor");
	const char	*pw = "victor's real password";
	ssh_key		 k = key_new();
	struct cred	 c;
	struct conn	*conn;
	char		*big = malloc(100 * 1024 + 1);

	(void)state;
	assert_non_null(big);
	memset(big, 'p', 100 * 1024);
	big[100 * 1024] = '\0';
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	c = cred_password(big);
	assert_int_not_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	conn_close(conn);
	/* the same prefix a truncating server would accept */
	memcpy(big, pw, strlen(pw));
	assert_int_not_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	conn_close(conn);
	free(big);
	c = cred_password(pw);
	assert_true(logs_into_home(e2e_srv, u, &c));
	assert_server_serves();
}

/* 100 KB chosen as a password at keyboard-interactive sign-up: refused, nothing stored. */
static void
signup_password_of_100kb(void **state)
{
	const char	*u = fresh_user("wendy");
	ssh_key		 k = key_new();
	struct cred	 c, kc = cred_key(k);
	struct conn	*conn;
	char		*big = malloc(100 * 1024 + 1);

	(void)state;
	assert_non_null(big);
	memset(big, 'q', 100 * 1024);
	big[100 * 1024] = '\0';
	c = cred_kbdint(big, big, NULL);
	assert_int_not_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	conn_close(conn);
	free(big);
	assert_true(exec_refused_as_unknown(e2e_srv, u, &kc));
	assert_server_serves();
}

/* pty-req 0x0 means "not specified": the session works at a usual size. */
static void
pty_of_zero_size(void **state)
{
	const char	*u = fresh_user("zero");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	assert_non_null(t = term_start_pty(e2e_srv, conn, 0, 0, TERM_COLS, TERM_ROWS));
	snprintf(t->user, sizeof t->user, "%s", u);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	assert_true(term_quit(t));
	assert_server_serves();
}

/*
 * pty-req 100000x100000: no session may allocate without bound (a guard
 * kills any over 1 GB and fails the test); the session still shows Home.
 */
static void
pty_of_huge_size(void **state)
{
	const char	*u = fresh_user("huge");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;
	long long	 deadline = harness_now_ms() + harness_timeout_ms();
	int		 killed = 0;
	bool		 home = false;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	/* an emulator as big as any sane clamp; the app's size is the server's choice */
	assert_non_null(t = term_start_pty(e2e_srv, conn, 100000, 100000, 1000, 500));
	snprintf(t->user, sizeof t->user, "%s", u);
	while (!home && harness_now_ms() < deadline && !t->eof) {
		term_pump(t, 50);
		killed += server_kill_fat(e2e_srv, 1024);
		home = term_has_text(t, TXT_HOME);
	}
	assert_int_equal(killed, 0);
	assert_true(term_wait_text(t, TXT_HOME, 0));
	term_close(t);
	assert_server_serves();
}

/*
 * A client that vanishes in the middle of sign-up (no SSH goodbye): its
 * session processes go away and no account is left behind.
 */
static void
disconnect_mid_signup(void **state)
{
	const char	*u = fresh_user("ghost");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	int		 before;

	(void)state;
	/* earlier sessions are gone (or going): take the quiet count */
	server_wait_descendants(e2e_srv, 0, 2000);
	before = server_descendants(e2e_srv, NULL, 0);
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	term_send(t, "\x05\x15Half a na");
	assert_true(term_wait_text(t, "Half a na", 0));
	assert_true(server_descendants(e2e_srv, NULL, 0) > before);
	term_drop(t);
	assert_true(server_wait_descendants(e2e_srv, before, 0));
	assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
	assert_server_serves();
}

/*
 * A client that vanishes while its screen is being redrawn: the session
 * may learn of it from a failed write rather than from a read, and must
 * still go at once (not after its poll timeout). Several rounds, since the
 * moment the reset arrives varies.
 */
static void
disconnect_while_drawing(void **state)
{
	const char	*u = fresh_user("vanish");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	char		 burst[801];
	int		 before;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	/* every '?' opens or closes the help overlay: a redraw each */
	memset(burst, '?', sizeof burst - 1);
	burst[sizeof burst - 1] = '\0';
	server_wait_descendants(e2e_srv, 0, 2000);
	before = server_descendants(e2e_srv, NULL, 0);
	for (int round = 0; round < 5; round++) {
		struct term *t;

		assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
		assert_true(term_wait_text(t, TXT_HOME, 0));
		term_send(t, burst);
		term_drop(t);
		/* well under the session's 30 s poll timeout, well over the 2 s hang-up grace */
		assert_true(server_wait_descendants(e2e_srv, before, 8000));
	}
	assert_server_serves();
}

/* Committed data survives kill -9 of sshbookd: restart on the same data dir and log in. */
static void
committed_data_survives_kill9(void **state)
{
	const char		*u = fresh_user("phoenix");
	ssh_key			 k = key_new(), k2 = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	const char		*line2 = key_line(k2, NULL);
	char			 want[64];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_int_equal(run_exec(e2e_srv, u, &c, "keys add", line2, strlen(line2), &r), 0);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);

	assert_int_equal(server_kill9(e2e_srv), 0);
	assert_int_equal(server_restart(e2e_srv), 0);

	assert_true(logs_into_home(e2e_srv, u, &c));
	c = cred_key(k2);
	assert_int_equal(run_exec(e2e_srv, u, &c, "whoami", NULL, 0, &r), 0);
	snprintf(want, sizeof want, "%s\n", u);
	assert_string_equal(r.out, want);
	exec_result_free(&r);
	assert_server_serves();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(name_with_clear_screen, e2e_teardown),
		cmocka_unit_test_teardown(name_with_osc_title, e2e_teardown),
		cmocka_unit_test_teardown(name_with_c1_and_raw_bytes, e2e_teardown),
		cmocka_unit_test_teardown(name_with_bidi_override, e2e_teardown),
		cmocka_unit_test_teardown(name_of_10kb, e2e_teardown),
		cmocka_unit_test_teardown(password_of_100kb, e2e_teardown),
		cmocka_unit_test_teardown(signup_password_of_100kb, e2e_teardown),
		cmocka_unit_test_teardown(pty_of_zero_size, e2e_teardown),
		cmocka_unit_test_teardown(pty_of_huge_size, e2e_teardown),
		cmocka_unit_test_teardown(disconnect_mid_signup, e2e_teardown),
		cmocka_unit_test_teardown(disconnect_while_drawing, e2e_teardown),
		cmocka_unit_test_teardown(committed_data_survives_kill9, e2e_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "resize*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e bad input", tests, e2e_group_setup,
	    e2e_group_teardown);
}
