#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/hub.h"
#include "common/log.h"
#include "common/sanitize.h"
#include "common/sysutil.h"
#include "common/xmalloc.h"
#include "sshd-app/auth.h"
#include "sshd-app/config.h"
#include "sshd-app/session-int.h"
#include "sshd-app/session.h"
#include "sshd-app/spawn.h"
#include "storage/store.h"

/*
 * The main loop: ssh_event_dopoll over the session socket, the signal
 * self-pipe and the fds of the running apps; then, outside any libssh
 * callback, react to what the callbacks recorded: auth finished, channels
 * to start, pump or close, children to reap, keepalives, shutdown.
 *
 * The session runs non-blocking after the key exchange, so no libssh call
 * made from here waits for the client. Signal handlers use SA_RESTART: the
 * socket itself is blocking (libssh makes it so), and an EINTR in the
 * middle of a send would end the connection.
 */

#define STOP_GRACE_MS		3000	/* apps get this long after SIGTERM */
#define HANGUP_GRACE_MS		2000	/* apps get this long after the client left */
#define LOOP_MAX_WAIT_MS	30000
#define LINGER_MS		500	/* stopping: wait this long for the client to hang up */
#define LOGIN_ANSWER_MS		1000	/* the hub answers a login check at once; past this, go ahead */

static volatile sig_atomic_t	grace_over;
static int			grace_fd = -1;
static int			sig_w = -1;
static bool			pending_chld, pending_stop;
static bool			bad_signature;

/*
 * libssh 0.10 drops a publickey request whose signature does not verify
 * without calling us and without any reply, so the client would wait out
 * the login grace time. Its log is the only place that says so: while the
 * client authenticates, this callback watches for it (and passes libssh's
 * warnings on to our debug log, as sshbookd -v asks).
 */
static void
libssh_watch(int priority, const char *function, const char *buffer,
    void *userdata)
{
	(void)function;
	(void)userdata;
	if (strcasestr(buffer, "invalid signature") != NULL)
		bad_signature = true;
	if (priority <= SSH_LOG_WARN)
		log_debug("libssh: %s", buffer);
}

/*
 * Login grace time is over. shutdown(2) is async-signal-safe and makes
 * whatever libssh is blocked in (key exchange, a poll) return with an
 * error, so the main flow can log and leave normally.
 */
static void
on_alarm(int sig)
{
	(void)sig;
	grace_over = 1;
	if (grace_fd >= 0)
		(void)shutdown(grace_fd, SHUT_RDWR);
}

static void
on_signal(int sig)
{
	int		saved = errno;
	unsigned char	b = (unsigned char)sig;

	(void)write(sig_w, &b, 1);
	errno = saved;
}

static int
on_sigfd(socket_t fd, int revents, void *userdata)
{
	unsigned char	b[32];
	ssize_t		n, i;

	(void)revents;
	(void)userdata;
	while ((n = read(fd, b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGCHLD)
				pending_chld = true;
			else
				pending_stop = true;
		}
	}
	return 0;
}

/* Any app fd is ready: the main loop will pump; nothing to do here. */
static int
on_app_fd(socket_t fd, int revents, void *userdata)
{
	(void)fd;
	(void)revents;
	(void)userdata;
	return 0;
}

static int
install_signals(struct conn *c)
{
	struct sigaction	sa;
	int			p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	c->sig_r = p[0];
	sig_w = p[1];
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

/* ---- libssh server callbacks ------------------------------------------ */

static int
cb_auth_pubkey(ssh_session session, const char *user,
    struct ssh_key_struct *pubkey, char state, void *userdata)
{
	struct conn *c = userdata;

	(void)session;
	return auth_pubkey(c->auth, user, pubkey, state);
}

static int
cb_auth_password(ssh_session session, const char *user, const char *password,
    void *userdata)
{
	struct conn *c = userdata;

	(void)session;
	return auth_password(c->auth, user, password);
}

static ssh_channel
cb_channel_open(ssh_session session, void *userdata)
{
	struct conn *c = userdata;

	(void)session;
	return chan_open(c);
}

/*
 * What the server callbacks do not cover: keyboard-interactive (libssh 0.10
 * has no callback for it), "none", and every request we do not serve
 * (port forwarding, X11, agent, other channel types), which get libssh's
 * default refusal by returning 1.
 */
static int
cb_message(ssh_session session, ssh_message msg, void *userdata)
{
	struct conn *c = userdata;

	if (ssh_message_type(msg) != SSH_REQUEST_AUTH || auth_done(c->auth))
		return 1;
	if (ssh_message_subtype(msg) == SSH_AUTH_METHOD_INTERACTIVE) {
		auth_kbdint(c->auth, session, msg);
		return 0;
	}
	auth_other(c->auth, ssh_message_auth_user(msg));
	return 1;
}

/* ---- the loop ---------------------------------------------------------- */

static bool
alive(struct conn *c)
{
	return ssh_is_connected(c->session) &&
	    !(ssh_get_status(c->session) & (SSH_CLOSED | SSH_CLOSED_ERROR));
}

static size_t
count_chans(const struct conn *c)
{
	size_t i, n = 0;

	for (i = 0; i < CONN_MAX_CHANS; i++)
		if (c->chans[i] != NULL)
			n++;
	return n;
}

static void
reap(struct conn *c)
{
	pid_t	pid;
	int	st;
	size_t	i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < CONN_MAX_CHANS; i++) {
			if (c->chans[i] != NULL && c->chans[i]->pid == pid &&
			    !c->chans[i]->exited) {
				chan_reaped(c->chans[i], st);
				break;
			}
		}
	}
}

/* What a refused login is told, on every channel it opens. */
static char *
refusal_text(const struct conn *c, const struct hub_msg *m)
{
	switch (m->topic) {
	case HUB_FULL:
		return xasprintf("the server is full (%lld sessions): try again "
		    "later", (long long)m->object_id);
	case HUB_FULL_ADDR:
		return xasprintf("too many sessions from your network (%lld): "
		    "close one and try again", (long long)m->object_id);
	case HUB_FULL_USER:
		return xasprintf("too many sessions open for '%s' (%lld): close "
		    "one and try again", c->id.user, (long long)m->object_id);
	default:
		return xasprintf("the server refused the session");
	}
}

/*
 * Ask the hub whether this account may have one more session: only the
 * listener can count sessions per account and per network. It answers at
 * once; should it not within LOGIN_ANSWER_MS, the login goes ahead rather
 * than fail. The app is not running yet, so nothing else reads hub_fd.
 */
static void
ask_hub_login(struct conn *c)
{
	struct hub_msg	m;
	struct pollfd	pfd;
	int64_t		deadline = mono_ms() + LOGIN_ANSWER_MS, left;
	int		r;

	memset(&m, 0, sizeof m);
	m.kind = HUB_LOGIN;
	m.user_id = c->id.user_id;
	if (c->hub_fd < 0 || hub_send(c->hub_fd, &m) != 0) {
		log_debug("hub: login check not sent");
		return;
	}
	while ((left = deadline - mono_ms()) > 0) {
		pfd.fd = c->hub_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((r = hub_recv(c->hub_fd, &m)) < 0)
			return;
		if (r == 0 || m.user_id != c->id.user_id)
			continue;
		if (m.kind == HUB_LOGIN_OK)
			return;
		if (m.kind == HUB_LOGIN_REFUSED) {
			c->refusal = refusal_text(c, &m);
			log_warn("session refused: %s", c->refusal);
			return;
		}
	}
	log_warn("hub: no answer to the login check within %d ms: going ahead",
	    LOGIN_ANSWER_MS);
}

static void
authenticated(struct conn *c)
{
	alarm(0);
	/* From here on the log may say what libssh says, not more. */
	ssh_set_log_level(SSH_LOG_WARN);
	c->authed = true;
	c->authed_at = c->last_input = mono_ms();
	auth_take_result(c->auth, &c->id);
	log_set_context(c->addr, c->id.user);
	if (c->id.user_id > 0)
		ask_hub_login(c);
	c->ka_next = mono_ms() + (int64_t)c->cfg->keepalive_interval * 1000;
}

/* Has the sign-up made its account yet? (Its app does that, not us.) */
static bool
signup_account_exists(const struct conn *c)
{
	struct store	*st = NULL;
	struct user	 u;
	char		*path = xasprintf("%s/sshbook.db", c->cfg->data_dir);
	bool		 found = false;

	if (store_open(path, &st) == 0) {
		if (store_user_by_name(st, c->id.user, &u) == 0) {
			found = true;
			user_free(&u);
		}
		store_close(st);
	}
	free(path);
	return found;
}

/* End every channel's app (SIGTERM, SIGHUP); each says farewell as it closes. */
static void
end_channels(struct conn *c, const char *farewell)
{
	size_t i;

	c->stopping = true;
	c->farewell = farewell;
	c->stop_deadline = mono_ms() + STOP_GRACE_MS;
	for (i = 0; i < CONN_MAX_CHANS; i++)
		if (c->chans[i] != NULL)
			chan_stop(c->chans[i]);
}

/* Milliseconds until a sign-up's screen is due to close (0: now); -1 when none is open. */
static int64_t
signup_due(const struct conn *c, int64_t now)
{
	int64_t idle, total;

	if (!c->authed || !c->id.signup || c->signup_done || c->stopping)
		return -1;
	idle = c->last_input + (int64_t)c->cfg->login_grace_time * 1000 - now;
	total = c->authed_at + (int64_t)c->cfg->signup_time * 1000 - now;
	if (total < idle)
		idle = total;
	return idle < 0 ? 0 : idle;
}

/*
 * A sign-up holds a process and a screen without an account to charge,
 * so it gets the login's deadline: login_grace_time without a key from
 * the client, signup_time in all. Once its account exists it is an
 * ordinary session (checked only when a deadline comes, so it costs one
 * query).
 */
static void
signup_clock(struct conn *c, int64_t now)
{
	int64_t due = signup_due(c, now);

	if (due != 0)
		return;
	if (signup_account_exists(c)) {
		c->signup_done = true;
		return;
	}
	c->signup_over = true;
	if (now - c->authed_at >= (int64_t)c->cfg->signup_time * 1000) {
		log_info("sign-up open for %d s: closing", c->cfg->signup_time);
		end_channels(c, "sign-up took too long; connect again to start "
		    "over");
	} else {
		log_info("sign-up idle for %d s: closing", c->cfg->login_grace_time);
		end_channels(c, "sign-up closed after a while without a key; "
		    "connect again to start over");
	}
}

static void
begin_stop(struct conn *c)
{
	if (c->authed)
		log_info("server stopping: closing the session");
	end_channels(c, "the server is shutting down");
}

/*
 * Register with the event exactly the fds the relays want, for what they
 * want. Runs after every step, so an fd is never polled after its close.
 */
static void
sync_fds(struct conn *c)
{
	struct conn_fd	want[CONN_MAX_CHANS * 3];
	bool		have[CONN_MAX_CHANS * 3];
	int		fds[3];
	short		ev[3];
	size_t		nw = 0, i, j, k, n;

	for (i = 0; i < CONN_MAX_CHANS; i++) {
		if (c->chans[i] == NULL)
			continue;
		n = relay_fds(&c->chans[i]->relay, fds, ev);
		for (k = 0; k < n; k++) {
			want[nw].fd = fds[k];
			want[nw].events = ev[k];
			have[nw++] = false;
		}
	}
	for (i = 0; i < c->nreg; ) {
		for (j = 0; j < nw; j++)
			if (!have[j] && want[j].fd == c->reg[i].fd &&
			    want[j].events == c->reg[i].events)
				break;
		if (j < nw) {
			have[j] = true;
			i++;
			continue;
		}
		(void)ssh_event_remove_fd(c->event, c->reg[i].fd);
		c->reg[i] = c->reg[--c->nreg];
	}
	for (j = 0; j < nw; j++) {
		if (have[j] || c->nreg == sizeof c->reg / sizeof c->reg[0])
			continue;
		if (ssh_event_add_fd(c->event, want[j].fd, want[j].events,
		    on_app_fd, c) == SSH_OK)
			c->reg[c->nreg++] = want[j];
	}
}

/*
 * Keepalives while the client is quiet. TCP_INFO says how long ago the
 * client last sent anything; a client that answers nothing, not even our
 * keepalives, for three intervals is gone.
 *
 * ssh_send_keepalive in a non-blocking session sends a request only when
 * the previous one has been answered (its first call after an answer just
 * collects that answer), hence the two calls.
 */
static bool
keepalive(struct conn *c, int64_t now)
{
	struct tcp_info	ti;
	socklen_t	sl = sizeof ti;
	int64_t		iv = (int64_t)c->cfg->keepalive_interval * 1000;

	if (iv == 0 || !c->authed || now < c->ka_next)
		return true;
	c->ka_next = now + iv;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(c->sock, IPPROTO_TCP, TCP_INFO, &ti, &sl) != 0)
		return true;
	if ((int64_t)ti.tcpi_last_data_recv >= 3 * iv + 1000) {
		log_info("no answer from the client for %u s: closing",
		    ti.tcpi_last_data_recv / 1000);
		return false;
	}
	if ((int64_t)ti.tcpi_last_data_recv >= iv - 1000) {
		(void)ssh_send_keepalive(c->session);
		(void)ssh_send_keepalive(c->session);
	}
	return true;
}

static int
next_timeout(const struct conn *c, int64_t now)
{
	int64_t	t = LOOP_MAX_WAIT_MS;
	int	ct;
	size_t	i;

	int64_t	due;

	if (c->cfg->keepalive_interval > 0 && c->authed && c->ka_next - now < t)
		t = c->ka_next - now;
	if ((due = signup_due(c, now)) >= 0 && due < t)
		t = due;
	for (i = 0; i < CONN_MAX_CHANS; i++) {
		if (c->chans[i] == NULL)
			continue;
		if ((ct = chan_timeout(c->chans[i], now)) >= 0 && ct < t)
			t = ct;
	}
	if (c->stopping && c->stop_deadline - now < t)
		t = c->stop_deadline - now;
	if (c->stopping && c->linger_until > now && c->linger_until - now < t)
		t = c->linger_until - now;
	return t < 0 ? 0 : (int)t;
}

static void
serve(struct conn *c)
{
	bool	killed = false;
	int64_t	now;
	size_t	i;

	for (;;) {
		(void)ssh_event_dopoll(c->event,
		    next_timeout(c, mono_ms()));
		if (pending_chld) {
			pending_chld = false;
			reap(c);
		}
		if (pending_stop && !c->stopping)
			begin_stop(c);
		if (grace_over && !c->authed) {
			log_info("no login within %d s: closing",
			    c->cfg->login_grace_time);
			return;
		}
		if (!c->authed && bad_signature) {
			auth_bad_signature(c->auth);
			log_info("publickey with a bad signature: closing");
			return;
		}
		if (!c->authed && auth_done(c->auth))
			authenticated(c);
		if (auth_give_up(c->auth)) {
			ssh_disconnect(c->session);
			return;
		}
		if (!alive(c)) {
			log_debug("connection closed by the client");
			return;
		}
		now = mono_ms();
		signup_clock(c, now);
		for (i = 0; i < CONN_MAX_CHANS; i++) {
			if (c->chans[i] == NULL)
				continue;
			chan_step(c->chans[i]);
			if (chan_finished(c->chans[i])) {
				chan_free(c->chans[i]);
				c->chans[i] = NULL;
				c->linger_until = now + LINGER_MS;
			}
		}
		if (c->stopping) {
			/*
			 * With every channel closed, give the client a moment
			 * to hang up itself: it then reports the exit status
			 * instead of "closed by remote host".
			 */
			if (count_chans(c) == 0 && (!c->authed ||
			    now >= c->linger_until))
				return;
			if (now >= c->stop_deadline && !killed) {
				killed = true;
				for (i = 0; i < CONN_MAX_CHANS; i++)
					if (c->chans[i] != NULL)
						chan_kill(c->chans[i], SIGKILL);
			}
		}
		sync_fds(c);
		if (!keepalive(c, now))
			return;
		/*
		 * A write in chan_step can be what finds the client gone (a
		 * reset): libssh then closes the socket and drops it from the
		 * event, so the next poll would sleep its whole timeout with
		 * nothing left to wake it.
		 */
		if (!alive(c)) {
			log_debug("connection lost while sending");
			return;
		}
	}
}

/* The connection is over: no app may outlive it. */
static void
hang_up_apps(struct conn *c)
{
	struct chan	*ch;
	int64_t		 deadline = mono_ms() + HANGUP_GRACE_MS;
	bool		 running;
	size_t		 i;
	int		 st;

	for (i = 0; i < CONN_MAX_CHANS; i++) {
		if ((ch = c->chans[i]) == NULL || ch->pid <= 0 || ch->exited)
			continue;
		chan_kill(ch, SIGHUP);
		relay_close_app(&ch->relay);	/* closing the master hangs up the tty too */
	}
	for (;;) {
		reap(c);
		running = false;
		for (i = 0; i < CONN_MAX_CHANS; i++)
			if ((ch = c->chans[i]) != NULL && ch->pid > 0 &&
			    !ch->exited)
				running = true;
		if (!running || mono_ms() >= deadline)
			break;
		(void)poll(NULL, 0, 20);
	}
	for (i = 0; running && i < CONN_MAX_CHANS; i++) {
		if ((ch = c->chans[i]) == NULL || ch->pid <= 0 || ch->exited)
			continue;
		log_warn("app pid %ld ignored SIGHUP: killing it", (long)ch->pid);
		spawn_signal(ch->pid, SIGKILL);
		st = 0;
		while (waitpid(ch->pid, &st, 0) < 0 && errno == EINTR)
			;
		chan_reaped(ch, st);	/* logs it, and tells the worker about its spool */
	}
}

static void
set_libssh_callbacks(struct conn *c)
{
	memset(&c->scb, 0, sizeof c->scb);
	c->scb.userdata = c;
	c->scb.auth_pubkey_function = cb_auth_pubkey;
	c->scb.auth_password_function = cb_auth_password;
	c->scb.channel_open_request_session_function = cb_channel_open;
	ssh_callbacks_init(&c->scb);
	ssh_set_server_callbacks(c->session, &c->scb);
	ssh_set_message_callback(c->session, cb_message, c);
	/* Never "none": every connection proves something. */
	ssh_set_auth_methods(c->session, SSH_AUTH_METHOD_PUBLICKEY |
	    SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE);
}

void
session_main(const struct config *cfg, ssh_bind bind, int fd, const char *addr,
    unsigned port, int hub_fd, int64_t accepted_ms)
{
	struct conn		c;
	struct sigaction	sa;
	int64_t			started = mono_ms(), grace;
	size_t			i;
	char			*why;

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.sock = fd;
	c.hub_fd = hub_fd;
	c.sig_r = -1;
	c.port = port;
	snprintf(c.addr, sizeof c.addr, "%s", addr);
	log_set_context(c.addr, NULL);
	log_info("connection from %s port %u", addr, port);

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	grace_fd = fd;
	/* The grace time runs from the accept: waiting in the listener counts. */
	grace = (int64_t)cfg->login_grace_time - (started - accepted_ms) / 1000;
	alarm(grace < 1 ? 1 : (unsigned)grace);

	c.auth = auth_new(cfg, c.addr, &grace_over);
	if ((c.session = ssh_new()) == NULL)
		goto out;
	if (ssh_bind_accept_fd(bind, c.session, fd) != SSH_OK) {
		log_error("cannot set up the session: %s", ssh_get_error(bind));
		close(fd);
		goto out;
	}
	set_libssh_callbacks(&c);
	if (ssh_handle_key_exchange(c.session) != SSH_OK) {
		if (grace_over)
			log_info("no login within %d s: closing",
			    cfg->login_grace_time);
		else {
			/* The error may quote the client's banner: make it safe to log. */
			why = sanitize_dup(ssh_get_error(c.session), false);
			log_info("key exchange failed: %.200s", why);
			free(why);
		}
		goto out;
	}
	ssh_set_blocking(c.session, 0);
	ssh_set_log_callback(libssh_watch);
	ssh_set_log_level(SSH_LOG_PACKET);
	if ((c.event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(c.event, c.session) != SSH_OK ||
	    install_signals(&c) != 0 ||
	    ssh_event_add_fd(c.event, c.sig_r, POLLIN, on_sigfd, &c) != SSH_OK) {
		log_error("cannot set up the event loop");
		goto out;
	}

	serve(&c);

	hang_up_apps(&c);
	for (i = 0; i < CONN_MAX_CHANS; i++) {
		chan_free(c.chans[i]);
		c.chans[i] = NULL;
	}
	if (alive(&c))
		(void)ssh_blocking_flush(c.session, 1000);
 out:
	alarm(0);
	grace_fd = -1;
	if (c.session != NULL) {
		ssh_disconnect(c.session);
		if (c.event != NULL) {
			ssh_event_remove_session(c.event, c.session);
			ssh_event_free(c.event);
		}
		ssh_free(c.session);
	}
	auth_free(c.auth);
	log_info("connection closed after %lld s",
	    (long long)((mono_ms() - started) / 1000));
	auth_result_free(&c.id);
	free(c.refusal);
	_exit(0);
}
