#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/sysutil.h"
#include "common/xmalloc.h"
#include "sshd-app/config.h"
#include "sshd-app/spawn.h"

/*
 * argv and the environment are built before fork, so the child only does
 * async-signal-safe work: dup2, close, setsid, ioctl, execve.
 */

#define APP_HUB_FD	3	/* where the hub fd lands in the app */
#define ARGV_FIXED	12	/* app, the options with their values, "--", NULL */
#define ENV_MAX		16

struct exec_args {
	char	*argv[ARGV_FIXED + 256 + 1];
	char	*envp[ENV_MAX];
	char	*owned[ENV_MAX + 4];	/* strings to free after fork */
	size_t	 nowned;
};

static char *
own(struct exec_args *ea, char *s)
{
	ea->owned[ea->nowned++] = s;
	return s;
}

static void
exec_args_free(struct exec_args *ea)
{
	size_t i;

	for (i = 0; i < ea->nowned; i++) {
		explicit_bzero(ea->owned[i], strlen(ea->owned[i]));
		free(ea->owned[i]);
	}
	ea->nowned = 0;
}

bool
spawn_term_ok(const char *t)
{
	size_t i;

	if (t == NULL || t[0] == '\0' || strlen(t) > 63)
		return false;
	for (i = 0; t[i] != '\0'; i++) {
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || strchr("-_.+", t[i]) != NULL))
			return false;
	}
	return true;
}

static void
build(const struct app_spec *s, struct exec_args *ea)
{
	const struct config	*c = s->cfg;
	size_t			 a = 0, e = 0;
	int			 i;

	memset(ea, 0, sizeof *ea);
	ea->argv[a++] = c->app_path;
	ea->argv[a++] = "--data-dir";
	ea->argv[a++] = c->data_dir;
	if (s->user == NULL)
		ea->argv[a++] = "--worker";
	else {
		ea->argv[a++] = s->signup ? "--signup" : "--user";
		ea->argv[a++] = (char *)s->user;
	}
	if (s->hub_fd >= 0) {
		ea->argv[a++] = "--hub-fd";
		ea->argv[a++] = "3";
	}
	if (s->addr != NULL) {
		ea->argv[a++] = "--addr";
		ea->argv[a++] = (char *)s->addr;
	}
	if (s->sftp)
		ea->argv[a++] = "--sftp";
	if (s->words != NULL) {
		ea->argv[a++] = "--";
		for (i = 0; i < s->nwords && i < 256; i++)
			ea->argv[a++] = s->words[i];
	}
	ea->argv[a] = NULL;

	/* No pty: dumb. A pty whose TERM is missing or odd: the common case. */
	ea->envp[e++] = own(ea, xasprintf("TERM=%s", s->term == NULL ? "dumb" :
	    spawn_term_ok(s->term) ? s->term : "xterm"));
	ea->envp[e++] = "LANG=C.UTF-8";
	ea->envp[e++] = own(ea, xasprintf("HOME=%s", c->data_dir));
	ea->envp[e++] = "PATH=/usr/bin:/bin";
	ea->envp[e++] = own(ea, xasprintf("SSHBOOK_LOG=%s/sshbook-app.log",
	    c->data_dir));
	/* storage/store.h store_set_write_limit: "BURST/PER_MINUTE" */
	ea->envp[e++] = own(ea, xasprintf("SSHBOOK_WRITE_LIMIT=%d/%d", c->write_burst,
	    c->write_per_minute));
	/* cli/upload.h upload_spool_max */
	ea->envp[e++] = own(ea, xasprintf("SSHBOOK_UPLOAD_SPOOL_MIB=%d", c->upload_spool_mib));
	/* Which of the account's keys this session proved (Settings marks it). */
	if (s->login_key != NULL)
		ea->envp[e++] = own(ea, xasprintf("SSHBOOK_LOGIN_KEY=%s", s->login_key));
	if (s->signup) {
		ea->envp[e++] = own(ea, xasprintf("SSHBOOK_REGISTRATION=%s",
		    s->registration ? s->registration : "open"));
		if (s->signup_key != NULL)
			ea->envp[e++] = own(ea, xasprintf("SSHBOOK_SIGNUP_KEY=%s",
			    s->signup_key));
		if (s->signup_pwhash != NULL)
			ea->envp[e++] = own(ea,
			    xasprintf("SSHBOOK_SIGNUP_PWHASH=%s", s->signup_pwhash));
	}
	ea->envp[e] = NULL;
}

/* In the forked child, with stdio in place: the hub to fd 3, the rest closed, exec. */
static void __attribute__((noreturn))
exec_app(const struct app_spec *s, struct exec_args *ea, pid_t parent)
{
	static const char	msg[] = "sshbook: the app could not be started; "
				    "please try again later\r\n";
	struct sigaction	sa;
	sigset_t		none;
	int			sig;

	/* If the session process dies without hanging us up, hang up anyway. */
	(void)prctl(PR_SET_PDEATHSIG, SIGHUP);
	if (getppid() != parent)
		_exit(SPAWN_EXEC_FAILED);
	if (s->hub_fd >= 0) {
		if (s->hub_fd == APP_HUB_FD)
			(void)fcntl(APP_HUB_FD, F_SETFD, 0);
		else if (dup2(s->hub_fd, APP_HUB_FD) < 0)
			_exit(SPAWN_EXEC_FAILED);
		closefrom(APP_HUB_FD + 1);
	} else
		closefrom(STDERR_FILENO + 1);

	/* Handlers and ignored signals must not leak into the app. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	if (chdir(s->cfg->data_dir) != 0)
		(void)chdir("/");
	execve(s->cfg->app_path, ea->argv, ea->envp);
	(void)write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(SPAWN_EXEC_FAILED);
}

static void
clamp_size(struct winsize *ws, unsigned short cols, unsigned short rows)
{
	memset(ws, 0, sizeof *ws);
	ws->ws_col = cols ? cols : 1;
	ws->ws_row = rows ? rows : 1;
}

int
spawn_pty(const struct app_spec *s, unsigned short cols, unsigned short rows,
    pid_t *pidp, int *masterp)
{
	struct exec_args	ea;
	struct winsize		ws;
	struct termios		tio;
	pid_t			pid, parent = getpid();
	int			master, slave;

	*pidp = -1;
	*masterp = -1;
	clamp_size(&ws, cols, rows);
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		log_error("openpty: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	(void)fcntl(master, F_SETFD, FD_CLOEXEC);
	(void)fcntl(slave, F_SETFD, FD_CLOEXEC);
	/* Cooked-mode line editing (before ncurses takes over) should know UTF-8. */
	if (tcgetattr(slave, &tio) == 0) {
		tio.c_iflag |= IUTF8;
		(void)tcsetattr(slave, TCSANOW, &tio);
	}
	build(s, &ea);
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		exec_args_free(&ea);
		close(master);
		close(slave);
		return ERR_SYSTEM;
	}
	if (pid == 0) {
		close(master);
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0)
			_exit(SPAWN_EXEC_FAILED);
		if (dup2(slave, STDIN_FILENO) < 0 ||
		    dup2(slave, STDOUT_FILENO) < 0 ||
		    dup2(slave, STDERR_FILENO) < 0)
			_exit(SPAWN_EXEC_FAILED);
		exec_app(s, &ea, parent);
	}
	exec_args_free(&ea);
	/* Only the app may hold the slave, or the master never reports EIO. */
	close(slave);
	(void)fd_set_nonblock(master);
	*pidp = pid;
	*masterp = master;
	return 0;
}

void
spawn_pty_resize(int master, unsigned short cols, unsigned short rows)
{
	struct winsize ws;

	clamp_size(&ws, cols, rows);
	(void)ioctl(master, TIOCSWINSZ, &ws);
}

int
spawn_pipes(const struct app_spec *s, pid_t *pidp, int fds[3])
{
	struct exec_args	ea;
	int			in[2] = { -1, -1 }, out[2] = { -1, -1 },
				err[2] = { -1, -1 };
	pid_t			pid, parent = getpid();

	*pidp = -1;
	fds[0] = fds[1] = fds[2] = -1;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0) {
		log_error("pipe: %s", strerror(errno));
		goto fail;
	}
	build(s, &ea);
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		exec_args_free(&ea);
		goto fail;
	}
	if (pid == 0) {
		(void)setsid();
		if (dup2(in[0], STDIN_FILENO) < 0 ||
		    dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(err[1], STDERR_FILENO) < 0)
			_exit(SPAWN_EXEC_FAILED);
		exec_app(s, &ea, parent);
	}
	exec_args_free(&ea);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	(void)fd_set_nonblock(in[1]);
	(void)fd_set_nonblock(out[0]);
	(void)fd_set_nonblock(err[0]);
	fds[0] = in[1];
	fds[1] = out[0];
	fds[2] = err[0];
	*pidp = pid;
	return 0;
 fail:
	if (in[0] >= 0) { close(in[0]); close(in[1]); }
	if (out[0] >= 0) { close(out[0]); close(out[1]); }
	if (err[0] >= 0) { close(err[0]); close(err[1]); }
	return ERR_SYSTEM;
}

int
spawn_worker(const struct config *c, int hub_fd, pid_t *pidp)
{
	struct app_spec		s;
	struct exec_args	ea;
	pid_t			pid, parent = getpid();
	int			null;

	*pidp = -1;
	memset(&s, 0, sizeof s);
	s.cfg = c;
	s.hub_fd = hub_fd;	/* user NULL: build() writes --worker */
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		log_error("/dev/null: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	build(&s, &ea);
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		exec_args_free(&ea);
		close(null);
		return ERR_SYSTEM;
	}
	if (pid == 0) {
		(void)setsid();
		if (dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
		    dup2(null, STDERR_FILENO) < 0)
			_exit(SPAWN_EXEC_FAILED);
		exec_app(&s, &ea, parent);
	}
	exec_args_free(&ea);
	close(null);
	*pidp = pid;
	return 0;
}

void
spawn_signal(pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	/* The group may not exist yet if the child has not reached setsid(). */
	(void)kill(-pid, sig);
	(void)kill(pid, sig);
}

int
spawn_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}
