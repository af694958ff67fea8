/*
 * sshbook benchmarks, on the end-to-end harness (a real sshbookd on a free
 * loopback port, a libssh client, a real terminal emulator):
 *
 *   connect   connect + key auth + first full frame, median of N, as a ratio
 *             against OpenSSH's sshd running `true` for the same client, key
 *             type and key exchange, in the same run
 *   pss       proportional set size per idle session with N sessions open
 *   hold      N concurrent idle sessions, then every one must still answer a key
 *   notify    notification latency: alice's exec `friend add bob` against bob's
 *             status line showing the badge, N runs with 100 idle sessions open
 *   dm        message delivery latency: alice's exec `dm bob TEXT` against TEXT on
 *             bob's open chat screen, N runs with 200 other sessions open, 50 of
 *             them chatting at 1 message/s each (typed into their chat screens)
 *   dmload    throughput: 100 pairs in chat screens, the total message rate raised
 *             step by step (typed + Enter), delivery latency percentiles per step,
 *             until p99 passes 100 ms
 *   fanout    a post reaching 50 friends' screens, when they are all of the
 *             author's friends and when she has 5,000 (the worker's fan-out)
 *   flood     a login under 1,000 silent connections and 100 stalled key
 *             exchanges; pwlogin: password logins per second; bigpty: memory at
 *             the largest screen (bench/attack.c)
 *   chaos     N SIGKILLs of random server processes (exec and TUI apps, session
 *             children, the worker, the listener) while 6 exec writers and 2 TUI
 *             sessions write; every acknowledged write must be in the database
 *             (tests/e2e/chaos.h)
 *
 * Each prints "name: value" lines that bench/run.sh collects. Figures are
 * measured here, never assumed; see bench/README.md for the method.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <sqlite3.h>

#include "bench/attack.h"
#include "bench/util.h"
#include "tests/e2e/chaos.h"
#include "tests/e2e/crowd.h"
#include "tests/e2e/harness.h"

#define FRAME_MARK	"q quit"	/* the status line's hint: drawn with the full frame */
/*
 * Every benchmark's server: room for all its sessions, and no per-user write
 * limit (the benchmarks measure throughput; the limit is tested in test_posts).
 */
#define BENCH_CONF	"max_sessions = 2000\nmax_sessions_per_addr = 2000\nwrite_burst = 0\n"

/* The key exchange each server settled on, printed so the comparison is checked, not assumed. */
static char kex_sshbook[64], kex_openssh[64];

/* Sign the bench user up the way a person would: key, sign-up screen, Enter. */
static int
make_user(struct server *srv, const char *name, ssh_key key)
{
	struct cred	 a = cred_key(key);
	struct term	*t = term_open(srv, name, &a, 80, 24);
	int		 r = -1;

	if (t == NULL)
		return -1;
	if (term_wait_text(t, "Sign up for sshbook", 0)) {
		term_send(t, "\r");
		if (term_wait_text(t, "Welcome to sshbook", 0))
			r = 0;
	}
	term_close(t);
	return r;
}

/* ---- OpenSSH's sshd as the baseline --------------------------------------- */

struct sshd {
	pid_t	pid;
	char	dir[256];
	struct server srv;	/* only port is used, for conn_open */
};

static int
sshd_start(struct sshd *d, ssh_key key)
{
	char		 path[512];
	const char	*line = key_line(key, "bench");
	FILE	*f;
	int	i;
	long long deadline;

	snprintf(d->dir, sizeof d->dir, "/tmp/sshbook-bench-sshd.XXXXXX");
	if (mkdtemp(d->dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "ssh-keygen -q -t ed25519 -N '' -f %s/host_ed25519", d->dir);
	if (system(path) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/authorized_keys", d->dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", line);
	fclose(f);
	chmod(path, 0600);
	mkdir("/run/sshd", 0755);	/* sshd's privilege separation directory */
	snprintf(path, sizeof path, "%s/sshd_config", d->dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	/* Same host key type as sshbookd; key auth only; nothing slow (no DNS, no PAM). */
	fprintf(f,
	    "HostKey %s/host_ed25519\n"
	    "AuthorizedKeysFile %s/authorized_keys\n"
	    "PermitRootLogin prohibit-password\n"
	    "PasswordAuthentication no\n"
	    "KbdInteractiveAuthentication no\n"
	    "UsePAM no\n"
	    "UseDNS no\n"
	    "StrictModes no\n"
	    "PrintMotd no\n"
	    "PidFile none\n"
	    "MaxStartups 100:30:200\n"
	    "ListenAddress 127.0.0.1\n",
	    d->dir, d->dir);
	fclose(f);
	d->srv.port = 20000 + (int)(getpid() % 20000);
	for (i = 0; i < 20; i++, d->srv.port++) {
		char portarg[16];

		snprintf(portarg, sizeof portarg, "%d", d->srv.port);
		if ((d->pid = fork()) == 0) {
			int devnull = open("/dev/null", 0);

			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			/* sshd re-executes itself, so argv[0] must be its absolute path. */
			execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-f", path, "-p", portarg, (char *)NULL);
			_exit(127);
		}
		deadline = harness_now_ms() + 5000;
		while (harness_now_ms() < deadline) {
			struct conn	*c = NULL;
			struct cred	 a = cred_key(key);

			if (waitpid(d->pid, NULL, WNOHANG) == d->pid)
				break;	/* port taken, most likely: try the next one */
			if (conn_open(&d->srv, "root", &a, &c) == CONN_OK) {
				conn_close(c);
				return 0;
			}
			if (c)
				conn_close(c);
			usleep(20000);
		}
		kill(d->pid, SIGKILL);
		waitpid(d->pid, NULL, 0);
	}
	return -1;
}

static void
sshd_stop(struct sshd *d)
{
	char cmd[300];

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", d->dir);
}

/* One OpenSSH round: connect, key auth, exec true, wait for the exit status. */
static double
sshd_once(struct sshd *d, ssh_key key)
{
	struct conn	*c = NULL;
	struct cred	 a = cred_key(key);
	ssh_channel	 ch;
	double		 ms = -1;
	char		 buf[256];
	struct timespec	 ts0, ts1;

	clock_gettime(CLOCK_MONOTONIC, &ts0);
	if (conn_open(&d->srv, "root", &a, &c) != CONN_OK)
		goto out;
	if ((ch = ssh_channel_new(c->s)) == NULL || ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_exec(ch, "true") != SSH_OK)
		goto out;
	while (ssh_channel_read(ch, buf, sizeof buf, 0) > 0)
		;
	if (ssh_channel_get_exit_status(ch) != 0)
		goto out;
	snprintf(kex_openssh, sizeof kex_openssh, "%s", ssh_get_kex_algo(c->s));
	clock_gettime(CLOCK_MONOTONIC, &ts1);
	ms = (double)(ts1.tv_sec - ts0.tv_sec) * 1e3 + (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e6;
	ssh_channel_close(ch);
	ssh_channel_free(ch);
 out:
	if (c)
		conn_close(c);
	return ms;
}

/* One sshbook round: connect, key auth, pty + shell, until the first full frame is on screen. */
static double
sshbook_once(struct server *srv, const char *user, ssh_key key)
{
	struct cred	 a = cred_key(key);
	struct term	*t;
	struct timespec	 ts0, ts1;
	double		 ms = -1;

	clock_gettime(CLOCK_MONOTONIC, &ts0);
	if ((t = term_open(srv, user, &a, 80, 24)) == NULL)
		return -1;
	if (term_wait_text(t, FRAME_MARK, 0)) {
		clock_gettime(CLOCK_MONOTONIC, &ts1);
		snprintf(kex_sshbook, sizeof kex_sshbook, "%s", ssh_get_kex_algo(t->c->s));
		ms = (double)(ts1.tv_sec - ts0.tv_sec) * 1e3 +
		    (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e6;
	}
	term_close(t);
	return ms;
}

static int
bench_connect(int n)
{
	struct server	*srv = NULL;
	struct sshd	 d;
	ssh_key		 key = key_new();
	double		*a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b);
	double		 ma, mb;
	int		 i, rc = 1;

	memset(&d, 0, sizeof d);
	if (server_start(&srv, BENCH_CONF) != 0 || make_user(srv, "bench", key) != 0) {
		fprintf(stderr, "bench: cannot start sshbookd\n");
		goto out;
	}
	if (sshd_start(&d, key) != 0) {
		fprintf(stderr, "bench: cannot start OpenSSH's sshd (is openssh-server installed?)\n");
		goto out;
	}
	/* Interleave the two so drift on the machine hits both alike; one warm-up each. */
	sshbook_once(srv, "bench", key);
	sshd_once(&d, key);
	for (i = 0; i < n; i++) {
		if ((a[i] = sshbook_once(srv, "bench", key)) < 0 ||
		    (b[i] = sshd_once(&d, key)) < 0) {
			fprintf(stderr, "bench: round %d failed\n", i);
			goto out;
		}
	}
	ma = percentile(a, n, 0.5);
	mb = percentile(b, n, 0.5);
	printf("connect_sshbook_first_frame_median_ms: %.1f\n", ma);
	printf("connect_sshbook_first_frame_p90_ms: %.1f\n", percentile(a, n, 0.9));
	printf("connect_openssh_true_median_ms: %.1f\n", mb);
	printf("connect_openssh_true_p90_ms: %.1f\n", percentile(b, n, 0.9));
	printf("connect_ratio_sshbook_to_openssh: %.2f (target <= 0.70)\n", ma / mb);
	printf("connect_kex: sshbook %s, openssh %s\n", kex_sshbook, kex_openssh);
	rc = 0;
 out:
	sshd_stop(&d);
	if (srv)
		server_stop(srv);
	free(a);
	free(b);
	return rc;
}

/* Open n idle sessions on Home; returns how many opened. */
static int
open_sessions(struct server *srv, ssh_key key, struct term **terms, int n)
{
	struct cred	a = cred_key(key);
	int		i;

	for (i = 0; i < n; i++) {
		if ((terms[i] = term_open(srv, "bench", &a, 80, 24)) == NULL ||
		    !term_wait_text(terms[i], FRAME_MARK, 0)) {
			fprintf(stderr, "bench: session %d did not open\n", i);
			return i;
		}
	}
	return n;
}

static int
bench_pss(int n)
{
	struct server	 *srv = NULL;
	ssh_key		  key = key_new();
	struct term	**terms = calloc((size_t)n, sizeof *terms);
	pid_t		 *pids = calloc((size_t)n * 4 + 16, sizeof *pids);
	pid_t		  self;
	int		  opened = 0, np, i, rc = 1;
	long		  total, listener;

	raise_fd_limit();
	/* server_descendants leaves out the background worker: one per server, not per session. */
	if (server_start(&srv, BENCH_CONF) != 0 ||
	    make_user(srv, "bench", key) != 0)
		goto out;
	if ((opened = open_sessions(srv, key, terms, n)) != n)
		goto out;
	np = server_descendants(srv, pids, n * 4 + 16);
	self = srv->pid;
	total = pss_kb(pids, np);
	listener = pss_kb(&self, 1);
	printf("pss_sessions_open: %d\n", n);
	printf("pss_processes_per_session: %.1f\n", (double)np / n);
	printf("pss_per_session_kb: %.0f (target <= 3072)\n", (double)total / n);
	printf("pss_listener_kb: %ld\n", listener);
	rc = 0;
 out:
	for (i = 0; i < opened; i++)
		term_close(terms[i]);
	if (srv)
		server_stop(srv);
	free(terms);
	free(pids);
	return rc;
}

static int
bench_hold(int n)
{
	struct server	 *srv = NULL;
	ssh_key		  key = key_new();
	struct term	**terms = calloc((size_t)n, sizeof *terms);
	int		  opened = 0, answered = 0, i, rc = 1;
	long long	  t0;

	raise_fd_limit();
	if (server_start(&srv, BENCH_CONF) != 0 ||
	    make_user(srv, "bench", key) != 0)
		goto out;
	t0 = harness_now_ms();
	opened = open_sessions(srv, key, terms, n);
	printf("hold_sessions_opened: %d of %d in %.1f s\n", opened, n,
	    (double)(harness_now_ms() - t0) / 1000);
	/* Every session must still answer: switch it to tab 3 (Messages) and see the screen change. */
	for (i = 0; i < opened; i++) {
		term_send(terms[i], "3");
		if (term_wait_text(terms[i], "0 conversations", 0))
			answered++;
	}
	printf("hold_sessions_answering: %d of %d (target: 500 of 500)\n", answered, n);
	rc = answered == n ? 0 : 1;
 out:
	for (i = 0; i < opened; i++)
		term_close(terms[i]);
	if (srv)
		server_stop(srv);
	free(terms);
	return rc;
}

/* ---- notify: from a friend request to the other side's badge ------------------ */

/* Sign name up through the sign-up screen and keep the session open on Home; NULL on failure. */
static struct term *
signup_stay(struct server *srv, const char *name, ssh_key key)
{
	struct cred	 a = cred_key(key);
	struct term	*t = term_open(srv, name, &a, 80, 24);

	if (t == NULL)
		return NULL;
	if (!term_wait_text(t, "Sign up for sshbook", 0)) {
		term_close(t);
		return NULL;
	}
	term_send(t, "\r");
	if (!term_wait_text(t, "Welcome to sshbook", 0) || !term_wait_row(t, -1, " notif 0 ", 0)) {
		term_close(t);
		return NULL;
	}
	return t;
}

/* Whether the status line (the last row) shows the badge " notif N ". */
static bool
badge_is(struct term *t, int n)
{
	char row[512], want[32];

	snprintf(want, sizeof want, " notif %d ", n);
	vt_row(t->vt, -1, row, sizeof row);
	return strstr(row, want) != NULL;
}

/* Pump t until the badge reads n or the harness deadline passes. */
static bool
wait_badge(struct term *t, int n)
{
	long long deadline = harness_now_ms() + harness_timeout_ms();

	while (!badge_is(t, n)) {
		if (harness_now_ms() >= deadline || term_pump(t, 50) < 0) {
			fprintf(stderr, "bench: the badge did not reach %d; the screen:\n", n);
			vt_dump(t->vt, stderr);
			return false;
		}
	}
	return true;
}

static void
print_dist(const char *name, double *v, int n, const char *note)
{
	int neg = 0, i;

	for (i = 0; i < n; i++)
		neg += v[i] < 0;
	printf("%s_median_ms: %.2f\n", name, percentile(v, n, 0.5));
	printf("%s_p90_ms: %.2f\n", name, percentile(v, n, 0.9));
	printf("%s_p99_ms: %.2f%s\n", name, percentile(v, n, 0.99), note);
	printf("%s_min_max_ms: %.2f %.2f\n", name, v[0], v[n - 1]);	/* sorted by percentile() */
	printf("%s_negative_runs: %d of %d\n", name, neg, n);
}

/*
 * One run: alice connects (not timed), opens a session channel and sends the
 * exec request `friend add bob` (t_sent); one poll() loop over both sockets
 * records when her exit status is processed (t_exit) and when bob's status
 * line first shows " notif 1 " (t_badge). Both clocks are this process's.
 */
static int
notify_once(struct server *srv, const struct cred *alice, struct term *bob,
    double *badge_exit, double *badge_sent, double *exit_sent)
{
	struct exec_chan	*e;
	long long		 t_badge = 0, deadline = harness_now_ms() + harness_timeout_ms();
	int			 status = -1, rc = -1;

	if ((e = exec_start(srv, "alice", alice, "friend add bob")) == NULL)
		return -1;
	exec_send_eof(e);
	while (!(e->exited && t_badge != 0)) {
		struct pollfd pfd[2] = {
			{ exec_fd(e), POLLIN, 0 },
			{ ssh_get_fd(bob->c->s), POLLIN, 0 },
		};

		if (harness_now_ms() >= deadline) {
			fprintf(stderr, "bench: run timed out (exit %s, badge %s)\n",
			    e->exited ? "seen" : "not seen", t_badge ? "seen" : "not seen");
			vt_dump(bob->vt, stderr);
			goto out;
		}
		poll(pfd, 2, 20);
		if (!e->exited)
			exec_pump(e, 0);
		if (t_badge == 0) {
			term_pump(bob, 0);
			if (badge_is(bob, 1))
				t_badge = harness_now_us();
		}
	}
	if (!exec_wait_exit(e, 0, &status) || status != 0) {
		fprintf(stderr, "bench: friend add bob exited %d: %s\n", status, e->err);
		goto out;
	}
	*badge_exit = (double)(t_badge - e->t_exit_us) / 1000;
	*badge_sent = (double)(t_badge - e->t_sent_us) / 1000;
	*exit_sent = (double)(e->t_exit_us - e->t_sent_us) / 1000;
	rc = 0;
 out:
	exec_close(e);
	return rc;
}

static int
bench_notify(int runs, int nidle)
{
	struct server		 *srv = NULL;
	ssh_key			  ka = key_new(), kb = key_new();
	struct cred		  ca = cred_key(ka);
	struct term		**idle = calloc((size_t)nidle, sizeof *idle), *bob = NULL;
	double			 *be = calloc((size_t)runs, sizeof *be);
	double			 *bs = calloc((size_t)runs, sizeof *bs);
	double			 *es = calloc((size_t)runs, sizeof *es);
	struct exec_result	  r;
	char			  name[32];
	int			  opened = 0, i, done = 0, rc = 1;
	long long		  t0;

	raise_fd_limit();
	if (server_start(&srv, BENCH_CONF) != 0)
		goto out;
	t0 = harness_now_ms();
	for (; opened < nidle; opened++) {
		snprintf(name, sizeof name, "idle%d", opened + 1);
		if ((idle[opened] = signup_stay(srv, name, key_new())) == NULL) {
			fprintf(stderr, "bench: idle session %d did not open\n", opened + 1);
			goto out;
		}
	}
	if (make_user(srv, "alice", ka) != 0 || (bob = signup_stay(srv, "bob", kb)) == NULL ||
	    !wait_badge(bob, 0))
		goto out;
	printf("notify_idle_sessions: %d (other users, on Home; opened in %.1f s)\n", nidle,
	    (double)(harness_now_ms() - t0) / 1000);
	/* one warm-up run, not counted: the first exec pages in what later ones share */
	for (i = -1; i < runs; i++) {
		double x, y, z;

		if (notify_once(srv, &ca, bob, &x, &y, &z) != 0) {
			fprintf(stderr, "bench: run %d failed\n", i);
			goto out;
		}
		if (i >= 0) {
			be[done] = x;
			bs[done] = y;
			es[done] = z;
			done++;
		}
		/* reset, not timed: the request goes, and its notification with it */
		if (run_exec(srv, "alice", &ca, "friend cancel bob", NULL, 0, &r) != 0 ||
		    r.status != 0) {
			fprintf(stderr, "bench: friend cancel bob failed: %s\n", r.err);
			exec_result_free(&r);
			goto out;
		}
		exec_result_free(&r);
		if (!wait_badge(bob, 0))
			goto out;
	}
	printf("notify_runs: %d (+1 warm-up)\n", done);
	print_dist("notify_badge_after_exit", be, done, " (target p99 < 50)");
	print_dist("notify_badge_after_request", bs, done, "");
	print_dist("notify_exit_after_request", es, done, "");
	rc = 0;
 out:
	if (bob != NULL)
		term_close(bob);
	for (i = 0; i < opened; i++)
		term_close(idle[i]);
	if (srv)
		server_stop(srv);
	free(idle);
	free(be);
	free(bs);
	free(es);
	return rc;
}

/* ---- dm and dmload: direct messages, from one screen to another ------------------ */

#define DM_CONF		BENCH_CONF
#define FLEET_MAX	1024

/*
 * Terminals pumped together: one poll() over all their sockets, and only the
 * ones with something to read are pumped (the benchmark process shares the
 * machine with the server: it must not spin over hundreds of idle sessions).
 */
struct fleet {
	struct term	*t[FLEET_MAX];
	int		 n;
	struct pollfd	 pfd[FLEET_MAX + 1];
	bool		 ready[FLEET_MAX];	/* pumped in the last fleet_poll */
};

/* Wait up to ms for any terminal (or extra_fd, -1 for none) to have output; pump those. */
static int
fleet_poll(struct fleet *f, int extra_fd, int ms)
{
	int i, n, k = 0;

	for (i = 0; i < f->n; i++) {
		f->pfd[i].fd = ssh_get_fd(f->t[i]->c->s);
		f->pfd[i].events = POLLIN;
		f->pfd[i].revents = 0;
	}
	f->pfd[f->n].fd = extra_fd;
	f->pfd[f->n].events = POLLIN;
	f->pfd[f->n].revents = 0;
	n = poll(f->pfd, (nfds_t)f->n + 1, ms);
	for (i = 0; i < f->n; i++) {
		f->ready[i] = n > 0 && (f->pfd[i].revents & (POLLIN | POLLHUP | POLLERR));
		if (f->ready[i]) {
			term_pump(f->t[i], 0);
			k++;
		}
	}
	return k;
}

/* Open the chat with whom on t (`:dm whom`, Enter) and wait for it and its input line. */
static bool
chat_open(struct term *t, const char *whom)
{
	char cmd[64], title[96];

	snprintf(cmd, sizeof cmd, ":dm %s\r", whom);
	snprintf(title, sizeof title, "@%s", whom);
	term_send(t, ":");
	if (!term_wait_row(t, -1, ":", 0))
		return false;
	term_send(t, cmd + 1);
	return term_wait_row(t, 1, "Chat with", 0) && term_wait_row(t, 1, title, 0) &&
	    term_wait_row(t, -2, ">", 0);
}

/* a asks, b accepts, both over exec. */
static bool
befriend(struct server *srv, const char *a, const struct cred *ca, const char *b,
    const struct cred *cb)
{
	struct exec_result	r;
	char			cmd[96];
	bool			ok;

	snprintf(cmd, sizeof cmd, "friend add %s", b);
	ok = run_exec(srv, a, ca, cmd, NULL, 0, &r) == 0 && r.status == 0;
	exec_result_free(&r);
	snprintf(cmd, sizeof cmd, "friend accept %s", a);
	ok = ok && run_exec(srv, b, cb, cmd, NULL, 0, &r) == 0 && r.status == 0;
	exec_result_free(&r);
	if (!ok)
		fprintf(stderr, "bench: %s and %s could not become friends\n", a, b);
	return ok;
}

/*
 * n users named PREFIX1..PREFIXn signed up and left on Home (each its own key);
 * the first npairs * 2 of them friends in pairs (1-2, 3-4, ...) and in the chat
 * with each other. Terminals go into f. Returns 0, or -1 after printing why.
 */
static int
open_people(struct server *srv, struct fleet *f, const char *prefix, int n, int npairs)
{
	ssh_key		*keys = calloc((size_t)n, sizeof *keys);
	char		 a[32], b[32];
	long long	 t0 = harness_now_ms();
	int		 i, rc = -1;

	for (i = 0; i < n; i++) {
		snprintf(a, sizeof a, "%s%d", prefix, i + 1);
		keys[i] = key_new();
		if ((f->t[f->n] = signup_stay(srv, a, keys[i])) == NULL) {
			fprintf(stderr, "bench: %s did not sign up\n", a);
			goto out;
		}
		f->n++;
	}
	for (i = 0; i < npairs; i++) {
		struct cred ca = cred_key(keys[2 * i]), cb = cred_key(keys[2 * i + 1]);

		snprintf(a, sizeof a, "%s%d", prefix, 2 * i + 1);
		snprintf(b, sizeof b, "%s%d", prefix, 2 * i + 2);
		if (!befriend(srv, a, &ca, b, &cb))
			goto out;
	}
	for (i = 0; i < 2 * npairs; i++) {
		snprintf(b, sizeof b, "%s%d", prefix, (i ^ 1) + 1);	/* the partner */
		if (!chat_open(f->t[f->n - n + i], b)) {
			fprintf(stderr, "bench: %s%d could not open the chat with %s\n", prefix,
			    i + 1, b);
			goto out;
		}
	}
	fprintf(stderr, "bench: %d sessions of %s* open (%d pairs chatting) in %.1f s\n", n,
	    prefix, npairs, (double)(harness_now_ms() - t0) / 1000);
	rc = 0;
 out:
	free(keys);
	return rc;
}

/* CPU time (ms) this process has used. */
static double
self_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* Messages stored so far, read from the database itself (WAL: a reader does not block). */
static long long
stored_messages(struct server *srv)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	char		 path[1024];
	long long	 n = -1;

	snprintf(path, sizeof path, "%s/sshbook.db", srv->data_dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM messages", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* ---- dm: one message's way from alice's exec to bob's open chat ---- */

struct dm_exec {
	ssh_channel	 ch;
	struct ssh_channel_callbacks_struct cb;
	bool		 pending;	/* the exec request is not answered yet */
	bool		 exited;
	int		 status;
	long long	 t_sent_us, t_exit_us;
};

static void
dm_exit_status(ssh_session s, ssh_channel ch, int status, void *userdata)
{
	struct dm_exec *d = userdata;

	(void)s;
	(void)ch;
	if (!d->exited) {
		d->t_exit_us = harness_now_us();
		d->exited = true;
		d->status = status;
	}
}

/*
 * A new session channel on alice's open connection (blocking: one round trip,
 * not timed), then the exec request, sent without waiting (t_sent).
 */
static int
dm_exec_start(struct conn *c, struct dm_exec *d, const char *cmdline)
{
	int rc;

	memset(d, 0, sizeof *d);
	d->status = -1;
	ssh_set_blocking(c->s, 1);
	if ((d->ch = ssh_channel_new(c->s)) == NULL || ssh_channel_open_session(d->ch) != SSH_OK) {
		fprintf(stderr, "bench: channel: %s\n", ssh_get_error(c->s));
		return -1;
	}
	d->cb.userdata = d;
	d->cb.channel_exit_status_function = dm_exit_status;
	ssh_callbacks_init(&d->cb);
	ssh_set_channel_callbacks(d->ch, &d->cb);
	ssh_set_blocking(c->s, 0);
	d->t_sent_us = harness_now_us();
	if ((rc = ssh_channel_request_exec(d->ch, cmdline)) == SSH_ERROR) {
		fprintf(stderr, "bench: exec '%s': %s\n", cmdline, ssh_get_error(c->s));
		return -1;
	}
	d->pending = rc == SSH_AGAIN;
	return 0;
}

/* Take what arrived on the channel (the answer, output, the exit status). */
static void
dm_exec_pump(struct dm_exec *d, const char *cmdline)
{
	char buf[1024];

	if (d->pending)
		d->pending = ssh_channel_request_exec(d->ch, cmdline) == SSH_AGAIN;
	ssh_channel_poll_timeout(d->ch, 0, 0);
	while (ssh_channel_read_nonblocking(d->ch, buf, sizeof buf, 0) > 0)
		;
	while (ssh_channel_read_nonblocking(d->ch, buf, sizeof buf, 1) > 0)
		;
}

static void
dm_exec_end(struct conn *c, struct dm_exec *d)
{
	ssh_set_blocking(c->s, 1);
	if (d->ch != NULL) {
		if (ssh_channel_is_open(d->ch) && !ssh_channel_is_closed(d->ch))
			ssh_channel_close(d->ch);
		ssh_channel_free(d->ch);
		d->ch = NULL;
	}
}

/* The background chat of the dm benchmark: who says what when. */
struct chatter {
	long long	next_us;
	int		seq;
};

/*
 * Send what is due from the chatters (fleet terminals 0..nchat), typed into
 * their open chats with Enter; returns how many went.
 */
static int
chatters_send(struct fleet *f, struct chatter *ch, int nchat, long long now_us)
{
	char	text[48];
	int	i, sent = 0;

	for (i = 0; i < nchat; i++) {
		if (now_us < ch[i].next_us)
			continue;
		snprintf(text, sizeof text, "bg%d-%d\r", i, ch[i].seq++);
		term_send(f->t[i], text);
		term_pump(f->t[i], 0);	/* what the blocking write let libssh read */
		ch[i].next_us += 1000000;	/* one a second each */
		sent++;
	}
	return sent;
}

static long long
chatters_next(const struct chatter *ch, int nchat)
{
	long long next = LLONG_MAX;

	for (int i = 0; i < nchat; i++)
		if (ch[i].next_us < next)
			next = ch[i].next_us;
	return next;
}

static int
bench_dm(int runs, int nother, int nchat)
{
	struct server	 *srv = NULL;
	struct fleet	 *f = calloc(1, sizeof *f);
	struct chatter	 *ch = calloc((size_t)(nchat > 0 ? nchat : 1), sizeof *ch);
	ssh_key		  ka = key_new(), kb = key_new();
	struct cred	  ca = cred_key(ka), cb = cred_key(kb);
	struct conn	 *alice = NULL;
	struct term	 *bob = NULL;
	double		 *se = calloc((size_t)runs, sizeof *se);
	double		 *ss = calloc((size_t)runs, sizeof *ss);
	double		 *es = calloc((size_t)runs, sizeof *es);
	long long	  t0, bg_t0, now;
	int		  bg_sent = 0, done = 0, i, rc = 1;

	raise_fd_limit();
	if (nother > FLEET_MAX - 2 || nchat > nother || nchat % 2 != 0) {
		fprintf(stderr, "bench: dm: at most %d others, an even number of chatters\n",
		    FLEET_MAX - 2);
		goto out;
	}
	if (server_start(&srv, DM_CONF) != 0)
		goto out;
	if (open_people(srv, f, "o", nother, nchat / 2) != 0)
		goto out;
	if (make_user(srv, "alice", ka) != 0 || (bob = signup_stay(srv, "bob", kb)) == NULL ||
	    !befriend(srv, "alice", &ca, "bob", &cb) || !chat_open(bob, "alice"))
		goto out;
	f->t[f->n++] = bob;	/* pumped with the others; the last one */
	if (conn_open(srv, "alice", &ca, &alice) != CONN_OK) {
		fprintf(stderr, "bench: alice cannot log in\n");
		goto out;
	}
	printf("dm_sessions: %d others (%d chatting at 1 message/s each, typed into their "
	    "open chats), bob in the chat with alice\n", nother, nchat);

	/* the chatters start, staggered over a second; two seconds of it before the first run */
	bg_t0 = harness_now_us();
	for (i = 0; i < nchat; i++)
		ch[i].next_us = bg_t0 + (long long)i * 1000000 / (nchat ? nchat : 1);
	while ((now = harness_now_us()) < bg_t0 + 2000000) {
		bg_sent += chatters_send(f, ch, nchat, now);
		fleet_poll(f, -1, 10);
	}
	t0 = harness_now_ms();
	for (i = -1; i < runs; i++) {	/* run -1: warm-up, not counted */
		struct dm_exec	d;
		char		cmd[64], text[32];
		long long	t_screen = 0, deadline = harness_now_ms() + harness_timeout_ms();

		snprintf(text, sizeof text, "dmlat-%04d-x", i + 1);
		snprintf(cmd, sizeof cmd, "dm bob %s", text);
		if (dm_exec_start(alice, &d, cmd) != 0)
			goto out;
		while (!(d.exited && t_screen != 0)) {
			long long	next = chatters_next(ch, nchat);
			int		wait_ms;

			now = harness_now_us();
			if (harness_now_ms() >= deadline) {
				fprintf(stderr, "bench: run %d timed out (exit %s, screen %s)\n", i,
				    d.exited ? "seen" : "not seen", t_screen ? "seen" : "not seen");
				vt_dump(bob->vt, stderr);
				dm_exec_end(alice, &d);
				goto out;
			}
			bg_sent += chatters_send(f, ch, nchat, now);
			wait_ms = next == LLONG_MAX ? 20 : (int)((next - now) / 1000);
			wait_ms = wait_ms < 0 ? 0 : wait_ms > 20 ? 20 : wait_ms;
			fleet_poll(f, d.exited ? -1 : ssh_get_fd(alice->s), wait_ms);
			if (!d.exited)
				dm_exec_pump(&d, cmd);
			if (t_screen == 0 && f->ready[f->n - 1] && vt_contains(bob->vt, text))
				t_screen = harness_now_us();
		}
		dm_exec_end(alice, &d);
		if (d.status != 0) {
			fprintf(stderr, "bench: '%s' exited %d\n", cmd, d.status);
			goto out;
		}
		if (i >= 0) {
			se[done] = (double)(t_screen - d.t_exit_us) / 1000;
			ss[done] = (double)(t_screen - d.t_sent_us) / 1000;
			es[done] = (double)(d.t_exit_us - d.t_sent_us) / 1000;
			done++;
		}
	}
	now = harness_now_us();
	printf("dm_runs: %d (+1 warm-up) in %.1f s\n", done, (double)(harness_now_ms() - t0) / 1000);
	printf("dm_background_messages: %d in %.1f s (%.1f/s, target %d/s)\n", bg_sent,
	    (double)(now - bg_t0) / 1e6, bg_sent / ((double)(now - bg_t0) / 1e6), nchat);
	/* the last background messages may still be on their way */
	for (t0 = harness_now_ms(); stored_messages(srv) < bg_sent + done + 1 &&
	    harness_now_ms() < t0 + 3000;)
		fleet_poll(f, -1, 20);
	printf("dm_stored_messages: %lld (expected %d: background, runs, warm-up)\n",
	    stored_messages(srv), bg_sent + done + 1);
	print_dist("dm_screen_after_exit", se, done, " (target p99 < 20)");
	print_dist("dm_screen_after_request", ss, done, " (target p99 < 20)");
	print_dist("dm_exit_after_request", es, done, "");
	rc = 0;
 out:
	if (alice != NULL)
		conn_close(alice);
	for (i = 0; i < f->n; i++)
		term_close(f->t[i]);
	if (srv)
		server_stop(srv);
	free(f);
	free(ch);
	free(se);
	free(ss);
	free(es);
	return rc;
}

/* ---- dmload: how many messages a second before p99 delivery passes 100 ms ---- */

#define LOAD_QMAX	64	/* messages in flight to one terminal */

/* Messages on their way to one terminal (sent by its partner), oldest first. */
struct inbox {
	int		 seq[LOAD_QMAX];
	long long	 t_us[LOAD_QMAX];
	int		 head, n;
};

/*
 * What reached terminal i: every message of its inbox up to the newest one on
 * its screen is delivered now (older ones may have scrolled past already).
 */
static void
inbox_check(struct fleet *f, struct inbox *in, int i, double *lat, int *nlat, int maxlat)
{
	struct inbox	*b = &in[i];
	char		*screen, text[32];
	long long	 now = harness_now_us();
	int		 k, upto = -1;

	if (b->n == 0)
		return;
	screen = vt_text(f->t[i]->vt);
	for (k = b->n - 1; k >= 0 && upto < 0; k--) {
		snprintf(text, sizeof text, "q%07dz", b->seq[(b->head + k) % LOAD_QMAX]);
		if (strstr(screen, text) != NULL)
			upto = k;
	}
	free(screen);
	for (k = 0; k <= upto; k++) {
		if (*nlat < maxlat)
			lat[(*nlat)++] = (double)(now - b->t_us[b->head]) / 1000;
		b->head = (b->head + 1) % LOAD_QMAX;
		b->n--;
	}
}

static int
bench_dmload(int npairs, int step_ms)
{
	static const int rates[] = { 25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200, 1600 };
	struct server	*srv = NULL;
	struct fleet	*f = calloc(1, sizeof *f);
	struct inbox	*in = calloc((size_t)npairs * 2, sizeof *in);
	int		 maxlat = 1600 * (step_ms / 1000 + 2) + 1000;
	double		*lat = calloc((size_t)maxlat, sizeof *lat);
	long long	 stored0;
	int		 n = npairs * 2, seq = 0, best = 0, sender = 0, rc = 1;
	size_t		 r;

	raise_fd_limit();
	if (n > FLEET_MAX || n < 2) {
		fprintf(stderr, "bench: dmload: 1 to %d pairs\n", FLEET_MAX / 2);
		goto out;
	}
	if (server_start(&srv, DM_CONF) != 0 || open_people(srv, f, "p", n, npairs) != 0)
		goto out;
	printf("dmload_sessions: %d in chat screens (%d pairs), steps of %.1f s, messages typed "
	    "into the sender's chat with Enter\n", n, npairs, step_ms / 1000.0);
	for (r = 0; r < sizeof rates / sizeof rates[0]; r++) {
		long long	t_start = harness_now_us(), t_end = t_start + (long long)step_ms * 1000;
		long long	next = t_start, interval = 1000000 / rates[r], now, drain_until;
		int		sent = 0, nlat = 0, lost = 0, full = 0, i;
		double		secs, p50, p99, mx, cpu_srv, cpu_self;

		stored0 = stored_messages(srv);
		cpu_srv = server_cpu_ms(srv, true);
		cpu_self = self_cpu_ms();
		while ((now = harness_now_us()) < t_end) {
			int wait_ms;

			while (now >= next && next < t_end) {
				struct inbox	*b = &in[sender ^ 1];
				char		 text[32];

				if (b->n == LOAD_QMAX) {
					full++;		/* the partner is that far behind: skip */
				} else {
					snprintf(text, sizeof text, "q%07dz\r", ++seq);
					b->seq[(b->head + b->n) % LOAD_QMAX] = seq;
					b->t_us[(b->head + b->n) % LOAD_QMAX] = harness_now_us();
					b->n++;
					sent++;
					term_send(f->t[sender], text);
					/*
					 * A blocking write lets libssh read what came in meanwhile
					 * into its own buffer, where poll() does not see it: take
					 * it now, or it waits for the terminal's next output.
					 */
					term_pump(f->t[sender], 0);
					inbox_check(f, in, sender, lat, &nlat, maxlat);
				}
				sender = (sender + 1) % n;
				next += interval;
			}
			wait_ms = (int)((next - now) / 1000);
			wait_ms = wait_ms < 0 ? 0 : wait_ms > 10 ? 10 : wait_ms;
			fleet_poll(f, -1, wait_ms);
			for (i = 0; i < n; i++)
				if (f->ready[i])
					inbox_check(f, in, i, lat, &nlat, maxlat);
		}
		secs = (double)(harness_now_us() - t_start) / 1e6;
		cpu_srv = server_cpu_ms(srv, true) - cpu_srv;
		cpu_self = self_cpu_ms() - cpu_self;
		/* what is still on its way gets up to 3 s more */
		drain_until = harness_now_ms() + 3000;
		for (;;) {
			int left = 0;

			for (i = 0; i < n; i++)
				left += in[i].n;
			if (left == 0 || harness_now_ms() >= drain_until) {
				lost = left;
				break;
			}
			fleet_poll(f, -1, 10);
			for (i = 0; i < n; i++)
				if (f->ready[i])
					inbox_check(f, in, i, lat, &nlat, maxlat);
		}
		for (i = 0; i < n; i++)
			in[i].head = in[i].n = 0;	/* lost ones are not waited for again */
		if (nlat == 0) {
			fprintf(stderr, "bench: dmload: nothing was delivered at %d/s\n", rates[r]);
			goto out;
		}
		p50 = percentile(lat, nlat, 0.5);
		p99 = percentile(lat, nlat, 0.99);
		mx = lat[nlat - 1];
		printf("dmload_step: target %d/s sent %.0f/s (%d) delivered %d lost %d stored %lld "
		    "p50 %.1f ms p90 %.1f ms p99 %.1f ms max %.1f ms; CPU server %.0f%% bench %.0f%% "
		    "(of one core)%s\n", rates[r], sent / secs, sent, nlat, lost,
		    stored_messages(srv) - stored0, p50, percentile(lat, nlat, 0.9), p99, mx,
		    cpu_srv / secs / 10, cpu_self / secs / 10, full ? " (inboxes full)" : "");
		fflush(stdout);
		if (p99 > 100 || lost > 0 || full > 0 || sent / secs < rates[r] * 0.95)
			break;
		best = rates[r];
	}
	printf("dmload_highest_rate_p99_under_100ms: %d messages/s%s\n", best,
	    r == sizeof rates / sizeof rates[0] ? " (the highest step tried)" : "");
	rc = 0;
 out:
	for (int i = 0; i < f->n; i++)
		term_close(f->t[i]);
	if (srv)
		server_stop(srv);
	free(f);
	free(in);
	free(lat);
	return rc;
}

/* ---- fanout: one post to the screens of many friends ------------------------------ */

#define FANOUT_ONLINE	50	/* friends on Home, watched */
#define FANOUT_CROWD	4950	/* friends offline, only hinted: 5,000 friends in all */
#define FANOUT_MAX_RUNS	19	/* per phase: Home counts "k new" up to 19, then "20+ new" */

/*
 * One run: alice's exec `post TEXT` (t_sent), then one poll() loop over her
 * channel and every watched screen, recording her exit status and when each
 * screen first shows the "k new" line that announces her k-th post (k 0: the
 * warm-up post on empty Homes, shown itself). Gives exit, first screen and
 * last screen, each minus t_sent.
 */
static int
fanout_once(struct server *srv, const struct cred *alice, struct fleet *f, int k,
    double *exit_ms, double *first_ms, double *last_ms)
{
	struct exec_chan	*e;
	char			 cmd[64], text[48], banner[48];
	long long		 seen[FANOUT_ONLINE] = { 0 }, first = 0, last = 0;
	long long		 deadline = harness_now_ms() + harness_timeout_ms();
	int			 nseen = 0, status = -1, rc = -1, i;

	snprintf(text, sizeof text, "fan-out post %d", k);
	/* counts only grow by one, so "k new" never matches the line before it */
	if (k == 0)
		snprintf(banner, sizeof banner, "%s", text);
	else
		snprintf(banner, sizeof banner, "%d new: press R", k);
	snprintf(cmd, sizeof cmd, "post '%s'", text);
	if ((e = exec_start(srv, "alice", alice, cmd)) == NULL)
		return -1;
	exec_send_eof(e);
	while (!e->exited || nseen < f->n) {
		if (harness_now_ms() >= deadline) {
			fprintf(stderr, "bench: fan-out run %d timed out: %d of %d screens\n", k,
			    nseen, f->n);
			goto out;
		}
		fleet_poll(f, exec_fd(e), 20);
		if (!e->exited)
			exec_pump(e, 0);
		for (i = 0; i < f->n; i++) {
			if (seen[i] != 0 || !term_has_text(f->t[i], banner))
				continue;
			seen[i] = harness_now_us();
			nseen++;
			if (first == 0)
				first = seen[i];
			last = seen[i];
		}
	}
	if (!exec_wait_exit(e, 0, &status) || status != 0) {
		fprintf(stderr, "bench: post exited %d: %s\n", status, e->err);
		goto out;
	}
	*exit_ms = (double)(e->t_exit_us - e->t_sent_us) / 1000;
	*first_ms = (double)(first - e->t_sent_us) / 1000;
	*last_ms = (double)(last - e->t_sent_us) / 1000;
	rc = 0;
 out:
	exec_close(e);
	return rc;
}

/* R on every watched Home: the announced posts show, and the next one is "1 new" again. */
static bool
fanout_show_all(struct fleet *f)
{
	for (int i = 0; i < f->n; i++) {
		term_send(f->t[i], "R");
		if (!term_wait_gone(f->t[i], " new: press R", 0))
			return false;
	}
	return true;
}

/*
 * runs (at most FANOUT_MAX_RUNS: Home counts up to a page of new posts)
 * posts by alice with her current friends. Prints prefix_* lines.
 */
static int
fanout_phase(struct server *srv, const struct cred *ca, struct fleet *f, int runs,
    const char *prefix, double *medianp)
{
	double	*ex = calloc((size_t)runs, sizeof *ex), *fi = calloc((size_t)runs, sizeof *fi);
	double	*la = calloc((size_t)runs, sizeof *la);
	char	 name[64];
	int	 i, rc = -1;

	if (!fanout_show_all(f))
		goto out;
	for (i = 0; i < runs; i++) {
		if (fanout_once(srv, ca, f, i + 1, &ex[i], &fi[i], &la[i]) != 0)
			goto out;
	}
	snprintf(name, sizeof name, "%s_last_screen_after_request", prefix);
	print_dist(name, la, runs, "");
	*medianp = percentile(la, runs, 0.5);
	snprintf(name, sizeof name, "%s_first_screen_after_request", prefix);
	print_dist(name, fi, runs, "");
	snprintf(name, sizeof name, "%s_exit_after_request", prefix);
	print_dist(name, ex, runs, "");
	rc = 0;
 out:
	free(ex);
	free(fi);
	free(la);
	return rc;
}

/*
 * alice posts; 50 friends watch Home. First with those 50 as all her
 * friends (the session hints them itself), then with 4,950 more friends
 * added to the database (the worker hints all 5,000 at the hub's pace).
 * The same 50 screens are timed in both, in the same run.
 */
static int
bench_fanout(int runs)
{
	struct server	*srv = NULL;
	struct fleet	*f = calloc(1, sizeof *f);
	ssh_key		 ka = key_new();
	struct cred	 ca = cred_key(ka);
	char		 name[32];
	double		 inline_median = 0, worker_median = 0, x, y, z;
	long long	 t0;
	int		 i, rc = 1;

	if (runs > FANOUT_MAX_RUNS)
		runs = FANOUT_MAX_RUNS;
	raise_fd_limit();
	if (server_start(&srv, DM_CONF) != 0 || make_user(srv, "alice", ka) != 0)
		goto out;
	if (open_people(srv, f, "watch", FANOUT_ONLINE, 0) != 0)
		goto out;
	for (i = 0; i < FANOUT_ONLINE; i++) {
		snprintf(name, sizeof name, "watch%d", i + 1);
		if (!crowd_make_friends(srv->data_dir, "alice", name))
			goto out;
	}
	/* warm-up, not counted: each Home gets its first post (shown, not announced) */
	if (fanout_once(srv, &ca, f, 0, &x, &y, &z) != 0)
		goto out;
	printf("fanout_watched_screens: %d\n", FANOUT_ONLINE);
	printf("fanout_inline_audience: %d (alice and her friends; at most 64 are hinted by the "
	    "session itself)\n", FANOUT_ONLINE + 1);
	if (fanout_phase(srv, &ca, f, runs, "fanout_inline", &inline_median) != 0)
		goto out;
	t0 = harness_now_ms();
	if (!crowd_befriend(srv->data_dir, "alice", "crowd", FANOUT_CROWD))
		goto out;
	printf("fanout_crowd_added: %d friends in %.1f s\n", FANOUT_CROWD,
	    (double)(harness_now_ms() - t0) / 1000);
	printf("fanout_worker_audience: %d (a hint_friends job; the worker sends them)\n",
	    FANOUT_ONLINE + FANOUT_CROWD + 1);
	if (fanout_phase(srv, &ca, f, runs, "fanout_worker", &worker_median) != 0)
		goto out;
	printf("fanout_last_screen_ratio_worker_to_inline: %.2f (medians)\n",
	    worker_median / inline_median);
	rc = 0;
 out:
	for (i = 0; i < f->n; i++)
		term_close(f->t[i]);
	if (srv)
		server_stop(srv);
	free(f);
	return rc;
}

/* Durability: N kills, the figures of tests/e2e/chaos.h. */
static int
bench_chaos(int kills)
{
	struct chaos_opts	opts = { .kills = kills, .exec_writers = 6, .progress = NULL };
	struct chaos_result	res;
	int			rc = chaos_run(&opts, &res);

	chaos_print(&res, stdout);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int n, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: sshbook-bench connect|pss|hold [N] | notify [RUNS [IDLE]] | "
		    "dm [RUNS [OTHERS [CHATTING]]] | dmload [PAIRS [STEP_MS]] | fanout [RUNS<=19] | "
		    "flood [LOGINS] | pwlogin [CLIENTS] | bigpty [RUNS] | chaos [KILLS]\n");
		return 1;
	}
	n = argc > 2 ? atoi(argv[2]) : 0;
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "connect") == 0)
		rc = bench_connect(n > 0 ? n : 50);
	else if (strcmp(argv[1], "pss") == 0)
		rc = bench_pss(n > 0 ? n : 100);
	else if (strcmp(argv[1], "hold") == 0)
		rc = bench_hold(n > 0 ? n : 500);
	else if (strcmp(argv[1], "notify") == 0)
		rc = bench_notify(n > 0 ? n : 200, argc > 3 ? atoi(argv[3]) : 100);
	else if (strcmp(argv[1], "dm") == 0)
		rc = bench_dm(n > 0 ? n : 500, argc > 3 ? atoi(argv[3]) : 200,
		    argc > 4 ? atoi(argv[4]) : 50);
	else if (strcmp(argv[1], "dmload") == 0)
		rc = bench_dmload(n > 0 ? n : 100, argc > 3 ? atoi(argv[3]) : 3000);
	else if (strcmp(argv[1], "fanout") == 0)
		rc = bench_fanout(n > 0 ? n : FANOUT_MAX_RUNS);
	else if (strcmp(argv[1], "flood") == 0)
		rc = bench_flood(n > 0 ? n : 20);
	else if (strcmp(argv[1], "pwlogin") == 0)
		rc = bench_pwlogin(n > 0 ? n : 8);
	else if (strcmp(argv[1], "bigpty") == 0)
		rc = bench_bigpty(n > 0 ? n : 3);
	else if (strcmp(argv[1], "chaos") == 0)
		rc = bench_chaos(n > 0 ? n : 300);
	else {
		fprintf(stderr, "sshbook-bench: unknown benchmark '%s'\n", argv[1]);
		return 1;
	}
	harness_cleanup();	/* frees the keys key_new made */
	return rc;
}
