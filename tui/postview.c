#include "tui/postview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/timefmt.h"
#include "common/xmalloc.h"
#include "tui/draw.h"

#define GUTTER	2	/* the selection bar and a space */
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
	md_render(it->post.text, w - GUTTER, &it->body);
	if (it->post.original != NULL)
		md_render(it->post.original->text, w - GUTTER - QUOTE, &it->orig_body);
	it->width = w;
}

/* One screen row of an item. */
enum vrow_kind { VR_HEADER, VR_ORIG_HEADER, VR_MD, VR_TEXT, VR_COUNTS, VR_BLANK };

struct vrow {
	enum vrow_kind		 kind;
	const struct md_line	*line;		/* VR_MD */
	bool			 quoted;	/* inside the shared post */
	const char		*text;		/* VR_TEXT */
	enum draw_role		 role;
};

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
		vr_add(rs, (struct vrow){ VR_MD, &doc->lines[i], quoted, NULL, ROLE_NORMAL });
	if (shown < doc->n)
		vr_add(rs, (struct vrow){ VR_TEXT, NULL, quoted, "… more: Enter opens the post",
		    ROLE_DIM });
}

static void
layout(struct post_item *it, int w, int max_body, struct vrows *rs)
{
	const struct post *p = &it->post;

	render(it, w);
	vr_add(rs, (struct vrow){ VR_HEADER, NULL, false, NULL, ROLE_NORMAL });
	if (p->text[0] != '\0')
		add_body(rs, &it->body, max_body, false);
	if (p->shared_from != 0) {
		if (p->original != NULL) {
			vr_add(rs, (struct vrow){ VR_ORIG_HEADER, NULL, true, NULL, ROLE_NORMAL });
			add_body(rs, &it->orig_body, max_body, true);
		} else
			vr_add(rs, (struct vrow){ VR_TEXT, NULL, true,
			    p->original_state == ORIGINAL_DELETED ? "original post deleted" :
			    "original post not available", ROLE_DIM });
	}
	if (p->reason != NULL)
		vr_add(rs, (struct vrow){ VR_TEXT, NULL, false, p->reason, ROLE_DIM });
	vr_add(rs, (struct vrow){ VR_COUNTS, NULL, false, NULL, ROLE_DIM });
	vr_add(rs, (struct vrow){ VR_BLANK, NULL, false, NULL, ROLE_NORMAL });
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
draw_header(const struct post *p, bool shared, int y, int x, int w)
{
	char	ago[32];
	int	cx = x;

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


int
post_item_draw(struct post_item *it, int y, int x, int w, int skip, int max_rows, int max_body,
    bool selected, bool ascii)
{
	struct vrows	rs = { 0 };
	size_t		i;
	int		row = 0, bx = x + GUTTER, bw = w - GUTTER;

	layout(it, w, max_body, &rs);
	for (i = (size_t)(skip > 0 ? skip : 0); i < rs.n && row < max_rows; i++, row++) {
		const struct vrow	*r = &rs.v[i];
		int			 cx = bx, cw = bw;

		if (selected && r->kind != VR_BLANK)
			draw_text(y + row, x, 1, "\u258c", ROLE_KEY);	/* ▌ */
		if (r->quoted) {
			draw_text(y + row, bx, QUOTE, "\u2502", ROLE_DIM);	/* │ */
			cx += QUOTE;
			cw -= QUOTE;
		}
		switch (r->kind) {
		case VR_HEADER:
			draw_header(&it->post, false, y + row, cx, cw);
			break;
		case VR_ORIG_HEADER:
			draw_header(it->post.original, true, y + row, cx, cw);
			break;
		case VR_MD:
			draw_md_line(r->line, y + row, cx, cw);
			break;
		case VR_TEXT:
			draw_text(y + row, cx, cw, r->text, r->role);
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
