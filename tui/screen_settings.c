/*
 * Settings: the password and the SSH keys that log this account in (the
 * one this session proved is marked: sshbookd passes its fingerprint as
 * SSHBOOK_LOGIN_KEY), who new posts are for by default, and deleting the
 * account. Every change goes through storage, which refuses to
 * remove the last way in; the screen only reports what storage said.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "cli/upload.h"
#include "tui/app.h"
#include "tui/listview.h"
#include "tui/screen.h"

struct settings_state {
	struct key_list	 keys;
	struct listview	 lv;
	enum visibility	 vis;		/* the default for new posts */
	const char	*login_key;	/* this session's key fingerprint, or NULL (a password) */
	char		*old_pw;	/* held between the steps of a password change; wiped */
	char		*new_pw;
};

static void
wipe_free(char **p)
{
	if (*p != NULL) {
		sodium_memzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

static void
settings_load(struct app *app, struct settings_state *s)
{
	key_list_free(&s->keys);
	if (store_key_list(app_store(app), app_user(app)->id, &s->keys) != 0)
		app_status(app, true, "cannot load your keys");
	s->lv.n = s->keys.n;
	listview_clamp(&s->lv, 10);
}

static void *
settings_enter(struct app *app, const char *arg)
{
	struct settings_state *s = xcalloc(1, sizeof *s);

	(void)arg;
	app_reload_user(app);
	settings_load(app, s);
	if (store_default_visibility(app_store(app), app_user(app)->id, &s->vis) != 0)
		s->vis = VIS_PUBLIC;
	s->login_key = getenv("SSHBOOK_LOGIN_KEY");
	return s;
}

static void
settings_leave(struct app *app, void *state)
{
	struct settings_state *s = state;

	(void)app;
	key_list_free(&s->keys);
	wipe_free(&s->old_pw);
	wipe_free(&s->new_pw);
	free(s);
}

static void
settings_draw(struct app *app, void *state, const struct rect *r)
{
	struct settings_state	*s = state;
	const struct user	*u = app_user(app);
	int			 y = r->y + 1, x = r->x + 2, w = r->w - 4, rows;
	size_t			 i;
	char			 date[32];

	draw_text(y++, x, w, "Settings", ROLE_TITLE);
	y++;
	draw_text(y++, x, w, "Password", ROLE_KEY);
	draw_textf(y++, x + 2, w - 2, ROLE_NORMAL, "%s  (p to %s)",
	    u->has_password ? "set" : "not set: you log in with a key only",
	    u->has_password ? "change it" : "set one");
	y++;
	draw_text(y++, x, w, "New posts", ROLE_KEY);
	draw_textf(y++, x + 2, w - 2, ROLE_NORMAL, "visible to: %s by default  (v changes it)",
	    visibility_name(s->vis));
	y++;
	draw_textf(y++, x, w, ROLE_KEY, "SSH keys (%zu)%s", s->keys.n,
	    s->login_key == NULL ? "  \u00b7  this session: your password" :
	    "  \u00b7  * this session");
	rows = r->y + r->h - y - 3;
	if (rows < 1)
		rows = 1;
	listview_clamp(&s->lv, (size_t)rows);
	for (i = s->lv.top; i < s->keys.n && (int)(i - s->lv.top) < rows; i++) {
		const struct user_key *k = &s->keys.v[i];

		time_date(k->created_at, date, sizeof date);
		if (i == s->lv.sel)
			draw_fill(y, x, w, ROLE_SELECTED);
		/*
		 * The fingerprint whole (people compare it), then the date and the
		 * type ("ed25519": "ssh-" says nothing here); only the comment may
		 * be cut ("…"), so all of this fits 80 columns.
		 */
		{
			struct buf	line = BUF_INIT;
			const char	*type = strncmp(k->type, "ssh-", 4) == 0 ? k->type + 4 : k->type;

			buf_addf(&line, "%s  %s  %s  %s", k->fingerprint, date, type, k->comment);
			/* This session's key: a mark in the margin, so the row still fits. */
			if (s->login_key != NULL && strcmp(s->login_key, k->fingerprint) == 0)
				draw_text(y, x, 1, "*", i == s->lv.sel ? ROLE_SELECTED : ROLE_KEY);
			draw_text_cut(y++, x + 2, w - 2, line.buf, i == s->lv.sel ? ROLE_SELECTED :
			    ROLE_NORMAL);
			buf_release(&line);
		}
	}
	if (s->keys.n == 0)
		draw_text(y++, x + 2, w - 2, "no keys: you log in with your password", ROLE_DIM);
	app_draw_hints(app, r->y + r->h - 2, x, w);
}

/* ---- password change: old (when set), new, repeat ---------------------- */

static void pw_new_done(struct app *, void *, const char *);

static void
pw_repeat_done(struct app *app, void *ctx, const char *text)
{
	struct settings_state	*s = ctx;
	char			 why[160];
	int			 r;

	if (text == NULL)
		goto out;
	if (strcmp(text, s->new_pw) != 0) {
		app_status(app, true, "the two new passwords differ: nothing changed");
		goto out;
	}
	r = store_password_change(app_store(app), app_user(app)->id, s->old_pw, s->new_pw,
	    why, sizeof why);
	if (r == ERR_DENIED)
		app_status(app, true, "cannot change the password: the current password is wrong");
	else if (r != 0)
		app_status(app, true, "cannot change the password: %s", why[0] ? why : err_str(r));
	else {
		app_status(app, false, "password changed");
		app_reload_user(app);
		app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	}
 out:
	wipe_free(&s->old_pw);
	wipe_free(&s->new_pw);
}

static void
pw_new_done(struct app *app, void *ctx, const char *text)
{
	struct settings_state	*s = ctx;
	char			 why[160];

	if (text == NULL) {
		wipe_free(&s->old_pw);
		return;
	}
	if (password_check(text, why, sizeof why) != 0) {
		app_status(app, true, "cannot use that password: %s", why);
		wipe_free(&s->old_pw);
		return;
	}
	s->new_pw = xstrdup(text);
	app_prompt(app, "Repeat the new password:", true, PASSWORD_MAX, pw_repeat_done, s);
}

/* The current password is checked at once: nobody should type a new one twice for nothing. */
static void
pw_old_done(struct app *app, void *ctx, const char *text)
{
	struct settings_state	*s = ctx;
	int			 r;

	if (text == NULL)
		return;
	r = store_password_verify(app_store(app), app_user(app)->id, text);
	if (r == ERR_DENIED || r == ERR_NOTFOUND || r == ERR_INVALID) {
		app_status(app, true, "the current password is wrong: nothing changed");
		return;
	}
	if (r != 0) {
		app_status(app, true, "cannot check the password: %s", err_str(r));
		return;
	}
	s->old_pw = xstrdup(text);
	app_prompt(app, "New password:", true, PASSWORD_MAX, pw_new_done, s);
}

/* ---- keys -------------------------------------------------------------- */

static void
key_add_done(struct app *app, void *ctx, const char *text)
{
	struct settings_state	*s = ctx;
	char			 why[160], *fp = NULL;
	int			 r;

	if (text == NULL || text[0] == '\0')
		return;
	r = store_key_add(app_store(app), app_user(app)->id, text, &fp, why, sizeof why);
	if (r == ERR_EXISTS)
		app_status(app, true, "that key is already on your account");
	else if (r != 0)
		app_status(app, true, "cannot add the key: %s", why[0] ? why : err_str(r));
	else {
		app_status(app, false, "key added: %s", fp);
		app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	}
	free(fp);
	settings_load(app, s);
	app_reload_user(app);
}

static void
key_remove_yes(struct app *app, void *ctx)
{
	struct settings_state	*s = ctx;
	char			*fp;
	int			 r;

	if (s->lv.sel >= s->keys.n)
		return;
	fp = xstrdup(s->keys.v[s->lv.sel].fingerprint);
	r = store_key_remove(app_store(app), app_user(app)->id, fp);
	if (r == ERR_DENIED)
		app_status(app, true, "cannot remove the key: it is your last way to log in");
	else if (r != 0)
		app_status(app, true, "cannot remove the key: %s", err_str(r));
	else {
		app_status(app, false, "key removed: %s", fp);
		app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	}
	free(fp);
	settings_load(app, s);
	app_reload_user(app);
}

/* ---- delete the account ------------------------------------------------ */

static void
delete_done(struct app *app, void *ctx, const char *text)
{
	const struct user	*u = app_user(app);
	struct media_files	 files = { 0 };
	int			 r;

	(void)ctx;
	if (text == NULL)
		return;
	if (strcmp(text, u->username) != 0) {
		app_status(app, true, "the name did not match: nothing was deleted");
		return;
	}
	/* The files are listed first: the rows that name them go with the account. */
	if ((r = media_files_collect(app_store(app), u->id, &files)) != 0 ||
	    (r = store_user_delete(app_store(app), u->id)) != 0) {
		app_status(app, true, "cannot delete the account: %s", err_str(r));
		media_files_remove(NULL, 0, &files);
		return;
	}
	media_files_remove(app_data_dir(app), u->id, &files);
	app_quit(app, 0, "your account and all its data are deleted. Goodbye.");
}

static int
settings_action(struct app *app, void *state, int action)
{
	struct settings_state	*s = state;
	char			 q[200];
	int			 h = 10;

	switch (action) {
	case ACT_NEXT:
		listview_move(&s->lv, 1, (size_t)h);
		return TUI_REDRAW;
	case ACT_PREV:
		listview_move(&s->lv, -1, (size_t)h);
		return TUI_REDRAW;
	case ACT_PASSWORD:
		if (app_user(app)->has_password)
			app_prompt(app, "Current password:", true, PASSWORD_MAX, pw_old_done, s);
		else
			app_prompt(app, "New password:", true, PASSWORD_MAX, pw_new_done, s);
		return TUI_REDRAW;
	case ACT_VISIBILITY: {
		enum visibility next = (enum visibility)((s->vis + 1) % 3);

		if (store_set_default_visibility(app_store(app), app_user(app)->id, next) != 0) {
			app_status(app, true, "cannot change the default visibility");
			return TUI_REDRAW;
		}
		s->vis = next;
		app_status(app, false, "new posts are now visible to: %s", visibility_name(next));
		return TUI_REDRAW;
	}
	case ACT_KEY_ADD:
		app_prompt(app, "Paste an authorized_keys line:", false, KEY_LINE_MAX,
		    key_add_done, s);
		return TUI_REDRAW;
	case ACT_KEY_REMOVE:
		if (s->keys.n == 0) {
			app_status(app, true, "no key to remove");
			return TUI_REDRAW;
		}
		snprintf(q, sizeof q, "Remove key %s? (y/n)", s->keys.v[s->lv.sel].fingerprint);
		app_confirm(app, q, key_remove_yes, s);
		return TUI_REDRAW;
	case ACT_DELETE_ACCOUNT:
		app_prompt(app, "Delete your account and all its data? Type your username "
		    "to confirm:", false, USERNAME_MAX, delete_done, s);
		return TUI_REDRAW;
	}
	return TUI_NONE;
}

static void
settings_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	(void)m;
	settings_load(app, state);
}

static const struct key_binding settings_keys[] = {
	{ 'j',		ACT_NEXT,		"next key", NULL, 0 },
	{ TK(KEY_DOWN),	ACT_NEXT,		NULL, NULL, 0 },
	{ 'k',		ACT_PREV,		"previous key", NULL, 0 },
	{ TK(KEY_UP),	ACT_PREV,		NULL, NULL, 0 },
	{ 'p',		ACT_PASSWORD,		"change (or set) your password", "password", 0 },
	{ 'v',		ACT_VISIBILITY,		"who new posts are for by default (cycles)",
	    "visibility", 0 },
	{ 'a',		ACT_KEY_ADD,		"add an SSH key (paste an authorized_keys line)",
	    "add key", 0 },
	{ 'd',		ACT_KEY_REMOVE,		"remove the selected key", "remove key", 0 },
	{ 'X',		ACT_DELETE_ACCOUNT,	"delete your account and all its data",
	    "delete the account", 0 },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_settings_ops = {
	.name = "Settings",
	.keys = settings_keys,
	.enter = settings_enter,
	.leave = settings_leave,
	.draw = settings_draw,
	.action = settings_action,
	.refresh = settings_refresh,
};
