/*
 * Previews: libcaca dithers the picture onto a canvas, and the canvas is
 * copied out cell by cell into our own grid, so nothing but this file knows
 * libcaca (the TUI draws grids with ncurses; the cache stores them as bytes).
 *
 * libcaca facts that bite:
 * - caca_attr_to_ansi_fg/bg return libcaca's colour numbers (CGA order:
 *   black, blue, green, cyan, red, ...), not ANSI's (black, red, green,
 *   yellow, ...): they are mapped through ansi_of_caca below.
 * - caca_create_dither takes channel masks of a pixel read as a native
 *   uint32_t, so RGBA bytes in memory need byte-order dependent masks.
 * - Its "blocks" and "shades" glyphs are Unicode block elements; anything
 *   else on the canvas (there should be nothing) becomes a space, so a grid
 *   only ever holds printable characters one column wide.
 */
#include "media/preview.h"

#include <stdlib.h>
#include <string.h>

#include <caca.h>

#include "common/err.h"

#define GRID_MAX_COLS	1000
#define GRID_MAX_ROWS	500

/* Serialized grid: magic, version, flags, cols, rows (big-endian u16), then the cells. */
#define GRID_MAGIC	"SBCG"
#define GRID_VERSION	1
#define GRID_HDR	10
#define GRID_CELL	6	/* u32 code point, fg, bg */
#define GRID_F_COLOR	0x01

/*
 * Pixels per cell worth dithering from: more only costs time (libcaca's
 * prefilter averages every pixel), fewer loses the shapes.
 */
#define SRC_PX_PER_COL	8

static const uint8_t ansi_of_caca[16] = {
	0, 4, 2, 6, 1, 5, 3, 7,		/* black blue green cyan red magenta brown lightgray */
	8, 12, 10, 14, 9, 13, 11, 15,	/* darkgray lightblue ... yellow white */
};

void
cellgrid_free(struct cellgrid *g)
{
	if (g == NULL)
		return;
	free(g->v);
	memset(g, 0, sizeof *g);
}

void
preview_fit(int img_w, int img_h, int max_cols, int max_rows, int *colsp, int *rowsp)
{
	long	cols, rows;

	if (max_cols < 1)
		max_cols = 1;
	if (max_rows < 1)
		max_rows = 1;
	if (img_w <= 0 || img_h <= 0)
		img_w = img_h = 1;
	/* A cell shows 1 x CELL_ASPECT of the picture's units: cols / (rows * CELL_ASPECT) = w / h. */
	cols = max_cols;
	rows = ((long)max_cols * img_h + (long)img_w * CELL_ASPECT / 2) / ((long)img_w * CELL_ASPECT);
	if (rows > max_rows) {
		rows = max_rows;
		cols = ((long)max_rows * CELL_ASPECT * img_w + img_h / 2) / img_h;
		if (cols > max_cols)
			cols = max_cols;
	}
	*colsp = cols < 1 ? 1 : (int)cols;
	*rowsp = rows < 1 ? 1 : (int)rows;
}

/* Printable and one column wide everywhere: ASCII, and the block elements libcaca uses. */
static bool
cell_char_ok(uint32_t ch, bool ascii)
{
	if (ch >= 0x20 && ch < 0x7f)
		return true;
	return !ascii && ch >= 0x2580 && ch <= 0x259f;
}

static uint8_t
cell_color(uint8_t caca)
{
	return caca < 16 ? ansi_of_caca[caca] : CELL_COLOR_DEFAULT;
}

int
preview_render(const struct image *im, int cols, int rows, bool color, bool ascii,
    struct cellgrid *out)
{
	const struct image	*src = im;
	struct image		 small = { 0, 0, NULL, false };
	caca_canvas_t		*cv = NULL;
	caca_dither_t		*d = NULL;
	struct cell		*c;
	uint32_t		 rmask, gmask, bmask, amask, attr, ch;
	int			 x, y, r = ERR_SYSTEM;

	memset(out, 0, sizeof *out);
	if (im->w <= 0 || im->h <= 0 || im->rgba == NULL || cols < 1 || rows < 1 ||
	    cols > GRID_MAX_COLS || rows > GRID_MAX_ROWS)
		return ERR_INVALID;
	if (im->w > cols * SRC_PX_PER_COL || im->h > rows * SRC_PX_PER_COL * CELL_ASPECT) {
		if (image_fit(im, cols * SRC_PX_PER_COL, rows * SRC_PX_PER_COL * CELL_ASPECT,
		    &small) != 0)
			return ERR_SYSTEM;
		src = &small;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	rmask = 0x000000ff;
	gmask = 0x0000ff00;
	bmask = 0x00ff0000;
	amask = 0xff000000;
#else
	rmask = 0xff000000;
	gmask = 0x00ff0000;
	bmask = 0x0000ff00;
	amask = 0x000000ff;
#endif
	if ((cv = caca_create_canvas(cols, rows)) == NULL)
		goto out;
	d = caca_create_dither(32, src->w, src->h, src->w * 4, rmask, gmask, bmask,
	    src->has_alpha ? amask : 0);
	if (d == NULL)
		goto out;
	/* Both names are in every libcaca since 0.99; a failure leaves the defaults. */
	caca_set_dither_charset(d, ascii ? "ascii" : "blocks");
	caca_set_dither_color(d, color ? "full16" : "mono");
	if (caca_dither_bitmap(cv, 0, 0, cols, rows, d, src->rgba) != 0)
		goto out;

	out->v = calloc((size_t)cols * (size_t)rows, sizeof *out->v);
	if (out->v == NULL)
		goto out;
	out->cols = cols;
	out->rows = rows;
	out->color = color;
	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++) {
			c = &out->v[(size_t)y * cols + x];
			ch = caca_get_char(cv, x, y);
			c->ch = cell_char_ok(ch, ascii) ? ch : ' ';
			if (color) {
				attr = caca_get_attr(cv, x, y);
				c->fg = cell_color(caca_attr_to_ansi_fg(attr));
				c->bg = cell_color(caca_attr_to_ansi_bg(attr));
			} else {
				c->fg = c->bg = CELL_COLOR_DEFAULT;
			}
		}
	r = 0;
 out:
	if (d != NULL)
		caca_free_dither(d);
	if (cv != NULL)
		caca_free_canvas(cv);
	image_free(&small);
	if (r != 0)
		cellgrid_free(out);
	return r;
}

/* ---- bytes for the cache ------------------------------------------------- */

/* What a grid cell may hold: printable (no C0, DEL, C1 or surrogate), a real code point. */
static bool
grid_char_valid(uint32_t ch)
{
	if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f))
		return false;
	if (ch >= 0xd800 && ch <= 0xdfff)
		return false;
	return ch <= 0x10ffff;
}

static bool
grid_color_valid(uint8_t v, bool color)
{
	if (!color)
		return v == CELL_COLOR_DEFAULT;
	return v <= 15 || v == CELL_COLOR_DEFAULT;
}

static bool
grid_cell_valid(const struct cell *c, bool color)
{
	return grid_char_valid(c->ch) && grid_color_valid(c->fg, color) &&
	    grid_color_valid(c->bg, color);
}

int
cellgrid_serialize(const struct cellgrid *g, uint8_t **outp, size_t *outn)
{
	const struct cell	*c;
	uint8_t			*p, *q;
	size_t			 i, ncells, n;

	*outp = NULL;
	*outn = 0;
	if (g->cols < 1 || g->cols > GRID_MAX_COLS || g->rows < 1 || g->rows > GRID_MAX_ROWS ||
	    g->v == NULL)
		return ERR_INVALID;
	ncells = (size_t)g->cols * (size_t)g->rows;
	for (i = 0; i < ncells; i++)
		if (!grid_cell_valid(&g->v[i], g->color))
			return ERR_INVALID;
	n = GRID_HDR + ncells * GRID_CELL;
	if ((p = malloc(n)) == NULL)
		return ERR_SYSTEM;
	memcpy(p, GRID_MAGIC, 4);
	p[4] = GRID_VERSION;
	p[5] = g->color ? GRID_F_COLOR : 0;
	p[6] = (uint8_t)(g->cols >> 8);
	p[7] = (uint8_t)g->cols;
	p[8] = (uint8_t)(g->rows >> 8);
	p[9] = (uint8_t)g->rows;
	for (i = 0, q = p + GRID_HDR; i < ncells; i++, q += GRID_CELL) {
		c = &g->v[i];
		q[0] = (uint8_t)(c->ch >> 24);
		q[1] = (uint8_t)(c->ch >> 16);
		q[2] = (uint8_t)(c->ch >> 8);
		q[3] = (uint8_t)c->ch;
		q[4] = c->fg;
		q[5] = c->bg;
	}
	*outp = p;
	*outn = n;
	return 0;
}

int
cellgrid_parse(const uint8_t *p, size_t n, struct cellgrid *out)
{
	const uint8_t	*q;
	struct cell	*c;
	size_t		 i, ncells;
	int		 cols, rows;
	bool		 color;

	memset(out, 0, sizeof *out);
	if (p == NULL || n < GRID_HDR || memcmp(p, GRID_MAGIC, 4) != 0 || p[4] != GRID_VERSION ||
	    (p[5] & ~GRID_F_COLOR) != 0)
		return ERR_INVALID;
	color = (p[5] & GRID_F_COLOR) != 0;
	cols = p[6] << 8 | p[7];
	rows = p[8] << 8 | p[9];
	if (cols < 1 || cols > GRID_MAX_COLS || rows < 1 || rows > GRID_MAX_ROWS)
		return ERR_INVALID;
	ncells = (size_t)cols * (size_t)rows;
	if (n != GRID_HDR + ncells * GRID_CELL)
		return ERR_INVALID;
	if ((out->v = malloc(ncells * sizeof *out->v)) == NULL)
		return ERR_SYSTEM;
	for (i = 0, q = p + GRID_HDR; i < ncells; i++, q += GRID_CELL) {
		c = &out->v[i];
		c->ch = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
		c->fg = q[4];
		c->bg = q[5];
		if (!grid_cell_valid(c, color)) {
			cellgrid_free(out);
			return ERR_INVALID;
		}
	}
	out->cols = cols;
	out->rows = rows;
	out->color = color;
	return 0;
}
