/*
 * End to end: commands over exec (`ssh host COMMAND`) and a shell without a
 * pty (`ssh -T host`): stdout, stderr, exit status, as a script sees them.
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


/* Run cmdline as user and keep the result in *r; fails the test if it did not run. */
static void
exec_ok(const char *u, const struct cred *c, const char *cmdline, const char *in,
    struct exec_result *r)
{
	assert_int_equal(run_exec(e2e_srv, u, c, cmdline, in, in ? strlen(in) : 0, r), 0);
}

/* stderr is exactly one non-empty line. */
static void
assert_one_line(const char *s)
{
	if (count_lines(s) != 1 || s[0] == '\n' || s[strlen(s) - 1] != '\n')
		fprintf(stderr, "test: expected one line, got '%s'\n", s);
	assert_int_equal(count_lines(s), 1);
	assert_true(s[0] != '\n');
	assert_true(s[strlen(s) - 1] == '\n');
}

static void
whoami_prints_username(void **state)
{
	const char		*u = fresh_user("alice");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	char			 want[64];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "whoami", NULL, &r);
	snprintf(want, sizeof want, "%s\n", u);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	assert_int_equal(r.status, 0);
	exec_result_free(&r);
}

/* A password account runs commands too (password method). */
static void
whoami_with_password(void **state)
{
	const char		*u = fresh_user("bert");
	const char		*pw = "bert's password";
	struct cred		 c = cred_password(pw);
	struct exec_result	 r;
	char			 want[64];

	(void)state;
	assert_true(make_user_with_password(e2e_srv, u, pw));
	exec_ok(u, &c, "whoami", NULL, &r);
	snprintf(want, sizeof want, "%s\n", u);
	assert_string_equal(r.out, want);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);
}

static void
help_lists_commands(void **state)
{
	const char		*u = fresh_user("cleo");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "help", NULL, &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "whoami"));
	assert_non_null(strstr(r.out, "keys"));
	assert_non_null(strstr(r.out, "help"));
	exec_result_free(&r);
}

/* keys list shows the fingerprint; keys add reads a line on stdin; the new key logs in. */
static void
keys_list_and_add(void **state)
{
	const char		*u = fresh_user("dora");
	ssh_key			 k = key_new(), k2 = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	char			 line[1024];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "keys list", NULL, &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, harness_key_fingerprint(k)));
	assert_int_equal(count_lines(r.out), 1);
	exec_result_free(&r);

	snprintf(line, sizeof line, "%s\n", key_line(k2, "dora@desk"));
	exec_ok(u, &c, "keys add", line, &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, harness_key_fingerprint(k2)));
	exec_result_free(&r);

	exec_ok(u, &c, "keys", NULL, &r);	/* plain `keys` lists too */
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, harness_key_fingerprint(k)));
	assert_non_null(strstr(r.out, harness_key_fingerprint(k2)));
	exec_result_free(&r);

	c = cred_key(k2);
	exec_ok(u, &c, "whoami", NULL, &r);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);

	/* the same key again: refused, one line */
	c = cred_key(k);
	exec_ok(u, &c, "keys add", line, &r);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err);
	exec_result_free(&r);
}

/* Garbage on stdin is refused with one line on stderr, and nothing is added. */
static void
keys_add_refuses_garbage(void **state)
{
	const char		*u = fresh_user("eddy");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "keys add", "this is not a key\n", &r);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err);
	assert_string_equal(r.out, "");
	exec_result_free(&r);

	exec_ok(u, &c, "keys add", "", &r);	/* nothing at all */
	assert_int_equal(r.status, 1);
	assert_one_line(r.err);
	exec_result_free(&r);

	exec_ok(u, &c, "keys list", NULL, &r);
	assert_int_equal(count_lines(r.out), 1);
	exec_result_free(&r);
}

/* keys remove FP: that key stops working; unknown fingerprints are "not found" (2). */
static void
keys_remove(void **state)
{
	const char		*u = fresh_user("fern");
	ssh_key			 k = key_new(), k2 = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	struct conn		*conn;
	char			 cmd[256];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "keys add", key_line(k2, NULL), &r);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);

	snprintf(cmd, sizeof cmd, "keys remove %s", harness_key_fingerprint(k2));
	exec_ok(u, &c, cmd, NULL, &r);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);
	exec_ok(u, &c, "keys list", NULL, &r);
	assert_null(strstr(r.out, harness_key_fingerprint(k2)));
	assert_non_null(strstr(r.out, harness_key_fingerprint(k)));
	exec_result_free(&r);

	c = cred_key(k2);
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_DENIED);
	conn_close(conn);

	c = cred_key(k);
	exec_ok(u, &c, cmd, NULL, &r);	/* gone already */
	assert_int_equal(r.status, 2);
	assert_one_line(r.err);
	exec_result_free(&r);
}

/* The last way in cannot be removed: exit 3 (not allowed), and the key still works. */
static void
keys_remove_last_refused(void **state)
{
	const char		*u = fresh_user("gil");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;
	char			 cmd[256];

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	snprintf(cmd, sizeof cmd, "keys remove %s", harness_key_fingerprint(k));
	exec_ok(u, &c, cmd, NULL, &r);
	assert_int_equal(r.status, 3);
	assert_one_line(r.err);
	exec_result_free(&r);
	exec_ok(u, &c, "whoami", NULL, &r);
	assert_int_equal(r.status, 0);
	exec_result_free(&r);
}

/* An unknown command: exit 1, one line on stderr, nothing on stdout. */
static void
unknown_command(void **state)
{
	const char		*u = fresh_user("hank");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	exec_ok(u, &c, "frobnicate --now", NULL, &r);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err);
	assert_string_equal(r.out, "");
	exec_result_free(&r);

	exec_ok(u, &c, "whoami extra args", NULL, &r);	/* usage error */
	assert_int_equal(r.status, 1);
	assert_one_line(r.err);
	exec_result_free(&r);
}

/* exec from a name that has no account is refused: exit 1, one line that says to sign up. */
static void
exec_from_unknown_user(void **state)
{
	const char		*u = fresh_user("ivy");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;

	(void)state;
	exec_ok(u, &c, "whoami", NULL, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "sign up"));
	assert_one_line(r.err);
	exec_result_free(&r);
	/* and that stored nothing */
	assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
}

/* `ssh -T host`: a shell without a pty gets a one-line hint to use ssh -t, exit 1. */
static void
shell_without_pty(void **state)
{
	const char		*u = fresh_user("jack");
	ssh_key			 k = key_new();
	struct cred		 c = cred_key(k);
	struct exec_result	 r;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, NULL));
	assert_int_equal(run_shell_nopty(e2e_srv, u, &c, &r), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "ssh -t"));
	assert_one_line(r.err);
	exec_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(whoami_prints_username, e2e_teardown),
		cmocka_unit_test_teardown(whoami_with_password, e2e_teardown),
		cmocka_unit_test_teardown(help_lists_commands, e2e_teardown),
		cmocka_unit_test_teardown(keys_list_and_add, e2e_teardown),
		cmocka_unit_test_teardown(keys_add_refuses_garbage, e2e_teardown),
		cmocka_unit_test_teardown(keys_remove, e2e_teardown),
		cmocka_unit_test_teardown(keys_remove_last_refused, e2e_teardown),
		cmocka_unit_test_teardown(unknown_command, e2e_teardown),
		cmocka_unit_test_teardown(exec_from_unknown_user, e2e_teardown),
		cmocka_unit_test_teardown(shell_without_pty, e2e_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "resize*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	return cmocka_run_group_tests_name("e2e exec", tests, e2e_group_setup, e2e_group_teardown);
}
