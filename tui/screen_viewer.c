/*
 * The full-screen picture viewer (v on a post with pictures, or on a
 * gallery item): the picture as large as the window allows, kept in
 * proportion, redrawn at the new size when the window changes (the preview
 * cache is keyed by size, so each size dithers once). h/l or the arrow keys
 * step through a post's pictures.
 *
 * Argument: "post:ID" (that post's pictures, as the viewer may see the
 * post) or "media:ID" (one item, as the viewer may see it).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "media/preview.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/pictures.h"
#include "tui/screen.h"

enum { ACT_VIEW_PREV = 1000, ACT_VIEW_NEXT };

struct viewer {
	struct media	items[POST_MEDIA_MAX];
	size_t		n, cur;
	char		what[64];	/* "post #12" or "media 7", for the title */
	bool		missing;
	char		arg[64];
};

static void
viewer_load(struct app *app, struct viewer *v)
{
	struct store	*st = app_store(app);
	int64_t		 me = app_user(app)->id, id;
	struct post	 p = { 0 };
	size_t		 i;

	for (i = 0; i < v->n; i++)
		media_free(&v->items[i]);
	v->n = 0;
	v->missing = true;
	if (strncmp(v->arg, "post:", 5) == 0) {
		id = strtoll(v->arg + 5, NULL, 10);
		snprintf(v->what, sizeof v->what, "post #%lld", (long long)id);
		if (store_post_get(st, me, id, &p) != 0)
			return;
		/* A share with no pictures of its own shows its original's. */
		{
			const struct post *src = p.nmedia == 0 && p.original != NULL ? p.original : &p;

			for (i = 0; i < src->nmedia; i++)
				if (store_media_get(st, me, src->media[i].id, &v->items[v->n]) == 0)
					v->n++;
		}
		post_free(&p);
	} else if (strncmp(v->arg, "media:", 6) == 0) {
		id = strtoll(v->arg + 6, NULL, 10);
		snprintf(v->what, sizeof v->what, "media %lld", (long long)id);
		if (store_media_get(st, me, id, &v->items[0]) == 0)
			v->n = 1;
	}
	v->missing = v->n == 0;
	if (v->cur >= v->n)
		v->cur = v->n > 0 ? v->n - 1 : 0;
}

static void *
viewer_enter(struct app *app, const char *arg)
{
	struct viewer *v = xcalloc(1, sizeof *v);

	snprintf(v->arg, sizeof v->arg, "%s", arg != NULL ? arg : "");
	viewer_load(app, v);
	return v;
}

static void
viewer_leave(struct app *app, void *state)
{
	struct viewer	*v = state;
	size_t		 i;

	(void)app;
	for (i = 0; i < v->n; i++)
		media_free(&v->items[i]);
	free(v);
}

static void
viewer_draw(struct app *app, void *state, const struct rect *r)
{
	struct viewer		*v = state;
	const struct media	*m;
	const struct cellgrid	*g = NULL;
	int			 w, h, cols, rows, y, x, secs;
	char			 info[256], dur[96] = "";

	if (v->missing) {
		draw_textf(r->y + 1, r->x + 2, r->w - 4, ROLE_ERROR,
		    "No pictures to show in %s (gone, or not visible to you).", v->what);
		return;
	}
	m = &v->items[v->cur];
	if (m->kind == MEDIA_VIDEO) {
		secs = (int)(m->duration_ms / 1000);
		snprintf(dur, sizeof dur, " \u00b7 \u25b6 %d:%02d (the terminal shows its first frame)",
		    secs / 60, secs % 60);
	}
	snprintf(info, sizeof info, "%s \u00b7 %zu/%zu \u00b7 %s %s %dx%d%s%s", v->what,
	    v->cur + 1, v->n, media_kind_name(m->kind),
	    m->stored_format[0] ? m->stored_format : m->format, m->width, m->height, dur,
	    v->n > 1 ? " \u00b7 h/l: previous/next" : "");
	draw_text(r->y + r->h - 1, r->x + 1, r->w - 2, info, ROLE_DIM);
	if (m->state == MEDIA_READY && picture_source_size(app, m->id, &w, &h) == 0) {
		preview_fit(w, h, r->w, r->h - 1, &cols, &rows);
		g = picture_get(app, m->id, cols, rows);
	}
	if (g == NULL) {
		draw_text(r->y + r->h / 2, r->x + 2, r->w - 4, m->state == MEDIA_PENDING ?
		    "Still processing: the picture appears here when it is ready." :
		    m->state == MEDIA_FAILED ? "This upload could not be processed." :
		    "The picture's file is missing.", ROLE_DIM);
		return;
	}
	y = r->y + (r->h - 1 - g->rows) / 2;
	x = r->x + (r->w - g->cols) / 2;
	picture_draw(g, y, x, r->h - 1);
}

static int
viewer_action(struct app *app, void *state, int action)
{
	struct viewer *v = state;

	(void)app;
	switch (action) {
	case ACT_VIEW_PREV:
	case ACT_PREV:
		if (v->cur > 0)
			v->cur--;
		return TUI_REDRAW;
	case ACT_VIEW_NEXT:
	case ACT_NEXT:
		if (v->cur + 1 < v->n)
			v->cur++;
		return TUI_REDRAW;
	default:
		return TUI_NONE;
	}
}

static void
viewer_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	(void)m;
	viewer_load(app, state);
}

static const struct key_binding viewer_keys[] = {
	{ 'h',		   ACT_VIEW_PREV, "previous picture", NULL, 0 },
	{ TK(KEY_LEFT),	   ACT_VIEW_PREV, NULL, NULL, 0 },
	{ 'l',		   ACT_VIEW_NEXT, "next picture", NULL, 0 },
	{ TK(KEY_RIGHT),   ACT_VIEW_NEXT, NULL, NULL, 0 },
	{ 'k',		   ACT_PREV,	  NULL, NULL, 0 },
	{ 'j',		   ACT_NEXT,	  NULL, NULL, 0 },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_viewer_ops = {
	.name = "Picture",
	.keys = viewer_keys,
	.enter = viewer_enter,
	.leave = viewer_leave,
	.draw = viewer_draw,
	.action = viewer_action,
	.refresh = viewer_refresh,
};
