/*
 * Where pictures go in a feed: the sizes in cells of the previews of one
 * post's media, side by side in a strip. The TUI draws with it and the
 * worker pre-renders its first preview with it, so both agree on the
 * (cols, rows) the preview cache is keyed by.
 */
#ifndef SSHBOOK_LAYOUT_H
#define SSHBOOK_LAYOUT_H

#include <stddef.h>

#define FEED_MEDIA_MAX_ROWS	12	/* a picture in a feed is at most this tall */
#define FEED_MEDIA_GAP		1	/* columns between pictures of one post */
/*
 * The body width of a post in a feed on an 80-column terminal: the width the
 * worker renders the first preview at, so the most common screen finds it
 * in the cache.
 */
#define FEED_BODY_COLS_80	72

/*
 * Lay out n pictures (pixel sizes w[i] x h[i]; zero for one not processed
 * yet, which gets a placeholder box) in a strip avail_cols wide and at most
 * max_rows tall: each gets an equal share of the width, and its preview is
 * the largest that keeps its proportions (media/preview.h preview_fit).
 * Writes cols[i] and rows[i] and returns the strip's height in rows
 * (the tallest item), 0 when n is 0.
 */
int	media_strip_layout(const int *w, const int *h, size_t n, int avail_cols, int max_rows,
	    int *cols, int *rows);

/* The column where item i of the strip starts, relative to the strip. */
int	media_strip_x(const int *cols, size_t i);

#endif
