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
	int		 colors;	/* 0, 8, 16 or 256 */
	bool		 ascii;
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

/*
 * Picture cells get their colours from a bounded pool of colour pairs, the
 * numbers after tui/draw.c's (DRAW_PAIRS_RESERVED): a hash from (fg, bg) to
 * a pair, defined when first drawn (init_extended_pair: ncurses 6's pairs
 * past a short; xterm-256color has 65,536). With 256 colours a picture may
 * use any of 257 x 257 pairs, and an 8-colour terminal (xterm, screen, the
 * Linux console) has only 64, so when the pool is full the clock hand takes
 * back a pair not drawn within the last screenful of picture cells. The app
 * erases and draws every cell each frame, so such a pair is on no cell of
 * the frame being drawn and redefining it changes nothing visible; only a
 * screen with more distinct pairs than the pool could recolour a cell
 * before its redraw.
 */
#define PAIR_BASE	(DRAW_PAIRS_RESERVED + 1)
#define POOL_MAX	4096
#define POOL_HASH	8192		/* buckets, a power of two */

/* The terminal's colours for pictures: 0 (none), 8 (bright ones as bold), 16 or 256. */
static int	term_levels = -1;

struct pool_entry {
	uint32_t	key;		/* (fg << 9 | bg) + 1 in curses colours + 1; 0: free */
	int		next;		/* the next entry of its bucket, -1 */
	uint64_t	used;		/* cell_tick when last drawn */
};

static struct pool_entry	*pool;
static int			*pool_head;	/* POOL_HASH buckets, -1: empty */
static int			 pool_n, pool_filled, pool_hand, pool_last = -1;
static uint64_t			 cell_tick;

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

static void	choose_levels(void);

/* From the database's cache, or rendered (and put there). */
static int
fetch(struct app *app, int64_t id, int cols, int rows, int colors, bool ascii,
    struct cellgrid *g)
{
	struct store	*st = app_store(app);
	const char	*dir = app_data_dir(app);
	uint8_t		*blob = NULL;
	size_t		 n = 0;
	char		*thumb;
	int		 r;

	/* The shared cache holds the ordinary (not ASCII-only) renders. */
	if (!ascii && store_preview_get(st, id, cols, rows, colors, &blob, &n) == 0) {
		r = cellgrid_parse(blob, n, g);
		free(blob);
		if (r == 0 && g->cols == cols && g->rows == rows && g->colors == colors)
			return 0;
		cellgrid_free(g);
	}
	if (dir == NULL)
		return ERR_NOTFOUND;
	thumb = media_path(dir, 0, id, MEDIA_FILE_THUMB, MF_JPEG);
	r = media_render_thumb(thumb, cols, rows, colors, ascii, g);
	free(thumb);
	if (r != 0)
		return r;
	if (!ascii && cellgrid_serialize(g, &blob, &n) == 0) {
		(void)store_preview_put(st, id, cols, rows, colors, blob, n);
		free(blob);
	}
	return 0;
}

const struct cellgrid *
picture_get(struct app *app, int64_t media_id, int cols, int rows)
{
	struct slot	*s;
	struct cellgrid	 g;
	bool		 ascii = app_ascii(app);
	int		 colors;
	size_t		 i;

	if (media_id <= 0 || cols < 1 || rows < 1)
		return NULL;
	if (term_levels < 0)
		choose_levels();
	colors = term_levels;
	for (i = 0; i < CACHE_SLOTS; i++) {
		s = &cache[i];
		if (s->media_id == media_id && s->cols == cols && s->rows == rows &&
		    s->colors == colors && s->ascii == ascii) {
			s->used = ++tick;
			return &s->g;
		}
	}
	memset(&g, 0, sizeof g);
	if (fetch(app, media_id, cols, rows, colors, ascii, &g) != 0)
		return NULL;
	s = slot_take((size_t)cols * (size_t)rows);
	s->media_id = media_id;
	s->cols = cols;
	s->rows = rows;
	s->colors = colors;
	s->ascii = ascii;
	s->used = ++tick;
	s->g = g;
	cells_held += (size_t)cols * (size_t)rows;
	return &s->g;
}

/*
 * How many colours pictures get: 256 where terminfo says so (rendered in the
 * xterm palette), else 16, or 8 with bright foregrounds in bold, else none;
 * and none without a few pairs for the pool.
 */
static void
choose_levels(void)
{
	int pairs = COLOR_PAIRS - PAIR_BASE;

	term_levels = 0;
	if (!draw_has_colors() || pairs < 8)
		return;
	term_levels = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
	pool_n = pairs < POOL_MAX ? pairs : POOL_MAX;
}

static unsigned
pool_bucket(uint32_t key)
{
	return (key * 2654435761u) >> 19 & (POOL_HASH - 1);
}

/* Take entry i out of its bucket's chain. */
static void
pool_unlink(int i)
{
	int *pp = &pool_head[pool_bucket(pool[i].key)];

	while (*pp != i)
		pp = &pool[*pp].next;
	*pp = pool[i].next;
}

/* The pair number for curses colours (fg, bg) (-1: default), defining it when new. */
static int
pool_pair(int fg, int bg)
{
	uint32_t	key = (uint32_t)((fg + 1) << 9 | (bg + 1)) + 1;
	uint64_t	recent = (uint64_t)COLS * (uint64_t)LINES;
	unsigned	h;
	int		i, tries;

	cell_tick++;
	if (pool_last >= 0 && pool[pool_last].key == key) {
		pool[pool_last].used = cell_tick;
		return PAIR_BASE + pool_last;
	}
	if (pool == NULL) {
		pool = xcalloc((size_t)pool_n, sizeof *pool);
		pool_head = xreallocarray(NULL, POOL_HASH, sizeof *pool_head);
		memset(pool_head, 0xff, POOL_HASH * sizeof *pool_head);	/* all -1 */
	}
	h = pool_bucket(key);
	for (i = pool_head[h]; i >= 0; i = pool[i].next)
		if (pool[i].key == key) {
			pool[i].used = cell_tick;
			pool_last = i;
			return PAIR_BASE + i;
		}
	if (pool_filled < pool_n)
		i = pool_filled++;
	else {
		/* The clock: the first pair not drawn in the last screenful of cells. */
		for (tries = 0; tries < pool_n; tries++) {
			if (pool[pool_hand].used + recent < cell_tick)
				break;
			pool_hand = (pool_hand + 1) % pool_n;
		}
		i = pool_hand;
		pool_hand = (pool_hand + 1) % pool_n;
		pool_unlink(i);
	}
	pool[i].key = key;
	pool[i].used = cell_tick;
	pool[i].next = pool_head[h];
	pool_head[h] = i;
	pool_last = i;
	init_extended_pair(PAIR_BASE + i, fg, bg);
	return PAIR_BASE + i;
}

/* A grid colour as the terminal's: the default as -1, bright ones folded on 8 colours. */
static int
curses_color(unsigned c)
{
	if (c == CELL_COLOR_DEFAULT)
		return -1;
	return term_levels == 8 ? (int)(c & 7) : (int)c;
}

static attr_t
cell_attr(const struct cell *c, int *pairp)
{
	*pairp = 0;
	if (term_levels <= 0)
		return 0;
	*pairp = pool_pair(curses_color(c->fg), curses_color(c->bg));
	return term_levels == 8 && c->fg != CELL_COLOR_DEFAULT && c->fg >= 8 && c->fg < 16 ?
	    A_BOLD : 0;
}

void
picture_draw_row(const struct cellgrid *g, int row, int y, int x)
{
	cchar_t	 cc;
	wchar_t	 wc[2] = { 0, 0 };
	attr_t	 a;
	int	 i, pair;

	if (g == NULL || row < 0 || row >= g->rows || y < 0 || y >= LINES)
		return;
	if (term_levels < 0)
		choose_levels();
	for (i = 0; i < g->cols && x + i < COLS; i++) {
		const struct cell *c = &g->v[row * g->cols + i];

		/* The grid holds printable width-1 code points only (cellgrid_parse checks). */
		wc[0] = (wchar_t)c->ch;
		a = g->colors > 0 ? cell_attr(c, &pair) : (pair = 0, 0);
		/* The pair goes through opts, ncurses 6's way past a short (the pool's stay below). */
		if (setcchar(&cc, wc, a, 0, &pair) == OK)
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
