/*
 * A media gallery (M on a profile; Profile "Media"): the uploads the viewer
 * may see, newest first, with the selected one's preview beside the list.
 * On my own gallery: a sets it as my avatar, b as my background, x takes it
 * off again, n writes a post with it, d deletes it. v or Enter views it full
 * screen. In pick mode (Ctrl-A in the composer) Space marks up to 4 images
 * or 1 video and Enter hands them to the composer.
 *
 * Argument: a username, NULL for my own, or "pick" (mine, picking).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "media/pipeline.h"
#include "media/preview.h"
#include "storage/media.h"
#include "storage/social.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/gallery.h"
#include "tui/listdraw.h"
#include "tui/pictures.h"
#include "tui/screen.h"

#define PAGE		100
#define LIST_COLS	40	/* the list's width; the preview takes the rest */

enum {
	ACT_G_VIEW = 1100,
	ACT_G_AVATAR,
	ACT_G_BACKGROUND,
	ACT_G_UNSET,
	ACT_G_POST,
	ACT_G_DELETE,
	ACT_G_TOGGLE,
	ACT_G_DONE,
};

struct gallery {
	char			*owner;		/* username; NULL: mine */
	int64_t			 owner_id;
	bool			 mine, picking, missing;
	struct media_list	 list;
	struct listview		 lv;
	int			 height;
	int64_t			 picked[POST_MEDIA_MAX];
	size_t			 npicked;
};

/* The composer's pick, waiting to be taken (one process, one user: a static is enough). */
static int64_t	offered[POST_MEDIA_MAX];
static size_t	noffered;
static bool	offer_waiting;
static int64_t	pending_delete;

bool
gallery_pick_take(int64_t ids[POST_MEDIA_MAX], size_t *np)
{
	if (!offer_waiting)
		return false;
	memcpy(ids, offered, sizeof offered);
	*np = noffered;
	offer_waiting = false;
	return true;
}

static void
gallery_more(struct app *app, struct gallery *g)
{
	struct media_list	page = { 0 };
	size_t			i;

	if (g->list.n > 0 && g->list.next_before == 0)
		return;
	if (store_media_gallery(app_store(app), app_user(app)->id, g->owner_id,
	    g->list.next_before, PAGE, &page) != 0) {
		g->missing = g->list.n == 0;
		return;
	}
	g->list.v = xreallocarray(g->list.v, g->list.n + page.n + 1, sizeof *g->list.v);
	for (i = 0; i < page.n; i++)
		g->list.v[g->list.n++] = page.v[i];
	g->list.next_before = page.next_before;
	free(page.v);	/* entries moved */
	g->lv.n = g->list.n;
}

static void
gallery_load(struct app *app, struct gallery *g)
{
	media_list_free(&g->list);
	memset(&g->list, 0, sizeof g->list);
	g->missing = false;
	if (g->owner == NULL)
		g->owner_id = app_user(app)->id;
	else if (store_user_lookup(app_store(app), app_user(app)->id, g->owner,
	    &g->owner_id) != 0) {
		g->missing = true;
		g->lv.n = 0;
		return;
	}
	g->mine = g->owner_id == app_user(app)->id;
	gallery_more(app, g);
	g->lv.n = g->list.n;
	listview_clamp(&g->lv, (size_t)g->height);
}

static void *
gallery_enter(struct app *app, const char *arg)
{
	struct gallery *g = xcalloc(1, sizeof *g);

	g->picking = arg != NULL && strcmp(arg, "pick") == 0;
	g->owner = arg != NULL && !g->picking ? xstrdup(arg) : NULL;
	g->height = 10;
	gallery_load(app, g);
	return g;
}

static void
gallery_leave(struct app *app, void *state)
{
	struct gallery *g = state;

	(void)app;
	media_list_free(&g->list);
	free(g->owner);
	free(g);
}

static bool
is_picked(const struct gallery *g, int64_t id)
{
	size_t i;

	for (i = 0; i < g->npicked; i++)
		if (g->picked[i] == id)
			return true;
	return false;
}

static void
gallery_row(void *ctx, size_t i, int y, int x, int w, bool selected)
{
	struct gallery		*g = ctx;
	const struct media	*m = &g->list.v[i];
	char			 ago[32], line[160];
	enum draw_role		 role = selected ? ROLE_SELECTED : ROLE_NORMAL;

	time_ago(m->created_at, (int64_t)time(NULL), ago, sizeof ago);
	snprintf(line, sizeof line, "%s#%lld %s%dx%d %s%s%s%s",
	    g->picking ? (is_picked(g, m->id) ? "[x] " : "[ ] ") : "",
	    (long long)m->id, m->kind == MEDIA_VIDEO ? "video " : "", m->width, m->height, ago,
	    m->state == MEDIA_PENDING ? " \u00b7 processing" :
	    m->state == MEDIA_FAILED ? " \u00b7 failed" : "",
	    m->is_avatar ? " \u00b7 avatar" : "", m->is_background ? " \u00b7 background" : "");
	draw_fill(y, x, w, role);
	draw_text(y, x + 1, w - 2, line, role);
}

static void
draw_preview(struct app *app, const struct media *m, const struct rect *r)
{
	const struct cellgrid	*pic = NULL;
	int			 w, h, cols, rows, y = r->y;

	if (r->w < 4 || r->h < 4)
		return;
	if (m->state == MEDIA_READY && picture_source_size(app, m->id, &w, &h) == 0) {
		preview_fit(w, h, r->w, r->h - 3, &cols, &rows);
		pic = picture_get(app, m->id, cols, rows);
	}
	if (pic != NULL) {
		picture_draw(pic, y, r->x, r->h - 3);
		y += pic->rows;
	} else {
		draw_text(y++, r->x, r->w, m->state == MEDIA_PENDING ?
		    "processing\u2026 the preview appears when it is ready" :
		    m->state == MEDIA_FAILED ? "could not be processed" : "no preview", ROLE_DIM);
	}
	y++;
	draw_textf(y++, r->x, r->w, ROLE_DIM, "%s, uploaded as %s, %lld KB", media_kind_name(m->kind),
	    m->format, (long long)(m->orig_bytes + 1023) / 1024);
	if (m->state == MEDIA_READY)
		draw_textf(y, r->x, r->w, ROLE_DIM, "stored as %s %dx%d, %lld KB, metadata removed",
		    m->stored_format, m->width, m->height, (long long)(m->stored_bytes + 1023) / 1024);
	else if (m->state == MEDIA_FAILED)
		draw_text(y, r->x, r->w, m->error, ROLE_ERROR);
}

static void
gallery_draw(struct app *app, void *state, const struct rect *r)
{
	struct gallery	*g = state;
	struct rect	 list, pane;
	int		 lw = r->w / 2 < LIST_COLS ? r->w / 2 : LIST_COLS;

	if (g->missing) {
		draw_text(r->y + 1, r->x + 2, r->w - 4, "No such user, or their gallery is not "
		    "visible to you.", ROLE_ERROR);
		return;
	}
	draw_textf(r->y, r->x + 2, r->w - 4, ROLE_TITLE, "%s%s", g->picking ?
	    "Pick pictures for your post: " : "Media of ", g->picking ? "" :
	    g->owner != NULL ? g->owner : app_user(app)->username);
	list = (struct rect){ r->y + 2, r->x + 1, r->h - 3, lw };
	pane = (struct rect){ r->y + 2, r->x + lw + 3, r->h - 3, r->w - lw - 4 };
	g->height = list.h;
	if (g->list.n == 0)
		draw_text(list.y, list.x + 1, r->w - 4, g->mine ? "Nothing here yet: "
		    "scp picture.jpg -P PORT you@host: or ssh host upload < picture.jpg" :
		    "Nothing to show.", ROLE_DIM);
	else {
		list_draw(&list, &g->lv, gallery_row, g);
		draw_preview(app, &g->list.v[g->lv.sel], &pane);
	}
	app_draw_hints(app, r->y + r->h - 1, r->x + 2, r->w - 4);
}

static void
delete_yes(struct app *app, void *ctx)
{
	struct gallery	*g = ctx;
	char		*fmt = NULL;
	int		 r;

	r = store_media_delete(app_store(app), app_user(app)->id, pending_delete, &fmt);
	if (r != 0) {
		app_status(app, true, "could not delete it: %s", err_str(r));
		return;
	}
	media_remove_files(app_data_dir(app), app_user(app)->id, pending_delete,
	    media_format_parse(fmt != NULL ? fmt : ""));
	free(fmt);
	pictures_forget(pending_delete);
	app_hint(app, TOPIC_MEDIA, app_user(app)->id, pending_delete);
	app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	app_status(app, false, "deleted media %lld", (long long)pending_delete);
	gallery_load(app, g);
}

static void
set_image(struct app *app, struct gallery *g, enum profile_image which, int64_t id)
{
	char	why[160] = "";
	int	r;

	r = store_profile_set_image(app_store(app), app_user(app)->id, which, id, why, sizeof why);
	if (r != 0) {
		app_status(app, true, "%s", why[0] ? why : err_str(r));
		return;
	}
	app_hint(app, TOPIC_ACCOUNT, app_user(app)->id, 0);
	app_status(app, false, id == 0 ? "%s removed" : "%s set", which == PROFILE_AVATAR ?
	    "avatar" : "background");
	gallery_load(app, g);
}

static void
toggle_pick(struct app *app, struct gallery *g, const struct media *m)
{
	size_t i;

	for (i = 0; i < g->npicked; i++)
		if (g->picked[i] == m->id) {
			memmove(&g->picked[i], &g->picked[i + 1],
			    (g->npicked - i - 1) * sizeof g->picked[0]);
			g->npicked--;
			return;
		}
	if (m->state == MEDIA_FAILED) {
		app_status(app, true, "that upload could not be processed");
		return;
	}
	/* Up to 4 images, or one video alone. */
	if (g->npicked > 0 && (m->kind == MEDIA_VIDEO || g->npicked == POST_MEDIA_MAX)) {
		app_status(app, true, "a post takes up to 4 images or 1 video");
		return;
	}
	for (i = 0; i < g->list.n; i++)
		if (g->npicked > 0 && g->list.v[i].id == g->picked[0] &&
		    g->list.v[i].kind == MEDIA_VIDEO) {
			app_status(app, true, "a post takes up to 4 images or 1 video");
			return;
		}
	g->picked[g->npicked++] = m->id;
}

static int
gallery_action(struct app *app, void *state, int action)
{
	struct gallery		*g = state;
	const struct media	*m;
	char			 arg[40];

	if (list_nav(&g->lv, action, (size_t)g->height)) {
		if (list_near_end(&g->lv))
			gallery_more(app, g);
		return TUI_REDRAW;
	}
	if (g->picking && action == ACT_G_DONE) {
		memcpy(offered, g->picked, sizeof offered);
		noffered = g->npicked;
		offer_waiting = true;
		app_back(app);
		return TUI_REDRAW;
	}
	if (g->list.n == 0)
		return TUI_NONE;
	m = &g->list.v[g->lv.sel];
	switch (action) {
	case ACT_G_TOGGLE:
		if (g->picking)
			toggle_pick(app, g, m);
		return TUI_REDRAW;
	case ACT_G_DONE:
	case ACT_G_VIEW:
		snprintf(arg, sizeof arg, "media:%lld", (long long)m->id);
		app_open(app, &screen_viewer_ops, arg);
		return TUI_REDRAW;
	default:
		break;
	}
	if (!g->mine || g->picking)
		return TUI_NONE;
	switch (action) {
	case ACT_G_AVATAR:
		set_image(app, g, PROFILE_AVATAR, m->id);
		break;
	case ACT_G_BACKGROUND:
		set_image(app, g, PROFILE_BACKGROUND, m->id);
		break;
	case ACT_G_UNSET: {
		/* set_image reloads the list, which frees *m: read it first */
		bool avatar = m->is_avatar, background = m->is_background;

		if (avatar)
			set_image(app, g, PROFILE_AVATAR, 0);
		if (background)
			set_image(app, g, PROFILE_BACKGROUND, 0);
		if (!avatar && !background)
			app_status(app, true, "it is neither your avatar nor your background");
		break;
	}
	case ACT_G_POST:
		snprintf(arg, sizeof arg, "media:%lld", (long long)m->id);
		app_open(app, &screen_compose_ops, arg);
		break;
	case ACT_G_DELETE:
		pending_delete = m->id;
		app_confirm(app, "Delete this upload everywhere (posts keep their text)? (y/n)",
		    delete_yes, g);
		break;
	default:
		return TUI_NONE;
	}
	return TUI_REDRAW;
}

static void
gallery_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct gallery	*g = state;
	size_t		 sel = g->lv.sel;

	(void)m;
	gallery_load(app, g);
	g->lv.sel = sel;
	listview_clamp(&g->lv, (size_t)g->height);
}

static unsigned
gallery_when(struct app *app, void *state)
{
	struct gallery *g = state;

	(void)app;
	if (g->missing)
		return W_KEYS;
	if (g->picking)
		return W_KEYS | W_PICKING;
	return W_KEYS | (g->list.n > 0 ? W_ITEM : 0) | (g->mine ? W_OWN : 0);
}

static const struct key_binding gallery_keys[] = {
	NAV_BINDINGS,
	{ ' ',	ACT_G_TOGGLE,	  "mark / unmark (up to 4 images or 1 video)", "mark", W_PICKING },
	{ '\n',	ACT_G_DONE,	  "attach the marked ones", "attach", W_PICKING },
	{ 'v',	ACT_G_VIEW,	  "view full screen", "view", W_ITEM },
	{ '\n',	ACT_G_DONE,	  NULL, NULL, W_ITEM },
	{ 'a',	ACT_G_AVATAR,	  "make it my avatar", "avatar", W_ITEM | W_OWN },
	{ 'b',	ACT_G_BACKGROUND, "make it my background", "background", W_ITEM | W_OWN },
	{ 'x',	ACT_G_UNSET,	  "stop using it as avatar / background", "unset", W_ITEM | W_OWN },
	{ 'n',	ACT_G_POST,	  "write a post with it", "post it", W_ITEM | W_OWN },
	{ 'd',	ACT_G_DELETE,	  "delete it (asks)", "delete", W_ITEM | W_OWN },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_gallery_ops = {
	.name = "Media",
	.keys = gallery_keys,
	.enter = gallery_enter,
	.leave = gallery_leave,
	.draw = gallery_draw,
	.action = gallery_action,
	.refresh = gallery_refresh,
	.when = gallery_when,
};
