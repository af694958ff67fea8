/*
 * Previews. For 16 colours and monochrome, libcaca dithers the picture onto
 * a canvas, and the canvas is copied out cell by cell into our own grid, so
 * nothing but this file knows libcaca (the TUI draws grids with ncurses; the
 * cache stores them as bytes). For 256 colours and for ASCII terminals the
 * cells are averaged here: libcaca only dithers to 16 colours, which is
 * noisy where 240 palette colours can simply be the average, and its ASCII
 * glyph set ends in '?', which reads as a broken character on a vt100.
 *
 * libcaca facts that bite:
 * - caca_attr_to_ansi_fg/bg return libcaca's colour numbers (CGA order:
 *   black, blue, green, cyan, red, ...), not ANSI's (black, red, green,
 *   yellow, ...): they are mapped through ansi_of_caca below.
 * - caca_create_dither takes channel masks of a pixel read as a native
 *   uint32_t, so RGBA bytes in memory need byte-order dependent masks.
 * - Its "blocks" glyphs are Unicode block elements, and the densest of them
 *   is a '?' (the end of its glyph list, which 0.99.beta20 counts as one):
 *   that is the full block here. Anything else on the canvas (there should
 *   be nothing) becomes a space, so a grid only ever holds printable
 *   characters one column wide.
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
#define GRID_VERSION	2	/* 1: 16 colours at most, 6 bytes a cell, 255 the default */
#define GRID_HDR	10
#define GRID_CELL	8	/* u32 code point, u16 fg, u16 bg */
#define GRID_F_COLOR16	0x01
#define GRID_F_COLOR256	0x02
#define GRID_F_COLOR8	0x04

/* The upper half block: its foreground is a cell's top half, its background the bottom. */
#define HALF_BLOCK	0x2580
#define FULL_BLOCK	0x2588

/*
 * Pixels per cell worth dithering from: more only costs time (libcaca's
 * prefilter averages every pixel), fewer loses the shapes.
 */
#define SRC_PX_PER_COL	8

static const uint8_t ansi_of_caca[16] = {
	0, 4, 2, 6, 1, 5, 3, 7,		/* black blue green cyan red magenta brown lightgray */
	8, 12, 10, 14, 9, 13, 11, 15,	/* darkgray lightblue ... yellow white */
};

/* xterm's default RGB for the 16 ANSI colours, and the levels of its colour cube. */
static const uint8_t ansi_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};
static const uint8_t cube_level[6] = { 0, 95, 135, 175, 215, 255 };

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
cell_char_ok(uint32_t ch)
{
	return (ch >= 0x20 && ch < 0x7f) || (ch >= 0x2580 && ch <= 0x259f);
}

static uint16_t
cell_color(uint8_t caca)
{
	return caca < 16 ? ansi_of_caca[caca] : CELL_COLOR_DEFAULT;
}

/*
 * The "redmean" weighted distance: green counts most and the weights of red
 * and blue follow how red the pair is, close to the eye's own ordering of
 * colours at the cost of a few multiplications (no conversion to Lab).
 */
static long
color_dist(int r1, int g1, int b1, int r2, int g2, int b2)
{
	long rm = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return (((512 + rm) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rm) * db * db) >> 8);
}

/* The two cube levels around v (the same one twice at the ends). */
static void
cube_around(int v, int *lo, int *hi)
{
	int i;

	for (i = 0; i < 5 && cube_level[i + 1] <= v; i++)
		;
	*lo = i;
	*hi = i < 5 ? i + 1 : i;
}

int
preview_color256(int r, int g, int b)
{
	int	rr[2], gg[2], bb[2], i, j, k, grey, best = 16;
	long	d, bestd = -1;

	/*
	 * The nearest colour is among the 8 cube corners around (r, g, b) and the
	 * two greys around its mean, so those 10 are compared, not all 240.
	 */
	cube_around(r, &rr[0], &rr[1]);
	cube_around(g, &gg[0], &gg[1]);
	cube_around(b, &bb[0], &bb[1]);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < 2; k++) {
				d = color_dist(r, g, b, cube_level[rr[i]], cube_level[gg[j]],
				    cube_level[bb[k]]);
				if (bestd < 0 || d < bestd) {
					bestd = d;
					best = 16 + 36 * rr[i] + 6 * gg[j] + bb[k];
				}
			}
	grey = ((r + g + b) / 3 - 8) / 10;	/* grey i is 8 + 10 i */
	for (i = grey; i <= grey + 1; i++) {
		int v;

		if (i < 0 || i > 23)
			continue;
		v = 8 + 10 * i;
		if ((d = color_dist(r, g, b, v, v, v)) < bestd) {
			bestd = d;
			best = 232 + i;
		}
	}
	return best;
}

int
preview_color16(int r, int g, int b)
{
	int	i, best = 7;
	long	d, bestd = -1;

	for (i = 1; i < 16; i++) {
		d = color_dist(r, g, b, ansi_rgb[i][0], ansi_rgb[i][1], ansi_rgb[i][2]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

char
preview_ramp_char(int luma)
{
	static const char	ramp[] = PREVIEW_RAMP;
	int			n = (int)sizeof ramp - 1;

	if (luma < 0)
		luma = 0;
	if (luma > 255)
		luma = 255;
	return ramp[luma * n / 256];
}

/* The mean colour of the pixels [x0, x1) x [y0, y1) of im, transparency over black. */
static void
box_mean(const struct image *im, int x0, int x1, int y0, int y1, int rgb[3])
{
	unsigned long	sum[3] = { 0, 0, 0 }, n;
	const uint8_t	*p;
	int		x, y, c;

	for (y = y0; y < y1; y++) {
		p = im->rgba + ((size_t)y * (size_t)im->w + (size_t)x0) * 4;
		for (x = x0; x < x1; x++, p += 4)
			for (c = 0; c < 3; c++)
				sum[c] += (unsigned long)p[c] * p[3];
	}
	n = (unsigned long)(x1 - x0) * (unsigned long)(y1 - y0) * 255;
	for (c = 0; c < 3; c++)
		rgb[c] = (int)((sum[c] + n / 2) / n);
}

/* Pixel range [*a, *b) of unit i of n units across len pixels: never empty. */
static void
span(int i, int n, int len, int *a, int *b)
{
	*a = (int)((long)i * len / n);
	*b = (int)((long)(i + 1) * len / n);
	if (*a >= len)
		*a = len - 1;
	if (*b <= *a)
		*b = *a + 1;
}

/* A colour scaled up until its brightest channel is full: the hue of a tint. */
static void
brighten(int rgb[3])
{
	int m = rgb[0] > rgb[1] ? rgb[0] : rgb[1], c;

	if (rgb[2] > m)
		m = rgb[2];
	for (c = 0; c < 3 && m > 0; c++)
		rgb[c] = rgb[c] * 255 / m;
}

/* Half blocks in 256 colours: two vertical samples per cell. */
static void
render_256(const struct image *im, struct cellgrid *g)
{
	struct cell	*c;
	int		 x, y, x0, x1, y0, y1, top[3], bottom[3];

	for (y = 0; y < g->rows; y++)
		for (x = 0; x < g->cols; x++) {
			c = &g->v[(size_t)y * g->cols + x];
			span(x, g->cols, im->w, &x0, &x1);
			span(2 * y, 2 * g->rows, im->h, &y0, &y1);
			box_mean(im, x0, x1, y0, y1, top);
			span(2 * y + 1, 2 * g->rows, im->h, &y0, &y1);
			box_mean(im, x0, x1, y0, y1, bottom);
			c->ch = HALF_BLOCK;
			c->fg = (uint16_t)preview_color256(top[0], top[1], top[2]);
			c->bg = (uint16_t)preview_color256(bottom[0], bottom[1], bottom[2]);
		}
}

/* ASCII: a ramp character by luminance, tinted with the cell's hue when there are colours. */
static void
render_ascii(const struct image *im, struct cellgrid *g)
{
	struct cell	*c;
	int		 x, y, x0, x1, y0, y1, rgb[3];

	for (y = 0; y < g->rows; y++)
		for (x = 0; x < g->cols; x++) {
			c = &g->v[(size_t)y * g->cols + x];
			span(x, g->cols, im->w, &x0, &x1);
			span(y, g->rows, im->h, &y0, &y1);
			box_mean(im, x0, x1, y0, y1, rgb);
			c->ch = (uint32_t)preview_ramp_char((299 * rgb[0] + 587 * rgb[1] +
			    114 * rgb[2]) / 1000);
			c->fg = c->bg = CELL_COLOR_DEFAULT;
			if (g->colors == 0 || c->ch == ' ')
				continue;
			brighten(rgb);
			c->fg = (uint16_t)(g->colors == 256 ? preview_color256(rgb[0], rgb[1], rgb[2]) :
			    preview_color16(rgb[0], rgb[1], rgb[2]));
		}
}

/* libcaca's dithering into block elements, 16 colours or none. */
static int
render_caca(const struct image *src, struct cellgrid *g)
{
	caca_canvas_t	*cv = NULL;
	caca_dither_t	*d = NULL;
	struct cell	*c;
	uint32_t	 rmask, gmask, bmask, amask, attr, ch;
	int		 x, y, r = ERR_SYSTEM;

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
	if ((cv = caca_create_canvas(g->cols, g->rows)) == NULL)
		goto out;
	d = caca_create_dither(32, src->w, src->h, src->w * 4, rmask, gmask, bmask,
	    src->has_alpha ? amask : 0);
	if (d == NULL)
		goto out;
	/*
	 * The names are in every libcaca since 0.99; a failure leaves the
	 * defaults. With 8 colours, "16" (16 foregrounds, the bright ones drawn
	 * bold, on black) needs 8 colour pairs where "full16" would need 64,
	 * all the terminal has.
	 */
	caca_set_dither_charset(d, "blocks");
	caca_set_dither_color(d, g->colors == 8 ? "16" : g->colors > 0 ? "full16" : "mono");
	if (caca_dither_bitmap(cv, 0, 0, g->cols, g->rows, d, src->rgba) != 0)
		goto out;
	for (y = 0; y < g->rows; y++)
		for (x = 0; x < g->cols; x++) {
			c = &g->v[(size_t)y * g->cols + x];
			ch = caca_get_char(cv, x, y);
			if (ch == '?')
				ch = FULL_BLOCK;
			c->ch = cell_char_ok(ch) ? ch : ' ';
			if (g->colors > 0) {
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
	return r;
}

int
preview_render(const struct image *im, int cols, int rows, int colors, bool ascii,
    struct cellgrid *out)
{
	const struct image	*src = im;
	struct image		 small = { 0, 0, NULL, false };
	int			 r = 0;

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
	if ((out->v = calloc((size_t)cols * (size_t)rows, sizeof *out->v)) == NULL) {
		image_free(&small);
		return ERR_SYSTEM;
	}
	out->cols = cols;
	out->rows = rows;
	out->colors = colors >= 256 ? 256 : colors >= 16 ? 16 : colors >= 8 ? 8 : 0;
	if (ascii)
		render_ascii(src, out);
	else if (out->colors == 256)
		render_256(src, out);
	else
		r = render_caca(src, out);
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
grid_color_valid(unsigned v, int colors)
{
	/* 8-colour grids hold the bright foregrounds too (8..15, drawn bold). */
	return v < (unsigned)(colors == 8 ? 16 : colors) || v == CELL_COLOR_DEFAULT;
}

static bool
grid_cell_valid(const struct cell *c, int colors)
{
	return grid_char_valid(c->ch) && grid_color_valid(c->fg, colors) &&
	    grid_color_valid(c->bg, colors);
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
	    g->v == NULL || (g->colors != 0 && g->colors != 8 && g->colors != 16 &&
	    g->colors != 256))
		return ERR_INVALID;
	ncells = (size_t)g->cols * (size_t)g->rows;
	for (i = 0; i < ncells; i++)
		if (!grid_cell_valid(&g->v[i], g->colors))
			return ERR_INVALID;
	n = GRID_HDR + ncells * GRID_CELL;
	if ((p = malloc(n)) == NULL)
		return ERR_SYSTEM;
	memcpy(p, GRID_MAGIC, 4);
	p[4] = GRID_VERSION;
	p[5] = g->colors == 256 ? GRID_F_COLOR256 : g->colors == 16 ? GRID_F_COLOR16 :
	    g->colors == 8 ? GRID_F_COLOR8 : 0;
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
		q[4] = (uint8_t)(c->fg >> 8);
		q[5] = (uint8_t)c->fg;
		q[6] = (uint8_t)(c->bg >> 8);
		q[7] = (uint8_t)c->bg;
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
	int		 cols, rows, colors;

	memset(out, 0, sizeof *out);
	if (p == NULL || n < GRID_HDR || memcmp(p, GRID_MAGIC, 4) != 0 || p[4] != GRID_VERSION)
		return ERR_INVALID;
	if (p[5] == 0)
		colors = 0;
	else if (p[5] == GRID_F_COLOR16)
		colors = 16;
	else if (p[5] == GRID_F_COLOR256)
		colors = 256;
	else if (p[5] == GRID_F_COLOR8)
		colors = 8;
	else
		return ERR_INVALID;
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
		c->fg = (uint16_t)(q[4] << 8 | q[5]);
		c->bg = (uint16_t)(q[6] << 8 | q[7]);
		if (!grid_cell_valid(c, colors)) {
			cellgrid_free(out);
			return ERR_INVALID;
		}
	}
	out->cols = cols;
	out->rows = rows;
	out->colors = colors;
	return 0;
}
