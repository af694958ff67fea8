/*
 * Profiles: tab 8 shows mine, screen_user_ops anyone's (from search, the
 * Friends tab, a notification). What is shown is what storage returned for
 * this viewer: a profile the viewer may not see arrives with full == false
 * and is drawn as name and avatar only. Below the header: the first lines of
 * the bio (i shows all of it) and the person's posts, the shared feed.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "media/markdown.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/feed.h"
#include "tui/pictures.h"
#include "tui/post_actions.h"
#include "tui/screen.h"
#include "tui/social_actions.h"

struct profile_state {
	char		*username;	/* whose profile; NULL: mine (tab 8) */
	struct profile	 p;
	bool		 missing;	/* unknown, or they blocked me */
	struct md_doc	 bio;
	int		 bio_width;	/* the width bio was rendered at */
	struct feed	 posts;		/* their timeline */
};

#define BIO_ROWS	4	/* bio lines above the posts; i shows it all */
#define BANNER_ROWS	5	/* the background picture's strip above the header, */
#define BANNER_ROWS_SMALL 3	/* on a window under BANNER_TALL rows */
#define BANNER_TALL	30

static int
load_timeline(struct app *app, void *arg, const struct post_cursor *after, size_t limit,
    struct post_page *out)
{
	const struct profile_state *s = arg;

	if (s->missing)
		return 0;
	return store_timeline(app_store(app), app_user(app)->id, s->p.id, after, limit, out);
}

static void
profile_load(struct app *app, struct profile_state *s)
{
	const char *name = s->username ? s->username : app_user(app)->username;

	profile_free(&s->p);
	md_doc_free(&s->bio);
	s->bio_width = 0;
	s->missing = store_profile_get(app_store(app), app_user(app)->id, name, &s->p) != 0;
}

static void *
profile_enter_common(struct app *app, const char *username)
{
	struct profile_state *s = xcalloc(1, sizeof *s);

	s->username = username ? xstrdup(username) : NULL;
	profile_load(app, s);
	feed_init(&s->posts, load_timeline, s);
	feed_reload(&s->posts, app);
	return s;
}

static void *
profile_enter(struct app *app, const char *arg)
{
	(void)arg;
	app_reload_user(app);
	return profile_enter_common(app, NULL);
}

static void *
user_enter(struct app *app, const char *arg)
{
	return profile_enter_common(app, arg);
}

static void
profile_leave(struct app *app, void *state)
{
	struct profile_state *s = state;

	(void)app;
	profile_free(&s->p);
	md_doc_free(&s->bio);
	feed_free(&s->posts);
	free(s->username);
	free(s);
}

static const char *
relation_text(enum relation rel)
{
	switch (rel) {
	case REL_SELF:			return "this is you";
	case REL_FRIEND:		return "friends";
	case REL_REQUEST_SENT:		return "friend request sent";
	case REL_REQUEST_RECEIVED:	return "wants to be your friend (f accepts, x declines)";
	case REL_BLOCKED:		return "blocked by you (b unblocks)";
	default:			return "not friends";
	}
}

/* The enum key_when bits: who this is to me, and the selected post of the timeline. */
static unsigned
profile_when(struct app *app, void *state)
{
	struct profile_state	*s = state;
	unsigned		 w = W_KEYS;

	if (s->missing)
		return w;
	switch (s->p.relation) {
	case REL_SELF:			w |= W_OWN; break;
	case REL_FRIEND:		w |= W_FRIEND | W_OTHERS; break;
	case REL_REQUEST_SENT:		w |= W_SENT | W_OTHERS; break;
	case REL_REQUEST_RECEIVED:	w |= W_REQUEST | W_OTHERS; break;
	case REL_BLOCKED:		return w | W_BLOCKED;
	default:			w |= W_STRANGER | W_OTHERS; break;
	}
	return w | (s->p.full ? feed_when(&s->posts, app) : 0);
}

/* Render the bio at w columns (again when the width changed). */
static void
bio_layout(struct profile_state *s, int w)
{
	if (s->bio_width != w) {
		md_doc_free(&s->bio);
		md_render(s->p.bio, w, &s->bio);
		s->bio_width = w;
	}
}

static void
draw_bio(struct profile_state *s, int y, int x, int w, int rows)
{
	size_t	i;

	bio_layout(s, w);
	for (i = 0; i < s->bio.n && (int)i < rows; i++)
		draw_md_line(&s->bio.lines[i], y + (int)i, x, w);
}

/*
 * The background as a strip across the top: rendered at the full width and
 * cut to its middle rows, like a banner. Returns the rows used (0: none).
 */
static int
draw_banner(struct app *app, int64_t media, int y, int x, int w, int want)
{
	const struct cellgrid	*g;
	int			 pw, ph, cols, rows, first, i;

	if (media <= 0 || picture_source_size(app, media, &pw, &ph) != 0)
		return 0;
	preview_fit(pw, ph, w, 1000, &cols, &rows);
	if (rows < want)
		return 0;
	if ((g = picture_get(app, media, cols, rows)) == NULL)
		return 0;
	first = (g->rows - want) / 2;
	for (i = 0; i < want; i++)
		picture_draw_row(g, first + i, y + i, x + (w - g->cols) / 2);
	return want;
}

/* The avatar picture in the identicon's box, or the identicon. */
static void
draw_profile_avatar(struct app *app, const struct profile *p, int y, int x)
{
	const struct cellgrid *g = NULL;

	if (p->avatar_media > 0)
		g = picture_get(app, p->avatar_media, AVATAR_COLS, AVATAR_ROWS);
	if (g != NULL)
		picture_draw(g, y, x, AVATAR_ROWS);
	else
		draw_avatar(y, x, p->avatar_seed);
}

static void
profile_draw(struct app *app, void *state, const struct rect *r)
{
	struct profile_state	*s = state;
	const struct profile	*p = &s->p;
	struct buf		 line = BUF_INIT;
	char			 joined[32];
	int			 x = r->x + 2 + AVATAR_COLS + 2, w = r->w - (x - r->x) - 2;
	int			 y = r->y + 1, top;
	size_t			 i;

	if (s->missing) {
		draw_text(y + 1, r->x + 2, r->w - 4, "No such user (or they are not visible to you).",
		    ROLE_ERROR);
		app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
		return;
	}
	/* A banner as tall as leaves room for the header and some posts. */
	y += draw_banner(app, p->background_media, r->y, r->x + 2, r->w - 4,
	    r->h >= BANNER_TALL ? BANNER_ROWS : BANNER_ROWS_SMALL);
	top = y;
	draw_profile_avatar(app, p, y, r->x + 2);
	draw_text(y++, x, w, p->display_name, ROLE_TITLE);
	draw_textf(y++, x, w, ROLE_DIM, "@%s  ·  %s", p->username, relation_text(p->relation));
	time_date(p->created_at, joined, sizeof joined);
	if (!p->full) {
		draw_textf(y++, x, w, ROLE_NORMAL, "Joined %s", joined);
		draw_text(y++, x, w, "Only their name and avatar are visible to you.", ROLE_DIM);
	} else {
		buf_addf(&line, "Joined %s  ·  %zu friend%s", joined, p->friend_count,
		    p->friend_count == 1 ? "" : "s");
		if (p->relation != REL_SELF)
			buf_addf(&line, " (%zu mutual)", p->mutual_count);
		if (p->relation == REL_SELF)
			buf_addf(&line, "  ·  visible to: %s", privacy_name(p->privacy));
		draw_text(y++, x, w, line.buf, ROLE_NORMAL);
		buf_reset(&line);
		if (p->location[0])
			buf_addf(&line, "Location: %s", p->location);
		if (p->job[0])
			buf_addf(&line, "%sWork: %s", line.len ? "  ·  " : "", p->job);
		draw_text(y++, x, w, line.buf, ROLE_NORMAL);
		buf_reset(&line);
		for (i = 0; i < p->ntags; i++)
			buf_addf(&line, "%s#%s", i ? " " : "Tags: ", p->tags[i]);
		draw_text(y++, x, w, line.buf, ROLE_KEY);
	}
	y = top + AVATAR_ROWS + 1;
	draw_hline(y++, r->x + 2, r->w - 4);
	if (p->full) {
		if (p->bio[0]) {
			/*
			 * The bio gets what the posts leave: all the room when there are
			 * none, half of it (at least BIO_ROWS) when there are.
			 */
			int avail = r->y + r->h - 1 - y - 3, rows;

			rows = s->posts.n == 0 ? avail : (avail / 2 > BIO_ROWS ? avail / 2 : BIO_ROWS);
			if (rows < 1)
				rows = 1;
			/*
			 * Cut short, the last row is the notice alone: drawn over a
			 * bio line it would leave that line's end behind it.
			 */
			bio_layout(s, r->w - 4);	/* its length decides */
			if (s->bio.n > (size_t)rows) {
				draw_bio(s, y, r->x + 2, r->w - 4, rows - 1);
				y += rows - 1;
				draw_text(y++, r->x + 2, r->w - 4, "… i shows the whole bio", ROLE_DIM);
			} else {
				draw_bio(s, y, r->x + 2, r->w - 4, rows);
				y += (int)s->bio.n;
			}
		} else
			draw_text(y++, r->x + 2, r->w - 4, p->relation == REL_SELF ?
			    "No bio yet: e edits your profile." : "No bio yet.", ROLE_DIM);
		draw_hline(y, r->x + 2, r->w - 4);
		draw_text(y++, r->x + 4, 8, " Posts ", ROLE_DIM);
		if (s->posts.n == 0)
			draw_text(y, r->x + 2, r->w - 4, "No posts to show.", ROLE_DIM);
		else {
			struct rect area = { y, r->x, r->y + r->h - 1 - y, r->w };

			feed_draw(&s->posts, app, &area);
		}
	}
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
	buf_release(&line);
}

static int
profile_action(struct app *app, void *state, int action)
{
	struct profile_state *s = state;

	if (s->missing)
		return TUI_NONE;
	switch (action) {
	case ACT_INFO:
		app_pager_markdown(app, s->p.display_name, s->p.bio[0] ? s->p.bio : "No bio yet.");
		return TUI_REDRAW;
	case ACT_EDIT:
		if (s->p.relation != REL_SELF) {
			app_status(app, true, "you can only edit your own profile");
			return TUI_REDRAW;
		}
		app_open(app, &screen_profile_edit_ops, NULL);
		return TUI_REDRAW;
	case ACT_FRIENDS_OF:
		app_open(app, &screen_friends_of_ops, s->p.username);
		return TUI_REDRAW;
	case ACT_MESSAGE:
		app_open(app, &screen_chat_ops, s->p.username);
		return TUI_REDRAW;
	case ACT_MEDIA:
		app_open(app, &screen_gallery_ops, s->p.relation == REL_SELF ? NULL : s->p.username);
		return TUI_REDRAW;
	case ACT_FRIEND:
		social_act(app, s->p.username, SOP_FRIEND);
		return TUI_REDRAW;
	case ACT_DECLINE:
		social_act(app, s->p.username, SOP_DECLINE);
		return TUI_REDRAW;
	case ACT_BLOCK:
		social_act(app, s->p.username, SOP_BLOCK);
		return TUI_REDRAW;
	}
	/* Everything else is for the selected post of the timeline. */
	return feed_action(&s->posts, app, action);
}

static void
profile_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct profile_state *s = state;

	(void)m;
	profile_load(app, s);
	feed_refresh(&s->posts, app);
}

/* Who they are to me first, then the selected post's keys: the hint row takes them in this order. */
static const struct key_binding profile_keys[] = {
	NAV_BINDINGS,
	{ 'e',		ACT_EDIT,	"edit your profile", "edit profile", W_OWN },
	{ 'f',		ACT_FRIEND,	"send a friend request", "add friend", W_STRANGER },
	{ 'f',		ACT_FRIEND,	"accept their friend request", "accept", W_REQUEST },
	{ 'x',		ACT_DECLINE,	"decline their friend request", "decline", W_REQUEST },
	{ 'f',		ACT_FRIEND,	"cancel your friend request", "cancel request", W_SENT },
	{ 'f',		ACT_FRIEND,	"remove from your friends (asks first)", "unfriend", W_FRIEND },
	{ 'm',		ACT_MESSAGE,	"send them a message", "message", W_OTHERS },
	{ 'i',		ACT_INFO,	"the whole bio", "bio", 0 },
	{ 'F',		ACT_FRIENDS_OF,	"the friends list (search inside it)", "friends", W_KEYS },
	{ 'M',		ACT_MEDIA,	"the media gallery (your avatar and background: on your own)",
	    "media", W_KEYS },
	{ 'b',		ACT_BLOCK,	"block them", "block", W_OTHERS },
	{ 'b',		ACT_BLOCK,	"unblock them", "unblock", W_BLOCKED },
	{ '\n',		ACT_OPEN,	"open the selected post", "open", W_POST },
	{ 'l',		ACT_LIKE,	"like or unlike the selected post", "like", W_POST },
	{ 'c',		ACT_COMMENT,	"its comments", "comment", W_POST },
	{ 'r',		ACT_REACT,	"react to it", NULL, W_POST },
	{ 'w',		ACT_REACTORS,	"who reacted", NULL, W_POST },
	{ 's',		ACT_SHARE,	"share it", NULL, W_POST },
	{ 'd',		ACT_DELETE,	"delete the selected post (asks)", NULL, W_POST | W_OWN },
	{ 'V',		ACT_VISIBILITY,	"who can see the selected post", NULL, W_POST | W_OWN },
	{ 'v',		ACT_VIEW,	"its pictures, full screen", NULL, W_POST | W_PICTURES },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_profile_ops = {
	.name = "Profile",
	.keys = profile_keys,
	.enter = profile_enter,
	.leave = profile_leave,
	.draw = profile_draw,
	.action = profile_action,
	.refresh = profile_refresh,
	.when = profile_when,
};

const struct screen_ops screen_user_ops = {
	.name = "Profile",
	.keys = profile_keys,
	.enter = user_enter,
	.leave = profile_leave,
	.draw = profile_draw,
	.action = profile_action,
	.refresh = profile_refresh,
	.when = profile_when,
};
