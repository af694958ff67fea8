/*
 * vt: a real terminal emulator (libvterm) for the end-to-end tests. Bytes the
 * server sends go in with vt_feed; what a terminal would send back (keys, and
 * answers to terminal queries) collects in an output queue that the caller
 * drains with vt_take_output and writes to the SSH channel.
 *
 * Reading the screen: rows are UTF-8, trailing blanks trimmed; the second cell
 * of a wide character is skipped, so "日本" reads back as "日本".
 */
#ifndef SSHBOOK_E2E_VT_H
#define SSHBOOK_E2E_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <vterm.h>

struct vt;

/* A terminal of cols x rows in UTF-8 mode with the alternate screen enabled. Never NULL. */
struct vt	*vt_new(int cols, int rows);
void		 vt_free(struct vt *);

/* Bytes from the application: parsed into the screen and also kept raw (vt_raw). */
void		 vt_feed(struct vt *, const char *bytes, size_t len);
/* Everything fed so far, NUL-terminated (may contain NULs itself; see *lenp). */
const char	*vt_raw(const struct vt *, size_t *lenp);
bool		 vt_raw_contains(const struct vt *, const char *bytes, size_t len);

/* Key presses as this terminal encodes them (DECCKM, keypad mode, modifiers). */
void		 vt_key(struct vt *, VTermKey, VTermModifier);
void		 vt_unichar(struct vt *, unsigned int cp, VTermModifier);
/*
 * Move the queued terminal output (encoded keys, query replies) into buf;
 * returns the number of bytes moved (0 when the queue is empty).
 */
size_t		 vt_take_output(struct vt *, char *buf, size_t bufsz);

void		 vt_resize(struct vt *, int cols, int rows);
void		 vt_size(const struct vt *, int *cols, int *rows);

/* Row `row` (0-based; negative counts from the bottom, -1 the last row) as UTF-8 into buf. */
void		 vt_row(const struct vt *, int row, char *buf, size_t bufsz);
/* The whole screen, rows joined with '\n'; caller frees. */
char		*vt_text(const struct vt *);
/* The first row containing text, or -1. */
int		 vt_find(const struct vt *, const char *text);
bool		 vt_contains(const struct vt *, const char *text);
/* Print the screen with a ruler and row numbers. */
void		 vt_dump(const struct vt *, FILE *);

/*
 * Cell colours, for pictures drawn with libcaca (foreground and background
 * colours on every cell). A colour reads as -1 for the terminal's default,
 * 0..255 for an indexed colour, or 0x1000000 | 0xRRGGBB for a direct one.
 * Reverse video is reported as set, not applied: a reversed cell on default
 * colours still reads bg -1. Outside the screen both read -1 and the
 * function returns false.
 */
bool		 vt_cell_colors(const struct vt *, int row, int col, int *fg, int *bg);
/*
 * In the box of rows x cols cells whose top-left is (row, col) (row negative:
 * from the bottom; the box is clipped to the screen): how many cells have a
 * background colour other than the default.
 */
int		 vt_count_bg(const struct vt *, int row, int col, int rows, int cols);
/* In the same box: how many different non-default background colours there are. */
int		 vt_count_bg_colors(const struct vt *, int row, int col, int rows, int cols);

/* The window title as last set by OSC 0/2 (NULL if never), and how many times it was set. */
const char	*vt_title(const struct vt *);
int		 vt_title_sets(const struct vt *);
/* Bells rung so far. */
int		 vt_bells(const struct vt *);
/* Cursor position (0-based). */
void		 vt_cursor(const struct vt *, int *row, int *col);
/* Whether the application left the cursor shown (DECTCEM, CSI ? 25 h / l). */
bool		 vt_cursor_visible(const struct vt *);
/*
 * The start and the end of a paste as this terminal sends them: CSI 200 ~ and
 * CSI 201 ~ only while the application enabled bracketed paste (CSI ? 2004 h),
 * nothing otherwise, like xterm.
 */
void		 vt_paste_begin(struct vt *);
void		 vt_paste_end(struct vt *);

#endif
