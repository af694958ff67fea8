/*
 * A feed: a scrolling list of posts of different heights with a selection,
 * shared by Home, For You, profile timelines and post search. Pages load
 * through a loader function as the selection nears the end (keyset cursors);
 * a refresh updates what is shown and counts what is new above without
 * moving the selection ("N new").
 */
#ifndef SSHBOOK_FEED_H
#define SSHBOOK_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "storage/posts.h"
#include "tui/draw.h"
#include "tui/postview.h"

struct app;

/* Load one page after `after` (NULL: the first) into *out; 0 or an ERR_*. */
typedef int (*feed_load_fn)(struct app *, void *arg, const struct post_cursor *after,
	    size_t limit, struct post_page *out);

struct feed {
	struct post_item	*items;
	size_t			 n, cap;
	struct post_cursor	 next;		/* cursor of the next page */
	bool			 loaded;	/* the first page was asked for */
	size_t			 sel;		/* selected item */
	size_t			 top;		/* first item on screen */
	int			 top_skip;	/* rows of it scrolled away (a tall selected post) */
	size_t			 fresh;		/* newer posts not shown yet */
	bool			 fresh_more;	/* ... and maybe more: a whole page of them was newer */
	feed_load_fn		 load;
	void			*arg;
	int			 height, width;	/* of the last draw */
};

void	feed_init(struct feed *, feed_load_fn, void *arg);
void	feed_free(struct feed *);
/* Drop everything and load the first page (the selection goes to the top). */
void	feed_reload(struct feed *, struct app *);
/* Movement: ACT_NEXT / ACT_PREV / ACT_PAGE_* / ACT_TOP / ACT_BOTTOM. True when handled. */
bool	feed_nav(struct feed *, struct app *, int action);
/* The selected post, or NULL when the feed is empty. */
struct post_item *feed_selected(struct feed *);
/*
 * Something changed: re-read the posts shown (counts, edits; deleted ones
 * go) and count newer posts above as fresh, without moving the selection.
 */
void	feed_refresh(struct feed *, struct app *);
/*
 * The keys of a feed: movement, R (show new posts) and every post action on
 * the selected post (tui/post_actions.h). Returns TUI_REDRAW when handled,
 * TUI_NONE otherwise.
 */
int	feed_action(struct feed *, struct app *, int action);
/* The enum key_when bits of the selected post (0 when there is none). */
unsigned	feed_when(struct feed *, struct app *);
/* Draw inside r; "N new" shows on the first row when there are fresh posts. */
void	feed_draw(struct feed *, struct app *, const struct rect *r);

#endif
