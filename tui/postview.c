#include "tui/postview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "media/layout.h"
#include "storage/media.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/pictures.h"

#define GUTTER	2	/* the selection bar and a space */
#define AV_COLS	5	/* the author's avatar beside the post ... */
#define AV_ROWS	3
#define AV_GAP	1	/* ... and a space after it */
#define INDENT	(GUTTER + AV_COLS + AV_GAP)	/* where a post's text starts */
#define QUOTE	2	/* "│ " before a shared post's lines */

void
post_item_init(struct post_item *it, struct post *p)
{
	memset(it, 0, sizeof *it);
	it->post = *p;
	memset(p, 0, sizeof *p);
}

void
post_item_free(struct post_item *it)
{
	post_free(&it->post);
	md_doc_free(&it->body);
	md_doc_free(&it->orig_body);
	it->width = 0;
}

const char *
reaction_label(enum reaction r, bool ascii)
{
	return ascii ? reaction_ascii(r) : reaction_emoji(r);
}

static void
render(struct post_item *it, int w)
{
	if (it->width == w)
		return;
	md_doc_free(&it->body);
	md_doc_free(&it->orig_body);
	md_render(it->post.text, w - INDENT, &it->body);
	if (it->post.original != NULL)
		md_render(it->post.original->text, w - INDENT - QUOTE, &it->orig_body);
	it->width = w;
}

/* One screen row of an item. */
enum vrow_kind { VR_HEADER, VR_ORIG_HEADER, VR_MD, VR_TEXT, VR_COUNTS, VR_BLANK, VR_MEDIA };

struct vrow {
	enum vrow_kind		 kind;
	const struct md_line	*line;		/* VR_MD */
	bool			 quoted;	/* inside the shared post */
	const char		*text;		/* VR_TEXT */
	enum draw_role		 role;
	const struct post	*media_of;	/* VR_MEDIA: whose pictures */
	int			 media_row;	/* VR_MEDIA: which row of the strip */
};

/* Where one post's pictures go, in the body's width (media/layout.h). */
struct strip {
	int	cols[POST_MEDIA_MAX], rows[POST_MEDIA_MAX];
	int	height;
};

static void
strip_layout(const struct post *p, int w, struct strip *s)
{
	int	pw[POST_MEDIA_MAX], ph[POST_MEDIA_MAX];
	size_t	i;

	for (i = 0; i < p->nmedia; i++) {
		bool shown = p->media[i].state == MEDIA_READY;

		pw[i] = shown ? p->media[i].width : 0;
		ph[i] = shown ? p->media[i].height : 0;
	}
	s->height = media_strip_layout(pw, ph, p->nmedia, w, FEED_MEDIA_MAX_ROWS, s->cols,
	    s->rows);
}

struct vrows {
	struct vrow	*v;
	size_t		 n, cap;
};

static void
vr_add(struct vrows *rs, struct vrow r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	rs->v[rs->n++] = r;
}

static void
add_body(struct vrows *rs, const struct md_doc *doc, int max_body, bool quoted)
{
	size_t i, shown = doc->n;

	if (max_body > 0 && doc->n > (size_t)max_body)
		shown = (size_t)max_body - 1;
	for (i = 0; i < shown; i++)
		vr_add(rs, (struct vrow){ VR_MD, &doc->lines[i], quoted, NULL, ROLE_NORMAL, NULL, 0 });
	if (shown < doc->n)
		vr_add(rs, (struct vrow){ VR_TEXT, NULL, quoted, "… more: Enter opens the post",
		    ROLE_DIM, NULL, 0 });
}

/* The pictures of p as strip rows (and a line saying what a video is). */
static void
add_media(struct vrows *rs, const struct post *p, int w, bool quoted)
{
	struct strip	s;
	int		r;

	if (p->nmedia == 0)
		return;
	strip_layout(p, w, &s);
	for (r = 0; r < s.height; r++)
		vr_add(rs, (struct vrow){ VR_MEDIA, NULL, quoted, NULL, ROLE_NORMAL, p, r });
	if (p->media[0].kind == MEDIA_VIDEO)
		vr_add(rs, (struct vrow){ VR_TEXT, NULL, quoted, NULL, ROLE_DIM, p, -1 });
}

static void
layout(struct post_item *it, int w, int max_body, struct vrows *rs)
{
	const struct post *p = &it->post;

	render(it, w);
	vr_add(rs, (struct vrow){ VR_HEADER, NULL, false, NULL, ROLE_NORMAL, NULL, 0 });
	if (p->text[0] != '\0')
		add_body(rs, &it->body, max_body, false);
	add_media(rs, p, w - INDENT, false);
	if (p->shared_from != 0) {
		if (p->original != NULL) {
			vr_add(rs, (struct vrow){ VR_ORIG_HEADER, NULL, true, NULL, ROLE_NORMAL,
			    NULL, 0 });
			add_body(rs, &it->orig_body, max_body, true);
			add_media(rs, p->original, w - INDENT - QUOTE, true);
		} else
			vr_add(rs, (struct vrow){ VR_TEXT, NULL, true,
			    p->original_state == ORIGINAL_DELETED ? "original post deleted" :
			    "original post not available", ROLE_DIM, NULL, 0 });
	}
	if (p->reason != NULL)
		vr_add(rs, (struct vrow){ VR_TEXT, NULL, false, p->reason, ROLE_DIM, NULL, 0 });
	vr_add(rs, (struct vrow){ VR_COUNTS, NULL, false, NULL, ROLE_DIM, NULL, 0 });
	vr_add(rs, (struct vrow){ VR_BLANK, NULL, false, NULL, ROLE_NORMAL, NULL, 0 });
}

int
post_item_height(struct post_item *it, int w, int max_body)
{
	struct vrows	rs = { 0 };
	int		n;

	layout(it, w, max_body, &rs);
	n = (int)rs.n;
	free(rs.v);
	return n;
}

static int
draw_header(const struct post *p, bool shared, bool opened, int y, int x, int w)
{
	char	ago[48];
	int	cx = x;

	/* A list says how long ago; the post's own screen says when. */
	if (opened && !shared)
		time_full(p->created_at, ago, sizeof ago);
	else
		time_ago(p->created_at, (int64_t)time(NULL), ago, sizeof ago);
	if (shared)
		cx += draw_text(y, cx, x + w - cx, "shared from ", ROLE_DIM);
	cx += draw_text(y, cx, x + w - cx, p->author_display_name, ROLE_TITLE) + 1;
	cx += draw_textf(y, cx, x + w - cx, ROLE_DIM, "@%s · %s · %s%s%s", p->author_username,
	    ago, visibility_name(p->visibility), p->edited_at ? " · edited" : "",
	    !shared && p->shared_from ? " · shared a post" : "");
	return cx;
}

static void
draw_counts(const struct post *p, int y, int x, int w, bool ascii)
{
	struct buf	b = BUF_INIT;
	int		k;

	for (k = REACT_LIKE; k < REACT_COUNT; k++)
		if (p->reactions[k] > 0)
			buf_addf(&b, "%s %zu  ", reaction_label((enum reaction)k, ascii), p->reactions[k]);
	if (b.len == 0)
		buf_addf(&b, "%s 0  ", reaction_label(REACT_LIKE, ascii));
	buf_addf(&b, " %zu comment%s   %zu share%s", p->comments, p->comments == 1 ? "" : "s",
	    p->shares, p->shares == 1 ? "" : "s");
	if (p->my_reaction != REACT_NONE)
		buf_addf(&b, "   (you: %s)", reaction_label(p->my_reaction, ascii));
	draw_text(y, x, w, b.buf, ROLE_DIM);
	buf_release(&b);
}


/* One row of a post's picture strip: each picture's row, or its placeholder. */
static void
draw_media_row(struct app *app, const struct post *p, int row, int y, int x, int w)
{
	struct strip		 s;
	const struct cellgrid	*g;
	size_t			 i;
	int			 cx;

	strip_layout(p, w, &s);
	for (i = 0; i < p->nmedia; i++) {
		const struct post_media *m = &p->media[i];

		cx = x;
		for (size_t k = 0; k < i; k++)
			cx += s.cols[k] + FEED_MEDIA_GAP;
		if (row >= s.rows[i])
			continue;
		g = m->state == MEDIA_READY ? picture_get(app, m->id, s.cols[i], s.rows[i]) : NULL;
		if (g != NULL)
			picture_draw_row(g, row, y, cx);
		else
			picture_draw_placeholder_row(s.cols[i], s.rows[i], row, y, cx,
			    m->state == MEDIA_PENDING ? "processing\u2026" :
			    m->state == MEDIA_FAILED ? "could not be processed" : "not available");
	}
}

/* "▶ video 0:12 · v: full screen" under a video's thumbnail. */
/* "▶ video 0:12 · v: full screen" (">" and "." on ASCII terminals: tui/draw.c). */
static void
draw_video_line(const struct post *p, int y, int x, int w)
{
	int64_t s = p->media[0].duration_ms / 1000;

	draw_textf(y, x, w, ROLE_DIM, "\u25b6 video %lld:%02lld \u00b7 v: full screen",
	    (long long)(s / 60), (long long)(s % 60));
}

/*
 * Row r (0..AV_ROWS-1) of the author's avatar: their picture when they have
 * one, else the identicon in half blocks.
 */
static void
draw_avatar_row(struct app *app, const struct post *p, int r, int y, int x)
{
	const struct cellgrid *g = NULL;

	if (p->author_avatar_media > 0)
		g = picture_get(app, p->author_avatar_media, AV_COLS, AV_ROWS);
	if (g != NULL)
		picture_draw_row(g, r, y, x);
	else
		draw_avatar_small_row(r, y, x, p->author_avatar_seed, app_ascii(app));
}

int
post_item_draw(struct post_item *it, struct app *app, int y, int x, int w, int skip,
    int max_rows, int max_body, bool selected)
{
	struct vrows	rs = { 0 };
	size_t		i;
	bool		ascii = app_ascii(app);
	int		row = 0, bx = x + INDENT, bw = w - INDENT;

	layout(it, w, max_body, &rs);
	for (i = (size_t)(skip > 0 ? skip : 0); i < rs.n && row < max_rows; i++, row++) {
		const struct vrow	*r = &rs.v[i];
		int			 cx = bx, cw = bw;

		if (selected && r->kind != VR_BLANK)
			draw_text(y + row, x, 1, "\u258c", ROLE_KEY);	/* ▌ */
		if (i < AV_ROWS)
			draw_avatar_row(app, &it->post, (int)i, y + row, x + GUTTER);
		if (r->quoted) {
			draw_text(y + row, bx, QUOTE, "\u2502", ROLE_DIM);	/* │ */
			cx += QUOTE;
			cw -= QUOTE;
		}
		switch (r->kind) {
		case VR_HEADER:
			draw_header(&it->post, false, it->opened, y + row, cx, cw);
			break;
		case VR_ORIG_HEADER:
			draw_header(it->post.original, true, it->opened, y + row, cx, cw);
			break;
		case VR_MD:
			draw_md_line(r->line, y + row, cx, cw);
			break;
		case VR_TEXT:
			if (r->media_of != NULL)
				draw_video_line(r->media_of, y + row, cx, cw);
			else
				draw_text(y + row, cx, cw, r->text, r->role);
			break;
		case VR_MEDIA:
			draw_media_row(app, r->media_of, r->media_row, y + row, cx, cw);
			break;
		case VR_COUNTS:
			draw_counts(&it->post, y + row, cx, cw, ascii);
			break;
		case VR_BLANK:
			break;
		}
	}
	free(rs.v);
	return row;
}
