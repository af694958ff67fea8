#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "sshd-app/relay.h"

/*
 * Queues are a buf with a consumed prefix, compacted when the prefix grows;
 * they stay small because both directions are bounded.
 */

#define IN_QUEUE_MAX	(64 * 1024)	/* client data held for the app */
#define OUT_QUEUE_MAX	(32 * 1024)	/* app output read ahead of the window */
#define CHUNK		(16 * 1024)	/* one read or one channel write */
#define READS_PER_PUMP	8		/* so one busy app cannot hog the loop */

static size_t
q_len(const struct relay_queue *q)
{
	return q->b.len - q->off;
}

static void
q_consume(struct relay_queue *q, size_t n)
{
	q->off += n;
	if (q->off >= q->b.len) {
		buf_reset(&q->b);
		q->off = 0;
	} else if (q->off >= CHUNK) {
		memmove(q->b.buf, q->b.buf + q->off, q->b.len - q->off);
		buf_truncate(&q->b, q->b.len - q->off);
		q->off = 0;
	}
}

static void
q_free(struct relay_queue *q)
{
	buf_release(&q->b);
	q->off = 0;
}

void
relay_init(struct relay *r, ssh_channel ch)
{
	memset(r, 0, sizeof *r);
	r->ch = ch;
	r->in_fd = r->out_fd = r->err_fd = -1;
	r->in_open = true;
	buf_init(&r->in.b);
	buf_init(&r->out.b);
	buf_init(&r->err.b);
}

void
relay_attach(struct relay *r, bool pty, int in_fd, int out_fd, int err_fd)
{
	r->pty = pty;
	r->in_fd = in_fd;
	r->out_fd = out_fd;
	r->err_fd = pty ? -1 : err_fd;
	r->attached = true;
}

size_t
relay_take_input(struct relay *r, const void *data, size_t len)
{
	size_t room, n;

	if (!r->in_open)
		return len;	/* the app's stdin is gone: drop */
	room = q_len(&r->in) < IN_QUEUE_MAX ? IN_QUEUE_MAX - q_len(&r->in) : 0;
	n = len < room ? len : room;
	if (n > 0)
		buf_add(&r->in.b, data, n);
	if (n < len)
		r->in_backlog = true;
	return n;
}

void
relay_input_eof(struct relay *r)
{
	r->in_eof = true;
}

void
relay_say(struct relay *r, bool to_stderr, const char *text)
{
	buf_adds(to_stderr && !r->pty ? &r->err.b : &r->out.b, text);
}

/* The pty master (or stdout pipe) is finished: on a pty that is both directions. */
static void
close_out(struct relay *r)
{
	if (r->out_fd < 0)
		return;
	close(r->out_fd);
	if (r->pty) {
		r->in_fd = -1;
		r->in_open = false;
		q_free(&r->in);
	}
	r->out_fd = -1;
}

static void
close_in(struct relay *r)
{
	r->in_open = false;
	q_free(&r->in);
	if (r->in_fd < 0)
		return;
	if (!r->pty)
		close(r->in_fd);
	/* On a pty the master stays open for output: just stop writing. */
	r->in_fd = -1;
}

/* Client -> app. */
static void
pump_input(struct relay *r)
{
	char	buf[CHUNK];
	ssize_t	n;
	int	got;

	if (!r->attached)
		return;
	while (r->in_fd >= 0 && q_len(&r->in) > 0) {
		n = write(r->in_fd, r->in.b.buf + r->in.off, q_len(&r->in));
		if (n > 0) {
			q_consume(&r->in, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		close_in(r);	/* EPIPE, EIO: the app stopped reading for good */
		break;
	}
	/* What libssh kept when the queue was full: fetch it now there is room. */
	if (r->in_backlog && q_len(&r->in) < IN_QUEUE_MAX / 2 && r->in_open &&
	    !ssh_channel_is_closed(r->ch)) {
		got = ssh_channel_read_nonblocking(r->ch, buf, sizeof buf, 0);
		if (got > 0)
			buf_add(&r->in.b, buf, (size_t)got);
		if (got < (int)sizeof buf)
			r->in_backlog = false;
	}
	if (r->in_eof && !r->in_backlog && q_len(&r->in) == 0 && !r->pty &&
	    r->in_fd >= 0)
		close_in(r);
}

/* Write as much of q as the client's window allows. */
static void
flush_queue(struct relay *r, struct relay_queue *q, bool to_stderr)
{
	uint32_t	win;
	size_t		n;
	int		w;

	while (q_len(q) > 0) {
		if (r->ch_broken || ssh_channel_is_closed(r->ch)) {
			r->ch_broken = true;
			q_consume(q, q_len(q));
			return;
		}
		if ((win = ssh_channel_window_size(r->ch)) == 0)
			return;
		n = q_len(q);
		if (n > win)
			n = win;
		if (n > CHUNK)
			n = CHUNK;
		w = to_stderr ?
		    ssh_channel_write_stderr(r->ch, q->b.buf + q->off, (uint32_t)n) :
		    ssh_channel_write(r->ch, q->b.buf + q->off, (uint32_t)n);
		if (w < 0) {
			r->ch_broken = true;
			continue;
		}
		if (w == 0)
			return;
		q_consume(q, (size_t)w);
	}
}

/* App -> client, for one stream. */
static void
pump_output(struct relay *r, int *fdp, struct relay_queue *q, bool to_stderr)
{
	char	buf[CHUNK];
	ssize_t	n;
	int	i;

	flush_queue(r, q, to_stderr);
	for (i = 0; i < READS_PER_PUMP && *fdp >= 0; i++) {
		/* Read only what can go on: window and read-ahead are the limit. */
		if (!r->ch_broken && (q_len(q) >= OUT_QUEUE_MAX ||
		    ssh_channel_window_size(r->ch) == 0))
			return;
		n = read(*fdp, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* EOF, or EIO from a pty master whose slave is closed. */
			if (fdp == &r->out_fd)
				close_out(r);
			else {
				close(*fdp);
				*fdp = -1;
			}
			return;
		}
		if (r->ch_broken)
			continue;	/* keep the app unblocked; the client is gone */
		buf_add(&q->b, buf, (size_t)n);
		flush_queue(r, q, to_stderr);
	}
}

void
relay_pump(struct relay *r)
{
	pump_input(r);
	pump_output(r, &r->out_fd, &r->out, false);
	pump_output(r, &r->err_fd, &r->err, true);
}

static short
out_events(const struct relay *r, const struct relay_queue *q)
{
	if (r->ch_broken)
		return POLLIN;
	if (q_len(q) >= OUT_QUEUE_MAX || ssh_channel_window_size(r->ch) == 0)
		return 0;
	return POLLIN;
}

size_t
relay_fds(const struct relay *r, int fds[3], short events[3])
{
	size_t	n = 0;
	short	ev;

	if (!r->attached)
		return 0;
	if (r->pty) {
		ev = 0;
		if (r->out_fd >= 0)
			ev |= out_events(r, &r->out);
		if (r->in_fd >= 0 && q_len(&r->in) > 0)
			ev |= POLLOUT;
		if (r->out_fd >= 0 && ev != 0) {
			fds[n] = r->out_fd;
			events[n++] = ev;
		}
		return n;
	}
	if (r->in_fd >= 0 && q_len(&r->in) > 0) {
		fds[n] = r->in_fd;
		events[n++] = POLLOUT;
	}
	if (r->out_fd >= 0 && (ev = out_events(r, &r->out)) != 0) {
		fds[n] = r->out_fd;
		events[n++] = ev;
	}
	if (r->err_fd >= 0 && (ev = out_events(r, &r->err)) != 0) {
		fds[n] = r->err_fd;
		events[n++] = ev;
	}
	return n;
}

bool
relay_app_done(const struct relay *r)
{
	return r->out_fd < 0 && r->err_fd < 0;
}

void
relay_close_app(struct relay *r)
{
	close_out(r);
	if (r->err_fd >= 0)
		close(r->err_fd);
	r->err_fd = -1;
	close_in(r);
}

bool
relay_flushed(const struct relay *r)
{
	return r->ch_broken || (q_len(&r->out) == 0 && q_len(&r->err) == 0);
}

void
relay_free(struct relay *r)
{
	relay_close_app(r);
	q_free(&r->in);
	q_free(&r->out);
	q_free(&r->err);
}
