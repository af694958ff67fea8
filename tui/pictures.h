/*
 * Pictures on screen: the previews of media items (media/preview.h cell
 * grids) for every screen that shows one (feeds, the post screen, profiles,
 * the gallery, the viewer). A preview is looked up in this process's cache,
 * then in the database's preview cache (the worker put the common size
 * there), and only then rendered from the preview source file, and kept in
 * both, so scrolling and redrawing never dither twice.
 */
#ifndef SSHBOOK_PICTURES_H
#define SSHBOOK_PICTURES_H

#include <stdbool.h>
#include <stdint.h>

#include "media/preview.h"

struct app;

/*
 * The preview of media_id at exactly cols x rows cells, in colour when the
 * terminal has it (ASCII only on terminals without emoji). NULL when there
 * is none to show: not processed yet, or its file is missing. The grid
 * belongs to the cache and stays valid until the next picture_get.
 */
const struct cellgrid	*picture_get(struct app *, int64_t media_id, int cols, int rows);

/*
 * The pixel size of media_id's preview source, for layouts that fit a whole
 * area (the viewer, profile headers): 0, or ERR_NOTFOUND when not processed.
 */
int	picture_source_size(struct app *, int64_t media_id, int *wp, int *hp);

/* Forget every cached preview of media_id (deleted, or processed again). */
void	pictures_forget(int64_t media_id);

/* Draw row `row` of g at (y, x). */
void	picture_draw_row(const struct cellgrid *g, int row, int y, int x);
/* Draw the whole grid with its top-left corner at (y, x), at most max_rows rows. */
void	picture_draw(const struct cellgrid *g, int y, int x, int max_rows);

/*
 * Row `row` of a cols x rows box standing in for a picture that cannot be
 * shown yet: a frame with label ("processing…", "video 0:12") on its middle row.
 */
void	picture_draw_placeholder_row(int cols, int rows, int row, int y, int x, const char *label);

#endif
