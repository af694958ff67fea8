/*
 * The end-to-end harness: a real sshbookd on a free loopback port with a
 * temporary data dir, a libssh client, and a real terminal emulator (vt.h).
 *
 * Every wait is on a condition with a deadline (harness_timeout_ms(): 10 s,
 * 30 s under ASan, or $SSHBOOK_TEST_TIMEOUT_MS); a wait that times out prints
 * the screen and the tail of the server log to stderr and returns false, so a
 * test reads `assert_true(term_wait_text(t, "Welcome to sshbook", 0))`.
 *
 * Outside ASan builds sshbookd runs under RLIMIT_AS = 8 GiB (inherited by
 * its sessions), so a runaway allocation fails instead of exhausting a
 * shared machine; server_kill_fat is the guard that works under ASan too.
 *
 * Environment: SSHBOOK_BUILD (where sshbookd and sshbook are; default
 * "build"), SSHBOOK_KEEP_TMP (keep the temporary dirs), SSHBOOK_E2E_VERBOSE
 * (print every server log at stop), SSHBOOK_TEST_TIMEOUT_MS; the test mains
 * also read SSHBOOK_E2E_FILTER (a cmocka name pattern such as "resize*").
 */
#ifndef SSHBOOK_E2E_HARNESS_H
#define SSHBOOK_E2E_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <libssh/libssh.h>

#include "tests/e2e/vt.h"

/* ---- timing ------------------------------------------------------------ */

/* The default deadline of a wait, in milliseconds. Waits take ms <= 0 to mean this. */
int	harness_timeout_ms(void);
/* Monotonic milliseconds. */
long long harness_now_ms(void);
/* Monotonic microseconds (the same clock), for latency measurements. */
long long harness_now_us(void);

/* ---- the server --------------------------------------------------------- */

struct server {
	pid_t	 pid;		/* sshbookd, or 0 when not running */
	int	 port;
	char	*tmp;		/* the temporary dir: config, log, data/ */
	char	*data_dir;	/* tmp/data */
	char	*conf;		/* tmp/sshbookd.conf */
	char	*log;		/* tmp/sshbookd.log (stdout and stderr of sshbookd) */
	char	*bin;		/* absolute path of sshbookd */
	char	*extra;		/* the extra config lines, or NULL */
	int	 starts;
};

/*
 * Make a temporary dir, write a config (port, data dir, open registration,
 * generous limits, then extra_config_lines if not NULL), spawn
 * `$SSHBOOK_BUILD/sshbookd -c CONF` with its output in the log, and wait
 * until the port accepts connections. 0 or -1 (after printing why and the log).
 */
int	server_start(struct server **out, const char *extra_config_lines);
/*
 * SIGTERM, wait (SIGKILL after the deadline), reap stray session processes,
 * remove the dir unless SSHBOOK_KEEP_TMP. Returns 0 when the server exited
 * with status 0 by itself, left no process behind and its log shows no
 * sanitizer report; otherwise prints the log and returns -1. Frees srv.
 */
int	server_stop(struct server *);
/* SIGKILL sshbookd now and reap it (its session processes live on until their clients go). */
int	server_kill9(struct server *);
/* Start sshbookd again on the same data dir (a new port if the old one is taken). 0 or -1. */
int	server_restart(struct server *);
/*
 * Stop sshbookd with SIGTERM as server_stop does (the same checks: exit
 * status 0, no process left behind), but keep the data dir and srv, for a
 * server_restart. 0 or -1 (after printing the log).
 */
int	server_term(struct server *);
/*
 * Replace the extra config lines (NULL: none) for the next server_restart:
 * a restart with other settings on the same data ("worker = 0" then on).
 */
void	server_set_extra(struct server *, const char *extra_config_lines);
bool	server_alive(struct server *);
/* Print the log (the last `lines` lines; 0 for all) to fp. */
void	server_print_log(const struct server *, FILE *, int lines);
/* Whether the log contains text. */
bool	server_log_contains(const struct server *, const char *text);
/* Whether the apps' log (DATA_DIR/sshbook-app.log: sessions, commands, the worker) contains text. */
bool	server_app_log_contains(const struct server *, const char *text);
/*
 * The processes of sshbookd's sessions (session children and their apps), up
 * to max pids into pids (may be NULL); returns how many there are. The
 * background worker (one per server, always running) and what it runs are
 * not counted.
 */
int	server_descendants(const struct server *, pid_t *pids, int max);
/* The background worker's pid (a child whose command line holds --worker), or 0. */
pid_t	server_worker_pid(const struct server *);
/* Wait until sshbookd's sessions have at most n processes. */
bool	server_wait_descendants(const struct server *, int n, int ms);
/*
 * SIGKILL every descendant of sshbookd whose resident memory exceeds max_mb
 * (a guard for tests that could make a session allocate without bound);
 * returns how many were killed, after printing which.
 */
int	server_kill_fat(const struct server *, long max_mb);
/*
 * CPU time (user + system, in ms) used so far by the live processes under
 * sshbookd (sessions, apps, the worker), and by sshbookd itself when
 * listener_too: what a test or benchmark charges to the server.
 */
double	server_cpu_ms(const struct server *, bool listener_too);

/* A fresh valid username per call: prefix + a counter ("alice3"). Static storage (a ring of 64). */
const char *fresh_user(const char *prefix);

/* ---- keys ---------------------------------------------------------------- */

/*
 * Keys and the strings made from them belong to the harness and stay valid
 * until harness_cleanup() (so a failed assertion leaks nothing).
 */
/* A new ed25519 key pair. Never NULL. */
ssh_key		 key_new(void);
/* "ssh-ed25519 AAAA... comment" (comment may be NULL). */
const char	*key_line(ssh_key, const char *comment);
/* The OpenSSH fingerprint "SHA256:..." computed by libssh from the key blob. */
const char	*harness_key_fingerprint(ssh_key);

/* ---- credentials ---------------------------------------------------------- */

enum cred_kind {
	CRED_NONE,	/* the "none" method only */
	CRED_KEY,	/* publickey */
	CRED_PASSWORD,	/* password */
	CRED_KBDINT,	/* keyboard-interactive, answers given in order */
};

#define CRED_MAX_ANSWERS	8

struct cred {
	enum cred_kind	 kind;
	ssh_key		 key;
	const char	*password;
	const char	*answers[CRED_MAX_ANSWERS];
};

struct cred	cred_key(ssh_key);
struct cred	cred_password(const char *);
/* Keyboard-interactive: the answers to the prompts, in order, NULL-terminated. Missing answers are "". */
struct cred	cred_kbdint(const char *first, ...);

/* ---- an SSH connection --------------------------------------------------- */

#define CONN_MAX_PROMPTS	16

struct conn {
	ssh_session	 s;
	int		 auth_rc;	/* SSH_AUTH_* of the attempt */
	/* keyboard-interactive prompts seen, in order, across all rounds */
	char		*prompts[CONN_MAX_PROMPTS];
	bool		 echo[CONN_MAX_PROMPTS];
	int		 nprompts;
	int		 rounds;	/* INFO_REQUEST messages seen */
};

enum {
	CONN_OK = 0,		/* connected and authenticated */
	CONN_DENIED = 1,	/* connected, authentication failed (*out is set) */
	CONN_ERROR = -1,	/* could not connect, or a protocol error (*out is set when connected) */
};

/* Connect as user and authenticate. Returns CONN_*; *out is NULL only when the TCP/SSH connect failed. */
int	conn_open(struct server *, const char *user, const struct cred *, struct conn **out);
/* Whether the prompts seen include one containing text. */
bool	conn_saw_prompt(const struct conn *, const char *text);
void	conn_close(struct conn *);

/* ---- a terminal: shell channel with a pty, output into a vt --------------- */

struct term {
	struct server	*srv;
	struct conn	*c;
	ssh_channel	 ch;
	struct vt	*vt;
	char		 user[64];
	bool		 eof;		/* the channel reached EOF or closed */
	bool		 sanitizer;	/* a sanitizer report appeared on the screen */
	struct term	*next;		/* registry, for harness_cleanup */
};

/*
 * Connect, authenticate, open a session channel with pty-req
 * (xterm-256color, cols x rows) and shell. NULL on failure, with the reason
 * printed (the conn's prompts are lost then: use term_start for those tests).
 */
struct term	*term_open(struct server *, const char *user, const struct cred *,
		    int cols, int rows);
/* The same with another TERM in the pty-req ("linux", "vt100": the ASCII fallbacks). */
struct term	*term_open_type(struct server *, const char *user, const struct cred *,
		    const char *type, int cols, int rows);
/* The same over an authenticated connection; takes ownership of c (freed on failure too). */
struct term	*term_start(struct server *, struct conn *, int cols, int rows);
/*
 * A pty request of any size (0x0, 100000x100000) with an emulator of
 * cols x rows: for tests of what the server does with absurd sizes.
 */
struct term	*term_start_pty(struct server *, struct conn *, unsigned pty_cols,
		    unsigned pty_rows, int cols, int rows);
/*
 * `ssh -t host CMDLINE` from a terminal whose TERM is type: log in as user,
 * open a session channel with pty-req (type, cols x rows), send an exec request for
 * cmdline (stdin stays open and empty, as at a terminal left alone), and feed
 * everything the server writes into an emulator of cols x rows until the
 * channel closes, waiting at most the harness deadline. *status gets the
 * exit status (-1 if none came).
 *
 * Returns the finished term (t->eof set) for reading the screen and its
 * colours (term_row, term_find, term_count_bg, vt_cell_colors on t->vt,
 * vt_raw for the bytes). The caller owns it and frees it with term_close;
 * after a failed assertion harness_cleanup does. NULL when the login or a
 * channel request failed or the channel did not close in time, after
 * printing why (and the screen); nothing is left to free then.
 */
struct term	*term_exec(struct server *, const char *user, const struct cred *,
		    const char *type, int cols, int rows, const char *cmdline, int *status);
void		 term_close(struct term *);
/* Drop the connection abruptly: shut the socket down, no SSH disconnect, then free. */
void		 term_drop(struct term *);

/* Read what arrived within ms (0: only what is there) into the terminal. -1 once at EOF. */
int		 term_pump(struct term *, int ms);
bool		 term_wait_text(struct term *, const char *text, int ms);
bool		 term_wait_gone(struct term *, const char *text, int ms);
/* Wait until row (negative: from the bottom) contains text. */
bool		 term_wait_row(struct term *, int row, const char *text, int ms);
/* Wait until row no longer contains text. */
bool		 term_wait_row_gone(struct term *, int row, const char *text, int ms);
/* Wait until no output arrives for quiet_ms (at most ms). */
bool		 term_wait_quiet(struct term *, int quiet_ms, int ms);
/* Wait for the channel to close; *status is the exit status or -1 if none came. */
bool		 term_wait_closed(struct term *, int ms, int *status);
bool		 term_has_text(struct term *, const char *text);
/* Row as UTF-8 (negative: from the bottom). */
void		 term_row(struct term *, int row, char *buf, size_t bufsz);
/* First row containing text, or -1. */
int		 term_find(struct term *, const char *text);
void		 term_screen_dump(struct term *, FILE *);

/*
 * Colours (pictures are drawn with foreground and background colours on
 * every cell; text and identicons leave the background alone): how many
 * cells of the box of rows x cols at (row, col) (row negative: from the
 * bottom) have a non-default background, after taking what arrived.
 */
int		 term_count_bg(struct term *, int row, int col, int rows, int cols);
/*
 * Wait until at least min cells of that box have a non-default background
 * (min 0 waits until none has: a picture went away).
 */
bool		 term_wait_bg(struct term *, int row, int col, int rows, int cols, int min,
		    int ms);

/* Send UTF-8 text (or any bytes) as typed/pasted. */
void		 term_send(struct term *, const char *text);
void		 term_send_bytes(struct term *, const void *bytes, size_t len);
/* A key through the terminal's own encoding. */
void		 term_key(struct term *, VTermKey);
void		 term_key_mod(struct term *, VTermKey, VTermModifier);
/*
 * Paste text the way xterm does: wrapped in CSI 200 ~ ... CSI 201 ~ when the
 * application enabled bracketed paste, bare otherwise; newlines ('\n') are
 * sent as carriage returns, as a terminal pastes them.
 */
void		 term_paste(struct term *, const char *text);
/* The cursor's cell (0-based) and whether it is shown, after taking what arrived. */
void		 term_cursor(struct term *, int *row, int *col);
bool		 term_cursor_visible(struct term *);
/*
 * Wait until the cursor is shown at (row, col) (row negative: from the
 * bottom), or with visible false until it is hidden (row and col ignored).
 */
bool		 term_wait_cursor(struct term *, bool visible, int row, int col, int ms);
/* Change the window size: window-change request and the emulator's size. */
void		 term_resize(struct term *, int cols, int rows);

/* ---- exec and shell without a pty ------------------------------------------ */

struct exec_result {
	char	*out;		/* stdout, NUL-terminated */
	size_t	 outlen;
	char	*err;		/* stderr, NUL-terminated */
	size_t	 errlen;
	int	 status;	/* exit status, or -1 when none came */
	int	 conn_rc;	/* CONN_* of the connection */
};
void	exec_result_free(struct exec_result *);

/*
 * Connect as user, exec cmdline, send in (inlen bytes; may be NULL) then EOF,
 * read stdout and stderr to EOF, and get the exit status. Returns 0 when the
 * command ran to the end (even with a nonzero status), -1 when the connection,
 * authentication or channel request failed (res->conn_rc says which).
 */
int	run_exec(struct server *, const char *user, const struct cred *, const char *cmdline,
	    const void *in, size_t inlen, struct exec_result *res);
/* A shell request without pty-req (what `ssh -T host` does). Same contract as run_exec. */
int	run_shell_nopty(struct server *, const char *user, const struct cred *,
	    struct exec_result *res);

/* ---- other programs: OpenSSH's scp and sftp, ffmpeg ------------------------------ */

/*
 * Run argv[0] (looked up in PATH) with argv (NULL-terminated), feed in
 * (inlen bytes; may be NULL) to its stdin then close it, and collect stdout
 * and stderr into res until it exits, or until ms pass (<= 0: the harness
 * deadline), when it and its process group are killed. The program runs in
 * its own process group with no other fd of ours open and without
 * SSH_AUTH_SOCK. res->status is its exit status, 128 + the signal that
 * killed it, or -1 when it did not finish; res->conn_rc is unused (0).
 * Returns 0 when it ran to its end (whatever the status), -1 when it could
 * not start or ran out of time (both printed).
 */
int	run_program(char *const argv[], const void *in, size_t inlen, int ms,
	    struct exec_result *res);

/*
 * The private half of key as an OpenSSH key file (mode 0600, written with
 * ssh_pki_export_privkey_file) in the server's temporary dir, for `-i`. The
 * path belongs to the harness (freed by harness_cleanup; the file goes with
 * the dir). Never NULL (aborts when the export fails).
 */
const char *key_file(struct server *, ssh_key);

/*
 * Run one of OpenSSH's clients ("scp", "sftp") against the server with key:
 *
 *   TOOL -F /dev/null -P PORT -i KEYFILE -o IdentitiesOnly=yes -o BatchMode=yes
 *        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
 *        -o LogLevel=ERROR ARGS...
 *
 * args is NULL-terminated and names the remote side itself ("alice@127.0.0.1:").
 * Same contract as run_program; a sanitizer report in its stderr (the
 * server's stderr reaches it) fails the test's teardown.
 */
int	run_openssh(struct server *, const char *tool, ssh_key key, const char *const *args,
	    const void *in, size_t inlen, int ms, struct exec_result *res);

/* ---- an exec channel that stays open ------------------------------------------- */

/*
 * An exec request driven step by step instead of to the end: for commands
 * that stream (`notifications --follow`) and for timing a command while other
 * terminals are pumped in the same loop (bench). The session is non-blocking
 * after exec_start: nothing here waits except the *_wait_* calls, each on a
 * condition with the harness deadline. Open channels are registered and
 * closed by harness_cleanup.
 */
struct exec_chan {
	struct server		*srv;
	struct conn		*c;
	ssh_channel		 ch;
	char			 user[64];
	char			*cmdline;
	char			*out;		/* stdout so far, NUL-terminated */
	size_t			 outlen;
	char			*err;		/* stderr so far, NUL-terminated */
	size_t			 errlen;
	bool			 pending;	/* the exec request is not answered yet */
	bool			 eof;		/* the server sent EOF or closed the channel */
	bool			 exited;	/* an exit status arrived */
	int			 status;	/* that exit status, -1 before */
	long long		 t_sent_us;	/* harness_now_us() just before the exec request went out */
	long long		 t_exit_us;	/* harness_now_us() when the exit status was processed */
	struct exec_chan	*next;		/* registry, for harness_cleanup */
	void			*priv;		/* the harness's libssh callback struct */
};

/*
 * Connect as user, authenticate, open a session channel (all blocking), then
 * switch the session to non-blocking and send the exec request without
 * waiting for its answer (t_sent_us is taken just before). stdin stays open
 * (exec_send_eof closes it). NULL on failure, with the reason printed.
 */
struct exec_chan	*exec_start(struct server *, const char *user, const struct cred *,
			    const char *cmdline);
/*
 * Process what arrived within ms (0: only what is there): the exec request's
 * answer, stdout and stderr (appended), the exit status, EOF. Returns the
 * bytes of output read, or -1 once the channel reached EOF / closed or the
 * request was refused.
 */
int			 exec_pump(struct exec_chan *, int ms);
/* The socket of the connection, for poll() across several clients. */
int			 exec_fd(const struct exec_chan *);
void			 exec_send_eof(struct exec_chan *);
/* Wait until stdout from byte offset `from` on contains text. */
bool			 exec_wait_out(struct exec_chan *, size_t from, const char *text, int ms);
/* Wait for the exit status (and EOF); *status gets it (-1 if none came). */
bool			 exec_wait_exit(struct exec_chan *, int ms, int *status);
/* Close the channel and the connection (the client hangs up) and free. NULL is fine. */
void			 exec_close(struct exec_chan *);

/* ---- test plumbing ---------------------------------------------------------- */

/*
 * Close every term and exec channel still open (a failed assertion skips a test's own
 * cleanup) and free the keys and key strings. Returns -1 when one of them showed a sanitizer report. Call from
 * each test's teardown.
 */
int	harness_cleanup(void);

#endif
