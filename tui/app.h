/*
 * The TUI application: the one loop (read a key or an event, act, draw once),
 * the tab bar, the status line, and the shared modal tools every screen uses
 * (a prompt line, a yes/no question, a pager for long text). Only tui/ code
 * includes this.
 */
#ifndef SSHBOOK_APP_H
#define SSHBOOK_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct store;
struct user;

/* What sshbookd handed over for a sign-up (see docs/internals.md); strings may be NULL. */
struct signup_env {
	const char	*key_line;	/* SSHBOOK_SIGNUP_KEY */
	const char	*password_hash;	/* SSHBOOK_SIGNUP_PWHASH */
	bool		 invite_only;	/* SSHBOOK_REGISTRATION=invite */
};

/*
 * Run the TUI on the terminal for user_id (or, with signup != NULL, the
 * sign-up form for the free name `username` first). The store stays owned by
 * the caller. Returns the process exit status.
 */
int	app_run(struct store *, int64_t user_id, const char *username,
	    const struct signup_env *signup, int hub_fd);

/* ---- for screens ---- */
struct store		*app_store(struct app *);
/* The logged-in user (after sign-up, the new one); owned by the app. */
const struct user	*app_user(struct app *);
void			 app_reload_user(struct app *);
const struct signup_env	*app_signup_env(struct app *);
const char		*app_signup_name(struct app *);

/* A message for the status line until the next key; error ones stand out. */
void	app_status(struct app *, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

typedef void (*prompt_done_fn)(struct app *, void *ctx, const char *text);
typedef void (*confirm_fn)(struct app *, void *ctx);
/*
 * Ask for one line of text on the bottom row. done gets the text, or NULL
 * when the user pressed Esc; the text is only valid during the call (masked
 * text is wiped afterwards).
 */
void	app_prompt(struct app *, const char *label, bool masked, size_t max_chars,
	    prompt_done_fn done, void *ctx);
/* Ask a y/n question on the bottom row; yes runs only on 'y'. */
void	app_confirm(struct app *, const char *question, confirm_fn yes, void *ctx);
/* Show long text (sanitized at draw time) full-screen until q or Esc. */
void	app_pager(struct app *, const char *title, const char *text);
/* Send a hint to the event hub (after a commit). */
void	app_hint(struct app *, unsigned topic, int64_t user, int64_t object);
/* The sign-up made an account: say HELLO to the hub and open Home as that user. */
void	app_signed_up(struct app *, int64_t user_id);
/* Leave the loop with an exit status; farewell (may be NULL) is printed after the screen closes. */
void	app_quit(struct app *, int status, const char *farewell);
/* Rows of the content area (between the tab bar and the status line). */
int	app_content_height(struct app *);

struct lineedit;
/*
 * The editing keys every text field shares (arrows, Home/End, Backspace,
 * Delete, Ctrl-A/E/U/K/W, printable characters). Returns true when the key
 * was for the field.
 */
bool	app_lineedit_key(struct lineedit *, int key);

#endif
