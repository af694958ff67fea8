#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/cmdline.h"
#include "common/hub.h"
#include "common/log.h"
#include "common/sysutil.h"
#include "common/xmalloc.h"
#include "sshd-app/config.h"
#include "sshd-app/relay.h"
#include "sshd-app/session-int.h"
#include "sshd-app/spawn.h"

/*
 * The callbacks only record what the client asked for (and queue its
 * data); the main loop does the rest in chan_step: libssh must not be asked
 * to send from inside its own packet handling.
 */

/*
 * Bigger windows are clamped: ncurses and the pictures allocate per cell
 * (a 1000x500 sign-up screen took 46 MB). 500x200 is beyond any real
 * screen: a 4K monitor in a 6-pixel font is about 640x270.
 */
#define MAX_COLS	500
#define MAX_ROWS	200
#define DEFAULT_COLS	80	/* RFC 4254: zero means "not specified" */
#define DEFAULT_ROWS	24
#define EXIT_GRACE_MS	2000	/* after the app exits, its output may take this long */
#define HUP_GRACE_MS	2000	/* after SIGHUP, then SIGKILL */

static const char msg_no_tty[] =
    "sshbook needs a terminal: connect with ssh -t NAME@host "
    "(or run a command: ssh NAME@host help)\n";
static const char msg_cannot_start[] =
    "sshbook: cannot start a session right now; please try again later\n";

static unsigned short
clamp_dim(int v, int max, int dflt)
{
	if (v == 0)
		return (unsigned short)dflt;
	if (v < 0 || v > max)	/* negative: a huge uint32 seen as int */
		return (unsigned short)max;
	return (unsigned short)v;
}

static int
cb_data(ssh_session session, ssh_channel channel, void *data, uint32_t len,
    int is_stderr, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	if (is_stderr)
		return (int)len;	/* clients do not send stderr; ignore it */
	ch->conn->last_input = mono_ms();
	return (int)relay_take_input(&ch->relay, data, len);
}

static void
cb_eof(ssh_session session, ssh_channel channel, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	relay_input_eof(&ch->relay);
}

static void
cb_close(ssh_session session, ssh_channel channel, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	ch->remote_closed = true;
}

static int
cb_pty_request(ssh_session session, ssh_channel channel, const char *term,
    int width, int height, int pxwidth, int pxheight, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	if (ch->state != CHAN_NEW || ch->has_pty)
		return -1;
	ch->has_pty = true;
	if (term != NULL && spawn_term_ok(term))
		snprintf(ch->term, sizeof ch->term, "%s", term);
	ch->cols = clamp_dim(width, MAX_COLS, DEFAULT_COLS);
	ch->rows = clamp_dim(height, MAX_ROWS, DEFAULT_ROWS);
	return 0;
}

static int
cb_window_change(ssh_session session, ssh_channel channel, int width,
    int height, int pxwidth, int pxheight, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	if (!ch->has_pty)
		return -1;
	ch->cols = clamp_dim(width, MAX_COLS, DEFAULT_COLS);
	ch->rows = clamp_dim(height, MAX_ROWS, DEFAULT_ROWS);
	if (ch->relay.pty && ch->relay.out_fd >= 0)
		spawn_pty_resize(ch->relay.out_fd, ch->cols, ch->rows);
	return 0;
}

static int
cb_shell(ssh_session session, ssh_channel channel, void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	if (ch->state != CHAN_NEW || ch->conn->stopping)
		return 1;
	ch->state = CHAN_START;
	return 0;
}

static int
cb_exec(ssh_session session, ssh_channel channel, const char *command,
    void *userdata)
{
	struct chan *ch = userdata;

	(void)session;
	(void)channel;
	if (ch->state != CHAN_NEW || command == NULL || ch->conn->stopping)
		return 1;
	ch->command = xstrdup(command);
	ch->state = CHAN_START;
	return 0;
}

static int
cb_env(ssh_session session, ssh_channel channel, const char *name,
    const char *value, void *userdata)
{
	(void)session;
	(void)channel;
	(void)name;
	(void)value;
	(void)userdata;
	return 1;	/* the app's environment is ours alone */
}

/* Only "sftp": uploads through scp and sftp (cli/sftp.h); the app serves it on pipes. */
static int
cb_subsystem(ssh_session session, ssh_channel channel, const char *subsystem,
    void *userdata)
{
	struct chan	*ch = userdata;
	char		 name[32];
	size_t		 i;

	(void)session;
	(void)channel;
	if (strcmp(subsystem, "sftp") == 0 && ch->state == CHAN_NEW &&
	    !ch->conn->stopping) {
		ch->sftp = true;
		ch->state = CHAN_START;
		return 0;
	}
	for (i = 0; subsystem[i] != '\0' && i + 1 < sizeof name; i++)
		name[i] = (subsystem[i] > ' ' && subsystem[i] < 0x7f) ?
		    subsystem[i] : '?';
	name[i] = '\0';
	log_info("subsystem '%s' refused", name);
	return 1;
}

ssh_channel
chan_open(struct conn *c)
{
	struct chan	*ch;
	size_t		 i;

	if (!auth_done(c->auth) || c->stopping || c->signup_over)
		return NULL;
	/*
	 * A sign-up has no account to charge: one screen per connection, so
	 * a stranger cannot hold four sign-up apps on one login.
	 */
	if (c->id.signup && c->chans_opened > 0) {
		log_info("channel refused: a sign-up gets one");
		return NULL;
	}
	for (i = 0; i < CONN_MAX_CHANS; i++)
		if (c->chans[i] == NULL)
			break;
	if (i == CONN_MAX_CHANS) {
		log_info("channel refused: %d already open", CONN_MAX_CHANS);
		return NULL;
	}
	ch = xcalloc(1, sizeof *ch);
	ch->conn = c;
	ch->pid = -1;
	if ((ch->ch = ssh_channel_new(c->session)) == NULL) {
		free(ch);
		return NULL;
	}
	relay_init(&ch->relay, ch->ch);
	ch->cb.userdata = ch;
	ch->cb.channel_data_function = cb_data;
	ch->cb.channel_eof_function = cb_eof;
	ch->cb.channel_close_function = cb_close;
	ch->cb.channel_pty_request_function = cb_pty_request;
	ch->cb.channel_pty_window_change_function = cb_window_change;
	ch->cb.channel_shell_request_function = cb_shell;
	ch->cb.channel_exec_request_function = cb_exec;
	ch->cb.channel_env_request_function = cb_env;
	ch->cb.channel_subsystem_request_function = cb_subsystem;
	ssh_callbacks_init(&ch->cb);
	if (ssh_set_channel_callbacks(ch->ch, &ch->cb) != SSH_OK) {
		ssh_channel_free(ch->ch);
		free(ch);
		return NULL;
	}
	c->chans[i] = ch;
	c->chans_opened++;
	return ch->ch;
}

/* No app (or no more): tell the client text on stderr, then this status. */
static void
finish_with(struct chan *ch, const char *text, int status)
{
	relay_close_app(&ch->relay);	/* no app: client data goes nowhere */
	if (text != NULL)
		relay_say(&ch->relay, true, text);
	ch->exit_status = status;
	ch->state = CHAN_FINISH;
}

static void
spec_init(struct chan *ch, struct app_spec *s)
{
	struct conn *c = ch->conn;

	memset(s, 0, sizeof *s);
	s->cfg = c->cfg;
	s->user = c->id.user;
	s->signup = c->id.signup;
	s->addr = c->addr;
	s->hub_fd = c->hub_fd;
	s->term = ch->has_pty ? ch->term : NULL;
	s->registration = config_registration_name(c->cfg->registration);
	s->signup_key = c->id.key_line;
	s->signup_pwhash = c->id.pwhash;
	s->login_key = c->id.login_key;
}

static void
start_shell(struct chan *ch)
{
	struct app_spec	s;
	int		master;

	if (!ch->has_pty) {
		finish_with(ch, msg_no_tty, 1);
		return;
	}
	spec_init(ch, &s);
	if (spawn_pty(&s, ch->cols, ch->rows, &ch->pid, &master) != 0) {
		finish_with(ch, msg_cannot_start, 1);
		return;
	}
	relay_attach(&ch->relay, true, master, master, -1);
	ch->state = CHAN_RUNNING;
	log_info("%s started: pid %ld, TERM %s, %ux%u",
	    ch->conn->id.signup ? "sign-up" : "terminal session",
	    (long)ch->pid, ch->term[0] ? ch->term : "(none)", ch->cols, ch->rows);
}

static void
start_exec(struct chan *ch)
{
	struct conn	*c = ch->conn;
	struct cmdline	 cl;
	struct app_spec	 s;
	char		 why[160], *text, cmd[24];
	int		 fds[3], master, r;
	size_t		 i;

	if (c->id.signup) {
		text = xasprintf("unknown user '%s': sign up first with "
		    "ssh -t %s@host\n", c->id.user, c->id.user);
		finish_with(ch, text, 1);
		free(text);
		return;
	}
	if (cmdline_split(ch->command, strlen(ch->command), &cl, why,
	    sizeof why) != 0) {
		text = xasprintf("sshbook: %s\n", why);
		finish_with(ch, text, 1);
		free(text);
		return;
	}
	if (cl.argc == 0) {
		finish_with(ch, "sshbook: no command given: try "
		    "'ssh NAME@host help'\n", 1);
		return;
	}
	spec_init(ch, &s);
	s.words = cl.argv;
	s.nwords = cl.argc;
	/* Like sshd: with a pty requested the command runs on it (ssh -t host CMD). */
	if (ch->has_pty) {
		r = spawn_pty(&s, ch->cols, ch->rows, &ch->pid, &master);
		if (r == 0)
			relay_attach(&ch->relay, true, master, master, -1);
	} else {
		r = spawn_pipes(&s, &ch->pid, fds);
		if (r == 0)
			relay_attach(&ch->relay, false, fds[0], fds[1], fds[2]);
	}
	/* Log the command's name, never its arguments: they are posts and messages. */
	for (i = 0; cl.argv[0][i] != '\0' && i + 1 < sizeof cmd; i++)
		cmd[i] = (cl.argv[0][i] > ' ' && cl.argv[0][i] < 0x7f) ?
		    cl.argv[0][i] : '?';
	cmd[i] = '\0';
	cmdline_free(&cl);
	if (r != 0) {
		finish_with(ch, msg_cannot_start, 1);
		return;
	}
	ch->state = CHAN_RUNNING;
	log_info("command '%s' started: pid %ld%s", cmd, (long)ch->pid,
	    ch->has_pty ? " (on a pty)" : "");
}

/* The app as an upload-only SFTP server on pipes (never a pty: the protocol is binary). */
static void
start_sftp(struct chan *ch)
{
	struct app_spec	s;
	int		fds[3];

	if (ch->conn->id.signup) {
		finish_with(ch, "sshbook: sign up first (ssh -t NAME@host), "
		    "then upload\n", 1);
		return;
	}
	spec_init(ch, &s);
	s.term = NULL;
	s.sftp = true;
	if (spawn_pipes(&s, &ch->pid, fds) != 0) {
		finish_with(ch, msg_cannot_start, 1);
		return;
	}
	relay_attach(&ch->relay, false, fds[0], fds[1], fds[2]);
	ch->state = CHAN_RUNNING;
	log_info("sftp started: pid %ld", (long)ch->pid);
}

void
chan_reaped(struct chan *ch, int wstatus)
{
	ch->exited = true;
	ch->exit_status = spawn_exit_status(wstatus);
	ch->exited_at = mono_ms();
	if (ch->exit_status == SPAWN_EXEC_FAILED)
		log_error("app '%s' could not be executed (exit status %d)",
		    ch->conn->cfg->app_path, ch->exit_status);
	else
		log_info("app pid %ld exited with status %d after %lld ms",
		    (long)ch->pid, ch->exit_status,
		    (long long)(ch->exited_at - ch->started_at));
	/*
	 * An upload (sftp, or an exec such as `upload`) cleans its spool file
	 * up when it is hung up, but not when it is killed outright or
	 * crashes: the worker then removes what it no longer holds.
	 */
	if (WIFSIGNALED(wstatus) && (ch->sftp || ch->command != NULL) &&
	    ch->conn->id.user_id > 0) {
		struct hub_msg m = { HUB_HINT, TOPIC_SPOOL, HUB_WORKER_ID,
		    ch->conn->id.user_id };

		(void)hub_send(ch->conn->hub_fd, &m);
	}
}

void
chan_kill(struct chan *ch, int sig)
{
	if (ch->pid > 0 && !ch->exited) {
		spawn_signal(ch->pid, sig);
		if (ch->hup_at == 0)
			ch->hup_at = mono_ms();
	}
}

void
chan_stop(struct chan *ch)
{
	switch (ch->state) {
	case CHAN_NEW:
		finish_with(ch, NULL, 0);
		break;
	case CHAN_START:
		finish_with(ch, NULL, 1);
		break;
	case CHAN_RUNNING:
		spawn_signal(ch->pid, SIGTERM);
		spawn_signal(ch->pid, SIGHUP);
		break;
	default:
		break;
	}
}

/* Exit status, EOF and close: from the main loop, once. */
static void
close_channel(struct chan *ch)
{
	if (!ch->remote_closed && !ssh_channel_is_closed(ch->ch)) {
		(void)ssh_channel_request_send_exit_status(ch->ch, ch->exit_status);
		(void)ssh_channel_send_eof(ch->ch);
		(void)ssh_channel_close(ch->ch);
	}
	relay_free(&ch->relay);
	ch->state = CHAN_DONE;
}

void
chan_step(struct chan *ch)
{
	int64_t now;

	if (ch->state == CHAN_START) {
		ch->started_at = mono_ms();
		if (ch->conn->refusal != NULL) {
			char *line = xasprintf("sshbook: %s%s", ch->conn->refusal,
			    ch->has_pty ? "\r\n" : "\n");

			finish_with(ch, line, 1);
			free(line);
		} else if (ch->sftp)
			start_sftp(ch);
		else if (ch->command != NULL)
			start_exec(ch);
		else
			start_shell(ch);
	}
	now = mono_ms();
	switch (ch->state) {
	case CHAN_NEW:
		if (ch->remote_closed)
			close_channel(ch);
		break;
	case CHAN_RUNNING:
		relay_pump(&ch->relay);
		if (ch->remote_closed && ch->hup_at == 0)
			chan_kill(ch, SIGHUP);
		if (ch->hup_at != 0 && !ch->exited && !ch->killed &&
		    now - ch->hup_at >= HUP_GRACE_MS) {
			spawn_signal(ch->pid, SIGKILL);
			ch->killed = true;
		}
		if (!ch->exited)
			break;
		if (!relay_app_done(&ch->relay) &&
		    now - ch->exited_at >= EXIT_GRACE_MS) {
			log_debug("app output still open %d ms after exit: "
			    "closing it", EXIT_GRACE_MS);
			relay_close_app(&ch->relay);
		}
		if (!relay_app_done(&ch->relay))
			break;
		ch->state = CHAN_FINISH;
		/* FALLTHROUGH */
	case CHAN_FINISH:
		if (ch->conn->farewell != NULL && !ch->told_farewell) {
			char *line = xasprintf(ch->relay.pty ?
			    "\r\nsshbook: %s\r\n" : "sshbook: %s\n",
			    ch->conn->farewell);

			ch->told_farewell = true;
			relay_say(&ch->relay, true, line);
			free(line);
		}
		relay_pump(&ch->relay);
		if (ch->remote_closed || relay_flushed(&ch->relay))
			close_channel(ch);
		break;
	case CHAN_START:
	case CHAN_DONE:
		break;
	}
}

bool
chan_finished(const struct chan *ch)
{
	return ch->state == CHAN_DONE && (ch->pid <= 0 || ch->exited);
}

int
chan_timeout(const struct chan *ch, int64_t now)
{
	int64_t t = -1;

	if (ch->state == CHAN_START)
		return 0;
	if (ch->hup_at != 0 && !ch->exited && !ch->killed)
		t = ch->hup_at + HUP_GRACE_MS - now;
	else if (ch->exited && ch->state == CHAN_RUNNING)
		t = ch->exited_at + EXIT_GRACE_MS - now;
	if (t == -1)
		return -1;
	return t < 0 ? 0 : (int)t;
}

void
chan_free(struct chan *ch)
{
	if (ch == NULL)
		return;
	relay_free(&ch->relay);
	/*
	 * The callbacks point at ch: take them off before libssh can call
	 * them again (a late CLOSE from the client arrives after this).
	 */
	ssh_remove_channel_callbacks(ch->ch, &ch->cb);
	ssh_channel_free(ch->ch);
	free(ch->command);
	free(ch);
}
