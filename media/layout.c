#include "media/layout.h"

#include "media/preview.h"

/* Placeholder size for an item not processed yet: a short box. */
#define PENDING_ROWS	3

int
media_strip_layout(const int *w, const int *h, size_t n, int avail_cols, int max_rows,
    int *cols, int *rows)
{
	size_t	i;
	int	share, tallest = 0;

	if (n == 0)
		return 0;
	share = (avail_cols - FEED_MEDIA_GAP * (int)(n - 1)) / (int)n;
	if (share < 1)
		share = 1;
	for (i = 0; i < n; i++) {
		if (w[i] <= 0 || h[i] <= 0) {
			cols[i] = share;
			rows[i] = PENDING_ROWS < max_rows ? PENDING_ROWS : max_rows;
		} else
			preview_fit(w[i], h[i], share, max_rows, &cols[i], &rows[i]);
		if (rows[i] > tallest)
			tallest = rows[i];
	}
	return tallest;
}

int
media_strip_x(const int *cols, size_t i)
{
	size_t	k;
	int	x = 0;

	for (k = 0; k < i; k++)
		x += cols[k] + FEED_MEDIA_GAP;
	return x;
}
