/*
 * End to end: a public instance under attack (issue 10, the session side).
 * Each test drives the attack through real connections and checks what a
 * real user would notice: that they still get in, that nobody can hold
 * more than the caps, and that the attacker is answered at once.
 *
 * This binary's server has small caps, so the attacks are small too:
 * max_sessions 60, 20 silent connections per network, key exchanges
 * dropped at random from 40 on (all at 60) and 10 per network, 3 sessions
 * per account, one Argon2id check at a time, 10 wrong passwords per
 * account. Other addresses are 127.0.0.2 and up: on Linux the whole of
 * 127/8 reaches the loopback listener, and each is its own network for the
 * caps.
 */
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/rawconn.h"
#include "tests/e2e/scenario.h"

#define PUBLIC_CAPS \
	"max_sessions = 60\n" \
	"max_pending_per_addr = 20\n" \
	"max_startups = 40:30:60\n" \
	"max_startups_per_addr = 10\n" \
	"max_sessions_per_user = 3\n" \
	"password_check_slots = 1\n" \
	"auth_max_failures_per_user = 10\n"

#define TXT_IDLE_BYE	"sign-up closed after a while without a key"
#define TXT_LONG_BYE	"sign-up took too long"

static struct rawset raw;	/* the strangers' connections of the running test */

static int
public_teardown(void **state)
{
	raw_close_all(&raw);
	exec_result_free(&last);
	return e2e_teardown(state);
}

/* ---- the tests -------------------------------------------------------------- */

/*
 * Finding 3: 60 silent TCP connections from two other addresses and 30
 * stalled key exchanges from three more (the server's max_sessions is 60)
 * must not lock a real user out. The silent ones beyond 20 per network are
 * closed at once; the real user logs in to Home.
 */
static void
strangers_cannot_fill_the_server(void **state)
{
	struct server	*srv = NULL;
	const char	*u = fresh_user("realuser");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	int		 base, held = 0, first_silent, first_stalled;


	(void)state;
	/* the caps of this binary, with time enough to hold everything while the user logs in */
	assert_int_equal(server_start(&srv, PUBLIC_CAPS "login_grace_time = 60\n"), 0);
	assert_true(make_user_with_key(srv, u, k, NULL));
	base = server_fd_count(srv);
	first_silent = raw.n;
	held += raw_hold(&raw, srv, "127.0.0.2", 30, false);
	held += raw_hold(&raw, srv, "127.0.0.3", 30, false);
	assert_int_equal(held, 60);
	/* 20 of each held (one fd each in the listener, give or take a hub fd), the rest closed */
	assert_true(server_wait_fds(srv, base + 36));
	assert_true(raw_closed_by_server(raw_fd(&raw, -1), harness_timeout_ms()));
	assert_true(server_log_contains(srv, "(max_pending_per_addr)"));

	first_stalled = raw.n;
	assert_int_equal(raw_hold(&raw, srv, "127.0.0.4", 10, true), 10);
	assert_int_equal(raw_hold(&raw, srv, "127.0.0.5", 10, true), 10);
	assert_int_equal(raw_hold(&raw, srv, "127.0.0.6", 10, true), 10);
	assert_true(server_wait_sessions(srv, 30));

	assert_true(logs_into_home(srv, u, &c));
	assert_true(exec_expect(srv, u, &c, "whoami", 0, NULL));
	/* ... while the strangers are all still there */
	assert_true(raw_still_open(raw_fd(&raw, first_silent)));
	assert_true(raw_still_open(raw_fd(&raw, first_stalled)));

	/* one network cannot hold more than 10 key exchanges: the 11th is closed */
	assert_int_equal(raw_hold(&raw, srv, "127.0.0.4", 1, true), 1);
	assert_true(raw_closed_by_server(raw_fd(&raw, -1), harness_timeout_ms()));
	assert_true(server_log_contains(srv, "(max_startups_per_addr)"));
	raw_close_all(&raw);
	assert_int_equal(server_stop(srv), 0);
}

/*
 * A silent connection is closed at login_grace_time (5 s here), not held
 * forever; nothing was forked for it.
 */
static void
silent_connection_times_out(void **state)
{
	int before = server_descendants(e2e_srv, NULL, 0);
	int fd;

	(void)state;
	assert_int_equal(raw_hold(&raw, e2e_srv, "127.0.0.9", 1, false), 1);
	fd = raw_fd(&raw, 0);
	assert_true(raw_closed_by_server(fd, 5000 + harness_timeout_ms()));
	assert_true(server_descendants(e2e_srv, NULL, 0) <= before);
	assert_true(server_log_contains(e2e_srv, "no data from 127.0.0.9"));
	raw_close_all(&raw);
}

/*
 * Finding 4: ten wrong passwords under mixed spellings of one name lock
 * every spelling's password (login folds case, so the count must too); the
 * account's key still works.
 */
static void
lockout_counts_every_spelling(void **state)
{
	const char	*u = fresh_user("pwuser");
	const char	*pw = "correct horse battery";
	char		 spelled[3][64];
	ssh_key		 k = key_new();
	struct cred	 c;
	struct conn	*conn;
	size_t		 j;
	int		 i;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	/* "pwuser7", "Pwuser7", "PWUSER7" */
	for (i = 0; i < 3; i++)
		snprintf(spelled[i], sizeof spelled[i], "%s", u);
	spelled[1][0] = (char)(spelled[1][0] - 32);
	for (j = 0; spelled[2][j] != '\0'; j++)
		if (spelled[2][j] >= 'a' && spelled[2][j] <= 'z')
			spelled[2][j] = (char)(spelled[2][j] - 32);
	c = cred_password("wrong password!");
	for (i = 0; i < 10; i++) {
		assert_int_equal(conn_open(e2e_srv, spelled[i % 3], &c, &conn), CONN_DENIED);
		conn_close(conn);
	}
	/* no spelling had ten of its own, yet the password is refused under each */
	c = cred_password(pw);
	for (i = 0; i < 3; i++) {
		assert_int_equal(conn_open(e2e_srv, spelled[i], &c, &conn), CONN_DENIED);
		conn_close(conn);
	}
	assert_true(server_log_contains(e2e_srv, "refusing passwords"));
	c = cred_key(k);
	assert_true(logs_into_home(e2e_srv, u, &c));
}

/*
 * Finding 2: a sign-up (any free name, any key) gets one channel, and its
 * screen closes after login_grace_time (5 s here) without a key, with a
 * goodbye that says why.
 */
static void
signup_gets_one_channel_and_a_deadline(void **state)
{
	const char	*u = fresh_user("lurker");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct conn	*conn;
	struct term	*t;
	ssh_channel	 second;
	int		 status = -1;

	(void)state;
	assert_int_equal(conn_open(e2e_srv, u, &c, &conn), CONN_OK);
	assert_non_null(t = term_start(e2e_srv, conn, TERM_COLS, TERM_ROWS));
	snprintf(t->user, sizeof t->user, "%s", u);
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	/* a second channel on the same connection is refused */
	assert_non_null(second = ssh_channel_new(t->c->s));
	ssh_set_blocking(t->c->s, 1);
	assert_int_not_equal(ssh_channel_open_session(second), SSH_OK);
	ssh_channel_free(second);
	ssh_set_blocking(t->c->s, 0);
	assert_true(server_log_contains(e2e_srv, "a sign-up gets one"));
	/* nothing typed: closed with a goodbye, and no account */
	assert_true(term_wait_text(t, TXT_IDLE_BYE, 5000 + harness_timeout_ms()));
	assert_true(term_wait_closed(t, 0, &status));
	term_close(t);
	assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
}

/* Typing keeps a sign-up open, but not past signup_time (12 s here). */
static void
signup_cannot_last_forever(void **state)
{
	const char	*u = fresh_user("slowpoke");
	ssh_key		 k = key_new();
	struct cred	 c = cred_key(k);
	struct term	*t;
	long long	 start, deadline;
	bool		 bye = false;

	(void)state;
	assert_non_null(t = term_open(e2e_srv, u, &c, TERM_COLS, TERM_ROWS));
	assert_true(term_wait_text(t, TXT_SIGNUP, 0));
	start = harness_now_ms();
	deadline = start + 12000 + harness_timeout_ms();
	/* a key a second (never idle for the 5 s grace) until the server says goodbye */
	while (!bye && harness_now_ms() < deadline) {
		long long next = harness_now_ms() + 1000;

		term_send(t, "x");
		while (!bye && harness_now_ms() < next && !t->eof) {
			term_pump(t, 50);
			bye = term_has_text(t, TXT_LONG_BYE);
		}
	}
	assert_true(bye);
	/* open well past the 5 s a silent sign-up gets */
	assert_true(harness_now_ms() - start >= 7000);
	term_close(t);
	assert_true(exec_refused_as_unknown(e2e_srv, u, &c));
}

/* An account may have 3 sessions here; the 4th is told why and exits 1. */
static void
sessions_per_account(void **state)
{
	struct person	p;
	struct term	*more[2];
	struct exec_result r;
	long long	deadline;

	(void)state;
	assert_true(person_new(&p, "busy", "Busy Bee"));
	assert_non_null(more[0] = person_login(&p));
	assert_non_null(more[1] = person_login(&p));
	assert_int_equal(run_exec(e2e_srv, p.name, &p.cred, "whoami", NULL, 0, &r), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "too many sessions open for"));
	assert_non_null(strstr(r.err, "(3): close one and try again"));
	exec_result_free(&r);
	term_close(more[1]);
	/* with one closed (once its process is gone), a command runs again */
	deadline = harness_now_ms() + harness_timeout_ms();
	while (run_quiet(&p, "whoami") != 0 && harness_now_ms() < deadline)
		(void)poll(NULL, 0, 50);
	assert_int_equal(last.status, 0);
	term_close(more[0]);
	assert_true(term_quit(p.t));
	p.t = NULL;
}

/*
 * Argon2id checks are capped across the server (password_check_slots = 1
 * here): while the one slot is held, a password login waits for it
 * instead of running a verifier of its own; once it is free, the login
 * goes through.
 */
struct bg_login {
	struct server	*srv;
	const char	*user;
	const char	*pw;
	volatile int	 rc;
	volatile int	 done;
};

static void *
bg_login_main(void *arg)
{
	struct bg_login	*b = arg;
	struct cred	 c = cred_password(b->pw);
	struct conn	*conn = NULL;

	b->rc = conn_open(b->srv, b->user, &c, &conn);
	conn_close(conn);
	b->done = 1;
	return NULL;
}

static void
password_checks_wait_for_a_slot(void **state)
{
	const char	*u = fresh_user("queued");
	const char	*pw = "patience is a virtue";
	ssh_key		 k = key_new();
	char		 path[512];
	struct bg_login	 b;
	pthread_t	 th;
	long long	 deadline;
	int		 fd;

	(void)state;
	assert_true(make_user_with_key(e2e_srv, u, k, pw));
	snprintf(path, sizeof path, "%s/run/pwcheck-0.lock", e2e_srv->data_dir);
	assert_true((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);

	memset(&b, 0, sizeof b);
	b.srv = e2e_srv;
	b.user = u;
	b.pw = pw;
	assert_int_equal(pthread_create(&th, NULL, bg_login_main, &b), 0);
	deadline = harness_now_ms() + harness_timeout_ms();
	while (!server_log_contains(e2e_srv, "all 1 slots taken, waiting") &&
	    harness_now_ms() < deadline)
		(void)poll(NULL, 0, 20);
	assert_true(server_log_contains(e2e_srv, "all 1 slots taken, waiting"));
	assert_false(b.done);
	close(fd);	/* the slot is free */
	pthread_join(th, NULL);
	assert_int_equal(b.rc, CONN_OK);
}

/*
 * The other sizes a client controls, each capped where it arrives: four
 * channels on one connection (the fifth is refused), a command line of
 * 64 KiB (longer: one line saying so, exit 1), and standard input of a
 * command (a megabyte for a post: refused as too long without reading on,
 * nothing stored). The server serves the same client afterwards.
 */
static void
client_sizes_are_capped(void **state)
{
	struct person		 p;
	struct conn		*conn;
	struct exec_result	 r;
	ssh_channel		 ch[5];
	char			*line, *big;
	size_t			 i;
	int			 opened = 0;

	(void)state;
	assert_true(person_new_offline(&p, "sizes", "Size Tester"));
	assert_int_equal(conn_open(e2e_srv, p.name, &p.cred, &conn), CONN_OK);
	for (i = 0; i < 5; i++) {
		assert_non_null(ch[i] = ssh_channel_new(conn->s));
		if (ssh_channel_open_session(ch[i]) == SSH_OK)
			opened++;
	}
	assert_int_equal(opened, 4);
	assert_true(server_log_contains(e2e_srv, "channel refused: 4 already open"));
	for (i = 0; i < 5; i++)
		ssh_channel_free(ch[i]);
	conn_close(conn);

	line = malloc(70001);
	assert_non_null(line);
	memcpy(line, "post ", 5);
	memset(line + 5, 'a', 69995);
	line[70000] = '\0';
	assert_int_equal(run_exec(e2e_srv, p.name, &p.cred, line, NULL, 0, &r), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "command line"));
	exec_result_free(&r);
	free(line);

	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'b', 1 << 20);
	assert_true(run_stdin(&p, 1, "post", big, 1 << 20));
	assert_non_null(strstr(last.err, "too long"));
	free(big);
	assert_true(run_as(&p, 0, "feed home --json"));
	assert_int_equal(count_lines(last.out), 0);
	assert_true(run_as(&p, 0, "whoami"));
}

/*
 * A libssh client connected as user and not yet authenticated, so a test
 * can try methods one after another on one connection; NULL on failure.
 */
static ssh_session
bare_session(const struct server *srv, const char *user)
{
	ssh_session	s = ssh_new();
	int		port = srv->port;
	bool		no = false;

	if (s == NULL)
		return NULL;
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	if (ssh_connect(s) != SSH_OK) {
		fprintf(stderr, "test: connect as '%s': %s\n", user, ssh_get_error(s));
		ssh_free(s);
		return NULL;
	}
	return s;
}

/*
 * Issue 11's wording finding: someone who connects with a taken name and a
 * key that is not the account's (they meant to sign up) is told so in the
 * keyboard-interactive instruction above "Password:", not left to guess.
 */
static void
taken_name_says_why_it_asks_a_password(void **state)
{
	struct person	 p;
	ssh_key		 stranger = key_new();
	ssh_session	 s;
	int		 rc;
	const char	*inst;

	(void)state;
	assert_true(person_new_offline(&p, "taken", "Taken Name"));
	assert_non_null(s = bare_session(e2e_srv, p.name));
	assert_int_equal(ssh_userauth_publickey(s, NULL, stranger), SSH_AUTH_DENIED);
	rc = ssh_userauth_kbdint(s, NULL, NULL);
	assert_int_equal(rc, SSH_AUTH_INFO);
	inst = ssh_userauth_kbdint_getinstruction(s);
	assert_non_null(inst);
	assert_non_null(strstr(inst, "is taken, and your key is not one of its keys"));
	assert_non_null(strstr(inst, p.name));
	assert_int_equal(ssh_userauth_kbdint_getnprompts(s), 1);
	ssh_disconnect(s);
	ssh_free(s);

	/* the account's own password login, with no key tried, asks plainly */
	assert_non_null(s = bare_session(e2e_srv, p.name));
	assert_int_equal(ssh_userauth_kbdint(s, NULL, NULL), SSH_AUTH_INFO);
	inst = ssh_userauth_kbdint_getinstruction(s);
	assert_true(inst == NULL || strstr(inst, "is taken") == NULL);
	ssh_disconnect(s);
	ssh_free(s);
}

/* ---- a bad signature --------------------------------------------------------- */

/*
 * A fake ssh-agent: it offers the account's real public key, and signs
 * with garbage. OpenSSH's client sends what the agent gave it, so the
 * server gets a publickey request for a key the account has, with a
 * signature that does not verify.
 */
struct fake_agent {
	char		 path[100];	/* fits sun_path */
	int		 lfd;
	pthread_t	 th;
	volatile int	 stop;
	unsigned char	 blob[1024];
	size_t		 bloblen;
};

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t
put_string(unsigned char *p, const void *s, size_t len)
{
	put_u32(p, (uint32_t)len);
	memcpy(p + 4, s, len);
	return 4 + len;
}

static bool
read_full(int fd, void *buf, size_t len)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static void
agent_serve(struct fake_agent *a, int fd)
{
	unsigned char	hdr[4], req[8192], rep[2048], sig[128], junk[64];
	uint32_t	len;
	size_t		n, s;

	while (read_full(fd, hdr, 4)) {
		len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		    (uint32_t)hdr[2] << 8 | hdr[3];
		if (len == 0 || len > sizeof req || !read_full(fd, req, len))
			return;
		n = 4;
		if (req[0] == 11) {		/* REQUEST_IDENTITIES */
			rep[n++] = 12;
			put_u32(rep + n, 1);
			n += 4;
			n += put_string(rep + n, a->blob, a->bloblen);
			n += put_string(rep + n, "fake", 4);
		} else if (req[0] == 13) {	/* SIGN_REQUEST: a well-formed, wrong signature */
			memset(junk, 0x5a, sizeof junk);
			s = put_string(sig, "ssh-ed25519", 11);
			s += put_string(sig + s, junk, 64);
			rep[n++] = 14;
			n += put_string(rep + n, sig, s);
		} else
			rep[n++] = 5;		/* FAILURE */
		put_u32(rep, (uint32_t)(n - 4));
		if (write(fd, rep, n) != (ssize_t)n)
			return;
	}
}

static void *
agent_main(void *arg)
{
	struct fake_agent	*a = arg;
	struct pollfd		 p = { .fd = a->lfd, .events = POLLIN };
	int			 fd;

	while (!a->stop) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((fd = accept(a->lfd, NULL, NULL)) < 0)
			continue;
		agent_serve(a, fd);
		close(fd);
	}
	return NULL;
}

static bool
agent_start(struct fake_agent *a, ssh_key key)
{
	struct sockaddr_un	 sun;
	char			*b64 = NULL;

	memset(a, 0, sizeof *a);
	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK ||
	    sodium_base642bin(a->blob, sizeof a->blob, b64, strlen(b64), NULL,
	    &a->bloblen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	ssh_string_free_char(b64);
	/* sun_path is short: the socket goes in /tmp under a name of our own */
	snprintf(a->path, sizeof a->path, "/tmp/sshbook-agent-%ld.sock", (long)getpid());
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", a->path);
	if ((a->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(a->lfd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(a->lfd, 4) != 0)
		return false;
	return pthread_create(&a->th, NULL, agent_main, a) == 0;
}

static void
agent_stop(struct fake_agent *a)
{
	a->stop = 1;
	pthread_join(a->th, NULL);
	close(a->lfd);
	unlink(a->path);
}

/*
 * The last finding: a publickey request with a bad signature must be
 * answered at once, not left to the login grace time (60 s on this
 * server, far past the harness deadline).
 */
static void
bad_signature_answered_at_once(void **state)
{
	struct server		*srv = NULL;
	struct fake_agent	 agent;
	struct exec_result	 r;
	const char		*u = fresh_user("forged");
	ssh_key			 k = key_new();
	char			 port[16], agentopt[320], pubfile[320], target[96];
	FILE			*f;

	(void)state;
	assert_int_equal(server_start(&srv, "login_grace_time = 60\n"), 0);
	assert_true(make_user_with_key(srv, u, k, NULL));
	assert_true(agent_start(&agent, k));
	snprintf(pubfile, sizeof pubfile, "%s/forged.pub", srv->tmp);
	assert_non_null(f = fopen(pubfile, "w"));
	fprintf(f, "%s\n", key_line(k, "forged"));
	fclose(f);
	snprintf(port, sizeof port, "%d", srv->port);
	snprintf(agentopt, sizeof agentopt, "IdentityAgent=%s", agent.path);
	snprintf(target, sizeof target, "%s@127.0.0.1", u);
	{
		const char *argv[] = {
			"ssh", "-F", "/dev/null", "-p", port, "-i", pubfile,
			"-o", "IdentitiesOnly=yes", "-o", agentopt,
			"-o", "PreferredAuthentications=publickey",
			"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
			target, "whoami", NULL,
		};

		assert_int_equal(run_program((char *const *)argv, NULL, 0,
		    harness_timeout_ms(), &r), 0);
	}
	assert_int_not_equal(r.status, 0);
	assert_null(strstr(r.out, u));
	exec_result_free(&r);
	assert_true(server_log_contains(srv, "publickey with a bad signature"));
	agent_stop(&agent);
	assert_int_equal(server_stop(srv), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(lockout_counts_every_spelling, public_teardown),
		cmocka_unit_test_teardown(sessions_per_account, public_teardown),
		cmocka_unit_test_teardown(client_sizes_are_capped, public_teardown),
		cmocka_unit_test_teardown(taken_name_says_why_it_asks_a_password, public_teardown),
		cmocka_unit_test_teardown(password_checks_wait_for_a_slot, public_teardown),
		cmocka_unit_test_teardown(bad_signature_answered_at_once, public_teardown),
		cmocka_unit_test_teardown(strangers_cannot_fill_the_server, public_teardown),
		cmocka_unit_test_teardown(silent_connection_times_out, public_teardown),
		cmocka_unit_test_teardown(signup_gets_one_channel_and_a_deadline, public_teardown),
		cmocka_unit_test_teardown(signup_cannot_last_forever, public_teardown),
	};

	if (getenv("SSHBOOK_E2E_FILTER") != NULL)	/* e.g. "signup*" */
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	e2e_server_config = PUBLIC_CAPS "login_grace_time = 5\nsignup_time = 12\n";
	return cmocka_run_group_tests_name("e2e public instance", tests, e2e_group_setup,
	    e2e_group_teardown);
}
