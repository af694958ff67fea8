/*
 * Benchmarks of a public instance under attack (issue 10):
 *
 *   flood     a real user's login (connect, key auth, first full frame) with
 *             nobody else there, then while 1,000 silent connections from
 *             50 other addresses and 100 stalled key exchanges from 10 more
 *             are held open: medians, the slowest, and their ratio
 *   pwlogin   password logins per second with P clients at once (Argon2id
 *             capped by password_check_slots), against key logins with the
 *             same clients in the same run
 *   bigpty    memory of one session at the largest screen the server allows
 *             (500x200, a pty-req for more is clamped there) with a picture
 *             post on Home, against the same session at 80x24
 *
 * The server runs the production caps (sshbook.conf.example), not the
 * harness's generous ones.
 */
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/attack.h"
#include "bench/util.h"
#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/rawconn.h"
#include "tests/e2e/scenario.h"

#define FRAME_MARK	"q quit"
/* The shipped defaults for every cap the flood meets, and time enough to hold it all. */
#define FLOOD_CONF \
	"max_pending = 2000\nmax_pending_per_addr = 20\n" \
	"max_startups = 128:30:256\nmax_startups_per_addr = 16\n" \
	"max_sessions = 1000\nmax_sessions_per_addr = 50\nmax_sessions_per_user = 20\n" \
	"login_grace_time = 120\nwrite_burst = 0\n"

static double
elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* One login to the first full frame, in ms; -1 when it failed. */
static double
login_once(struct server *srv, const char *user, ssh_key key)
{
	struct cred	 c = cred_key(key);
	struct term	*t;
	struct timespec	 t0, t1;
	double		 ms = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((t = term_open(srv, user, &c, 80, 24)) == NULL)
		return -1;
	if (term_wait_text(t, FRAME_MARK, 0)) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = elapsed_ms(&t0, &t1);
	}
	term_close(t);
	return ms;
}

int
bench_flood(int n)
{
	struct server	*srv = NULL;
	struct rawset	 raw = { 0 };
	ssh_key		 key = key_new();
	double		*quiet = calloc((size_t)n, sizeof *quiet);
	double		*flood = calloc((size_t)n, sizeof *flood);
	double		 mq, mf, worst = 0;
	char		 src[32];
	int		 i, held = 0, stalled = 0, base, rc = 1;

	raise_fd_limit();
	if (server_start(&srv, FLOOD_CONF) != 0 || !make_user_with_key(srv, "real", key, NULL)) {
		fprintf(stderr, "bench: cannot start sshbookd\n");
		goto out;
	}
	(void)login_once(srv, "real", key);	/* warm-up, not counted */
	for (i = 0; i < n; i++)
		if ((quiet[i] = login_once(srv, "real", key)) < 0)
			goto out;

	base = server_fd_count(srv);
	for (i = 0; i < 50; i++) {
		snprintf(src, sizeof src, "127.0.1.%d", i + 1);
		held += raw_hold(&raw, srv, src, 20, false);
	}
	for (i = 0; i < 10; i++) {
		snprintf(src, sizeof src, "127.0.2.%d", i + 1);
		stalled += raw_hold(&raw, srv, src, 10, true);
	}
	if (held != 1000 || stalled != 100 || !server_wait_fds(srv, base + 1000) ||
	    !server_wait_sessions(srv, 100)) {
		fprintf(stderr, "bench: the flood did not build up (%d silent, %d stalled)\n",
		    held, stalled);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((flood[i] = login_once(srv, "real", key)) < 0) {
			fprintf(stderr, "bench: login %d under the flood failed\n", i);
			goto out;
		}
		if (flood[i] > worst)
			worst = flood[i];
	}
	/* every stranger still held: the logins happened under the whole flood */
	for (i = 0; i < raw.n; i++)
		if (!raw_still_open(raw_fd(&raw, i))) {
			fprintf(stderr, "bench: stranger %d was let go during the run\n", i);
			goto out;
		}
	mq = percentile(quiet, n, 0.5);
	mf = percentile(flood, n, 0.5);
	printf("flood_held: %d silent connections from 50 addresses, %d stalled key "
	    "exchanges from 10\n", held, stalled);
	printf("flood_login_quiet_median_ms: %.1f\n", mq);
	printf("flood_login_under_flood_median_ms: %.1f\n", mf);
	printf("flood_login_under_flood_max_ms: %.1f (target < 2000)\n", worst);
	printf("flood_ratio_flood_to_quiet: %.2f\n", mf / mq);
	printf("flood_sshbookd_fds: %d\n", server_fd_count(srv));
	rc = worst < 2000 ? 0 : 1;
 out:
	raw_close_all(&raw);
	if (srv)
		server_stop(srv);
	free(quiet);
	free(flood);
	return rc;
}

/* P client processes, each making `each` logins with c; returns the wall time in ms, -1 on failure. */
static double
parallel_logins(struct server *srv, const char *user, const struct cred *c, int p,
    int each)
{
	struct timespec	t0, t1;
	pid_t		pid, kids[64];
	int		i, st, failed = 0;

	if (p > 64)
		p = 64;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < p; i++) {
		if ((pid = fork()) < 0)
			return -1;
		kids[i] = pid;
		if (pid == 0) {
			struct conn	*conn;
			int		 k, bad = 0;

			for (k = 0; k < each; k++) {
				if (conn_open(srv, user, c, &conn) != CONN_OK)
					bad++;
				conn_close(conn);
			}
			_exit(bad ? 1 : 0);
		}
	}
	/* by pid: sshbookd is a child of this process too */
	for (i = 0; i < p; i++)
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			failed++;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (failed) {
		fprintf(stderr, "bench: %d of %d login clients failed\n", failed, p);
		return -1;
	}
	return elapsed_ms(&t0, &t1);
}

int
bench_pwlogin(int p)
{
	struct server	*srv = NULL;
	ssh_key		 key = key_new();
	struct cred	 ck = cred_key(key), cp = cred_password("bench password 1");
	const int	 each = 5;
	double		 tk, tp;
	int		 rc = 1;

	if (server_start(&srv, FLOOD_CONF "max_sessions_per_user = 0\n") != 0 ||
	    !make_user_with_key(srv, "pw", key, "bench password 1")) {
		fprintf(stderr, "bench: cannot start sshbookd\n");
		goto out;
	}
	if ((tk = parallel_logins(srv, "pw", &ck, p, each)) < 0 ||
	    (tp = parallel_logins(srv, "pw", &cp, p, each)) < 0)
		goto out;
	printf("pwlogin_clients: %d at once, %d logins each\n", p, each);
	printf("pwlogin_key_logins_per_s: %.1f\n", p * each / (tk / 1000));
	printf("pwlogin_password_logins_per_s: %.1f (Argon2id, password_check_slots = one per CPU)\n",
	    p * each / (tp / 1000));
	printf("pwlogin_ratio_password_to_key: %.2f\n", tk / tp);
	rc = 0;
 out:
	if (srv)
		server_stop(srv);
	return rc;
}

/*
 * One session on Home at cols x rows with the picture drawn (cells with a
 * background colour below the post): the PSS of its processes in kB, after
 * scrolling once so every cache the picture needs is filled; -1 on failure.
 */
static long
session_pss(struct server *srv, const char *user, ssh_key key, unsigned pty_cols,
    unsigned pty_rows, int cols, int rows)
{
	struct cred	 c = cred_key(key);
	struct conn	*conn;
	struct term	*t;
	pid_t		 pids[16];
	long		 kb = -1;
	int		 n;

	if (conn_open(srv, user, &c, &conn) != CONN_OK)
		return -1;
	if ((t = term_start_pty(srv, conn, pty_cols, pty_rows, cols, rows)) == NULL)
		return -1;
	if (term_wait_text(t, "picture for the memory bench", 0) &&
	    term_wait_bg(t, 0, 0, rows, cols, 40, 0) && term_wait_quiet(t, 300, 0)) {
		n = server_descendants(srv, pids, 16);
		kb = pss_kb(pids, n);
	}
	term_close(t);
	(void)server_wait_descendants(srv, 0, harness_timeout_ms());
	return kb;
}

int
bench_bigpty(int runs)
{
	struct server	*srv = NULL;
	ssh_key		 key = key_new();
	struct cred	 c = cred_key(key);
	uint8_t		*jpeg;
	size_t		 len;
	long long	 id;
	long		 small = 0, big = 0, s, b, bigmax = 0;
	int		 i, rc = 1;

	if (server_start(&srv, FLOOD_CONF) != 0 || !make_user_with_key(srv, "wide", key, NULL))
		goto out;
	if ((jpeg = fixture_load(FX_PHOTO, &len)) == NULL)
		goto out;
	id = exec_upload(srv, "wide", &c, "post picture for the memory bench", jpeg, len, NULL);
	free(jpeg);
	if (id < 0 || media_wait_state(srv, "wide", &c, id, "ready", 0) == NULL)
		goto out;
	for (i = 0; i < runs; i++) {
		if ((s = session_pss(srv, "wide", key, 80, 24, 80, 24)) < 0 ||
		    (b = session_pss(srv, "wide", key, 100000, 100000, 500, 200)) < 0) {
			fprintf(stderr, "bench: session %d did not show the picture\n", i);
			goto out;
		}
		small += s;
		big += b;
		if (b > bigmax)
			bigmax = b;
	}
	printf("bigpty_pss_80x24_kb: %ld (session child + app, mean of %d)\n", small / runs, runs);
	printf("bigpty_pss_500x200_kb: %ld (pty-req 100000x100000, clamped; max %ld)\n",
	    big / runs, bigmax);
	printf("bigpty_ratio_500x200_to_80x24: %.2f\n", (double)big / (double)small);
	rc = 0;
 out:
	if (srv)
		server_stop(srv);
	return rc;
}
