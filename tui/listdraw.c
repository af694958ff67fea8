#include "tui/listdraw.h"

#include "tui/screen.h"

#define NEAR_END_ROWS	5

void
list_draw(const struct rect *r, struct listview *lv, list_row_fn row, void *ctx)
{
	size_t i;

	if (r->h <= 0)
		return;
	listview_clamp(lv, (size_t)r->h);
	for (i = lv->top; i < lv->n && (int)(i - lv->top) < r->h; i++) {
		int y = r->y + (int)(i - lv->top);

		if (i == lv->sel)
			draw_fill(y, r->x, r->w, ROLE_SELECTED);
		row(ctx, i, y, r->x, r->w, i == lv->sel);
	}
}

bool
list_nav(struct listview *lv, int action, size_t height)
{
	switch (action) {
	case ACT_NEXT:
		listview_move(lv, 1, height);
		return true;
	case ACT_PREV:
		listview_move(lv, -1, height);
		return true;
	case ACT_PAGE_DOWN:
		listview_move(lv, (long)height, height);
		return true;
	case ACT_PAGE_UP:
		listview_move(lv, -(long)height, height);
		return true;
	case ACT_TOP:
		listview_top(lv);
		return true;
	case ACT_BOTTOM:
		listview_bottom(lv, height);
		return true;
	}
	return false;
}

bool
list_near_end(const struct listview *lv)
{
	return lv->n == 0 || lv->sel + NEAR_END_ROWS >= lv->n;
}
