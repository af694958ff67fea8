/*
 * The sign-up form: sshbookd accepted a free name with a proved key or a
 * password chosen over keyboard-interactive; here the person picks a display
 * name (and optionally a password). Nothing is stored until Enter succeeds;
 * Esc cancels and leaves no trace.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/screen.h"

enum field { F_NAME, F_PASS, F_PASS2, F_INVITE };

struct signup_state {
	struct form	 form;
	char		*fingerprint;	/* of the proved key, or NULL */
};

static void *
signup_enter(struct app *app, const char *arg)
{
	struct signup_state	*s = xcalloc(1, sizeof *s);
	const struct signup_env	*env = app_signup_env(app);
	struct user_key		 k = { 0 };

	(void)arg;
	form_init(&s->form);
	/* The username is a fine first guess for the display name. */
	form_add(&s->form, "Display name", DISPLAY_NAME_MAX, false, app_signup_name(app));
	form_add(&s->form, "Password (optional)", PASSWORD_MAX, true, NULL);
	form_add(&s->form, "Repeat password", PASSWORD_MAX, true, NULL);
	form_add(&s->form, "Invite code", INVITE_CODE_MAX, false, NULL);
	/* A password chosen at login already is the way in; a key user may add one. */
	s->form.f[F_PASS].hidden = s->form.f[F_PASS2].hidden = env->password_hash != NULL;
	s->form.f[F_INVITE].hidden = !env->invite_only;
	if (env->key_line != NULL && key_parse(env->key_line, &k, NULL, 0) == 0) {
		s->fingerprint = xstrdup(k.fingerprint);
		user_key_free(&k);
	}
	return s;
}

static void
signup_leave(struct app *app, void *state)
{
	struct signup_state *s = state;

	(void)app;
	form_free(&s->form);
	free(s->fingerprint);
	free(s);
}

static void
signup_draw(struct app *app, void *state, const struct rect *r)
{
	struct signup_state	*s = state;
	const struct signup_env	*env = app_signup_env(app);
	int			 y = r->y + 1, x = r->x + 2, fw;

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
	fw = r->w - 22 - 4;
	if (fw > 48)
		fw = 48;
	draw_text(r->y + r->h - 2, x, r->w - 4, "Enter creates the account. Tab or the arrows "
	    "move between fields. Esc cancels: nothing is stored.", ROLE_DIM);
	form_draw(&s->form, y, x, 22, fw);
}

static void
signup_submit(struct app *app, struct signup_state *s)
{
	const struct signup_env	*env = app_signup_env(app);
	struct form		*fm = &s->form;
	struct signup		 su;
	int64_t			 id = 0;
	int			 r;

	fm->error[0] = '\0';
	if (!fm->f[F_PASS].hidden && strcmp(form_value(fm, F_PASS), form_value(fm, F_PASS2)) != 0) {
		snprintf(fm->error, sizeof fm->error, "the two passwords differ: type them again");
		lineedit_clear(&fm->f[F_PASS].le);
		lineedit_clear(&fm->f[F_PASS2].le);
		form_focus(fm, F_PASS);
		return;
	}
	memset(&su, 0, sizeof su);
	su.username = app_signup_name(app);
	su.display_name = form_value(fm, F_NAME);
	su.password = !fm->f[F_PASS].hidden && form_value(fm, F_PASS)[0] ?
	    form_value(fm, F_PASS) : NULL;
	su.password_hash = env->password_hash;
	su.key_line = env->key_line;
	su.invite_code = form_value(fm, F_INVITE);
	su.require_invite = env->invite_only;
	r = store_user_create(app_store(app), &su, &id, fm->error, sizeof fm->error);
	if (r != 0) {
		if (fm->error[0] == '\0')
			snprintf(fm->error, sizeof fm->error, "cannot create the account: %s",
			    err_str(r));
		return;
	}
	app_signed_up(app, id);
	app_status(app, false, "welcome to sshbook, %s!", su.username);
}

/* Keys that take the focus off the field it is on. */
static bool
leaves_field(int key)
{
	return key == '\t' || key == '\n' || key == TK(KEY_DOWN) || key == TK(KEY_UP) ||
	    key == TK(KEY_BTAB);
}

/*
 * Check the focused field as it is left, so a short password is refused
 * when it is typed, not after it was repeated. An error keeps the focus
 * there. Returns false when the field is wrong (fm->error says why).
 */
static bool
field_ok(struct form *fm)
{
	const char *v = form_value(fm, fm->focus);

	switch (fm->focus) {
	case F_NAME:
		return display_name_check(v, fm->error, sizeof fm->error) == 0;
	case F_PASS:
		return v[0] == '\0' || password_check(v, fm->error, sizeof fm->error) == 0;
	case F_PASS2:
		if (v[0] != '\0' && strcmp(v, form_value(fm, F_PASS)) != 0) {
			snprintf(fm->error, sizeof fm->error, "the two passwords differ");
			return false;
		}
		return true;
	default:
		return true;
	}
}

static int
signup_input(struct app *app, void *state, int key)
{
	struct signup_state *s = state;

	if (leaves_field(key) && !field_ok(&s->form))
		return TUI_REDRAW;
	switch (form_key(&s->form, key)) {
	case FORM_CANCEL:
		app_quit(app, 0, "sign-up cancelled: nothing was stored");
		return TUI_NONE;
	case FORM_SUBMIT:
		signup_submit(app, s);
		return TUI_REDRAW;
	case FORM_CHANGED:
		return TUI_REDRAW;
	case FORM_NONE:
		break;
	}
	return TUI_UNHANDLED;
}

static unsigned
signup_when(struct app *app, void *state)
{
	(void)app;
	(void)state;
	return W_TYPING;
}

static const struct key_binding signup_keys[] = {
	{ '\n',		ACT_NONE,	"create the account", "create", W_TYPING },
	{ '\t',		ACT_NEXT,	"next field", "next field", W_TYPING },
	{ TK(KEY_DOWN),	ACT_NEXT,	NULL, NULL, W_TYPING },
	{ TK(KEY_BTAB),	ACT_PREV,	"previous field", NULL, W_TYPING },
	{ TK(KEY_UP),	ACT_PREV,	NULL, NULL, W_TYPING },
	{ 27,		ACT_BOTTOM,	"cancel: nothing is stored", "cancel", W_TYPING },
	{ 0, 0, NULL, NULL, 0 }
};

static int
signup_paste(struct app *app, void *state, const char *text)
{
	struct signup_state *s = state;

	(void)app;
	form_paste(&s->form, text);
	return TUI_REDRAW;
}

const struct screen_ops screen_signup_ops = {
	.name = "Sign up",
	.keys = signup_keys,
	.enter = signup_enter,
	.leave = signup_leave,
	.draw = signup_draw,
	.input = signup_input,
	.paste = signup_paste,
	.when = signup_when,
};
