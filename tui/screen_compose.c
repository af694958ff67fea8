/*
 * The composer (`n` anywhere, `e` on an own post): a multi-line editor on top,
 * the markdown as it will look underneath, updated as you type, the audience
 * and a character count against the limit. Ctrl-G attaches pictures from
 * the gallery (up to 4 images or 1 video; a post with pictures may have no
 * text). Ctrl-S posts; Esc leaves (asking first when there is text to lose).
 * Argument: NULL (new), "edit:ID", or "media:ID" (new, with that attached).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/hub.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "media/markdown.h"
#include "storage/media.h"
#include "storage/posts.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/gallery.h"
#include "tui/post_actions.h"
#include "tui/screen.h"
#include "tui/textedit.h"

struct compose_state {
	struct textedit	 te;
	int64_t		 editing;	/* the post being edited, 0 for a new one */
	char		*original;	/* its text when editing, to tell if anything changed */
	enum visibility	 vis;
	size_t		 top;		/* first editor row shown */
	int		 width;		/* editor width of the last draw */
	struct md_doc	 preview;
	bool		 preview_stale;
	char		 error[200];
	int64_t		 media[POST_MEDIA_MAX];	/* attached (new posts only) */
	size_t		 nmedia;
	bool		 from_gallery;	/* opened by the gallery's "post it": Home afterwards */
};

static void *
compose_enter(struct app *app, const char *arg)
{
	struct compose_state	*s = xcalloc(1, sizeof *s);
	struct post		 p = { 0 };

	textedit_init(&s->te, POST_MAX);
	s->width = 76;
	s->preview_stale = true;
	store_default_visibility(app_store(app), app_user(app)->id, &s->vis);
	if (arg != NULL && strncmp(arg, "edit:", 5) == 0) {
		s->editing = strtoll(arg + 5, NULL, 10);
		if (store_post_get(app_store(app), app_user(app)->id, s->editing, &p) == 0 &&
		    p.author_id == app_user(app)->id) {
			textedit_set(&s->te, p.text);
			s->original = xstrdup(p.text);
			s->vis = p.visibility;
		} else
			snprintf(s->error, sizeof s->error, "that post cannot be edited");
		post_free(&p);
	} else if (arg != NULL && strncmp(arg, "media:", 6) == 0) {
		s->media[0] = strtoll(arg + 6, NULL, 10);
		s->nmedia = s->media[0] > 0;
		s->from_gallery = true;
	}
	return s;
}

/* Back from the gallery in pick mode: its choice replaces the attachments. */
static void
compose_refresh(struct app *app, void *state, const struct hub_msg *m)
{
	struct compose_state	*s = state;
	int64_t			 ids[POST_MEDIA_MAX];
	size_t			 n;

	(void)app;
	(void)m;
	if (gallery_pick_take(ids, &n)) {
		memcpy(s->media, ids, sizeof s->media);
		s->nmedia = n;
	}
}

static void
compose_leave(struct app *app, void *state)
{
	struct compose_state *s = state;

	(void)app;
	textedit_free(&s->te);
	md_doc_free(&s->preview);
	free(s->original);
	free(s);
}

static void
draw_editor(struct compose_state *s, int y, int x, int w, int h, int *cy, int *cx)
{
	struct textedit_row	*rows;
	size_t			 n = textedit_layout(&s->te, w, &rows), crow, ccol, i;
	char			*line;

	textedit_cursor_pos(&s->te, rows, n, &crow, &ccol);
	if (crow < s->top)
		s->top = crow;
	if (crow >= s->top + (size_t)h)
		s->top = crow - (size_t)h + 1;
	for (i = s->top; i < n && (int)(i - s->top) < h; i++) {
		line = xstrndup(s->te.text.buf + rows[i].start, rows[i].end - rows[i].start);
		draw_text(y + (int)(i - s->top), x, w, line, ROLE_NORMAL);
		free(line);
	}
	*cy = y + (int)(crow - s->top);
	*cx = x + (int)ccol;
	free(rows);
}

static void
draw_preview(struct compose_state *s, int y, int x, int w, int h)
{
	size_t	i;

	if (s->preview_stale) {
		md_doc_free(&s->preview);
		md_render(s->te.text.buf, w, &s->preview);
		s->preview_stale = false;
	}
	for (i = 0; i < s->preview.n && (int)i < h; i++)
		draw_md_line(&s->preview.lines[i], y + (int)i, x, w);
}

static void
compose_draw(struct app *app, void *state, const struct rect *r)
{
	struct compose_state	*s = state;
	int			 x = r->x + 2, w = r->w - 4, edit_h, prev_y, cy = 0, cx = 0;

	(void)app;
	if (w != s->width) {
		s->width = w;
		s->preview_stale = true;
	}
	draw_text(r->y, x, w, s->editing ? "Edit post" : "New post", ROLE_TITLE);
	draw_textf(r->y, x + 12, w - 12, ROLE_NORMAL, "visible to: %s (Ctrl-T changes)",
	    visibility_name(s->vis));
	draw_textf(r->y, x + w - 12, 12, s->te.chars >= POST_MAX ? ROLE_ERROR : ROLE_DIM,
	    "%zu/%d", s->te.chars, POST_MAX);
	edit_h = (r->h - 5) / 2;
	prev_y = r->y + 2 + edit_h;
	if (s->editing)
		draw_text(r->y + r->h - 3, x, w, "Pictures stay as they are when a post is edited.",
		    ROLE_DIM);
	else if (s->nmedia == 0)
		draw_text(r->y + r->h - 3, x, w, "No pictures: Ctrl-G attaches some from your gallery.",
		    ROLE_DIM);
	else {
		char	line[160];
		size_t	i, len;

		len = (size_t)snprintf(line, sizeof line, "Pictures:");
		for (i = 0; i < s->nmedia && len < sizeof line; i++)
			len += (size_t)snprintf(line + len, sizeof line - len, " #%lld",
			    (long long)s->media[i]);
		if (len < sizeof line)
			snprintf(line + len, sizeof line - len, "  (Ctrl-G changes)");
		draw_text(r->y + r->h - 3, x, w, line, ROLE_OK);
	}
	draw_hline(r->y + 1, x, w);
	draw_editor(s, r->y + 2, x, w, edit_h, &cy, &cx);
	draw_hline(prev_y, x, w);
	draw_text(prev_y, x + 2, 10, " Preview ", ROLE_DIM);
	draw_preview(s, prev_y + 1, x, w, r->y + r->h - 3 - (prev_y + 1));
	if (s->error[0])
		draw_text(r->y + r->h - 2, x, w, s->error, ROLE_ERROR);
	app_draw_hints(app, r->y + r->h - 1, x, w);
	draw_cursor_at(cy, cx);
}

static void
notify_mentions(struct app *app, int64_t *mentioned, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		app_hint(app, TOPIC_NOTIFICATION, mentioned[i], 0);
	free(mentioned);
}

static void
compose_submit(struct app *app, struct compose_state *s)
{
	int64_t	 id = 0, *mentioned = NULL;
	size_t	 nmentioned = 0;
	int	 r;

	s->error[0] = '\0';
	if (s->editing) {
		r = store_post_edit(app_store(app), app_user(app)->id, s->editing, s->te.text.buf,
		    &mentioned, &nmentioned, s->error, sizeof s->error);
		if (r == 0 && (r = store_post_set_visibility(app_store(app), app_user(app)->id,
		    s->editing, s->vis)) != 0)
			snprintf(s->error, sizeof s->error, "cannot change who can see it: %s",
			    err_str(r));
		id = s->editing;
	} else if (s->nmedia > 0)
		r = store_post_create_media(app_store(app), app_user(app)->id, s->te.text.buf,
		    s->vis, s->media, s->nmedia, &id, &mentioned, &nmentioned, s->error,
		    sizeof s->error);
	else
		r = store_post_create(app_store(app), app_user(app)->id, s->te.text.buf, s->vis, &id,
		    &mentioned, &nmentioned, s->error, sizeof s->error);
	if (r != 0) {
		if (s->error[0] == '\0')
			snprintf(s->error, sizeof s->error, "cannot post: %s", err_str(r));
		free(mentioned);
		return;
	}
	if (!s->editing)
		app_note_own_post(app);
	notify_mentions(app, mentioned, nmentioned);
	post_hint(app, id);
	if (s->editing)
		app_status(app, false, "post updated");
	else
		app_status(app, false, "posted (visible to: %s)", visibility_name(s->vis));
	/*
	 * From the gallery ("post it"), the post is the point: show it on Home
	 * rather than go back to the pictures.
	 */
	if (s->from_gallery)
		app_show_tab(app, 0);	/* frees s: nothing after this */
	else
		app_back(app);	/* frees s: nothing after this */
}

static void
discard_yes(struct app *app, void *ctx)
{
	(void)ctx;
	app_back(app);
	app_status(app, false, "nothing was posted");
}

static int
compose_input(struct app *app, void *state, int key)
{
	struct compose_state	*s = state;
	bool			 changed = true;

	/* An old complaint goes as soon as the text changes again (a fresh one may follow). */
	s->error[0] = '\0';
	switch (key) {
	case 27:
		if (s->te.chars > 0 && (s->original == NULL || strcmp(s->original, s->te.text.buf)))
			app_confirm(app, "Leave without posting? What you wrote is lost. (y/n)",
			    discard_yes, NULL);
		else
			discard_yes(app, NULL);
		return TUI_REDRAW;
	case CTRL_KEY('s'):
	case CTRL_KEY('d'):
		compose_submit(app, s);
		return TUI_REDRAW;
	case CTRL_KEY('t'):
		s->vis = (enum visibility)((s->vis + 1) % 3);
		return TUI_REDRAW;
	case CTRL_KEY('g'):
		if (s->editing)
			snprintf(s->error, sizeof s->error, "pictures cannot be changed when editing");
		else
			app_open(app, &screen_gallery_ops, "pick");
		return TUI_REDRAW;
	case '\n':
		textedit_insert(&s->te, '\n');
		break;
	default:
		if (!app_textedit_key(&s->te, key, s->width, &changed))
			return TUI_NONE;
		if (!changed && !(key & TK_FLAG) && s->te.chars >= POST_MAX)
			snprintf(s->error, sizeof s->error, "a post is at most %d characters", POST_MAX);
		break;
	}
	if (changed)
		s->preview_stale = true;
	return TUI_REDRAW;
}

/* A paste goes in whole, newlines and all; what passes the limit is cut off, and said so. */
static int
compose_paste(struct app *app, void *state, const char *text)
{
	struct compose_state	*s = state;
	size_t			 want = utf8_count(text);

	(void)app;
	s->error[0] = '\0';
	if (textedit_insert_text(&s->te, text) < want && s->te.chars >= POST_MAX)
		snprintf(s->error, sizeof s->error, "a post is at most %d characters: the paste "
		    "was cut there", POST_MAX);
	s->preview_stale = true;
	return TUI_REDRAW;
}

static unsigned
compose_when(struct app *app, void *state)
{
	(void)app;
	(void)state;
	return W_TYPING;
}

static const struct key_binding compose_keys[] = {
	{ CTRL_KEY('s'),	ACT_COMPOSE,	"post it (Ctrl-D too)", "post", W_TYPING },
	{ 27,			ACT_NONE,	"leave (asks when text would be lost)", "leave",
	    W_TYPING },
	{ CTRL_KEY('t'),	ACT_VISIBILITY,	"who can see it: public, friends, only me",
	    "who can see it", W_TYPING },
	{ CTRL_KEY('g'),	ACT_NONE,	"attach pictures from your gallery", "pictures",
	    W_TYPING },
	{ '\n',			ACT_NONE,	"a new line", "new line", W_TYPING },
	{ 0, 0, NULL, NULL, 0 }
};

const struct screen_ops screen_compose_ops = {
	.name = "Compose",
	.keys = compose_keys,
	.enter = compose_enter,
	.leave = compose_leave,
	.draw = compose_draw,
	.input = compose_input,
	.paste = compose_paste,
	.refresh = compose_refresh,
	.when = compose_when,
};
