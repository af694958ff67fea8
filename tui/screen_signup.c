/*
 * The sign-up form: sshbookd accepted a free name with a proved key or a
 * password chosen over keyboard-interactive; here the person picks a display
 * name (and optionally a password). Nothing is stored until Enter succeeds;
 * Esc cancels and leaves no trace.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/lineedit.h"
#include "tui/screen.h"

enum field { F_NAME, F_PASS, F_PASS2, F_INVITE, F_COUNT };

struct signup_state {
	struct lineedit	 fields[F_COUNT];
	bool		 shown[F_COUNT];
	int		 focus;
	char		*fingerprint;	/* of the proved key, or NULL */
	char		 error[200];
};

static const char *const labels[F_COUNT] = {
	"Display name", "Password (optional)", "Repeat password", "Invite code",
};

static void *
signup_enter(struct app *app)
{
	struct signup_state	*s = xcalloc(1, sizeof *s);
	const struct signup_env	*env = app_signup_env(app);
	struct user_key		 k = { 0 };

	lineedit_init(&s->fields[F_NAME], DISPLAY_NAME_MAX, false);
	lineedit_init(&s->fields[F_PASS], PASSWORD_MAX, true);
	lineedit_init(&s->fields[F_PASS2], PASSWORD_MAX, true);
	lineedit_init(&s->fields[F_INVITE], INVITE_CODE_MAX, false);
	s->shown[F_NAME] = true;
	/* A password chosen at login already is the way in; a key user may add one. */
	s->shown[F_PASS] = s->shown[F_PASS2] = env->password_hash == NULL;
	s->shown[F_INVITE] = env->invite_only;
	if (env->key_line != NULL && key_parse(env->key_line, &k, NULL, 0) == 0) {
		s->fingerprint = xstrdup(k.fingerprint);
		user_key_free(&k);
	}
	/* The username is a fine first guess for the display name. */
	lineedit_set(&s->fields[F_NAME], app_signup_name(app));
	return s;
}

static void
signup_leave(struct app *app, void *state)
{
	struct signup_state	*s = state;
	int			 i;

	(void)app;
	for (i = 0; i < F_COUNT; i++)
		lineedit_free(&s->fields[i]);
	free(s->fingerprint);
	free(s);
}

static void
signup_draw(struct app *app, void *state, const struct rect *r)
{
	struct signup_state	*s = state;
	const struct signup_env	*env = app_signup_env(app);
	int			 y = r->y + 1, x = r->x + 2, fx = x + 22, fw, i;
	int			 cy = -1, cx = 0, cx_field;

	draw_text(y++, x, r->w - 4, "Sign up for sshbook", ROLE_TITLE);
	y++;
	draw_textf(y++, x, r->w - 4, ROLE_NORMAL, "The name '%s' is free. Make it yours:",
	    app_signup_name(app));
	if (s->fingerprint != NULL)
		draw_textf(y++, x, r->w - 4, ROLE_NORMAL, "Key: %s (this key will log you in)",
		    s->fingerprint);
	if (env->password_hash != NULL)
		draw_text(y++, x, r->w - 4, "Password: the one you just chose will log you in",
		    ROLE_NORMAL);
	y++;
	fw = r->w - (fx - r->x) - 2;
	if (fw > 48)
		fw = 48;
	for (i = 0; i < F_COUNT; i++) {
		if (!s->shown[i])
			continue;
		draw_text(y, x, 21, labels[i], i == s->focus ? ROLE_KEY : ROLE_NORMAL);
		cx_field = draw_field(y, fx, fw, &s->fields[i], ROLE_FIELD);
		if (i == s->focus) {
			cy = y;
			cx = cx_field;
		}
		y += 2;
	}
	if (s->error[0])
		draw_text(y++, x, r->w - 4, s->error, ROLE_ERROR);
	y++;
	draw_text(y++, x, r->w - 4, "Enter creates the account. Tab or the arrows move "
	    "between fields. Esc cancels: nothing is stored.", ROLE_DIM);
	if (cy >= 0) {
		move(cy, cx);
		curs_set(1);
	}
}

static int
next_field(struct signup_state *s, int dir)
{
	int i = s->focus;

	do
		i = (i + dir + F_COUNT) % F_COUNT;
	while (!s->shown[i]);
	return i;
}

static void
signup_submit(struct app *app, struct signup_state *s)
{
	const struct signup_env	*env = app_signup_env(app);
	struct signup		 su;
	int64_t			 id = 0;
	int			 r;

	s->error[0] = '\0';
	if (s->shown[F_PASS] && strcmp(s->fields[F_PASS].text.buf,
	    s->fields[F_PASS2].text.buf) != 0) {
		snprintf(s->error, sizeof s->error, "the two passwords differ: type them again");
		lineedit_clear(&s->fields[F_PASS]);
		lineedit_clear(&s->fields[F_PASS2]);
		s->focus = F_PASS;
		return;
	}
	memset(&su, 0, sizeof su);
	su.username = app_signup_name(app);
	su.display_name = s->fields[F_NAME].text.buf;
	su.password = s->shown[F_PASS] && s->fields[F_PASS].text.len ?
	    s->fields[F_PASS].text.buf : NULL;
	su.password_hash = env->password_hash;
	su.key_line = env->key_line;
	su.invite_code = s->fields[F_INVITE].text.buf;
	su.require_invite = env->invite_only;
	r = store_user_create(app_store(app), &su, &id, s->error, sizeof s->error);
	if (r != 0) {
		if (s->error[0] == '\0')
			snprintf(s->error, sizeof s->error, "cannot create the account: %s",
			    err_str(r));
		return;
	}
	app_signed_up(app, id);
	app_status(app, false, "welcome to sshbook, %s!", su.username);
}

static int
signup_input(struct app *app, void *state, int key)
{
	struct signup_state *s = state;

	switch (key) {
	case 27:
		app_quit(app, 0, "sign-up cancelled: nothing was stored");
		return TUI_NONE;
	case '\n':
		signup_submit(app, s);
		return TUI_REDRAW;
	case '\t':
	case TK(KEY_DOWN):
		s->focus = next_field(s, 1);
		return TUI_REDRAW;
	case TK(KEY_BTAB):
	case TK(KEY_UP):
		s->focus = next_field(s, -1);
		return TUI_REDRAW;
	}
	if (app_lineedit_key(&s->fields[s->focus], key)) {
		s->error[0] = '\0';
		return TUI_REDRAW;
	}
	return TUI_UNHANDLED;
}

static const struct key_binding signup_keys[] = {
	{ '\n',		ACT_NONE,	"create the account" },
	{ '\t',		ACT_NEXT,	"next field" },
	{ TK(KEY_DOWN),	ACT_NEXT,	NULL },
	{ TK(KEY_BTAB),	ACT_PREV,	"previous field" },
	{ TK(KEY_UP),	ACT_PREV,	NULL },
	{ 27,		ACT_BOTTOM,	"cancel: nothing is stored" },
	{ 0, 0, NULL }
};

const struct screen_ops screen_signup_ops = {
	.name = "Sign up",
	.keys = signup_keys,
	.enter = signup_enter,
	.leave = signup_leave,
	.draw = signup_draw,
	.input = signup_input,
};
