#include "tui/listview.h"

void
listview_clamp(struct listview *lv, size_t height)
{
	if (height == 0)
		height = 1;
	if (lv->n == 0) {
		lv->sel = lv->top = 0;
		return;
	}
	if (lv->sel >= lv->n)
		lv->sel = lv->n - 1;
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + height)
		lv->top = lv->sel - height + 1;
}

void
listview_move(struct listview *lv, long delta, size_t height)
{
	long s = (long)lv->sel + delta;

	if (lv->n == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= (long)lv->n)
		s = (long)lv->n - 1;
	lv->sel = (size_t)s;
	listview_clamp(lv, height);
}

void
listview_top(struct listview *lv)
{
	lv->sel = lv->top = 0;
}

void
listview_bottom(struct listview *lv, size_t height)
{
	if (lv->n == 0)
		return;
	lv->sel = lv->n - 1;
	listview_clamp(lv, height);
}
