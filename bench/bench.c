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
 *
 * Each prints "name: value" lines that bench/run.sh collects. Figures are
 * measured here, never assumed; see bench/README.md for the method.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "tests/e2e/harness.h"

#define FRAME_MARK	"q quit"	/* the status line's hint: drawn with the full frame */

/* The key exchange each server settled on, printed so the comparison is checked, not assumed. */
static char kex_sshbook[64], kex_openssh[64];

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
percentile(double *v, int n, double p)
{
	int i;

	qsort(v, (size_t)n, sizeof *v, cmp_double);
	i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

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
	if (server_start(&srv, NULL) != 0 || make_user(srv, "bench", key) != 0) {
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

/* Sum of Pss (kB) over pids, from /proc/PID/smaps_rollup. */
static long
pss_kb(const pid_t *pids, int n)
{
	char	path[64], line[256];
	long	total = 0, v;
	FILE	*f;
	int	i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pids[i]);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Pss: %ld kB", &v) == 1)
				total += v;
		fclose(f);
	}
	return total;
}

static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
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
	if (server_start(&srv, "max_sessions = 2000\nmax_sessions_per_addr = 2000\n") != 0 ||
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
	if (server_start(&srv, "max_sessions = 2000\nmax_sessions_per_addr = 2000\n") != 0 ||
	    make_user(srv, "bench", key) != 0)
		goto out;
	t0 = harness_now_ms();
	opened = open_sessions(srv, key, terms, n);
	printf("hold_sessions_opened: %d of %d in %.1f s\n", opened, n,
	    (double)(harness_now_ms() - t0) / 1000);
	/* Every session must still answer: switch it to tab 3 and see the screen change. */
	for (i = 0; i < opened; i++) {
		term_send(terms[i], "3");
		if (term_wait_text(terms[i], "coming soon", 0))
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
	if (server_start(&srv, "max_sessions = 2000\nmax_sessions_per_addr = 2000\n") != 0)
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

int
main(int argc, char **argv)
{
	int n, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: sshbook-bench connect|pss|hold [N] | notify [RUNS [IDLE]]\n");
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
	else {
		fprintf(stderr, "sshbook-bench: unknown benchmark '%s'\n", argv[1]);
		return 1;
	}
	harness_cleanup();	/* frees the keys key_new made */
	return rc;
}
