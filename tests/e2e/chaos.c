/*
 * Durability under SIGKILL (tests/e2e/chaos.h): writers in child processes,
 * the killer and the checks in this one.
 *
 * Why processes and not one poll loop: every writer is a plain sequential
 * client (connect, write, wait for the answer, reconnect when cut), which
 * is what a user's script or terminal is, and a writer stuck in a blocking
 * call cannot stall the killer or the others. They report on a pipe, one
 * line per event, written before the write is sent ("T"), after it was
 * acknowledged ("A") or when it was not ("F"), so the driver's record of
 * what was acknowledged never runs ahead of what the client saw.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <sqlite3.h>

#include "tests/e2e/chaos.h"
#include "tests/e2e/crowd.h"
#include "tests/e2e/fixtures.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/people.h"
#include "tests/e2e/scenario.h"

#define CHAOS_DEFAULT_SEED	20261208u
#define CHAOS_MAX_WRITERS	16
#define CHAOS_UPLOADS		25	/* per exec writer: under the 30 in 10 minutes */
/* No write limit (the writers write as fast as they can), room for every reconnect. */
#define CHAOS_CONF	"write_burst = 0\nmax_sessions = 500\nmax_sessions_per_addr = 500\n" \
			"max_sessions_per_user = 100\n"

enum role { ROLE_EXEC, ROLE_COMPOSE, ROLE_CHAT };

/* What happened to one write, by the writer's sequence number. */
enum { W_NONE, W_TRIED, W_ACKED, W_FAILED };

struct wrec {
	char		 kind;		/* P post, C comment, D dm, B bio, L like, U unlike, V upload,
					 * K composer, M chat */
	unsigned char	 state;
	unsigned short	 found;		/* rows carrying its marker */
	long long	 media;		/* V: the media id the upload printed */
};

struct writer {
	enum role	 role;
	char		 name[40];
	ssh_key		 key;
	struct cred	 cred;
	long long	 target;	/* exec: the post it comments on and likes */
	int		 partner;	/* exec, chat: the writer it sends messages to */
	int64_t		 uid;		/* read from the database at the end */
	pid_t		 pid;
	int		 fd;		/* read end of its report pipe */
	bool		 eof;
	char		 buf[1024];
	size_t		 blen;
	struct wrec	*rec;		/* by sequence number, from 1 */
	int		 cap;
	int		 last_tried;
	int		 last_acked;
	char		 log[512];	/* its stderr */
};

struct chaos {
	const struct chaos_opts	*opts;
	struct chaos_result	*res;
	struct server		*srv;
	struct writer		 w[CHAOS_MAX_WRITERS];
	int			 nw;
	uint64_t		 rng;
	uint8_t			*jpeg;		/* what the exec writers upload */
	size_t			 jpeg_len;
	enum chaos_kind		 round[6];	/* this round of the schedule */
	int			 round_no;	/* which round it is, -1 before the first */
};

/* ---- small things ------------------------------------------------------- */

/* xorshift64*: the same numbers for the same seed on every machine. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned
rng_below(uint64_t *s, unsigned n)
{
	return n > 0 ? (unsigned)(rng_next(s) % n) : 0;
}

static void
nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
fail(struct chaos *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first failure (later ones are printed only). */
static void
fail(struct chaos *cx, const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "chaos: %s\n", msg);
	if (cx->res->failure[0] == '\0')
		snprintf(cx->res->failure, sizeof cx->res->failure, "%s", msg);
}

const char *
chaos_kind_name(enum chaos_kind k)
{
	static const char *const names[CHAOS_NKINDS] = {
		"exec app", "tui app", "session child", "worker", "listener",
	};

	return k < CHAOS_NKINDS ? names[k] : "?";
}

/*
 * The text of write (kind, writer, seq): a marker first ("cxP03.000042"),
 * then words derived from it, then the marker again, so a row cut short or
 * spliced is told from a whole one. TUI texts are short ASCII (one row of
 * a chat, typed key by key); exec texts carry UTF-8 and are up to ~400 bytes.
 */
static void
chaos_text(char *buf, size_t size, char kind, int w, int seq)
{
	static const char *const words[] = {
		"durable", "\xc3\xa9t\xc3\xa9", "kill", "\xe2\x9c\x93", "write", "\xe6\x97\xa5\xe6\x9c\xac",
		"wal", "commit", "\xc3\xb1" "and\xc3\xba", "fsync", "row", "\xf0\x9f\x99\x82",
	};
	char		marker[32];
	uint64_t	h = (uint64_t)(w + 1) * 1000003u + (uint64_t)seq * 7919u + (uint64_t)kind;
	size_t		len;
	int		n;

	snprintf(marker, sizeof marker, "cx%c%02d.%06d", kind, w, seq);
	if (kind == 'K' || kind == 'M') {
		snprintf(buf, size, "%s typed ~%s", marker, marker);
		return;
	}
	len = (size_t)snprintf(buf, size, "%s", marker);
	n = 3 + (int)(rng_next(&h) % 40);
	for (int i = 0; i < n && len + 20 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " %s",
		    words[rng_next(&h) % (sizeof words / sizeof words[0])]);
	snprintf(buf + len, size - len, " ~%s", marker);
}

/* ---- the writers (child processes) --------------------------------------- */

static volatile sig_atomic_t writer_stop;

static void
on_writer_stop(int sig)
{
	(void)sig;
	writer_stop = 1;
}

static void
report(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
report(int fd, const char *fmt, ...)
{
	char	line[128];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* one write of less than PIPE_BUF: the line arrives whole */
	if (write(fd, line, (size_t)n) != n)
		_exit(3);
}

/*
 * One command on a channel of c, inlen bytes of in on its standard input
 * (then EOF), the start of its standard output in out: its exit status, -1
 * when the channel or the connection failed (or no status came), -2 past
 * the deadline.
 */
static int
exec_on_conn(struct conn *c, const char *cmd, const void *in, size_t inlen, char *out,
    size_t outsz, int ms)
{
	long long	 deadline = harness_now_ms() + ms;
	ssh_channel	 ch;
	char		 buf[4096];
	size_t		 outlen = 0;
	int		 n, status = -2;

	out[0] = '\0';
	if ((ch = ssh_channel_new(c->s)) == NULL)
		return -1;
	if (ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_exec(ch, cmd) != SSH_OK ||
	    (inlen > 0 && ssh_channel_write(ch, in, (uint32_t)inlen) != (int)inlen)) {
		ssh_channel_free(ch);
		return -1;
	}
	ssh_channel_send_eof(ch);
	for (;;) {
		(void)ssh_channel_poll_timeout(ch, 50, 0);
		while ((n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 0)) > 0) {
			size_t k = (size_t)n < outsz - 1 - outlen ? (size_t)n : outsz - 1 - outlen;

			memcpy(out + outlen, buf, k);
			out[outlen += k] = '\0';
		}
		if (n != SSH_ERROR)
			while ((n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1)) > 0)
				;
		if (n == SSH_ERROR || ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch))
			break;
		if (harness_now_ms() >= deadline)
			goto out;
	}
	status = ssh_channel_get_exit_status(ch);
	if (status < 0)
		status = -1;
 out:
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return status;
}

static void __attribute__((noreturn))
writer_exec(struct chaos *cx, int i, int fd, uint64_t rng)
{
	struct writer	*w = &cx->w[i];
	struct conn	*c = NULL;
	char		 text[1024], cmd[2048], out[256];
	int		 seq = 0, likes = 0, uploads = 0, ms = harness_timeout_ms();

	while (!writer_stop) {
		unsigned	 pick = rng_below(&rng, 100);
		char		 kind;
		int		 status;

		if (c == NULL && conn_open(cx->srv, w->name, &w->cred, &c) != CONN_OK) {
			conn_close(c);
			c = NULL;
			nap_ms(20);
			continue;
		}
		kind = pick < 33 ? 'P' : pick < 52 ? 'C' : pick < 72 ? 'D' : pick < 86 ? 'L' :
		    pick < 94 ? 'B' : 'V';
		if (kind == 'L' && likes++ % 2 == 1)
			kind = 'U';
		/* at most 30 uploads in 10 minutes per person (storage/media.h) */
		if (kind == 'V' && uploads++ >= CHAOS_UPLOADS)
			kind = 'P';
		seq++;
		chaos_text(text, sizeof text, kind, i, seq);
		switch (kind) {
		case 'P':
			snprintf(cmd, sizeof cmd, "post %s", quote(text));
			break;
		case 'C':
			snprintf(cmd, sizeof cmd, "comment %lld %s", w->target, quote(text));
			break;
		case 'D':
			snprintf(cmd, sizeof cmd, "dm %s %s", cx->w[w->partner].name, quote(text));
			break;
		case 'L':
			snprintf(cmd, sizeof cmd, "like %lld", w->target);
			break;
		case 'U':
			snprintf(cmd, sizeof cmd, "unlike %lld", w->target);
			break;
		case 'V':
			snprintf(cmd, sizeof cmd, "upload");
			break;
		default:
			snprintf(cmd, sizeof cmd, "profile set bio %s", quote(text));
			break;
		}
		report(fd, "T %d %c\n", seq, kind);
		status = exec_on_conn(c, cmd, kind == 'V' ? cx->jpeg : NULL,
		    kind == 'V' ? cx->jpeg_len : 0, out, sizeof out, ms);
		if (status == 0)
			report(fd, "A %d %lld\n", seq, kind == 'V' ? strtoll(out, NULL, 10) : 0);
		else {
			report(fd, "F %d %d\n", seq, status);
			/* the channel or the connection failed: a new connection */
			if (status == -2)
				fprintf(stderr, "chaos writer %s: '%.60s' gave no answer in %d ms\n",
				    w->name, cmd, ms);
			if (status < 0) {
				conn_close(c);
				c = NULL;
			}
		}
	}
	conn_close(c);
	_exit(0);
}

/* Pump t until cond holds (true), ms pass or the channel ends (false, unless cond holds then). */
static bool
quiet_wait(struct term *t, bool (*cond)(struct term *, const char *), const char *arg, int ms)
{
	long long deadline = harness_now_ms() + ms;

	for (;;) {
		if (cond(t, arg))
			return true;
		if (writer_stop)
			return false;
		if (harness_now_ms() >= deadline) {
			/* not a kill (that ends the channel): say what the screen showed */
			fprintf(stderr, "chaos writer %s: waited %d ms for '%s'; the screen:\n",
			    t->user, ms, arg != NULL ? arg : "posted");
			term_screen_dump(t, stderr);
			return false;
		}
		if (term_pump(t, 50) < 0)
			return cond(t, arg);
	}
}

static bool
cond_text(struct term *t, const char *text)
{
	return term_has_text(t, text);
}

/* The composer closed (only a stored post closes it) and the status line says so. */
static bool
cond_posted(struct term *t, const char *unused)
{
	char row[512];

	(void)unused;
	if (term_has_text(t, TXT_PREVIEW))
		return false;
	term_row(t, -1, row, sizeof row);
	return strstr(row, "posted (visible to") != NULL;
}

/* The message is in the chat's history, above the input line (rows 2..19 at 80x24). */
static bool
cond_in_history(struct term *t, const char *marker)
{
	int y = term_find(t, marker);

	return y >= 1 && y < TERM_ROWS - 4;
}

static void __attribute__((noreturn))
writer_tui(struct chaos *cx, int i, int fd)
{
	struct writer	*w = &cx->w[i];
	char		 text[256], marker[32];
	int		 seq = 0, ms = harness_timeout_ms();

	while (!writer_stop) {
		struct term *t = term_open(cx->srv, w->name, &w->cred, TERM_COLS, TERM_ROWS);

		if (t == NULL) {
			nap_ms(20);
			continue;
		}
		/* Home with posts on it has no welcome line: the status line drawn with the frame */
		if (!quiet_wait(t, cond_text, "q quit", ms))
			goto next;
		if (w->role == ROLE_CHAT) {
			term_send(t, "3");
			if (!quiet_wait(t, cond_text, "1 conversation", ms))
				goto next;
			term_key(t, VTERM_KEY_ENTER);
			if (!quiet_wait(t, cond_text, "Chat with", ms))
				goto next;
		}
		while (!writer_stop) {
			char kind = w->role == ROLE_CHAT ? 'M' : 'K';
			bool ok;

			seq++;
			chaos_text(text, sizeof text, kind, i, seq);
			snprintf(marker, sizeof marker, "cx%c%02d.%06d", kind, i, seq);
			if (kind == 'K') {
				term_send(t, "n");
				if (!quiet_wait(t, cond_text, TXT_PREVIEW, ms)) {
					seq--;	/* nothing was tried */
					break;
				}
			}
			report(fd, "T %d %c\n", seq, kind);
			term_send(t, text);
			if (kind == 'K') {
				term_send(t, "\x13");	/* Ctrl-S */
				ok = quiet_wait(t, cond_posted, NULL, ms);
			} else {
				term_key(t, VTERM_KEY_ENTER);
				ok = quiet_wait(t, cond_in_history, marker, ms);
			}
			if (ok)
				report(fd, "A %d\n", seq);
			else {
				report(fd, "F %d -1\n", seq);
				break;
			}
		}
 next:
		term_close(t);
	}
	_exit(0);
}

static int
writer_spawn(struct chaos *cx, int i)
{
	struct writer	*w = &cx->w[i];
	int		 p[2];
	pid_t		 pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		struct sigaction	sa;
		int			log = open(w->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		close(p[0]);
		for (int k = 0; k < cx->nw; k++)
			if (k != i && cx->w[k].fd >= 0)
				close(cx->w[k].fd);
		if (log >= 0) {
			dup2(log, 2);
			close(log);
		}
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_writer_stop;
		sigaction(SIGTERM, &sa, NULL);
		if (w->role == ROLE_EXEC)
			writer_exec(cx, i, p[1], cx->rng ^ ((uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL));
		writer_tui(cx, i, p[1]);
	}
	close(p[1]);
	w->pid = pid;
	w->fd = p[0];
	(void)fcntl(w->fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* ---- the driver's side of the reports ------------------------------------ */

static struct wrec *
rec_at(struct writer *w, int seq)
{
	if (seq < 1 || seq > 10000000)
		return NULL;
	if (seq >= w->cap) {
		int cap = w->cap ? w->cap : 256;

		while (cap <= seq)
			cap *= 2;
		if ((w->rec = realloc(w->rec, (size_t)cap * sizeof *w->rec)) == NULL)
			abort();
		memset(w->rec + w->cap, 0, (size_t)(cap - w->cap) * sizeof *w->rec);
		w->cap = cap;
	}
	return &w->rec[seq];
}

static void
take_line(struct chaos *cx, struct writer *w, const char *line)
{
	struct wrec	*r;
	char		 kind = 0;
	int		 seq = 0, status = 0;
	long long	 media = 0;

	if (line[0] == 'T' && sscanf(line, "T %d %c", &seq, &kind) == 2 &&
	    (r = rec_at(w, seq)) != NULL) {
		r->kind = kind;
		r->state = W_TRIED;
		w->last_tried = seq;
		cx->res->tried++;
	} else if (line[0] == 'A' && sscanf(line, "A %d %lld", &seq, &media) >= 1 &&
	    (r = rec_at(w, seq)) != NULL && r->state == W_TRIED) {
		r->state = W_ACKED;
		r->media = media;
		w->last_acked = seq;
		cx->res->acked++;
	} else if (line[0] == 'F' && sscanf(line, "F %d %d", &seq, &status) == 2 &&
	    (r = rec_at(w, seq)) != NULL && r->state == W_TRIED)
		r->state = W_FAILED;
	else
		fail(cx, "writer %s: bad report line '%s'", w->name, line);
}

/* Read what the writers reported within ms (0: only what is there). */
static void
pump(struct chaos *cx, int ms)
{
	struct pollfd	pfd[CHAOS_MAX_WRITERS];
	int		n = 0, map[CHAOS_MAX_WRITERS];

	for (int i = 0; i < cx->nw; i++)
		if (cx->w[i].fd >= 0 && !cx->w[i].eof) {
			pfd[n].fd = cx->w[i].fd;
			pfd[n].events = POLLIN;
			map[n++] = i;
		}
	if (n == 0) {
		if (ms > 0)
			nap_ms(ms);
		return;
	}
	if (poll(pfd, (nfds_t)n, ms) <= 0)
		return;
	for (int k = 0; k < n; k++) {
		struct writer	*w = &cx->w[map[k]];
		ssize_t		 r;
		char		*nl;

		if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		while ((r = read(w->fd, w->buf + w->blen, sizeof w->buf - 1 - w->blen)) > 0) {
			w->blen += (size_t)r;
			w->buf[w->blen] = '\0';
			while ((nl = strchr(w->buf, '\n')) != NULL) {
				*nl = '\0';
				take_line(cx, w, w->buf);
				w->blen -= (size_t)(nl + 1 - w->buf);
				memmove(w->buf, nl + 1, w->blen + 1);
			}
		}
		if (r == 0)
			w->eof = true;
	}
}

/* ---- victims ------------------------------------------------------------- */

struct victim {
	pid_t		 pid;
	enum chaos_kind	 kind;
	char		 what[64];
};

/* /proc/PID/cmdline as one string with spaces, "" when gone. */
static void
cmdline_of(pid_t pid, char *buf, size_t size)
{
	char	 path[64];
	FILE	*fp;
	size_t	 n = 0;

	buf[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	n = fread(buf, 1, size - 1, fp);
	fclose(fp);
	for (size_t k = 0; k < n; k++)
		if (buf[k] == '\0')
			buf[k] = ' ';
	buf[n] = '\0';
}

/* The parent and state of pid from /proc/PID/stat; false when it is gone. */
static bool
stat_of(pid_t pid, pid_t *ppid, char *state)
{
	char	 path[64], buf[512], *p;
	FILE	*fp;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return false;
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0' || p[2] == '\0')
		return false;
	*state = p[2];
	*ppid = (pid_t)atoi(p + 4);
	return true;
}

/* The live processes of kind among sshbookd's, into v (at most max). */
static int
victims(struct chaos *cx, enum chaos_kind kind, struct victim *v, int max)
{
	pid_t	pids[512];
	int	n, found = 0;

	if (cx->srv->pid <= 0)
		return 0;
	if (kind == CHAOS_LISTENER || kind == CHAOS_WORKER) {
		pid_t pid = kind == CHAOS_LISTENER ? cx->srv->pid : server_worker_pid(cx->srv);

		if (pid <= 0)
			return 0;
		v[0].pid = pid;
		v[0].kind = kind;
		snprintf(v[0].what, sizeof v[0].what, "%s", chaos_kind_name(kind));
		return 1;
	}
	n = server_descendants(cx->srv, pids, 512);
	for (int i = 0; i < n && i < 512 && found < max; i++) {
		char		 cmd[1024], state;
		pid_t		 ppid;
		enum chaos_kind	 k;
		const char	*user;

		if (!stat_of(pids[i], &ppid, &state) || state == 'Z')
			continue;
		cmdline_of(pids[i], cmd, sizeof cmd);
		if ((user = strstr(cmd, " --user ")) != NULL) {
			if (strstr(cmd, " --sftp") != NULL)
				continue;
			k = strstr(cmd, " -- ") != NULL ? CHAOS_EXEC_APP : CHAOS_TUI_APP;
		} else if (ppid == cx->srv->pid && strstr(cmd, "sshbookd") != NULL)
			k = CHAOS_SESSION;
		else
			continue;
		if (k != kind)
			continue;
		v[found].pid = pids[i];
		v[found].kind = k;
		if (user != NULL)
			snprintf(v[found].what, sizeof v[found].what, "%.*s", (int)strcspn(user + 8, " "),
			    user + 8);
		else
			snprintf(v[found].what, sizeof v[found].what, "pid %d", (int)pids[i]);
		found++;
	}
	return found;
}

/* Wait (reading reports) until a process of kind is there, at most ms; pick one at random. */
static bool
pick_victim(struct chaos *cx, enum chaos_kind kind, int ms, struct victim *out)
{
	long long	deadline = harness_now_ms() + ms;
	struct victim	v[64];
	int		n;

	for (;;) {
		if ((n = victims(cx, kind, v, 64)) > 0) {
			*out = v[rng_below(&cx->rng, (unsigned)n)];
			return true;
		}
		if (harness_now_ms() >= deadline)
			return false;
		pump(cx, 2);
	}
}

/* Wait until pid has gone (reaped, or a zombie nobody reaped yet). */
static bool
wait_gone(struct chaos *cx, pid_t pid, int ms)
{
	long long	deadline = harness_now_ms() + ms;
	pid_t		ppid;
	char		state;

	while (stat_of(pid, &ppid, &state) && state != 'Z') {
		if (harness_now_ms() >= deadline)
			return false;
		pump(cx, 2);
	}
	return true;
}

/* Every writer has had a write acknowledged that it started after marks[] (its last tried then). */
static bool
wait_progress(struct chaos *cx, const int *marks, int ms, const char *after)
{
	long long deadline = harness_now_ms() + ms;

	for (;;) {
		int slow = -1;

		for (int i = 0; i < cx->nw && slow < 0; i++)
			if (cx->w[i].last_acked <= marks[i])
				slow = i;
		if (slow < 0)
			return true;
		if (cx->w[slow].eof) {
			fail(cx, "writer %s ended by itself", cx->w[slow].name);
			return false;
		}
		if (harness_now_ms() >= deadline) {
			fail(cx, "writer %s had no write acknowledged for %d ms after %s "
			    "(last tried %d, last acknowledged %d)", cx->w[slow].name, ms, after,
			    cx->w[slow].last_tried, cx->w[slow].last_acked);
			return false;
		}
		pump(cx, 20);
	}
}

/*
 * The schedule: rounds of six kills, two of an exec app and one of each
 * other kind, shuffled within the round (so 12 kills hit the listener
 * twice and every kind at least once).
 */
static enum chaos_kind
schedule(struct chaos *cx, int k)
{
	static const enum chaos_kind base[6] = {
		CHAOS_EXEC_APP, CHAOS_EXEC_APP, CHAOS_SESSION, CHAOS_TUI_APP, CHAOS_WORKER,
		CHAOS_LISTENER,
	};

	if (k / 6 != cx->round_no) {
		cx->round_no = k / 6;
		memcpy(cx->round, base, sizeof cx->round);
		for (int i = 5; i > 0; i--) {
			unsigned	j = rng_below(&cx->rng, (unsigned)i + 1);
			enum chaos_kind	t = cx->round[i];

			cx->round[i] = cx->round[j];
			cx->round[j] = t;
		}
	}
	return cx->round[k % 6];
}

static int
one_kill(struct chaos *cx, int k)
{
	int		 marks[CHAOS_MAX_WRITERS], ms = harness_timeout_ms();
	enum chaos_kind	 kind = schedule(cx, k);
	struct victim	 v;
	char		 after[128];

	if (!server_alive(cx->srv)) {
		fail(cx, "sshbookd died by itself before kill %d", k + 1);
		return -1;
	}
	/*
	 * A worker killed a moment ago comes back after the listener's backoff
	 * (1 s, doubling while it keeps dying): wait for it that long, then hit
	 * a session child instead.
	 */
	if (!pick_victim(cx, kind, kind == CHAOS_WORKER ? 2 * ms : ms, &v)) {
		if (kind == CHAOS_EXEC_APP || kind == CHAOS_WORKER) {
			kind = CHAOS_SESSION;
			if (!pick_victim(cx, kind, ms, &v)) {
				fail(cx, "no %s to kill", chaos_kind_name(kind));
				return -1;
			}
		} else {
			fail(cx, "no %s to kill", chaos_kind_name(kind));
			return -1;
		}
	}
	/* an exec app is hit at a random point of its short life, often inside its write */
	if (kind == CHAOS_EXEC_APP)
		pump(cx, (int)rng_below(&cx->rng, 30));
	for (int i = 0; i < cx->nw; i++)
		marks[i] = cx->w[i].last_tried;
	snprintf(after, sizeof after, "kill %d (%s, %s)", k + 1, chaos_kind_name(kind), v.what);
	if (kind == CHAOS_LISTENER) {
		int port = cx->srv->port;

		server_kill9(cx->srv);
		if (server_restart(cx->srv) != 0) {
			fail(cx, "sshbookd did not start again after %s", after);
			return -1;
		}
		cx->res->restarts++;
		if (cx->srv->port != port) {
			fail(cx, "sshbookd came back on port %d, not %d, after %s", cx->srv->port, port,
			    after);
			return -1;
		}
	} else {
		if (kill(v.pid, SIGKILL) != 0) {
			/* it ended on its own between the look and the kill: pick again */
			return 1;
		}
		if (!wait_gone(cx, v.pid, ms))
			fail(cx, "%s: pid %d still there after SIGKILL", after, (int)v.pid);
	}
	cx->res->kills++;
	cx->res->by_kind[kind]++;
	if (!wait_progress(cx, marks, 3 * ms, after))
		return -1;
	if (cx->opts->progress != NULL)
		fprintf(cx->opts->progress, "chaos: %s survived; %ld writes acknowledged\n", after,
		    cx->res->acked);
	return 0;
}

/* ---- the checks ------------------------------------------------------------ */

/*
 * One row holding a marker: whose write it was, whether it is whole and
 * where it should be. author/target: who wrote it and what it was written
 * to (a post id, a user id; 0 when not checked).
 */
static void
check_row(struct chaos *cx, const char *table, const char *text, int64_t author, int64_t target,
    const char *kinds)
{
	char		 kind = 0, want[1024];
	int		 w = -1, seq = -1;
	struct wrec	*r;
	struct writer	*wr;

	if (sscanf(text, "cx%c%2d.%6d", &kind, &w, &seq) != 3 || w < 0 || w >= cx->nw ||
	    seq < 1 || seq >= cx->w[w].cap || cx->w[w].rec[seq].state == W_NONE) {
		cx->res->phantoms++;
		fail(cx, "%s: a row nobody wrote: '%.80s'", table, text);
		return;
	}
	wr = &cx->w[w];
	r = &wr->rec[seq];
	chaos_text(want, sizeof want, kind, w, seq);
	if (r->kind != kind || strchr(kinds, kind) == NULL || strcmp(text, want) != 0 ||
	    author != wr->uid || (target != 0 && target != (kind == 'C' ? wr->target :
	    (int64_t)cx->w[wr->partner].uid))) {
		cx->res->torn++;
		fail(cx, "%s: a row not as written: '%.80s' (author %lld)", table, text,
		    (long long)author);
		return;
	}
	if (++r->found == 2) {
		cx->res->duplicates++;
		fail(cx, "%s: '%.20s' is there twice", table, text);
	}
}

static int
rows(struct chaos *cx, sqlite3 *db, const char *sql, const char *table, const char *kinds,
    bool has_target)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(cx, "prepare '%s': %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);

		check_row(cx, table, text != NULL ? text : "", sqlite3_column_int64(st, 1),
		    has_target ? sqlite3_column_int64(st, 2) : 0, kinds);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail(cx, "read %s: %s", table, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The first column of the first row of sql as text into buf ("" when none); rows counted. */
static long
scalar(sqlite3 *db, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt	*st;
	long		 n = 0;

	if (buf != NULL)
		buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0 && buf != NULL)
			snprintf(buf, size, "%s", sqlite3_column_text(st, 0) ?
			    (const char *)sqlite3_column_text(st, 0) : "");
	}
	sqlite3_finalize(st);
	return n;
}

/*
 * A value that a writer overwrites (its bio, its like of the target): the
 * final one must be what its last acknowledged write set, or what a write
 * it tried after that set. value(kind, seq) gives the value a write sets.
 */
static bool
final_ok(struct writer *w, const char *kinds, const char *final, int wi,
    void (*value)(char *, size_t, char, int, int), const char *initial)
{
	int	newest = 0;
	char	v[1024];

	for (int s = 1; s < w->cap; s++)
		if (w->rec[s].state == W_ACKED && strchr(kinds, w->rec[s].kind) != NULL)
			newest = s;
	if (newest == 0 && strcmp(final, initial) == 0)
		return true;
	for (int s = newest > 0 ? newest : 1; s < w->cap; s++) {
		if (w->rec[s].state == W_NONE || strchr(kinds, w->rec[s].kind) == NULL)
			continue;
		value(v, sizeof v, w->rec[s].kind, wi, s);
		if (strcmp(v, final) == 0)
			return true;
	}
	return false;
}

static void
like_value(char *buf, size_t size, char kind, int w, int seq)
{
	(void)w;
	(void)seq;
	snprintf(buf, size, "%d", kind == 'L');
}

static int
check_db(struct chaos *cx)
{
	char		*path = NULL, sql[256], buf[1024];
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	int		 rc = -1;

	if (asprintf(&path, "%s/sshbook.db", cx->srv->data_dir) < 0)
		abort();
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fail(cx, "open %s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	scalar(db, "PRAGMA integrity_check", cx->res->integrity, sizeof cx->res->integrity);
	if (strcmp(cx->res->integrity, "ok") != 0)
		fail(cx, "integrity_check: %s", cx->res->integrity);
	cx->res->fk_violations = scalar(db, "PRAGMA foreign_key_check", NULL, 0);
	if (cx->res->fk_violations != 0)
		fail(cx, "foreign_key_check: %ld rows", cx->res->fk_violations);
	for (int i = 0; i < cx->nw; i++) {
		snprintf(sql, sizeof sql, "SELECT id FROM users WHERE username = '%s'",
		    cx->w[i].name);
		if (scalar(db, sql, buf, sizeof buf) != 1) {
			fail(cx, "user %s is not in the database", cx->w[i].name);
			goto out;
		}
		cx->w[i].uid = strtoll(buf, NULL, 10);
	}
	/* every row that starts like a marker, whoever it claims to be from */
	if (rows(cx, db, "SELECT text, author_id FROM posts WHERE substr(text, 1, 2) = 'cx'",
	    "posts", "PK", false) != 0 ||
	    rows(cx, db, "SELECT text, author_id, post_id FROM comments "
	    "WHERE substr(text, 1, 2) = 'cx'", "comments", "C", true) != 0 ||
	    rows(cx, db, "SELECT text, from_id, to_id FROM messages "
	    "WHERE substr(text, 1, 2) = 'cx'", "messages", "DM", true) != 0)
		goto out;
	/* the counters the triggers keep */
	cx->res->counter_errors = scalar(db, "SELECT id FROM posts p WHERE "
	    "n_comments != (SELECT count(*) FROM comments c WHERE c.post_id = p.id) OR "
	    "n_like != (SELECT count(*) FROM reactions r WHERE r.post_id = p.id AND r.kind = 1)",
	    buf, sizeof buf);
	if (cx->res->counter_errors != 0)
		fail(cx, "%ld posts have counters that disagree with their rows (post %s)",
		    cx->res->counter_errors, buf);
	for (int i = 0; i < cx->nw; i++) {
		struct writer *w = &cx->w[i];

		if (w->role != ROLE_EXEC)
			continue;
		if (sqlite3_prepare_v2(db, "SELECT bio FROM users WHERE id = ?", -1, &st,
		    NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_int64(st, 1, w->uid);
		buf[0] = '\0';
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		st = NULL;
		if (!final_ok(w, "B", buf, i, chaos_text, "")) {
			cx->res->final_errors++;
			fail(cx, "%s's bio is not one that was set last: '%.40s'", w->name, buf);
		} else if (buf[0] != '\0')
			check_row(cx, "users.bio", buf, w->uid, 0, "B");
		snprintf(sql, sizeof sql, "SELECT count(*) FROM reactions WHERE post_id = %lld "
		    "AND user_id = %lld AND kind = 1", w->target, (long long)w->uid);
		scalar(db, sql, buf, sizeof buf);
		if (!final_ok(w, "LU", buf, i, like_value, "0")) {
			cx->res->final_errors++;
			fail(cx, "%s's like of post %lld is %s, not what it set last", w->name,
			    w->target, buf);
		}
	}
	/* every acknowledged write is there; count those that were not acknowledged and are */
	for (int i = 0; i < cx->nw; i++) {
		struct writer *w = &cx->w[i];

		for (int s = 1; s < w->cap; s++) {
			struct wrec *r = &w->rec[s];

			if (r->state == W_NONE)
				continue;
			if (r->kind == 'V') {
				cx->res->uploads += r->state == W_ACKED;
				continue;
			}
			if (strchr("BLU", r->kind) != NULL) {
				/* overwritten by the next one: the final value is checked above */
				cx->res->overwrites += r->state == W_ACKED;
				continue;
			}
			cx->res->acked_rows += r->state == W_ACKED;
			if (r->state == W_ACKED && r->found > 0)
				cx->res->found++;
			else if (r->state == W_ACKED) {
				cx->res->lost++;
				if (cx->res->lost <= 5)
					fail(cx, "lost: writer %s's acknowledged write %d (%c)",
					    w->name, s, r->kind);
			} else if (r->found > 0)
				cx->res->unacked_found++;
		}
	}
	rc = 0;
 out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return rc;
}

/* How many rows sql counts (its first column as a number; -1 on an error). */
static long
count_of(sqlite3 *db, const char *sql)
{
	char buf[64];

	if (scalar(db, sql, buf, sizeof buf) != 1)
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * The worker's side: once it is back, every job is done within the
 * deadline (no job stuck behind a lease of a worker that was killed),
 * every acknowledged upload is a ready media item of its writer, and the
 * spool is empty (nothing left by a killed upload or a killed worker).
 */
static void
check_media(struct chaos *cx)
{
	long long	 deadline = harness_now_ms() + 3 * harness_timeout_ms();
	char		*path = NULL, sql[256];
	sqlite3		*db = NULL;

	if (asprintf(&path, "%s/sshbook.db", cx->srv->data_dir) < 0)
		abort();
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fail(cx, "open %s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	for (;;) {
		cx->res->jobs_left = count_of(db, "SELECT count(*) FROM jobs WHERE state != 2");
		cx->res->spool_left = spool_files(cx->srv);
		if ((cx->res->jobs_left == 0 && cx->res->spool_left == 0) ||
		    harness_now_ms() >= deadline)
			break;
		nap_ms(50);
	}
	if (cx->res->jobs_left != 0)
		fail(cx, "%ld jobs still not done %d ms after the writers stopped",
		    cx->res->jobs_left, 3 * harness_timeout_ms());
	if (cx->res->spool_left != 0)
		fail(cx, "%d files left in the spool", cx->res->spool_left);
	/* an upload cut off before its commit leaves no row; one after it, its row and file */
	cx->res->media_failed = count_of(db, "SELECT count(*) FROM media WHERE state = 2");
	if (cx->res->media_failed != 0)
		fail(cx, "%ld media items failed", cx->res->media_failed);
	cx->res->media_unacked = count_of(db, "SELECT count(*) FROM media");
	for (int i = 0; i < cx->nw; i++) {
		struct writer *w = &cx->w[i];

		for (int s = 1; s < w->cap; s++) {
			if (w->rec[s].kind != 'V' || w->rec[s].state != W_ACKED)
				continue;
			cx->res->media_unacked--;
			snprintf(sql, sizeof sql, "SELECT count(*) FROM media m JOIN users u ON "
			    "u.id = m.owner_id WHERE m.id = %lld AND u.username = '%s' AND "
			    "m.state = 1", w->rec[s].media, w->name);
			if (count_of(db, sql) == 1)
				cx->res->uploads_ready++;
			else
				fail(cx, "%s's acknowledged upload %d (media %lld) is not a ready "
				    "item of theirs", w->name, s, w->rec[s].media);
		}
	}
 out:
	sqlite3_close(db);
	free(path);
}

/* ---- setting up and the whole run ------------------------------------------ */

static int
setup(struct chaos *cx)
{
	int	nexec = cx->opts->exec_writers;
	char	cmd[256];

	cx->nw = nexec + 2;
	for (int i = 0; i < cx->nw; i++) {
		struct writer	*w = &cx->w[i];
		struct term	*t;
		const char	*name;

		w->role = i < nexec ? ROLE_EXEC : i == nexec ? ROLE_COMPOSE : ROLE_CHAT;
		w->fd = -1;
		name = fresh_user(w->role == ROLE_EXEC ? "cxw" : w->role == ROLE_COMPOSE ? "cxtui" :
		    "cxchat");
		snprintf(w->name, sizeof w->name, "%s", name);
		w->key = key_new();
		w->cred = cred_key(w->key);
		w->partner = w->role == ROLE_EXEC ? (i + 1) % nexec : 0;
		snprintf(w->log, sizeof w->log, "%s/chaos-%s.log", cx->srv->tmp, name);
		if ((t = signup_with_key(cx->srv, w->name, w->key, NULL, NULL)) == NULL ||
		    !term_quit(t)) {
			fail(cx, "sign-up of %s failed", w->name);
			return -1;
		}
	}
	/* the exec writers are all friends; the chat writer is writer 0's */
	for (int i = 0; i < nexec; i++)
		for (int j = i + 1; j < nexec; j++)
			if (!crowd_make_friends(cx->srv->data_dir, cx->w[i].name, cx->w[j].name))
				return -1;
	if (!crowd_make_friends(cx->srv->data_dir, cx->w[nexec + 1].name, cx->w[0].name))
		return -1;
	/* more friends than a session hints itself: writer 0's posts are worker jobs */
	if (!crowd_befriend(cx->srv->data_dir, cx->w[0].name, "cxcrowd", 70))
		return -1;
	for (int i = 0; i < nexec; i++) {
		struct exec_result r;

		snprintf(cmd, sizeof cmd, "post %s", quote("the post the others comment on"));
		if (run_exec(cx->srv, cx->w[i].name, &cx->w[i].cred, cmd, NULL, 0, &r) != 0 ||
		    r.status != 0) {
			fail(cx, "first post of %s failed", cx->w[i].name);
			exec_result_free(&r);
			return -1;
		}
		cx->w[(i + nexec - 1) % nexec].target = strtoll(r.out, NULL, 10);
		exec_result_free(&r);
	}
	snprintf(cmd, sizeof cmd, "dm %s hello", cx->w[0].name);
	if (!exec_expect(cx->srv, cx->w[nexec + 1].name, &cx->w[nexec + 1].cred, cmd, 0, NULL))
		return -1;
	return 0;
}

static void
print_tail(const char *path, int lines)
{
	FILE	*fp = fopen(path, "r");
	char	*data = NULL;
	size_t	 len = 0, cap = 0, n;
	char	 buf[4096];
	int	 seen = 0;

	if (fp == NULL)
		return;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (len + n + 1 > cap && (data = realloc(data, cap = (len + n + 1) * 2)) == NULL)
			abort();
		memcpy(data + len, buf, n);
		len += n;
	}
	fclose(fp);
	if (data == NULL)
		return;
	data[len] = '\0';
	while (len > 0 && seen <= lines)
		if (data[--len] == '\n')
			seen++;
	fprintf(stderr, "chaos: the end of %s:\n%s\n", path, data + len);
	free(data);
}

static void
stop_writers(struct chaos *cx)
{
	long long deadline = harness_now_ms() + 3 * harness_timeout_ms();

	for (int i = 0; i < cx->nw; i++)
		if (cx->w[i].pid > 0)
			kill(cx->w[i].pid, SIGTERM);
	for (;;) {
		bool open = false;

		for (int i = 0; i < cx->nw; i++)
			open |= cx->w[i].fd >= 0 && !cx->w[i].eof;
		if (!open || harness_now_ms() >= deadline)
			break;
		pump(cx, 50);
	}
	for (int i = 0; i < cx->nw; i++) {
		struct writer	*w = &cx->w[i];
		int		 st;

		if (w->pid <= 0)
			continue;
		if (!w->eof) {
			fail(cx, "writer %s did not stop", w->name);
			kill(w->pid, SIGKILL);
		}
		if (waitpid(w->pid, &st, 0) == w->pid && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
			fail(cx, "writer %s ended with status 0x%x", w->name, st);
		w->pid = 0;
		close(w->fd);
		w->fd = -1;
	}
}

/* The worker's backoff is at most 30 s: wait that long for it to come back. */
static void
wait_worker(struct chaos *cx)
{
	long long deadline = harness_now_ms() + 30000 + harness_timeout_ms();

	while (server_worker_pid(cx->srv) <= 0 && harness_now_ms() < deadline)
		nap_ms(50);
	cx->res->worker_after = server_worker_pid(cx->srv) > 0;
	if (!cx->res->worker_after)
		fail(cx, "the worker did not come back");
}

/* After everything: a new person signs up and logs in. */
static void
check_serving(struct chaos *cx)
{
	const char	*name = fresh_user("cxlate");
	ssh_key		 key = key_new();
	struct cred	 cr = cred_key(key);

	cx->res->login_after = make_user_with_key(cx->srv, name, key, NULL) &&
	    logs_into_home(cx->srv, name, &cr) &&
	    exec_expect(cx->srv, name, &cr, "whoami", 0, NULL);
	if (!cx->res->login_after)
		fail(cx, "a new user could not sign up and log in after the kills");
}

int
chaos_run(const struct chaos_opts *opts, struct chaos_result *res)
{
	struct chaos	 cx;
	const char	*env = getenv("SSHBOOK_CHAOS_SEED");
	long long	 t0;
	int		 slot = 0;

	memset(res, 0, sizeof *res);
	memset(&cx, 0, sizeof cx);
	cx.opts = opts;
	cx.res = res;
	cx.round_no = -1;
	res->seed = opts->seed != 0 ? opts->seed : env != NULL && *env != '\0' ?
	    (unsigned)strtoul(env, NULL, 10) : CHAOS_DEFAULT_SEED;
	cx.rng = (uint64_t)res->seed * 0x9e3779b97f4a7c15ULL + 1;
	fprintf(stderr, "chaos: seed %u (SSHBOOK_CHAOS_SEED=%u repeats this schedule)\n",
	    res->seed, res->seed);
	if (opts->exec_writers < 2 || opts->exec_writers + 2 > CHAOS_MAX_WRITERS) {
		fail(&cx, "exec_writers must be 2..%d", CHAOS_MAX_WRITERS - 2);
		return -1;
	}
	if ((cx.jpeg = fixture_photo_jpeg(320, 240, 85, 12, res->seed, &cx.jpeg_len)) == NULL) {
		fail(&cx, "no picture to upload");
		return -1;
	}
	if (server_start(&cx.srv, CHAOS_CONF) != 0) {
		fail(&cx, "sshbookd did not start");
		return -1;
	}
	if (setup(&cx) != 0)
		goto out;
	for (int i = 0; i < cx.nw; i++)
		if (writer_spawn(&cx, i) != 0) {
			fail(&cx, "fork: %s", strerror(errno));
			goto out;
		}
	t0 = harness_now_ms();
	{
		/* everyone is writing before the first kill */
		int marks[CHAOS_MAX_WRITERS] = { 0 };

		if (!wait_progress(&cx, marks, 3 * harness_timeout_ms(), "the start"))
			goto out;
	}
	while (res->kills < opts->kills) {
		int r = one_kill(&cx, slot);

		if (r < 0)
			break;
		if (r == 0)
			slot++;	/* else the victim was gone already: the same slot again */
	}
	res->seconds = (double)(harness_now_ms() - t0) / 1000.0;
 out:
	stop_writers(&cx);
	if (cx.nw > 0 && res->failure[0] == '\0') {
		/* every session ends with its client: none left hanging by a kill */
		if (!server_wait_descendants(cx.srv, 0, harness_timeout_ms())) {
			res->sessions_left = server_descendants(cx.srv, NULL, 0);
			fail(&cx, "%d session processes outlived their clients", res->sessions_left);
		}
		wait_worker(&cx);
		check_media(&cx);
		check_db(&cx);
		check_serving(&cx);
	}
	if (res->failure[0] != '\0') {
		for (int i = 0; i < cx.nw; i++)
			print_tail(cx.w[i].log, 20);
		server_print_log(cx.srv, stderr, 60);
	}
	res->clean_stop = server_stop(cx.srv) == 0;
	if (!res->clean_stop)
		fail(&cx, "sshbookd did not stop cleanly");
	for (int i = 0; i < cx.nw; i++)
		free(cx.w[i].rec);
	free(cx.jpeg);
	return res->failure[0] == '\0' ? 0 : -1;
}

void
chaos_print(const struct chaos_result *r, FILE *fp)
{
	fprintf(fp, "chaos_seed: %u\n", r->seed);
	fprintf(fp, "chaos_kills_survived: %d (", r->kills);
	for (int k = 0; k < CHAOS_NKINDS; k++)
		fprintf(fp, "%s%s %d", k ? ", " : "", chaos_kind_name((enum chaos_kind)k),
		    r->by_kind[k]);
	fprintf(fp, "); listener restarts %d; %.1f s\n", r->restarts, r->seconds);
	fprintf(fp, "chaos_writes_tried: %ld\n", r->tried);
	fprintf(fp, "chaos_writes_acknowledged: %ld\n", r->acked);
	fprintf(fp, "chaos_rows_acknowledged: %ld (posts, comments, messages); found %ld; "
	    "not acknowledged but stored %ld\n", r->acked_rows, r->found, r->unacked_found);
	fprintf(fp, "chaos_overwrites_acknowledged: %ld (bios, likes; the final values checked)\n",
	    r->overwrites);
	fprintf(fp, "chaos_uploads_acknowledged: %ld; ready in the end %ld; other media rows %ld "
	    "(failed %ld); jobs left %ld; spool files left %d\n", r->uploads, r->uploads_ready,
	    r->media_unacked, r->media_failed, r->jobs_left, r->spool_left);
	fprintf(fp, "chaos_lost: %ld\n", r->lost);
	fprintf(fp, "chaos_duplicates_torn_phantoms: %ld %ld %ld\n", r->duplicates, r->torn,
	    r->phantoms);
	fprintf(fp, "chaos_counter_and_overwrite_errors: %ld %ld\n", r->counter_errors,
	    r->final_errors);
	fprintf(fp, "chaos_integrity_check: %s; foreign_key_check rows %ld\n",
	    r->integrity[0] ? r->integrity : "(not run)", r->fk_violations);
	fprintf(fp, "chaos_after: login %s, worker %s, clean stop %s\n",
	    r->login_after ? "ok" : "FAILED", r->worker_after ? "ok" : "FAILED",
	    r->clean_stop ? "ok" : "FAILED");
	if (r->failure[0] != '\0')
		fprintf(fp, "chaos_failure: %s\n", r->failure);
}
