/*
 * media: a gallery (anyone's, as storage lets the user see it), one item,
 * or deleting one of the user's own. On a terminal `media show` also draws
 * the picture, with the same renderer the TUI uses, fitted to the window and
 * in colour when terminfo gives TERM colours (the 256-colour palette when it
 * gives 256), ASCII where the TUI would draw ASCII (common/terminal.h).
 */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/people.h"
#include "cli/postcmd.h"
#include "cli/upload.h"
#include "common/err.h"
#include "common/hub.h"
#include "common/terminal.h"
#include "common/timefmt.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "media/pipeline.h"
#include "media/preview.h"
#include "storage/media.h"

#include <curses.h>
#include <term.h>	/* last: its capability macros are short names */

#define GALLERY_PAGE	100
#define SHOW_MAX_ROWS	40

/* "42  image  jpeg 1024x768  312 KB  2026-11-25  avatar" */
static void
print_media_line(struct cli_ctx *ctx, const struct media *m)
{
	char	date[32], size[32], dur[32] = "";

	time_date(m->created_at, date, sizeof date);
	if (m->state == MEDIA_READY)
		snprintf(size, sizeof size, "%lld KB", (long long)(m->stored_bytes + 1023) / 1024);
	else
		snprintf(size, sizeof size, "%s", media_state_name(m->state));
	if (m->kind == MEDIA_VIDEO)
		snprintf(dur, sizeof dur, " %lld:%02lld", (long long)(m->duration_ms / 60000),
		    (long long)(m->duration_ms / 1000 % 60));
	fprintf(ctx->out, "%-6lld %-5s %-4s %dx%d%s  %s  %s%s%s\n", (long long)m->id,
	    media_kind_name(m->kind), m->stored_format[0] ? m->stored_format : m->format,
	    m->width, m->height, dur, size, date, m->is_avatar ? "  avatar" : "",
	    m->is_background ? "  background" : "");
}

static struct json_object *
media_json(const struct media *m)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "owner", json_object_new_string(m->owner_username));
	json_object_object_add(o, "kind", json_object_new_string(media_kind_name(m->kind)));
	json_object_object_add(o, "state", json_object_new_string(media_state_name(m->state)));
	json_object_object_add(o, "format", json_object_new_string(m->format));
	json_object_object_add(o, "stored_format", m->stored_format[0] ?
	    json_object_new_string(m->stored_format) : NULL);
	json_object_object_add(o, "width", json_object_new_int(m->width));
	json_object_object_add(o, "height", json_object_new_int(m->height));
	json_object_object_add(o, "duration_ms", m->kind == MEDIA_VIDEO ?
	    json_object_new_int64(m->duration_ms) : NULL);
	json_object_object_add(o, "bytes", json_object_new_int64(m->orig_bytes));
	json_object_object_add(o, "stored_bytes", m->state == MEDIA_READY ?
	    json_object_new_int64(m->stored_bytes) : NULL);
	json_object_object_add(o, "avatar", json_object_new_boolean(m->is_avatar));
	json_object_object_add(o, "background", json_object_new_boolean(m->is_background));
	json_object_object_add(o, "error", m->state == MEDIA_FAILED ?
	    json_object_new_string(m->error) : NULL);
	json_object_object_add(o, "created_at", json_time(m->created_at));
	return o;
}

/* A media id as typed: 0 with *idp, or the printed usage error's status. */
static int
media_id(struct cli_ctx *ctx, const char *cmd, const char *arg, int64_t *idp)
{
	char	*end;
	long long v;

	if (arg[0] < '0' || arg[0] > '9' || (v = strtoll(arg, &end, 10)) <= 0 || *end != '\0') {
		char *q = cli_quote(arg);

		cli_fail(ctx, 1, "%s: '%s' is not a media id", cmd, q);
		free(q);
		return 1;
	}
	*idp = v;
	return 0;
}

static int
media_get(struct cli_ctx *ctx, const char *cmd, int64_t id, struct media *m)
{
	int r = store_media_get(ctx->st, ctx->user_id, id, m);

	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "%s: no media %lld (or you cannot see it)", cmd,
		    (long long)id);
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "%s: %s", cmd, err_str(r));
	return 0;
}

/*
 * How many colours the terminal on fd has, as the TUI's has_colors() and
 * COLORS decide from terminfo (vt100 and vt220: none). A TERM that terminfo
 * does not know is taken to have 16 unless it is "dumb".
 */
static int
term_colors(const char *term, int fd)
{
	int	err = 0, n;

	if (term == NULL || strcmp(term, "dumb") == 0)
		return 0;
	if (setupterm(term, fd, &err) != OK)
		return 16;
	n = tigetnum("colors");
	del_curterm(cur_term);
	return n < 8 ? 0 : n;
}

/*
 * The SGR sequence for a cell's colours (preview.h: palette indexes or
 * default). 256-colour grids use 38;5;N and 48;5;N. With 16 colours or more,
 * bright ones are 90-97 and 100-107; with 8 (the Linux console), bright
 * foregrounds are bold and bright backgrounds their base colour, as the TUI
 * draws pictures there (tui/pictures.c).
 */
static void
put_colors(FILE *out, int fg, int bg, int gridcolors, int ncolors)
{
	if (gridcolors == 256) {
		if (fg == CELL_COLOR_DEFAULT)
			fputs("\033[39", out);
		else
			fprintf(out, "\033[38;5;%d", fg);
		if (bg == CELL_COLOR_DEFAULT)
			fputs(";49m", out);
		else
			fprintf(out, ";48;5;%dm", bg);
		return;
	}
	if (ncolors >= 16) {
		fprintf(out, "\033[%d;%dm",
		    fg == CELL_COLOR_DEFAULT ? 39 : (fg < 8 ? 30 + fg : 82 + fg),
		    bg == CELL_COLOR_DEFAULT ? 49 : (bg < 8 ? 40 + bg : 92 + bg));
		return;
	}
	fprintf(out, "\033[0;%s%d;%dm", fg != CELL_COLOR_DEFAULT && fg >= 8 ? "1;" : "",
	    fg == CELL_COLOR_DEFAULT ? 39 : 30 + (fg & 7),
	    bg == CELL_COLOR_DEFAULT ? 49 : 40 + (bg & 7));
}

/* The picture as coloured text, when stdout is a terminal and the preview exists. */
static void
draw_art(struct cli_ctx *ctx, const struct media *m)
{
	struct cellgrid	 g;
	struct winsize	 ws;
	const char	*term = getenv("TERM");
	char		*thumb;
	int		 w, h, cols, rows, maxc = 78, maxr = SHOW_MAX_ROWS, y, x, ncolors;
	bool		 ascii = terminal_ascii_only();
	char		 u[8];

	if (m->state != MEDIA_READY || ctx->data_dir == NULL || !isatty(fileno(ctx->out)))
		return;
	if (ioctl(fileno(ctx->out), TIOCGWINSZ, &ws) == 0) {
		if (ws.ws_col > 2)
			maxc = ws.ws_col - 1;
		/* Room for the description line and the prompt: no row scrolls away. */
		if (ws.ws_row > 3 && ws.ws_row - 2 < maxr)
			maxr = ws.ws_row - 2;
	}
	thumb = media_path(ctx->data_dir, m->owner_id, m->id, MEDIA_FILE_THUMB, MF_JPEG);
	if (media_thumb_size(thumb, &w, &h) != 0) {
		free(thumb);
		return;
	}
	ncolors = term_colors(term, fileno(ctx->out));
	preview_fit(w, h, maxc, maxr, &cols, &rows);
	if (media_render_thumb(thumb, cols, rows, ncolors, ascii, &g) != 0) {
		free(thumb);
		return;
	}
	free(thumb);
	for (y = 0; y < g.rows; y++) {
		int last_fg = -1, last_bg = -1;	/* a colour is sent when it changes, not per cell */

		for (x = 0; x < g.cols; x++) {
			const struct cell *c = &g.v[y * g.cols + x];
			size_t n;

			if (g.colors > 0 && (c->fg != last_fg || c->bg != last_bg)) {
				last_fg = c->fg;
				last_bg = c->bg;
				put_colors(ctx->out, c->fg, c->bg, g.colors, ncolors);
			}
			/* The grid holds printable width-1 code points only (preview.h). */
			n = utf8_encode(c->ch, u);
			fwrite(u, 1, n, ctx->out);
		}
		fputs(g.colors > 0 ? "\033[0m\n" : "\n", ctx->out);
	}
	cellgrid_free(&g);
}

static int
media_show(struct cli_ctx *ctx, int argc, char **argv, bool json)
{
	struct media	m;
	int64_t		id;
	int		status;

	if (argc != 3)
		return cli_fail(ctx, 1, "usage: media show ID [--json]");
	if ((status = media_id(ctx, "media show", argv[2], &id)) != 0 ||
	    (status = media_get(ctx, "media show", id, &m)) != 0)
		return status;
	if (json)
		json_print_line(ctx->out, media_json(&m));
	else {
		draw_art(ctx, &m);
		print_media_line(ctx, &m);
		if (m.state == MEDIA_FAILED)
			fprintf(ctx->out, "failed: %s\n", m.error);
	}
	media_free(&m);
	return 0;
}

static int
media_delete(struct cli_ctx *ctx, int argc, char **argv)
{
	char	*fmt = NULL;
	int64_t	 id;
	int	 status, r;

	if (argc != 3)
		return cli_fail(ctx, 1, "usage: media delete ID");
	if ((status = media_id(ctx, "media delete", argv[2], &id)) != 0)
		return status;
	r = store_media_delete(ctx->st, ctx->user_id, id, &fmt);
	if (r == ERR_NOTFOUND)
		return cli_fail(ctx, 2, "media delete: no media %lld (or you cannot see it)",
		    (long long)id);
	if (r == ERR_DENIED)
		return cli_fail(ctx, 3, "media delete: media %lld is not yours", (long long)id);
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "media delete: %s", err_str(r));
	/* The row is gone, so nobody can be shown the files any more: remove them. */
	if (ctx->data_dir != NULL)
		media_remove_files(ctx->data_dir, ctx->user_id, id,
		    media_format_parse(fmt != NULL ? fmt : ""));
	free(fmt);
	upload_hint(ctx, id);
	cli_hint(ctx, TOPIC_ACCOUNT, ctx->user_id, 0);
	fprintf(ctx->out, "deleted media %lld\n", (long long)id);
	return 0;
}

static int
media_list(struct cli_ctx *ctx, int argc, char **argv, bool json)
{
	struct media_list	 l;
	int64_t			 owner = ctx->user_id;
	size_t			 i;
	char			*q;
	int			 status, r;

	if (argc > 2)
		return cli_fail(ctx, 1, "usage: %s", cmd_media_entry.usage);
	if (argc == 2 && (status = cli_user_resolve(ctx, "media", cli_username_arg(argv[1]),
	    &owner)) != 0)
		return status;
	r = store_media_gallery(ctx->st, ctx->user_id, owner, 0, GALLERY_PAGE, &l);
	if (r == ERR_NOTFOUND) {
		q = cli_quote(argv[1]);
		status = cli_fail(ctx, 2, "media: no user named '%s'", q);
		free(q);
		return status;
	}
	if (r != 0)
		return cli_fail(ctx, err_exit_status(r), "media: %s", err_str(r));
	if (!json && l.n == 0)
		fprintf(ctx->out, "no media%s\n", owner == ctx->user_id ?
		    " yet: scp picture.jpg HOST: or ssh HOST upload < picture.jpg" : "");
	for (i = 0; i < l.n; i++) {
		if (json)
			json_print_line(ctx->out, media_json(&l.v[i]));
		else
			print_media_line(ctx, &l.v[i]);
	}
	media_list_free(&l);
	return 0;
}

static int
cmd_media_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	bool		 json = cli_take_flag(&argc, argv, "--json");
	const char	*stray = cli_stray_flag(argc, argv);
	char		*q;
	int		 status;

	if (stray != NULL) {
		q = cli_quote(stray);
		status = cli_fail(ctx, 1, "media: unknown option '%s' (usage: %s)", q,
		    cmd_media_entry.usage);
		free(q);
		return status;
	}
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return media_show(ctx, argc, argv, json);
	if (argc >= 2 && strcmp(argv[1], "delete") == 0) {
		if (json)
			return cli_fail(ctx, 1, "media delete: --json is for listing");
		return media_delete(ctx, argc, argv);
	}
	return media_list(ctx, argc, argv, json);
}

const struct cmd_entry cmd_media_entry = {
	.name = "media",
	.usage = "media [USER] [--json] | media show ID [--json] | media delete ID",
	.help = "list a media gallery, show one item, or delete one of yours",
	.min_args = 0, .max_args = 2,
	.exec = cmd_media_exec,
};
