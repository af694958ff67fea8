/*
 * Pictures as text: an image dithered with libcaca into a grid of character
 * cells, each with a foreground and background colour from the 16 ANSI
 * colours (or none, in monochrome). The grid is what the TUI draws and what
 * the cache stores; it is rendered once per (media, cols, rows, colour).
 */
#ifndef SSHBOOK_PREVIEW_H
#define SSHBOOK_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

/* Terminal cells are about twice as tall as wide. */
#define CELL_ASPECT	2

/* Colours 0..15: black, red, green, yellow, blue, magenta, cyan, white, then the bright ones. */
#define CELL_COLOR_DEFAULT	255	/* the terminal's own (monochrome grids use only this) */

struct cell {
	uint32_t	ch;	/* a printable code point of width 1 (ASCII in monochrome and on TERM=linux) */
	uint8_t		fg, bg;	/* 0..15 or CELL_COLOR_DEFAULT */
};

struct cellgrid {
	int		 cols, rows;
	bool		 color;
	struct cell	*v;	/* rows * cols, row-major; malloc'd, owned */
};
void	cellgrid_free(struct cellgrid *);

/*
 * The largest cols x rows inside max_cols x max_rows that keeps an image of
 * img_w x img_h pixels in proportion on cells CELL_ASPECT times taller than
 * wide; at least 1 x 1.
 */
void	preview_fit(int img_w, int img_h, int max_cols, int max_rows, int *colsp, int *rowsp);

/*
 * Dither im into exactly cols x rows cells (the caller chose them, usually
 * with preview_fit; 1..1000 x 1..500). color false: characters only,
 * CELL_COLOR_DEFAULT. ascii true: only ASCII characters (no block elements;
 * otherwise U+2580..U+259F may appear). A large image is scaled down first,
 * so the cost follows the grid, not the picture. 0, ERR_INVALID (sizes) or
 * ERR_SYSTEM.
 */
int	preview_render(const struct image *im, int cols, int rows, bool color, bool ascii,
	    struct cellgrid *out);

/*
 * A grid as bytes, for the cache: a small header then 6 bytes per cell.
 * parse refuses (ERR_INVALID) anything serialize would not produce, so a
 * damaged cache row is re-rendered, never drawn.
 */
int	cellgrid_serialize(const struct cellgrid *, uint8_t **outp, size_t *outn);
int	cellgrid_parse(const uint8_t *p, size_t n, struct cellgrid *out);

#endif
