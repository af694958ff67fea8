/*
 * The people of the end-to-end tests (tests/e2e/people.h): shared by every
 * test file, so a scene reads the same everywhere.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

struct exec_result last;

/* Sign up with a key and a display name, and stay on Home with both counts at 0. */
bool
person_new(struct person *p, const char *prefix, const char *display)
{
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", fresh_user(prefix));
	snprintf(p->display, sizeof p->display, "%s", display);
	p->key = key_new();
	p->cred = cred_key(p->key);
	p->t = signup_with_key(e2e_srv, p->name, p->key, display, NULL);
	return p->t != NULL && term_wait_badge(p->t, 0) && term_wait_msg_count(p->t, 0);
}

/* The same, then log out: for people who only act over exec. */
bool
person_new_offline(struct person *p, const char *prefix, const char *display)
{
	if (!person_new(p, prefix, display))
		return false;
	if (!term_quit(p->t)) {
		p->t = NULL;
		return false;
	}
	p->t = NULL;
	return true;
}

/* Another session of p, on Home. */
struct term *
person_login(struct person *p)
{
	struct term *t = term_open(e2e_srv, p->name, &p->cred, TERM_COLS, TERM_ROWS);

	if (t != NULL && !term_wait_text(t, TXT_HOME, 0)) {
		term_close(t);
		return NULL;
	}
	return t;
}

/* Run a command as p over exec; true when it exited with want. The result is in `last`. */
bool
run_as(struct person *p, int want, const char *fmt, ...)
{
	char	cmd[20000];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	exec_result_free(&last);
	return exec_expect(e2e_srv, p->name, &p->cred, cmd, want, &last);
}

/* Run a command as p over exec whatever its status; returns the status (-1: it did not run). */
int
run_quiet(struct person *p, const char *fmt, ...)
{
	char	cmd[8192];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	exec_result_free(&last);
	if (run_exec(e2e_srv, p->name, &p->cred, cmd, NULL, 0, &last) != 0)
		last.status = -1;
	return last.status;
}

/* stderr of the last command is one non-empty line and stdout is empty. */
bool
last_failed_cleanly(void)
{
	size_t n = strlen(last.err);

	if (count_lines(last.err) == 1 && n > 1 && last.err[n - 1] == '\n' && last.outlen == 0)
		return true;
	fprintf(stderr, "test: expected one stderr line and no stdout; stdout '%s' stderr '%s'\n",
	    last.out, last.err);
	return false;
}

/* a and b become friends over exec. */
bool
make_friends(struct person *a, struct person *b)
{
	return run_as(a, 0, "friend add %s", b->name) && run_as(b, 0, "friend accept %s", a->name);
}

/* Quote s as one word for the exec command line (common/cmdline.h: single quotes). */
const char *
quote(const char *s)
{
	static char	ring[4][1024];
	static int	next;
	char		*q = ring[next++ % 4], *w = q;

	*w++ = '\'';
	for (; *s && w < q + sizeof ring[0] - 6; s++) {
		if (*s == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
		} else
			*w++ = *s;
	}
	*w++ = '\'';
	*w = '\0';
	return q;
}

/* Each line of out parsed as one JSON object; returns how many (all of them must parse). */
int
json_lines(const char *out, struct json_object **v, int max)
{
	const char	*p = out;
	int		 n = 0;

	while (*p && n < max) {
		const char	*nl = strchr(p, '\n');
		size_t		 len = nl ? (size_t)(nl - p) : strlen(p);
		char		*line = strndup(p, len);

		if ((v[n] = json_tokener_parse(line)) == NULL ||
		    !json_object_is_type(v[n], json_type_object)) {
			fprintf(stderr, "test: not a JSON object: '%s'\n", line);
			free(line);
			return -1;
		}
		free(line);
		n++;
		p += len + (nl != NULL);
	}
	return n;
}

void
json_free_all(struct json_object **v, int n)
{
	for (int i = 0; i < n; i++)
		json_object_put(v[i]);
}

/* Print the screen of t with why, return false. */
bool
screen_fail(struct term *t, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "test (%s): ", t->user);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	term_screen_dump(t, stderr);
	return false;
}

/* Whether id is among ids[0..n). */
bool
has_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Run cmd as p with inlen bytes of in on standard input; true when it exited with want. */
bool
run_stdin(struct person *p, int want, const char *cmd, const void *in, size_t inlen)
{
	exec_result_free(&last);
	if (run_exec(e2e_srv, p->name, &p->cred, cmd, in, inlen, &last) != 0)
		last.status = -1;
	if (last.status == want)
		return true;
	fprintf(stderr, "test: '%s' as '%s' (%zu bytes in) exited %d, expected %d; stdout '%s', "
	    "stderr '%s'\n", cmd, p->name, inlen, last.status, want, last.out ? last.out : "",
	    last.err ? last.err : "");
	return false;
}

const char *
at(const struct person *p)
{
	static char	ring[8][48];
	static int	next;
	char		*s = ring[next++ % 8];

	snprintf(s, sizeof ring[0], "@%s ", p->name);
	return s;
}

const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *f;

	if (!json_object_object_get_ex(o, key, &f) || !json_object_is_type(f, json_type_string))
		return "";
	return json_object_get_string(f);
}

bool
wait_below_has(struct term *t, const char *text, int dy, const char *also)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	for (;;) {
		char	row[2048];
		int	y = term_find(t, text);

		if (y >= 0 && y + dy >= 0) {
			term_row(t, y + dy, row, sizeof row);
			if (strstr(row, also) != NULL)
				return true;
		}
		if (harness_now_ms() >= deadline)
			return screen_fail(t, "no '%s' %d row(s) from '%s'", also, dy, text);
		if (term_pump(t, 50) < 0 && harness_now_ms() + 50 >= deadline)
			return screen_fail(t, "closed while waiting for '%s' with '%s'", text, also);
	}
}

bool
wait_row_has(struct term *t, const char *text, const char *also)
{
	return wait_below_has(t, text, 0, also);
}

bool
absent(struct term *t, const char *text)
{
	term_wait_quiet(t, 150, 0);
	if (!term_has_text(t, text))
		return true;
	return screen_fail(t, "'%s' is on the screen and should not be", text);
}

bool
chat_by_command(struct term *t, const struct person *who, const char *ready)
{
	char title[160];

	term_send(t, ":");
	if (!term_wait_row(t, -1, ":", 0))
		return false;
	term_send(t, "dm ");
	term_send(t, who->name);
	term_key(t, VTERM_KEY_ENTER);
	snprintf(title, sizeof title, "Chat with %s @%s", who->display, who->name);
	return term_wait_row(t, 1, title, 0) && term_wait_row(t, -2, ready, 0);
}
