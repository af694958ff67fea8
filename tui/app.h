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
 * the caller; data_dir (media files) must outlive the call. Returns the
 * process exit status.
 */
int	app_run(struct store *, const char *data_dir, int64_t user_id, const char *username,
	    const struct signup_env *signup, int hub_fd);

/*
 * A struct app without a terminal loop, for benchmarks that time the real
 * drawing code (bench/media_bench.c): the store, the data dir and user_id as
 * app_run would hold them, no hub, no screen entered. The caller sets up
 * curses itself (newterm + draw_init) before drawing with it. NULL when the
 * user is unknown. Free with app_free_headless (the store stays the caller's).
 */
struct app	*app_new_headless(struct store *, const char *data_dir, int64_t user_id);
void		 app_free_headless(struct app *);

/* ---- for screens ---- */
struct store		*app_store(struct app *);
/* The data directory (media files); owned by the caller of app_run. */
const char		*app_data_dir(struct app *);
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
/* Put text (one line) into the prompt app_prompt just opened, to be edited. */
void	app_prompt_fill(struct app *, const char *text);
/* Ask a y/n question on the bottom row; yes runs only on 'y'. */
void	app_confirm(struct app *, const char *question, confirm_fn yes, void *ctx);
typedef void (*choose_fn)(struct app *, void *ctx, int key);
/* Ask a one-key question on the bottom row ("React: 1 like 2 love ..."); choose gets the key pressed. */
void	app_choose(struct app *, const char *question, choose_fn choose, void *ctx);
/*
 * Show long text full-screen until q or Esc: wrapped at the window's width,
 * scrolled with j/k, PgDn/PgUp (Space), g/G, with a "lines a-b of n" row
 * when it is longer than the window.
 */
void	app_pager(struct app *, const char *title, const char *text);
/* The same for markdown, rendered (media/markdown.h) as posts are. */
void	app_pager_markdown(struct app *, const char *title, const char *markdown);
/*
 * True when emoji should be drawn as ASCII (":D" for 😂): terminals that
 * cannot show them (TERM linux, vt*, dumb, ansi) or SSHBOOK_ASCII=1.
 */
bool	app_ascii(struct app *);
/* The unread notification count the status line shows. */
int64_t	app_unread_notifications(struct app *);
/* Something changed here: reload the active screen and the status line's counts. */
void	app_refresh(struct app *);
/* Send a hint to the event hub (after a commit). */
void	app_hint(struct app *, unsigned topic, int64_t user, int64_t object);
/*
 * This session has just made a post or a share (call it before the hints
 * go out). For a few seconds after, app_wrote_post_recently is true, and a
 * feed shows the new post at once, selected, instead of "N new".
 */
void	app_note_own_post(struct app *);
bool	app_wrote_post_recently(struct app *);
/* The event hub's socket, -1 without a daemon (for worker/fanout.h). */
int	app_hub_fd(struct app *);
/* The sign-up made an account: say HELLO to the hub and open Home as that user. */
void	app_signed_up(struct app *, int64_t user_id);
struct screen_ops;
/*
 * Open a screen on top of the active one (a profile from search ...); arg is
 * handed to its enter() (copied there if kept). q or Esc comes back.
 */
void	app_open(struct app *, const struct screen_ops *, const char *arg);
/* Leave every open screen for tab 0..8 (as its number key does). */
void	app_show_tab(struct app *, int tab);
/* Close the top screen; false when the active screen is a tab (nothing to close). */
bool	app_back(struct app *);
/* Leave the loop with an exit status; farewell (may be NULL) is printed after the screen closes. */
void	app_quit(struct app *, int status, const char *farewell);
/*
 * Call the active screen's timer() once, ms from now: the loop's poll waits
 * for it alongside keys and hints, so nothing sleeps. Arming again moves the
 * deadline (typing that goes on keeps pushing it back); leaving or covering
 * the screen drops it.
 */
void	app_timer(struct app *, int ms);
/*
 * The hint row of the active screen at (y, x), w columns: the hints of its
 * key table that apply now (struct key_binding's hint and when), as many as
 * fit whole.
 */
void	app_draw_hints(struct app *, int y, int x, int w);
/* Rows of the content area (between the tab bar and the status line). */
int	app_content_height(struct app *);

struct lineedit;
/*
 * The editing keys every text field shares (arrows, Home/End, Backspace,
 * Delete, Ctrl-A/E/U/K/W, printable characters). Returns true when the key
 * was for the field.
 */
bool	app_lineedit_key(struct lineedit *, int key);
struct textedit;
/*
 * The same for a multi-line editor laid out width columns wide: arrows
 * (Up / Down by screen row), Home/End, Ctrl-A/E, Backspace, Delete, Tab and
 * printable characters. Enter is the caller's (a new line, or send). Returns
 * true when the key was for the editor; *changedp (may be NULL) says whether
 * the text changed (not just the cursor).
 */
bool	app_textedit_key(struct textedit *, int key, int width, bool *changedp);

#endif
