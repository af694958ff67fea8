/*
 * Screens are tables of functions and keys are data: the app loop looks a key
 * up in the active screen's table, runs the action, and the help screen is
 * generated from the same tables so it cannot drift.
 */
#ifndef SSHBOOK_SCREEN_H
#define SSHBOOK_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/draw.h"

struct app;
struct hub_msg;

/*
 * One key: a Unicode code point as typed, or an ncurses KEY_* code marked
 * with TK() so the two ranges never collide (KEY_* overlap U+0100..U+01FF).
 */
#define TK_FLAG		0x200000
#define TK(k)		((k) | TK_FLAG)
#define CTRL_KEY(c)	((c) & 0x1f)

/* What an action or input handler asks of the loop. */
enum tui_result {
	TUI_NONE = 0,
	TUI_REDRAW = 1,
	TUI_UNHANDLED = 2,	/* from input(): let the key tables have it */
};

enum action {
	ACT_NONE = 0,
	ACT_NEXT,
	ACT_PREV,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_OPEN,
	ACT_EDIT,
	ACT_PASSWORD,
	ACT_KEY_ADD,
	ACT_KEY_REMOVE,
	ACT_DELETE_ACCOUNT,
	ACT_RELOAD,
	ACT_FRIEND,		/* request / accept / remove, whichever fits */
	ACT_DECLINE,
	ACT_CANCEL,
	ACT_BLOCK,		/* block or unblock */
	ACT_MESSAGE,
	ACT_FRIENDS_OF,		/* open a user's friends list */
	ACT_FILTER,
	ACT_MARK_READ,
	ACT_MARK_ALL_READ,
	ACT_DELETE,
	ACT_DELETE_ALL,
	ACT_PROFILE,		/* open the selected user's profile */
	ACT_LIKE,
	ACT_REACT,
	ACT_COMMENT,
	ACT_SHARE,
	ACT_VISIBILITY,
	ACT_REACTORS,
	ACT_AUTHOR,
	ACT_COMPOSE,
	ACT_INFO,
	ACT_VIEW,		/* a post's pictures, full screen */
	ACT_MEDIA,		/* a user's media gallery */
};

/*
 * When a binding applies: every bit of key_binding.when must be among the
 * bits the screen's when() returns (with the app's W_TAB or W_OPENED). The
 * hints and the help list only the bindings that apply, so they cannot
 * offer a key that does nothing here.
 */
enum key_when {
	W_KEYS		= 1 << 0,	/* keys are commands (no text field takes them) */
	W_TYPING	= 1 << 1,	/* a text field takes the keys */
	W_OWN		= 1 << 2,	/* the selected item (or the profile) is the user's own */
	W_OTHERS	= 1 << 3,	/* the selected item is someone else's (not blocked) */
	W_POST		= 1 << 4,	/* a post is selected */
	W_COMMENT	= 1 << 5,	/* a comment is selected */
	W_REQUEST	= 1 << 6,	/* a request to me (message or friend request) */
	W_NOREQUEST	= 1 << 7,	/* a chat that is not a request */
	W_SENT		= 1 << 8,	/* a friend request I sent */
	W_FRIEND	= 1 << 9,	/* we are friends */
	W_STRANGER	= 1 << 10,	/* not friends, no request either way */
	W_BLOCKED	= 1 << 11,	/* I blocked them */
	W_PICTURES	= 1 << 12,	/* the selected post has pictures */
	W_SHARE		= 1 << 13,	/* the selected post is a share */
	W_CAN_DELETE	= 1 << 14,	/* the selected comment is mine to delete */
	W_ITEM		= 1 << 15,	/* a row of a list is selected */
	W_TAB		= 1 << 16,	/* set by the app: the screen is a tab */
	W_OPENED	= 1 << 17,	/* set by the app: opened on top of another */
	W_PICKING	= 1 << 18,	/* the gallery picks pictures for a post */
	W_ONELINE	= 1 << 19,	/* the focused field is one line */
	W_MULTILINE	= 1 << 20,	/* the focused field is a multi-line editor */
	W_CHOICE	= 1 << 21,	/* the focused field is a choice of a few values */
};

/* The keys of a post, wherever one is selected (feeds, timelines). */
#define POST_BINDINGS							\
	{ '\n',	ACT_OPEN,	"open it, with comments", "open", W_POST },	\
	{ 'l',	ACT_LIKE,	"like or unlike", "like", W_POST },		\
	{ 'c',	ACT_COMMENT,	"comments / add one", "comment", W_POST },	\
	{ 'r',	ACT_REACT,	"react (pick one)", "react", W_POST },		\
	{ 's',	ACT_SHARE,	"share (with a note)", "share", W_POST },	\
	{ 'e',	ACT_EDIT,	"edit your post", "edit", W_POST | W_OWN },	\
	{ 'd',	ACT_DELETE,	"delete your post (asks)", "delete", W_POST | W_OWN }, \
	{ 'v',	ACT_VIEW,	"its pictures, full screen", "pictures",	\
	    W_POST | W_PICTURES },					\
	{ 'w',	ACT_REACTORS,	"who reacted", NULL, W_POST },			\
	{ 'V',	ACT_VISIBILITY,	"who can see your post", NULL, W_POST | W_OWN }, \
	{ 'p',	ACT_AUTHOR,	"the author's profile", "profile", W_POST }

/* The movement keys every list shares; put NAV_BINDINGS first in a screen's table. */
#define NAV_BINDINGS							\
	{ 'j',		 ACT_NEXT,	"next", NULL, 0 },		\
	{ TK(KEY_DOWN),	 ACT_NEXT,	NULL, NULL, 0 },		\
	{ 'k',		 ACT_PREV,	"previous", NULL, 0 },		\
	{ TK(KEY_UP),	 ACT_PREV,	NULL, NULL, 0 },		\
	{ TK(KEY_NPAGE), ACT_PAGE_DOWN,	"page down", NULL, 0 },		\
	{ TK(KEY_PPAGE), ACT_PAGE_UP,	"page up", NULL, 0 },		\
	{ 'g',		 ACT_TOP,	"top", NULL, 0 },		\
	{ 'G',		 ACT_BOTTOM,	"bottom", NULL, 0 }

struct key_binding {
	int		 key;	/* code point or TK(KEY_*); 0 ends the table */
	int		 action;
	const char	*help;	/* NULL: an alias, left out of the help screen */
	/*
	 * The hint row's word for it ("like": "l like"), NULL: not a hint. Hints
	 * are taken in table order while they fit. One starting with '/' follows
	 * the key's name directly ("/k pick": "j/k pick").
	 */
	const char	*hint;
	unsigned	 when;	/* enum key_when bits that must hold; 0: always */
};

struct screen_ops {
	const char			*name;
	const struct key_binding	*keys;
	/*
	 * Build the screen's state (load its data). arg is NULL for tabs, or what
	 * app_open passed (a username ...), valid only during the call.
	 */
	void	*(*enter)(struct app *, const char *arg);
	/* Free the state. */
	void	 (*leave)(struct app *, void *);
	/* Draw into area, through tui/draw.h only. */
	void	 (*draw)(struct app *, void *, const struct rect *area);
	/* Run an action from the key table; returns enum tui_result. Optional without keys. */
	int	 (*action)(struct app *, void *, int action);
	/*
	 * Optional: see every key first (forms typing text). Returns TUI_UNHANDLED
	 * to pass it on to the global keys and the table.
	 */
	int	 (*input)(struct app *, void *, int key);
	/*
	 * Optional: text the user pasted (bracketed paste), whole, for the
	 * focused text field, to insert as text (lineedit_insert_text,
	 * textedit_insert_text): a paste never runs as keys. Screens with no
	 * field taking text leave it NULL and the paste is dropped. Returns
	 * enum tui_result.
	 */
	int	 (*paste)(struct app *, void *, const char *text);
	/* Optional: something changed (a hub hint, or another process committed). */
	void	 (*refresh)(struct app *, void *, const struct hub_msg *);
	/* Optional: the deadline the screen set with app_timer has come. */
	void	 (*timer)(struct app *, void *);
	/*
	 * Optional: the enum key_when bits that hold now (what is selected,
	 * whether a field takes the keys). Without it: W_KEYS.
	 */
	unsigned (*when)(struct app *, void *);
};

/* Screens opened on top of others (app_open), with the argument they take. */
extern const struct screen_ops screen_user_ops;		/* someone's profile: a username */
extern const struct screen_ops screen_friends_of_ops;	/* someone's friends: a username */
extern const struct screen_ops screen_search_ops;	/* search: an initial query or NULL */
extern const struct screen_ops screen_profile_edit_ops;	/* edit my profile */
extern const struct screen_ops screen_chat_ops;		/* a chat: the other's username */
extern const struct screen_ops screen_post_ops;		/* a post and its comments: "ID", or
							   "ID:COMMENT" to open at that comment */
extern const struct screen_ops screen_compose_ops;	/* new post (NULL), "edit:ID" or "media:ID" */
extern const struct screen_ops screen_gallery_ops;	/* a media gallery: a username, NULL (mine) or "pick" */
extern const struct screen_ops screen_viewer_ops;	/* pictures full screen: "post:ID" or "media:ID" */

/* The tabs, in the order of keys 1..9. */
extern const struct screen_ops screen_home_ops;
extern const struct screen_ops screen_foryou_ops;
extern const struct screen_ops screen_messages_ops;
extern const struct screen_ops screen_notifications_ops;
extern const struct screen_ops screen_friends_ops;
extern const struct screen_ops screen_groups_ops;
extern const struct screen_ops screen_events_ops;
extern const struct screen_ops screen_profile_ops;
extern const struct screen_ops screen_settings_ops;
/* Not a tab: the sign-up form. */
extern const struct screen_ops screen_signup_ops;

/* A key's name for the help screen: "j", "Enter", "Down", "PgUp", "Ctrl-U". */
const char	*binding_key_name(int key, char *out, unsigned outsz);

#endif
