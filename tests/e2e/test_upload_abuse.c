/*
 * End to end: uploads that never finish must not fill the disk (issue 10,
 * finding 1). Each attack goes through a real client: a raw SFTP client
 * (libssh's client API, so it can do what scp never does: leave a file open,
 * drop the TCP connection, close the channel without SSH_FXP_CLOSE) and an
 * exec `upload` fed by hand. After each, no "incoming-*" file may stay in
 * the spool: the app removes its file when hung up, the worker removes what
 * a killed app left (told by the session, and at its start), the spool cap
 * refuses writes while they arrive, and the upload count is checked when a
 * transfer opens.
 *
 * This binary's server caps each user's spool at SPOOL_MIB so the cap test
 * moves tens of MiB, not hundreds, through SSH.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define SPOOL_MIB	40
#define MIB		(1024 * 1024)
#define CHUNK		(32 * 1024)	/* what OpenSSH's sftp writes at a time */
#define CONFIG		"upload_spool_mib = 40\n"
#define TXT_ROOM	"your uploads in progress would exceed 40 MiB"
#define TXT_COUNT	"too many uploads: at most 30 in 10 minutes"

/* ---- the spool, as the disk shows it ------------------------------------------------ */

/* incoming-* files under DATA_DIR/spool (every user) and their bytes. */
static int
incoming(long long *bytesp)
{
	char		 path[4096];
	DIR		*top, *d;
	struct dirent	*u, *e;
	struct stat	 sb;
	int		 n = 0;

	if (bytesp != NULL)
		*bytesp = 0;
	snprintf(path, sizeof path, "%s/spool", e2e_srv->data_dir);
	if ((top = opendir(path)) == NULL)
		return 0;
	while ((u = readdir(top)) != NULL) {
		if (u->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/spool/%s", e2e_srv->data_dir, u->d_name);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, "incoming-", 9) != 0 ||
			    fstatat(dirfd(d), e->d_name, &sb, 0) != 0)
				continue;
			n++;
			if (bytesp != NULL)
				*bytesp += sb.st_size;
		}
		closedir(d);
	}
	closedir(top);
	return n;
}

/* Wait until there are n incoming files; prints what is there if not. */
static bool
wait_incoming(int n, const char *why)
{
	long long	deadline = harness_now_ms() + harness_timeout_ms(), bytes;
	int		have;

	while ((have = incoming(&bytes)) != n && harness_now_ms() < deadline)
		(void)poll(NULL, 0, 20);
	if (have != n) {
		fprintf(stderr, "%s: %d incoming files (%lld bytes) in the spool, want %d\n", why,
		    have, bytes, n);
		server_print_log(e2e_srv, stderr, 30);
	}
	return have == n;
}

/* Wait until the incoming files hold at least min bytes (the server has the data). */
static bool
wait_incoming_bytes(long long min)
{
	long long deadline = harness_now_ms() + harness_timeout_ms(), bytes = 0;

	while ((incoming(&bytes), bytes) < min && harness_now_ms() < deadline)
		(void)poll(NULL, 0, 20);
	if (bytes < min)
		fprintf(stderr, "the spool holds %lld bytes, want %lld\n", bytes, min);
	return bytes >= min;
}

/* ---- a raw SFTP client ----------------------------------------------------------------- */

struct up {
	struct conn	*c;
	sftp_session	 sftp;
	sftp_file	 f[4];
	long long	 sent[4];	/* bytes the server said it wrote, per file */
};

/* Connect as p and start the sftp subsystem. */
static void
up_start(struct up *u, struct person *p)
{
	memset(u, 0, sizeof *u);
	assert_int_equal(conn_open(e2e_srv, p->name, &p->cred, &u->c), CONN_OK);
	assert_non_null(u->sftp = sftp_new(u->c->s));
	assert_int_equal(sftp_init(u->sftp), SSH_OK);
}

/* Open file slot i as name for writing: true when the server gave a handle. */
static bool
up_open(struct up *u, int i, const char *name)
{
	u->f[i] = sftp_open(u->sftp, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	return u->f[i] != NULL;
}

/*
 * Write up to n more bytes to file i in CHUNK writes: the first bytes say
 * "mp4" (so the 10 MiB image cap does not apply), the rest is zeros. Returns
 * the bytes written when a write failed (the server's message is then in
 * ssh_get_error), or n.
 */
static long long
up_write(struct up *u, int i, long long n)
{
	static uint8_t	chunk[CHUNK];
	static const uint8_t mp4[12] = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' };
	long long	done = 0;
	ssize_t		w;

	while (done < n) {
		size_t want = (size_t)(n - done < CHUNK ? n - done : CHUNK);

		memset(chunk, 0, sizeof chunk);
		if (u->sent[i] == 0)
			memcpy(chunk, mp4, sizeof mp4);
		if ((w = sftp_write(u->f[i], chunk, want)) != (ssize_t)want)
			return done;
		done += w;
		u->sent[i] += w;
	}
	return done;
}

/* Drop the TCP connection under libssh: no SSH_FXP_CLOSE, no channel close, no disconnect. */
static void
up_drop(struct up *u)
{
	assert_int_equal(shutdown(ssh_get_fd(u->c->s), SHUT_RDWR), 0);
}

/*
 * Leave cleanly with files still open, without SSH_FXP_CLOSE: with
 * disconnect, SSH_MSG_DISCONNECT (what a client that quits sends); without,
 * a channel close (CHANNEL_CLOSE, no EOF first).
 */
static void
up_leave(struct up *u, bool disconnect)
{
	if (!disconnect) {
		assert_int_equal(ssh_channel_close(u->sftp->channel), SSH_OK);
		return;
	}
	ssh_disconnect(u->c->s);
	/*
	 * The disconnect freed the channel under the sftp session, so its
	 * files cannot send SSH_FXP_CLOSE any more: free them by hand.
	 */
	u->sftp->channel = NULL;
	for (size_t i = 0; i < sizeof u->f / sizeof u->f[0]; i++) {
		if (u->f[i] == NULL)
			continue;
		ssh_string_free(u->f[i]->handle);
		free(u->f[i]->name);
		free(u->f[i]);
		u->f[i] = NULL;
	}
}

/* Free the client side whatever state the server left it in. */
static void
up_free(struct up *u)
{
	for (size_t i = 0; i < sizeof u->f / sizeof u->f[0]; i++)
		if (u->f[i] != NULL)
			(void)sftp_close(u->f[i]);
	if (u->sftp != NULL)
		sftp_free(u->sftp);
	conn_close(u->c);
	memset(u, 0, sizeof *u);
}

/* The pid of the sshbook app running the sftp subsystem (one at a time here), or 0. */
static pid_t
sftp_app_pid(void)
{
	pid_t	pids[64];
	int	n = server_descendants(e2e_srv, pids, 64);

	for (int i = 0; i < n && i < 64; i++) {
		char	path[64], cmd[4096];
		ssize_t	len;
		int	fd;

		snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pids[i]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		len = read(fd, cmd, sizeof cmd - 1);
		close(fd);
		for (ssize_t j = 0; j < len; j++)
			if (cmd[j] == '\0')
				cmd[j] = ' ';
		if (len > 0 && (cmd[len] = '\0', strstr(cmd, "--sftp") != NULL))
			return pids[i];
	}
	return 0;
}

/* Kill the sftp app with SIGKILL (it cannot clean up) and wait until it is gone. */
static void
kill9_sftp_app(void)
{
	pid_t		pid = sftp_app_pid();
	long long	deadline = harness_now_ms() + harness_timeout_ms();

	assert_true(pid > 0);
	assert_int_equal(kill(pid, SIGKILL), 0);
	/* Gone once the session child has reaped it (a zombie's cmdline reads empty). */
	while (sftp_app_pid() == pid && harness_now_ms() < deadline)
		(void)poll(NULL, 0, 20);
	assert_int_not_equal(sftp_app_pid(), pid);
}

static int
abuse_teardown(void **state)
{
	exec_result_free(&last);
	return e2e_teardown(state);
}

/* ---- the attacks ---------------------------------------------------------------------- */

/* (a) Open, write 25 MiB, drop the TCP connection: the app is hung up and removes the file. */
static void
dropped_connection_leaves_nothing(void **state)
{
	struct person	p;
	struct up	u;

	(void)state;
	assert_true(wait_incoming(0, "before"));
	assert_true(person_new_offline(&p, "dropper", "Dropper"));
	up_start(&u, &p);
	assert_true(up_open(&u, 0, "movie.mp4"));
	assert_int_equal(up_write(&u, 0, 25LL * MIB), 25LL * MIB);
	assert_true(wait_incoming_bytes(25LL * MIB));	/* it is all on the server's disk */
	up_drop(&u);
	assert_true(wait_incoming(0, "after the connection dropped"));
	up_free(&u);
}

/*
 * (b) Open two files, write, then leave cleanly without closing them: a
 * channel close, then (another time) an SSH disconnect.
 */
static void
clean_exit_without_close_leaves_nothing(void **state)
{
	struct person	p;
	struct up	u;

	(void)state;
	assert_true(person_new_offline(&p, "leaver", "Leaver"));
	for (int disconnect = 0; disconnect < 2; disconnect++) {
		up_start(&u, &p);
		assert_true(up_open(&u, 0, "a.mp4"));
		assert_true(up_open(&u, 1, "b.mp4"));
		assert_int_equal(up_write(&u, 0, 8LL * MIB), 8LL * MIB);
		assert_int_equal(up_write(&u, 1, 4LL * MIB), 4LL * MIB);
		assert_true(wait_incoming_bytes(12LL * MIB));
		up_leave(&u, disconnect);
		assert_true(wait_incoming(0, disconnect ? "after a disconnect with two files open" :
		    "after a channel close with two files open"));
		up_free(&u);
	}
}

/* (c) `ssh host upload < big.mp4` cut off mid-stream. */
static void
upload_cut_off_leaves_nothing(void **state)
{
	static uint8_t	 chunk[CHUNK];
	struct person	 p;
	struct conn	*c;
	ssh_channel	 ch;
	long long	 sent = 0;

	(void)state;
	assert_true(person_new_offline(&p, "cutter", "Cutter"));
	assert_int_equal(conn_open(e2e_srv, p.name, &p.cred, &c), CONN_OK);
	assert_non_null(ch = ssh_channel_new(c->s));
	assert_int_equal(ssh_channel_open_session(ch), SSH_OK);
	assert_int_equal(ssh_channel_request_exec(ch, "upload"), SSH_OK);
	memcpy(chunk, "\0\0\0\x18" "ftypisom", 12);
	while (sent < 12LL * MIB) {
		assert_int_equal(ssh_channel_write(ch, chunk, sizeof chunk), (int)sizeof chunk);
		sent += sizeof chunk;
		memset(chunk, 0, 12);
	}
	assert_true(wait_incoming_bytes(4LL * MIB));	/* arriving, not finished */
	assert_int_equal(shutdown(ssh_get_fd(c->s), SHUT_RDWR), 0);
	assert_true(wait_incoming(0, "after the upload was cut off"));
	ssh_channel_free(ch);
	conn_close(c);
}

/*
 * (d) The app killed with SIGKILL mid-transfer cannot clean up: the session
 * sees it die and tells the worker, which removes the file nobody holds.
 */
static void
killed_app_file_swept_by_worker(void **state)
{
	struct person	p;
	struct up	u;

	(void)state;
	assert_true(person_new_offline(&p, "killed", "Killed"));
	up_start(&u, &p);
	assert_true(up_open(&u, 0, "clip.mp4"));
	assert_int_equal(up_write(&u, 0, 6LL * MIB), 6LL * MIB);
	assert_true(wait_incoming_bytes(6LL * MIB));
	kill9_sftp_app();
	assert_true(wait_incoming(0, "after the app was killed"));
	up_free(&u);
}

/*
 * (d, across a restart) With the worker off, a killed app's file stays
 * (nobody sweeps); the worker's sweep at its start removes it when the
 * server starts again with the worker on: nobody holds it, so its age does
 * not matter (the age rule, for a live but stuck transfer, is unit-tested).
 */
static void
killed_app_file_swept_at_worker_start(void **state)
{
	struct person	p;
	struct up	u;

	(void)state;
	assert_true(person_new_offline(&p, "crashed", "Crashed"));
	assert_int_equal(server_term(e2e_srv), 0);
	server_set_extra(e2e_srv, CONFIG "worker = 0\n");
	assert_int_equal(server_restart(e2e_srv), 0);
	up_start(&u, &p);
	assert_true(up_open(&u, 0, "clip.mp4"));
	assert_int_equal(up_write(&u, 0, 3LL * MIB), 3LL * MIB);
	assert_true(wait_incoming_bytes(3LL * MIB));
	kill9_sftp_app();
	up_free(&u);
	assert_true(server_wait_descendants(e2e_srv, 0, harness_timeout_ms()));
	assert_int_equal(incoming(NULL), 1);	/* the session ended: still there, nobody swept */
	assert_int_equal(server_term(e2e_srv), 0);
	server_set_extra(e2e_srv, CONFIG);
	assert_int_equal(server_restart(e2e_srv), 0);
	assert_true(wait_incoming(0, "after the restart with the worker"));
}

/*
 * (e) Past the per-user cap (SPOOL_MIB here) a write is refused while the
 * data arrives: the client sees SSH_FX_FAILURE with the reason, the file is
 * dropped, and the spool never held more than the cap.
 */
static void
writes_past_the_spool_cap_refused(void **state)
{
	struct person	p;
	struct up	u;
	long long	first, second, bytes;

	(void)state;
	assert_true(person_new_offline(&p, "hoarder", "Hoarder"));
	up_start(&u, &p);
	assert_true(up_open(&u, 0, "one.mp4"));
	assert_true(up_open(&u, 1, "two.mp4"));
	first = up_write(&u, 0, 25LL * MIB);
	assert_int_equal(first, 25LL * MIB);
	second = up_write(&u, 1, 25LL * MIB);
	/* refused at the write that would pass the cap, not at the close */
	assert_true(second < 25LL * MIB);
	assert_true(first + second <= (long long)SPOOL_MIB * MIB);
	assert_true(first + second > (long long)SPOOL_MIB * MIB - CHUNK);
	assert_int_equal(sftp_get_error(u.sftp), SSH_FX_FAILURE);
	if (strstr(ssh_get_error(u.c->s), TXT_ROOM) == NULL)
		fail_msg("the client was told '%s'", ssh_get_error(u.c->s));
	/* the refused file is gone; the first one is still arriving */
	assert_int_equal(incoming(&bytes), 1);
	assert_int_equal(bytes, first);
	/* a new upload is refused at its open while the spool is full */
	assert_int_equal(up_write(&u, 0, 15LL * MIB), 15LL * MIB);
	assert_false(up_open(&u, 2, "three.mp4"));
	if (strstr(ssh_get_error(u.c->s), TXT_ROOM) == NULL)
		fail_msg("the open was refused with '%s'", ssh_get_error(u.c->s));
	assert_true(incoming(&bytes) == 1 && bytes <= (long long)SPOOL_MIB * MIB);
	up_free(&u);
	assert_true(wait_incoming(0, "after the hoarder left"));
}

/* (f) 30 uploads within 10 minutes go; the 31st is refused when it opens, before any data. */
static void
thirty_first_upload_refused_at_open(void **state)
{
	struct person	 p;
	struct up	 u;
	uint8_t		*jpeg;
	size_t		 n;
	char		 name[32];

	(void)state;
	assert_non_null(jpeg = fixture_load(FX_PHOTO, &n));
	assert_true(person_new_offline(&p, "flooder", "Flooder"));
	up_start(&u, &p);
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "p%d.jpg", i);
		assert_true(up_open(&u, 0, name));
		assert_int_equal(sftp_write(u.f[0], jpeg, n), (ssize_t)n);
		assert_int_equal(sftp_close(u.f[0]), SSH_NO_ERROR);
		u.f[0] = NULL;
	}
	assert_false(up_open(&u, 0, "p30.jpg"));
	assert_int_equal(sftp_get_error(u.sftp), SSH_FX_FAILURE);
	if (strstr(ssh_get_error(u.c->s), TXT_COUNT) == NULL)
		fail_msg("the 31st open was refused with '%s'", ssh_get_error(u.c->s));
	assert_int_equal(incoming(NULL), 0);
	up_free(&u);
	/* `upload` over exec is refused at its start too */
	assert_true(run_stdin(&p, 1, "upload", jpeg, n));
	assert_non_null(strstr(last.err, "upload: " TXT_COUNT));
	assert_int_equal(incoming(NULL), 0);
	free(jpeg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(dropped_connection_leaves_nothing, abuse_teardown),
		cmocka_unit_test_teardown(clean_exit_without_close_leaves_nothing,
		    abuse_teardown),
		cmocka_unit_test_teardown(upload_cut_off_leaves_nothing, abuse_teardown),
		cmocka_unit_test_teardown(killed_app_file_swept_by_worker, abuse_teardown),
		cmocka_unit_test_teardown(killed_app_file_swept_at_worker_start, abuse_teardown),
		cmocka_unit_test_teardown(writes_past_the_spool_cap_refused, abuse_teardown),
		cmocka_unit_test_teardown(thirty_first_upload_refused_at_open, abuse_teardown),
	};
	int r;

	e2e_server_config = CONFIG;
	if (getenv("SSHBOOK_E2E_FILTER") != NULL)
		cmocka_set_test_filter(getenv("SSHBOOK_E2E_FILTER"));
	r = cmocka_run_group_tests_name("e2e upload abuse", tests, e2e_group_setup,
	    e2e_group_teardown);
	fixtures_cleanup();
	return r;
}
