/*
 * One post on screen, the same way in every feed, timeline, search result and
 * the post screen: a header (author, time, visibility, edited), the markdown
 * body (capped in lists, whole on the post screen), a share's note with the
 * shared post framed beneath it (or why it cannot be shown), and a line of
 * counts. The rendered markdown is cached per width, so scrolling does not
 * re-render.
 */
#ifndef SSHBOOK_POSTVIEW_H
#define SSHBOOK_POSTVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "media/markdown.h"
#include "storage/posts.h"

struct app;

struct post_item {
	struct post	post;		/* owned */
	struct md_doc	body;		/* post.text rendered at width */
	struct md_doc	orig_body;	/* post.original->text, for shares */
	int		width;		/* 0: not rendered yet */
	bool		stale;		/* storage may have changed it: re-read before it is shown */
	bool		opened;		/* on its own screen: the header has the full date and time */
};

/* Take ownership of p's contents (p is cleared). */
void	post_item_init(struct post_item *, struct post *p);
void	post_item_free(struct post_item *);

/* Body lines shown in lists before "… more"; the post screen shows all. */
#define POST_LIST_BODY_ROWS	8

/*
 * Rows the item takes at width w with at most max_body body rows per body
 * (0: no cap), including one blank separator row after it.
 */
int	post_item_height(struct post_item *, int w, int max_body);
/*
 * Draw the item at (y, x), w columns, skipping its first `skip` rows and
 * drawing at most max_rows; selected items get a marker bar. The author's
 * avatar sits beside the first rows, pictures come in a strip under the
 * text (tui/pictures.h). Returns the rows drawn.
 */
int	post_item_draw(struct post_item *, struct app *, int y, int x, int w, int skip,
	    int max_rows, int max_body, bool selected);

/* "👍 3" or "+1 3" for a reaction kind. */
const char	*reaction_label(enum reaction, bool ascii);

#endif
