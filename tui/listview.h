/*
 * Selection and scrolling over a list of n rows, shared by every list screen
 * (no drawing here). The owner sets n when its data changes.
 */
#ifndef SSHBOOK_LISTVIEW_H
#define SSHBOOK_LISTVIEW_H

#include <stddef.h>

struct listview {
	size_t	n;	/* rows */
	size_t	sel;	/* selected row, < n when n > 0 */
	size_t	top;	/* first visible row */
};

/* Move the selection by delta rows (clamped), keeping it inside a window of height rows. */
void	listview_move(struct listview *, long delta, size_t height);
void	listview_top(struct listview *);
void	listview_bottom(struct listview *, size_t height);
/* After n changed: clamp sel and top. */
void	listview_clamp(struct listview *, size_t height);

#endif
