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

/* Whether the status line reads " WORD N " right now. */
static bool
status_count_is(struct term *t, const char *word, int n)
{
	char want[48], row[1024];

	term_pump(t, 0);
	snprintf(want, sizeof want, " %s %d ", word, n);
	term_row(t, -1, row, sizeof row);
	return strstr(row, want) != NULL;
}

bool
term_badge_is(struct term *t, int n)
{
	return status_count_is(t, "notif", n);
}

bool
term_wait_msg_count(struct term *t, int n)
{
	char want[32];

	snprintf(want, sizeof want, " msg %d ", n);
	return term_wait_row(t, -1, want, 0);
}

bool
term_msg_count_is(struct term *t, int n)
{
	return status_count_is(t, "msg", n);
}

/*
 * One command on a new channel of c, read to EOF; its exit status, or -1 when
 * it did not run. The start of its stderr goes to err.
 */
static int
exec_on(struct conn *c, const char *cmdline, char *err, size_t errsz)
{
	ssh_channel	 ch;
	char		 buf[4096];
	size_t		 errlen = 0;
	int		 n, status = -1;
	long long	 deadline = harness_now_ms() + harness_timeout_ms();

	err[0] = '\0';
	if ((ch = ssh_channel_new(c->s)) == NULL)
		return -1;
	if (ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_exec(ch, cmdline) != SSH_OK) {
		snprintf(err, errsz, "channel: %s", ssh_get_error(c->s));
		ssh_channel_free(ch);
		return -1;
	}
	ssh_channel_send_eof(ch);
	for (;;) {
		n = ssh_channel_poll_timeout(ch, 50, 0);
		while (ssh_channel_read_nonblocking(ch, buf, sizeof buf, 0) > 0)
			;
		while ((n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1)) > 0) {
			size_t k = (size_t)n < errsz - 1 - errlen ? (size_t)n : errsz - 1 - errlen;

			memcpy(err + errlen, buf, k);
			err[errlen += k] = '\0';
		}
		if (n == SSH_ERROR || ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch))
			break;
		if (harness_now_ms() >= deadline) {
			snprintf(err, errsz, "no EOF within %d ms", harness_timeout_ms());
			goto out;
		}
	}
	status = ssh_channel_get_exit_status(ch);
 out:
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return status;
}

int
exec_batch(struct server *srv, const char *user, const struct cred *cr, char *const *cmdlines,
    int n)
{
	struct conn	*c = NULL;
	char		 err[512];
	int		 i, status;

	if (conn_open(srv, user, cr, &c) != CONN_OK) {
		fprintf(stderr, "scenario: exec batch as '%s': login failed\n", user);
		conn_close(c);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if ((status = exec_on(c, cmdlines[i], err, sizeof err)) != 0) {
			fprintf(stderr, "scenario: '%s' as '%s' exited %d: %s\n", cmdlines[i], user,
			    status, err);
			break;
		}
	}
	conn_close(c);
	return i;
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

/* ---- posts ---------------------------------------------------------------------- */

long long
exec_post(struct server *srv, const char *user, const struct cred *c, const char *visibility,
    const char *text)
{
	struct exec_result	 r;
	char			 cmd[128], *end;
	long long		 id = -1;

	if (visibility != NULL)
		snprintf(cmd, sizeof cmd, "post --visibility %s", visibility);
	else
		snprintf(cmd, sizeof cmd, "post");
	if (run_exec(srv, user, c, cmd, text, strlen(text), &r) != 0)
		r.status = -1;
	if (r.status == 0) {
		id = strtoll(r.out, &end, 10);
		if (end == r.out || strcmp(end, "\n") != 0 || id <= 0)
			id = -1;
	}
	if (id < 0)
		fprintf(stderr, "scenario: '%s' as '%s' exited %d: stdout '%s', stderr '%s'\n", cmd,
		    user, r.status, r.out ? r.out : "", r.err ? r.err : "");
	exec_result_free(&r);
	return id;
}

int
exec_feed_ids(struct server *srv, const char *user, const struct cred *c, const char *args,
    long long *ids, int max)
{
	struct exec_result	 r;
	struct json_object	*o, *f;
	char			 cmd[512], *line, *save = NULL;
	int			 n = 0;

	snprintf(cmd, sizeof cmd, "feed %s --json", args);
	if (!exec_expect(srv, user, c, cmd, 0, &r)) {
		exec_result_free(&r);
		return -1;
	}
	for (line = strtok_r(r.out, "\n", &save); line != NULL && n < max;
	    line = strtok_r(NULL, "\n", &save)) {
		o = json_tokener_parse(line);
		if (o == NULL || !json_object_object_get_ex(o, "id", &f) ||
		    !json_object_is_type(f, json_type_int)) {
			fprintf(stderr, "scenario: '%s' as '%s': not a post: '%s'\n", cmd, user,
			    line);
			if (o != NULL)
				json_object_put(o);
			n = -1;
			break;
		}
		ids[n++] = (long long)json_object_get_int64(f);
		json_object_put(o);
	}
	exec_result_free(&r);
	return n;
}

bool
compose_post(struct term *t, const char *text)
{
	const char *p, *nl;

	term_send(t, "n");
	if (!term_wait_text(t, TXT_NEW_POST, 0) || !term_wait_text(t, TXT_PREVIEW, 0))
		return false;
	for (p = text; *p != '\0'; p = nl + 1) {
		char *line;

		nl = strchr(p, '\n');
		line = strndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		term_send(t, line);
		free(line);
		if (nl == NULL)
			break;
		term_key(t, VTERM_KEY_ENTER);
	}
	term_send(t, "\x13");	/* Ctrl-S */
	return term_wait_row(t, -1, "posted", 0);
}

bool
term_wait_selected(struct term *t, const char *text)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms();
	char		row[2048];
	int		y;

	for (;;) {
		if ((y = term_find(t, text)) >= 0) {
			term_row(t, y, row, sizeof row);
			if (strncmp(row, TXT_SEL_BAR, strlen(TXT_SEL_BAR)) == 0)
				return true;
		}
		if (harness_now_ms() >= deadline) {
			fprintf(stderr, "scenario: the row with '%s' is not selected on the "
			    "screen of '%s':\n", text, t->user);
			term_screen_dump(t, stderr);
			return false;
		}
		term_pump(t, 50);
	}
}
