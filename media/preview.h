/*
 * Pictures as text: an image turned into a grid of character cells, each with
 * a foreground and a background colour, in one of three ways chosen by what
 * the terminal can show:
 * - 256 colours (and Unicode): half blocks, U+2580 with the top half of the
 *   cell as foreground and the bottom half as background, each the nearest
 *   colour of the xterm palette's 6x6x6 cube and grey ramp (16..255);
 * - 16 colours, 8 or none (and Unicode): libcaca's dithering into block
 *   elements, ANSI colours 0..15 (with 8: on black, the bright foregrounds
 *   to be drawn bold) or none;
 * - ASCII only: a density ramp (PREVIEW_RAMP) chosen by luminance, the
 *   foreground tinted with the cell's hue when there are colours.
 * The grid is what the TUI draws and what the cache stores; it is rendered
 * once per (media, cols, rows, colours).
 */
#ifndef SSHBOOK_PREVIEW_H
#define SSHBOOK_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

/* Terminal cells are about twice as tall as wide. */
#define CELL_ASPECT	2

/*
 * Colours are xterm palette indexes: 0..15 black, red, green, yellow, blue,
 * magenta, cyan, white, then the bright ones; 16..231 the 6x6x6 cube
 * (16 + 36 r + 6 g + b); 232..255 the grey ramp. CELL_COLOR_DEFAULT, outside
 * the palette, is the terminal's own colour (monochrome grids use only it).
 */
#define CELL_COLOR_DEFAULT	256

/* The ASCII density ramp, from an empty (dark) cell to a full (bright) one. */
#define PREVIEW_RAMP	" .:-=+*#%@"

struct cell {
	uint32_t	ch;	/* a printable code point of width 1 (ASCII in ASCII grids) */
	uint16_t	fg, bg;	/* 0..15 (8 and 16 colours) or 0..255, or CELL_COLOR_DEFAULT */
};

struct cellgrid {
	int		 cols, rows;
	int		 colors;	/* 0 (monochrome), 8, 16 or 256 */
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
 * Render im into exactly cols x rows cells (the caller chose them, usually
 * with preview_fit; 1..1000 x 1..500) for a terminal of `colors` colours
 * (0, 8, 16 or 256; anything else is taken as the next one down). 0:
 * characters only, CELL_COLOR_DEFAULT. ascii true: PREVIEW_RAMP characters
 * only, with a foreground from colours 1..15 or 16..255 when there are
 * colours and the default background; otherwise U+2580..U+259F may appear. A large image is
 * scaled down first, so the cost follows the grid, not the picture. 0,
 * ERR_INVALID (sizes) or ERR_SYSTEM.
 */
int	preview_render(const struct image *im, int cols, int rows, int colors, bool ascii,
	    struct cellgrid *out);

/*
 * The colour of xterm's palette nearest to r, g, b among its cube and grey
 * ramp (16..255), in a weighted RGB distance that follows the eye better
 * than a plain one: pure red is 196, mid grey (128) is 244.
 */
int	preview_color256(int r, int g, int b);
/* The same among the 16 ANSI colours, black (0) left out: for a tint. */
int	preview_color16(int r, int g, int b);
/* The PREVIEW_RAMP character for a luminance of 0..255. */
char	preview_ramp_char(int luma);

/*
 * A grid as bytes, for the cache: a small header then 8 bytes per cell.
 * parse refuses (ERR_INVALID) anything serialize would not produce, so a
 * damaged cache row is re-rendered, never drawn.
 */
int	cellgrid_serialize(const struct cellgrid *, uint8_t **outp, size_t *outn);
int	cellgrid_parse(const uint8_t *p, size_t n, struct cellgrid *out);

#endif
