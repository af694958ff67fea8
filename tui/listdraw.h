/*
 * Lists on screen: the one way every list screen draws its rows and moves its
 * selection, so they all scroll, page and highlight alike.
 */
#ifndef SSHBOOK_LISTDRAW_H
#define SSHBOOK_LISTDRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/draw.h"
#include "tui/listview.h"

/* Draw row i at (y, x), w columns; selected rows get ROLE_SELECTED. */
typedef void (*list_row_fn)(void *ctx, size_t i, int y, int x, int w, bool selected);

/* Draw the visible rows of lv inside r (one row each), keeping the selection in view. */
void	list_draw(const struct rect *r, struct listview *lv, list_row_fn, void *ctx);
/*
 * Apply a movement action (ACT_NEXT, ACT_PREV, ACT_PAGE_*, ACT_TOP,
 * ACT_BOTTOM) for a list height rows high. Returns true when it was one.
 */
bool	list_nav(struct listview *lv, int action, size_t height);
/* True when the selection is within a few rows of the end: time to load the next page. */
bool	list_near_end(const struct listview *lv);

#endif
