/*
 * The app loop. One process per terminal (DESIGN.md section 1), so the
 * ncurses globals are ours alone. The loop waits on the terminal, the event
 * hub and a slow timer (the PRAGMA data_version fallback), handles what came,
 * and draws once per iteration when something changed.
 */
#include "tui/app.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/cmdline.h"
#include "common/hub.h"
#include "common/log.h"
#include "common/sanitize.h"
#include "common/sysutil.h"
#include "common/terminal.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "media/markdown.h"
#include "storage/messages.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/listview.h"
#include "tui/pictures.h"
#include "tui/screen.h"
#include "tui/textedit.h"

#define MIN_COLS	80
#define MIN_ROWS	24
#define NTABS		9
#define MAX_DEPTH	8	/* screens opened on top of a tab (profile from search ...) */
#define POLL_MS		1500	/* the data_version fallback; hints make it rarely matter */
#define STATUS_INFO_MS	10000	/* a status message goes after this ... */
#define STATUS_ERROR_MS	20000	/* ... an error after this */
#define OWN_POST_RECENT_MS 5000	/* a post of mine this recent was made here, just now */

/*
 * Bracketed paste (xterm's CSI ? 2004 h): the terminal wraps what is pasted
 * in CSI 200 ~ ... CSI 201 ~, which define_key turns into these two codes
 * (above every ncurses KEY_*). Between them keys are text for the focused
 * field, never commands; a paste is at most PASTE_MAX bytes (the longest text
 * anything takes is a post of 5,000 characters).
 */
#define KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define KEY_PASTE_END	(KEY_MAX + 2)
#define PASTE_MAX	(64 * 1024)

enum global_action {
	G_NEXT_TAB = 1000,
	G_PREV_TAB,
	G_HELP,
	G_QUIT,
	G_COMMAND,
	G_REDRAW,
	G_BACK,
	G_SEARCH,
	G_COMPOSE,
	G_CANCEL,
	G_TABS,
};

/*
 * The status line's hints are these, in this order, as far as they fit; the
 * first GLOBAL_FIRST go before the screen's own.
 */
#define GLOBAL_FIRST	3
static const struct key_binding global_keys[] = {
	{ '?',		G_HELP,		"help for this screen", "help", W_KEYS },
	{ 'q',		G_QUIT,		"back to the screen before", "back", W_KEYS | W_OPENED },
	{ 'q',		G_QUIT,		"quit (asks first)", "quit", W_KEYS | W_TAB },
	{ '1',		G_TABS,		NULL, "-9 tabs", W_KEYS },
	{ ':',		G_COMMAND,	"command line (:help lists the commands)", "command", W_KEYS },
	{ '/',		G_SEARCH,	"search people and posts", "search", W_KEYS },
	{ 'n',		G_COMPOSE,	"write a new post", NULL, W_KEYS },
	{ '\t',		G_NEXT_TAB,	"next tab", NULL, W_KEYS },
	{ TK(KEY_BTAB),	G_PREV_TAB,	"previous tab", NULL, W_KEYS },
	{ 27,		G_BACK,		"back", NULL, W_KEYS | W_OPENED },
	{ CTRL_KEY('l'), G_REDRAW,	"redraw the screen", NULL, 0 },
	/* Never hinted (no room), so after the rest: GLOBAL_FIRST counts from the top. */
	{ TK(KEY_F(1)),	G_HELP,		NULL, NULL, 0 },
	{ CTRL_KEY('c'), G_CANCEL,	"cancel; on a tab, quit (asks)", NULL, 0 },
	{ 0, 0, NULL, NULL, 0 }
};

static const struct screen_ops *const tab_ops[NTABS] = {
	&screen_home_ops, &screen_foryou_ops, &screen_messages_ops,
	&screen_notifications_ops, &screen_friends_ops, &screen_groups_ops,
	&screen_events_ops, &screen_profile_ops, &screen_settings_ops,
};
/* Short labels for 80 columns; the full ones come from screen_ops.name. */
static const char *const tab_short[NTABS] = {
	"Home", "ForYou", "Msgs", "Notifs", "Friends", "Groups", "Events",
	"Profile", "Settings",
};

struct app {
	struct store		*st;
	const char		*data_dir;	/* media files (not owned) */
	struct user		 user;
	int64_t			 user_id;
	int			 hub_fd;
	bool			 signing_up;
	const struct signup_env	*signup;
	char			*signup_name;

	const struct screen_ops	*ops;		/* the active screen */
	void			*state;
	int			 tab;		/* 0..8 */
	struct {
		const struct screen_ops	*ops;
		void			*state;
	}			 below[MAX_DEPTH];	/* screens under the active one */
	int			 depth;

	char			 status[256];
	bool			 status_error;
	int64_t			 status_until;	/* mono_ms when it goes by itself (a key clears it sooner) */
	int64_t			 own_post_at;	/* mono_ms of this session's last new post or share */

	struct {
		bool		 active;
		char		 label[128];
		struct lineedit	 le;
		prompt_done_fn	 done;
		void		*ctx;
	} prompt;
	struct {
		bool		 active;
		char		 question[256];
		confirm_fn	 yes;
		choose_fn	 choose;	/* app_choose: gets the key; NULL for yes/no */
		void		*ctx;
	} confirm;
	struct {
		bool		 active;
		char		*title;
		bool		 markdown;	/* src[0] is markdown, rendered */
		struct pager_src {
			char	*text;	/* one line, sanitized */
			int	 hang;	/* columns its continuation lines are indented */
		}		*src;
		size_t		 nsrc;
		struct md_doc	 view;		/* src laid out at view_w columns */
		int		 view_w;
		size_t		 top;		/* first line of view shown */
	} pager;

	struct {
		bool		 active;	/* between CSI 200 ~ and CSI 201 ~ */
		bool		 cr;		/* the last character was a CR (CR LF is one newline) */
		struct buf	 text;
	} paste;

	bool			 quit;
	int			 exit_status;
	char			*farewell;
	bool			 dirty;
	bool			 hints_drawn;	/* the screen drew its hint row this frame */
	int64_t			 data_version;
	int64_t			 unread_notifs;	/* for the status line */
	int64_t			 unread_msgs;
	bool			 ascii;		/* no emoji on this terminal */
	int64_t			 timer_at;	/* app_timer's deadline (mono_ms), 0: none */
};

/* Signals reach the loop through a self-pipe, so poll() never misses one. */
static int			sigpipe_fds[2] = { -1, -1 };
static volatile sig_atomic_t	got_winch, got_term;

static void
on_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_term = 1;
	if (write(sigpipe_fds[1], &c, 1) < 0) {
		/* The pipe is full: a wakeup is already pending. */
	}
	errno = saved;
}

static void
signals_setup(void)
{
	struct sigaction sa;

	if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
		sigpipe_fds[0] = sigpipe_fds[1] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);	/* before initscr: ncurses then keeps ours */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- accessors for screens -------------------------------------------- */

struct store *
app_store(struct app *app)
{
	return app->st;
}

const char *
app_data_dir(struct app *app)
{
	return app->data_dir;
}

const struct user *
app_user(struct app *app)
{
	return &app->user;
}

const struct signup_env *
app_signup_env(struct app *app)
{
	return app->signup;
}

const char *
app_signup_name(struct app *app)
{
	return app->signup_name;
}

void
app_reload_user(struct app *app)
{
	struct user u = { 0 };

	if (store_user_by_id(app->st, app->user_id, &u) == 0) {
		user_free(&app->user);
		app->user = u;
	}
	app->dirty = true;
}

static void
counts_reload(struct app *app)
{
	if (app->signing_up || store_notification_unread_count(app->st, app->user_id,
	    &app->unread_notifs) != 0)
		app->unread_notifs = 0;
	if (app->signing_up || store_message_unread_count(app->st, app->user_id,
	    &app->unread_msgs) != 0)
		app->unread_msgs = 0;
}

void
app_refresh(struct app *app)
{
	if (app->ops->refresh != NULL)
		(*app->ops->refresh)(app, app->state, NULL);
	counts_reload(app);
	app->dirty = true;
}

bool
app_ascii(struct app *app)
{
	return app->ascii;
}

int64_t
app_unread_notifications(struct app *app)
{
	return app->unread_notifs;
}

int
app_content_height(struct app *app)
{
	(void)app;
	return LINES - 2;
}

void
app_status(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->status, sizeof app->status, fmt, ap);
	va_end(ap);
	app->status_error = error;
	/*
	 * A message is about a moment: "friend request sent to 'bob'" would
	 * still be there after bob accepted. Errors get longer to be read.
	 */
	app->status_until = mono_ms() + (error ? STATUS_ERROR_MS : STATUS_INFO_MS);
	app->dirty = true;
}

/* The status message's time is up: clear it. */
static void
status_expire(struct app *app)
{
	if (app->status[0] && mono_ms() >= app->status_until) {
		app->status[0] = '\0';
		app->dirty = true;
	}
}

void
app_prompt(struct app *app, const char *label, bool masked, size_t max_chars,
    prompt_done_fn done, void *ctx)
{
	lineedit_free(&app->prompt.le);
	lineedit_init(&app->prompt.le, max_chars, masked);
	snprintf(app->prompt.label, sizeof app->prompt.label, "%s", label);
	app->prompt.done = done;
	app->prompt.ctx = ctx;
	app->prompt.active = true;
	app->dirty = true;
}

void
app_prompt_fill(struct app *app, const char *text)
{
	/* Newlines cannot live in a one-line field: such text starts empty instead. */
	if (app->prompt.active)
		lineedit_set(&app->prompt.le, text);
}

void
app_confirm(struct app *app, const char *question, confirm_fn yes, void *ctx)
{
	snprintf(app->confirm.question, sizeof app->confirm.question, "%s", question);
	app->confirm.yes = yes;
	app->confirm.choose = NULL;
	app->confirm.ctx = ctx;
	app->confirm.active = true;
	app->dirty = true;
}

void
app_choose(struct app *app, const char *question, choose_fn choose, void *ctx)
{
	snprintf(app->confirm.question, sizeof app->confirm.question, "%s", question);
	app->confirm.yes = NULL;
	app->confirm.choose = choose;
	app->confirm.ctx = ctx;
	app->confirm.active = true;
	app->dirty = true;
}

static void
pager_close(struct app *app)
{
	size_t i;

	for (i = 0; i < app->pager.nsrc; i++)
		free(app->pager.src[i].text);
	free(app->pager.src);
	free(app->pager.title);
	md_doc_free(&app->pager.view);
	memset(&app->pager, 0, sizeof app->pager);
	app->dirty = true;
}

static void
pager_add(struct app *app, const char *line, size_t len, int hang)
{
	char *raw = xstrndup(line, len);

	app->pager.src = xreallocarray(app->pager.src, app->pager.nsrc + 1,
	    sizeof *app->pager.src);
	app->pager.src[app->pager.nsrc].text = sanitize_dup(raw, false);
	app->pager.src[app->pager.nsrc].hang = hang;
	app->pager.nsrc++;
	free(raw);
}

static void
pager_start(struct app *app, const char *title)
{
	pager_close(app);
	app->pager.title = xstrdup(title);
	app->pager.active = true;
}

void
app_pager(struct app *app, const char *title, const char *text)
{
	const char *p = text, *nl;

	pager_start(app, title);
	while (*p != '\0') {
		nl = strchrnul(p, '\n');
		pager_add(app, p, (size_t)(nl - p), 0);
		p = *nl ? nl + 1 : nl;
	}
}

void
app_pager_markdown(struct app *app, const char *title, const char *markdown)
{
	pager_start(app, title);
	app->pager.markdown = true;
	app->pager.src = xcalloc(1, sizeof *app->pager.src);
	app->pager.src[0].text = xstrdup(markdown);
	app->pager.nsrc = 1;
}

/* Append one plain line (a single span) to a laid-out view. */
static void
view_add(struct md_doc *d, const char *s, size_t len)
{
	struct md_line *l;

	d->lines = xreallocarray(d->lines, d->n + 1, sizeof *d->lines);
	l = &d->lines[d->n++];
	l->spans = xcalloc(1, sizeof *l->spans);
	l->spans[0].text = xstrndup(s, len);
	l->spans[0].style = MD_PLAIN;
	l->n = 1;
}

/*
 * Word-wrap one line w columns wide into d: a word that does not fit goes to
 * the next line, indented hang columns (a word longer than a line is cut).
 */
static void
view_wrap(struct md_doc *d, const char *s, int w, int hang)
{
	struct buf	 line = BUF_INIT;
	size_t		 len = strlen(s), i = 0, ls = 0, sp = 0, n;
	uint32_t	 cp;
	int		 used = 0, cw, indent = 0;

	if (hang > w / 2)
		hang = w / 2;
	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			n = 1;
		cw = utf8_cp_width(cp);
		if (used + cw > w && i > ls) {
			size_t end = sp > ls ? sp : i;

			buf_reset(&line);
			buf_addf(&line, "%*s", indent, "");
			buf_add(&line, s + ls, end - ls);
			view_add(d, line.buf, line.len);
			i = end;
			while (i < len && s[i] == ' ')
				i++;
			ls = sp = i;
			used = indent = hang;
			continue;
		}
		if (cp == ' ')
			sp = i;
		used += cw;
		i += n;
	}
	buf_reset(&line);
	buf_addf(&line, "%*s", indent, "");
	buf_add(&line, s + ls, len - ls);
	view_add(d, line.buf, line.len);
	buf_release(&line);
}

/* Lay the pager's text out at w columns (again after a resize). */
static void
pager_layout(struct app *app, int w)
{
	size_t i;

	if (app->pager.view_w == w && app->pager.view.lines != NULL)
		return;
	md_doc_free(&app->pager.view);
	app->pager.view_w = w;
	if (app->pager.markdown)
		md_render(app->pager.src[0].text, w, &app->pager.view);
	else
		for (i = 0; i < app->pager.nsrc; i++)
			view_wrap(&app->pager.view, app->pager.src[i].text, w,
			    app->pager.src[i].hang);
	if (app->pager.view.n == 0)
		view_add(&app->pager.view, "", 0);
}

/*
 * Rows of text the pager shows at once: the screen between the title and the
 * status line, less one for the "lines a-b of n" indicator when it is longer.
 */
static size_t
pager_rows(struct app *app)
{
	size_t h = LINES > 4 ? (size_t)LINES - 3 : 1;

	pager_layout(app, COLS - 2);
	return app->pager.view.n > h && h > 1 ? h - 1 : h;
}

/* The last top that still fills the page. */
static size_t
pager_max_top(struct app *app)
{
	size_t h = pager_rows(app);

	return app->pager.view.n > h ? app->pager.view.n - h : 0;
}

void
app_hint(struct app *app, unsigned topic, int64_t user, int64_t object)
{
	struct hub_msg m = { HUB_HINT, topic, user, object };

	(void)hub_send(app->hub_fd, &m);
}

void
app_note_own_post(struct app *app)
{
	app->own_post_at = mono_ms();
}

bool
app_wrote_post_recently(struct app *app)
{
	return app->own_post_at != 0 && mono_ms() - app->own_post_at < OWN_POST_RECENT_MS;
}


int
app_hub_fd(struct app *app)
{
	return app->hub_fd;
}

void
app_quit(struct app *app, int status, const char *farewell)
{
	app->quit = true;
	app->exit_status = status;
	free(app->farewell);
	app->farewell = farewell ? xstrdup(farewell) : NULL;
}

/* ---- screens and tabs ------------------------------------------------- */

/* Leave the active screen and every screen under it. */
static void
screens_leave_all(struct app *app)
{
	if (app->ops != NULL && app->ops->leave != NULL)
		app->ops->leave(app, app->state);
	while (app->depth > 0) {
		app->depth--;
		if (app->below[app->depth].ops->leave != NULL)
			app->below[app->depth].ops->leave(app, app->below[app->depth].state);
	}
	app->ops = NULL;
	app->state = NULL;
	app->timer_at = 0;
}

static void
screen_switch(struct app *app, const struct screen_ops *ops)
{
	screens_leave_all(app);
	app->ops = ops;
	app->state = ops->enter(app, NULL);
	app->dirty = true;
}

static void
tab_switch(struct app *app, int tab)
{
	if (tab < 0)
		tab = NTABS - 1;
	if (tab >= NTABS)
		tab = 0;
	app->tab = tab;
	screen_switch(app, tab_ops[tab]);
}

void
app_show_tab(struct app *app, int tab)
{
	tab_switch(app, tab);
}

void
app_open(struct app *app, const struct screen_ops *ops, const char *arg)
{
	if (app->depth == MAX_DEPTH) {
		/* Deep enough: replace the top instead of growing without end. */
		if (app->ops->leave != NULL)
			app->ops->leave(app, app->state);
	} else {
		app->below[app->depth].ops = app->ops;
		app->below[app->depth].state = app->state;
		app->depth++;
	}
	app->timer_at = 0;	/* it was the covered screen's */
	app->ops = ops;
	app->state = ops->enter(app, arg);
	app->dirty = true;
}

bool
app_back(struct app *app)
{
	if (app->depth == 0)
		return false;
	if (app->ops->leave != NULL)
		app->ops->leave(app, app->state);
	app->timer_at = 0;
	app->depth--;
	app->ops = app->below[app->depth].ops;
	app->state = app->below[app->depth].state;
	/* What it shows may have changed while it was covered. */
	if (app->ops->refresh != NULL)
		(*app->ops->refresh)(app, app->state, NULL);
	app->dirty = true;
	return true;
}

void
app_signed_up(struct app *app, int64_t user_id)
{
	struct hub_msg m = { HUB_HELLO, TOPIC_ANY, user_id, 0 };

	app->user_id = user_id;
	app->signing_up = false;
	app_reload_user(app);
	(void)hub_send(app->hub_fd, &m);
	log_set_context(NULL, app->user.username);
	log_info("signed up as '%s'", app->user.username);
	counts_reload(app);
	tab_switch(app, 0);
}

/* ---- help, generated from the key tables ------------------------------- */

/* The enum key_when bits that hold for the active screen now. */
static unsigned
app_when(struct app *app)
{
	unsigned w = W_KEYS;

	if (app->prompt.active)
		return W_TYPING;
	if (app->ops != NULL && app->ops->when != NULL)
		w = app->ops->when(app, app->state);
	return w | (app->depth > 0 ? W_OPENED : W_TAB);
}

static bool
binding_applies(const struct key_binding *k, unsigned when)
{
	return (k->when & ~when) == 0;
}

/*
 * The hints of keys that apply, "KEY word" two spaces apart, in table order
 * as long as they fit in w columns: one that does not fit is left out whole
 * (a later, shorter one may still fit), so no hint is ever cut.
 */
static void
hints_build(const struct key_binding *keys, size_t max, unsigned when, int w, struct buf *out)
{
	const struct key_binding	*k;
	char				 name[32], item[96];
	int				 used = draw_width(out->buf), iw;

	if (keys == NULL)
		return;
	for (k = keys; k->key != 0 && max > 0; k++, max--) {
		if (k->hint == NULL || !binding_applies(k, when))
			continue;
		snprintf(item, sizeof item, "%s%s%s", binding_key_name(k->key, name, sizeof name),
		    k->hint[0] == '/' || k->hint[0] == '-' ? "" : " ", k->hint);
		iw = draw_width(item) + (out->len ? 2 : 0);
		if (used + iw > w)
			continue;
		buf_addf(out, "%s%s", out->len ? "  " : "", item);
		used += iw;
	}
}

void
app_draw_hints(struct app *app, int y, int x, int w)
{
	struct buf b = BUF_INIT;

	hints_build(app->ops->keys, SIZE_MAX, app_when(app), w, &b);
	draw_text(y, x, w, b.buf, ROLE_DIM);
	app->hints_drawn = true;
	buf_release(&b);
}

/*
 * One entry per action that applies: all keys bound to it, then what it
 * does, wrapped under itself when it is longer than the window.
 */
static void
help_add_table(struct app *app, const struct key_binding *keys, unsigned when, int keyw)
{
	const struct key_binding	*k, *alias;
	struct buf			 names = BUF_INIT, line = BUF_INIT;
	char				 name[32];

	for (k = keys; k->key != 0; k++) {
		if (k->help == NULL || !binding_applies(k, when))
			continue;
		buf_reset(&names);
		for (alias = keys; alias->key != 0; alias++) {
			if (alias->action != k->action || (alias->help != NULL && alias != k))
				continue;
			if (names.len)
				buf_adds(&names, ", ");
			buf_adds(&names, binding_key_name(alias->key, name, sizeof name));
		}
		buf_reset(&line);
		buf_addf(&line, "  %-*s %s", keyw, names.buf, k->help);
		pager_add(app, line.buf, line.len, 2 + keyw + 1);
	}
	buf_release(&names);
	buf_release(&line);
}

static void
help_text(struct app *app, const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchrnul(p, '\n');
		pager_add(app, p, (size_t)(nl - p), 2);
		p = *nl ? nl + 1 : nl;
	}
}

/*
 * The help of the active screen, generated from its key table and the
 * global one, filtered by what applies now (the same filter as the hints),
 * in one column that the pager wraps and scrolls.
 */
static void
help_open(struct app *app)
{
	const struct screen_ops	*ops = app->ops;
	unsigned		 when = app_when(app);
	char			 title[96];

	snprintf(title, sizeof title, "Help: %s", ops->name);
	pager_start(app, title);
	if (ops->keys != NULL && ops->keys[0].key != 0) {
		pager_add(app, ops->name, strlen(ops->name), 0);
		help_add_table(app, ops->keys, when, 12);
	}
	if (!app->signing_up) {
		help_text(app, "\nEverywhere");
		pager_add(app, "  1 .. 9       switch tabs", 26, 15);
		help_add_table(app, global_keys, when, 12);
	}
	help_text(app, "\nIn a text field\n"
	    "  Left, Right, Home, End, Backspace, Delete, Ctrl-U, Ctrl-K, Ctrl-W edit; "
	    "Enter accepts, Esc cancels; a paste goes in as text.\n"
	    "\nq or Esc closes this help.");
}

/* ---- the : command line ---------------------------------------------- */

static void
command_done(struct app *app, void *ctx, const char *text)
{
	struct cli_ctx	 cc;
	struct cmdline	 cl;
	char		*outbuf = NULL, *errbuf = NULL, why[128];
	size_t		 outlen = 0, errlen = 0;
	int		 status;

	(void)ctx;
	if (text == NULL || text[0] == '\0')
		return;
	if (cmdline_split(text, strlen(text), &cl, why, sizeof why) != 0) {
		app_status(app, true, "%s", why);
		return;
	}
	if (cl.argc == 0)
		return;
	/* `:dm bob` with nothing to say opens the chat instead of reading stdin. */
	if (cl.argc == 2 && strcmp(cl.argv[0], "dm") == 0) {
		app_open(app, &screen_chat_ops, cl.argv[1][0] == '@' ? cl.argv[1] + 1 : cl.argv[1]);
		cmdline_free(&cl);
		return;
	}
	memset(&cc, 0, sizeof cc);
	cc.st = app->st;
	cc.data_dir = app->data_dir;
	cc.user_id = app->user_id;
	cc.username = app->user.username;
	cc.in = NULL;
	cc.out = open_memstream(&outbuf, &outlen);
	cc.err = open_memstream(&errbuf, &errlen);
	cc.hub_fd = app->hub_fd;
	status = cli_run(&cc, cl.argc, cl.argv);
	fclose(cc.out);
	fclose(cc.err);
	cmdline_free(&cl);
	if (errlen > 0) {
		errbuf[strcspn(errbuf, "\n")] = '\0';
		app_status(app, true, "%s", errbuf);
	} else if (outlen > 0 && strchr(outbuf, '\n') == outbuf + outlen - 1) {
		outbuf[outlen - 1] = '\0';
		app_status(app, false, "%s", outbuf);
	} else if (outlen > 0)
		app_pager(app, text, outbuf);
	else if (status == 0)
		app_status(app, false, "done");
	free(outbuf);
	free(errbuf);
	/* The command may have changed what the screen shows. */
	app_reload_user(app);
	app_refresh(app);
}

/* ---- input ------------------------------------------------------------ */

static int
binding_action(const struct key_binding *keys, int key)
{
	const struct key_binding *k;

	if (keys == NULL)
		return ACT_NONE;
	for (k = keys; k->key != 0; k++)
		if (k->key == key)
			return k->action;
	return ACT_NONE;
}

/* Keys every text field shares; returns true when the key was for the field. */
static bool
lineedit_key(struct lineedit *le, int key)
{
	switch (key) {
	case TK(KEY_LEFT):	lineedit_left(le); return true;
	case TK(KEY_RIGHT):	lineedit_right(le); return true;
	case TK(KEY_HOME):
	case CTRL_KEY('a'):	lineedit_home(le); return true;
	case TK(KEY_END):
	case CTRL_KEY('e'):	lineedit_end(le); return true;
	case TK(KEY_BACKSPACE):	lineedit_backspace(le); return true;
	case TK(KEY_DC):	lineedit_delete(le); return true;
	case CTRL_KEY('u'):	lineedit_kill_to_start(le); return true;
	case CTRL_KEY('k'):	lineedit_kill_to_end(le); return true;
	case CTRL_KEY('w'):	lineedit_kill_word(le); return true;
	}
	if (!(key & TK_FLAG) && key >= 0x20 && key != 0x7F) {
		lineedit_insert(le, (uint32_t)key);
		return true;
	}
	return false;
}

bool
app_lineedit_key(struct lineedit *le, int key)
{
	return lineedit_key(le, key);
}

bool
app_textedit_key(struct textedit *te, int key, int width, bool *changedp)
{
	bool changed = false;

	switch (key) {
	case TK(KEY_LEFT):	textedit_left(te); break;
	case TK(KEY_RIGHT):	textedit_right(te); break;
	case TK(KEY_UP):	textedit_up(te, width); break;
	case TK(KEY_DOWN):	textedit_down(te, width); break;
	case TK(KEY_HOME):
	case CTRL_KEY('a'):	textedit_home(te); break;
	case TK(KEY_END):
	case CTRL_KEY('e'):	textedit_end(te); break;
	case TK(KEY_BACKSPACE):	changed = textedit_backspace(te); break;
	case TK(KEY_DC):	changed = textedit_delete(te); break;
	default:
		if ((key & TK_FLAG) || (key < 0x20 && key != '\t') || key == 0x7F)
			return false;
		changed = textedit_insert(te, (uint32_t)key);
		break;
	}
	if (changedp != NULL)
		*changedp = changed;
	return true;
}

static void
prompt_key(struct app *app, int key)
{
	prompt_done_fn	 done = app->prompt.done;
	void		*ctx = app->prompt.ctx;

	if (key == 27 || key == '\n') {
		app->prompt.active = false;
		done(app, ctx, key == '\n' ? app->prompt.le.text.buf : NULL);
		/* done() may have opened a new prompt; only clear the old text. */
		if (!app->prompt.active)
			lineedit_clear(&app->prompt.le);
		app->dirty = true;
		return;
	}
	if (lineedit_key(&app->prompt.le, key))
		app->dirty = true;
}

/* The pager's keys: what it does with them, and the status line's hints while it is open. */
static const struct key_binding pager_keys[] = {
	{ 'j',		 ACT_NEXT,	"a line down", "/k scroll", 0 },
	{ TK(KEY_DOWN),	 ACT_NEXT,	NULL, NULL, 0 },
	{ '\n',		 ACT_NEXT,	NULL, NULL, 0 },
	{ 'k',		 ACT_PREV,	"a line up", NULL, 0 },
	{ TK(KEY_UP),	 ACT_PREV,	NULL, NULL, 0 },
	{ TK(KEY_NPAGE), ACT_PAGE_DOWN,	"a page down", "page", 0 },
	{ ' ',		 ACT_PAGE_DOWN,	NULL, NULL, 0 },
	{ TK(KEY_PPAGE), ACT_PAGE_UP,	"a page up", NULL, 0 },
	{ 'g',		 ACT_TOP,	"the top", NULL, 0 },
	{ 'G',		 ACT_BOTTOM,	"the end", NULL, 0 },
	{ 'q',		 ACT_NONE,	"close", "close", 0 },
	{ 27,		 ACT_NONE,	NULL, NULL, 0 },
	{ '?',		 ACT_NONE,	NULL, NULL, 0 },
	{ 0, 0, NULL, NULL, 0 }
};

static void
pager_key(struct app *app, int key)
{
	size_t	h = pager_rows(app), max = pager_max_top(app), *top = &app->pager.top;

	switch (binding_action(pager_keys, key)) {
	case ACT_NEXT:
		if (*top < max)
			(*top)++;
		break;
	case ACT_PREV:
		if (*top > 0)
			(*top)--;
		break;
	case ACT_PAGE_DOWN:
		*top = *top + h < max ? *top + h : max;
		break;
	case ACT_PAGE_UP:
		*top = *top > h ? *top - h : 0;
		break;
	case ACT_TOP:
		*top = 0;
		break;
	case ACT_BOTTOM:
		*top = max;
		break;
	default:
		if (key == 'q' || key == 27 || key == '?')
			pager_close(app);
		return;
	}
	app->dirty = true;
}

static void
quit_yes(struct app *app, void *ctx)
{
	(void)ctx;
	app_quit(app, 0, NULL);
}

/*
 * Ctrl-C, as in other terminal programs: it cancels what is open (a text
 * field, as Esc would), else goes back, and on a tab asks to quit.
 */
static void
cancel_key(struct app *app)
{
	int r;

	if (app->ops->input != NULL) {
		r = app->ops->input(app, app->state, 27);
		if (r != TUI_UNHANDLED) {
			app->dirty |= r == TUI_REDRAW;
			return;
		}
	}
	if (!app_back(app))
		app_confirm(app, "Quit sshbook? (y/n)", quit_yes, NULL);
}

/*
 * A y/n question: y answers it; n, Esc, q and Ctrl-C say no; any other key
 * says no and then does what it always does, so the question never
 * swallows a keystroke (2 at "Quit?" goes to tab 2). Returns true when the
 * key was used up.
 */
static bool
confirm_key(struct app *app, int key)
{
	app->confirm.active = false;
	app->dirty = true;
	if (app->confirm.choose != NULL) {
		app->confirm.choose(app, app->confirm.ctx, key);
		return true;
	}
	if (key == 'y' || key == 'Y') {
		app->confirm.yes(app, app->confirm.ctx);
		return true;
	}
	return key == 'n' || key == 'N' || key == 27 || key == 'q' ||
	    key == CTRL_KEY('c');
}

/* Nothing took the key: say so, so a typo is not silent. */
static void
unknown_key(struct app *app, int key)
{
	char name[32];

	if (key == TK(KEY_RESIZE) || key == TK(KEY_MOUSE))
		return;
	app_status(app, false, "%s: no such key here, ? for help",
	    binding_key_name(key, name, sizeof name));
}

static void
handle_key(struct app *app, int key)
{
	int action, r;

	if (key == CTRL_KEY('l')) {
		clearok(curscr, TRUE);
		app->dirty = true;
		return;
	}
	if (app->prompt.active) {
		prompt_key(app, key == CTRL_KEY('c') ? 27 : key);
		return;
	}
	if (app->confirm.active && confirm_key(app, key))
		return;
	if (app->pager.active) {
		pager_key(app, key == CTRL_KEY('c') ? 27 : key);
		return;
	}
	if (key == CTRL_KEY('c')) {
		cancel_key(app);
		return;
	}
	/* F1 is never text: help even while typing, where ? is a character. */
	if (key == TK(KEY_F(1))) {
		help_open(app);
		return;
	}
	if (app->status[0]) {
		app->status[0] = '\0';
		app->dirty = true;
	}
	if (app->ops->input != NULL) {
		r = app->ops->input(app, app->state, key);
		if (r != TUI_UNHANDLED) {
			app->dirty |= r == TUI_REDRAW;
			return;
		}
	}
	if (app->signing_up) {
		if (key == '?' || key == TK(KEY_F(1)))
			help_open(app);
		return;
	}
	if (key >= '1' && key <= '9') {
		tab_switch(app, key - '1');
		return;
	}
	if ((action = binding_action(app->ops->keys, key)) != ACT_NONE &&
	    app->ops->action != NULL) {
		app->dirty |= app->ops->action(app, app->state, action) == TUI_REDRAW;
		return;
	}
	switch (binding_action(global_keys, key)) {
	case G_NEXT_TAB:
		tab_switch(app, app->tab + 1);
		break;
	case G_PREV_TAB:
		tab_switch(app, app->tab - 1);
		break;
	case G_HELP:
		help_open(app);
		break;
	case G_COMMAND:
		app_prompt(app, ":", false, 4096, command_done, NULL);
		break;
	case G_QUIT:
		if (!app_back(app))
			app_confirm(app, "Quit sshbook? (y/n)", quit_yes, NULL);
		break;
	case G_BACK:
		app_back(app);
		break;
	case G_SEARCH:
		app_open(app, &screen_search_ops, NULL);
		break;
	case G_COMPOSE:
		app_open(app, &screen_compose_ops, NULL);
		break;
	default:
		unknown_key(app, key);
		break;
	}
}

/*
 * The paste is complete: hand it whole to what takes text now (the prompt,
 * else the screen's paste op). A question or the pager takes none, and a
 * screen without a text field drops it: pasted text never runs as keys.
 * Trailing newlines go (a copied line usually ends with one).
 */
static void
paste_end(struct app *app)
{
	struct buf *b = &app->paste.text;

	app->paste.active = false;
	while (b->len > 0 && b->buf[b->len - 1] == '\n')
		buf_truncate(b, b->len - 1);
	if (b->len == 0)
		return;
	app->dirty = true;
	if (app->prompt.active)
		lineedit_insert_text(&app->prompt.le, b->buf);
	else if (app->confirm.active || app->pager.active)
		;	/* nothing to type into */
	else if (app->ops->paste != NULL)
		app->ops->paste(app, app->state, b->buf);
	else
		app_status(app, false, "nothing here takes text: the paste was dropped");
	/* It may have been a password. */
	sodium_memzero(b->buf, b->len);
	buf_reset(b);
}

/*
 * Bracketed paste: true when what get_wch returned belongs to a paste (its
 * start or end, or text inside it), which then collects in app->paste.
 */
static bool
paste_key(struct app *app, int rc, wint_t wch)
{
	char	enc[4];
	size_t	n;

	if (rc == KEY_CODE_YES && wch == KEY_PASTE_BEGIN) {
		app->paste.active = true;
		app->paste.cr = false;
		buf_reset(&app->paste.text);
		return true;
	}
	if (!app->paste.active)
		return false;
	if (rc == KEY_CODE_YES) {
		/* Function keys cannot be pasted; a sequence that looks like one is dropped. */
		if (wch == KEY_PASTE_END)
			paste_end(app);
		return true;
	}
	if (wch == '\n' && app->paste.cr) {
		app->paste.cr = false;
		return true;
	}
	app->paste.cr = wch == '\r';
	if (wch == '\r')
		wch = '\n';
	if ((wch < 0x20 && wch != '\n' && wch != '\t') || wch == 0x7F ||
	    (wch >= 0x80 && wch <= 0x9F) || app->paste.text.len + 4 > PASTE_MAX)
		return true;
	if ((n = utf8_encode((uint32_t)wch, enc)) > 0)
		buf_add(&app->paste.text, enc, n);
	return true;
}

/* Normalise what get_wch returned into one key code (see TK in screen.h). */
static int
key_from_wch(int rc, wint_t wch)
{
	if (rc == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return '\n';
		return TK((int)wch);
	}
	if (wch == '\r')
		return '\n';
	if (wch == 127 || wch == 8)
		return TK(KEY_BACKSPACE);
	return (int)wch;
}

/* ---- drawing ---------------------------------------------------------- */

static void
draw_tabs(struct app *app)
{
	char	label[48];
	int	x = 0, i, total = 0, w;
	bool	full;

	draw_fill(0, 0, COLS, ROLE_TAB);
	if (app->signing_up) {
		draw_text(0, 0, COLS, " sshbook: sign up", ROLE_TAB_ACTIVE);
		return;
	}
	for (i = 0; i < NTABS; i++)
		total += draw_width(tab_ops[i]->name) + 3;
	full = total <= COLS;
	for (i = 0; i < NTABS && x < COLS; i++) {
		snprintf(label, sizeof label, "%d %s", i + 1,
		    full ? tab_ops[i]->name : tab_short[i]);
		w = draw_text(0, x, COLS - x, label, i == app->tab ? ROLE_TAB_ACTIVE : ROLE_TAB);
		x += w + (full ? 2 : 1);
	}
}

static void
draw_status(struct app *app)
{
	int		y = LINES - 1, x, w;
	struct buf	hint = BUF_INIT;
	unsigned	when;

	draw_fill(y, 0, COLS, ROLE_STATUS);
	if (app->prompt.active) {
		x = draw_text(y, 0, COLS, app->prompt.label, ROLE_STATUS);
		x += draw_text(y, x, 1, " ", ROLE_STATUS);
		w = COLS - x - 1;
		draw_cursor_at(y, draw_field(y, x, w, &app->prompt.le, ROLE_STATUS));
		return;
	}
	if (app->confirm.active) {
		/* The question takes the keys: no field under it keeps the cursor. */
		draw_cursor_reset();
		draw_text(y, 0, COLS, app->confirm.question, ROLE_ERROR);
		return;
	}
	x = 0;
	if (!app->signing_up && app->user.username != NULL) {
		x += draw_textf(y, 0, COLS, ROLE_STATUS, " %s ", app->user.username);
		x += draw_textf(y, x, COLS - x, app->unread_msgs ? ROLE_ERROR : ROLE_STATUS,
		    " msg %lld ", (long long)app->unread_msgs);
		x += draw_textf(y, x, COLS - x, app->unread_notifs ? ROLE_ERROR : ROLE_STATUS,
		    " notif %lld ", (long long)app->unread_notifs);
	}
	else if (app->signup_name)
		x += draw_textf(y, 0, COLS, ROLE_STATUS, " %s (new) ", app->signup_name);
	if (app->status[0]) {
		/* A message too long for what is left of the row gets the whole row above. */
		if (draw_width(app->status) > COLS - x - 1) {
			draw_fill(y - 1, 0, COLS, app->status_error ? ROLE_ERROR : ROLE_STATUS);
			draw_text(y - 1, 1, COLS - 1, app->status,
			    app->status_error ? ROLE_ERROR : ROLE_STATUS);
		} else
			draw_text(y, x + 1, COLS - x - 1, app->status,
			    app->status_error ? ROLE_ERROR : ROLE_STATUS);
		return;
	}
	/*
	 * The keys that apply now, as many as fit: help and back (or quit)
	 * first, then the screen's own unless it has a hint row, then the rest
	 * of the global ones. While a field takes the keys no global one applies.
	 */
	when = app_when(app);
	if (app->pager.active) {
		hints_build(pager_keys, SIZE_MAX, 0, COLS - x - 2, &hint);
		draw_text_right(y, x, COLS - x - 1, hint.buf, ROLE_STATUS);
		buf_release(&hint);
		return;
	}
	hints_build(global_keys, GLOBAL_FIRST, when, COLS - x - 2, &hint);
	if (!app->hints_drawn)
		hints_build(app->ops->keys, SIZE_MAX, when, COLS - x - 2, &hint);
	hints_build(global_keys + GLOBAL_FIRST, SIZE_MAX, when, COLS - x - 2, &hint);
	draw_text_right(y, x, COLS - x - 1, hint.buf, ROLE_STATUS);
	buf_release(&hint);
}

static void
draw_pager(struct app *app)
{
	size_t	h = pager_rows(app), n, i;
	char	more[96];

	if (app->pager.top > pager_max_top(app))
		app->pager.top = pager_max_top(app);	/* after a resize */
	n = app->pager.view.n;
	draw_fill(1, 0, COLS, ROLE_TITLE);
	draw_text(1, 1, COLS - 2, app->pager.title, ROLE_TITLE);
	for (i = 0; i < h && app->pager.top + i < n; i++)
		draw_md_line(&app->pager.view.lines[app->pager.top + i], 2 + (int)i, 1, COLS - 2);
	if (n > h) {
		/* Longer than the screen: say where this is and how to go on, as less does. */
		snprintf(more, sizeof more, "-- lines %zu-%zu of %zu%s --",
		    app->pager.top + 1, app->pager.top + h, n,
		    app->pager.top + h < n ? " (j/k, PgDn/PgUp)" : ", the end (k, PgUp)");
		draw_text(2 + (int)h, 1, COLS - 2, more, ROLE_KEY);
	}
}

/*
 * Show the terminal cursor at the insertion point of the field that claimed
 * it this frame (tui/draw.h), or hide it; then the frame's one refresh puts
 * it there.
 */
static void
cursor_place(void)
{
	int y, x;

	if (draw_cursor_claimed(&y, &x)) {
		move(y, x);
		curs_set(1);
	} else
		curs_set(0);
}

static void
draw_all(struct app *app)
{
	struct rect area;
	char msg[96];

	draw_cursor_reset();
	app->hints_drawn = false;
	erase();
	if (COLS < MIN_COLS || LINES < MIN_ROWS) {
		/* Wrapped and centred, so it reads whole in any window (20x5 and less). */
		struct rect	box = { 0, 0, LINES, COLS };
		int		row;

		snprintf(msg, sizeof msg, "window too small: %dx%d, sshbook needs %dx%d",
		    COLS, LINES, MIN_COLS, MIN_ROWS);
		row = (LINES - draw_wrapped_rows(msg, COLS)) / 2;
		if (row < 0)
			row = 0;
		draw_wrapped(&box, &row, msg, ROLE_ERROR);
		cursor_place();
		refresh();
		return;
	}
	draw_tabs(app);
	if (app->pager.active)
		draw_pager(app);
	else {
		area.y = 1;
		area.x = 0;
		area.h = LINES - 2;
		area.w = COLS;
		app->ops->draw(app, app->state, &area);
	}
	draw_status(app);
	cursor_place();
	refresh();
}

/* ---- events ----------------------------------------------------------- */

static void
handle_resize(struct app *app)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	app->dirty = true;
}

static void
handle_hub(struct app *app)
{
	struct hub_msg	m;
	int		r;

	while ((r = hub_recv(app->hub_fd, &m)) == 1) {
		if (m.kind == HUB_SHUTDOWN) {
			app_status(app, true, "the server is shutting down");
			continue;
		}
		if (m.kind != HUB_HINT)
			continue;
		if (m.topic == TOPIC_ACCOUNT && !app->signing_up)
			app_reload_user(app);
		if (m.topic == TOPIC_MEDIA)
			pictures_forget(m.object_id);
		/*
		 * The screen first, then the counts: an open chat marks what
		 * arrived read as it refreshes, so "msg 1" never shows for a
		 * message already on the screen.
		 */
		if (app->ops->refresh != NULL)
			(*app->ops->refresh)(app, app->state, &m);
		counts_reload(app);
		app->dirty = true;
	}
	if (r < 0) {
		/* The daemon went away: keep working on the database alone. */
		close(app->hub_fd);
		app->hub_fd = -1;
	}
}

/* The fallback when no hint came: another process committed something. */
static void
check_data_version(struct app *app)
{
	int64_t v;

	if (store_data_version(app->st, &v) != 0 || v == app->data_version)
		return;
	app->data_version = v;
	if (!app->signing_up) {
		app_reload_user(app);
		if (app->ops->refresh != NULL)
			(*app->ops->refresh)(app, app->state, NULL);
		counts_reload(app);	/* after the screen, as in handle_hub */
	}
	app->dirty = true;
}

void
app_timer(struct app *app, int ms)
{
	app->timer_at = mono_ms() + (ms > 0 ? ms : 0);
	if (app->timer_at == 0)
		app->timer_at = 1;	/* 0 means none */
}

/* How long poll may wait: the fallback's period, or less when a timer is due sooner. */
static int
poll_timeout(const struct app *app)
{
	int64_t left = POLL_MS, now = mono_ms();

	if (app->timer_at != 0 && app->timer_at - now < left)
		left = app->timer_at - now;
	if (app->status[0] && app->status_until - now < left)
		left = app->status_until - now;
	return left <= 0 ? 0 : (int)left;
}

/* Run the screen's timer when its deadline has come; true when it did. */
static bool
timer_run(struct app *app)
{
	if (app->timer_at == 0 || mono_ms() < app->timer_at)
		return false;
	app->timer_at = 0;
	if (app->ops != NULL && app->ops->timer != NULL)
		app->ops->timer(app, app->state);
	app->dirty = true;
	return true;
}

static void
loop(struct app *app)
{
	struct pollfd	pfd[3];
	wint_t		wch;
	int		rc, n;
	char		drain[64];

	while (!app->quit) {
		status_expire(app);
		if (app->dirty) {
			draw_all(app);
			app->dirty = false;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigpipe_fds[0];
		pfd[1].events = POLLIN;
		pfd[2].fd = app->hub_fd;
		pfd[2].events = POLLIN;
		n = poll(pfd, app->hub_fd >= 0 ? 3 : 2, poll_timeout(app));
		if (n < 0 && errno != EINTR)
			break;
		if (n == 0) {
			/* A paste whose end never came (a dropped byte): what arrived is the paste. */
			if (app->paste.active)
				paste_end(app);
			/* A quiet poll is the fallback's tick, unless it was waiting for a timer. */
			if (!timer_run(app))
				check_data_version(app);
			continue;
		}
		if (pfd[1].revents & POLLIN)
			while (read(sigpipe_fds[0], drain, sizeof drain) > 0)
				;
		if (got_term)
			break;
		if (got_winch) {
			got_winch = 0;
			handle_resize(app);
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;	/* the terminal is gone */
		if (pfd[0].revents & POLLIN) {
			while ((rc = get_wch(&wch)) != ERR) {
				if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
					/*
					 * resizeterm() itself queues KEY_RESIZE: resizing again
					 * here would loop forever. Our SIGWINCH handler did the work.
					 */
					app->dirty = true;
					continue;
				}
				if (paste_key(app, rc, wch))
					continue;
				handle_key(app, key_from_wch(rc, wch));
				if (app->quit)
					break;
			}
		}
		if (app->hub_fd >= 0 && (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)))
			handle_hub(app);
		timer_run(app);
	}
}

struct app *
app_new_headless(struct store *st, const char *data_dir, int64_t user_id)
{
	struct app *app = xcalloc(1, sizeof *app);

	app->st = st;
	app->data_dir = data_dir;
	app->user_id = user_id;
	app->hub_fd = -1;
	lineedit_init(&app->prompt.le, 1, false);
	if (store_user_by_id(st, user_id, &app->user) != 0) {
		lineedit_free(&app->prompt.le);
		free(app);
		return NULL;
	}
	app->ascii = terminal_ascii_only();
	return app;
}

void
app_free_headless(struct app *app)
{
	if (app == NULL)
		return;
	lineedit_free(&app->prompt.le);
	user_free(&app->user);
	free(app);
}

int
app_run(struct store *st, const char *data_dir, int64_t user_id, const char *username,
    const struct signup_env *signup, int hub_fd)
{
	struct app	*app = xcalloc(1, sizeof *app);
	int		 status;

	app->st = st;
	app->data_dir = data_dir;
	app->user_id = user_id;
	app->hub_fd = hub_fd;
	app->signup = signup;
	app->signing_up = signup != NULL;
	app->signup_name = xstrdup(username);
	lineedit_init(&app->prompt.le, 1, false);
	buf_init(&app->paste.text);
	if (!app->signing_up && store_user_by_id(st, user_id, &app->user) != 0) {
		free(app->signup_name);
		free(app);
		return 1;
	}
	store_data_version(st, &app->data_version);
	app->ascii = terminal_ascii_only();

	signals_setup();
	if (initscr() == NULL)
		return 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	draw_init();
	/* Pastes arrive marked, so they are text and never keys (the terminal mode goes again on exit). */
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	putp("\033[?2004h");
	fflush(stdout);	/* putp writes through stdio, ncurses' own output does not */

	counts_reload(app);
	if (app->signing_up)
		screen_switch(app, &screen_signup_ops);
	else
		tab_switch(app, 0);
	app->dirty = true;
	loop(app);

	screens_leave_all(app);
	pager_close(app);
	lineedit_free(&app->prompt.le);
	buf_release(&app->paste.text);
	putp("\033[?2004l");
	fflush(stdout);
	endwin();
	if (app->farewell != NULL)
		printf("%s\n", app->farewell);
	fflush(stdout);
	status = app->exit_status;
	user_free(&app->user);
	free(app->farewell);
	free(app->signup_name);
	free(app);
	return status;
}
