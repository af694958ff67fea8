/*
 * Steps many end-to-end tests share, written once against the screen texts
 * of docs/internals.md ("Screen texts the end-to-end tests rely on"). Each
 * returns NULL/false after the harness printed the screen, so a test reads
 * `assert_non_null(t = signup_with_key(...))`.
 */
#ifndef SSHBOOK_E2E_SCENARIO_H
#define SSHBOOK_E2E_SCENARIO_H

#include "tests/e2e/harness.h"

#define TERM_COLS	80
#define TERM_ROWS	24

/* Texts from docs/internals.md. */
#define TXT_SIGNUP	"Sign up for sshbook"
#define TXT_HOME	"Welcome to sshbook"
#define TXT_QUIT	"Quit sshbook? (y/n)"
#define TXT_TOO_SMALL	"window too small"
#define TXT_SOON	"coming soon"

/* Replace the focused text field's content: Ctrl-U (kill to start), Ctrl-K, then text. */
void		 field_fill(struct term *, const char *text);

/*
 * On the sign-up form (focus on Display name): set the display name (NULL
 * keeps the prefilled one) and, when password is not NULL, the optional
 * password in both fields; press Enter.
 */
void		 signup_form_submit(struct term *, const char *display_name, const char *password);

/*
 * Log in with key as the free name user, check the sign-up screen, submit
 * the form, and wait for Home. Returns the terminal on Home, or NULL.
 */
struct term	*signup_with_key(struct server *, const char *user, ssh_key key,
		    const char *display_name, const char *password);
/* The same through keyboard-interactive: choose password twice, then the form. */
struct term	*signup_with_password(struct server *, const char *user, const char *password,
		    const char *display_name);

/* Sign up and leave again (q, y): true when all of it worked. */
bool		 make_user_with_key(struct server *, const char *user, ssh_key key,
		    const char *password);
bool		 make_user_with_password(struct server *, const char *user, const char *password);

/* q, y on a tab: true when the session ended with exit status 0. Closes t either way. */
bool		 term_quit(struct term *);

/* Whether credentials log user straight into Home (not sign-up); closes the session. */
bool		 logs_into_home(struct server *, const char *user, const struct cred *);

/*
 * `whoami --json` as user: the display_name field (caller frees), or NULL
 * when the command failed (its stderr printed).
 */
char		*whoami_display_name(struct server *, const char *user, const struct cred *);

/* Whether exec `whoami` as user (with the given credentials) is refused as an unknown user. */
bool		 exec_refused_as_unknown(struct server *, const char *user, const struct cred *);

/*
 * The status line's unread-notifications badge (" notif N "): wait until it
 * reads n, or print the screen and return false.
 */
bool		 term_wait_badge(struct term *, int n);
/* Whether the badge reads n right now (after taking what arrived). */
bool		 term_badge_is(struct term *, int n);

/*
 * The status line's unread-messages count (" msg N "): wait until it reads n,
 * or print the screen and return false.
 */
bool		 term_wait_msg_count(struct term *, int n);
/* Whether the count reads n right now (after taking what arrived). */
bool		 term_msg_count_is(struct term *, int n);

/*
 * Several commands over one connection: exec cmdlines[0..n) one after another,
 * each on its own session channel of the same authenticated connection (no
 * key exchange per command: seeding hundreds of messages stays fast), stdin
 * closed at once. Returns how many exited 0; stops at the first that did not
 * (its command, status and stderr printed).
 */
int		 exec_batch(struct server *, const char *user, const struct cred *,
		    char *const *cmdlines, int n);

/*
 * Run cmdline as user over exec and check its exit status is want; on a
 * mismatch print the command, its stdout and stderr. The result is left in
 * *res (the caller frees it) when res is not NULL.
 */
bool		 exec_expect(struct server *, const char *user, const struct cred *,
		    const char *cmdline, int want, struct exec_result *res);

/* Number of '\n' in s. */
int		 count_lines(const char *s);

/* ---- one server per test binary ---------------------------------------------- */

/* The server the tests of a binary share, started by e2e_group_setup. */
extern struct server	*e2e_srv;
/* Extra configuration lines for e2e_group_setup; a test binary may set it in main (NULL: none). */
extern const char	*e2e_server_config;
/* cmocka group setup: start sshbookd with the harness defaults and e2e_server_config. */
int		 e2e_group_setup(void **state);
/* cmocka group teardown: stop it; fails when it did not stop cleanly. */
int		 e2e_group_teardown(void **state);
/* cmocka per-test teardown: close what the test left open (harness_cleanup). */
int		 e2e_teardown(void **state);

/* ---- posts (issue 4) ------------------------------------------------------------ */

/* Texts of the post screens (tui/screen_compose.c, tui/postview.c, tui/feed.c). */
#define TXT_NEW_POST	"New post"
#define TXT_PREVIEW	"Preview"
#define TXT_MORE	"\u2026 more: Enter opens the post"
#define TXT_SEL_BAR	"\u258c"	/* ▌: every row of the selected post starts with it */

/*
 * `post [--visibility V]` as user with text on standard input (any bytes):
 * the new post's id, or -1 after printing the command's status and stderr.
 */
long long	 exec_post(struct server *, const char *user, const struct cred *,
		    const char *visibility, const char *text);
/*
 * `feed ARGS --json` as user (args such as "home --limit 20" or "foryou"):
 * the post ids of the page in order into ids (at most max). Returns how many,
 * or -1 after printing why.
 */
int		 exec_feed_ids(struct server *, const char *user, const struct cred *,
		    const char *args, long long *ids, int max);
/*
 * From any screen where `n` opens the composer: n, type text (each '\n'
 * pressed as Enter), Ctrl-S, and wait for the status line's "posted".
 */
bool		 compose_post(struct term *, const char *text);
/* Wait until the row holding text is drawn as part of the selected post (TXT_SEL_BAR first). */
bool		 term_wait_selected(struct term *, const char *text);
/*
 * From anywhere search opens from: `/`, the username typed until its row is
 * the first hit, Enter: wait for the profile ("Joined" and display).
 */
bool		 term_open_profile(struct term *, const char *username, const char *display);

/* ---- media (issue 6) -------------------------------------------------------------- */

struct json_object;

/*
 * OpenSSH's `scp LOCAL user@127.0.0.1:[REMOTE]` as user with key (remote
 * NULL: the local file's name). 0 when scp ran to its end (res has its exit
 * status and stderr), -1 when it did not (printed). The caller frees res.
 */
int		 scp_put(struct server *, const char *user, ssh_key, const char *local,
		    const char *remote, struct exec_result *res);
/* OpenSSH's `sftp -b -` as user with key, batch (commands, one a line) on stdin. Same contract. */
int		 sftp_batch(struct server *, const char *user, ssh_key, const char *batch,
		    struct exec_result *res);
/*
 * The media id in an upload's line on scp's stderr, "NAME: media ID (...)";
 * -1 when there is no such line for name.
 */
long long	 scp_media_id(const char *err, const char *name);
/*
 * `upload ARGS` ("avatar", "post --visibility friends TEXT", "" for the
 * gallery) as user with data on stdin: the media id on the first line of
 * stdout, and into *postp (when not NULL) the N of a second line "post N"
 * (0 when there is none). -1 after printing the status, stdout and stderr.
 */
long long	 exec_upload(struct server *, const char *user, const struct cred *,
		    const char *args, const void *data, size_t n, long long *postp);
/* `media show ID --json` as user: the object (caller puts it), or NULL after printing why. */
struct json_object *media_show(struct server *, const char *user, const struct cred *,
		    long long id);
/*
 * Ask `media show ID --json` as user again and again until its "state" is
 * want ("ready", "failed"), at most ms (<= 0: the harness deadline): the
 * object (caller puts it), or NULL after printing the last answer.
 */
struct json_object *media_wait_state(struct server *, const char *user, const struct cred *,
		    long long id, const char *want, int ms);
/*
 * `media [OWNER] --json` as user (owner NULL: one's own gallery): the ids
 * listed, in order, into ids (at most max); how many, or -1 after printing why.
 */
int		 media_ids(struct server *, const char *user, const struct cred *,
		    const char *owner, long long *ids, int max);
/* Regular files under DATA_DIR/spool (uploads waiting for the worker, or left behind). */
int		 spool_files(const struct server *);
/* Regular files under DATA_DIR/media. */
int		 media_files(const struct server *);
/*
 * DATA_DIR/media/<id>.<ext> for whichever stored copy exists (jpg, png, mp4,
 * webm), NULL when none does; caller frees.
 */
char		*media_stored_path(const struct server *, long long id);
/* The string field key of o ("" when absent or not a string). */
const char	*json_str(struct json_object *o, const char *key);
/* The integer field key of o (-1 when absent or not an integer). */
long long	 json_int(struct json_object *o, const char *key);

#endif
