/*
 * Starting the app (`sshbook`) for a channel, the way docs/internals.md
 * ("How sshbookd starts the app") says: a clean environment, the hub fd as
 * fd 3, and either a new pty (the TUI) or three pipes (one command).
 * The app leads its own session and process group, so one signal to -pid
 * reaches everything it started.
 */
#ifndef SSHBOOK_SSHD_SPAWN_H
#define SSHBOOK_SSHD_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

struct config;

struct app_spec {
	const struct config	*cfg;		/* data_dir and app_path */
	const char		*user;		/* --user NAME, or --signup NAME */
	bool			 signup;
	const char		*addr;		/* --addr */
	int			 hub_fd;	/* passed as fd 3; -1: no --hub-fd */
	const char		*term;		/* TERM; NULL (no pty): "dumb" */
	const char		*registration;	/* sign-up: SSHBOOK_REGISTRATION */
	const char		*signup_key;	/* sign-up: SSHBOOK_SIGNUP_KEY or NULL */
	const char		*signup_pwhash;	/* sign-up: SSHBOOK_SIGNUP_PWHASH or NULL */
	const char		*login_key;	/* SSHBOOK_LOGIN_KEY: the key's fingerprint, or NULL */
	char *const		*words;		/* exec: words after --; NULL: the TUI */
	int			 nwords;
	bool			 sftp;		/* the "sftp" subsystem: --sftp, on pipes */
};

/*
 * Start the app on a new pty of cols x rows, the slave as its controlling
 * terminal and stdin/stdout/stderr. Returns 0 with *pidp and *masterp (the
 * master: non-blocking, close-on-exec; the caller closes it), or ERR_SYSTEM
 * after logging.
 */
int	spawn_pty(const struct app_spec *s, unsigned short cols,
	    unsigned short rows, pid_t *pidp, int *masterp);
/* Resize the pty behind master; the kernel sends the app SIGWINCH. */
void	spawn_pty_resize(int master, unsigned short cols, unsigned short rows);

/*
 * Start the app on pipes. Returns 0 with *pidp and fds: [0] writes its
 * stdin, [1] reads its stdout, [2] reads its stderr (all non-blocking,
 * close-on-exec, the caller closes them), or ERR_SYSTEM after logging.
 */
int	spawn_pipes(const struct app_spec *s, pid_t *pidp, int fds[3]);

/*
 * Start the background worker (`sshbook --data-dir DIR --worker`, the hub
 * fd as fd 3, stdio on /dev/null): it processes the job table. Returns 0
 * with *pidp, or ERR_SYSTEM after logging. It ends when the listener does.
 */
int	spawn_worker(const struct config *c, int hub_fd, pid_t *pidp);

/*
 * TERM comes from the client: true when it is a plain terminal name
 * (1..63 of A-Z a-z 0-9 - _ . +) that can go into the environment and logs.
 */
bool	spawn_term_ok(const char *term);

/* Send sig to the app's process group and to the app itself. */
void	spawn_signal(pid_t pid, int sig);
/* The exit status a client sees for a waitpid status: the code, 128+signal, or 255. */
int	spawn_exit_status(int wstatus);

/* Exit status of an app that could not be executed at all. */
#define SPAWN_EXEC_FAILED	127

#endif
