#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <sys/resource.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/hub.h"
#include "common/log.h"
#include "common/sysutil.h"
#include "common/xmalloc.h"
#include "sshd-app/children.h"
#include "sshd-app/config.h"
#include "sshd-app/listener.h"
#include "sshd-app/netaddr.h"
#include "sshd-app/session.h"
#include "sshd-app/spawn.h"

/*
 * One poll loop does everything: the signal self-pipe, the listening
 * sockets, the connections still waiting for their client's first bytes,
 * and every child's hub fd. Nothing in it blocks: accept4 on non-blocking
 * sockets, hub sends with MSG_DONTWAIT, waitpid with WNOHANG. Signal
 * handlers only write the signal number into the self-pipe.
 *
 * A connection goes through three stages, each with caps of its own, so
 * that what a stranger can hold never takes the room of people who have
 * logged in:
 * - pending: accepted, nothing received yet. It costs one fd here and no
 *   process (max_pending, max_pending_per_addr). Real clients send their
 *   version line at once; a silent one is closed at login_grace_time.
 * - startup: forked once the client has sent something; key exchange,
 *   authentication, or a sign-up screen (max_startups as OpenSSH's
 *   MaxStartups, random early drop; max_startups_per_addr).
 * - session: logged in to an account; checked by the hub when the session
 *   child says HUB_LOGIN (max_sessions, max_sessions_per_addr,
 *   max_sessions_per_user; sshd-app/children.h).
 * Addresses are counted per network (addr_prefix_v4 / addr_prefix_v6 bits),
 * so one IPv6 host counts once however many addresses of its /64 it uses.
 */

#define LISTEN_MAX	8	/* addresses one name may resolve to */
#define ACCEPT_BURST	32	/* accepts per wake-up, so the hub keeps its turn */
#define STOP_GRACE_MS	5000	/* sessions get this long after SIGTERM */
#define WORKER_BACKOFF_MIN_MS	1000	/* a worker that died is restarted after this, */
#define WORKER_BACKOFF_MAX_MS	30000	/* doubling up to this while it keeps dying */
#define WORKER_STABLE_MS	60000	/* alive this long: the next restart is quick again */

/* Why a connection was turned away: each reason's log lines are rate-limited apart. */
enum refusal {
	REFUSE_SYSTEM,		/* out of fds, fork failed ... */
	REFUSE_PENDING,		/* max_pending */
	REFUSE_PENDING_NET,	/* max_pending_per_addr */
	REFUSE_STARTUPS,	/* max_startups */
	REFUSE_STARTUPS_NET,	/* max_startups_per_addr */
	REFUSE_KINDS
};

/* A connection accepted but not yet forked: its client has sent nothing. */
struct pending {
	int		 fd;
	int64_t		 since;		/* ms */
	struct netaddr	 net;
	char		 addr[64];
	unsigned	 port;
};

struct listener {
	const struct config	*cfg;
	int			 fds[LISTEN_MAX];
	size_t			 nfds;
	struct pending		*pend;		/* room for max_pending */
	size_t			 npend;
	size_t			 children_cap;	/* sessions + startups + the worker */
	struct children		*children;
	int			 sig_r, sig_w;
	bool			 stopping;
	int64_t			 stop_deadline;	/* ms */
	int64_t			 last_refusal[REFUSE_KINDS];	/* ms, to keep refusal logs short */
	unsigned long		 refused_quiet[REFUSE_KINDS];	/* refusals not logged since */
	pid_t			 worker_pid;	/* the background worker, -1 when not running */
	int64_t			 worker_started;	/* ms */
	int64_t			 worker_restart_at;	/* ms; 0: no restart due */
	int64_t			 worker_backoff;	/* ms until the next restart after a death */
};

static int	sig_pipe_w = -1;

static void
on_signal(int sig)
{
	int		saved = errno;
	unsigned char	b = (unsigned char)sig;

	(void)write(sig_pipe_w, &b, 1);
	errno = saved;
}

/* "1.2.3.4" or "::1", with IPv4-mapped IPv6 addresses shown as IPv4. */
static void
addr_string(const struct sockaddr_storage *ss, socklen_t sl, char *addr,
    size_t addrsz, unsigned *portp)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	*portp = 0;
	if (getnameinfo((const struct sockaddr *)ss, sl, host, sizeof host, serv,
	    sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(addr, addrsz, "unknown");
		return;
	}
	if (strncmp(host, "::ffff:", 7) == 0 && strchr(host + 7, '.') != NULL)
		snprintf(addr, addrsz, "%s", host + 7);
	else
		snprintf(addr, addrsz, "%s", host);
	*portp = (unsigned)strtoul(serv, NULL, 10);
}

struct listener *
listener_open(const struct config *c)
{
	struct listener	*l;
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 port[16], addr[NI_MAXHOST];
	unsigned	 p;
	int		 fd, on = 1, e;

	l = xcalloc(1, sizeof *l);
	l->cfg = c;
	l->sig_r = l->sig_w = -1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", c->port);
	if ((e = getaddrinfo(strcmp(c->listen, "*") == 0 ? NULL : c->listen,
	    port, &hints, &res)) != 0) {
		log_error("cannot resolve listen address '%s': %s", c->listen,
		    gai_strerror(e));
		goto fail;
	}
	for (ai = res; ai != NULL && l->nfds < LISTEN_MAX; ai = ai->ai_next) {
		addr_string((struct sockaddr_storage *)(void *)ai->ai_addr,
		    ai->ai_addrlen, addr, sizeof addr, &p);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0) {
			log_error("socket for %s: %s", addr, strerror(errno));
			goto fail;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof on);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
		    listen(fd, 512) != 0) {
			log_error("cannot listen on %s port %d: %s", addr,
			    c->port, strerror(errno));
			close(fd);
			goto fail;
		}
		l->fds[l->nfds++] = fd;
		log_info("listening on %s port %d", addr, c->port);
	}
	freeaddrinfo(res);
	if (l->nfds == 0) {
		log_error("no address to listen on for '%s'", c->listen);
		listener_free(l);
		return NULL;
	}
	return l;
 fail:
	if (res != NULL)
		freeaddrinfo(res);
	listener_free(l);
	return NULL;
}

void
listener_free(struct listener *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nfds; i++)
		close(l->fds[i]);
	for (i = 0; i < l->npend; i++)
		close(l->pend[i].fd);
	free(l->pend);
	children_free(l->children);
	if (l->sig_r >= 0)
		close(l->sig_r);
	if (l->sig_w >= 0)
		close(l->sig_w);
	sig_pipe_w = -1;
	free(l);
}

static int
install_signals(struct listener *l)
{
	struct sigaction	sa;
	int			p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	l->sig_r = p[0];
	l->sig_w = sig_pipe_w = p[1];

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

/* The forked session child: drop everything that belongs to the listener. */
static void
child_detach(struct listener *l, pid_t listener_pid)
{
	struct sigaction	sa;
	size_t			i;

	for (i = 0; i < l->nfds; i++)
		close(l->fds[i]);
	l->nfds = 0;
	for (i = 0; i < l->npend; i++)
		close(l->pend[i].fd);
	l->npend = 0;
	close(l->sig_r);
	close(l->sig_w);
	l->sig_r = l->sig_w = sig_pipe_w = -1;
	children_close_fds(l->children);

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/*
	 * Should the listener die without telling us (SIGKILL, a crash), end
	 * as on a shutdown rather than live on without the hub. Before the
	 * session installs its handlers, SIGTERM simply ends the process.
	 */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != listener_pid)
		raise(SIGTERM);
}

/* Say why a connection was turned away, at most once a second for each reason. */
static void
log_refusal(struct listener *l, enum refusal kind, const char *addr,
    const char *why)
{
	int64_t now = mono_ms();

	if (now - l->last_refusal[kind] < 1000) {
		l->refused_quiet[kind]++;
		return;
	}
	if (l->refused_quiet[kind] > 0)
		log_warn("refused %s: %s (and %lu more refused)", addr, why,
		    l->refused_quiet[kind]);
	else
		log_warn("refused %s: %s", addr, why);
	l->last_refusal[kind] = now;
	l->refused_quiet[kind] = 0;
}

static void
tune_socket(const struct config *c, int fd)
{
	int		on = 1;
	unsigned	user_timeout;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	/*
	 * Data the peer does not acknowledge for this long kills the
	 * connection, so a session writing to a vanished client (whose
	 * keepalives cannot get through either) does not hang for the
	 * kernel's fifteen minutes.
	 */
	user_timeout = c->keepalive_interval > 0 ?
	    (unsigned)c->keepalive_interval * 4000 : 120000;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout,
	    sizeof user_timeout);
}

/*
 * The background worker (jobs: media processing) is one more child with a
 * hub connection, in the same table as the sessions so the hub reaches it;
 * it is not counted against the session caps.
 */
static void
worker_start(struct listener *l)
{
	int	sv[2];
	pid_t	pid;

	l->worker_restart_at = 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("worker: socketpair: %s", strerror(errno));
		l->worker_restart_at = mono_ms() + l->worker_backoff;
		return;
	}
	(void)fd_set_nonblock(sv[0]);
	if (spawn_worker(l->cfg, sv[1], &pid) != 0) {
		close(sv[0]);
		close(sv[1]);
		l->worker_restart_at = mono_ms() + l->worker_backoff;
		return;
	}
	close(sv[1]);
	if (children_add(l->children, pid, sv[0], "worker", NULL) != 0) {
		log_error("worker: child table full");
		kill(pid, SIGKILL);
		close(sv[0]);
		return;
	}
	l->worker_pid = pid;
	l->worker_started = mono_ms();
	log_info("worker started: pid %ld", (long)pid);
}

/* The worker ended: log it and plan its restart, sooner when it had run a while. */
static void
worker_ended(struct listener *l, int st)
{
	int64_t lived = mono_ms() - l->worker_started;

	l->worker_pid = -1;
	if (l->stopping)
		return;
	if (lived >= WORKER_STABLE_MS)
		l->worker_backoff = WORKER_BACKOFF_MIN_MS;
	if (WIFSIGNALED(st))
		log_warn("worker died of signal %d after %lld ms; restarting in %lld ms",
		    WTERMSIG(st), (long long)lived, (long long)l->worker_backoff);
	else
		log_warn("worker exited with status %d after %lld ms; restarting in %lld ms",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1, (long long)lived,
		    (long long)l->worker_backoff);
	l->worker_restart_at = mono_ms() + l->worker_backoff;
	l->worker_backoff *= 2;
	if (l->worker_backoff > WORKER_BACKOFF_MAX_MS)
		l->worker_backoff = WORKER_BACKOFF_MAX_MS;
}

/*
 * OpenSSH's MaxStartups: below begin every connection goes ahead; from
 * begin on, rate percent are dropped, rising linearly to all of them at
 * full. Random, so a flood cannot predict which connection gets through.
 */
static bool
startup_dropped(const struct config *c, size_t startups)
{
	uint32_t	p;

	if (startups < (size_t)c->startups_begin)
		return false;
	if (startups >= (size_t)c->startups_full)
		return true;
	p = (uint32_t)c->startups_rate + (uint32_t)((100 - c->startups_rate) *
	    (startups - (size_t)c->startups_begin) /
	    (size_t)(c->startups_full - c->startups_begin));
	return randombytes_uniform(100) < p;
}

/* Pending connections from the same network as net. */
static size_t
pending_count_net(const struct listener *l, const struct netaddr *net)
{
	size_t i, n = 0;

	for (i = 0; i < l->npend; i++)
		n += netaddr_same_net(&l->pend[i].net, net,
		    l->cfg->addr_prefix_v4, l->cfg->addr_prefix_v6);
	return n;
}

/* Take pending connection i out of the array (its fd is the caller's now). */
static struct pending
pending_take(struct listener *l, size_t i)
{
	struct pending p = l->pend[i];

	l->pend[i] = l->pend[--l->npend];
	return p;
}

/*
 * The client of p has sent its first bytes: fork its session child, if the
 * startup caps allow. The fd is closed here either way (the child has its copy).
 */
static void
start_session(struct listener *l, ssh_bind bind, struct pending *p)
{
	const struct config	*c = l->cfg;
	struct children_tally	 t;
	char			 why[96];
	pid_t			 pid, self = getpid();
	int			 sv[2];

	children_tally(l->children, &p->net, &t);
	if (children_count(l->children) >= l->children_cap ||
	    startup_dropped(c, t.startups)) {
		snprintf(why, sizeof why, "%zu connections logging in "
		    "(max_startups %d:%d:%d)", t.startups, c->startups_begin,
		    c->startups_rate, c->startups_full);
		log_refusal(l, REFUSE_STARTUPS, p->addr, why);
		goto out;
	}
	if (c->max_startups_per_addr > 0 &&
	    t.startups_net >= (size_t)c->max_startups_per_addr) {
		snprintf(why, sizeof why, "%zu connections logging in from this "
		    "network (max_startups_per_addr)", t.startups_net);
		log_refusal(l, REFUSE_STARTUPS_NET, p->addr, why);
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_refusal(l, REFUSE_SYSTEM, p->addr, strerror(errno));
		goto out;
	}
	(void)fd_set_nonblock(sv[0]);
	pid = fork();
	if (pid < 0) {
		log_refusal(l, REFUSE_SYSTEM, p->addr, strerror(errno));
		close(sv[0]);
		close(sv[1]);
		goto out;
	}
	if (pid == 0) {
		/* p was taken out of the pending array: child_detach leaves its fd. */
		close(sv[0]);
		child_detach(l, self);
		session_main(c, bind, p->fd, p->addr, p->port, sv[1], p->since);
		_exit(0);	/* not reached */
	}
	close(sv[1]);
	if (children_add(l->children, pid, sv[0], p->addr, &p->net) != 0) {
		/* Cannot happen: the table's size was checked above. */
		log_error("session table full; killing pid %ld", (long)pid);
		kill(pid, SIGKILL);
		close(sv[0]);
		goto out;
	}
	log_debug("connection from %s port %u: session pid %ld (%zu logging in)",
	    p->addr, p->port, (long)pid, t.startups + 1);
 out:
	close(p->fd);
}

/* Accept what is waiting on lfd into the pending array; false when accepting should pause. */
static bool
accept_some(struct listener *l, int lfd)
{
	const struct config	*c = l->cfg;
	struct sockaddr_storage	 ss;
	struct pending		*p;
	struct netaddr		 net;
	socklen_t		 sl;
	char			 addr[64], why[96];
	unsigned		 port;
	size_t			 near;
	int			 fd, i;

	for (i = 0; i < ACCEPT_BURST; i++) {
		sl = sizeof ss;
		fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		    SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_refusal(l, REFUSE_SYSTEM, "?", strerror(errno));
				return false;
			}
			return true;	/* EAGAIN, EINTR, ECONNABORTED ... */
		}
		addr_string(&ss, sl, addr, sizeof addr, &port);
		netaddr_from_sockaddr(&ss, &net);
		if (l->npend >= (size_t)c->max_pending) {
			snprintf(why, sizeof why, "%zu connections waiting for "
			    "their client (max_pending)", l->npend);
			log_refusal(l, REFUSE_PENDING, addr, why);
			close(fd);
			continue;
		}
		if (c->max_pending_per_addr > 0 &&
		    (near = pending_count_net(l, &net)) >=
		    (size_t)c->max_pending_per_addr) {
			snprintf(why, sizeof why, "%zu connections waiting from "
			    "this network (max_pending_per_addr)", near);
			log_refusal(l, REFUSE_PENDING_NET, addr, why);
			close(fd);
			continue;
		}
		tune_socket(c, fd);
		p = &l->pend[l->npend++];
		p->fd = fd;
		p->since = mono_ms();
		p->net = net;
		p->port = port;
		snprintf(p->addr, sizeof p->addr, "%s", addr);
	}
	return true;
}

/* Pending connections whose client spoke go on; silent ones past the grace time go. */
static void
pending_step(struct listener *l, ssh_bind bind, const struct pollfd *pfd,
    size_t n)
{
	struct pending	p;
	int64_t		deadline = mono_ms() -
	    (int64_t)l->cfg->login_grace_time * 1000;
	size_t		i, k;

	/*
	 * pfd[k] was made from pend[k] before the poll, and nothing was added
	 * or removed since (accepts come after this). Walk backwards so that
	 * pending_take's swap-with-last keeps the lower entries in place.
	 */
	for (k = n; k-- > 0; ) {
		i = k;
		if (i >= l->npend || l->pend[i].fd != pfd[k].fd)
			continue;
		if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) {
			p = pending_take(l, i);
			if (pfd[k].revents & POLLIN)
				start_session(l, bind, &p);
			else
				close(p.fd);
		} else if (l->pend[i].since <= deadline) {
			p = pending_take(l, i);
			log_info("no data from %s port %u within %d s: closing",
			    p.addr, p.port, l->cfg->login_grace_time);
			close(p.fd);
		}
	}
}

/* Milliseconds until the oldest pending connection is due to go; -1 for none. */
static int
pending_timeout(const struct listener *l, int64_t now)
{
	int64_t	t = -1, due;
	size_t	i;

	for (i = 0; i < l->npend; i++) {
		due = l->pend[i].since + (int64_t)l->cfg->login_grace_time * 1000 -
		    now;
		if (t < 0 || due < t)
			t = due;
	}
	if (l->npend == 0)
		return -1;
	return t > 0 ? (int)t : 0;
}

/*
 * The caps need an fd for every pending connection and session hub: raise
 * the soft limit on open files as far as the hard limit allows.
 */
static void
raise_fd_limit(const struct config *c)
{
	struct rlimit	rl;
	rlim_t		want = (rlim_t)c->max_pending + 2 *
	    (rlim_t)(c->max_sessions + c->startups_full) + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ?
	    want : rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		log_warn("open files limited to %llu (the caps want %llu): "
		    "raise the hard limit (ulimit -Hn, LimitNOFILE=)",
		    (unsigned long long)rl.rlim_cur, (unsigned long long)want);
}

static void
reap(struct listener *l)
{
	char	addr[64];
	int64_t	secs;
	pid_t	pid;
	int	st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (!children_remove(l->children, pid, addr, sizeof addr, &secs))
			continue;
		if (pid == l->worker_pid) {
			worker_ended(l, st);
			continue;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
			log_warn("session pid %ld from %s died of signal %d "
			    "after %llds", (long)pid, addr, WTERMSIG(st),
			    (long long)secs);
		else
			log_debug("session pid %ld from %s ended after %llds "
			    "(status %d)", (long)pid, addr, (long long)secs,
			    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

static void
begin_stop(struct listener *l, int sig)
{
	struct hub_msg	m = { .kind = HUB_SHUTDOWN };
	size_t		i;

	if (l->stopping) {
		/* A second signal: no more patience. */
		log_warn("signal %d again: killing %zu sessions now", sig,
		    children_count(l->children));
		l->stop_deadline = mono_ms();
		return;
	}
	l->stopping = true;
	l->stop_deadline = mono_ms() + STOP_GRACE_MS;
	for (i = 0; i < l->nfds; i++)
		close(l->fds[i]);
	l->nfds = 0;
	for (i = 0; i < l->npend; i++)
		close(l->pend[i].fd);
	l->npend = 0;
	log_info("signal %d: stopping; telling %zu sessions", sig,
	    children_count(l->children));
	children_broadcast(l->children, &m);
	children_signal(l->children, SIGTERM);
}

/* Read the self-pipe: returns true when a child may have exited. */
static bool
drain_signals(struct listener *l)
{
	unsigned char	b[64];
	ssize_t		n, i;
	bool		chld = false;

	while ((n = read(l->sig_r, b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGCHLD)
				chld = true;
			else
				begin_stop(l, b[i]);
		}
	}
	return chld;
}

/* Past the grace period: SIGKILL what is left and collect it. */
static void
kill_rest(struct listener *l)
{
	char	addr[64];
	int64_t	secs;
	pid_t	pid;
	int	st;

	if (children_count(l->children) == 0)
		return;
	log_warn("%zu sessions still open after %d ms: killing them",
	    children_count(l->children), STOP_GRACE_MS);
	children_signal(l->children, SIGKILL);
	while (children_count(l->children) > 0) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		(void)children_remove(l->children, pid, addr, sizeof addr, &secs);
	}
}

int
listener_run(struct listener *l, ssh_bind bind)
{
	const struct config	*c = l->cfg;
	struct session_limits	 lim;
	struct pollfd		*pfd;
	size_t			 npfd, nhub, npend, base, i;
	bool			 accepting = true;
	int64_t			 pause_until = 0, now;
	int			 timeout, pt, n;

	if (sodium_init() < 0) {
		log_error("cannot initialise libsodium");
		return 1;
	}
	memset(&lim, 0, sizeof lim);
	lim.max_sessions = (size_t)c->max_sessions;
	lim.max_per_addr = (size_t)c->max_sessions_per_addr;
	lim.max_per_user = (size_t)c->max_sessions_per_user;
	lim.prefix4 = c->addr_prefix_v4;
	lim.prefix6 = c->addr_prefix_v6;
	/*
	 * A sign-up becomes a session when its account exists, past the
	 * login check: so sessions can outnumber max_sessions by at most the
	 * startups, and the table has room for both, and the worker.
	 */
	l->children_cap = (size_t)c->max_sessions + (size_t)c->startups_full + 1;
	l->children = children_new(l->children_cap, &lim);
	l->pend = xcalloc((size_t)c->max_pending, sizeof *l->pend);
	raise_fd_limit(c);
	if (install_signals(l) != 0)
		return 1;
	l->worker_pid = -1;
	l->worker_backoff = WORKER_BACKOFF_MIN_MS;
	if (c->worker)
		worker_start(l);
	npfd = 1 + LISTEN_MAX + (size_t)c->max_pending + l->children_cap;
	pfd = xcalloc(npfd, sizeof *pfd);

	for (;;) {
		now = mono_ms();
		if (l->stopping && (children_count(l->children) == 0 ||
		    now >= l->stop_deadline))
			break;
		accepting = !l->stopping && now >= pause_until;

		pfd[0].fd = l->sig_r;
		pfd[0].events = POLLIN;
		base = 1;
		for (i = 0; accepting && i < l->nfds; i++) {
			pfd[base].fd = l->fds[i];
			pfd[base].events = POLLIN;
			base++;
		}
		npend = l->npend;
		for (i = 0; i < npend; i++) {
			pfd[base + i].fd = l->pend[i].fd;
			pfd[base + i].events = POLLIN;
			pfd[base + i].revents = 0;
		}
		nhub = children_pollfds(l->children, pfd + base + npend,
		    npfd - base - npend);

		if (!l->stopping && l->worker_restart_at > 0 && now >= l->worker_restart_at)
			worker_start(l);
		timeout = -1;
		if (l->stopping)
			timeout = (int)(l->stop_deadline - now);
		else if (!accepting)
			timeout = (int)(pause_until - now);
		if (!l->stopping && l->worker_restart_at > 0 &&
		    (timeout < 0 || l->worker_restart_at - now < timeout))
			timeout = (int)(l->worker_restart_at - now);
		if ((pt = pending_timeout(l, now)) >= 0 &&
		    (timeout < 0 || pt < timeout))
			timeout = pt;
		n = poll(pfd, base + npend + nhub, timeout);
		if (n < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		if (n < 0)
			continue;

		/* The hub first: its map is only good until children change. */
		children_dispatch(l->children, pfd + base + npend, nhub);
		if (pfd[0].revents & POLLIN) {
			if (drain_signals(l))
				reap(l);
		}
		/* Before any accept, while pend[] still matches the poll entries. */
		pending_step(l, bind, pfd + base, npend);
		for (i = 1; i < base && !l->stopping; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (!accept_some(l, pfd[i].fd))
				pause_until = mono_ms() + 100;
		}
	}
	free(pfd);
	if (l->stopping)
		kill_rest(l);
	reap(l);
	log_info("stopped");
	return 0;
}
