#include "tui/pictures.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "media/pipeline.h"
#include "storage/media.h"
#include "tui/app.h"
#include "tui/draw.h"

/*
 * The cache: a small array with least-recently-used eviction, bounded by the
 * cells it holds. A screen shows a few dozen pictures at most, so a linear
 * scan is cheaper than any map.
 */
#define CACHE_SLOTS	128
#define CACHE_CELLS	(2 * 1000 * 1000)	/* about 12 MB of cells */
#define SIZE_SLOTS	64			/* preview source sizes remembered */

struct slot {
	int64_t		 media_id;	/* 0: empty */
	int		 cols, rows;
	bool		 color, ascii;
	uint64_t	 used;		/* LRU tick */
	struct cellgrid	 g;
};

static struct slot	cache[CACHE_SLOTS];
static uint64_t		tick;
static size_t		cells_held;

static struct {
	int64_t	media_id;
	int	w, h;
} sizes[SIZE_SLOTS];
static size_t	sizes_next;

/* Colour pairs for picture cells start here (tui/draw.c uses the ones below). */
#define PAIR_BASE	64
enum pair_mode { PAIRS_NONE, PAIRS_16, PAIRS_8, PAIRS_FG };
static enum pair_mode	pair_mode = PAIRS_NONE;
static bool		pair_ready[256];
static bool		pairs_chosen;

static void
slot_clear(struct slot *s)
{
	cells_held -= (size_t)s->g.cols * (size_t)s->g.rows;
	cellgrid_free(&s->g);
	memset(s, 0, sizeof *s);
}

void
pictures_forget(int64_t media_id)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].media_id == media_id)
			slot_clear(&cache[i]);
	for (i = 0; i < SIZE_SLOTS; i++)
		if (sizes[i].media_id == media_id)
			sizes[i].media_id = 0;
}

/* An empty slot, evicting the least recently used until `cells` more cells fit. */
static struct slot *
slot_take(size_t cells)
{
	struct slot	*oldest;
	size_t		 i;

	for (;;) {
		oldest = NULL;
		for (i = 0; i < CACHE_SLOTS; i++) {
			if (cache[i].media_id == 0 && cells_held + cells <= CACHE_CELLS)
				return &cache[i];
			if (cache[i].media_id != 0 && (oldest == NULL || cache[i].used < oldest->used))
				oldest = &cache[i];
		}
		if (oldest == NULL)
			return &cache[0];	/* empty cache, one huge grid: let it in */
		slot_clear(oldest);
	}
}

int
picture_source_size(struct app *app, int64_t media_id, int *wp, int *hp)
{
	const char	*dir = app_data_dir(app);
	char		*thumb;
	size_t		 i;
	int		 r;

	for (i = 0; i < SIZE_SLOTS; i++)
		if (sizes[i].media_id == media_id) {
			*wp = sizes[i].w;
			*hp = sizes[i].h;
			return 0;
		}
	if (dir == NULL)
		return ERR_NOTFOUND;
	thumb = media_path(dir, 0, media_id, MEDIA_FILE_THUMB, MF_JPEG);
	r = media_thumb_size(thumb, wp, hp);
	free(thumb);
	if (r != 0)
		return ERR_NOTFOUND;
	sizes[sizes_next].media_id = media_id;
	sizes[sizes_next].w = *wp;
	sizes[sizes_next].h = *hp;
	sizes_next = (sizes_next + 1) % SIZE_SLOTS;
	return 0;
}

/* From the database's cache, or rendered (and put there). */
static int
fetch(struct app *app, int64_t id, int cols, int rows, bool color, bool ascii,
    struct cellgrid *g)
{
	struct store	*st = app_store(app);
	const char	*dir = app_data_dir(app);
	uint8_t		*blob = NULL;
	size_t		 n = 0;
	char		*thumb;
	int		 r;

	/* The shared cache holds the ordinary (not ASCII-only) renders. */
	if (!ascii && store_preview_get(st, id, cols, rows, color, &blob, &n) == 0) {
		r = cellgrid_parse(blob, n, g);
		free(blob);
		if (r == 0 && g->cols == cols && g->rows == rows)
			return 0;
		cellgrid_free(g);
	}
	if (dir == NULL)
		return ERR_NOTFOUND;
	thumb = media_path(dir, 0, id, MEDIA_FILE_THUMB, MF_JPEG);
	r = media_render_thumb(thumb, cols, rows, color, ascii, g);
	free(thumb);
	if (r != 0)
		return r;
	if (!ascii && cellgrid_serialize(g, &blob, &n) == 0) {
		(void)store_preview_put(st, id, cols, rows, color, blob, n);
		free(blob);
	}
	return 0;
}

const struct cellgrid *
picture_get(struct app *app, int64_t media_id, int cols, int rows)
{
	struct slot	*s;
	struct cellgrid	 g;
	bool		 color = draw_has_colors(), ascii = app_ascii(app);
	size_t		 i;

	if (media_id <= 0 || cols < 1 || rows < 1)
		return NULL;
	for (i = 0; i < CACHE_SLOTS; i++) {
		s = &cache[i];
		if (s->media_id == media_id && s->cols == cols && s->rows == rows &&
		    s->color == color && s->ascii == ascii) {
			s->used = ++tick;
			return &s->g;
		}
	}
	memset(&g, 0, sizeof g);
	if (fetch(app, media_id, cols, rows, color, ascii, &g) != 0)
		return NULL;
	s = slot_take((size_t)cols * (size_t)rows);
	s->media_id = media_id;
	s->cols = cols;
	s->rows = rows;
	s->color = color;
	s->ascii = ascii;
	s->used = ++tick;
	s->g = g;
	cells_held += (size_t)cols * (size_t)rows;
	return &s->g;
}

/*
 * How cells get their colours: 16 x 16 pairs where the terminal has them,
 * else the 8 basic colours (bright foregrounds in bold), else foregrounds on
 * the default background.
 */
static void
choose_pairs(void)
{
	pairs_chosen = true;
	if (!draw_has_colors())
		pair_mode = PAIRS_NONE;
	else if (COLORS >= 16 && COLOR_PAIRS >= PAIR_BASE + 256)
		pair_mode = PAIRS_16;
	else if (COLOR_PAIRS >= PAIR_BASE + 64)
		pair_mode = PAIRS_8;
	else if (COLOR_PAIRS >= PAIR_BASE + 8)
		pair_mode = PAIRS_FG;
	else
		pair_mode = PAIRS_NONE;
}

static short
curses_color(uint8_t c, int levels)
{
	if (c == CELL_COLOR_DEFAULT)
		return -1;
	return (short)(levels == 16 ? c : c & 7);
}

static attr_t
cell_attr(const struct cell *c, short *pairp)
{
	int	idx = 0;
	attr_t	a = 0;

	*pairp = 0;
	switch (pair_mode) {
	case PAIRS_NONE:
		return 0;
	case PAIRS_16:
		idx = (c->fg == CELL_COLOR_DEFAULT ? 7 : c->fg) * 16 +
		    (c->bg == CELL_COLOR_DEFAULT ? 0 : c->bg);
		if (!pair_ready[idx]) {
			init_pair((short)(PAIR_BASE + idx), curses_color(c->fg, 16),
			    curses_color(c->bg, 16));
			pair_ready[idx] = true;
		}
		break;
	case PAIRS_8:
		idx = ((c->fg == CELL_COLOR_DEFAULT ? 7 : c->fg) & 7) * 8 +
		    ((c->bg == CELL_COLOR_DEFAULT ? 0 : c->bg) & 7);
		if (!pair_ready[idx]) {
			init_pair((short)(PAIR_BASE + idx), curses_color(c->fg, 8),
			    curses_color(c->bg, 8));
			pair_ready[idx] = true;
		}
		if (c->fg != CELL_COLOR_DEFAULT && c->fg >= 8)
			a |= A_BOLD;
		break;
	case PAIRS_FG:
		idx = (c->fg == CELL_COLOR_DEFAULT ? 7 : c->fg) & 7;
		if (!pair_ready[idx]) {
			init_pair((short)(PAIR_BASE + idx), curses_color(c->fg, 8), -1);
			pair_ready[idx] = true;
		}
		break;
	}
	*pairp = (short)(PAIR_BASE + idx);
	return a;
}

void
picture_draw_row(const struct cellgrid *g, int row, int y, int x)
{
	cchar_t	 cc;
	wchar_t	 wc[2] = { 0, 0 };
	short	 pair;
	attr_t	 a;
	int	 i;

	if (g == NULL || row < 0 || row >= g->rows || y < 0 || y >= LINES)
		return;
	if (!pairs_chosen)
		choose_pairs();
	for (i = 0; i < g->cols && x + i < COLS; i++) {
		const struct cell *c = &g->v[row * g->cols + i];

		/* The grid holds printable width-1 code points only (cellgrid_parse checks). */
		wc[0] = (wchar_t)c->ch;
		a = g->color ? cell_attr(c, &pair) : (pair = 0, 0);
		if (setcchar(&cc, wc, a, pair, NULL) == OK)
			mvadd_wch(y, x + i, &cc);
	}
	attrset(A_NORMAL);
}

void
picture_draw(const struct cellgrid *g, int y, int x, int max_rows)
{
	int r;

	for (r = 0; g != NULL && r < g->rows && r < max_rows; r++)
		picture_draw_row(g, r, y + r, x);
}

void
picture_draw_placeholder_row(int cols, int rows, int row, int y, int x, const char *label)
{
	int mid = rows / 2, lw;

	if (cols < 2 || rows < 1)
		return;
	if (row == 0 || row == rows - 1) {
		draw_text(y, x, 1, row == 0 ? "\u250c" : "\u2514", ROLE_DIM);	/* ┌ └ */
		draw_hline(y, x + 1, cols - 2);
		draw_text(y, x + cols - 1, 1, row == 0 ? "\u2510" : "\u2518", ROLE_DIM);
		if (rows > 1)
			return;
	}
	draw_text(y, x, 1, "\u2502", ROLE_DIM);		/* │ */
	draw_text(y, x + cols - 1, 1, "\u2502", ROLE_DIM);
	if (row == mid && label != NULL) {
		lw = draw_width(label);
		if (lw > cols - 4)
			lw = cols - 4;
		draw_text(y, x + (cols - lw) / 2, cols - 4, label, ROLE_DIM);
	}
}
