/*
 * vt: libvterm wrapped for the end-to-end tests (see vt.h).
 *
 * libvterm keeps the whole screen state; we only add the raw byte log (so a
 * test can prove that a hostile sequence never reached the terminal), the
 * window title (OSC 0/2 through settermprop), a bell counter and an output
 * queue filled by the output callback.
 */
#include "tests/e2e/vt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct vt {
	VTerm		*vt;
	VTermScreen	*screen;
	int		 cols;
	int		 rows;
	struct bytes	 raw;	/* everything fed */
	struct bytes	 out;	/* queued terminal -> application bytes */
	char		*title;
	int		 title_sets;
	int		 bells;
	VTermPos	 cursor;
	bool		 cursor_visible;	/* DECTCEM, as the application last set it */
};

static void
bytes_add(struct bytes *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
out_cb(const char *s, size_t len, void *user)
{
	struct vt *v = user;

	bytes_add(&v->out, s, len);
}

static int
settermprop_cb(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *v = user;

	if (prop == VTERM_PROP_TITLE || prop == VTERM_PROP_ICONNAME) {
		free(v->title);
		v->title = strdup(val->string ? val->string : "");
		v->title_sets++;
	}
	if (prop == VTERM_PROP_CURSORVISIBLE)
		v->cursor_visible = val->boolean != 0;
	return 1;
}

static int
bell_cb(void *user)
{
	struct vt *v = user;

	v->bells++;
	return 1;
}

static int
movecursor_cb(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct vt *v = user;

	(void)oldpos;
	(void)visible;
	v->cursor = pos;
	return 1;
}

static const VTermScreenCallbacks screen_cbs = {
	.settermprop = settermprop_cb,
	.bell = bell_cb,
	.movecursor = movecursor_cb,
};

struct vt *
vt_new(int cols, int rows)
{
	struct vt *v = calloc(1, sizeof *v);

	if (v == NULL)
		abort();
	v->cols = cols;
	v->rows = rows;
	v->cursor_visible = true;	/* a terminal starts with its cursor shown */
	v->vt = vterm_new(rows, cols);
	if (v->vt == NULL)
		abort();
	vterm_set_utf8(v->vt, 1);
	vterm_output_set_callback(v->vt, out_cb, v);
	v->screen = vterm_obtain_screen(v->vt);
	vterm_screen_set_callbacks(v->screen, &screen_cbs, v);
	vterm_screen_enable_altscreen(v->screen, 1);
	vterm_screen_reset(v->screen, 1);
	bytes_add(&v->raw, "", 0);
	bytes_add(&v->out, "", 0);
	return v;
}

void
vt_free(struct vt *v)
{
	if (v == NULL)
		return;
	vterm_free(v->vt);
	free(v->raw.p);
	free(v->out.p);
	free(v->title);
	free(v);
}

void
vt_feed(struct vt *v, const char *bytes, size_t len)
{
	bytes_add(&v->raw, bytes, len);
	vterm_input_write(v->vt, bytes, len);
	vterm_screen_flush_damage(v->screen);
}

const char *
vt_raw(const struct vt *v, size_t *lenp)
{
	if (lenp != NULL)
		*lenp = v->raw.len;
	return v->raw.p;
}

bool
vt_raw_contains(const struct vt *v, const char *bytes, size_t len)
{
	return memmem(v->raw.p, v->raw.len, bytes, len) != NULL;
}

void
vt_key(struct vt *v, VTermKey key, VTermModifier mod)
{
	vterm_keyboard_key(v->vt, key, mod);
}

void
vt_unichar(struct vt *v, unsigned int cp, VTermModifier mod)
{
	vterm_keyboard_unichar(v->vt, cp, mod);
}

void
vt_paste_begin(struct vt *v)
{
	vterm_keyboard_start_paste(v->vt);
}

void
vt_paste_end(struct vt *v)
{
	vterm_keyboard_end_paste(v->vt);
}

size_t
vt_take_output(struct vt *v, char *buf, size_t bufsz)
{
	size_t n = v->out.len < bufsz ? v->out.len : bufsz;

	memcpy(buf, v->out.p, n);
	memmove(v->out.p, v->out.p + n, v->out.len - n + 1);
	v->out.len -= n;
	return n;
}

void
vt_resize(struct vt *v, int cols, int rows)
{
	v->cols = cols;
	v->rows = rows;
	vterm_set_size(v->vt, rows, cols);
	vterm_screen_flush_damage(v->screen);
}

void
vt_size(const struct vt *v, int *cols, int *rows)
{
	if (cols != NULL)
		*cols = v->cols;
	if (rows != NULL)
		*rows = v->rows;
}

static size_t
put_utf8(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (char)(0xc0 | (c >> 6));
		p[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (char)(0xe0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		p[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c < 0x110000) {
		p[0] = (char)(0xf0 | (c >> 18));
		p[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		p[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		p[3] = (char)(0x80 | (c & 0x3f));
		return 4;
	}
	p[0] = '?';
	return 1;
}

void
vt_row(const struct vt *v, int row, char *buf, size_t bufsz)
{
	VTermScreenCell	 cell;
	VTermPos	 pos;
	size_t		 len = 0, keep = 0;
	bool		 skip = false;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	if (row < 0)
		row += v->rows;
	if (row < 0 || row >= v->rows)
		return;
	pos.row = row;
	for (pos.col = 0; pos.col < v->cols; pos.col++) {
		char	tmp[VTERM_MAX_CHARS_PER_CELL * 4 + 1];
		size_t	n = 0;

		if (skip) {
			/* the right half of a wide character */
			skip = false;
			continue;
		}
		if (!vterm_screen_get_cell(v->screen, pos, &cell))
			break;
		if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1) {
			tmp[n++] = ' ';
		} else {
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL &&
			    cell.chars[i] != 0; i++)
				n += put_utf8(tmp + n, cell.chars[i]);
		}
		if (cell.width == 2)
			skip = true;
		if (len + n + 1 > bufsz)
			break;
		memcpy(buf + len, tmp, n);
		len += n;
		if (!(n == 1 && tmp[0] == ' '))
			keep = len;
	}
	buf[keep] = '\0';
}

char *
vt_text(const struct vt *v)
{
	size_t	 rowsz = (size_t)v->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 2;
	char	*row = malloc(rowsz);
	struct bytes b = { 0 };

	if (row == NULL)
		abort();
	bytes_add(&b, "", 0);
	for (int r = 0; r < v->rows; r++) {
		vt_row(v, r, row, rowsz);
		bytes_add(&b, row, strlen(row));
		if (r + 1 < v->rows)
			bytes_add(&b, "\n", 1);
	}
	free(row);
	return b.p;
}

int
vt_find(const struct vt *v, const char *text)
{
	size_t	 rowsz = (size_t)v->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 2;
	char	*row = malloc(rowsz);
	int	 found = -1;

	if (row == NULL)
		abort();
	for (int r = 0; r < v->rows && found < 0; r++) {
		vt_row(v, r, row, rowsz);
		if (strstr(row, text) != NULL)
			found = r;
	}
	free(row);
	return found;
}

bool
vt_contains(const struct vt *v, const char *text)
{
	return vt_find(v, text) >= 0;
}

void
vt_dump(const struct vt *v, FILE *fp)
{
	size_t	 rowsz = (size_t)v->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 2;
	char	*row = malloc(rowsz);

	if (row == NULL)
		abort();
	fprintf(fp, "    +");
	for (int c = 0; c < v->cols; c++)
		fputc(c % 10 == 0 ? '0' + (c / 10) % 10 : '-', fp);
	fprintf(fp, "+ %dx%d, cursor %d,%d\n", v->cols, v->rows,
	    v->cursor.row, v->cursor.col);
	for (int r = 0; r < v->rows; r++) {
		vt_row(v, r, row, rowsz);
		fprintf(fp, "%3d |%s\n", r, row);
	}
	free(row);
}

const char *
vt_title(const struct vt *v)
{
	return v->title;
}

int
vt_title_sets(const struct vt *v)
{
	return v->title_sets;
}

int
vt_bells(const struct vt *v)
{
	return v->bells;
}

void
vt_cursor(const struct vt *v, int *row, int *col)
{
	if (row != NULL)
		*row = v->cursor.row;
	if (col != NULL)
		*col = v->cursor.col;
}

bool
vt_cursor_visible(const struct vt *v)
{
	return v->cursor_visible;
}

/* A VTermColor as vt.h encodes it: -1 default, 0..255 indexed, 0x1000000 | rgb. */
static int
color_code(const VTermColor *c, bool bg)
{
	if (bg ? VTERM_COLOR_IS_DEFAULT_BG(c) : VTERM_COLOR_IS_DEFAULT_FG(c))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(c))
		return c->indexed.idx;
	return 0x1000000 | (c->rgb.red << 16) | (c->rgb.green << 8) | c->rgb.blue;
}

bool
vt_cell_colors(const struct vt *v, int row, int col, int *fg, int *bg)
{
	VTermScreenCell	cell;
	VTermPos	pos;

	*fg = *bg = -1;
	if (row < 0)
		row += v->rows;
	if (row < 0 || row >= v->rows || col < 0 || col >= v->cols)
		return false;
	pos.row = row;
	pos.col = col;
	if (!vterm_screen_get_cell(v->screen, pos, &cell))
		return false;
	*fg = color_code(&cell.fg, false);
	*bg = color_code(&cell.bg, true);
	return true;
}

/*
 * Count the cells of the box (clipped to the screen) with a non-default
 * background; *distinct (may be NULL) gets how many different ones.
 */
static int
box_scan(const struct vt *v, int row, int col, int rows, int cols, int *distinct)
{
	int	 n = 0, nd = 0, cap = 0;
	int	*seen = NULL;

	if (row < 0)
		row += v->rows;
	for (int r = row < 0 ? 0 : row; r < row + rows && r < v->rows; r++) {
		for (int c = col < 0 ? 0 : col; c < col + cols && c < v->cols; c++) {
			int	fg, bg, i;

			if (!vt_cell_colors(v, r, c, &fg, &bg) || bg < 0)
				continue;
			n++;
			for (i = 0; i < nd && seen[i] != bg; i++)
				;
			if (i < nd)
				continue;
			if (nd == cap) {
				cap = cap ? cap * 2 : 32;
				if ((seen = realloc(seen, (size_t)cap * sizeof *seen)) == NULL)
					abort();
			}
			seen[nd++] = bg;
		}
	}
	free(seen);
	if (distinct != NULL)
		*distinct = nd;
	return n;
}

int
vt_count_bg(const struct vt *v, int row, int col, int rows, int cols)
{
	return box_scan(v, row, col, rows, cols, NULL);
}

int
vt_count_bg_colors(const struct vt *v, int row, int col, int rows, int cols)
{
	int nd;

	box_scan(v, row, col, rows, cols, &nd);
	return nd;
}
