#include "tui/feed.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "storage/store.h"
#include "tui/app.h"
#include "tui/post_actions.h"
#include "tui/screen.h"

#define PAGE		20
#define NEAR_END	3	/* load the next page this many posts before the end */

void
feed_init(struct feed *f, feed_load_fn load, void *arg)
{
	memset(f, 0, sizeof *f);
	f->load = load;
	f->arg = arg;
	f->height = 20;
	f->width = 78;
}

static void
feed_clear(struct feed *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		post_item_free(&f->items[i]);
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
	memset(&f->next, 0, sizeof f->next);
	f->loaded = false;
	f->sel = f->top = 0;
	f->top_skip = 0;
	f->fresh = 0;
	f->fresh_more = false;
}

void
feed_free(struct feed *f)
{
	feed_clear(f);
}

static void
feed_append(struct feed *f, struct post_page *page)
{
	size_t i;

	if (f->n + page->n > f->cap) {
		f->cap = f->n + page->n + PAGE;
		f->items = xreallocarray(f->items, f->cap, sizeof *f->items);
	}
	for (i = 0; i < page->n; i++)
		post_item_init(&f->items[f->n++], &page->v[i]);
}

/* Load the next page; false at the end or on an error (reported). */
static bool
feed_more(struct feed *f, struct app *app)
{
	struct post_page	page = { 0 };
	int			r;

	if (f->loaded && !f->next.set)
		return false;
	r = f->load(app, f->arg, f->loaded ? &f->next : NULL, PAGE, &page);
	f->loaded = true;
	if (r != 0) {
		app_status(app, true, "cannot load posts: %s", err_str(r));
		memset(&f->next, 0, sizeof f->next);
		return false;
	}
	feed_append(f, &page);
	f->next = page.next;
	post_page_free(&page);	/* its posts moved into the items */
	return true;
}

void
feed_reload(struct feed *f, struct app *app)
{
	feed_clear(f);
	feed_more(f, app);
}

struct post_item *
feed_selected(struct feed *f)
{
	return f->sel < f->n ? &f->items[f->sel] : NULL;
}

unsigned
feed_when(struct feed *f, struct app *app)
{
	struct post_item *it = feed_selected(f);

	return it != NULL ? post_when(app, &it->post) : 0;
}

/* Keep the selected post on screen: scroll so it starts inside the area and as much of it shows as fits. */
static void
feed_follow(struct feed *f)
{
	int	rows;
	size_t	i;

	if (f->n == 0)
		return;
	if (f->sel < f->top || (f->sel == f->top && f->top_skip > 0)) {
		f->top = f->sel;
		f->top_skip = 0;
		return;
	}
	for (;;) {
		rows = -f->top_skip;
		for (i = f->top; i <= f->sel; i++)
			rows += post_item_height(&f->items[i], f->width, POST_LIST_BODY_ROWS);
		if (rows <= f->height || f->top == f->sel)
			break;
		f->top++;
		f->top_skip = 0;
	}
}

bool
feed_nav(struct feed *f, struct app *app, int action)
{
	size_t	page = 3;

	switch (action) {
	case ACT_NEXT:
		if (f->sel + 1 < f->n)
			f->sel++;
		else if (f->sel + 1 >= f->n && feed_more(f, app) && f->sel + 1 < f->n)
			f->sel++;
		break;
	case ACT_PREV:
		if (f->sel > 0)
			f->sel--;
		break;
	case ACT_PAGE_DOWN:
		f->sel = f->sel + page < f->n ? f->sel + page : (f->n ? f->n - 1 : 0);
		break;
	case ACT_PAGE_UP:
		f->sel = f->sel > page ? f->sel - page : 0;
		break;
	case ACT_TOP:
		f->sel = 0;
		break;
	case ACT_BOTTOM:
		while (feed_more(f, app))
			;
		f->sel = f->n ? f->n - 1 : 0;
		break;
	default:
		return false;
	}
	/* Infinite scroll: fetch the next page before the reader reaches the end. */
	if (f->sel + NEAR_END >= f->n)
		feed_more(f, app);
	feed_follow(f);
	return true;
}

/*
 * Re-read the stale items among [from, to) (all of them when force): counts
 * and edits change, deleted or hidden posts go (the selection and the top
 * keep pointing at the same posts).
 */
static void
freshen(struct feed *f, struct app *app, size_t from, size_t to, bool force)
{
	struct post	p;
	int64_t		viewer = app_user(app)->id;
	size_t		i = from;

	while (i < to && i < f->n) {
		if (!force && !f->items[i].stale) {
			i++;
			continue;
		}
		memset(&p, 0, sizeof p);
		if (store_post_get(app_store(app), viewer, f->items[i].post.id, &p) == 0) {
			post_item_free(&f->items[i]);
			post_item_init(&f->items[i], &p);
			i++;
			continue;
		}
		post_item_free(&f->items[i]);
		memmove(&f->items[i], &f->items[i + 1], (f->n - i - 1) * sizeof *f->items);
		f->n--;
		to--;
		if (f->sel > i)
			f->sel--;
		if (f->top > i)
			f->top--;
	}
	if (f->sel >= f->n)
		f->sel = f->n ? f->n - 1 : 0;
	if (f->top > f->sel)
		f->top = f->sel;
}

/* The items that can be on screen: one above the top, and as many as rows below it. */
static void
window(const struct feed *f, size_t *from, size_t *to)
{
	*from = f->top > 0 ? f->top - 1 : 0;
	*to = f->top + (size_t)(f->height > 0 ? f->height : PAGE) + 1;
}

void
feed_refresh(struct feed *f, struct app *app)
{
	struct post_page	 first = { 0 };
	int64_t			 viewer = app_user(app)->id, newest;
	size_t			 i, from, to;

	if (!f->loaded || f->n == 0) {
		feed_reload(f, app);
		return;
	}
	/*
	 * Only what can be on screen is read now; the rest is marked and read
	 * when it scrolls into view (feed_draw), so a hint costs a screenful of
	 * reads however far the user has scrolled.
	 */
	for (i = 0; i < f->n; i++)
		f->items[i].stale = true;
	window(f, &from, &to);
	freshen(f, app, from, to, false);
	/* Newer posts above the first one shown are counted, not inserted. */
	newest = f->n ? f->items[0].post.id : 0;
	if (f->load(app, f->arg, NULL, PAGE, &first) == 0) {
		size_t mine = 0;

		f->fresh = 0;
		for (i = 0; i < first.n; i++)
			if (first.v[i].id > newest) {
				f->fresh++;
				mine += first.v[i].author_id == viewer;
			}
		/* Only one page is counted: "20+ new" rather than a count that stops growing. */
		f->fresh_more = first.n == PAGE && f->fresh == first.n;
		post_page_free(&first);
		/*
		 * What I just wrote or shared here shows at once, selected at the
		 * top, even when I shared from further down; others' posts (and
		 * mine from elsewhere while I read further down) wait for R.
		 */
		if (mine > 0 && (f->sel == 0 || app_wrote_post_recently(app)))
			feed_reload(f, app);
	}
}

void
feed_draw(struct feed *f, struct app *app, const struct rect *r)
{
	struct rect	area = *r;
	size_t		i;
	int		y, used;

	if (f->fresh > 0) {
		draw_textf(area.y, area.x + 2, area.w - 4, ROLE_OK, "%zu%s new: press R to show %s",
		    f->fresh, f->fresh_more ? "+" : "", f->fresh == 1 ? "it" : "them");
		area.y++;
		area.h--;
	}
	f->height = area.h;
	f->width = area.w;
	feed_follow(f);
	/* Items marked by feed_refresh that scrolled into view; re-reading may drop some. */
	{
		size_t from, to;

		window(f, &from, &to);
		freshen(f, app, from, to, false);
		feed_follow(f);
	}
	y = area.y;
	for (i = f->top; i < f->n && y < area.y + area.h; i++) {
		used = post_item_draw(&f->items[i], app, y, area.x, area.w, i == f->top ? f->top_skip : 0,
		    area.y + area.h - y, POST_LIST_BODY_ROWS, i == f->sel);
		y += used;
	}
}

int
feed_action(struct feed *f, struct app *app, int action)
{
	struct post_item *it;

	if (feed_nav(f, app, action))
		return TUI_REDRAW;
	if (action == ACT_RELOAD) {
		feed_reload(f, app);
		return TUI_REDRAW;
	}
	if ((it = feed_selected(f)) == NULL || !post_act(app, &it->post, action))
		return TUI_NONE;
	return TUI_REDRAW;
}
