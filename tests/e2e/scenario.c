/* Shared end-to-end steps (see scenario.h). */
#include "tests/e2e/scenario.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

void
field_fill(struct term *t, const char *text)
{
	/* Ctrl-E (end), Ctrl-U (kill to start): an empty field, then the text */
	term_send(t, "\x05\x15");
	term_send(t, text);
}

void
signup_form_submit(struct term *t, const char *display_name, const char *password)
{
	if (display_name != NULL)
		field_fill(t, display_name);
	if (password != NULL) {
		term_key(t, VTERM_KEY_TAB);
		field_fill(t, password);
		term_key(t, VTERM_KEY_TAB);
		field_fill(t, password);
	}
	term_key(t, VTERM_KEY_ENTER);
}

struct term *
signup_with_key(struct server *srv, const char *user, ssh_key key,
    const char *display_name, const char *password)
{
	struct cred	 c = cred_key(key);
	struct term	*t = term_open(srv, user, &c, TERM_COLS, TERM_ROWS);

	if (t == NULL)
		return NULL;
	if (!term_wait_text(t, TXT_SIGNUP, 0) || !term_wait_text(t, "Display name", 0))
		goto fail;
	signup_form_submit(t, display_name, password);
	if (!term_wait_text(t, TXT_HOME, 0))
		goto fail;
	return t;
 fail:
	term_close(t);
	return NULL;
}

struct term *
signup_with_password(struct server *srv, const char *user, const char *password,
    const char *display_name)
{
	struct cred	 c = cred_kbdint(password, password, NULL);
	struct conn	*conn;
	struct term	*t;
	int		 rc = conn_open(srv, user, &c, &conn);

	if (rc != CONN_OK) {
		fprintf(stderr, "scenario: keyboard-interactive sign-up of '%s' failed "
		    "(conn %d)\n", user, rc);
		conn_close(conn);
		return NULL;
	}
	if ((t = term_start(srv, conn, TERM_COLS, TERM_ROWS)) == NULL)
		return NULL;
	snprintf(t->user, sizeof t->user, "%s", user);
	if (!term_wait_text(t, TXT_SIGNUP, 0) || !term_wait_text(t, "Display name", 0))
		goto fail;
	signup_form_submit(t, display_name, NULL);
	if (!term_wait_text(t, TXT_HOME, 0))
		goto fail;
	return t;
 fail:
	term_close(t);
	return NULL;
}

bool
term_quit(struct term *t)
{
	int	status = -1;
	bool	ok = false;

	term_send(t, "q");
	if (!term_wait_text(t, TXT_QUIT, 0))
		goto out;
	term_send(t, "y");
	if (!term_wait_closed(t, 0, &status))
		goto out;
	if (status != 0) {
		fprintf(stderr, "scenario: quit ended '%s' with exit status %d\n", t->user,
		    status);
		goto out;
	}
	ok = true;
 out:
	term_close(t);
	return ok;
}

bool
make_user_with_key(struct server *srv, const char *user, ssh_key key, const char *password)
{
	struct term *t = signup_with_key(srv, user, key, NULL, password);

	return t != NULL && term_quit(t);
}

bool
make_user_with_password(struct server *srv, const char *user, const char *password)
{
	struct term *t = signup_with_password(srv, user, password, NULL);

	return t != NULL && term_quit(t);
}

bool
logs_into_home(struct server *srv, const char *user, const struct cred *c)
{
	struct term	*t = term_open(srv, user, c, TERM_COLS, TERM_ROWS);
	bool		 ok;

	if (t == NULL)
		return false;
	ok = term_wait_text(t, TXT_HOME, 0);
	term_wait_quiet(t, 100, 0);
	if (ok && term_has_text(t, TXT_SIGNUP)) {
		fprintf(stderr, "scenario: '%s' got the sign-up screen, not Home\n", user);
		ok = false;
	}
	term_close(t);
	return ok;
}

char *
whoami_display_name(struct server *srv, const char *user, const struct cred *c)
{
	struct exec_result	 r;
	struct json_object	*o = NULL, *dn;
	char			*name = NULL;

	if (run_exec(srv, user, c, "whoami --json", NULL, 0, &r) != 0)
		goto out;
	if (r.status != 0 || (o = json_tokener_parse(r.out)) == NULL ||
	    !json_object_object_get_ex(o, "display_name", &dn) ||
	    !json_object_is_type(dn, json_type_string)) {
		fprintf(stderr, "scenario: whoami --json as '%s': status %d, stdout '%s', "
		    "stderr '%s'\n", user, r.status, r.out, r.err);
		goto out;
	}
	name = strdup(json_object_get_string(dn));
 out:
	if (o != NULL)
		json_object_put(o);
	exec_result_free(&r);
	return name;
}

bool
exec_refused_as_unknown(struct server *srv, const char *user, const struct cred *c)
{
	struct exec_result	r;
	bool			ok;

	if (run_exec(srv, user, c, "whoami", NULL, 0, &r) != 0) {
		exec_result_free(&r);
		return false;
	}
	ok = r.status == 1 && r.outlen == 0 && strstr(r.err, "sign up") != NULL;
	if (!ok)
		fprintf(stderr, "scenario: whoami as '%s' was not refused as unknown: "
		    "status %d, stdout '%s', stderr '%s'\n", user, r.status, r.out, r.err);
	exec_result_free(&r);
	return ok;
}

bool
term_wait_badge(struct term *t, int n)
{
	char want[32];

	snprintf(want, sizeof want, " notif %d ", n);
	return term_wait_row(t, -1, want, 0);
}

bool
term_badge_is(struct term *t, int n)
{
	char want[32], row[1024];

	term_pump(t, 0);
	snprintf(want, sizeof want, " notif %d ", n);
	term_row(t, -1, row, sizeof row);
	return strstr(row, want) != NULL;
}

bool
exec_expect(struct server *srv, const char *user, const struct cred *c, const char *cmdline,
    int want, struct exec_result *res)
{
	struct exec_result	r;
	bool			ok;

	if (run_exec(srv, user, c, cmdline, NULL, 0, &r) != 0)
		r.status = -1;
	ok = r.status == want;
	if (!ok)
		fprintf(stderr, "scenario: '%s' as '%s' exited %d, expected %d; stdout '%s', "
		    "stderr '%s'\n", cmdline, user, r.status, want, r.out ? r.out : "",
		    r.err ? r.err : "");
	if (res != NULL)
		*res = r;
	else
		exec_result_free(&r);
	return ok;
}

int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct server *e2e_srv;

int
e2e_group_setup(void **state)
{
	(void)state;
	return server_start(&e2e_srv, NULL);
}

int
e2e_group_teardown(void **state)
{
	int r = server_stop(e2e_srv);

	(void)state;
	e2e_srv = NULL;
	return r;
}

int
e2e_teardown(void **state)
{
	(void)state;
	return harness_cleanup();
}
