/* Shared end-to-end steps (see scenario.h). */
#include "tests/e2e/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

struct server	*e2e_srv;
const char	*e2e_server_config;

int
e2e_group_setup(void **state)
{
	(void)state;
	return server_start(&e2e_srv, e2e_server_config);
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

bool
term_open_profile(struct term *t, const char *username, const char *display)
{
	char at[48], two[3] = { username[0], username[1], '\0' };

	snprintf(at, sizeof at, "@%s ", username);
	term_send(t, "/");
	if (!term_wait_text(t, "Search:", 0))
		return false;
	term_send(t, two);
	if (!term_wait_text(t, at, 0))
		return false;
	term_send(t, username + 2);
	if (!term_wait_row(t, 4, at, 0))	/* tab bar, query, count line, blank, first hit */
		return false;
	term_key(t, VTERM_KEY_ENTER);
	return term_wait_text(t, "Joined", 0) && term_wait_text(t, display, 0);
}

/* ---- media ------------------------------------------------------------------------ */

int
scp_put(struct server *srv, const char *user, ssh_key key, const char *local, const char *remote,
    struct exec_result *res)
{
	char		 dest[256];
	const char	*args[] = { "-q", local, dest, NULL };

	snprintf(dest, sizeof dest, "%s@127.0.0.1:%s", user, remote != NULL ? remote : "");
	/* a 60 MiB file takes a while under ASan: three deadlines */
	return run_openssh(srv, "scp", key, args, NULL, 0, 3 * harness_timeout_ms(), res);
}

int
sftp_batch(struct server *srv, const char *user, ssh_key key, const char *batch,
    struct exec_result *res)
{
	char		 dest[256];
	const char	*args[] = { "-b", "-", dest, NULL };

	snprintf(dest, sizeof dest, "%s@127.0.0.1", user);
	return run_openssh(srv, "sftp", key, args, batch, strlen(batch),
	    3 * harness_timeout_ms(), res);
}

long long
scp_media_id(const char *err, const char *name)
{
	char		 want[300];
	const char	*p = err;
	size_t		 wl;

	snprintf(want, sizeof want, "%s: media ", name);
	wl = strlen(want);
	while ((p = strstr(p, want)) != NULL) {
		/* at the start of a line */
		if (p == err || p[-1] == '\n') {
			char		*end;
			long long	 id = strtoll(p + wl, &end, 10);

			if (end != p + wl && id > 0)
				return id;
		}
		p += wl;
	}
	return -1;
}

long long
exec_upload(struct server *srv, const char *user, const struct cred *c, const char *args,
    const void *data, size_t n, long long *postp)
{
	struct exec_result	 r;
	char			 cmd[4096], *end;
	long long		 id = -1, post = 0;

	if (postp != NULL)
		*postp = 0;
	snprintf(cmd, sizeof cmd, "upload%s%s", *args ? " " : "", args);
	if (run_exec(srv, user, c, cmd, data, n, &r) != 0)
		r.status = -1;
	if (r.status == 0) {
		id = strtoll(r.out, &end, 10);
		if (end == r.out || *end != '\n' || id <= 0)
			id = -1;
		else if (strncmp(end + 1, "post ", 5) == 0)
			post = strtoll(end + 6, NULL, 10);
	}
	if (id < 0)
		fprintf(stderr, "scenario: '%s' as '%s' (%zu bytes in) exited %d: stdout '%s', "
		    "stderr '%s'\n", cmd, user, n, r.status, r.out ? r.out : "",
		    r.err ? r.err : "");
	if (postp != NULL)
		*postp = post;
	exec_result_free(&r);
	return id;
}

const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *f;

	if (o == NULL || !json_object_object_get_ex(o, key, &f) ||
	    !json_object_is_type(f, json_type_string))
		return "";
	return json_object_get_string(f);
}

long long
json_int(struct json_object *o, const char *key)
{
	struct json_object *f;

	if (o == NULL || !json_object_object_get_ex(o, key, &f) ||
	    !json_object_is_type(f, json_type_int))
		return -1;
	return (long long)json_object_get_int64(f);
}

/* `media show ID --json` once; *status its exit status. */
static struct json_object *
media_show_once(struct server *srv, const char *user, const struct cred *c, long long id,
    int *status, char *last, size_t lastsz)
{
	struct exec_result	 r;
	struct json_object	*o = NULL;
	char			 cmd[64];

	snprintf(cmd, sizeof cmd, "media show %lld --json", id);
	if (run_exec(srv, user, c, cmd, NULL, 0, &r) != 0)
		r.status = -1;
	*status = r.status;
	snprintf(last, lastsz, "exit %d, stdout '%s', stderr '%s'", r.status,
	    r.out ? r.out : "", r.err ? r.err : "");
	if (r.status == 0 && count_lines(r.out) == 1)
		o = json_tokener_parse(r.out);
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	exec_result_free(&r);
	return o;
}

struct json_object *
media_show(struct server *srv, const char *user, const struct cred *c, long long id)
{
	struct json_object	*o;
	char			 last[2048];
	int			 status;

	if ((o = media_show_once(srv, user, c, id, &status, last, sizeof last)) == NULL)
		fprintf(stderr, "scenario: 'media show %lld --json' as '%s': %s\n", id, user, last);
	return o;
}

struct json_object *
media_wait_state(struct server *srv, const char *user, const struct cred *c, long long id,
    const char *want, int ms)
{
	long long	deadline = harness_now_ms() + (ms > 0 ? ms : harness_timeout_ms());
	char		last[2048] = "";
	int		status;

	for (;;) {
		struct json_object *o = media_show_once(srv, user, c, id, &status, last,
		    sizeof last);

		if (o != NULL && strcmp(json_str(o, "state"), want) == 0)
			return o;
		if (o != NULL)
			json_object_put(o);
		if (harness_now_ms() >= deadline)
			break;
		/* each question is a connection and a process: leave the worker some CPU */
		poll(NULL, 0, 50);
	}
	fprintf(stderr, "scenario: media %lld did not become '%s' for '%s' within %d ms; last "
	    "answer: %s\n", id, want, user, ms > 0 ? ms : harness_timeout_ms(), last);
	server_print_log(srv, stderr, 40);
	return NULL;
}

int
media_ids(struct server *srv, const char *user, const struct cred *c, const char *owner,
    long long *ids, int max)
{
	struct exec_result	 r;
	char			 cmd[256], *line, *save = NULL;
	int			 n = 0;

	snprintf(cmd, sizeof cmd, "media%s%s --json", owner ? " " : "", owner ? owner : "");
	if (!exec_expect(srv, user, c, cmd, 0, &r)) {
		exec_result_free(&r);
		return -1;
	}
	for (line = strtok_r(r.out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);

		if (o == NULL || json_int(o, "id") <= 0) {
			fprintf(stderr, "scenario: '%s' as '%s': not a media item: '%s'\n", cmd,
			    user, line);
			if (o != NULL)
				json_object_put(o);
			n = -1;
			break;
		}
		if (n < max)
			ids[n] = json_int(o, "id");
		n++;
		json_object_put(o);
	}
	exec_result_free(&r);
	return n;
}

/* Regular files below dir, recursively. */
static int
count_files(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char		path[4096];
		struct stat	st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			n += count_files(path);
		else if (S_ISREG(st.st_mode))
			n++;
	}
	closedir(d);
	return n;
}

int
spool_files(const struct server *srv)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/spool", srv->data_dir);
	return count_files(path);
}

int
media_files(const struct server *srv)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/media", srv->data_dir);
	return count_files(path);
}

char *
media_stored_path(const struct server *srv, long long id)
{
	static const char *const exts[] = { "jpg", "png", "mp4", "webm" };

	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		char *path;

		if (asprintf(&path, "%s/media/%lld.%s", srv->data_dir, id, exts[i]) < 0)
			abort();
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}
